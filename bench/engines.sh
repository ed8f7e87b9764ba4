#!/usr/bin/env bash
# Task list throughput on each storage engine, same data, same wrk settings, same run:
#   1. one server on SQLite
#   2. one server on PostgreSQL (a private server: scripts/pg-server, fsync on)
#   3. two servers on that one PostgreSQL database, wrk's two threads on one each
# The request: GET /api/v1/tasks?unit_id=U&per_page=20 signed in as office (the unit that leads
# the most tasks). The PostgreSQL database is `fazhi migrate --from` the SQLite one, so both hold
# the very same rows.
# usage: bench/engines.sh [BIN] [SECONDS]     env: BENCH_SCALE=district|city|demo (default district)
#        BENCH_CONNECTIONS (64), BENCH_THREADS (2: one per server in case 3)
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
if [ "$scale" = demo ]; then
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

login() { # PORT → cookie
    curl -si -H 'Content-Type: application/json' -d "{\"username\":\"office\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$1/api/v1/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(fazhi_session=[^;]*\).*/\1/p'
}
c_sqlite=$(login "$p_sqlite")
c_pg=$(login "$p_pg1") # sessions live in the database: valid on both PostgreSQL servers
[ -n "$c_sqlite" ] && [ -n "$c_pg" ] || { echo "login failed" >&2; exit 1; }
unit=$(sqlite3 "$dir/sqlite/fazhi.db" \
    "SELECT lead_unit_id FROM tasks GROUP BY lead_unit_id ORDER BY COUNT(*) DESC, lead_unit_id LIMIT 1")
path="/api/v1/tasks?unit_id=$unit&per_page=20"
n_tasks=$(sqlite3 "$dir/sqlite/fazhi.db" "SELECT COUNT(*) FROM tasks")
n_unit=$(curl -sf -H "Cookie: $c_pg" "http://127.0.0.1:$p_pg2$path" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')

# wrk: each thread connects to its own server (thread.addr), so "-t2 -c64" spreads 32 + 32
cat >"$dir/hosts.lua" <<'LUA'
local ports, n = {}, 0
for p in string.gmatch(os.getenv("BENCH_PORTS") or "", "%d+") do ports[#ports + 1] = p end
function setup(thread)
    n = n + 1
    thread.addr = wrk.lookup("127.0.0.1", ports[(n - 1) % #ports + 1])[1]
end
LUA
measure() { # LABEL COOKIE PORT...
    local label=$1 cookie=$2 out rps p50 p99 errs
    shift 2
    out=$(BENCH_PORTS="$*" wrk -t"$threads" -c"$conns" -d"${secs}s" --latency -s "$dir/hosts.lua" \
        -H "Cookie: $cookie" "http://127.0.0.1:$1$path")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{sub(/^ +/, ""); e=e (e==""?"":"; ") $0} END{print (e==""?"0":e)}')
    printf '| %-34s | %12s | %9s | %9s | %s |\n' "$label" "$rps" "$p50" "$p99" "$errs"
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r);" \
    "$(psql --version | awk '{print "PostgreSQL", $3}'), SQLite $(sqlite3 --version | awk '{print $1}')"
echo "data: demo --scale $scale ($n_tasks tasks); GET $path as office ($n_unit matching);" \
    "wrk -t$threads -c$conns -d${secs}s, everything on this machine"
echo
printf '| %-34s | %12s | %9s | %9s | %s |\n' setup requests/s p50 p99 errors
echo "|------------------------------------|-------------:|----------:|----------:|--------|"
measure "1 server, SQLite" "$c_sqlite" "$p_sqlite"
measure "1 server, PostgreSQL" "$c_pg" "$p_pg1"
measure "2 servers, one PostgreSQL database" "$c_pg" "$p_pg1" "$p_pg2"
