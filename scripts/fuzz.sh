#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (default 60 s each), seeded from
# the presets and samples. Needs the nightly toolchain and cargo-fuzz
# (installed by scripts/setup.sh).
#   bash scripts/fuzz.sh [seconds-per-target] [target ...]
# Longer runs: bash scripts/fuzz.sh 600 score    (findings land in fuzz/artifacts/)
#
# It fails (exit 1) when a target does not build, when libFuzzer exits with an
# error, or when any finding is left: crash-, oom-, timeout-, leak- or
# slow-unit- files (each run starts from an empty artifacts folder).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
# (CARGO_FUZZ_CARGO names another cargo: the test of this script uses a stand-in)
cargo="${CARGO_FUZZ_CARGO:-cargo}"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -nE 's/^name = "([a-z_]+)"$/\1/p' fuzz/Cargo.toml | grep -v '^customer-health-fuzz$')
fi
python3 scripts/fuzz_seeds.py || exit 1
failed=0
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  artifacts="fuzz/artifacts/$t"
  rm -rf "$artifacts"
  mkdir -p "$artifacts" "fuzz/corpus/$t"
  if ! "$cargo" +nightly fuzz build "$t"; then
    echo "fuzz target $t does not build" >&2
    failed=1
    continue
  fi
  log="$(mktemp)"
  status=0
  "$cargo" +nightly fuzz run "$t" "fuzz/corpus/$t" -- -max_total_time="$seconds" -max_len=16384 -rss_limit_mb=4096 \
    -artifact_prefix="$artifacts/" >"$log" 2>&1 || status=$?
  grep -E "^(#[0-9]+ +DONE|Done|==|SUMMARY|.*panicked|.*ERROR)" "$log"
  found=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | head -n 5)
  if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    echo "fuzz target $t failed (exit $status)${found:+; findings: $found}" >&2
    tail -n 30 "$log" >&2
    failed=1
  fi
  rm -f "$log"
done
exit "$failed"
