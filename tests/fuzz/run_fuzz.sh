#!/usr/bin/env bash
# Runs each libFuzzer target of tests/fuzz for SECONDS (default 600) from a working copy of its seed
# corpus (the source tree is not written), one after another, and prints executions, coverage and
# corpus size per target. A crash, leak, timeout or OOM stops with the reproducer in ARTIFACTS.
#   tests/fuzz/run_fuzz.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${1:?usage: run_fuzz.sh BUILD_DIR [SECONDS] [TARGET...]}"
seconds="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(scenario csv_households geojson_layer)
declare -A dict=([scenario]=scenario.dict [csv_households]=csv.dict [geojson_layer]=geojson.dict)
work="$build/fuzz/work"
mkdir -p "$work"
status=0
for t in "${targets[@]}"; do
  exe="$build/fuzz/fuzz_$t"
  [ -x "$exe" ] || { echo "missing $exe (build with INFOGAP_FUZZ=ON: make fuzz-build)" >&2; exit 2; }
  mkdir -p "$work/corpus-$t"
  cp -n "$here/corpus/$t/"* "$work/corpus-$t/"
  log="$work/$t.log"
  echo "fuzz_$t: ${seconds}s, corpus $work/corpus-$t, log $log"
  set +e
  ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}" \
    "$exe" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=3072 -max_len=8192 -print_final_stats=1 \
    -dict="$here/${dict[$t]}" -artifact_prefix="$work/artifact-$t-" "$work/corpus-$t" > "$log" 2>&1
  rc=$?
  set -e
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [^ ]+' || echo '?')
  echo "  exit $rc, $runs executions, $cov"
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E 'ERROR|SUMMARY|artifact|invariant' "$log" | head -20 || true
  fi
done
exit $status
