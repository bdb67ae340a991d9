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
echo "== tests: release"
ctest --preset release -j "$jobs"
echo "== tests: asan"
ctest --preset asan -j "$jobs"
