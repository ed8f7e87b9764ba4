-- bench/report.lua — POST /api/v1/tasks/:id/actions/report under wrk.
--
-- Every action names the task version it read (stale → 409), so the script keeps, per wrk
-- thread, a pool of tasks (lines "id version" in $BENCH_TASKS, split between the threads) and
-- never has two requests in flight for one task: request() takes the next idle task, response()
-- reads the task's id and new version from the answer (the fresh task row) and frees it. A
-- pool larger than the connections per thread keeps every connection busy. An answer that is
-- not 200 (counted by wrk as non-2xx) cannot be matched to its task: the oldest task in flight
-- is freed instead, and a task in flight for more than 5 s is taken again.
local stats = dofile(os.getenv("BENCH_DIR") .. "/stats.lua")
local threads = {}
local counter = 0

function setup(thread)
    thread:set("index", counter)
    counter = counter + 1
    table.insert(threads, thread)
end

local ids, versions, busy = {}, {}, {}
local next_i = 1
local queue, head, tail = {}, 1, 0 -- ids in the order they were sent
local csrf = os.getenv("BENCH_CSRF")

function init(args)
    local n = 0
    for line in io.lines(os.getenv("BENCH_TASKS")) do
        local id, version = line:match("^(%d+) (%d+)$")
        if id and n % 2 == index then
            table.insert(ids, id)
            versions[id] = tonumber(version)
        end
        n = n + 1
    end
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["X-CSRF-Token"] = csrf
end

function request()
    local now = os.time()
    for _ = 1, #ids do
        local id = ids[next_i]
        next_i = next_i % #ids + 1
        if not busy[id] or now - busy[id] > 5 then
            busy[id] = now
            tail = tail + 1
            queue[tail] = id
            local body = string.format('{"version":%d,"progress":%d,"note":"%s"}', versions[id],
                versions[id] % 90 + 5, "本期按计划推进，已完成阶段性目标。")
            return wrk.format(nil, "/api/v1/tasks/" .. id .. "/actions/report", nil, body)
        end
    end
    error("every task is in flight: make the pool larger than the connections per thread")
end

function response(status, headers, body)
    local id = status == 200 and body:match('^{"id":(%d+)')
    local version = id and body:match('"version":(%d+)')
    if id and version and versions[id] then
        versions[id] = tonumber(version)
        busy[id] = nil
        return
    end
    -- An answer without the task (an error, or nginx's static copy): free the oldest task in
    -- flight, which is the likeliest to be the one answered.
    while head <= tail do
        local oldest = queue[head]
        queue[head] = nil
        head = head + 1
        if busy[oldest] then
            busy[oldest] = nil
            return
        end
    end
end
