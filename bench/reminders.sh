#!/usr/bin/env bash
# bench/reminders.sh — the daily reminder job on the province data set (docs/performance.md).
#
# 1. `fazhi jobs run --force` under /usr/bin/time -v on a fresh copy of the data: CPU seconds,
#    peak RSS, the job's result line (notifications by kind, batches, the longest batch
#    transaction = the longest the job held the write lock) and the notifications per account.
# 2. The same copy reset (no job run, no notifications), then `fazhi serve`: how soon /healthz
#    answers, and /healthz and a sign-in (Argon2id + a session write) every 0.2 s while the
#    scheduler runs the job; the slowest of each and any answer that was not 200.
#
# Environment: BENCH_DATA (the province data dir, default build/bench-data/province, made and
# renewed weekly as bench/run.sh does: bench/data.sh; a dir given here is used as it is),
# BENCH_BIN (build/fazhi), BENCH_PASSWORD (the data set's password, default
# Bench#2026pw, as bench/run.sh generates it), BENCH_TMP (where the copy goes, default a
# temporary directory: it needs the data set's size free).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BENCH_BIN:-build/fazhi}
data=${BENCH_DATA:-build/bench-data/province}
pw=${BENCH_PASSWORD:-Bench#2026pw}

# shellcheck source=bench/data.sh
. bench/data.sh
if [ -z "${BENCH_DATA:-}" ]; then
    bench_data "$bin" province "$data" "$pw"
    echo "data set: $data, made on $BENCH_DATA_MADE ($BENCH_DATA_AGE days ago)"
elif [ ! -f "$data/fazhi.db" ]; then
    echo "bench: $data has no fazhi.db" >&2
    exit 1
else
    made=$(bench_data_made "$data")
    echo "data set: $data, made on ${made:-an unknown day (no $data/.complete)}"
fi
tmp=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/fazhi-reminders.XXXXXX")
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null && wait "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
copy=$tmp/data
mkdir -p "$copy"
sqlite3 "$data/fazhi.db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
cp "$data/fazhi.db" "$data/secret.key" "$copy/"
"$bin" migrate --data-dir "$copy" >/dev/null
# No reminders yet, and the daily jobs due whatever the hour (jobs.daily_hour 0).
reset() {
    sqlite3 "$copy/fazhi.db" "DELETE FROM deliveries; DELETE FROM notifications; DELETE FROM job_runs;
        INSERT INTO settings (key, value, updated_at) VALUES ('jobs.daily_hour', '0', '2026-01-01')
        ON CONFLICT (key) DO UPDATE SET value = '0'; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
}
reset
q() { sqlite3 "$copy/fazhi.db" "$1"; }
echo "data: $(q 'SELECT COUNT(*) FROM tasks') tasks, $(q "SELECT COUNT(*) FROM tasks WHERE status IN ('issued','in_progress','closing')") open, $(q 'SELECT COUNT(*) FROM users') accounts, today $(date -u -d '+8 hours' +%F) (UTC+8)"

# ---- 1. the job alone ----
/usr/bin/time -v "$bin" jobs run --force --job reminders --data-dir "$copy" >"$tmp/run.out" 2>"$tmp/run.err"
grep '^reminders ' "$tmp/run.out"
grep -o '"job reminders [^"]*held the write lock[^"]*' "$tmp/run.err" | sed 's/^"/  slow: /' || true
grep -E 'User time|System time|Elapsed|Maximum resident' "$tmp/run.err" | sed 's/^\s*/  /'
awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "  CPU: %.2f s (user + system)\n", u+s}' "$tmp/run.err"
echo "notifications: $(q 'SELECT COUNT(*) FROM notifications') in all; by kind:"
q "SELECT '  ' || kind || ' ' || COUNT(*) FROM notifications GROUP BY kind ORDER BY kind;"
echo "  per account: max $(q 'SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM notifications GROUP BY user_id)'), accounts reached $(q 'SELECT COUNT(DISTINCT user_id) FROM notifications')"
echo "  the office account: $(q "SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = 'office'")"

# ---- 2. fazhi serve while the scheduler runs the job ----
reset
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
t0=$(date +%s.%N)
"$bin" serve --data-dir "$copy" --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
srv=$!
until curl -sf -o /dev/null "$base/healthz"; do sleep 0.01; done
echo "serve: /healthz answered $(python3 -c "print(f'{$(date +%s.%N) - $t0:.3f}')") s after start"
login() {
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -m 30 -H 'Content-Type: application/json' \
        -d "{\"username\":\"clerk1\",\"password\":\"$pw\"}" "$base/api/v1/auth/login"
}
health_max=0 login_max=0 n=0 bad=0
while ! grep -q '"job reminders [0-9-]*: tasks=' "$tmp/serve.log"; do
    read -r hc ht < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -m 30 "$base/healthz")
    read -r lc lt < <(login)
    [ "$hc" = 200 ] && [ "$lc" = 200 ] || bad=$((bad + 1))
    health_max=$(python3 -c "print(max($health_max, $ht))")
    login_max=$(python3 -c "print(max($login_max, $lt))")
    n=$((n + 1))
    if [ $((n % 20)) = 0 ]; then echo "  … $n rounds, slowest sign-in ${login_max} s"; fi
    sleep 0.2
done
grep -o '"job reminders [^"]*' "$tmp/serve.log" | sed 's/^"/  scheduler: /'
echo "  while it ran: $n rounds of /healthz + sign-in; slowest /healthz ${health_max} s, slowest sign-in ${login_max} s; not 200: $bad"
idle=0
for _ in 1 2 3 4 5; do read -r _ lt < <(login); idle=$(python3 -c "print(max($idle, $lt))"); done
echo "  after it: slowest of 5 sign-ins ${idle} s"
