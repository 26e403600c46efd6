#!/usr/bin/env bash
# Installs what PlateLens needs on a fresh Debian machine (idempotent):
# Debian chromium + fonts (tests render fixtures with them), pnpm, node modules.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
[ -d /usr/share/fonts/opentype/ocr-b ] || need_apt+=(fonts-ocr-b)
[ -f /usr/share/fonts/truetype/opendin/OSP-DIN.ttf ] || need_apt+=(fonts-opendin)
[ -d /usr/share/fonts/truetype/liberation ] || need_apt+=(fonts-liberation)
[ -d /usr/share/fonts/opentype/bebas-neue ] || need_apt+=(fonts-bebas-neue)
[ -d /usr/share/fonts/opentype/b612 ] || need_apt+=(fonts-b612)
[ -d /usr/share/fonts/truetype/roboto ] || need_apt+=(fonts-roboto-unhinted)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: apt-get install ${need_apt[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# pnpm, pinned, from the npm registry. Not through corepack: its download fails the signature
# check on these machines and leaves a pnpm shim that blocks `npm install -g pnpm` (EEXIST).
# A pnpm that does not run (such a shim) is replaced; without write access to npm's global
# prefix, pnpm goes into .tools/ inside the checkout.
PNPM_VERSION=10.34.9
if [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  if ! npm install -g --force --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null 2>&1 \
     || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
    npm install --prefix .tools --no-save --no-fund --no-audit "pnpm@$PNPM_VERSION" >/dev/null
    export PATH="$PWD/.tools/node_modules/.bin:$PATH"
  fi
fi

# onnxruntime-node's own install step downloads from a host we cannot reach: skip it
# (the CPU library ships inside the npm package).
export ONNXRUNTIME_NODE_INSTALL=skip
pnpm install --frozen-lockfile --prefer-offline
