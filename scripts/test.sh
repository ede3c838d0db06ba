#!/usr/bin/env bash
# Sets up what is missing, then runs every check and test. Safe to re-run.
#   bash scripts/test.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
bash scripts/setup.sh

step() { printf '\n== %s\n' "$*"; }

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
