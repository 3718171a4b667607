#!/usr/bin/env bash
# All of Observa's tests, as the README promises: installs what the tests use that cargo does not
# (Python with frictionless and openpyxl, Debian's Chromium, the npm packages of the browser test),
# then runs the Rust tests and the end-to-end browser test. Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${OBSERVA_VENV:-.venv}"
if ! "$VENV/bin/python" -c "import frictionless, openpyxl" 2>/dev/null; then
    echo "== installing frictionless and openpyxl into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check frictionless openpyxl
fi
export OBSERVA_PYTHON="$PWD/$VENV/bin/python"
export OBSERVA_REQUIRE_TOOLS=1

echo "== cargo test --workspace"
cargo test --workspace

if [ -f tests/e2e/run.sh ]; then
    echo "== end-to-end browser test"
    bash tests/e2e/run.sh
fi
