#!/usr/bin/env bash
# End-to-end browser test of the public portal, as CI runs it (from the repository root):
#   bash tests/e2e/run.sh
# Installs what it needs if missing (Debian's Chromium, the pinned npm packages), builds Observa,
# starts it on a free loopback port with a throw-away database, runs `node --test tests/e2e/`
# against it and stops it on exit. Exits non-zero when anything fails.
#
# Environment: E2E_PORT (first port tried, default 18080), E2E_SCREENSHOT_DIR (save full-page
# screenshots there), E2E_KEEP_TMP=1 (keep the temporary folder with the database and server log).
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { echo "== e2e: $*"; }

# --- tools ------------------------------------------------------------------------------------
apt_updated=0
apt_install() {
    if [ "$apt_updated" = 0 ]; then
        apt-get update -qq
        apt_updated=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v chromium >/dev/null || [ ! -x /usr/bin/chromium ]; then
    log "installing Debian's chromium"
    apt_install chromium
fi
command -v curl >/dev/null || apt_install curl
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    log "installing node and npm"
    apt_install nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
    echo "e2e: Node $(node --version) is too old: the browser test needs Node 20 or later" >&2
    exit 1
fi

log "npm ci (tests/e2e)"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

log "cargo build -p observa"
cargo build -p observa
BIN="${CARGO_TARGET_DIR:-target}/debug/observa"

# --- server -----------------------------------------------------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/observa-e2e.XXXXXX")"
SERVER_PID=""
cleanup() {
    local status=$?
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ] && [ -s "$TMP/server.log" ]; then
        echo "== e2e: last lines of the server log ($TMP/server.log):" >&2
        tail -n 30 "$TMP/server.log" >&2 || true
    fi
    if [ "${E2E_KEEP_TMP:-0}" = 1 ]; then
        echo "== e2e: kept $TMP" >&2
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT="${E2E_PORT:-18080}"
for _ in $(seq 1 100); do
    port_free "$PORT" && break
    PORT=$((PORT + 1))
done
port_free "$PORT" || { echo "e2e: no free port found from ${E2E_PORT:-18080}" >&2; exit 1; }

URL="http://127.0.0.1:$PORT"
# An analyst for the editing test; `user add` prints the first password on its last line.
E2E_ANALYST_EMAIL="e2e-analyst@secretariat.example.org"
E2E_ANALYST_PASSWORD="$("$BIN" --db "$TMP/e2e.db" user add --email "$E2E_ANALYST_EMAIL" --role analyst 2>/dev/null | tail -1 | sed 's/.*: //')"
export E2E_ANALYST_EMAIL E2E_ANALYST_PASSWORD
# The consultation test: cycle 2015, a liaison officer for Chile and a second analyst who reviews.
"$BIN" --db "$TMP/e2e.db" cycle open --year 2015 --from 2014 --deadline 2015-06-30 >/dev/null
E2E_LIAISON_EMAIL="enlace@minjusticia.example.cl"
E2E_LIAISON_PASSWORD="$("$BIN" --db "$TMP/e2e.db" user add --email "$E2E_LIAISON_EMAIL" --role liaison --state CL 2>/dev/null | tail -1 | sed 's/.*: //')"
E2E_REVIEWER_EMAIL="e2e-reviewer@secretariat.example.org"
E2E_REVIEWER_PASSWORD="$("$BIN" --db "$TMP/e2e.db" user add --email "$E2E_REVIEWER_EMAIL" --role analyst 2>/dev/null | tail -1 | sed 's/.*: //')"
export E2E_LIAISON_EMAIL E2E_LIAISON_PASSWORD E2E_REVIEWER_EMAIL E2E_REVIEWER_PASSWORD
# The monitoring test: a plan coordinator for Paraguay and an analyst of its own.
E2E_COORDINATOR_EMAIL="coordinacion@snna.example.py"
E2E_COORDINATOR_PASSWORD="$("$BIN" --db "$TMP/e2e.db" user add --email "$E2E_COORDINATOR_EMAIL" --role coordinator --state PY 2>/dev/null | tail -1 | sed 's/.*: //')"
E2E_MONITOR_EMAIL="e2e-monitoring@secretariat.example.org"
E2E_MONITOR_PASSWORD="$("$BIN" --db "$TMP/e2e.db" user add --email "$E2E_MONITOR_EMAIL" --role analyst 2>/dev/null | tail -1 | sed 's/.*: //')"
export E2E_COORDINATOR_EMAIL E2E_COORDINATOR_PASSWORD E2E_MONITOR_EMAIL E2E_MONITOR_PASSWORD
log "starting $BIN serve on $URL"
OBSERVA_LOG="${OBSERVA_LOG:-warn}" "$BIN" --db "$TMP/e2e.db" serve --addr "127.0.0.1:$PORT" >"$TMP/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 1 120); do # at most about 60 s
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "e2e: the server exited before answering" >&2
        exit 1
    fi
    if curl -fs -o /dev/null --max-time 2 "$URL/en/"; then
        ready=1
        break
    fi
    sleep 0.5
done
if [ "$ready" != 1 ]; then
    echo "e2e: the server did not answer $URL/en/ within 60 s" >&2
    exit 1
fi

# --- the test ---------------------------------------------------------------------------------
log "node --test tests/e2e/ against $URL"
OBSERVA_URL="$URL" node --test tests/e2e/
