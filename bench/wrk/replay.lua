-- Replays prepared requests with wrk, so no scenario is measured on one hot row.
--
-- BENCH_REQUESTS names a file with one request per line, tab-separated:
--   POST<TAB>/path<TAB>{"query": …, "variables": …}
--   GET<TAB>/path?query=…&variables=…
-- Every wrk thread starts at its own offset and walks the lines round-robin (the file is shuffled by
-- prepare.py), so the key changes with every request.
-- BENCH_OUT names a JSON file that done() writes the summary and latency percentiles (microseconds) to.

local requests = {}
local next_index = 1
local thread_counter = 0

local function load(path)
  local lines = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if #line > 0 then
      table.insert(lines, line)
    end
  end
  f:close()
  return lines
end

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("thread_number", thread_counter)
end

function init(args)
  local lines = load(os.getenv("BENCH_REQUESTS"))
  for _, line in ipairs(lines) do
    local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
    local headers = {}
    if method == "POST" then
      headers["Content-Type"] = "application/json"
      headers["Accept"] = "application/json"
    else
      headers["Accept"] = "application/graphql-response+json"
      body = nil
    end
    table.insert(requests, wrk.format(method, path, headers, body))
  end
  local n = thread_number or 1
  next_index = ((n - 1) * 7919) % #requests + 1
end

function request()
  local req = requests[next_index]
  next_index = next_index + 1
  if next_index > #requests then
    next_index = 1
  end
  return req
end

function done(summary, latency, requests_stats)
  local out = os.getenv("BENCH_OUT")
  if not out then
    return
  end
  local e = summary.errors
  local f = assert(io.open(out, "w"))
  f:write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
  f:close()
end
