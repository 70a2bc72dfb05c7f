#!/usr/bin/env bash
# Build the HTML documentation from scratch, executing the gallery; warnings
# are errors. Usage: bash docs/build.sh   (needs the "docs" extra installed)
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg
rm -rf docs/_build docs/auto_examples docs/generated docs/gen_modules
python -m sphinx -W --keep-going -b html docs docs/_build/html "$@"
