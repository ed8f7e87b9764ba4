-- bench/stats.lua — loaded into every wrk run of bench/run.sh: optional extra headers from the
-- environment (BENCH_COOKIE), and one machine-readable summary line at the end:
--   RESULT requests rps p50_ms p95_ms p99_ms errors non2xx
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
    wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
    local e = summary.errors
    local errors = e.connect + e.read + e.write + e.timeout
    local secs = summary.duration / 1e6
    io.write(string.format("RESULT %d %.1f %.2f %.2f %.2f %d %d\n", summary.requests,
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, errors, e.status))
end
