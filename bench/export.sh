#!/usr/bin/env bash
# The office's Excel export (GET /api/v1/tasks/export.xlsx: every task in scope, at most 50,000
# rows) on a scale data set: time and the server's peak RSS growth during the export (VmHWM
# after resetting it through /proc/PID/clear_refs), three runs, and the rows in the sheet.
# usage: bench/export.sh [BIN] [DATA_DIR]
#   DATA_DIR: a `fazhi demo --scale city` data dir (default build/bench-data/city, made and
#   renewed weekly as bench/run.sh does: bench/data.sh); the server runs on a copy of it.
#   BENCH_PASSWORD: its password (Bench#2026pw).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/fazhi}
data=${2:-}
pw=${BENCH_PASSWORD:-Bench#2026pw}
port=${BENCH_PORT:-18096}
# shellcheck source=bench/data.sh
. bench/data.sh
if [ -z "$data" ]; then
    data=build/bench-data/city
    bench_data "$bin" city "$data" "$pw"
fi
made=$(bench_data_made "$data")
echo "data set: $data, made on ${made:-an unknown day (no .complete)}"
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$dir"' EXIT
sqlite3 "$data/fazhi.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$data/fazhi.db" "$data/secret.key" "$dir/"
"$bin" migrate --data-dir "$dir" >/dev/null
sqlite3 "$dir/fazhi.db" "INSERT INTO settings (key, value, updated_at) VALUES ('jobs.daily_hour', '23', '2026-01-01')
    ON CONFLICT (key) DO UPDATE SET value = '23';" # keep the daily jobs out of the measurement
kb() { awk -v k="$1:" '$1==k{print $2}' "/proc/$pid/status"; }
echo "machine: $(nproc) cores; tasks: $(sqlite3 "$dir/fazhi.db" 'SELECT COUNT(*) FROM tasks')"
# Each run on a fresh server (freed memory stays with the process: a second export in the same
# process reuses it and shows no growth), after a task list query has filled the connection's
# page cache (bounded, 16 MB).
for i in 1 2 3; do
    "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" --threads 1 2>/dev/null &
    pid=$!
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
    cookie=$(curl -si -H 'Content-Type: application/json' -d "{\"username\":\"office\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/^Set-Cookie: \(fazhi_session=[^;]*\).*/\1/p')
    [ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
    for p in 1 2 3 4 5; do curl -sf -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/tasks?per_page=200&page=$p"; done
    echo 5 >"/proc/$pid/clear_refs"
    base=$(kb VmRSS)
    curl -s -o "$dir/export.xlsx" -H "Cookie: $cookie" \
        -w "export $i: HTTP %{http_code}, %{size_download} bytes, %{time_total} s" \
        "http://127.0.0.1:$port/api/v1/tasks/export.xlsx"
    echo ", RSS before ${base} kB, peak RSS growth $(( ($(kb VmHWM) - base) / 1024 )) MB"
    kill $pid
    wait $pid 2>/dev/null || true
    pid=
done
rows=$(unzip -p "$dir/export.xlsx" xl/worksheets/sheet1.xml 2>/dev/null | grep -o '<row ' | wc -l || true)
echo "rows in the sheet (with the header): $rows"
