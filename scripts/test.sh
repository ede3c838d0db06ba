#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test. Safe to re-run.
#   bash scripts/test.sh           everything (what CI runs)
#   bash scripts/test.sh --quick   the inner loop: format, clippy, the native
#                                  and doc tests, and the JS API tests over the
#                                  package (built first when pkg/ is older than
#                                  the sources); a few minutes
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

# Each step says when it starts and how long the one before it took (the
# figures behind BENCHMARKS.md's test-suite times).
started=$SECONDS
last=$SECONDS
step() {
  printf '\n== %s   (previous step %ds; %ds in all)\n' "$*" $((SECONDS - last)) $((SECONDS - started))
  last=$SECONDS
}
trap 'printf "\n== done in %ds\n" $((SECONDS - started))' EXIT

if [ "${1:-}" = "--quick" ]; then
  bash scripts/setup.sh
  step "format"
  cargo fmt --all --check
  step "clippy (native)"
  cargo clippy --workspace --all-targets -- -D warnings
  step "native and doc tests"
  cargo nextest run --no-fail-fast
  cargo test --doc
  newest=$(find src crates js presets Cargo.toml scripts/build-pkg.sh scripts/assemble-pkg.mjs -type f -newer pkg/package.json 2>/dev/null | head -n1 || true)
  if [ ! -f pkg/package.json ] || [ -n "$newest" ]; then
    step "build the npm package (pkg/): the sources changed"
    bash scripts/build-pkg.sh
  fi
  step "JS API tests (Node)"
  node --test tests/js/
  exit 0
fi
step "set up what is missing"
bash scripts/setup.sh

step "format"
cargo fmt --all --check
step "clippy (native, all targets)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (wasm32, lib and tests)"
cargo clippy --workspace --target wasm32-unknown-unknown --lib --tests -- -D warnings
cargo clippy -p customer-health-wasm --target wasm32-unknown-unknown --features only-calibration -- -D warnings
step "sample portfolio example"
cargo run --quiet --release --example score_portfolio > target/score_portfolio.txt
tail -n 6 target/score_portfolio.txt
step "doc tests, and rustdoc without warnings"
cargo test --doc
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --quiet
step "native tests"
cargo nextest run --no-fail-fast
step "build the npm package (pkg/)"
bash scripts/build-pkg.sh
step "wasm-bindgen tests in Node"
cargo test -p customer-health-wasm --target wasm32-unknown-unknown --test wasm
step "wasm-bindgen tests in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 cargo test -p customer-health-wasm --target wasm32-unknown-unknown --test wasm
step "fuzzing (30 s per target; longer runs: bash scripts/fuzz.sh 600)"
if rustup toolchain list | grep -q '^nightly' && cargo fuzz --version >/dev/null 2>&1; then
  bash scripts/fuzz.sh 30
else
  echo "skipped: the nightly toolchain or cargo-fuzz is missing"
fi
step "TypeScript types (tsc --noEmit)"
tsc -p tests/ts
step "JS API (Node), browser store (Chromium), packaging (Node, Vite in Chromium, workerd), edge service (workerd, Durable Objects) and demo page (Chromium) tests"
node --test tests/js/ tests/browser/ tests/packaging/ tests/edge/ tests/e2e/
step "benchmark code still runs and agrees with plain JS and native (small sizes, one round; no timings asserted)"
node bench/node-vs-plain-js.mjs 20000 1 >/dev/null
node bench/browser-vs-plain-js.mjs 20000 1 >/dev/null
node bench/calibration-speed.mjs 2000 2000 1 >/dev/null
node bench/page-long-tasks.mjs 2000 >/dev/null
