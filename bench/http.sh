#!/usr/bin/env bash
# HTTP benchmark of Observa's State profile page and its API twin, with nginx serving static
# copies of the same bytes as the ceiling. Loopback only; everything it starts is stopped on exit.
#
#   bench/http.sh                 # build release, then run everything (about 2.5 minutes + build)
#   SKIP_BUILD=1 bench/http.sh    # reuse target/release/observa
#
# Environment (defaults in brackets):
#   DURATION [15s]  wrk duration per measured run      WARMUP [2s]  unmeasured wrk run before each
#   CONNECTIONS [32] THREADS [2]  wrk parameters       STATE [CL]   which State profile
#   LOG_RUN [1]     also measure Observa with its default request logging (to a file)
#   SKIP_BUILD [0]  do not run `cargo build --release -p observa`
#   KEEP [0]        keep the temporary folder (databases, logs, raw wrk output) and print its path
#   RESULTS []      also write the summary table to this file
#   QUIET_WAIT [0]  on a shared machine: wait up to this many seconds before each measured run
#   QUIET_MAX [25]  until the other processes' CPU use is at most this (% of one core)
#   DB_URL []       serve from this database (e.g. postgres://postgres@127.0.0.1:PORT/bench, empty:
#                   seeded at the first start) instead of a new SQLite file; use with LOG_RUN=0
#
# Targets (issue): >= 5000 requests/s at 32 connections, p99 < 25 ms, server RSS < 150 MB.
# wrk runs on the same machine as the server and competes with it for the same cores.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
STATE=${STATE:-CL}
LOG_RUN=${LOG_RUN:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP=${KEEP:-0}
RESULTS=${RESULTS:-}
QUIET_WAIT=${QUIET_WAIT:-0}
QUIET_MAX=${QUIET_MAX:-25}
PAGE="/en/states/$STATE"
API="/api/v1/states/$STATE"
TARGET_RPS=5000
TARGET_P99_MS=25
TARGET_RSS_MB=150

for tool in wrk nginx curl awk; do
    command -v "$tool" >/dev/null || {
        echo "bench/http.sh: '$tool' is missing (apt-get install -y wrk nginx curl)" >&2
        exit 2
    }
done

WORK=$(mktemp -d /tmp/observa-bench.XXXXXX)
PIDS=()

# Stops exactly the processes this script started (by PID), then removes the temporary folder.
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ "$KEEP" = 1 ]; then
        echo "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop() { # stop PID: TERM, wait up to 5 s, then KILL; forget it
    local pid=$1 keep=() p
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
    PIDS=("${keep[@]+"${keep[@]}"}")
}

seconds() { # 15s, 2m, 500ms -> seconds (float)
    awk -v d="$1" 'BEGIN {
        n = d + 0; u = d; sub(/^[0-9.]+/, "", u)
        if (u == "ms") n /= 1000; else if (u == "m") n *= 60; else if (u == "h") n *= 3600
        print n }'
}

# CPU ticks (user + system) of a process and its direct children (nginx workers).
cpu_ticks() {
    local total=0 pid
    for pid in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        [ -r /proc/"$pid"/stat ] || continue
        total=$((total + $(awk '{print $14 + $15}' /proc/"$pid"/stat)))
    done
    echo "$total"
}

# Busy and total ticks of the whole machine (all cores), from /proc/stat.
machine_ticks() {
    awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}

# "<VmHWM MB> <VmRSS MB>" of a process, summed with its direct children.
memory_mb() {
    local pid hwm=0 rss=0
    for pid in "$1" $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        [ -r /proc/"$pid"/status ] || continue
        hwm=$((hwm + $(awk '/^VmHWM:/ {print $2}' /proc/"$pid"/status)))
        rss=$((rss + $(awk '/^VmRSS:/ {print $2}' /proc/"$pid"/status)))
    done
    awk -v h="$hwm" -v r="$rss" 'BEGIN { printf "%.1f %.1f\n", h / 1024, r / 1024 }'
}

free_port() {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 40000))
        if [ -z "$(ss -Htln "sport = :$port" 2>/dev/null)" ]; then
            echo "$port"
            return
        fi
    done
    echo "bench/http.sh: no free port found" >&2
    exit 1
}

wait_http() { # wait_http URL PID: until URL answers 200 (60 s at most, and while PID lives)
    for _ in $(seq 600); do
        kill -0 "$2" 2>/dev/null || { echo "server (pid $2) exited" >&2; return 1; }
        [ "$(curl -s -o /dev/null -w '%{http_code}' "$1" || true)" = 200 ] && return 0
        sleep 0.1
    done
    echo "timed out waiting for $1" >&2
    return 1
}

OBSERVA_PID=""
OBSERVA_URL=""
start_observa() { # start_observa NAME warn|default
    local name=$1 mode=$2 out="$WORK/$1.out" line
    local -a envs=(-u OBSERVA_LOG -u OBSERVA_DB -u OBSERVA_ADDR)
    [ "$mode" = warn ] && envs+=(OBSERVA_LOG=warn)
    # Port 0: the kernel picks a free port and Observa prints the address it bound.
    # DB_URL (a postgres:// URL of an empty database) measures the PostgreSQL engine instead.
    env "${envs[@]}" "$BIN" --db "${DB_URL:-$WORK/$name.db}" serve --addr 127.0.0.1:0 \
        >"$out" 2>"$WORK/$name.err" &
    OBSERVA_PID=$!
    PIDS+=("$OBSERVA_PID")
    for _ in $(seq 1200); do
        line=$(grep -m1 -o 'http://127\.0\.0\.1:[0-9]*' "$out" 2>/dev/null || true)
        [ -n "$line" ] && break
        kill -0 "$OBSERVA_PID" 2>/dev/null || { cat "$WORK/$name.err" >&2; exit 1; }
        sleep 0.1
    done
    [ -n "$line" ] || { echo "Observa did not start" >&2; exit 1; }
    OBSERVA_URL=$line
    wait_http "$OBSERVA_URL$PAGE" "$OBSERVA_PID"
}

ROWS=()
# measure LABEL URL PID: one unmeasured warm-up, one measured wrk run; appends a summary row.
measure() {
    local label=$1 url=$2 pid=$3 raw="$WORK/wrk-${#ROWS[@]}.txt" t0 t1 m0 m1 wrk_cpu background
    local secs timeout_s
    secs=$(seconds "$DURATION")
    timeout_s=$(awk -v s="$secs" -v w="$(seconds "$WARMUP")" 'BEGIN { printf "%d", s + w + 30 }')
    echo "--- $label: $url"
    # What the rest of the machine is doing with none of our load: one second before the run
    # (with QUIET_WAIT, sampled again until it is at most QUIET_MAX or the wait is over).
    local waited=0
    while :; do
        m0=$(machine_ticks)
        sleep 1
        m1=$(machine_ticks)
        background=$(awk -v a="$m0" -v b="$m1" -v cores="$(nproc)" 'BEGIN {
            split(a, x, " "); split(b, y, " ")
            printf "%.0f", (y[2] > x[2]) ? 100 * cores * (y[1] - x[1]) / (y[2] - x[2]) : 0 }')
        waited=$((waited + 1))
        [ "$background" -le "$QUIET_MAX" ] || [ "$waited" -ge "$QUIET_WAIT" ] && break
    done
    [ "$waited" -gt 1 ] && echo "waited ${waited}s for a quiet machine (background now $background%)"
    timeout "$timeout_s" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" >/dev/null
    t0=$(cpu_ticks "$pid")
    m0=$(machine_ticks)
    local TIMEFORMAT='%U %S'
    { time timeout "$timeout_s" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" >"$raw"; } 2>"$raw.time"
    t1=$(cpu_ticks "$pid")
    m1=$(machine_ticks)
    wrk_cpu=$(awk '{ print $1 + $2 }' "$raw.time")
    cat "$raw"
    local mem
    mem=$(memory_mb "$pid")
    echo "memory after load (VmHWM VmRSS, MB): $mem"
    ROWS+=("$(awk -v label="$label" -v mem="$mem" -v ticks=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" \
        -v secs="$secs" -v wcpu="$wrk_cpu" -v background="$background" -v m0="$m0" -v m1="$m1" -v cores="$(nproc)" '
        function ms(x,   n, u) {
            n = x + 0; u = x; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000; if (u == "s") return n * 1000
            if (u == "m") return n * 60000; return n
        }
        $1 == "Latency" && !max { max = ms($4) }
        $1 == "50%" { p50 = ms($2) } $1 == "90%" { p90 = ms($2) } $1 == "99%" { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        / requests in / { total = $1 }
        /Non-2xx or 3xx responses:/ { bad = $NF }
        /Socket errors:/ { errs = $0; sub(/.*Socket errors: */, "", errs); gsub(/ /, "", errs) }
        END {
            split(mem, m, " "); split(m0, a, " "); split(m1, b, " ")
            busy = (b[2] > a[2]) ? 100 * cores * (b[1] - a[1]) / (b[2] - a[2]) : 0
            printf "| %s | %.0f | %.2f | %.2f | %.2f | %.2f | %d | %s | %.0f%% | %.3f | %.0f%% | %.0f%% | %s%% | %s | %s |\n",
                label, rps, p50, p90, p99, max, total, (bad ? bad : 0) (errs ? " (" errs ")" : ""),
                100 * ticks / hz / secs, (total ? 1000 * ticks / hz / total : 0),
                100 * wcpu / secs, busy, background, m[1], m[2]
        }' "$raw")")
}

HEADER='| run | req/s | p50 ms | p90 ms | p99 ms | max ms | requests | non-2xx | server CPU | server CPU ms/req | wrk CPU | machine busy | background | VmHWM MB | VmRSS MB |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'

# --- build -------------------------------------------------------------------------------------
if [ "$SKIP_BUILD" != 1 ]; then
    (cd "$ROOT" && cargo build --release -p observa)
fi
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/observa"
[ -x "$BIN" ] || { echo "missing $BIN (run without SKIP_BUILD=1)" >&2; exit 1; }

echo "machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)," \
    "$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up); State $STATE"
echo "commit: $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# --- Observa, request logging off (OBSERVA_LOG=warn) -------------------------------------------
start_observa quiet warn
echo "Observa (OBSERVA_LOG=warn) on $OBSERVA_URL, pid $OBSERVA_PID"
echo "memory before load (VmHWM VmRSS, MB): $(memory_mb "$OBSERVA_PID")"
for path in "$PAGE" "$API"; do
    curl -s -D - -o /dev/null "$OBSERVA_URL$path" | tr -d '\r' | grep -iE '^(HTTP|content-(type|length|encoding))' | sed "s|^|  $path: |"
done

# The static copies for nginx, byte for byte what Observa sends.
mkdir -p "$WORK/nginx/static${PAGE%/*}" "$WORK/nginx/static${API%/*}" "$WORK/nginx/tmp"
curl -sf -o "$WORK/nginx/static$PAGE" "$OBSERVA_URL$PAGE"
curl -sf -o "$WORK/nginx/static$API" "$OBSERVA_URL$API"
PAGE_BYTES=$(wc -c <"$WORK/nginx/static$PAGE")
API_BYTES=$(wc -c <"$WORK/nginx/static$API")

measure "Observa page $PAGE (log=warn)" "$OBSERVA_URL$PAGE" "$OBSERVA_PID"
measure "Observa API $API (log=warn)" "$OBSERVA_URL$API" "$OBSERVA_PID"
stop "$OBSERVA_PID"

# --- Observa, default logging (one INFO line per request, written to a file) --------------------
if [ "$LOG_RUN" = 1 ]; then
    start_observa logged default
    echo "Observa (default logging) on $OBSERVA_URL, pid $OBSERVA_PID"
    measure "Observa page $PAGE (default log)" "$OBSERVA_URL$PAGE" "$OBSERVA_PID"
    measure "Observa API $API (default log)" "$OBSERVA_URL$API" "$OBSERVA_PID"
    stop "$OBSERVA_PID"
    LOG_LINES=$(wc -l <"$WORK/logged.out")
    LOG_MB=$(awk -v b="$(wc -c <"$WORK/logged.out")" 'BEGIN { printf "%.0f", b / 1048576 }')
    echo "request log: $LOG_LINES lines, $LOG_MB MB"
fi

# --- nginx serving the static copies -------------------------------------------------------------
NGINX_PORT=$(free_port)
sed "s/__PORT__/$NGINX_PORT/" "$ROOT/bench/nginx.conf" >"$WORK/nginx/nginx.conf"
# nginx workers may run as an unprivileged user: let them read the copies.
chmod -R a+rX "$WORK"
nginx -t -q -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e stderr
nginx -p "$WORK/nginx/" -c "$WORK/nginx/nginx.conf" -e stderr 2>"$WORK/nginx/error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
wait_http "$NGINX_URL$PAGE" "$NGINX_PID"
cmp -s <(curl -s "$NGINX_URL$PAGE") "$WORK/nginx/static$PAGE" || { echo "nginx serves other bytes" >&2; exit 1; }
echo "nginx on $NGINX_URL, master pid $NGINX_PID"
measure "nginx static page" "$NGINX_URL$PAGE" "$NGINX_PID"
measure "nginx static API" "$NGINX_URL$API" "$NGINX_PID"
stop "$NGINX_PID"

# --- summary ------------------------------------------------------------------------------------
{
    echo
    echo "## HTTP summary: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, loopback, $(nproc) cores shared by wrk and server"
    echo "Response bodies: page $PAGE_BYTES bytes, API $API_BYTES bytes (no compression)."
    echo "CPU columns: share of one core over the run ($(( $(nproc) * 100 ))% = every core); 'machine busy' counts every process"
    echo "and kernel time on the machine (loopback networking, and anything else running); 'background': the machine's"
    echo "busy share during one second before the run, with none of our load. 'server CPU ms/req': the server's"
    echo "user+system CPU time per request, which other load on the machine hardly changes. Memory: after the run;"
    echo "nginx = master + workers."
    echo
    echo "$HEADER"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "Targets for Observa: >= $TARGET_RPS req/s, p99 < $TARGET_P99_MS ms, RSS < $TARGET_RSS_MB MB."
    printf '%s\n' "${ROWS[@]}" | grep '^| Observa' | awk -F'|' -v r="$TARGET_RPS" -v p="$TARGET_P99_MS" -v m="$TARGET_RSS_MB" '{
        gsub(/^ +| +$/, "", $2)
        printf "  %-42s req/s %s  p99 %s  RSS %s\n", $2,
            ($3 + 0 >= r ? "ok  " : "MISS"), ($6 + 0 < p ? "ok  " : "MISS"), ($15 + 0 < m ? "ok" : "MISS")
    }'
    if [ "$LOG_RUN" = 1 ]; then
        echo "Default-logging run wrote $LOG_LINES log lines ($LOG_MB MB)."
    fi
} | tee ${RESULTS:+"$RESULTS"}
