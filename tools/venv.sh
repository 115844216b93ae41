#!/usr/bin/env bash
# Creates or refreshes .venv/ at the repo root from tools/requirements.txt. Prints nothing when the venv
# is already up to date: a stamp inside .venv holds a hash of the requirements and of the interpreter
# that built it, so a changed pin or a new Python rebuilds it from scratch (a partial upgrade in place
# could leave packages that are no longer pinned). Set PYTHON to choose the interpreter (default python3).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
requirements="$root/tools/requirements.txt"
venv="$root/.venv"
stamp="$venv/.hf2swift-requirements.sha256"
python=${PYTHON:-python3}

want=$({ cat "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c '' 2>/dev/null; then
    exit 0
fi

echo "venv: building .venv from tools/requirements.txt (needs PyPI)" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
echo "$want" > "$stamp"
echo "venv: ready" >&2
