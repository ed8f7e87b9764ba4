#!/usr/bin/env bash
# Attachments: upload and download one file of each size (MB, default 50 200 500; files.max_mb is
# raised to 500 for the run) through the API with curl, and report the time and the server's peak
# RSS growth of each (VmHWM after resetting it through /proc/PID/clear_refs). A first upload warms
# the worker's page cache (bounded, per connection), as any query would. One worker thread, so the
# same connection serves every request. Content is random (incompressible, like real files).
# usage: bench/files.sh [BIN] [SIZES...]     e.g. bench/files.sh build/fazhi 50 200
# On PostgreSQL: BENCH_DB=postgres://… (an empty database) bench/files.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/fazhi}
shift || true
sizes=${*:-50 200 500}
port=${BENCH_PORT:-18097}
pw='Bench#2026pw'
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && { kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; }; rm -rf "$dir"' EXIT
db=()
[ -n "${BENCH_DB:-}" ] && db=(--db "$BENCH_DB")
"$bin" demo --data-dir "$dir" --password "$pw" "${db[@]}" >/dev/null
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" --threads 1 "${db[@]}" 2>/dev/null &
pid=$!
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
login() { # USER → sets cookie and csrf
    local out
    out=$(curl -si -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$pw\"}" \
        "http://127.0.0.1:$port/api/v1/auth/login")
    cookie=$(echo "$out" | sed -n 's/^Set-Cookie: \(fazhi_session=[^;]*\).*/\1/p')
    csrf=$(echo "$out" | tail -n1 | jq -r .csrf_token)
    [ -n "$cookie" ] && [ -n "$csrf" ] || { echo "login $1 failed" >&2; exit 1; }
}
login sysadmin
version=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/settings" |
    jq '.items[] | select(.key == "files.max_mb") | .version')
curl -sf -X PUT -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
    -d "{\"value\":500,\"version\":$version}" "http://127.0.0.1:$port/api/v1/settings/files.max_mb" >/dev/null
login office
kb() { awk -v k="$1:" '$1==k{print $2}' "/proc/$pid/status"; }
reset_peak() { echo 5 >"/proc/$pid/clear_refs"; kb VmRSS; }
upload() { # FILE → attachment JSON
    curl -sf -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -F "file=@$1;filename=bench.pdf;type=application/pdf" \
        "http://127.0.0.1:$port/api/v1/files"
}
make_file() { { printf '%%PDF-1.7\n'; head -c $(($1 * 1048576 - 9)) /dev/urandom; } >"$2"; }
engine=sqlite
[ -n "${BENCH_DB:-}" ] && engine=postgresql
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); engine: $engine"
mb_of() { echo "x = $1 / 1024; if (x < 0) x = 0; x" | bc -l; }
make_file 50 "$dir/warm.pdf"
upload "$dir/warm.pdf" >/dev/null
printf '%8s %12s %16s %12s %16s %s\n' size upload_s upload_rss_MB download_s download_rss_MB bytes
for mb in $sizes; do
    make_file "$mb" "$dir/f.pdf"
    want=$(sha256sum "$dir/f.pdf" | cut -d' ' -f1)
    base=$(reset_peak)
    t0=$(date +%s.%N)
    id=$(upload "$dir/f.pdf" | jq -r .id)
    t1=$(date +%s.%N)
    up_rss=$(( $(kb VmHWM) - base ))
    base=$(reset_peak)
    t2=$(date +%s.%N)
    got=$(curl -sf -H "Cookie: $cookie" "http://127.0.0.1:$port/api/v1/files/$id" | sha256sum | cut -d' ' -f1)
    t3=$(date +%s.%N)
    down_rss=$(( $(kb VmHWM) - base ))
    [ "$got" = "$want" ] && same=same || same=DIFFERENT
    printf '%6sMB %12.2f %16.1f %12.2f %16.1f %s\n' "$mb" "$(echo "$t1 - $t0" | bc)" "$(mb_of "$up_rss")" \
        "$(echo "$t3 - $t2" | bc)" "$(mb_of "$down_rss")" "$same"
    rm -f "$dir/f.pdf"
done
