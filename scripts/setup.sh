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

if ! command -v pnpm >/dev/null 2>&1; then
  corepack enable >/dev/null 2>&1 && corepack prepare pnpm@10.34.9 --activate >/dev/null 2>&1 || npm install -g pnpm@10.34.9 >/dev/null
fi

# onnxruntime-node's own install step downloads from a host we cannot reach: skip it
# (the CPU library ships inside the npm package).
export ONNXRUNTIME_NODE_INSTALL=skip
pnpm install --frozen-lockfile --prefer-offline
