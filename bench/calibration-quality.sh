#!/usr/bin/env bash
# Benchmark (not a test): held-out ROC AUC of `suggest` against the
# references, on the same stratified 70/30 split (seed 42):
#   logistic regression (scikit-learn), the optbinning scorecard, EBM
#   (InterpretML); and whether the suggested bands' churn falls from band
#   to band on the held-out rows. Makes the Python virtual environment it
#   needs (target/pyref) on first use.
#   bash bench/calibration-quality.sh            (Telco and Iranian, from ../shared/data)
#   WIDE=1 bash bench/calibration-quality.sh     (also the synthetic wide table; EBM takes minutes there)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [ ! -x target/pyref/bin/python ]; then
  python3 -m venv target/pyref
  target/pyref/bin/pip install --quiet scikit-learn pandas optbinning interpret
fi
exec node bench/calibration-quality.mjs "$@"
