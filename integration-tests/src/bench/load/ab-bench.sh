#!/usr/bin/env bash
# Two builds of the service side by side in one run, on loopback: before and after a change. Both run at once with
# the same JVM options in front of the same mock upstream; the rounds alternate between them (A, B, A, B, ...) so
# that the machine's drift falls on both alike. Reports each round and the medians: added latency at 8 connections
# and 200 requests/s paced (mock latency 20 ms), and saturation throughput (wrk, 64 connections, 0 ms mock).
# Writes integration-tests/target/bench/ab.md.
#
#   cp -r agent-runtime/target/quarkus-app /tmp/kaiwa-before     # on the commit to compare against
#   ./mvnw package -DskipTests -pl agent-runtime -am              # on the change
#   integration-tests/src/bench/load/ab-bench.sh /tmp/kaiwa-before/quarkus-run.jar
#
# Needs wrk, hey, Node.js (the kit's mock) and the peer kit at $BENCH_KIT (default ../shared/bench beside the
# checkout). ROUNDS (default 3), DURATION (paced latency, default 30s), SATURATION (default 20s), WARMUP (default 60s).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../../../.." && pwd)"
HERE="$ROOT/integration-tests/src/bench/load"
KIT="${BENCH_KIT:-$ROOT/../shared/bench}"
OUT="$ROOT/integration-tests/target/bench"
BEFORE="${1:?usage: ab-bench.sh <quarkus-run.jar of the build to compare against> [quarkus-run.jar of the change]}"
AFTER="${2:-$ROOT/agent-runtime/target/quarkus-app/quarkus-run.jar}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-30s}"
SATURATION="${SATURATION:-20s}"
WARMUP="${WARMUP:-60s}"
A_PORT=18090
B_PORT=18091
MOCK_PORT=9000
JVM_OPTS="${JVM_OPTS:--XX:+UseSerialGC -Xms64m -Xmx128m -XX:ReservedCodeCacheSize=64m -Xss512k}"

for tool in wrk hey node java curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y wrk hey nodejs)" >&2; exit 2; }
done
[ -f "$KIT/mock.mjs" ] || { echo "the peer kit is not at $KIT (set BENCH_KIT)" >&2; exit 2; }
for jar in "$BEFORE" "$AFTER"; do [ -f "$jar" ] || { echo "no such jar: $jar" >&2; exit 2; }; done
for port in $A_PORT $B_PORT $MOCK_PORT; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then echo "port $port is already taken on 127.0.0.1" >&2; exit 2; fi
done
mkdir -p "$OUT/logs"
rm -f "$OUT"/logs/paced-*.csv

# shellcheck source=lib.sh
. "$HERE/lib.sh"

start_kaiwa() { # name, jar, port
  rm -rf "$OUT/ab-$1-data"
  # shellcheck disable=SC2086
  env -i PATH="$PATH" HOME="$HOME" KAIWA_DATA_DIR="$OUT/ab-$1-data" QUARKUS_HTTP_PORT="$3" QUARKUS_HTTP_HOST=127.0.0.1 \
    KAIWA_AUTH_API_KEYS=bench:sk-bench KAIWA_PROVIDERS_MOCK_BASE_URL="http://127.0.0.1:$MOCK_PORT/v1" \
    KAIWA_PROVIDERS_MOCK_API_KEY=sk-dummy KAIWA_PROVIDERS_MOCK_MODELS=mock-model \
    java $JVM_OPTS -jar "$2" > "$OUT/logs/ab-$1.log" 2>&1 &
  PIDS+=("$!")
}

start_mock 20
start_kaiwa before "$BEFORE" $A_PORT
start_kaiwa after "$AFTER" $B_PORT
wait_for "http://127.0.0.1:$A_PORT/q/health/ready"
wait_for "http://127.0.0.1:$B_PORT/q/health/ready"

BODY="$OUT/kaiwa-body.json"; CHAT_BODY="$OUT/chat-body.json"
echo '{"model":"mock-model","input":"Say hello","max_output_tokens":16}' > "$BODY"
echo '{"model":"mock-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":16}' > "$CHAT_BODY"
url() { echo "http://127.0.0.1:$1/v1/responses"; }
MOCK_URL="http://127.0.0.1:$MOCK_PORT/v1/chat/completions"

echo "warming up both (JIT) ..."
for port in $A_PORT $B_PORT; do
  hey -z "$WARMUP" -c 8 -m POST -T application/json -H "Authorization: Bearer sk-bench" -D "$BODY" "$(url $port)" > /dev/null
done

f() { awk "BEGIN {printf \"%.2f\", $1}"; }
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
LAT_ROWS=(); SAT_ROWS=(); A_ADDED=(); B_ADDED=(); A_ADDED99=(); B_ADDED99=(); A_SAT=(); B_SAT=()

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round: latency at 8 connections, 200 requests/s, paced ..."
  NAME=mock; read -r M50 M99 _ < <(paced -D "$CHAT_BODY" "$MOCK_URL")
  # Which build goes first alternates from round to round.
  if [ $((round % 2)) -eq 1 ]; then ORDER="A B"; else ORDER="B A"; fi
  for who in $ORDER; do
    port=$A_PORT; [ "$who" = B ] && port=$B_PORT
    NAME="ab-$who"; read -r K50 K99 _ < <(paced -H "Authorization: Bearer sk-bench" -D "$BODY" "$(url $port)")
    if [ "$who" = A ]; then A_ADDED+=("$(f "$K50-$M50")"); A_ADDED99+=("$(f "$K99-$M99")"); A50=$K50; A99=$K99
    else B_ADDED+=("$(f "$K50-$M50")"); B_ADDED99+=("$(f "$K99-$M99")"); B50=$K50; B99=$K99; fi
  done
  LAT_ROWS+=("| $round | $M50 / $M99 ms | $A50 / $A99 ms (+$(f "$A50-$M50") / +$(f "$A99-$M99")) | $B50 / $B99 ms (+$(f "$B50-$M50") / +$(f "$B99-$M99")) |")
done

kill "$MOCK_PID"; wait "$MOCK_PID" 2>/dev/null || true
start_mock 0
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round: saturation, 64 connections ..."
  if [ $((round % 2)) -eq 1 ]; then ORDER="A B"; else ORDER="B A"; fi
  for who in $ORDER; do
    port=$A_PORT; [ "$who" = B ] && port=$B_PORT
    read -r S _ _ < <(sat "$HERE/responses.lua" "$(url $port)")
    if [ "$who" = A ]; then A_SAT+=("$S"); AS=$S; else B_SAT+=("$S"); BS=$S; fi
  done
  SAT_ROWS+=("| $round | $AS | $BS | $(f "$BS/$AS") |")
done

A_MED=$(printf '%s\n' "${A_ADDED[@]}" | median); B_MED=$(printf '%s\n' "${B_ADDED[@]}" | median)
A_MED99=$(printf '%s\n' "${A_ADDED99[@]}" | median); B_MED99=$(printf '%s\n' "${B_ADDED99[@]}" | median)
A_SMED=$(printf '%s\n' "${A_SAT[@]}" | median); B_SMED=$(printf '%s\n' "${B_SAT[@]}" | median)
{
  echo "# Before and after, side by side"
  echo
  echo "$(date -u +%FT%TZ), $(nproc) cores, $(java -version 2>&1 | head -1), JVM options: $JVM_OPTS"
  echo
  echo "- A (before): \`$BEFORE\`"
  echo "- B (after): \`$AFTER\`"
  echo
  echo "## Latency at 8 connections, 200 requests/s paced, mock latency 20 ms ($DURATION per target and round)"
  echo
  echo "| round | mock p50 / p99 | A p50 / p99 (added) | B p50 / p99 (added) |"
  echo "|---|---|---|---|"
  printf '%s\n' "${LAT_ROWS[@]}"
  echo
  echo "Median added p50: A $A_MED ms, B $B_MED ms; added p99: A $A_MED99 ms, B $B_MED99 ms."
  echo
  echo "## Saturation: zero-latency mock, wrk 64 connections ($SATURATION per target and round)"
  echo
  echo "| round | A requests/s | B requests/s | B / A |"
  echo "|---|---|---|---|"
  printf '%s\n' "${SAT_ROWS[@]}"
  echo
  echo "Median: A $A_SMED, B $B_SMED requests/s; B / A = $(f "$B_SMED/$A_SMED")."
} | tee "$OUT/ab.md"
