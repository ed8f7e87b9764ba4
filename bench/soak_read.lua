-- bench/soak_read.lua — the read half of the soak (bench/run.sh, BENCH_SOAK_SECS): each request
-- takes the next path of BENCH_SOAK_PATHS (space-separated), so the connection mix reads the
-- signed-in user, task lists, a task detail, its timeline and the dashboard counts in turn.
dofile(os.getenv("BENCH_DIR") .. "/stats.lua") -- cookie header and the RESULT line
local paths, i = {}, 0
for p in string.gmatch(os.getenv("BENCH_SOAK_PATHS") or "/healthz", "%S+") do
    table.insert(paths, p)
end
function request()
    i = i % #paths + 1
    return wrk.format("GET", paths[i])
end
