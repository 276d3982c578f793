#!/usr/bin/env bash
# Install everything the generator and its tests need: Python packages, lunr.js and axe-core
# from npm, and Debian's Chromium and Java (for browser tests and the HTML checker).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
npm ci --no-audit --no-fund --loglevel=error
if [ "${1:-}" = "--with-browser" ]; then
  if ! command -v chromium >/dev/null || ! command -v java >/dev/null; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium default-jre-headless >/dev/null
  fi
fi
