# Shared by the load benchmarks (sourced): process cleanup, waiting for a server, the mock upstream, paced latency
# and wrk saturation. Expects OUT, KIT, MOCK_PORT, DURATION and SATURATION to be set.

PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_for() { for _ in $(seq 1 120); do curl -s -o /dev/null "$1" && return 0; sleep 0.5; done; echo "no answer from $1" >&2; exit 1; }

start_mock() {
  DELAY_MS="$1" PORT=$MOCK_PORT node "$KIT/mock.mjs" > "$OUT/logs/mock-$1.log" 2>&1 &
  MOCK_PID=$!; PIDS+=("$MOCK_PID")
  for _ in $(seq 1 40); do curl -s -o /dev/null -X POST "http://127.0.0.1:$MOCK_PORT/v1/chat/completions" -d '{}' && return 0; sleep 0.25; done
}

# 8 connections at 200 requests/s, paced: 8 single-connection hey processes at 25 requests/s each, started 5 ms
# apart, so requests arrive evenly (one every 5 ms).
paced() { # name, then hey arguments; prints "p50 p99 rps" in ms
  local i
  for i in 0 1 2 3 4 5 6 7; do
    hey -z "$DURATION" -c 1 -q 25 -o csv -m POST -T application/json "$@" > "$OUT/logs/paced-$NAME-$i.csv" &
    sleep 0.005
  done
  wait
  cat "$OUT/logs/paced-$NAME"-[0-7].csv | awk -F, '$1 ~ /^[0-9.]+$/ {print $1 * 1000}' | sort -n \
    | awk -v secs="${DURATION%s}" '{a[NR] = $1} END {printf "%.1f %.1f %.1f\n", a[int(NR * 0.5)], a[int(NR * 0.99)], NR / secs}'
}

sat() { wrk -t2 -c64 -d"$SATURATION" -s "$1" "$2" | grep RESULT | sed -E 's/.*rps=([0-9.]+) p50_ms=([0-9.]+).*p99_ms=([0-9.]+).*/\1 \2 \3/'; }
