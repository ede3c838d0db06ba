#!/usr/bin/env bash
# Builds the npm package into pkg/: two release wasm32 builds of the binding
# crate (crates/wasm, simd128) — the scoring module (the core without its
# `calibrate` feature) and the calibration module (`only-calibration`), each
# in its own target folder so both stay cached — the pinned wasm-bindgen CLI (web glue), binaryen's
# wasm-opt -Oz, the JSON Schema and TypeScript types from the Rust types, and
# the JS entry points.
#   bash scripts/build-pkg.sh        (after scripts/setup.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

rm -rf pkg
mkdir -p pkg/web target/schema
# Every feature rustc's wasm32 target emits by default, plus simd128.
features="--enable-simd --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types --enable-multivalue"
build() { # name, cargo feature flags...
  local name=$1
  shift
  local dir="target/pkg-$name"
  CARGO_TARGET_DIR="$dir" cargo build --quiet --release --target wasm32-unknown-unknown -p customer-health-wasm --lib "$@"
  # wasm-bindgen names its output after its input: customer_health, customer_health_calibration.
  local wasm="$dir/$(echo "customer_health_$name" | sed 's/_scoring$//').wasm"
  cp "$dir/wasm32-unknown-unknown/release/customer_health_wasm.wasm" "$wasm"
  wasm-bindgen --target web --no-typescript --out-dir pkg/web "$wasm"
  local out="pkg/web/$(basename "$wasm" .wasm)_bg.wasm"
  # shellcheck disable=SC2086
  wasm-opt -Oz $features "$out" -o "$out"
}
build scoring
build calibration --features only-calibration
cargo run --quiet --release --features schema --example schema -- target/schema
node scripts/assemble-pkg.mjs
for f in pkg/web/*_bg.wasm; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  echo "[build-pkg] $(basename "$f"): ${raw} bytes raw, ${gz} bytes gzipped"
done
# The size budget (size-budget.json): the build fails past it.
node scripts/size-budget.mjs
