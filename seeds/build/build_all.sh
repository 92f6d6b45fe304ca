#!/usr/bin/env bash
# Rebuild every generated seed file, then validate all of seeds/default.
# Usage: bash seeds/build/build_all.sh   (uses a virtualenv in seeds/build/.venv unless PYTHON is set)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -z "${PYTHON:-}" ]; then
  if [ ! -x "$here/.venv/bin/python" ]; then
    python3 -m venv "$here/.venv"
    "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
  fi
  PYTHON="$here/.venv/bin/python"
fi
cd "$here"
"$PYTHON" common_words.py
"$PYTHON" build_countries.py
"$PYTHON" build_cities.py
"$PYTHON" build_ubigeo.py
"$PYTHON" validate.py
