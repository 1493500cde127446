#!/usr/bin/env bash
# Server load benchmark (docs/performance.md, "Server"). From the repository root:
#   benchmarks/server/run.sh            # builds Release, then runs every case
# Environment: DURATION (default 10s), WARMUP (seconds of event POSTs before measuring, default 15), THREADS (2), CONNECTIONS (32), BATCH (1000 events per batched request),
# RAW_ROWS (200000 events for the raw bulk-insert rate), SKIP_BUILD=1, LABEL (printed with the results),
# SERVE_ARGS (extra 'utendaji serve' options; default --cache, the configuration and report caches),
# OUT (a folder to keep wrk's full output and the server log in).
# Needs wrk (Debian: apt-get install wrk). wrk and the server share the machine's cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-10s}
threads=${THREADS:-2}
connections=${CONNECTIONS:-32}
batch=${BATCH:-1000}
raw_rows=${RAW_ROWS:-200000}
cli=(dotnet "$root/src/Utendaji.Cli/bin/Release/net10.0/utendaji.dll")
bench=(dotnet "$root/benchmarks/Utendaji.Benchmarks/bin/Release/net10.0/Utendaji.Benchmarks.dll" run)

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  dotnet build "$root/src/Utendaji.Cli" -c Release --nologo -v quiet >/dev/null
  dotnet build "$root/benchmarks/Utendaji.Benchmarks" -c Release --nologo -v quiet >/dev/null
fi

work=$(mktemp -d /tmp/utendaji-server-bench.XXXXXX)
server=""
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  if [[ -n ${OUT:-} ]]; then mkdir -p "$OUT"; cp "$work"/*.txt "$work"/server.log "$OUT"/ 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
db=$work/store.db
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

"${cli[@]}" admin create-org bench --db "$db" >/dev/null 2>&1
"${cli[@]}" admin create-user --org bench --email load@bench.example --role owner --db "$db" >/dev/null 2>&1
export TOKEN
TOKEN=$("${cli[@]}" admin create-token --org bench --email load@bench.example --scope write --db "$db" 2>/dev/null)

# The rate limit is per token per minute; a load test needs it out of the way.
"${cli[@]}" serve --urls "$base" --db "$db" --rate-limit 1000000000 ${SERVE_ARGS---cache} >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "$base/health" >/dev/null && break; sleep 0.2; done
api=$base/api/v1/orgs/bench

echo "# ${LABEL:-run} $(date -u +%FT%TZ) $(nproc) cores, wrk -t$threads -c$connections -d$duration, batch $batch, serve ${SERVE_ARGS---cache}"

# The server's CPU time so far (user + system, in clock ticks of 1/100 s).
server_cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }

# One wrk run: prints "name req/s p50 p99 non2xx cpu" (latencies as wrk prints them; cpu = the server's CPU
# microseconds per request, which other load on the machine disturbs far less than req/s) and keeps wrk's output.
measure() {
  local name=$1; shift
  local out=$work/$name.txt
  local cpu0 cpu1 requests cpu
  cpu0=$(server_cpu)
  wrk --latency "$@" >"$out" 2>"$work/$name.err" || true
  cpu1=$(server_cpu)
  requests=$(awk '/requests in/ {print $1}' "$out")
  cpu=$(awk -v c="$((cpu1 - cpu0))" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.1f", c * 10000 / n; else print "-" }')
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '$1 == "50%" {print $2}' "$out")
  p99=$(awk '$1 == "99%" {print $2}' "$out")
  bad=$(awk '/Non-2xx/ {print $NF}' "$out"); bad=${bad:-0}
  printf '%-26s req/s=%-10s p50=%-9s p99=%-9s non2xx=%-6s cpu_us/req=%s\n' "$name" "$rps" "$p50" "$p99" "$bad" "$cpu"
  if [[ -s $work/$name.err ]]; then sed 's/^/    /' "$work/$name.err" | sort | uniq -c | head -3; fi
  echo "$rps" >"$work/$name.rps"
}

run=$(date +%s)
# Warm-up: the store's first open, connection pools, and JIT tiering, which after 3 s of warm-up still took a
# sixth of the server's CPU during the measured event POSTs (perf); after 15 s at full load it is gone.
RUN=w$run BATCH=1 wrk -t"$threads" -c"$connections" -d"${WARMUP:-15}s" -s "$here/events.lua" "$api/events" >/dev/null 2>&1 || true
wrk -t1 -c4 -d2s -s "$here/get.lua" "$base/plaintext" >/dev/null 2>&1 || true

TOKEN="" measure plaintext -t"$threads" -c"$connections" -d"$duration" -s "$here/get.lua" "$base/plaintext"
# The cheapest authenticated request that touches the store: token look-up, rate limiter, the organisation's gate.
measure auth-config-get -t"$threads" -c"$connections" -d"$duration" -s "$here/get.lua" "$api/calendars"
RUN=s$run BATCH=1 measure event-post -t"$threads" -c"$connections" -d"$duration" -s "$here/events.lua" "$api/events"
RUN=b$run BATCH=$batch measure batch-post -t"$threads" -c"$threads" -d"$duration" -s "$here/events.lua" "$api/events"
stored=$(curl -fs "$base/metrics" | awk '/^utendaji_events_ingested_total/ {print $2}')
echo "events stored in total (server metric): ${stored:-?}"

kpi="$api/reports/kpi?by=team,channel"
curl -fs -H "Authorization: Bearer $TOKEN" "$kpi" >/dev/null
measure kpi-query -t"$threads" -c"$connections" -d"$duration" -s "$here/get.lua" "$kpi"

# p99 at about half the maximum rate. Debian's wrk has no constant-rate mode (-R of wrk2), so the rate is set
# by the number of connections: the run whose rate is nearest half the full-load rate is the one to read.
for c in 1 2 4 8 16; do
  t=$(( c < threads ? c : threads ))
  RUN=h$c$run BATCH=1 measure "event-post-c$c" -t"$t" -c"$c" -d"$duration" -s "$here/events.lua" "$api/events"
  curl -fs -H "Authorization: Bearer $TOKEN" "$kpi" >/dev/null # the POSTs before made the cached report stale
  measure "kpi-query-c$c" -t"$t" -c"$c" -d"$duration" -s "$here/get.lua" "$kpi"
done

echo "batched events/s = batch-post req/s × $batch = $(awk -v r="$(cat "$work/batch-post.rps")" -v b="$batch" 'BEGIN {printf "%.0f", r * b}')"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

# The store's raw bulk-insert rate for events on the same machine (store calls and commit only; nothing parsed).
"${bench[@]}" raw-events "$raw_rows" "$work/raw.db"
