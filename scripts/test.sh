#!/usr/bin/env bash
# All of Observa's tests, as the README promises: installs what the tests use that cargo does not
# (Python with frictionless, openpyxl, python-docx and aiosmtpd (a local SMTP relay for the mail tests), poppler-utils, Debian's Chromium, the npm packages of the browser test),
# then runs the Rust tests and the end-to-end browser test, and ends with one line counting both.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${OBSERVA_VENV:-.venv}"
if ! "$VENV/bin/python" -c "import frictionless, openpyxl, docx, aiosmtpd" 2>/dev/null; then
    echo "== installing frictionless, openpyxl, python-docx and aiosmtpd into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check frictionless openpyxl python-docx aiosmtpd
fi
# The report's PDF is read back with poppler's pdftotext and pdfinfo.
if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null; then
    echo "== installing poppler-utils"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
fi
export OBSERVA_PYTHON="$(cd "$VENV" && pwd)/bin/python"
export OBSERVA_REQUIRE_TOOLS=1

LOG=$(mktemp -d)
PG_DIR=""
cleanup() {
    [ -z "$PG_DIR" ] || bash scripts/pg.sh stop "$PG_DIR"
    rm -rf "$LOG"
}
trap cleanup EXIT

# A throwaway PostgreSQL cluster for the second engine's tests (installs Debian's postgresql if
# missing); the tests must find it: a cluster that cannot start fails the run.
if [ -z "${OBSERVA_TEST_POSTGRES:-}" ]; then
    echo "== starting a throwaway PostgreSQL cluster"
    bash scripts/pg.sh start >"$LOG/pg.env" || { echo "PostgreSQL could not start" >&2; exit 1; }
    # shellcheck disable=SC1091
    . "$LOG/pg.env"
fi
export OBSERVA_TEST_POSTGRES
export OBSERVA_REQUIRE_POSTGRES=1

echo "== cargo test --workspace"
cargo test --workspace 2>&1 | tee "$LOG/cargo.txt"
# The whole integration suite again with every database it names on PostgreSQL (the throwaway
# cluster above): `Scratch` gives each one a fresh database there. Tests about SQLite itself say
# "SQLite-only, not run on PostgreSQL: <test>: <why>" and return.
echo "== the integration suite on PostgreSQL (OBSERVA_TEST_ENGINE=postgres)"
OBSERVA_TEST_ENGINE=postgres cargo test -p observa --test it 2>&1 | tee -a "$LOG/cargo.txt"
rust_passed=$(awk '/^test result:/ { s += $4 } END { print s + 0 }' "$LOG/cargo.txt")
rust_failed=$(awk '/^test result:/ { s += $6 } END { print s + 0 }' "$LOG/cargo.txt")

e2e_passed=0
e2e_failed=0
if [ -f tests/e2e/run.sh ]; then
    echo "== end-to-end browser test"
    status=0
    bash tests/e2e/run.sh 2>&1 | tee "$LOG/e2e.txt" || status=$?
    e2e_passed=$(awk '/^# pass / { print $3 }' "$LOG/e2e.txt" | tail -1)
    e2e_failed=$(awk '/^# fail / { print $3 }' "$LOG/e2e.txt" | tail -1)
    [ "$status" -eq 0 ] || { echo "total: $((rust_passed + ${e2e_passed:-0})) passed, $((rust_failed + ${e2e_failed:-1})) failed"; exit "$status"; }
fi

echo "== Rust: $rust_passed passed, $rust_failed failed; browser: ${e2e_passed:-0} passed, ${e2e_failed:-0} failed"
echo "total: $((rust_passed + ${e2e_passed:-0})) passed, $((rust_failed + ${e2e_failed:-0})) failed"
