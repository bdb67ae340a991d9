#include "ui/gui/controls_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "ui/gui/packet_text.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/ui_text.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep::gui {

std::string describe_step(const Document& doc, const TimelineStep& s, Lang lang) {
  if (s.trace >= doc.traces.size()) return {};
  const LoadedTrace& lt = *doc.traces[s.trace];
  const bool zh = lang == Lang::Zh;
  char t[32];
  format_time(t, sizeof t, s.time_ns, 1000);
  std::string out = t;
  out += "  ";
  if (!lt.label.empty()) out += "[" + lt.label_in(lang) + "] ";
  auto column_name = [&](std::uint8_t c) {
    return c < lt.columns.size() ? lt.columns[c].name : std::string("?");
  };
  if (s.kind == StepKind::Event) {
    const TraceEvent e = lt.trace.event(s.index);
    const std::string host = e.host < lt.trace.hosts().size() ? lt.trace.hosts()[e.host].name : std::string();
    return out + host + ": " + event_text(lang, e.kind, e.detail);
  }
  const PacketRecord p = lt.trace.packet(s.index);
  const LadderEnds ends = ladder_ends(lt.trace, s.index, p, lt.flow_columns);  // a routed run: this hop's
  std::string src = column_name(ends.from);
  std::string dst = column_name(ends.to);
  // A capture's lanes may fold hosts into "others": the status names the packet's own addresses.
  if (doc.capture && p.flow < lt.trace.flows().size()) {
    const TraceFlow& f = lt.trace.flows()[p.flow];
    const bool ip = !(f.proto == Transport::Other && f.a == wire::IpAddr{} && f.b == wire::IpAddr{});
    src = ip ? (p.dir == Direction::AtoB ? f.a : f.b).to_string() : column_display_name(lang, kNonIpColumn);
    dst = ip ? (p.dir == Direction::AtoB ? f.b : f.a).to_string() : "?";
  } else {
    src = column_display_name(lang, src);
    dst = column_display_name(lang, dst);
  }
  char label[96];
  format_packet_label(label, sizeof label, lt.trace, s.index, lt.rel ? &*lt.rel : nullptr, LabelText::Plain,
                      lang);
  if (s.kind == StepKind::Send) {
    out += zh ? src + " 发送 " + label + " 给 " + dst : src + " sends " + label + " to " + dst;
    const std::string_view cause = cause_name(lang, p.cause);
    if (p.cause == Cause::RtoRetransmission || p.cause == Cause::FastRetransmission ||
        p.cause == Cause::RecoveryRetransmission || p.cause == Cause::RackRetransmission ||
        p.cause == Cause::TailLossProbe || p.cause == Cause::DuplicateAck ||
        p.cause == Cause::ZeroWindowProbe)
      out += " (" + std::string(cause) + ")";
    return out;
  }
  switch (p.fate) {
    case Fate::DroppedByLink:
    case Fate::DroppedByQueue: {
      const auto& rules = lt.trace.drop_rules();
      out += zh ? std::string("链路丢失了 ") + label : std::string("the link loses ") + label;
      if (p.rule && p.rule <= rules.size()) out += "  (" + drop_rule_text(lang, rules[p.rule - 1]) + ")";
      return out;
    }
    case Fate::DroppedByHost:
      return out + (zh ? label + std::string(" 到达 ") + dst + "，但被丢弃"
                       : label + std::string(" reaches ") + dst + ", which drops it");
    default:
      return out + (zh ? label + std::string(" 到达 ") + dst : label + std::string(" arrives at ") + dst);
  }
}

namespace {

constexpr float kSpeedW = 150.0f;
constexpr float kMinTimeW = 200.0f;

float button_w(const char* label) {
  return ImGui::CalcTextSize(label, nullptr, true).x + ImGui::GetStyle().FramePadding.x * 2.0f;
}

// The navigation buttons' row width, spacing included.
float buttons_w(Lang lang) {
  const float sp = ImGui::GetStyle().ItemSpacing.x;
  return button_w(tr(lang, T::Start)) + button_w(tr(lang, T::StepBack)) +
         ImGui::CalcTextSize(tr(lang, T::Pause)).x + 28.0f + button_w(tr(lang, T::StepForward)) +
         button_w(tr(lang, T::End)) + button_w(tr(lang, T::ZoomFit)) + 6.0f * sp;
}

float predict_w(Lang lang) {
  const ImGuiStyle& style = ImGui::GetStyle();
  return ImGui::GetFrameHeight() + style.ItemInnerSpacing.x +
         ImGui::CalcTextSize(tr(lang, T::PredictToggle)).x + style.ItemSpacing.x;
}

bool one_row(Lang lang, float content_w) {
  return buttons_w(lang) + kSpeedW + predict_w(lang) + kMinTimeW + 2.0f * ImGui::GetStyle().ItemSpacing.x <=
         content_w;
}

float content_width(float width) {
  return width - 2.0f * ImGui::GetStyle().WindowPadding.x;
}

}  // namespace

float ControlsPanel::height(Lang lang, float width) {
  const bool wide = one_row(lang, content_width(width));
  return ImGui::GetFrameHeightWithSpacing() * (wide ? 1.0f : 2.0f) +
         ImGui::GetTextLineHeightWithSpacing() * (wide ? 1.0f : 2.0f) + 2 * ImGui::GetStyle().WindowPadding.y;
}

void ControlsPanel::draw(const Document& doc, const ViewState& view, bool predicting, NavigationCommands& nav,
                         PredictionCommands& predict, const PanelRect& r) {
  const PanelWindow window("###controls", r, {.title_bar = false, .scrollbar = false});
  if (window.visible()) draw_contents(doc, view, predicting, nav, predict);
}

void ControlsPanel::draw_contents(const Document& doc, const ViewState& v, bool predicting,
                                  NavigationCommands& nav, PredictionCommands& predict) {
  const Lang lang = v.lang;
  char buf[64];

  if (ImGui::Button(tr(lang, T::Start))) nav.to_start = true;
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::StepBack))) nav.step = -1;
  ImGui::SameLine();
  std::snprintf(buf, sizeof buf, "%s###play", tr(lang, v.playing ? T::Pause : T::Play));
  if (ImGui::Button(buf, {ImGui::CalcTextSize(tr(lang, T::Pause)).x + 28.0f, 0})) nav.toggle_play = true;
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::StepForward))) nav.step = +1;
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::End))) nav.to_end = true;
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::ZoomFit))) nav.fit = true;

  // Speed on a log scale: 0.01x (a 10 ms flight takes a second) to 1000x (fast-forward). On a narrow bar it
  // starts the second row, with Predict and the time field.
  if (one_row(lang, ImGui::GetWindowContentRegionMax().x - ImGui::GetWindowContentRegionMin().x))
    ImGui::SameLine();
  ImGui::SetNextItemWidth(kSpeedW);
  float lg = static_cast<float>(std::log10(v.speed));
  std::snprintf(buf, sizeof buf, v.speed < 0.1 ? "%s %.3gx" : "%s %.3gx", tr(lang, T::Speed), v.speed);
  if (ImGui::SliderFloat("##speed", &lg, -2.0f, 3.0f, buf))
    nav.speed = std::pow(10.0, static_cast<double>(lg));

  // Prediction mode (teaching): the next segment's numbers or flags stay hidden until guessed. Shown when
  // the bar has room beside the time slider; the View menu always has it.
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x >= predict_w(lang) + 160.0f) {
    bool on = predicting;
    if (ImGui::Checkbox(tr(lang, T::PredictToggle), &on)) predict.enable = on;
    ImGui::SameLine();
  }

  // The time cursor.
  ImGui::SetNextItemWidth(std::max(120.0f, ImGui::GetContentRegionAvail().x));
  double ms = static_cast<double>(v.cursor.time_ns) / 1e6;
  const double lo = static_cast<double>(doc.begin_ns) / 1e6, hi = static_cast<double>(doc.end_ns) / 1e6;
  std::snprintf(buf, sizeof buf, "%s %%.3f ms", tr(lang, T::Time));
  // The value is printed over the grab; on a narrow bar the grab sits on its digits, so it is drawn
  // translucent to keep them readable.
  ImVec4 grab = ImGui::GetStyleColorVec4(ImGuiCol_SliderGrab);
  grab.w *= 0.4f;
  ImGui::PushStyleColor(ImGuiCol_SliderGrab, grab);
  if (ImGui::SliderScalar("##cursor", ImGuiDataType_Double, &ms, &lo, &hi, buf))
    nav.set_cursor_ns = static_cast<std::int64_t>(std::llround(ms * 1e6));
  ImGui::PopStyleColor();

  // What just happened, in a sentence.
  if (!described_once_ || v.cursor.step != described_ || lang != described_lang_ ||
      doc.generation != described_generation_) {
    described_once_ = true;
    described_generation_ = doc.generation;
    described_ = v.cursor.step;
    described_lang_ = lang;
    description_ = described_ ? keep_units_together(describe_step(doc, *described_, lang))
                              : std::string(tr(lang, T::NoStep));
  }
  ImGui::TextWrapped("%s", description_.c_str());
}

}  // namespace wirestep::gui
