#!/usr/bin/env bash
# Check an offline bundle (scripts/make_wheelhouse.py DIR): install it into a fresh virtual
# environment with pip cut off from every index and from the network, then run a consultation
# on a worked case shipped with the package, and check that `serve` is there.
#
# Usage: bash scripts/check_wheelhouse.sh DIR [PYTHON]     (PYTHON: default python3)
# pip reads no configuration file and no PIP_* variable here (a find-links or index set for
# this machine would hide a wheel missing from DIR), and its proxy is a closed port, so any
# attempt to reach the network fails instead of succeeding quietly.
set -euo pipefail
dir=$(cd "${1:?usage: check_wheelhouse.sh DIR [PYTHON]}" && pwd)
python=${2:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p'); do unset "$name"; done
export PIP_CONFIG_FILE=/dev/null PIP_DISABLE_PIP_VERSION_CHECK=1
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --no-index --find-links "$dir" \
    --proxy http://127.0.0.1:9 mse-upgrading-advisor
cd "$work"  # not the source tree: the installed package must stand on its own
cases=$("$work/venv/bin/python" -c 'import knowledge_base; print(knowledge_base.path() / "cases")')
shipped=("$cases"/*.yaml)  # a glob, not ls | head: under pipefail an early close is a failure
case_file=${shipped[0]}
"$work/venv/bin/mse-advisor" consult "$case_file" --no-save > "$work/report.txt"
grep -q . "$work/report.txt"
serve_help=$("$work/venv/bin/mse-advisor" serve --help)  # grep -q on a pipe would close it early
grep -q -- "--no-browser" <<<"$serve_help"
# the pages' templates and style sheet were installed with the package:
"$work/venv/bin/python" - "$work" <<'PY'
import sys
from web.app import create_app
client = create_app(sys.argv[1] + "/history.sqlite3", None, sys.argv[1] + "/cases").test_client()
for path in ("/", "/visit/new", "/static/style.css"):
    assert client.get(path).status_code == 200, path
PY
echo "OK: installed from $dir alone; consulted $(basename "$case_file"):"
head -n 8 "$work/report.txt"
