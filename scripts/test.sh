#!/usr/bin/env bash
# The README's test command: set up a fresh machine, then run every test suite
# (vitest: unit + real-model integration in Node; Playwright: real Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/.tools/node_modules/.bin:$PATH" # where setup.sh puts pnpm when it cannot install it globally
pnpm typecheck
pnpm test
