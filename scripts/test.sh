#!/usr/bin/env bash
# Builds wirestep three ways and runs every test: the full suite in Release and under AddressSanitizer +
# UndefinedBehaviorSanitizer, and the determinism tests in Debug (same bytes in every build).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --test
jobs=$(nproc)
for preset in release asan debug; do
  echo "== build: $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset" -j "$jobs"
done
echo "== tests: release"
ctest --preset release -j "$jobs"
echo "== tests: asan"
ctest --preset asan -j "$jobs"
echo "== tests: debug (determinism across builds)"
ctest --preset debug -j "$jobs" -R 'Determinism'
