#!/usr/bin/env python3
"""References for CALIBRATION.md and BENCHMARKS.md, fitted on exactly the
training rows the library uses (the same seeded, stratified 70/30 split,
reimplemented here) and scored by ROC AUC on the same held-out rows:

- a plain logistic regression on all features (one-hot text columns,
  standardised numbers; scikit-learn);
- an optbinning scorecard (optimal binning, weight of evidence, logistic
  regression: a points table);
- InterpretML's Explainable Boosting Machine (an additive, explainable model).

Prints one JSON object per line: {"method", "auc", "fit_seconds"}.

    python3 bench/calibration_reference.py DATA.csv OUTCOME CHURNED_VALUE [SKIP_COLUMN ...]

bench/calibration-quality.sh makes the virtual environment (scikit-learn,
optbinning, interpret, pandas) and runs this next to the library.
"""
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import pandas as pd

MASK = (1 << 64) - 1
SENTINELS = {"", "na", "n/a", "nan", "null", "none", "nil", "unknown", "?", "-", "--", "#n/a", "missing", "undefined"}


def split(churned, share=0.3, seed=42):
    """Table::split from src/calibrate/table.rs: xorshift64*, Fisher-Yates per class."""
    state = max(seed, 1)

    def nxt():
        nonlocal state
        state ^= state >> 12
        state ^= (state << 25) & MASK
        state ^= state >> 27
        return (state * 0x2545F4914F6CDD1D) & MASK

    train, test = [], []
    for cls in (True, False):
        rows = [i for i, c in enumerate(churned) if c == cls]
        for i in range(len(rows) - 1, 0, -1):
            j = nxt() % (i + 1)
            rows[i], rows[j] = rows[j], rows[i]
        n_test = math.floor(len(rows) * share + 0.5)
        test += rows[:n_test]
        train += rows[n_test:]
    return sorted(train), sorted(test)


def frame(path, outcome, churned_value, skip):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = (df[outcome].str.strip().str.lower() == churned_value.strip().lower()).to_numpy()
    x = df.drop(columns=[outcome, *skip])
    numeric, text = [], []
    for c in x.columns:
        cells = x[c].str.strip()
        missing = cells.str.lower().isin(SENTINELS)
        as_num = pd.to_numeric(cells.where(~missing, None), errors="coerce")
        present = (~missing).sum()
        if present > 0 and as_num.notna().sum() >= 0.95 * present:
            x[c] = as_num
            numeric.append(c)
        else:
            x[c] = cells
            text.append(c)
    return x, y, numeric, text


def main():
    path, outcome, churned_value, *skip = sys.argv[1:]
    x, y, numeric, text = frame(path, outcome, churned_value, skip)
    train, test = split(list(y))
    xtr, xte, ytr, yte = x.iloc[train], x.iloc[test], y[train], y[test]
    from sklearn.metrics import roc_auc_score

    def report(method, seconds, p):
        print(json.dumps({"method": method, "auc": round(float(roc_auc_score(yte, p)), 4), "fit_seconds": round(seconds, 3)}), flush=True)

    # Logistic regression on all features.
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    pre = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        ("txt", OneHotEncoder(handle_unknown="ignore"), text),
    ])
    lr = make_pipeline(pre, LogisticRegression(max_iter=5000))
    t0 = time.perf_counter()
    lr.fit(xtr, ytr)
    report("logistic regression", time.perf_counter() - t0, lr.predict_proba(xte)[:, 1])

    # optbinning scorecard: binning process + logistic regression.
    from optbinning import BinningProcess, Scorecard

    warnings.filterwarnings("ignore")
    xs = x.copy()
    for c in text:
        xs[c] = xs[c].astype(object)
    bp = BinningProcess(variable_names=list(xs.columns), categorical_variables=text)
    sc = Scorecard(binning_process=bp, estimator=LogisticRegression(max_iter=5000), scaling_method="min_max",
                   scaling_method_params={"min": 0, "max": 100})
    t0 = time.perf_counter()
    sc.fit(xs.iloc[train], ytr)
    report("optbinning scorecard", time.perf_counter() - t0, sc.predict_proba(xs.iloc[test])[:, 1])

    # Explainable Boosting Machine (InterpretML), default settings (EBM=0 skips it: minutes on a wide table).
    if os.environ.get("EBM") == "0":
        return
    from interpret.glassbox import ExplainableBoostingClassifier

    ebm = ExplainableBoostingClassifier(random_state=42)
    t0 = time.perf_counter()
    ebm.fit(xtr, ytr)
    report("EBM", time.perf_counter() - t0, ebm.predict_proba(xte)[:, 1])


if __name__ == "__main__":
    main()
