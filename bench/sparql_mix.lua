-- wrk script for bench/sparql_endpoint.py: POST application/sparql-query requests rotating over query files.
--   wrk -t2 -c4 -d10s -s bench/sparql_mix.lua http://127.0.0.1:PORT -- /sparql MAX_PER_THREAD a.rq b.rq ...
-- MAX_PER_THREAD (0 = no limit) stops a thread after that many responses, so a slow server's run stays short.
-- done() prints one line "RESULT {json}" that the driver reads.

local threads = {}
local bodies, path, limit = {}, "/sparql", 0
local counter, responses, bad = 0, 0, 0

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   path = args[1]
   limit = tonumber(args[2])
   for i = 3, #args do
      local f = assert(io.open(args[i], "rb"))
      table.insert(bodies, f:read("*a"))
      f:close()
   end
   counter = id  -- threads start at different queries
end

function request()
   counter = counter + 1
   local body = bodies[(counter % #bodies) + 1]
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/sparql-query",
      ["Accept"] = "application/sparql-results+json",
   }, body)
end

function response(status, headers, body)
   responses = responses + 1
   if status ~= 200 then bad = bad + 1 end
   if limit > 0 and responses >= limit then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local non200 = 0
   for _, t in ipairs(threads) do non200 = non200 + (t:get("bad") or 0) end
   local e = summary.errors
   io.write(string.format(
      'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
      '"max_us": %d, "mean_us": %.1f, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, "non200": %d}\n',
      summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout, non200))
end
