#!/usr/bin/env bash
# Load benchmark of the packaged service next to the Portkey AI gateway, both in front of the same mock upstream,
# in one run, on loopback only. Writes integration-tests/target/bench/load.md. Two instances of the service run: one
# as configured by default, one with PostgreSQL's synchronous_commit off, measured side by side for latency. A plain
# Vert.x proxy (FloorProxy.java: no JSON, no storage) is measured too, as the floor of what a JVM service adds here.
#
#   ./mvnw package -DskipTests -pl agent-runtime -am && integration-tests/src/bench/load/load-bench.sh
#
# Needs: wrk and hey (apt-get install -y wrk hey), Node.js with npm (the Portkey gateway is installed from npm into
# target/bench/peer), and the peer benchmark kit (mock upstream, wrk script) at $BENCH_KIT, by default
# ../shared/bench beside the checkout. Durations: DURATION (latency runs, in seconds with an s, default 30s), SATURATION (default 20s).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
HERE="$ROOT/integration-tests/src/bench/load"
KIT="${BENCH_KIT:-$ROOT/../shared/bench}"
OUT="$ROOT/integration-tests/target/bench"
JAR="$ROOT/agent-runtime/target/quarkus-app/quarkus-run.jar"
DURATION="${DURATION:-30s}"
SATURATION="${SATURATION:-20s}"
KAIWA_PORT=18080
KAIWA_ASYNC_PORT=18081
FLOOR_PORT=18082
PORTKEY_PORT=8787
MOCK_PORT=9000
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=64m -Xss512k}"

for tool in wrk hey node npm java curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk hey nodejs npm)" >&2; exit 2; }
done
[ -f "$KIT/mock.mjs" ] || { echo "the peer kit is not at $KIT (set BENCH_KIT)" >&2; exit 2; }
[ -f "$JAR" ] || { echo "build the service first: ./mvnw package -DskipTests -pl agent-runtime -am" >&2; exit 2; }
mkdir -p "$OUT/peer" "$OUT/logs"
rm -f "$OUT"/logs/paced-*.csv

if [ ! -d "$OUT/peer/node_modules/@portkey-ai/gateway" ]; then
  cat > "$OUT/peer/package.json" <<'JSON'
{ "name": "kaiwa-load-peer", "private": true,
  "dependencies": { "@portkey-ai/gateway": "1.15.2" }, "overrides": { "@hono/node-server": "2.1.8" } }
JSON
  (cd "$OUT/peer" && npm install --no-audit --no-fund --loglevel=error)
fi

for port in $KAIWA_PORT $KAIWA_ASYNC_PORT $FLOOR_PORT $PORTKEY_PORT $MOCK_PORT; do
  # A server left over from another run would be measured in place of this one's.
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is already taken on 127.0.0.1" >&2; exit 2; fi
done

# shellcheck source=lib.sh
. "$HERE/lib.sh"


start_mock 20
rm -rf "$OUT/kaiwa-data"
# shellcheck disable=SC2086
env -i PATH="$PATH" HOME="$HOME" KAIWA_DATA_DIR="$OUT/kaiwa-data" QUARKUS_HTTP_PORT=$KAIWA_PORT QUARKUS_HTTP_HOST=127.0.0.1 \
  KAIWA_AUTH_API_KEYS=bench:sk-bench KAIWA_PROVIDERS_MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" \
  KAIWA_PROVIDERS_MOCK_API_KEY=sk-dummy KAIWA_PROVIDERS_MOCK_MODELS=mock-model \
  java $JVM_OPTS -jar "$JAR" > "$OUT/logs/kaiwa.log" 2>&1 &
KAIWA_PID=$!; PIDS+=("$KAIWA_PID")
# The same service with PostgreSQL's synchronous_commit off: commits are visible to every instance at once but the
# database flushes its log a moment later (what that trades is in the README's configuration section).
rm -rf "$OUT/kaiwa-async-data"
# shellcheck disable=SC2086
env -i PATH="$PATH" HOME="$HOME" KAIWA_DATA_DIR="$OUT/kaiwa-async-data" QUARKUS_HTTP_PORT=$KAIWA_ASYNC_PORT \
  QUARKUS_HTTP_HOST=127.0.0.1 KAIWA_AUTH_API_KEYS=bench:sk-bench \
  KAIWA_PROVIDERS_MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" KAIWA_PROVIDERS_MOCK_API_KEY=sk-dummy \
  KAIWA_PROVIDERS_MOCK_MODELS=mock-model \
  java $JVM_OPTS -Dquarkus.datasource.reactive.additional-properties.synchronous_commit=off -jar "$JAR" \
  > "$OUT/logs/kaiwa-async.log" 2>&1 &
PIDS+=("$!")
# exec: the PID recorded is node's own, so that the cleanup stops the gateway and not just a subshell.
(cd "$OUT/peer" && NODE_ENV=production exec node --import "$KIT/loopback-only.mjs" \
  node_modules/@portkey-ai/gateway/build/start-server.js --port=$PORTKEY_PORT --headless > "$OUT/logs/portkey.log" 2>&1) &
PIDS+=("$!")
# shellcheck disable=SC2086
(exec java $JVM_OPTS -cp "$ROOT/agent-runtime/target/quarkus-app/lib/main/*" "$HERE/FloorProxy.java" $FLOOR_PORT $MOCK_PORT \
  > "$OUT/logs/floor.log" 2>&1) &
PIDS+=("$!")
wait_for "http://127.0.0.1:$KAIWA_PORT/q/health/ready"
wait_for "http://127.0.0.1:$KAIWA_ASYNC_PORT/q/health/ready"
wait_for "http://127.0.0.1:$PORTKEY_PORT/"
wait_for "http://127.0.0.1:$FLOOR_PORT/"

KAIWA_BODY="$OUT/kaiwa-body.json"; CHAT_BODY="$OUT/chat-body.json"
echo '{"model":"mock-model","input":"Say hello","max_output_tokens":16}' > "$KAIWA_BODY"
echo '{"model":"mock-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}' > "$CHAT_BODY"
PK_HEADERS=(-H "x-portkey-provider: openai" -H "x-portkey-custom-host: http://127.0.0.1:$MOCK_PORT/v1")
KAIWA_URL="http://127.0.0.1:$KAIWA_PORT/v1/responses"
KAIWA_ASYNC_URL="http://127.0.0.1:$KAIWA_ASYNC_PORT/v1/responses"
MOCK_URL="http://127.0.0.1:$MOCK_PORT/v1/chat/completions"
PK_URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
FLOOR_URL="http://127.0.0.1:$FLOOR_PORT/v1/chat/completions"

rss_max=0
sample_rss() { local r; r=$(awk '/VmRSS/ {print $2}' "/proc/$KAIWA_PID/status"); [ "$r" -gt "$rss_max" ] && rss_max=$r; true; }
sample_rss_during() { while kill -0 "$1" 2>/dev/null; do sample_rss; sleep 0.5; done; }

echo "warming up (JIT) ..."
# The JVM is still compiling hot paths a minute in (C2 busy in profiles); a short warm-up measures the JIT.
hey -z 60s -c 8 -m POST -T application/json -A application/json -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_URL" > /dev/null
hey -z 60s -c 8 -m POST -T application/json -A application/json -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_ASYNC_URL" > /dev/null
hey -z 10s -c 8 -m POST -T application/json "${PK_HEADERS[@]}" -H "Authorization: Bearer sk-dummy" -D "$CHAT_BODY" "$PK_URL" > /dev/null
hey -z 30s -c 8 -m POST -T application/json -D "$CHAT_BODY" "$FLOOR_URL" > /dev/null
# Streaming runs other code (the stream pipeline, the SSE writer): warmed up on its own.
node "$HERE/ttft.mjs" responses "$KAIWA_URL" 4000 8 > /dev/null

# 8 connections at 200 requests/s, two ways. Paced: 8 single-connection hey processes at 25 requests/s each,
# started 5 ms apart, so requests arrive evenly (one every 5 ms). Bursts: one hey with -c 8 -q 25, whose 8 workers
# tick together, so the 8 requests arrive at once every 40 ms.
bursts() { # name, then hey arguments; prints "p50 p99 rps" in ms
  local out
  out=$(hey -z "$DURATION" -c 8 -q 25 -m POST -T application/json "$@")
  echo "$out" > "$OUT/logs/hey-$NAME.txt"
  local p50 p99 rps
  p50=$(echo "$out" | awk '/ 50% in/ {print $3*1000}')
  p99=$(echo "$out" | awk '/ 99% in/ {print $3*1000}')
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  echo "$p50 $p99 $rps"
}
echo "latency at 8 connections, 200 requests/s, paced ..."
NAME=mock; read -r M50 M99 MRPS < <(paced -D "$CHAT_BODY" "$MOCK_URL")
NAME=kaiwa; paced -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_URL" > "$OUT/logs/kaiwa-latency.txt" &
LAT_PID=$!; sample_rss_during $LAT_PID; read -r K50 K99 KRPS < "$OUT/logs/kaiwa-latency.txt"
NAME=kaiwa-async; read -r A50 A99 ARPS < <(paced -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_ASYNC_URL")
NAME=portkey; read -r P50 P99 PRPS < <(paced "${PK_HEADERS[@]}" -H "Authorization: Bearer sk-dummy" -D "$CHAT_BODY" "$PK_URL")
NAME=floor; read -r F50 F99 FRPS < <(paced -D "$CHAT_BODY" "$FLOOR_URL")
echo "latency at 8 connections, 200 requests/s, in bursts of 8 ..."
NAME=mock-bursts; read -r BM50 BM99 BMRPS < <(bursts -D "$CHAT_BODY" "$MOCK_URL")
NAME=kaiwa-bursts; read -r BK50 BK99 BKRPS < <(bursts -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_URL")
NAME=kaiwa-async-bursts; read -r BA50 BA99 BARPS < <(bursts -H "Authorization: Bearer sk-bench" -D "$KAIWA_BODY" "$KAIWA_ASYNC_URL")
NAME=portkey-bursts; read -r BP50 BP99 BPRPS < <(bursts "${PK_HEADERS[@]}" -H "Authorization: Bearer sk-dummy" -D "$CHAT_BODY" "$PK_URL")
NAME=floor-bursts; read -r BF50 BF99 BFRPS < <(bursts -D "$CHAT_BODY" "$FLOOR_URL")

echo "time to first streamed text ..."
# Paced as the latency runs are (8 connections, a stream every 5 ms), then 8 connections back to back.
ttft() { UPSTREAM_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" node "$HERE/ttft.mjs" "$@"; }
MOCK_TTFT=$(ttft chat "$MOCK_URL" 2000 8 200)
KAIWA_TTFT=$(ttft responses "$KAIWA_URL" 2000 8 200)
PK_TTFT=$(ttft portkey "$PK_URL" 2000 8 200)
BMOCK_TTFT=$(ttft chat "$MOCK_URL" 400 8)
BKAIWA_TTFT=$(ttft responses "$KAIWA_URL" 400 8)
BPK_TTFT=$(ttft portkey "$PK_URL" 400 8)
ttft50() { echo "$1" | sed -E 's/.*ttft: p50=([0-9.]+) p90=([0-9.]+) p99=([0-9.]+).*/\1 \3/'; }
read -r MT50 MT99 < <(ttft50 "$MOCK_TTFT"); read -r KT50 KT99 < <(ttft50 "$KAIWA_TTFT"); read -r PT50 PT99 < <(ttft50 "$PK_TTFT")
read -r BMT50 BMT99 < <(ttft50 "$BMOCK_TTFT"); read -r BKT50 BKT99 < <(ttft50 "$BKAIWA_TTFT")
read -r BPT50 BPT99 < <(ttft50 "$BPK_TTFT")

echo "saturation: zero-latency mock, 64 connections ..."
kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true
start_mock 0
read -r MS MSP50 MSP99 < <(sat "$KIT/post.lua" "$MOCK_URL")
sat "$HERE/responses.lua" "$KAIWA_URL" > "$OUT/logs/kaiwa-sat.txt" &
SAT_PID=$!; sample_rss_during $SAT_PID; read -r KS KSP50 KSP99 < "$OUT/logs/kaiwa-sat.txt"
read -r AS ASP50 ASP99 < <(sat "$HERE/responses.lua" "$KAIWA_ASYNC_URL")
read -r NS NSP50 NSP99 < <(STORE=false sat "$HERE/responses.lua" "$KAIWA_URL")
read -r PS PSP50 PSP99 < <(PORTKEY=1 sat "$KIT/post.lua" "$PK_URL")
read -r FS FSP50 FSP99 < <(sat "$KIT/post.lua" "$FLOOR_URL")
STORED=$(curl -s -H "Authorization: Bearer sk-bench" "http://127.0.0.1:$KAIWA_PORT/q/metrics" | awk '/^kaiwa_responses_total/ {s+=$2} END {print s}')

f() { awk "BEGIN {printf \"%.2f\", $1}"; }
row() { # target, p50, p99, the mock's p50 and p99 (empty for the mock itself), requests/s
  if [ -z "$4" ]; then echo "| $1 | $2 ms | $3 ms | | | $6 |"; return; fi
  echo "| $1 | $2 ms | $3 ms | $(f "$2-$4") ms | $(f "$3-$5") ms | $6 |"
}
ttft_table() { # p50 and p99 of the mock, Kaiwa, Portkey
  echo "| target | p50 | p99 | added p50 | added p99 |"
  echo "|---|---|---|---|---|"
  echo "| mock directly | $1 ms | $2 ms | | |"
  echo "| Kaiwa | $3 ms | $4 ms | $(f "$3-$1") ms | $(f "$4-$2") ms |"
  echo "| Portkey | $5 ms | $6 ms | $(f "$5-$1") ms | $(f "$6-$2") ms |"
}
{
  echo "# Load benchmark: Kaiwa and Portkey in front of the same mock upstream"
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1), JVM options: $JVM_OPTS, store: true"
  echo
  echo "## 8 connections at 200 requests/s, mock latency 20 ms ($DURATION each)"
  echo
  echo "Paced: requests arrive evenly, one every 5 ms (8 single-connection hey processes at 25 requests/s, started"
  echo "5 ms apart)."
  echo
  echo "| target | p50 | p99 | added p50 | added p99 | requests/s |"
  echo "|---|---|---|---|---|---|"
  row "mock directly" "$M50" "$M99" "" "" "$MRPS"
  row "Kaiwa (POST /v1/responses)" "$K50" "$K99" "$M50" "$M99" "$KRPS"
  row "Kaiwa, synchronous_commit off" "$A50" "$A99" "$M50" "$M99" "$ARPS"
  row "Portkey (POST /v1/chat/completions)" "$P50" "$P99" "$M50" "$M99" "$PRPS"
  row "reference: plain Vert.x proxy (FloorProxy.java)" "$F50" "$F99" "$M50" "$M99" "$FRPS"
  echo
  echo "In bursts: hey -c 8 -q 25, whose 8 workers send together every 40 ms."
  echo
  echo "| target | p50 | p99 | added p50 | added p99 | requests/s |"
  echo "|---|---|---|---|---|---|"
  row "mock directly" "$BM50" "$BM99" "" "" "$BMRPS"
  row "Kaiwa" "$BK50" "$BK99" "$BM50" "$BM99" "$BKRPS"
  row "Kaiwa, synchronous_commit off" "$BA50" "$BA99" "$BM50" "$BM99" "$BARPS"
  row "Portkey" "$BP50" "$BP99" "$BM50" "$BM99" "$BPRPS"
  row "reference: plain Vert.x proxy" "$BF50" "$BF99" "$BM50" "$BM99" "$BFRPS"
  echo
  echo "Goal: Kaiwa adds at most 1 ms at p50 and 3 ms at p99."
  echo
  echo "## Time to the first streamed text (ttft.mjs), mock latency 20 ms"
  echo
  echo "The first content chunk (Chat Completions) or response.output_text.delta event (Kaiwa), which comes after"
  echo "Kaiwa's response.created and response.in_progress. Paced: 2,000 streams over 8 connections at 200 streams/s."
  echo
  ttft_table "$MT50" "$MT99" "$KT50" "$KT99" "$PT50" "$PT99"
  echo
  echo "Back to back: 400 streams, each of 8 connections starting its next stream when the last one ends."
  echo
  ttft_table "$BMT50" "$BMT99" "$BKT50" "$BKT99" "$BPT50" "$BPT99"
  echo
  echo "Goal: Kaiwa adds at most 1 ms to the first streamed event."
  echo
  echo "## Saturation: zero-latency mock, wrk 64 connections ($SATURATION each)"
  echo
  echo "| target | requests/s | p50 | p99 |"
  echo "|---|---|---|---|"
  echo "| mock directly | $MS | $MSP50 ms | $MSP99 ms |"
  echo "| Kaiwa | $KS | $KSP50 ms | $KSP99 ms |"
  echo "| Kaiwa, synchronous_commit off | $AS | $ASP50 ms | $ASP99 ms |"
  echo "| Kaiwa, requests with store: false (nothing written) | $NS | $NSP50 ms | $NSP99 ms |"
  echo "| Portkey | $PS | $PSP50 ms | $PSP99 ms |"
  echo "| reference: plain Vert.x proxy | $FS | $FSP50 ms | $FSP99 ms |"
  echo
  echo "Kaiwa / Portkey throughput: $(f "$KS/$PS")x (goal: at least 10x). Responses Kaiwa counted: $STORED."
  echo
  echo "Kaiwa's largest RSS under load: $((rss_max / 1024)) MB (goal: at most 256 MB)."
  echo
  echo "Raw probe lines:"
  echo
  for line in "$MOCK_TTFT" "$KAIWA_TTFT" "$PK_TTFT" "$BMOCK_TTFT" "$BKAIWA_TTFT" "$BPK_TTFT"; do echo "    $line"; done
} | tee "$OUT/load.md"
