// Editing an open scenario: link settings, the seed, and scripted rules on single packets ("drop the 7th
// packet A>B"). The scenario is kept as its TOML document; every edit changes that document, which then goes
// through the ordinary loader, so what runs, what the Link tab shows and what "Save scenario as" writes are
// one and the same text. No ImGui here: the Link tab, the timeline menu and the inspector only send edits.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

// What the Link tab shows and changes for one direction of a link.
struct DirectionSettings {
  SimDuration latency{};
  std::uint64_t bandwidth_bps = 0;  // 0: unlimited (no serialization delay)
  Ppm loss = 0;                     // the first Bernoulli loss rule of this direction
  Ppm burst_start = 0;              // the first Gilbert–Elliott rule: good -> bad per packet
  std::uint32_t mean_burst = 1;     // ... and its mean burst length in packets (1 / r)
  bool operator==(const DirectionSettings&) const = default;
};

struct LinkSettings {
  std::string a, b;  // host names as in `between`
  DirectionSettings a_to_b, b_to_a;
};

enum class PacketAction : std::uint8_t { Drop, Delay, Duplicate };

// A scripted rule of the document (drop, delay, or duplicate of chosen packets), for listing and removal.
struct ScriptedRule {
  std::size_t link = 0;        // index of the [[link]]
  std::size_t impairment = 0;  // index in that link's [[link.impairment]] array
  std::string text;            // "A>B: scripted drop of tcp packets #7"
};

// Where a packet of a run went, in the terms a scripted rule uses: the link direction, its transport, and its
// 1-based position among the packets of that transport that reached a rule appended to that direction.
struct PacketTarget {
  std::size_t link = 0;
  bool a_to_b = true;
  Transport proto = Transport::Other;
  std::uint32_t nth = 0;
};

// The edits. Values are checked before the document changes; a rejected edit leaves it as it was.
struct SetDirection {
  std::size_t link = 0;
  bool a_to_b = true;
  DirectionSettings settings;
};
struct SetSeed {
  std::uint64_t seed = 1;
};
struct AddPacketRule {
  std::uint32_t run = 0;  // which of the document's runs the packet is in (a comparison has TCP and UDP)
  std::uint32_t packet = 0;
  PacketAction action = PacketAction::Drop;
  SimDuration delay = SimDuration::millis(200);  // for Delay
};
struct RemoveRule {
  std::size_t link = 0;
  std::size_t impairment = 0;
};
using ScenarioEdit = std::variant<SetDirection, SetSeed, AddPacketRule, RemoveRule>;

// Finds the rule position of `packet` in `run` (a Trace produced from `sc`). Fails with a reason when no
// scripted rule can name it: a copy made by the link, a packet the link already lost (for every action: a
// lost packet cannot be delayed or copied either), or a packet no link carried.
Result<PacketTarget> target_packet(const Scenario& sc, const Trace& run, std::uint32_t packet);

// Quantities written the way scenario files write them, so that the loader reads back the exact value.
std::string format_duration_value(SimDuration d);       // 12'500'000 ns -> "12.5ms", 2 s -> "2s"
std::string format_bandwidth_value(std::uint64_t bps);  // 10'000'000 -> "10Mbit", 1'500'000 -> "1500kbit"

class EditableScenario {
 public:
  // `file` names the scenario in messages and is where "save" would have come from.
  static Result<EditableScenario> from_text(std::string_view toml_text, const std::string& file);
  static Result<EditableScenario> from_file(const std::string& path);

  EditableScenario(EditableScenario&&) noexcept;
  EditableScenario& operator=(EditableScenario&&) noexcept;
  ~EditableScenario();

  // The document as loaded by the scenario loader: what a run uses.
  const Scenario& scenario() const;
  // The document as it is saved: the original file's opening comment, a note that it was edited, and the
  // tables in the usual order. Loading this text gives scenario() exactly.
  std::string text() const;
  bool edited() const { return edits_ > 0; }

  std::vector<LinkSettings> links() const;
  std::vector<ScriptedRule> scripted_rules() const;

  // Applies one edit. `runs` are the Traces of the current document (needed by AddPacketRule).
  Status apply(const ScenarioEdit& edit, const std::vector<const Trace*>& runs);
  Status save(const std::string& path) const;

 private:
  struct Impl;
  explicit EditableScenario(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::uint32_t edits_ = 0;
};

// Re-running while a slider is dragged: at most once per `interval_s`, and always when the drag ends, so the
// last value is the one that runs.
class RerunThrottle {
 public:
  explicit RerunThrottle(double interval_s = 0.1) : interval_s_(interval_s) {}
  // `changed`: the value differs from what last ran; `released`: the widget was let go this frame.
  bool due(double now_s, bool changed, bool released);

 private:
  double interval_s_;
  double last_s_ = -1e300;
};

}  // namespace wirestep
