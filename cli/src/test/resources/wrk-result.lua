-- Prints wrk's totals as one line of our own, so a test reads numbers rather than wrk's report;
-- max_latency_us is the longest request, in microseconds.
-- WRK_CLOSE=1 in the environment: every request asks for Connection: close (a handshake each).
if os.getenv("WRK_CLOSE") == "1" then
  wrk.headers["Connection"] = "close"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT requests=%d connect=%d read=%d write=%d status=%d timeout=%d max_latency_us=%d\n",
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout, latency.max))
end
