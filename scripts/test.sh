#!/usr/bin/env bash
# Builds wirestep three ways and runs every test: the full suite in Release and under AddressSanitizer +
# UndefinedBehaviorSanitizer, and the determinism tests in Debug (the same golden bytes in every build type).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
jobs=$(nproc)
for preset in release asan; do
  echo "== build: $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
done
echo "== build: debug (determinism tests only)"
cmake --preset debug >/dev/null
cmake --build --preset debug -j "$jobs" --target wirestep_determinism_tests
echo "== tests: debug (determinism across builds)"
./build/debug/tests/wirestep_determinism_tests
echo "== fuzz: packet decoder, 60 s (libFuzzer, clang, ASan + UBSan)"
mkdir -p build/fuzz/corpus
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
  tests/fuzz/decode_fuzzer.cpp sim/wire/*.cpp capture/link_layer.cpp -o build/fuzz/decode_fuzzer
# Seeds: the real capture files next to the project (as raw bytes), then libFuzzer mutates from there.
./build/fuzz/decode_fuzzer -max_total_time=60 -rss_limit_mb=2048 -print_final_stats=1 build/fuzz/corpus \
  ../shared/corpus/tcpdump 2>&1 | tail -n 12
echo "== tests: release"
ctest --preset release -j "$jobs"
echo "== tests: asan"
ctest --preset asan -j "$jobs"
