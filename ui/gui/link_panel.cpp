#include "ui/gui/link_panel.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

// One labelled row: the label in a fixed column, the widget filling the rest.
void row_label(const char* label, float label_w) {
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(label);
  ImGui::SameLine(label_w);
  ImGui::SetNextItemWidth(-1.0f);
}

// The actions on the selected packet, as menu items (timeline) or buttons (inspector).
void packet_actions(const Document& doc, const ViewState& view, const PacketEditing& editing, EditCommands& c,
                    bool menu) {
  const auto& sel = view.selected;
  if (!editing.editable || !sel || sel->trace >= doc.traces.size()) return;
  const Trace& t = doc.traces[sel->trace]->trace;
  if (sel->packet >= t.packet_count()) return;
  const Lang lang = view.lang;
  const Fate fate = t.fate(sel->packet);
  const char* why_not = (t.marks(sel->packet) & mark::kDuplicate) ? tr(lang, T::EditLinkCopy)
                        : fate == Fate::DroppedByLink || fate == Fate::DroppedByQueue
                            ? tr(lang, T::EditLostPacket)
                            : nullptr;
  if (menu) ImGui::TextDisabled("#%u", sel->packet + 1);
  if (why_not) {
    ImGui::TextDisabled("%s", why_not);
    return;
  }
  const int delay_ms = editing.delay_ms;
  auto send = [&](PacketAction a) {
    c.scenario_edit = AddPacketRule{sel->trace, sel->packet, a, SimDuration::millis(delay_ms)};
  };
  char delay_label[96];
  std::snprintf(delay_label, sizeof delay_label, "%s %d ms", tr(lang, T::DelayPacketBy), delay_ms);
  int ms = delay_ms;
  if (menu) {
    if (ImGui::MenuItem(tr(lang, T::DropPacket))) send(PacketAction::Drop);
    if (ImGui::MenuItem(delay_label)) send(PacketAction::Delay);
    if (ImGui::MenuItem(tr(lang, T::DuplicatePacket))) send(PacketAction::Duplicate);
    ImGui::SetNextItemWidth(140.0f);
    if (ImGui::DragInt("##delay-ms", &ms, 1.0f, 1, 60'000, "%d ms", kClamp)) c.packet_delay_ms = ms;
    return;
  }
  ImGui::TextDisabled("%s", tr(lang, T::PacketEditHint));
  if (ImGui::Button(tr(lang, T::DropPacket))) send(PacketAction::Drop);
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::DelayPacketBy))) send(PacketAction::Delay);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("00000 ms").x + 12.0f);
  if (ImGui::DragInt("##delay-ms", &ms, 1.0f, 1, 60'000, "%d ms", kClamp)) c.packet_delay_ms = ms;
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::DuplicatePacket))) send(PacketAction::Duplicate);
}

}  // namespace

void draw_packet_edit_menu(const Document& doc, const ViewState& view, const PacketEditing& editing,
                           EditCommands& c) {
  if (!ImGui::BeginPopup(kPacketMenuId)) return;
  packet_actions(doc, view, editing, c, true);
  ImGui::EndPopup();
}

void draw_packet_edit_buttons(const Document& doc, const ViewState& view, const PacketEditing& editing,
                              EditCommands& c) {
  packet_actions(doc, view, editing, c, false);
}

void LinkPanel::send_direction(std::size_t link, bool a_to_b, bool released, EditCommands& c) {
  const DirectionSettings& want = a_to_b ? shown_[link].a_to_b : shown_[link].b_to_a;
  const DirectionSettings& ran = a_to_b ? ran_[link].a_to_b : ran_[link].b_to_a;
  if (throttle_.due(ImGui::GetTime(), want != ran, released))
    c.scenario_edit = SetDirection{link, a_to_b, want};
}

void LinkPanel::draw_contents(const EditableScenario& scenario, std::uint64_t generation,
                              const EditOutcome& outcome, Lang lang, EditCommands& c) {
  // A new run (or a refused edit): what ran is what the sliders show, unless one is being dragged.
  if (generation != shown_generation_ || outcome.revision != shown_revision_) {
    shown_generation_ = generation;
    shown_revision_ = outcome.revision;
    ran_ = scenario.links();
    rules_ = scenario.scripted_rules();
    if (!dragging_ || shown_.size() != ran_.size()) {
      shown_ = ran_;
      seed_ = scenario.scenario().seed;
    }
  }

  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", tr(lang, T::LinkHint));
  ImGui::PopStyleColor();

  const float label_w = std::max(ImGui::CalcTextSize(tr(lang, T::MeanBurst)).x,
                                 ImGui::CalcTextSize(tr(lang, T::BurstStart)).x) +
                        14.0f;
  bool dragging = false;
  row_label(tr(lang, T::Seed), label_w);
  const std::uint64_t one = 1;
  const bool seed_stepped = ImGui::InputScalar("##seed", ImGuiDataType_U64, &seed_, &one, nullptr, "%llu",
                                               ImGuiInputTextFlags_EnterReturnsTrue);
  if ((seed_stepped || ImGui::IsItemDeactivatedAfterEdit()) && seed_ != scenario.scenario().seed)
    c.scenario_edit = SetSeed{seed_};

  for (std::size_t l = 0; l < shown_.size(); ++l) {
    for (const bool a_to_b : {true, false}) {
      ImGui::PushID(static_cast<int>(l * 2 + (a_to_b ? 0 : 1)));
      DirectionSettings& s = a_to_b ? shown_[l].a_to_b : shown_[l].b_to_a;
      const std::string& from = a_to_b ? shown_[l].a : shown_[l].b;
      const std::string& to = a_to_b ? shown_[l].b : shown_[l].a;
      ImGui::Spacing();
      ImGui::Separator();
      ImGui::Text("%s \xE2\x86\x92 %s", from.c_str(), to.c_str());
      bool released = false;
      auto track = [&] {
        dragging |= ImGui::IsItemActive();
        released |= ImGui::IsItemDeactivatedAfterEdit();
      };

      row_label(tr(lang, T::Latency), label_w);
      float ms = static_cast<float>(static_cast<double>(s.latency.ns) / 1e6);
      if (ImGui::SliderFloat("##latency", &ms, 0.0f, 1000.0f, "%.1f ms",
                             kClamp | ImGuiSliderFlags_Logarithmic))
        s.latency = SimDuration{std::llround(static_cast<double>(ms) * 1000.0) * 1000};
      track();

      row_label(tr(lang, T::Bandwidth), label_w);
      float mbit = static_cast<float>(static_cast<double>(s.bandwidth_bps) / 1e6);
      if (ImGui::SliderFloat("##bandwidth", &mbit, 0.0f, 1000.0f,
                             s.bandwidth_bps ? "%.2f Mbit/s" : tr(lang, T::Unlimited),
                             kClamp | ImGuiSliderFlags_Logarithmic))
        s.bandwidth_bps = static_cast<std::uint64_t>(std::llround(static_cast<double>(mbit) * 1000.0)) * 1000;
      track();

      row_label(tr(lang, T::LossRate), label_w);
      float loss = static_cast<float>(s.loss) / 1e4f;
      if (ImGui::SliderFloat("##loss", &loss, 0.0f, 100.0f, "%.1f %%", kClamp))
        s.loss = static_cast<Ppm>(std::llround(static_cast<double>(loss) * 1e4));
      track();

      row_label(tr(lang, T::BurstStart), label_w);
      float burst = static_cast<float>(s.burst_start) / 1e4f;
      if (ImGui::SliderFloat("##burst", &burst, 0.0f, 50.0f, "%.1f %%", kClamp))
        s.burst_start = static_cast<Ppm>(std::llround(static_cast<double>(burst) * 1e4));
      track();

      row_label(tr(lang, T::MeanBurst), label_w);
      int mean = static_cast<int>(s.mean_burst);
      char mean_format[64];
      if (mean == 1)
        std::snprintf(mean_format, sizeof mean_format, "%s", tr(lang, T::OnePacket));
      else
        std::snprintf(mean_format, sizeof mean_format, "%%d %s", tr(lang, T::PacketsWord));
      ImGui::BeginDisabled(s.burst_start == 0);
      if (ImGui::SliderInt("##mean-burst", &mean, 1, 50, mean_format, kClamp))
        s.mean_burst = static_cast<std::uint32_t>(mean);
      track();
      ImGui::EndDisabled();

      send_direction(l, a_to_b, released, c);
      ImGui::PopID();
    }
  }
  dragging_ = dragging;

  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextUnformatted(tr(lang, T::ScriptedRules));
  if (rules_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", tr(lang, T::NoScriptedRules));
    ImGui::PopStyleColor();
  }
  for (std::size_t i = 0; i < rules_.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton(tr(lang, T::RemoveRule)))
      c.scenario_edit = RemoveRule{rules_[i].link, rules_[i].impairment};
    ImGui::SameLine();
    ImGui::TextWrapped("%s", rules_[i].text.c_str());
    ImGui::PopID();
  }

  ImGui::Spacing();
  ImGui::Separator();
  if (ImGui::Button(tr(lang, T::SaveScenarioAs))) c.save_scenario_dialog = true;
  if (!outcome.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(outcome.failed ? kLostHex : 0x2E8B3E)).Value);
    ImGui::TextWrapped("%s", outcome.message.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace wirestep::gui
