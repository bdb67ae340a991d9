#!/usr/bin/env bash
# Shows that scripts/check-includes.sh catches a wrong-way include: in a copy of the source tree it plants one
# breach at a time (model -> capture, model -> ui, analysis -> capture, analysis -> ui, capture -> ui, a thread
# in the model, a memory mapping outside sim/trace, a panel header including the App, the headless UI model
# including ImGui or the desktop UI) and expects exit 1 naming the file; the untouched copy and
# an allowed include (analysis -> model) must pass.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
check="$root/scripts/check-includes.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0

fresh_copy() {
  rm -rf "$work/tree"
  mkdir -p "$work/tree"
  (cd "$root" && find sim capture ui tests -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) \
    -exec cp --parents -t "$work/tree" {} +)
}
expect() {  # expect pass|fail FILE LINE
  local want=$1 file=$2 line=$3 status=0
  fresh_copy
  printf '%s\n' "$line" >>"$work/tree/$file"
  "$check" "$work/tree" >"$work/out" 2>&1 || status=$?
  if [ "$want" = fail ] && { [ "$status" -ne 1 ] || ! grep -q "^$file:" "$work/out"; }; then
    echo "FAIL: planting '$line' in $file was not reported (exit $status):"
    cat "$work/out"
    failures=$((failures + 1))
  elif [ "$want" = pass ] && [ "$status" -ne 0 ]; then
    echo "FAIL: '$line' in $file is allowed but was reported (exit $status):"
    cat "$work/out"
    failures=$((failures + 1))
  else
    echo "ok: $want: $file: $line"
  fi
}

fresh_copy
if ! "$check" "$work/tree" >"$work/out" 2>&1; then
  echo "FAIL: the untouched tree breaks the rules:"
  cat "$work/out"
  exit 1
fi
echo "ok: the untouched tree passes"
expect fail sim/tcp/tcp_input.cpp '#include "capture/capture_reader.hpp"'
expect fail sim/trace/trace.hpp '#include "ui/gui/view_state.hpp"'
expect fail sim/trace/trace.cpp '#include "sim/analysis/flow_analysis.hpp"'
expect fail sim/analysis/flow_analysis.cpp '#include "capture/capture_reader.hpp"'
expect fail sim/analysis/prediction.hpp '#include "ui/cli/ladder_text.hpp"'
expect fail capture/pcap_export.cpp '#include "ui/cli/commands.hpp"'
expect fail sim/net/host.cpp '#include <thread>'
expect fail sim/analysis/step_order.cpp '#include <pcap/pcap.h>'
expect fail sim/net/link.cpp '#include <sys/mman.h>'
expect fail sim/core/rng.cpp 'thread_local int planted = 0;'
expect fail ui/gui/timeline_panel.hpp '#include "ui/gui/app.hpp"'
expect fail ui/model/document.hpp '#include "ui/gui/view_state.hpp"'
expect fail ui/model/document.cpp '#include <imgui.h>'
expect fail ui/cli/ladder_text.cpp '#include "ui/model/document.hpp"'
expect pass sim/analysis/ground_truth.cpp '#include "sim/trace/trace.hpp"'
expect pass capture/pcap_export.cpp '#include "sim/analysis/flow_analysis.hpp"'
[ "$failures" -eq 0 ] || exit 1
echo "include check: every planted breach reported"
