#!/usr/bin/env bash
# Installs what a fresh machine lacks for building and testing customer-health.
# Safe to re-run: every step checks first and skips what is already there.
#
#   scripts/setup.sh core   Rust components (clippy, rustfmt) and the wasm32 target
#   scripts/setup.sh        all of it: also the pinned wasm-bindgen-cli (the package is
#                           built by scripts/build-pkg.sh, not wasm-pack),
#                           Debian's chromium + chromium-driver, npm dependencies
#                           (binaryen's wasm-opt, never Debian's: see TOOLCHAIN notes)
set -euo pipefail
profile="${1:-all}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=versions.env
. scripts/versions.env
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

# The crates/wasm/Cargo.toml pin and versions.env must agree (the wasm-bindgen CLI must
# have the crate's exact version).
if grep -qE '^wasm-bindgen *= *"=' crates/wasm/Cargo.toml; then
  pinned=$(sed -nE 's/^wasm-bindgen *= *"=([0-9.]+)".*/\1/p' crates/wasm/Cargo.toml | head -n1)
  if [ "$pinned" != "$WASM_BINDGEN_VERSION" ]; then
    echo "[setup] crates/wasm/Cargo.toml pins wasm-bindgen =$pinned but scripts/versions.env says $WASM_BINDGEN_VERSION" >&2
    exit 1
  fi
fi

for c in clippy rustfmt; do
  rustup component list --installed 2>/dev/null | grep -q "^$c" || { say "rustup component add $c"; rustup component add "$c"; }
done
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [ "$profile" = core ]; then
  say "ready (core)"
  exit 0
fi

if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  # Not --locked: its lock file pins a crate version the registry here lacks.
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (several minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# cargo-fuzz, for the bounded fuzz runs (needs the nightly toolchain, which
# this kind of machine has; without nightly the fuzz step is skipped).
if rustup toolchain list | grep -q '^nightly' && ! cargo fuzz --version >/dev/null 2>&1 && [ "${SKIP_FUZZ:-0}" != 1 ]; then
  say "cargo install cargo-fuzz (a couple of minutes, once)"
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

if [ "${SKIP_BROWSER:-0}" != 1 ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  say "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# `npm install` with the committed lock file rather than `npm ci`: the registry
# reachable here serves only this platform's builds of packages such as
# @rollup/rollup-*, so the lock cannot list the other platforms' optional
# packages and `npm ci` refuses it as out of sync. The lock still pins every
# version that is installed.
if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
    say "npm install (versions from package-lock.json)"
    npm install --no-audit --no-fund
  fi
fi
say "ready"
