#!/usr/bin/env bash
# Enforces the include directions of docs/architecture.md: the model (sim/ without sim/analysis) includes only
# itself; the analysis layer (sim/analysis) and packetdrill (sim/packetdrill) the model and themselves; capture/ those two; the UI's headless model
# (ui/model) and the command line (ui/cli) no ImGui or GLFW and not the desktop UI (ui/gui); no panel header
# includes the App; nothing outside tests/ includes tests/. The model and analysis
# layers include no libpcap, ImGui, GLFW, threads or clocks, except the two recorded exceptions below.
#   scripts/check-includes.sh [ROOT]    exit 0 when every file keeps the rules, 1 with one line per breach
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

layer_of() {
  case "$1" in
    sim/analysis/*) echo analysis ;;
    sim/packetdrill/*) echo packetdrill ;;
    sim/*) echo model ;;
    capture/*) echo capture ;;
    ui/cli/*) echo cli ;;
    ui/model/*) echo uimodel ;;
    ui/*) echo ui ;;
    tests/*) echo tests ;;
    *) echo other ;;
  esac
}
# Which layers each layer may include.
allowed() {
  case "$1" in
    model) echo "model" ;;
    analysis) echo "model analysis" ;;
    packetdrill) echo "model packetdrill" ;;
    capture) echo "model analysis capture" ;;
    cli) echo "model analysis packetdrill capture cli" ;;
    uimodel) echo "model analysis packetdrill capture cli uimodel" ;;
    ui) echo "model analysis packetdrill capture cli uimodel ui" ;;
    tests) echo "model analysis packetdrill capture cli uimodel ui tests" ;;
  esac
}
# System headers the model and analysis layers must not use: the simulator is single-threaded, reads no clock
# and links no capture or UI library (STYLE.md §1, DESIGN.md "Determinism").
forbidden_system='^(pcap|imgui|GLFW|GL/|thread>|chrono>|mutex>|condition_variable>|future>|random>|ctime>|time\.h>|nlohmann|CLI/)'
# Deliberate exceptions (docs/architecture.md): the Trace's tables live in huge-page mappings.
mman_ok='^sim/trace/(page_arena\.cpp|mapped_column\.hpp|page_warmer\.cpp)$'
# ... and the page warmer faults the Trace's fresh memory in on its own thread (no byte, no result depends on it).
memory_thread_ok='^sim/trace/page_warmer\.cpp$'
# ... and the event log's and the option table's block decode caches are per thread (output never depends on them).
thread_local_ok='^sim/trace/(event_log|option_table)\.cpp$'

breaches=0
report() {
  echo "$1"
  breaches=$((breaches + 1))
}
while IFS= read -r file; do
  from=$(layer_of "$file")
  ok=" $(allowed "$from") "
  case "$from" in model | analysis | packetdrill) low=1 ;; *) low=0 ;; esac
  while IFS=: read -r line text; do
    [[ $text =~ include[[:space:]]*(.*)$ ]] || continue
    target=${BASH_REMATCH[1]}
    if [[ $target == \"* ]]; then
      path=${target#\"}
      path=${path%%\"*}
      case "$path" in
        sim/analysis/*) to=analysis ;; sim/packetdrill/*) to=packetdrill ;; sim/*) to=model ;; capture/*) to=capture ;; ui/cli/*) to=cli ;;
        ui/model/*) to=uimodel ;; ui/*) to=ui ;; tests/*) to=tests ;; *) to=other ;;
      esac
      [ "$to" = other ] && continue
      [[ $ok == *" $to "* ]] || report "$file:$line: $from must not include $to ($path)"
    elif [[ $target == \<* ]] && [ "$low" = 1 ]; then
      header=${target#<}
      if [[ $header =~ $forbidden_system ]] && ! { [[ $file =~ $memory_thread_ok ]] &&
        [[ $header =~ ^(thread|mutex|condition_variable)\> ]]; }; then
        report "$file:$line: $from must not include <$header"
      elif [[ $header == sys/mman.h* ]] && ! [[ $file =~ $mman_ok ]]; then
        report "$file:$line: only sim/trace/page_arena.cpp, mapped_column.hpp and page_warmer.cpp may map memory (<sys/mman.h>)"
      fi
    elif [[ $target == \<* ]] && { [ "$from" = uimodel ] || [ "$from" = cli ]; }; then
      header=${target#<}
      [[ $header =~ ^(imgui|GLFW|GL/) ]] && report "$file:$line: $from is headless and must not include <$header"
    fi
    # A panel gets the document, the view state and its command groups, never the whole App.
    if [[ $file == ui/gui/*panel*.hpp && $target == \"ui/gui/app.hpp\"* ]]; then
      report "$file:$line: a panel header must not include the App (ui/gui/app.hpp)"
    fi
  done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$file" || true)
  if [ "$low" = 1 ] && ! [[ $file =~ $thread_local_ok ]] &&
    grep -qw thread_local "$file"; then
    report "$file: $from must not use thread_local (only the decode caches of sim/trace/event_log.cpp and option_table.cpp may)"
  fi
done < <(find sim capture ui tests -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) 2>/dev/null | sort)

if [ "$breaches" -gt 0 ]; then
  echo "include directions: $breaches breach(es); the layers are drawn in docs/architecture.md"
  exit 1
fi
echo "include directions: every file keeps the layering"
