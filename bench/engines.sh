#!/usr/bin/env bash
# The bench endpoints on each storage engine, same data, same wrk settings, same run:
#   1. one server on SQLite
#   2. one server on PostgreSQL (a private server: scripts/pg-server, fsync on)
#   3. two servers on that one PostgreSQL database, wrk's two threads on one each
# The requests, as bench/run.sh makes them (BENCH_ONLY: a regex of the endpoint names): /auth/me
# as clerk1, the 20-row task list of clerk1's unit as clerk1 (scope own) and as office (scope
# all), the detail of a task clerk1's unit leads, and the dashboard counts as office. The
# PostgreSQL database is `fazhi migrate --from` the SQLite one, so both hold the very same rows.
# usage: bench/engines.sh [BIN] [SECONDS]     env: BENCH_SCALE=district|city|demo (default district)
#        BENCH_CONNECTIONS (64), BENCH_THREADS (2: one per server in case 3), BENCH_ONLY (a regex
#        of endpoint names), BENCH_DATA (copy this SQLite data dir instead of generating one;
#        its accounts' password must be Bench#2026pw, as bench/run.sh makes them)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/fazhi}")
secs=${2:-10}
scale=${BENCH_SCALE:-district}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
pw='Bench#2026pw'
dir=$(mktemp -d "${TMPDIR:-/tmp}/fazhi-engines.XXXXXX")
chmod 755 "$dir" # PostgreSQL runs as the postgres user when we are root
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    scripts/pg-server stop "$dir/pg" >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "preparing: demo ($scale) on SQLite, private PostgreSQL, fazhi migrate --from … --to …" >&2
mkdir -p "$dir/sqlite" "$dir/pg1" "$dir/pg2"
if [ -n "${BENCH_DATA:-}" ]; then # an existing data set (e.g. the province one of bench/run.sh)
    cp "$BENCH_DATA/fazhi.db" "$BENCH_DATA/secret.key" "$dir/sqlite/"
    scale="$(basename "$BENCH_DATA") (BENCH_DATA)"
elif [ "$scale" = demo ]; then
    "$bin" demo --data-dir "$dir/sqlite" --password "$pw" >/dev/null
else
    "$bin" demo --data-dir "$dir/sqlite" --scale "$scale" --password "$pw" >/dev/null
fi
scripts/pg-server start "$dir/pg" >/dev/null || { cat "$dir"/pg/*.log >&2; exit 1; }
url=$(scripts/pg-server createdb "$dir/pg" bench)
"$bin" migrate --from "sqlite:$dir/sqlite/fazhi.db" --to "$url" >"$dir/migrate.log"
cp "$dir/sqlite/secret.key" "$dir/pg1/"
cp "$dir/sqlite/secret.key" "$dir/pg2/"

start() { # VAR DATA_DIR DB_URL: start a server, set VAR to its port
    local port
    port=$(free_port)
    "$bin" serve --data-dir "$2" --db "$3" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
    printf -v "$1" '%s' "$port"
}
start p_sqlite "$dir/sqlite" "sqlite:$dir/sqlite/fazhi.db"
start p_pg1 "$dir/pg1" "$url"
start p_pg2 "$dir/pg2" "$url"

login() { # PORT USER → cookie
    curl -si -H 'Content-Type: application/json' -d "{\"username\":\"$2\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$1/api/v1/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(fazhi_session=[^;]*\).*/\1/p'
}
# sessions live in the database: those made through pg1 are valid on pg2 too
co_sqlite=$(login "$p_sqlite" office)
cc_sqlite=$(login "$p_sqlite" clerk1)
co_pg=$(login "$p_pg1" office)
cc_pg=$(login "$p_pg1" clerk1)
[ -n "$co_sqlite" ] && [ -n "$cc_sqlite" ] && [ -n "$co_pg" ] && [ -n "$cc_pg" ] || { echo "login failed" >&2; exit 1; }
# clerk1's unit (as bench/run.sh): the list filter, and a task it leads for the detail
unit=$(sqlite3 "$dir/sqlite/fazhi.db" "SELECT unit_id FROM users WHERE username = 'clerk1'")
detail=$(sqlite3 "$dir/sqlite/fazhi.db" \
    "SELECT id FROM tasks WHERE lead_unit_id = $unit AND status = 'in_progress' ORDER BY id LIMIT 1")
list="/api/v1/tasks?per_page=20&unit_id=$unit"
n_tasks=$(sqlite3 "$dir/sqlite/fazhi.db" "SELECT COUNT(*) FROM tasks")
n_unit=$(curl -sf -H "Cookie: $co_pg" "http://127.0.0.1:$p_pg2$list" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# wrk: each thread connects to its own server (thread.addr), so "-t2 -c64" spreads 32 + 32
cat >"$dir/hosts.lua" <<'LUA'
local ports, n = {}, 0
for p in string.gmatch(os.getenv("BENCH_PORTS") or "", "%d+") do ports[#ports + 1] = p end
function setup(thread)
    n = n + 1
    thread.addr = wrk.lookup("127.0.0.1", ports[(n - 1) % #ports + 1])[1]
end
LUA
measure() { # SETUP ENDPOINT COOKIE PATH PORT...
    local setup=$1 label=$2 cookie=$3 path=$4 out rps p50 p99 errs
    shift 4
    out=$(BENCH_PORTS="$*" wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s --latency \
        -s "$dir/hosts.lua" -H "Cookie: $cookie" "http://127.0.0.1:$1$path")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{sub(/^ +/, ""); e=e (e==""?"":"; ") $0} END{print (e==""?"0":e)}')
    printf '| %-22s | %-32s | %10s | %9s | %9s | %s |\n' "$setup" "$label" "$rps" "$p50" "$p99" "$errs"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r);" \
    "$(psql --version | awk '{print "PostgreSQL", $3}'), SQLite $(sqlite3 --version | awk '{print $1}'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "data: demo --scale $scale ($n_tasks tasks); clerk1's unit $unit ($n_unit tasks); detail task $detail;" \
    "wrk -t$threads -c$conns -d${secs}s, everything on this machine"
echo
printf '| %-22s | %-32s | %10s | %9s | %9s | %s |\n' setup endpoint requests/s p50 p99 errors
echo "|------------------------|----------------------------------|-----------:|----------:|----------:|--------|"
for e in "auth/me (clerk)|c|/api/v1/auth/me" "tasks list, unit filter (clerk)|c|$list" \
    "tasks list, unit filter (office)|o|$list" "task detail (clerk)|c|/api/v1/tasks/$detail" \
    "tasks/stats (office)|o|/api/v1/tasks/stats"; do
    IFS='|' read -r label who path <<<"$e"
    if [ -n "${BENCH_ONLY:-}" ] && ! [[ $label =~ $BENCH_ONLY ]]; then continue; fi
    [ "$who" = c ] && { cs=$cc_sqlite; cp=$cc_pg; } || { cs=$co_sqlite; cp=$co_pg; }
    measure "1 server, SQLite" "$label" "$cs" "$path" "$p_sqlite"
    measure "1 server, PostgreSQL" "$label" "$cp" "$path" "$p_pg1"
    measure "2 servers, one PG" "$label" "$cp" "$path" "$p_pg1" "$p_pg2"
done
