#!/usr/bin/env bash
# The main job: sets up what is missing, builds the npm package and serves the
# demo page (www/) with the built-in sample portfolio on 127.0.0.1, printing
# its URL. Safe to re-run.
#   bash scripts/demo.sh            (PORT=9000 bash scripts/demo.sh to choose the port)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$root/node_modules/.bin:$PATH"
SKIP_BROWSER=1 SKIP_FUZZ=1 bash scripts/setup.sh
bash scripts/build-pkg.sh
exec node scripts/serve.mjs "${PORT:-8080}"
