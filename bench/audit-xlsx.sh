#!/usr/bin/env bash
# The audit log's exports on a large log: ROWS records (default 1,000,000, a province's year) are
# inserted with the sqlite3 CLI into the demo data dir (audit_head moved after them: the chain is
# not verified here), then the auditor exports 100,000 of them (the cap) as XLSX and as CSV; each
# export runs in a fresh server so its peak RSS (VmHWM) is its own, next to the idle server's.
# usage: bench/audit-xlsx.sh [BIN] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/fazhi}
nrows=${2:-1000000}
port=${BENCH_PORT:-18099}
pw='Bench#2026pw'
dir=$(mktemp -d)
pid=
stop() { [ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; pid=; }
trap 'stop; rm -rf "$dir"' EXIT
"$bin" demo --data-dir "$dir" --password "$pw" >/dev/null
db="$dir/fazhi.db"
sqlite3 -bail "$db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $nrows)
INSERT INTO audit_log (seq, ts, actor_id, actor, role, unit_id, ip, request_id, action, object_type,
                       object_id, result, detail, hash_alg, prev_hash, hash)
SELECT (SELECT MAX(seq) FROM audit_log) + i, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (i % 86400) || ' seconds'),
       1, 'clerk' || (i % 300), 'clerk', 1, '10.0.' || (i % 250) || '.' || (i % 200), 'req-' || i,
       CASE i % 4 WHEN 0 THEN 'task.report' WHEN 1 THEN 'task.update' WHEN 2 THEN 'auth.login' ELSE 'file.upload' END,
       'task', '' || (i % 50000), 'ok',
       '{"note":"第' || i || '次报送：已按要求完成阶段性工作，附件已上传。","progress":' || (i % 100) || '}',
       'sha256-v1', '', ''
FROM n;
UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log);
COMMIT;
SQL
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -r)"
echo "audit records: $(sqlite3 "$db" 'SELECT COUNT(*) FROM audit_log')"
start() {
    "$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" 2>/dev/null &
    pid=$!
    for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
    cookie=$(curl -si -H 'Content-Type: application/json' -d "{\"username\":\"auditor\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/^Set-Cookie: \(fazhi_session=[^;]*\).*/\1/p')
    [ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
}
hwm() { awk '/VmHWM/{print $2}' /proc/$pid/status; }
for what in xlsx csv; do
    start
    idle=$(hwm)
    curl -s -o "$dir/export.$what" -H "Cookie: $cookie" \
        -w "export.$what: HTTP %{http_code}, %{size_download} bytes, %{time_total} s" \
        "http://127.0.0.1:$port/api/v1/audit/export.$what"
    echo "; peak RSS $(hwm) kB (idle server $idle kB)"
    stop
done
echo "rows in the XLSX sheet (with the header): $(unzip -p "$dir/export.xlsx" xl/worksheets/sheet1.xml | grep -o '<row ' | wc -l)"
echo "lines in the CSV (with the header): $(wc -l < "$dir/export.csv")"
