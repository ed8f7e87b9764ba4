#!/usr/bin/env bash
# make bench — fazhi against nginx serving static files of the same sizes, on the province data
# set (1,000 units, 20,000 users, 200,000 tasks, 1,000,000 reports, 5,000,000 audit records).
#
# For each endpoint: one answer is fetched and written as a static JSON file of the same size;
# wrk (2 threads, 64 connections, keep-alive, BENCH_SECS s, default 20) runs against nginx's
# copy, then against fazhi. Prints requests/s, p50/p95/p99, errors, fazhi/nginx and fazhi's
# peak RSS (VmHWM). Then times `fazhi audit verify` on the whole log.
#
# Environment: BENCH_SECS (20; BENCH_SMOKE=1 sets 3), BENCH_SCALE (province; district or city for
# a quick look), BENCH_DATA (build/bench-data/$BENCH_SCALE, generated with
# `fazhi demo --scale $BENCH_SCALE` and reused for a week: bench/data.sh), BENCH_DATA_MAX_DAYS (7),
# BENCH_BIN (build/fazhi), BENCH_ONLY (an extended regex: only the endpoints whose names match;
# skips audit verify and the soak), BENCH_SERVE_ARGS (more arguments for fazhi serve, e.g.
# --threads 8).
# tests/build/bench.test.mjs runs this in an empty directory (district data, healthz only).
# The report POSTs add timeline rows to the reused data set; that changes nothing measured.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BENCH_BIN:-build/fazhi}
scale=${BENCH_SCALE:-province}
data=${BENCH_DATA:-build/bench-data/$scale}
secs=${BENCH_SECS:-20}
[ -n "${BENCH_SMOKE:-}" ] && secs=${BENCH_SECS:-3}
pw='Bench#2026pw'
export BENCH_DIR=$PWD/bench

for tool in wrk nginx curl node; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (scripts/install-deps)" >&2; exit 1; }
done
# shellcheck source=bench/data.sh
. "$BENCH_DIR/data.sh"
bench_data "$bin" "$scale" "$data" "$pw"

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

# ---- fazhi ----
fport=$(free_port)
"$bin" serve --data-dir "$data" --listen "127.0.0.1:$fport" ${BENCH_SERVE_ARGS:-} 2>/dev/null &
fpid=$!
pids+=("$fpid")
up=""
deadline=$((SECONDS + 30))
while [ "$SECONDS" -lt "$deadline" ]; do
    curl -sf --max-time 2 "http://127.0.0.1:$fport/healthz" >/dev/null && { up=1; break; }
    kill -0 "$fpid" 2>/dev/null || break
    sleep 0.05
done
if [ -z "$up" ]; then
    kill -0 "$fpid" 2>/dev/null && state="does not answer /healthz within 30 s" || state="exited"
    echo "bench: fazhi serve --data-dir $data $state (its log: run it by hand)" >&2
    exit 1
fi
base="http://127.0.0.1:$fport"

login() { # user → "cookie<TAB>csrf"
    curl -si -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$pw\"}" \
        "$base/api/v1/auth/login" | node -e '
        const t = require("fs").readFileSync(0, "utf8");
        const c = /^Set-Cookie: (fazhi_session=[^;]*)/mi.exec(t);
        const j = JSON.parse(t.slice(t.indexOf("\r\n\r\n") + 4));
        if (!c || !j.csrf_token) process.exit(1);
        console.log(c[1] + "\t" + j.csrf_token);'
}
IFS=$'\t' read -r clerk_cookie clerk_csrf < <(login clerk1)
IFS=$'\t' read -r office_cookie _ < <(login office)
[ -n "$clerk_cookie" ] && [ -n "$office_cookie" ] || { echo "bench: sign-in failed" >&2; exit 1; }
unit=$(curl -sf -H "Cookie: $clerk_cookie" "$base/api/v1/auth/me" | node -e '
    const j = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log((j.user || j).unit_id)')

# Tasks for the report POSTs: in progress, led by clerk1's unit (acknowledged), with versions
# (read again before the soak: the report run moved them on).
load_tasks() {
    : >"$tmp/tasks.txt"
    for page in 1 2; do
        curl -sf -H "Cookie: $clerk_cookie" \
            "$base/api/v1/tasks?unit_id=$unit&status=in_progress&per_page=100&page=$page" |
            node -e '
            const j = JSON.parse(require("fs").readFileSync(0, "utf8"));
            for (const t of j.items) if (t.lead_unit_id === '"$unit"') console.log(t.id + " " + t.version);' \
            >>"$tmp/tasks.txt"
    done
}
load_tasks
ntasks=$(wc -l <"$tmp/tasks.txt")
[ "$ntasks" -ge 1 ] || { echo "bench: clerk1's unit leads no task in progress" >&2; exit 1; }
# The report POSTs need a pool larger than the connections (see bench/report.lua).
if [ -z "${BENCH_ONLY:-}" ] || [[ "report POST (clerk)" =~ $BENCH_ONLY ]]; then
    [ "$ntasks" -ge 96 ] || { echo "bench: only $ntasks tasks for the report POSTs ($scale data)" >&2; exit 1; }
fi
detail_id=$(head -1 "$tmp/tasks.txt" | cut -d' ' -f1)

# name | cookie | path | script
endpoints=(
    "healthz||/healthz|stats"
    "auth/me (clerk)|$clerk_cookie|/api/v1/auth/me|stats"
    "tasks list, unit filter (clerk)|$clerk_cookie|/api/v1/tasks?per_page=20&unit_id=$unit|stats"
    "tasks list, unit filter (office)|$office_cookie|/api/v1/tasks?per_page=20&unit_id=$unit|stats"
    "task detail (clerk)|$clerk_cookie|/api/v1/tasks/$detail_id|stats"
    "report POST (clerk)|$clerk_cookie|/api/v1/tasks/$detail_id/actions/report|report"
    "tasks/stats (office)|$office_cookie|/api/v1/tasks/stats|stats"
)

# ---- nginx: the same sizes, static ----
mkdir -p "$tmp/nginx/root" "$tmp/nginx/logs"
i=0
for e in "${endpoints[@]}"; do
    IFS='|' read -r name cookie path script <<<"$e"
    if [ "$script" = report ]; then # the answer to a report is the task row
        size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$base/api/v1/tasks/$detail_id")
    else
        size=$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "$base$path")
    fi
    head -c "$size" /dev/zero | tr '\0' ' ' >"$tmp/nginx/root/$i.json"
    echo "$size" >"$tmp/nginx/size.$i"
    i=$((i + 1))
done
nport=$(free_port)
cat >"$tmp/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $tmp/nginx/body;
    proxy_temp_path $tmp/nginx/proxy;
    fastcgi_temp_path $tmp/nginx/fastcgi;
    uwsgi_temp_path $tmp/nginx/uwsgi;
    scgi_temp_path $tmp/nginx/scgi;
    server {
        listen 127.0.0.1:$nport;
        root $tmp/nginx/root;
        default_type application/json;
        error_page 405 =200 \$uri; # POST to a static file answers it like GET
    }
}
CONF
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" &
pids+=("$!")
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$nport/0.json" >/dev/null && break; sleep 0.05; done

run_wrk() { # url script cookie [extra wrk args] → RESULT line fields
    local url=$1 script=$2 cookie=$3
    shift 3
    BENCH_COOKIE=$cookie BENCH_TASKS=$tmp/tasks.txt BENCH_CSRF=$clerk_csrf \
        wrk -t2 -c64 -d"${secs}s" --timeout 10s "$@" -s "bench/$script.lua" "$url" | awk '/^RESULT/{$1=""; print}'
}

drain() { # wait until fazhi has worked off requests wrk gave up on (CPU time stops growing)
    local a b
    for _ in $(seq 240); do
        a=$(awk '{print $14 + $15}' "/proc/$fpid/stat")
        sleep 0.5
        b=$(awk '{print $14 + $15}' "/proc/$fpid/stat")
        [ $((b - a)) -le 2 ] && return 0
    done
}

declare -A got_rps got_p95 got_p99 got_ratio got_err
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -r); wrk -t2 -c64 -d${secs}s keep-alive"
echo "data: $data ($(du -sh "$data" | cut -f1)), made on $BENCH_DATA_MADE ($BENCH_DATA_AGE days ago; remade after ${BENCH_DATA_MAX_DAYS:-7}); fazhi $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
printf '%-34s %7s | %9s %8s %8s %8s %6s | %9s %8s %8s | %6s %8s\n' endpoint bytes \
    'fazhi r/s' p50 p95 p99 errors 'nginx r/s' p50 p99 ratio 'VmHWM'
i=0
for e in "${endpoints[@]}"; do
    IFS='|' read -r name cookie path script <<<"$e"
    if [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]]; then i=$((i + 1)); continue; fi
    read -r _ nrps np50 _ np99 _ _ < <(run_wrk "http://127.0.0.1:$nport/$i.json" \
        "$([ "$script" = report ] && echo report || echo stats)" "")
    read -r _ frps fp50 fp95 fp99 ferr fnon2xx < <(run_wrk "$base$path" "$script" "$cookie")
    drain
    hwm=$(awk '/VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$fpid/status")
    ratio=$(awk -v a="$frps" -v b="$nrps" 'BEGIN{printf "%.2f", (b > 0 ? a / b : 0)}')
    printf '%-34s %7s | %9s %8s %8s %8s %6s | %9s %8s %8s | %6s %8s\n' "$name" \
        "$(cat "$tmp/nginx/size.$i")" "$frps" "${fp50}ms" "${fp95}ms" "${fp99}ms" \
        "$((ferr + fnon2xx))" "$nrps" "${np50}ms" "${np99}ms" "$ratio" "$hwm"
    got_rps[$name]=$frps got_p95[$name]=$fp95 got_p99[$name]=$fp99 got_ratio[$name]=$ratio
    got_err[$name]=$((ferr + fnon2xx))
    i=$((i + 1))
done
# The dashboard counts alone: one connection, the latency a user sees.
if [ -z "${BENCH_ONLY:-}" ] || [[ "tasks/stats" =~ $BENCH_ONLY ]]; then
read -r _ srps sp50 sp95 sp99 serr snon < <(BENCH_COOKIE=$office_cookie wrk -t1 -c1 -d"${secs}s" \
    --timeout 10s -s bench/stats.lua "$base/api/v1/tasks/stats" | awk '/^RESULT/{$1=""; print}')
echo "tasks/stats (office), 1 connection: $srps r/s, p50 ${sp50}ms, p95 ${sp95}ms, p99 ${sp99}ms, errors $((serr + snon))"
# Reads while reports are written (each report changes the tasks data version): 48 connections
# read, 16 post reports. The counts are made again at most a few times a second (see
# tasks_http.c); /auth/me beside them shows what the writes alone cost the readers.
mixed() { # LABEL COOKIE PATH
    load_tasks
    BENCH_COOKIE=$clerk_cookie BENCH_TASKS=$tmp/tasks.txt BENCH_CSRF=$clerk_csrf wrk -t1 -c16 \
        -d"${secs}s" --timeout 10s -s bench/report.lua \
        "$base/api/v1/tasks/$detail_id/actions/report" >"$tmp/mix-write.txt" &
    local mixpid=$!
    read -r _ mrps _ mp95 mp99 merr mnon < <(BENCH_COOKIE=$2 wrk -t1 -c48 -d"${secs}s" \
        --timeout 10s -s bench/stats.lua "$base$3" | awk '/^RESULT/{$1=""; print}')
    wait "$mixpid"
    read -r _ wrps _ _ wp99 werr wnon < <(awk '/^RESULT/{$1=""; print}' "$tmp/mix-write.txt")
    drain
    echo "$1, 48 connections while 16 post reports: $mrps r/s, p95 ${mp95}ms, p99 ${mp99}ms, errors $((merr + mnon)); reports $wrps r/s, p99 ${wp99}ms, errors $((werr + wnon))"
}
mixed "tasks/stats (office)" "$office_cookie" /api/v1/tasks/stats
got_p95[stats_mixed]=$mp95
mixed "auth/me (clerk)" "$clerk_cookie" /api/v1/auth/me
fi
echo "fazhi peak RSS (VmHWM) over the whole run: $(awk '/VmHWM/{printf "%.1f MB", $2/1024}' "/proc/$fpid/status")"

# The targets of issue 9 (docs/performance.md), against what this run measured.
target() { # LABEL NAME MIN_RPS MAX_P99_MS MAX_P95_MS
    local label=$1 name=$2 rps=${got_rps[$2]:-} p95=${got_p95[$2]:-} p99=${got_p99[$2]:-}
    [ -n "$rps$p95" ] || return 0
    awk -v l="$label" -v r="${rps:-0}" -v p95="${p95:-0}" -v p99="${p99:-0}" -v mr="$3" -v mp99="$4" \
        -v mp95="$5" -v ratio="${got_ratio[$2]:-}" -v err="${got_err[$2]:-0}" 'BEGIN {
        ok = err == 0 && (mr == "" || r >= mr) && (mp99 == "" || p99 <= mp99) && (mp95 == "" || p95 <= mp95)
        want = (mr != "" ? sprintf("≥ %d r/s", mr) : "") (mp99 != "" ? sprintf(", p99 ≤ %d ms", mp99) : "") \
            (mp95 != "" ? sprintf("p95 ≤ %d ms", mp95) : "")
        got = (mr != "" ? sprintf("%.0f r/s (%s× nginx)", r, ratio) : "") \
            (mp99 != "" ? sprintf(", p99 %.1f ms", p99) : "") (mp95 != "" ? sprintf("p95 %.1f ms", p95) : "")
        printf "  %-40s %-26s %-36s %s\n", l, want, got, ok ? "met" : "NOT MET" }'
}
echo "targets (issue 9, 64 connections):"
target "tasks list, unit filter (clerk)" "tasks list, unit filter (clerk)" 10000 20 ""
target "tasks list, unit filter (office)" "tasks list, unit filter (office)" 10000 20 ""
target "task detail (clerk)" "task detail (clerk)" 10000 "" ""
target "report POST (clerk), SQLite" "report POST (clerk)" 2000 "" ""
target "tasks/stats (office)" "tasks/stats (office)" "" "" 200
target "tasks/stats (office) while reports are posted" stats_mixed "" "" 200

# ---- soak (BENCH_SOAK_SECS, 600 in `make bench`): 64 connections of mixed reads and writes ----
# 48 connections read (me, lists, detail, timeline, stats in turn), 16 post progress reports.
# RSS and open descriptors are sampled every 10 s. Zero errors; descriptors back to where they
# were; RSS flat: over the second half of the run it grows by at most 2 % (the SQLite page caches
# of the worker connections fill towards their bound during the first half, a leak keeps growing).
soak=${BENCH_SOAK_SECS:-0}
if [ "$soak" -gt 0 ] && [ -z "${BENCH_ONLY:-}" ]; then
    echo "soak: ${soak} s, 48 connections reading + 16 posting reports"
    load_tasks
    fds0=$(ls "/proc/$fpid/fd" | wc -l)
    BENCH_COOKIE=$clerk_cookie BENCH_SOAK_PATHS="/api/v1/auth/me /api/v1/tasks?per_page=20&unit_id=$unit /api/v1/tasks/$detail_id /api/v1/tasks/$detail_id/timeline /api/v1/tasks/stats /api/v1/tasks?per_page=20" \
        wrk -t1 -c48 -d"${soak}s" --timeout 10s -s bench/soak_read.lua "$base/" >"$tmp/soak-read.txt" &
    rpid=$!
    BENCH_COOKIE=$clerk_cookie BENCH_TASKS=$tmp/tasks.txt BENCH_CSRF=$clerk_csrf \
        wrk -t1 -c16 -d"${soak}s" --timeout 10s -s bench/report.lua \
        "$base/api/v1/tasks/$detail_id/actions/report" >"$tmp/soak-write.txt" &
    wpid=$!
    : >"$tmp/soak-samples.txt"
    for ((s = 10; s <= soak; s += 10)); do
        sleep 10
        echo "$s $(awk '/VmRSS/{print $2}' "/proc/$fpid/status") $(ls "/proc/$fpid/fd" | wc -l)" \
            >>"$tmp/soak-samples.txt"
    done
    wait "$rpid" "$wpid"
    drain
    fds1=$(ls "/proc/$fpid/fd" | wc -l)
    read -r _ rrps _ rp95 rp99 rerr rnon < <(awk '/^RESULT/{$1=""; print}' "$tmp/soak-read.txt")
    read -r _ wrps _ wp95 wp99 werr wnon < <(awk '/^RESULT/{$1=""; print}' "$tmp/soak-write.txt")
    echo "soak reads:  $rrps r/s, p95 ${rp95}ms, p99 ${rp99}ms, errors $((rerr + rnon))"
    echo "soak writes: $wrps r/s, p95 ${wp95}ms, p99 ${wp99}ms, errors $((werr + wnon))"
    awk -v half="$((soak / 2 / 10 * 10))" -v fds0="$fds0" -v fds1="$fds1" \
        -v errs="$((rerr + rnon + werr + wnon))" '
        $1 == 60 { warm = $2 }
        $1 == half { mid = $2 }
        $1 >= half { if ($2 > max) max = $2 }
        { last = $2; if ($3 > fdmax) fdmax = $3 }
        END {
            growth = mid > 0 ? (max - mid) * 100 / mid : 0
            printf "soak RSS: %.1f MB at 60 s, %.1f MB at half time, max %.1f MB after it (%+.1f %%), %.1f MB at the end\n", warm / 1024, mid / 1024, max / 1024, growth, last / 1024
            printf "soak descriptors: %d before, at most %d during, %d after\n", fds0, fdmax, fds1
            ok = errs == 0 && growth <= 2 && fds1 <= fds0 + 2
            printf "soak: %s\n", ok ? "PASS (zero errors, RSS flat, no leaked descriptors)" : "FAIL"
        }' "$tmp/soak-samples.txt"
fi
kill "$fpid"
wait "$fpid" 2>/dev/null || true
[ -n "${BENCH_ONLY:-}" ] && exit 0

# ---- audit verify ----
t0=$(date +%s.%N)
out=$("$bin" audit verify --data-dir "$data")
t1=$(date +%s.%N)
n=$(echo "$out" | sed -n 's/.*intact: \([0-9]*\) records.*/\1/p')
awk -v n="${n:-0}" -v a="$t0" -v b="$t1" -v o="$out" \
    'BEGIN{printf "audit verify: %s in %.2f s = %.0f records/s\n", o, b - a, n / (b - a)}'
