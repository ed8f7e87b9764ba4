#!/usr/bin/env bash
# 督办 measurements: throughput of the task list (20 rows, filtered by unit) with wrk (2 threads,
# 64 connections, keep-alive) as the office (scope all) and as clerk1 (scope own), and the time to
# export 10,000 tasks as XLSX. The tasks are inserted with the sqlite3 CLI into the demo data dir
# (lead 区司法局 for every other one, a co-unit each, spread over statuses and due dates) before
# the server starts.
# usage: bench/tasks.sh [BIN] [SECONDS] [TASKS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/fazhi}
secs=${2:-10}
ntasks=${3:-10000}
port=${BENCH_PORT:-18098}
pw='Bench#2026pw'
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$dir"' EXIT
"$bin" demo --data-dir "$dir" --password "$pw" >/dev/null
db="$dir/fazhi.db"
sfj=$(sqlite3 "$db" "SELECT id FROM units WHERE code = 'justice'")
t0=$(date +%s.%N)
sqlite3 -bail "$db" <<SQL
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $ntasks),
others(k, id) AS (SELECT ROW_NUMBER() OVER (ORDER BY id) - 1, id FROM units WHERE id <> $sfj AND active = 1)
INSERT INTO tasks (path, title, content, category, lead_unit_id, responsible, start_on, due_on, rhythm,
                   priority, status, progress, issued_at, created_at, updated_at)
SELECT '/', '压测任务 ' || i || ' 落实行政执法三项制度', '按照工作要点要求推进，第 ' || i || ' 项',
       CASE i % 3 WHEN 0 THEN '法治政府建设' WHEN 1 THEN '执法监督' ELSE '普法宣传' END,
       CASE WHEN i % 2 = 0 THEN $sfj ELSE (SELECT id FROM others WHERE k = i % (SELECT COUNT(*) FROM others)) END,
       '责任人' || (i % 50), date('now', '-30 days'), date('now', ((i % 240) - 40) || ' days'),
       CASE i % 3 WHEN 0 THEN 'monthly' WHEN 1 THEN 'quarterly' ELSE 'none' END,
       CASE i % 5 WHEN 0 THEN 'urgent' WHEN 1 THEN 'high' ELSE 'normal' END,
       CASE i % 10 WHEN 0 THEN 'draft' WHEN 1 THEN 'issued' WHEN 2 THEN 'closing' WHEN 3 THEN 'done' ELSE 'in_progress' END,
       (i * 7) % 100, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM n;
UPDATE tasks SET path = '/' || id || '/' WHERE path = '/';
INSERT OR IGNORE INTO task_units (task_id, unit_id, role, acknowledged_at)
SELECT id, lead_unit_id, 'lead', CASE WHEN status IN ('in_progress', 'closing', 'done') THEN issued_at END
FROM tasks WHERE title LIKE '压测任务 %';
INSERT OR IGNORE INTO task_units (task_id, unit_id, role)
SELECT t.id, CASE WHEN t.lead_unit_id = $sfj THEN (SELECT id FROM units WHERE code = 'chengguan') ELSE $sfj END, 'co'
FROM tasks t WHERE t.title LIKE '压测任务 %' AND t.id % 4 = 1;
INSERT INTO task_tags (task_id, tag) SELECT id, CASE id % 4 WHEN 0 THEN '重点' WHEN 1 THEN '年度' ELSE '专项' END
FROM tasks WHERE title LIKE '压测任务 %';
COMMIT;
ANALYZE;
SQL
t1=$(date +%s.%N)
total=$(sqlite3 "$db" "SELECT COUNT(*) FROM tasks")
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" 2>/dev/null &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
login() {
    curl -si -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/^Set-Cookie: \(fazhi_session=[^;]*\).*/\1/p'
}
office=$(login office)
clerk=$(login clerk1)
[ -n "$office" ] && [ -n "$clerk" ] || { echo "login failed" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -r)"
printf 'tasks in the database: %s (inserted %s in %s s)\n' "$total" "$ntasks" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b - a}')"
printf '%-52s %12s %10s %10s %8s\n' "endpoint (caller)" requests/s p50 p99 errors
run() {
    local who=$1 cookie=$2 path=$3 out rps p50 p99 errs
    out=$(wrk -t2 -c64 -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{e=e" "$0} END{print (e==""?"0":e)}')
    printf '%-52s %12s %10s %10s %8s\n' "$path ($who)" "$rps" "$p50" "$p99" "$errs"
}
run office "$office" "/api/v1/tasks?unit_id=$sfj&per_page=20"
run clerk1 "$clerk" "/api/v1/tasks?unit_id=$sfj&per_page=20"
run office "$office" "/api/v1/tasks?per_page=20"
# Export: every task in the office's scope (at most 50,000 rows), timed end to end by curl.
for i in 1 2 3; do
    curl -s -o "$dir/export.xlsx" -H "Cookie: $office" \
        -w "export.xlsx (office, all tasks) run $i: HTTP %{http_code}, %{size_download} bytes, %{time_total} s\n" \
        "http://127.0.0.1:$port/api/v1/tasks/export.xlsx"
done
rows=$(unzip -p "$dir/export.xlsx" xl/worksheets/sheet1.xml 2>/dev/null | grep -o '<row ' | wc -l || true)
echo "rows in the exported sheet (with the header): $rows"
curl -s -o /dev/null -H "Cookie: $clerk" \
    -w "export.xlsx (clerk1, own unit): HTTP %{http_code}, %{size_download} bytes, %{time_total} s\n" \
    "http://127.0.0.1:$port/api/v1/tasks/export.xlsx"
echo "peak RSS (VmHWM): $(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)"
