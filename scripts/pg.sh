#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: Debian's `postgresql` package, initdb'd as the
# `postgres` user in a temporary folder, listening on 127.0.0.1 on a free random port.
#   eval "$(bash scripts/pg.sh start)"   # prints `export OBSERVA_TEST_POSTGRES=...` and PG_DIR
#   bash scripts/pg.sh stop              # stops the cluster named by $PG_DIR and removes it
# Installs `postgresql` with apt-get when its binaries are missing; exits non-zero if the cluster
# cannot start. Messages go to standard error, the exports to standard output.
set -euo pipefail

bindir() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if [ -z "$(bindir)" ]; then
        echo "== installing postgresql" >&2
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    fi
    local bin dir port
    bin=$(bindir)
    [ -n "$bin" ] || { echo "pg.sh: no PostgreSQL binaries under /usr/lib/postgresql" >&2; exit 1; }
    dir=$(mktemp -d /tmp/observa-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    # A free port: ask the kernel for one, then hand it to the server.
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c fsync=off" start >&2 \
        || { cat "$dir/server.log" >&2; exit 1; }
    echo "export PG_DIR=$dir"
    echo "export OBSERVA_TEST_POSTGRES=postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local dir="${1:-${PG_DIR:-}}"
    [ -n "$dir" ] && [ -d "$dir/data" ] || { echo "pg.sh stop: no cluster (set PG_DIR)" >&2; exit 0; }
    as_postgres "$(bindir)/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
    rm -rf "$dir"
}

case "${1:-}" in
    start) start ;;
    stop) stop "${2:-}" ;;
    *) echo "usage: pg.sh start | stop [DIR]" >&2; exit 2 ;;
esac
