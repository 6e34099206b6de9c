#!/bin/sh
# Re-extract the interface strings, merge them into every catalogue, compile (docs/translating.md).
# Run from the repository root: sh scripts/catalogues.sh
set -e
BABEL=${PYBABEL:-.venv/bin/pybabel}
L=engine/translation/locales
"$BABEL" extract -F babel.cfg -k N_ --no-location --sort-output --omit-header \
    -o $L/mse_advisor.pot engine commands web cli.py
"$BABEL" update -i $L/mse_advisor.pot -d $L -D mse_advisor --no-fuzzy-matching --ignore-obsolete
"$BABEL" compile -d $L -D mse_advisor --statistics
