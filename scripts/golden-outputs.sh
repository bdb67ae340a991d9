#!/usr/bin/env bash
# Prints one line per bundled scenario, seed and output kind: the SHA-256 of what `wirestep run` writes
# (--pcap, --pcapng, --json, the text ladder with --events all) and its exit status. Refactors must leave
# every line unchanged: `scripts/golden-outputs.sh BINARY --check` compares against tests/golden/.
#   scripts/golden-outputs.sh BINARY            print the table
#   scripts/golden-outputs.sh BINARY --check    exit 1 with a diff when any line differs from the golden file
set -euo pipefail
# The golden text is the English output: a Chinese locale on the machine must not change it.
export WIRESTEP_LANG=en
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:?usage: golden-outputs.sh WIRESTEP_BINARY [--check]}"
golden="$root/tests/golden/scenario-outputs.sha256"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
table() {
  cd "$root"
  for scenario in scenarios/*.toml; do
    for seed in 1 7 42; do
      # The text run writes no files, so no temporary path reaches the text being hashed.
      status=0
      "$bin" run "$scenario" --seed "$seed" --events all >"$work/o.txt" 2>&1 || status=$?
      "$bin" run "$scenario" --seed "$seed" --quiet --pcap "$work/o.pcap" --pcapng "$work/o.pcapng" \
        --json "$work/o.json" >/dev/null 2>&1 || true
      for kind in pcap pcapng json txt; do
        sum=absent  # a comparison scenario writes no pcap
        [ -e "$work/o.$kind" ] && sum=$(sha256sum <"$work/o.$kind" | cut -d' ' -f1)
        echo "$scenario seed=$seed $kind $sum"
      done
      echo "$scenario seed=$seed exit $status"
      rm -f "$work"/o.*
    done
  done
}
if [ "${2:-}" = "--check" ]; then
  if ! diff -u "$golden" <(table) >"$work/diff"; then
    echo "golden outputs changed (scenario, seed, output, sha256):"
    cat "$work/diff"
    exit 1
  fi
  echo "golden outputs: $(wc -l <"$golden") lines identical"
else
  table
fi
