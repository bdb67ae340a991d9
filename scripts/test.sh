#!/usr/bin/env bash
# Builds wirestep three ways and runs every test: the full suite in Release and under AddressSanitizer +
# UndefinedBehaviorSanitizer, and the determinism tests in Debug (the same golden bytes in every build type).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage prints "== HH:MM:SS name" as it starts; the wall-clock seconds of every stage are listed at the
# end, also when a stage fails, so a slow run shows where its time went.
run_start=$SECONDS
stage_name=""
stage_start=$SECONDS
stage_times=()
end_stage() {
  if [ -n "$stage_name" ]; then
    stage_times+=("$(printf '%6d s  %s' $((SECONDS - stage_start)) "$stage_name")")
  fi
  stage_name=""
}
stage() {
  end_stage
  stage_name=$1
  stage_start=$SECONDS
  echo "== $(date +%T) $1"
}
summary() {
  local rc=$?
  end_stage
  echo "== stage times (wall clock)"
  printf '%s\n' "${stage_times[@]}"
  printf '%6d s  total%s\n' $((SECONDS - run_start)) "$(if [ "$rc" -ne 0 ]; then echo ", FAILED (exit $rc)"; fi)"
}
trap summary EXIT

stage "install-deps --test"
./scripts/install-deps.sh --test
jobs=$(nproc)
for preset in release asan; do
  stage "build: $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
done
stage "build: debug (determinism tests only)"
# The Debug preset's flags without debug information (-g changes no generated code, and costs some 28% of
# the compile time) in a directory of its own, so a developer's build/debug keeps its -g.
cmake --preset debug -B build/determinism -DCMAKE_CXX_FLAGS_DEBUG=-O0 >/dev/null
cmake --build build/determinism -j "$jobs" --target wirestep_determinism_tests
stage "tests: debug (determinism across builds)"
./build/determinism/tests/wirestep_determinism_tests
stage "fuzz: packet decoder, 60 s (libFuzzer, clang, ASan + UBSan)"
mkdir -p build/fuzz/corpus
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
  tests/fuzz/decode_fuzzer.cpp sim/wire/*.cpp capture/link_layer.cpp -o build/fuzz/decode_fuzzer
# Seeds: the real capture files next to the project (as raw bytes), then libFuzzer mutates from there.
./build/fuzz/decode_fuzzer -max_total_time=60 -rss_limit_mb=2048 -print_final_stats=1 build/fuzz/corpus \
  ../shared/corpus/tcpdump 2>&1 | tail -n 12
stage "tests: release"
ctest --preset release -j "$jobs"
stage "tests: asan"
# A sanitized process costs about 0.25 s to start and end (shadow memory, 1,500 test registrations, the leak
# check at exit): one process per test, as ctest runs them, spent some 300 of this stage's 400 s on that. The
# GoogleTest suite runs instead in one shard per core, one process each, each bounded by `timeout`; then
# ctest runs the script tests (the checks of sources alone already ran in release).
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
shard_pids=()
for ((i = 0; i < jobs; i++)); do
  (cd build/asan/tests && GTEST_TOTAL_SHARDS=$jobs GTEST_SHARD_INDEX=$i timeout 1800 ./wirestep_tests \
    >"../gtest-shard-$i.log" 2>&1) &
  shard_pids+=($!)
done
shards_failed=0
for ((i = 0; i < jobs; i++)); do
  if wait "${shard_pids[$i]}"; then
    grep -h '^\[  PASSED  \]' "build/asan/gtest-shard-$i.log" | sed "s/^/asan shard $i: /"
  else
    shards_failed=1
    echo "asan shard $i FAILED (build/asan/gtest-shard-$i.log); its last lines:"
    tail -n 80 "build/asan/gtest-shard-$i.log"
  fi
done
[ "$shards_failed" -eq 0 ]
ctest --preset asan -j "$jobs" -LE 'build-independent|gtest'
end_stage
