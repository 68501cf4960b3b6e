#!/bin/bash
# npm run bench: this service against the reference Flask stack (shared/bench/ref-flask), both
# measured in this one invocation with the same wrk scenarios, so the ratios compare like with like.
# Env: DUR (seconds per scenario, 10), CONN (connections, 32), POOL (our pool size, 16),
#      TITANIC_SHARED (the shared/ folder, default ../../shared next to the repository).
set -euo pipefail
SERVICE=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${TITANIC_SHARED:-$(cd "$SERVICE/../.." && pwd)/shared}
[ -d "$SHARED/bench" ] || SHARED=/work/shared
CSV=${TITANIC_CSV:-$SHARED/data/titanic.csv}
DUR=${DUR:-10}
CONN=${CONN:-32}
POOL=${POOL:-16}
RESULTS="$SERVICE/.bench"
mkdir -p "$RESULTS"

for tool in wrk /usr/bin/gunicorn curl; do
  command -v "$tool" >/dev/null || { echo "bench needs $tool (apt-get install wrk gunicorn python3-flask ...)" >&2; exit 1; }
done
[ -f "$CSV" ] || { echo "bench needs the data set at $CSV" >&2; exit 1; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews latency)" >&2
echo "== reference: Flask + SQLAlchemy + marshmallow on gunicorn (${DUR}s per scenario, $CONN connections)" >&2
DUR=$DUR CONN=$CONN CSV=$CSV bash "$SHARED/bench/ref-flask/run.sh" | tee "$RESULTS/reference.txt" >&2

echo "== titanic-service: fastify + pg (pool $POOL)" >&2
(cd "$SERVICE" && npm run --silent build)
# shellcheck source=/dev/null
. "$SHARED/bench/lib/pg.sh"
SERVICE_PID=
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null
  pg_stop
}
pg_start
trap cleanup EXIT
PORT=$(free_port)
PORT=$PORT HOST=127.0.0.1 DATABASE_POOL_SIZE=$POOL TITANIC_SEED_CSV=$CSV LOG_LEVEL=warn \
  node "$SERVICE/dist/server.js" >"$RESULTS/service.log" 2>&1 &
SERVICE_PID=$!
wait_http "http://127.0.0.1:$PORT/ready" || { echo "service did not become ready" >&2; cat "$RESULTS/service.log" >&2; exit 1; }
UUIDS="$RESULTS/uuids.txt"
curl -s "http://127.0.0.1:$PORT/people" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const p of JSON.parse(s))console.log(p.uuid)})' >"$UUIDS"
export UUIDS
echo "seeded people: $(wc -l <"$UUIDS")" >&2
# A short warm-up so the JIT and the pool are hot, as gunicorn's workers are after their run.
wrk -t2 -c"$CONN" -d2s -s "$SHARED/bench/lib/get-by-id.lua" "http://127.0.0.1:$PORT" >/dev/null
wrk -t2 -c"$CONN" -d2s "http://127.0.0.1:$PORT/people" >/dev/null
"$SHARED/bench/lib/wrk-scenarios.sh" "http://127.0.0.1:$PORT" "$DUR" "$CONN" | tee "$RESULTS/service.txt" >&2

echo
awk '
  BEGIN { target["get_by_id"] = 15; target["list_all"] = 40; target["create"] = 5 }
  FNR == NR { ref_rps[$1] = $2; ref_p99[$1] = $4; ref_err[$1] = $5; next }
  { rps[$1] = $2; p50[$1] = $3; p99[$1] = $4; err[$1] = $5; order[++n] = $1 }
  END {
    printf "| scenario  | ref req/s | ours req/s | ratio  | target | ref p99 ms | ours p50 ms | ours p99 ms | ours errors | verdict |\n"
    printf "|-----------|-----------|------------|--------|--------|------------|-------------|-------------|-------------|---------|\n"
    failed = 0
    for (i = 1; i <= n; i++) {
      s = order[i]; ratio = ref_rps[s] > 0 ? rps[s] / ref_rps[s] : 0
      ok = ratio >= target[s] && err[s] == 0 && (s != "get_by_id" || p99[s] <= 10)
      if (!ok) failed = 1
      printf "| %-9s | %9.1f | %10.1f | %5.1fx | %5dx | %10.2f | %11.2f | %11.2f | %11d | %-7s |\n",
        s, ref_rps[s], rps[s], ratio, target[s], ref_p99[s], p50[s], p99[s], err[s], ok ? "pass" : "FAIL"
    }
    printf "\nBy uuid: p99 %.2f ms (target <= 10), %.1fx the throughput of the reference (target >= 15x).\n", p99["get_by_id"], rps["get_by_id"] / (ref_rps["get_by_id"] > 0 ? ref_rps["get_by_id"] : 1)
    printf "Machine load average at the end: %s\n", load
    printf "Targets: ratio >= target, zero errors, and get_by_id p99 <= 10 ms. Reference errors: get_by_id %d, list_all %d, create %d.\n",
      ref_err["get_by_id"], ref_err["list_all"], ref_err["create"]
    exit failed
  }' load="$(cut -d' ' -f1-3 /proc/loadavg)" "$RESULTS/reference.txt" "$RESULTS/service.txt" | tee "$RESULTS/table.md"
