-- Quick check of POST /v1/rank with wrk (closed loop: as fast as the connections allow; use Gatling
-- through ../run.sh for fixed-rate, open-model numbers).
--   wrk -t2 -c16 -d30s --latency -s load-tests/wrk/rank.lua http://127.0.0.1:8080
-- Requests alternate between search queries from the demo catalog's vocabulary and feed requests.
-- Refuses to run against anything but a loopback address.

local queries = {
  "running shoes", "trail runners", "rain jacket", "down jacket", "gaming laptop", "ultrabook",
  "wireless headphones", "noise cancelling headphones", "earbuds", "espresso beans", "dark roast coffee",
  "espresso machine", "french press", "laptop backpack", "smartphone", "yoga mat", "cast iron dutch oven",
  "smartwatch", "fitness tracker", "camping tent", "cookbook", "mirrorless camera", "board game",
  "sunscreen", "mountain bike", "e-bike", "green tea", "matcha powder"
}
local devices = { "mobile", "desktop", "tablet" }

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

function setup(thread)
  local addr = tostring(thread.addr)
  if not (addr:match("^127%.") or addr:match("^%[::1%]") or addr:match("^::1")) then
    io.stderr:write("rank.lua: refusing to load " .. addr .. ": load tests only run against this machine\n")
    os.exit(2)
  end
end

local counter = 0
local non2xx = 0

function init(args)
  math.randomseed(os.time() + counter)
end

function request()
  counter = counter + 1
  local user = "u" .. math.random(0, 999)
  local body
  if counter % 2 == 0 then
    local q = queries[math.random(#queries)]
    body = string.format('{"surface":"search","userId":"%s","query":"%s","limit":10}', user, q)
  else
    local d = devices[math.random(#devices)]
    body = string.format('{"surface":"feed","userId":"%s","context":{"device":"%s"},"limit":20}', user, d)
  end
  return wrk.format(nil, "/v1/rank", nil, body)
end

function response(status, headers, body)
  if status ~= 200 then
    non2xx = non2xx + 1
    if non2xx <= 3 then
      io.stderr:write("rank.lua: HTTP " .. status .. ": " .. string.sub(body or "", 1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("requests %d in %.1fs = %.1f req/s, errors: connect %d read %d write %d timeout %d status %d\n",
    summary.requests, s, summary.requests / s, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout, summary.errors.status))
  for _, p in ipairs({ 50, 90, 95, 99, 99.9 }) do
    io.write(string.format("p%-5s %8.2f ms\n", tostring(p), latency:percentile(p) / 1000))
  end
end
