#!/usr/bin/env bash
# The main job: sets up what is missing, then scores the built-in sample
# portfolio (samples/) with the sample model and prints a table.
#   bash scripts/demo.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh core
cargo run --quiet --release --example score_portfolio -- "$@"
