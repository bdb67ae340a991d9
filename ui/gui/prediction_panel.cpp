#include "ui/gui/prediction_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "ui/gui/packet_text.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kRightHex = 0x2E7D32;
constexpr unsigned kWrongHex = 0xC62828;
constexpr unsigned kPromptHex = 0xB4530A;  // the blocked-step notice

std::string endpoint_column(const LoadedTrace& lt, const PacketRecord& p, bool source) {
  const FlowColumns fc = p.flow < lt.flow_columns.size() ? lt.flow_columns[p.flow] : FlowColumns{};
  const bool a = (p.dir == Direction::AtoB) == source;
  const std::uint8_t col = a ? fc.a : fc.b;
  return col < lt.columns.size() ? lt.columns[col].name : std::string("?");
}

// One field's answer: its verdict in colour, then the reason (which starts with the answer), then what the
// learner guessed when it was wrong.
void verdict_block(Lang lang, Verdict v, const std::string& reason, const std::string& guess) {
  if (v == Verdict::NotAsked) return;
  const unsigned hex = v == Verdict::Right ? kRightHex : v == Verdict::Wrong ? kWrongHex : kDimTextHex;
  const T word = v == Verdict::Right   ? T::PredictRight
                 : v == Verdict::Wrong ? T::PredictWrong
                                       : T::PredictShown;
  ImGui::TextColored(ImColor(rgb(hex)).Value, "%s", tr(lang, word));
  ImGui::SameLine();
  ImGui::TextUnformatted(reason.c_str());
  if (v == Verdict::Wrong) ImGui::TextDisabled("    %s: %s", tr(lang, T::PredictYourGuess), guess.c_str());
}

std::string flags_text(std::uint8_t flags) {
  const std::string s = wire::tcp_flags_to_string(flags & kPredictedFlags);
  return s.empty() ? std::string("-") : s;
}

std::string number_text(const std::optional<std::uint32_t>& v) {
  return v ? std::to_string(*v) : std::string("-");
}

}  // namespace

void PredictionPanel::draw(const Document& doc, const PredictionSession& s, Lang lang, PredictionCommands& c,
                           const PanelRect& r) {
  const float width = std::min(460.0f, r.w - 24.0f);
  // Bottom left of the timeline, above its legend: the ladder's first lane and the events beside it stay
  // visible above the window.
  const float legend_h = ImGui::GetTextLineHeight() * 2.0f + 24.0f;
  char title[96];
  std::snprintf(title, sizeof title, "%s###predict", tr(lang, T::PredictTitle));
  const PanelWindow window(title, OverlayPlacement{.anchor = {r.x + 12.0f, r.y + r.h - legend_h},
                                                   .pivot = {0.0f, 1.0f},
                                                   .min_size = {width, 0.0f},
                                                   .max_size = {width, r.h * 0.6f},
                                                   .bg_alpha = 0.97f});
  if (!window.visible()) return;
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 2.0f * ImGui::GetStyle().WindowPadding.x);
  if (s.hidden())
    draw_question(doc, s, lang, c);
  else if (!s.question())
    ImGui::TextDisabled("%s", tr(lang, T::PredictNothing));
  if (s.result()) {
    if (s.hidden()) ImGui::Separator();
    draw_result(doc, s, lang);
  }
  ImGui::PopTextWrapPos();
}

void PredictionPanel::draw_question(const Document& doc, const PredictionSession& s, Lang lang,
                                    PredictionCommands& c) {
  const PredictionQuestion& q = *s.question();
  const LoadedTrace& lt = *doc.traces.at(q.packet.trace);
  const PacketRecord p = lt.trace.packet(q.packet.packet);
  if (inputs_for_ != q.packet) {
    inputs_for_ = q.packet;
    seq_buf_[0] = ack_buf_[0] = '\0';
    syn_ = ack_ = fin_ = rst_ = false;
  }

  // Which segment: who sends it to whom, when, and how much data (the one thing on its label still shown).
  char t0[32];
  format_time(t0, sizeof t0, p.time.ns, 1000);
  ImGui::Text("#%u  %s \xE2\x86\x92 %s   %s", q.packet.packet + 1, endpoint_column(lt, p, true).c_str(),
              endpoint_column(lt, p, false).c_str(), t0);
  if (p.payload_len) {
    ImGui::SameLine();
    ImGui::TextDisabled("len=%u", p.payload_len);
  }
  ImGui::TextUnformatted(
      tr(lang, q.kind == PredictKind::Flags ? T::PredictFlagsPrompt : T::PredictNumbersPrompt));

  // After a blocked step the first field takes the keyboard, so the learner can type straight away.
  const bool focus = s.blocked() && !was_blocked_;
  was_blocked_ = s.blocked();
  PredictionGuess guess;
  bool enter = false;
  const ImGuiInputTextFlags number_flags =
      ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_EnterReturnsTrue;
  if (q.kind == PredictKind::Numbers) {
    const float field_w = ImGui::CalcTextSize("4294967295").x + 16.0f;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("seq");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field_w);
    if (focus) ImGui::SetKeyboardFocusHere();
    enter |= ImGui::InputText("##seq", seq_buf_, sizeof seq_buf_, number_flags);
    if (q.has_ack) {
      ImGui::SameLine(0.0f, 16.0f);
      ImGui::TextUnformatted("ack");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(field_w);
      enter |= ImGui::InputText("##ack", ack_buf_, sizeof ack_buf_, number_flags);
    }
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::TextDisabled("%s", tr(lang, q.relative ? T::PredictRelative : T::PredictAbsolute));
    guess.seq = parse_guess_number(seq_buf_);
    guess.ack = parse_guess_number(ack_buf_);
  } else {
    ImGui::Checkbox("SYN", &syn_);
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::Checkbox("ACK", &ack_);
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::Checkbox("FIN", &fin_);
    ImGui::SameLine(0.0f, 16.0f);
    ImGui::Checkbox("RST", &rst_);
    namespace f = wire::tcp_flag;
    guess.flags = static_cast<std::uint8_t>((syn_ ? f::kSyn : 0) | (ack_ ? f::kAck : 0) |
                                            (fin_ ? f::kFin : 0) | (rst_ ? f::kRst : 0));
  }

  const bool complete = guess_complete(q, guess);
  ImGui::BeginDisabled(!complete);
  if (ImGui::Button(tr(lang, T::PredictCheck)) || (enter && complete)) c.guess = guess;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::PredictShow))) {
    PredictionGuess shown;
    shown.shown = true;
    c.guess = shown;
  }
  if (s.asked()) {
    ImGui::SameLine(0.0f, 20.0f);
    ImGui::TextDisabled("%s %d/%d", tr(lang, T::PredictScore), s.right(), s.asked());
  }
  if (s.blocked()) ImGui::TextColored(ImColor(rgb(kPromptHex)).Value, "%s", tr(lang, T::PredictBlocked));
  // Typing done: hand the keyboard back so the arrow keys step again.
  if (c.guess) ImGui::SetWindowFocus(nullptr);
}

void PredictionPanel::refresh_reasons(const Document& doc, const PredictionSession& s, Lang lang) {
  const PredictionResult& r = *s.result();
  const PacketRef ref = r.question.packet;
  if (reasons_for_ == ref && reasons_lang_ == lang && reasons_relative_ == r.question.relative) return;
  reasons_for_ = ref;
  reasons_lang_ = lang;
  reasons_relative_ = r.question.relative;
  const LoadedTrace& lt = *doc.traces.at(ref.trace);
  // The numbering the question was asked in, so the reasons use the numbers the learner saw.
  const RelativeSeq* rel = r.question.relative && lt.rel ? &*lt.rel : nullptr;
  seq_reason_ = seq_reason(lt.trace, ref.packet, rel, lang);
  ack_reason_ = ack_reason(lt.trace, ref.packet, rel, lang);
  flags_reason_ = flags_reason(lt.trace, ref.packet, rel, lang);
}

void PredictionPanel::draw_result(const Document& doc, const PredictionSession& s, Lang lang) {
  const PredictionResult& r = *s.result();
  if (r.question.packet.trace >= doc.traces.size()) return;
  refresh_reasons(doc, s, lang);
  const bool current = !s.hidden() && s.question() && s.question()->packet == r.question.packet;
  if (!current)
    ImGui::TextDisabled("%s: #%u", tr(lang, T::PredictLastAnswer), r.question.packet.packet + 1);
  else
    ImGui::Text("#%u", r.question.packet.packet + 1);
  if (r.question.kind == PredictKind::Flags) {
    verdict_block(lang, r.flags, flags_reason_, flags_text(r.guess.flags));
  } else {
    verdict_block(lang, r.seq, seq_reason_, number_text(r.guess.seq));
    if (r.question.has_ack) verdict_block(lang, r.ack, ack_reason_, number_text(r.guess.ack));
  }
  if (current) ImGui::TextDisabled("%s", tr(lang, T::PredictContinue));
  if (s.asked() && !s.hidden())
    ImGui::TextDisabled("%s %d/%d", tr(lang, T::PredictScore), s.right(), s.asked());
}

}  // namespace wirestep::gui
