#!/usr/bin/env bash
# Throughput of GET /api/v1/auth/me and the units list with wrk (2 threads, 64 connections,
# keep-alive), and the server's peak memory (VmHWM) under that load.
# usage: bench/foundation.sh [BIN] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/fazhi}
secs=${2:-10}
port=${BENCH_PORT:-18099}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" demo --data-dir "$dir" --password 'Bench#2026pw' >/dev/null
"$bin" serve --data-dir "$dir" --listen "127.0.0.1:$port" 2>/dev/null &
pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.05; done
cookie=$(curl -si -H 'Content-Type: application/json' \
    -d '{"username":"office","password":"Bench#2026pw"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" | sed -n 's/^Set-Cookie: \(fazhi_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
echo "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo); $(uname -r)"
printf '%-28s %12s %10s %10s %8s\n' endpoint requests/s p50 p99 errors
for path in /api/v1/auth/me "/api/v1/units?per_page=20" "/api/v1/people?per_page=20"; do
    out=$(wrk -t2 -c64 -d"${secs}s" --latency -H "Cookie: $cookie" "http://127.0.0.1:$port$path")
    rps=$(echo "$out" | awk '/Requests\/sec/{print $2}')
    p50=$(echo "$out" | awk '$1=="50%"{print $2}')
    p99=$(echo "$out" | awk '$1=="99%"{print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/{e=e" "$0} END{print (e==""?"0":e)}')
    printf '%-28s %12s %10s %10s %8s\n' "$path" "$rps" "$p50" "$p99" "$errs"
done
echo "peak RSS (VmHWM): $(awk '/VmHWM/{print $2, $3}' /proc/$pid/status)"
