-- wrk script of bench/run.sh: `wrk ... -s bench/wrk/bench.lua -- DEPTH`.
-- DEPTH > 1 pipelines: DEPTH requests in one write, as TechEmpower's pipeline.lua. wrk parses the
-- buffer returned by request() and expects DEPTH responses for it, so summary.requests counts
-- responses, not writes. DEPTH 1 leaves request() alone: wrk's static (fastest) path.
-- done() prints one machine-readable line; wrk's own latency is closed-loop and not used.
local depth = 1

function init(args)
  depth = tonumber(args[1]) or 1
  if depth > 1 then
    local r = {}
    for i = 1, depth do
      r[i] = wrk.format()
    end
    local batch = table.concat(r)
    request = function()
      return batch
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "wrk_result requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d "
      .. "write_errors=%d status_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout))
end
