#!/usr/bin/env bash
# Builds the npm package into pkg/: release wasm32 build (simd128), the pinned
# wasm-bindgen CLI (web and nodejs glue), binaryen's wasm-opt -Oz, the JSON
# Schema and TypeScript types from the Rust types, and the JS entry points.
#   bash scripts/build-pkg.sh        (after scripts/setup.sh)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"

wasm=target/wasm32-unknown-unknown/release/customer_health.wasm
cargo build --quiet --release --target wasm32-unknown-unknown --lib
rm -rf pkg
mkdir -p pkg/web pkg/node target/schema
wasm-bindgen --target web --no-typescript --out-dir pkg/web "$wasm"
wasm-bindgen --target nodejs --no-typescript --out-dir pkg/node "$wasm"
# Every feature rustc's wasm32 target emits by default, plus simd128.
features="--enable-simd --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types --enable-multivalue"
for f in pkg/web/customer_health_bg.wasm pkg/node/customer_health_bg.wasm; do
  # shellcheck disable=SC2086
  wasm-opt -Oz $features "$f" -o "$f"
done
cargo run --quiet --release --features schema --example schema -- target/schema
node scripts/assemble-pkg.mjs
raw=$(stat -c %s pkg/web/customer_health_bg.wasm)
gz=$(gzip -9 -c pkg/web/customer_health_bg.wasm | wc -c)
echo "[build-pkg] pkg/ ready: customer_health_bg.wasm ${raw} bytes raw, ${gz} bytes gzipped"
