-- wrk script: POST a small Responses API request to Kaiwa (store: true, the default; STORE=false in the environment
-- sends store: false); prints one RESULT line in the peer kit's format so both gateways are reported alike.
wrk.method = "POST"
if os.getenv("STORE") == "false" then
  wrk.body = '{"model":"mock-model","input":"Say hello","max_output_tokens":16,"store":false}'
else
  wrk.body = '{"model":"mock-model","input":"Say hello","max_output_tokens":16}'
end
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-bench"
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f mean_ms=%.3f n=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout))
end
