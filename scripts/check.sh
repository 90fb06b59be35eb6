#!/usr/bin/env bash
# The whole test suite: install (into .venv), lint, type-check, test. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
echo "== install (.venv)"
if ! { .venv/bin/python -m pip install --disable-pip-version-check --upgrade pip \
       && .venv/bin/python -m pip install --disable-pip-version-check -e '.[dev]'; } >.venv/install.log 2>&1; then
    cat .venv/install.log
    exit 1
fi

echo "== services"
bash scripts/services.sh

echo "== ruff"
.venv/bin/ruff check booking_bot integrations scripts tests benchmarks
.venv/bin/ruff format --check booking_bot integrations scripts tests benchmarks
echo "== mypy --strict"
.venv/bin/mypy
echo "== pytest"
.venv/bin/pytest -q "$@"
