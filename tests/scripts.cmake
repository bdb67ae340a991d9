# Tests written as shell scripts, run by CTest beside the GoogleTest suites.

# Every bundled scenario's --pcap, --pcapng, --json and text output at seeds 1, 7 and 42 hash to the values in
# tests/golden/scenario-outputs.sha256: refactors change no byte a user sees.
add_test(NAME GoldenOutputs.EveryScenarioAtSeeds1And7And42MatchesTheGoldenHashes
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/golden-outputs.sh $<TARGET_FILE:wirestep> --check)
set_tests_properties(GoldenOutputs.EveryScenarioAtSeeds1And7And42MatchesTheGoldenHashes PROPERTIES TIMEOUT 600)

# The layering of docs/architecture.md holds in every source file, and the checker catches planted breaches.
add_test(NAME IncludeDirections.EverySourceFileKeepsTheLayering
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/check-includes.sh ${PROJECT_SOURCE_DIR})
add_test(NAME IncludeDirections.APlantedWrongWayIncludeIsReported
         COMMAND ${PROJECT_SOURCE_DIR}/scripts/test-check-includes.sh)
# Slow (it re-runs the checker a dozen times) but needs no build: COST makes CTest start it first, not last.
set_tests_properties(IncludeDirections.APlantedWrongWayIncludeIsReported PROPERTIES TIMEOUT 600 COST 1000)
# Both read only the sources, so every build would run them alike: scripts/test.sh runs them in the release
# build only (`-LE build-independent` in the sanitizer run), 40 s less on two cores.
set_tests_properties(IncludeDirections.EverySourceFileKeepsTheLayering
                     IncludeDirections.APlantedWrongWayIncludeIsReported PROPERTIES LABELS build-independent)
