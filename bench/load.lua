-- wrk script of the bench. Arguments after `--`: the mode ("read" or "create") and, for "create",
-- a prefix that makes every created name unique. done() prints one JSON line with the figures.

local counter = 0

function setup(thread)
  thread:set("thread_number", tostring(math.random(1, 1000000000)))
end

function init(args)
  mode = args[1]
  prefix = args[2]
  if mode == "create" then
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
  end
end

function request()
  if mode ~= "create" then
    return wrk.format()
  end
  counter = counter + 1
  local body = string.format('{"name": "%s-%s-%d"}', prefix, thread_number, counter)
  return wrk.format(nil, nil, nil, body)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "failed": %d, "non_2xx": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    latency:percentile(50), latency:percentile(99)))
end
