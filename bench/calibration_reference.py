#!/usr/bin/env python3
"""The reference for CALIBRATION.md: a plain logistic regression on all
features (one-hot text columns, standardised numbers), fitted with
scikit-learn on exactly the training rows the library uses (the same seeded,
stratified 70/30 split, reimplemented here), scored by ROC AUC on the same
held-out rows.

    pip install scikit-learn pandas
    python3 bench/calibration_reference.py ../shared/data/telco_customer_churn.csv Churn customerID
    python3 bench/calibration_reference.py ../shared/data/iranian_churn.csv Churn
"""
import math
import sys

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

MASK = (1 << 64) - 1


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


def main():
    path, outcome, *skip = sys.argv[1:]
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    y = df[outcome].str.strip().str.lower().isin(["yes", "1", "true"]).tolist()
    x = df.drop(columns=[outcome, *skip])
    numeric, text = [], []
    for c in x.columns:
        as_num = pd.to_numeric(x[c].str.strip().replace("", None), errors="coerce")
        if as_num.notna().mean() >= 0.95:
            x[c] = as_num.fillna(as_num.median())
            numeric.append(c)
        else:
            text.append(c)
    train, test = split(y)
    pre = ColumnTransformer([("num", StandardScaler(), numeric), ("txt", OneHotEncoder(handle_unknown="ignore"), text)])
    model = make_pipeline(pre, LogisticRegression(max_iter=5000))
    model.fit(x.iloc[train], [y[i] for i in train])
    p = model.predict_proba(x.iloc[test])[:, 1]
    print(f"{path}: {len(train)} train / {len(test)} test rows; reference logistic regression test AUC {roc_auc_score([y[i] for i in test], p):.3f}")


if __name__ == "__main__":
    main()
