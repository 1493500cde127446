#!/usr/bin/env bash
# End-to-end import benchmark (docs/performance-import.md). Usage, from the repository root, after
#   dotnet build -c Release src/Utendaji.Cli && dotnet build -c Release benchmarks/Utendaji.Benchmarks
# run:  benchmarks/Utendaji.Benchmarks/Import/run-import.sh summary 1000000
#       benchmarks/Utendaji.Benchmarks/Import/run-import.sh events 1000000
# Files go to /tmp/utendaji-bench (override with UTENDAJI_BENCH_DIR); the input file is kept for reuse, the
# databases are deleted afterwards (KEEP_DB=1 keeps raw.db: the 10M report benchmark reads it).
set -euo pipefail
kind=$1
count=$2
dir=${UTENDAJI_BENCH_DIR:-/tmp/utendaji-bench}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=(dotnet "$root/src/Utendaji.Cli/bin/Release/net10.0/utendaji.dll")
bench=(dotnet "$root/benchmarks/Utendaji.Benchmarks/bin/Release/net10.0/Utendaji.Benchmarks.dll" run)
mkdir -p "$dir"
if [[ $kind == summary ]]; then input=$dir/tickets-$count.csv; gen=gen-summary; raw=raw-summary
else input=$dir/events-$count.ndjson; gen=gen-events; raw=raw-events; fi
[[ -f $input ]] || "${bench[@]}" $gen "$count" "$input"
echo "input $input $(stat -c %s "$input") bytes"

configure() {
  rm -f "$1" "$1"-wal "$1"-shm
  "${cli[@]}" calendar import "$here/config/support-eu.json" --default --db "$1" >/dev/null
  "${cli[@]}" calendar import "$here/config/support-ke.json" --db "$1" >/dev/null
  "${cli[@]}" sla import "$here/config/sla.json" --db "$1" >/dev/null
}

# 1. The store's raw bulk-insert rate for the same rows (nothing parsed; derivation untimed).
configure "$dir/raw.db"
/usr/bin/time -f "raw peak_rss_kb=%M elapsed=%e" "${bench[@]}" $raw "$count" "$dir/raw.db"
ls -l "$dir/raw.db"
[[ ${KEEP_DB:-0} == 1 ]] || rm -f "$dir/raw.db" "$dir/raw.db"-wal "$dir/raw.db"-shm

# 2. End to end through the real CLI: parse, validate, store, derive, store facts, commit.
configure "$dir/e2e.db"
/usr/bin/time -f "e2e peak_rss_kb=%M elapsed=%e" "${cli[@]}" import "$input" --db "$dir/e2e.db" --format json
ls -l "$dir/e2e.db"
rm -f "$dir/e2e.db" "$dir/e2e.db"-wal "$dir/e2e.db"-shm
