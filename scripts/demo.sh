#!/usr/bin/env bash
# The first thing to run: set up, build the demo app and serve it (offline-capable PWA).
# Open the printed URL in Chrome/Edge/Firefox; PORT=… to pick another port.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/node_modules/.bin:$PATH" # where setup.sh puts pnpm when it cannot install it globally
PORT="${PORT:-5173}"
pnpm --filter @platelens/demo build
echo
echo "PlateLens demo: http://127.0.0.1:${PORT}/  (Ctrl+C to stop)"
echo
exec pnpm --filter @platelens/demo exec vite preview --host 127.0.0.1 --port "${PORT}" --strictPort
