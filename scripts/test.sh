#!/usr/bin/env bash
# Set up everything (including Chromium), check style, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh --with-browser
ruff check .
python3 -m pytest -q "$@"
