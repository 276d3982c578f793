#!/usr/bin/env bash
# Set up, then build the sales glossary into _site/ (add "serve" to also serve it with live reload).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
python3 -m glossary build --strict
if [ "${1:-}" = "serve" ]; then
  shift
  exec python3 -m glossary serve "$@"
fi
