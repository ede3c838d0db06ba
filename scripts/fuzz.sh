#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each), seeded from
# the presets and samples. Needs the nightly toolchain and cargo-fuzz
# (installed by scripts/setup.sh).
#   bash scripts/fuzz.sh [seconds-per-target] [target ...]
# Longer runs: bash scripts/fuzz.sh 600 score    (crashes land in fuzz/artifacts/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(model score history backtest)
python3 scripts/fuzz_seeds.py
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=4096 2>&1 \
    | grep -E "^(#[0-9]+ +DONE|Done|==|SUMMARY|.*panicked|.*ERROR)" || true
  if ls "fuzz/artifacts/$t"/crash-* >/dev/null 2>&1; then
    echo "fuzz target $t found a crash: see fuzz/artifacts/$t" >&2
    exit 1
  fi
done
