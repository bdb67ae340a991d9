#include "ui/gui/live_panel.hpp"

#include <unistd.h>

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "capture/interfaces.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

constexpr unsigned kErrorHex = 0xB42318;
constexpr unsigned kRunningHex = 0x2E8B3E;

void heading(const char* text) {
  ImGui::Spacing();
  ImGui::TextUnformatted(text);
  ImGui::Separator();
}

void hint(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

void error_text(const std::string& text) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImColor(rgb(kErrorHex)).Value);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
}

}  // namespace

// Listed on first show and on Refresh only: getifaddrs and pcap_findalldevs are system calls, not per-frame
// work.
void LivePanel::list_interfaces() {
  listed_ = true;
  interfaces_.clear();
  interfaces_error_.clear();
  auto list = wirestep::list_interfaces();
  if (!list) {
    interfaces_error_ = list.error().message();
    return;
  }
  for (const NetworkInterface& i : *list)
    if (i.capturable) interfaces_.push_back(i.name);
  // Loopback first: it is there on every machine, and the lab and tests talk over it.
  interface_ = 0;
  for (std::size_t k = 0; k < interfaces_.size(); ++k)
    if (interfaces_[k] == "lo") interface_ = static_cast<int>(k);
}

void LivePanel::draw_contents(const LiveFeed& feed, bool following, const std::string& message, Lang lang,
                              LiveCommands& c) {
  if (!listed_) list_interfaces();
  const bool running = feed.running();
  char buf[256];

  // Capture on an interface.
  heading(tr(lang, T::LiveCaptureHeading));
  ImGui::BeginDisabled(running);
  ImGui::TextUnformatted(tr(lang, T::LiveInterface));
  ImGui::SameLine();
  const float refresh_w =
      ImGui::CalcTextSize(tr(lang, T::LiveRefresh)).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x - refresh_w - 8.0f));
  const char* current = interface_ < static_cast<int>(interfaces_.size()) ? interfaces_[interface_].c_str()
                                                                          : tr(lang, T::LiveNoInterfaces);
  if (ImGui::BeginCombo("##interface", current)) {
    for (int k = 0; k < static_cast<int>(interfaces_.size()); ++k) {
      ImGui::PushID(k);
      if (ImGui::Selectable(interfaces_[k].c_str(), k == interface_)) interface_ = k;
      ImGui::PopID();
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::LiveRefresh))) list_interfaces();
  ImGui::TextUnformatted(tr(lang, T::LiveFilter));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::InputTextWithHint("##filter", tr(lang, T::LiveFilterHint), filter_, sizeof filter_);
  ImGui::BeginDisabled(interfaces_.empty());
  if (ImGui::Button(tr(lang, T::LiveStartCapture)) && interface_ < static_cast<int>(interfaces_.size())) {
    LiveCaptureOptions o;
    o.interface = interfaces_[interface_];
    o.bpf_filter = filter_;
    c.capture = o;
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  if (!interfaces_error_.empty()) error_text(interfaces_error_);
  if (geteuid() != 0) hint(tr(lang, T::LiveCaptureHint));  // root captures anything

  // The live lab.
  heading(tr(lang, T::LiveLabHeading));
  // While the lab runs, its controls show what it was started with (also when started by `shot`).
  if (running && feed.lab_options()) {
    const LiveLabOptions& o = *feed.lab_options();
    lab_namespaces_ = o.namespaces;
    lab_tcp_ = o.tcp;
    lab_udp_ = o.udp;
    lab_loss_percent_ = static_cast<float>(o.loss) / 10'000.0f;
  }
  ImGui::BeginDisabled(running);
  if (ImGui::RadioButton(tr(lang, T::LiveLabLoopback), !lab_namespaces_)) lab_namespaces_ = false;
  ImGui::SameLine();
  if (ImGui::RadioButton(tr(lang, T::LiveLabNamespaces), lab_namespaces_)) lab_namespaces_ = true;
  ImGui::Checkbox("TCP", &lab_tcp_);
  ImGui::SameLine();
  ImGui::Checkbox("UDP", &lab_udp_);
  // Loopback has no place to drop packets: loss needs the namespaces' nftables rule.
  ImGui::BeginDisabled(!lab_namespaces_);
  ImGui::SetNextItemWidth(-1.0f);
  ImGui::SliderFloat("##loss", &lab_loss_percent_, 0.0f, 30.0f, tr(lang, T::LiveLoss));
  ImGui::EndDisabled();
  ImGui::BeginDisabled(!lab_tcp_ && !lab_udp_);
  if (ImGui::Button(tr(lang, T::LiveStartLab))) {
    LiveLabOptions o;
    o.namespaces = lab_namespaces_;
    o.tcp = lab_tcp_;
    o.udp = lab_udp_;
    o.loss = lab_namespaces_ ? static_cast<Ppm>(std::lround(lab_loss_percent_ * 10'000.0f)) : 0;
    // Small enough that each arrow can be followed on the timeline, big enough for loss to show.
    o.tcp_bytes = 300'000;
    o.udp_messages = 100;
    o.udp_interval_ms = 10;
    o.timeout_s = 30;
    c.lab = o;
  }
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  hint(tr(lang, T::LiveLabHint));

  if (!feed.active()) return;

  // What the live document is doing.
  const LiveSourceStatus& st = feed.status();
  ImGui::Spacing();
  ImGui::Separator();
  ImGui::TextColored(ImColor(rgb(st.running ? kRunningHex : kDimTextHex)).Value, "%s",
                     tr(lang, st.running ? T::LiveCapturing : T::LiveStopped));
  ImGui::SameLine();
  ImGui::TextUnformatted(st.what.c_str());
  if (const LiveTraceBuilder::Counts* n = feed.counts()) {
    std::snprintf(buf, sizeof buf, "%llu %s: %llu TCP, %llu UDP, %llu %s",
                  static_cast<unsigned long long>(n->frames), tr(lang, T::LiveFramesWord),
                  static_cast<unsigned long long>(n->tcp), static_cast<unsigned long long>(n->udp),
                  static_cast<unsigned long long>(n->other), tr(lang, T::KindOther));
    ImGui::TextUnformatted(buf);
  }
  if (st.dropped_by_kernel)
    ImGui::Text("%llu %s", static_cast<unsigned long long>(st.dropped_by_kernel),
                tr(lang, T::LiveDroppedByKernel));
  if (st.running && ImGui::Button(tr(lang, T::LiveStop))) c.stop = true;
  if (st.running) ImGui::SameLine();
  if (following) {
    ImGui::TextDisabled("%s", tr(lang, T::LiveFollowing));
  } else if (ImGui::Button(tr(lang, T::LiveFollow))) {
    c.follow = true;
  }

  const float save_w =
      ImGui::CalcTextSize(tr(lang, T::LiveSavePcap)).x + 2 * ImGui::GetStyle().FramePadding.x;
  ImGui::SetNextItemWidth(std::max(80.0f, ImGui::GetContentRegionAvail().x - save_w - 8.0f));
  ImGui::InputText("##save-path", save_path_, sizeof save_path_);
  ImGui::SameLine();
  if (ImGui::Button(tr(lang, T::LiveSavePcap)) && save_path_[0]) c.save_path = std::string(save_path_);
  if (!message.empty()) hint(message.c_str());
  if (!st.error.empty()) error_text(st.error);
  if (st.lab_result) {
    const LiveLabResult& r = *st.lab_result;
    // Wrapped: the byte counts can be wider than the column.
    if (r.tcp_bytes_sent || r.tcp_bytes_received) {
      std::snprintf(buf, sizeof buf, "TCP: %s %llu B, %s %llu B", tr(lang, T::LiveLabSent),
                    static_cast<unsigned long long>(r.tcp_bytes_sent), tr(lang, T::LiveLabReceived),
                    static_cast<unsigned long long>(r.tcp_bytes_received));
      ImGui::TextWrapped("%s", buf);
    }
    if (r.udp_sent) {
      std::snprintf(buf, sizeof buf, "UDP: %s %u, %s %u", tr(lang, T::LiveLabSent), r.udp_sent,
                    tr(lang, T::LiveLabReceived), r.udp_received);
      ImGui::TextWrapped("%s", buf);
    }
    if (!r.tcp_error.empty()) error_text(r.tcp_error);
  }
  if (!st.progress.empty()) {
    ImGui::Spacing();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextUnformatted(st.progress.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
}

}  // namespace wirestep::gui
