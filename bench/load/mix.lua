-- MASIP's mixed read/write load for wrk (bench/load.py writes the data file
-- and runs: wrk -s bench/load/mix.lua URL -- DATA_FILE THREADS).
--
-- wrk runs one Lua state per thread and does not say which connection a
-- request goes out on, so signed-in sessions are per thread, not per
-- connection: each thread takes every THREADS-th session of the data file
-- (no two threads share one) and sends each request with the next of its
-- sessions in turn. A thread holds several times as many sessions as it has
-- connections, so a session is hardly ever in two requests at once.

local data
local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  data = dofile(args[1])
  local nthreads = tonumber(args[2])
  mine = {}
  for i, session in ipairs(data.sessions) do
    if (i - 1) % nthreads == id - 1 then
      table.insert(mine, session)
    end
  end
  math.randomseed(7919 * id)
  turn = 0
  statuses = {}
  total_weight = 0
  for _, entry in ipairs(data.weights) do
    total_weight = total_weight + entry[2]
  end
end

local function pick(list)
  return list[math.random(#list)]
end

local function pick_kind()
  local r = math.random() * total_weight
  for _, entry in ipairs(data.weights) do
    r = r - entry[2]
    if r <= 0 then
      return entry[1]
    end
  end
  return data.weights[1][1]
end

function request()
  turn = turn % #mine + 1
  local session = mine[turn]
  local kind = pick_kind()
  local method, path, body = "GET", nil, nil
  if kind == "dashboard" then
    path = "/cases/mine/"
  elseif kind == "case_list" then
    path = pick(data.filters)
  elseif kind == "search" then
    path = "/cases/?search=" .. pick(session.searches)
  elseif kind == "search_post" then
    method, path, body = "POST", "/cases/", pick(session.search_bodies)
  else
    local refs = session.cases[kind]
    if refs == nil or #refs == 0 then
      kind, refs = "case", session.cases.case
    end
    path = string.gsub(data.paths[kind], "{ref}", pick(refs))
    if kind == "incident_record" then
      method, body = "POST", data.incident_body
    elseif kind == "note_add" then
      method, body = "POST", data.note_body
    end
  end
  local headers = {
    ["Host"] = data.host,
    ["Cookie"] = session.cookie,
    ["X-Forwarded-Proto"] = "https",
    ["User-Agent"] = "masip-load/wrk",
  }
  if method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["X-CSRFToken"] = session.csrf_token
    headers["Origin"] = data.origin
  end
  return wrk.format(method, path, headers, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'MASIP_LOAD {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean,
    table.concat(parts, ", ")))
end
