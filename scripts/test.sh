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
cargo fmt --check
step "clippy (native, all targets)"
cargo clippy --all-targets -- -D warnings
step "clippy (wasm32)"
cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
step "build (wasm32, release)"
cargo build --release --target wasm32-unknown-unknown --lib
step "sample portfolio example"
cargo run --quiet --release --example score_portfolio > target/score_portfolio.txt
tail -n 6 target/score_portfolio.txt
step "doc tests"
cargo test --doc
step "tests (native)"
cargo nextest run --no-fail-fast
