// The selected packet layer by layer (Ethernet, IPv4 with the network and host part of each address, TCP/UDP
// with every field and option, payload decoded as UTF-8 or GBK) and a hex dump of its exact wire bytes with
// the field under the mouse highlighted. The bytes and fields are rebuilt only when the selection changes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/analysis/packet_fields.hpp"
#include "sim/analysis/prediction.hpp"
#include "ui/gui/fonts.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/panel_commands.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/view_state.hpp"
#include "ui/model/document.hpp"

namespace wirestep::gui {

class InspectorPanel {
 public:
  // `prediction`: the hidden segment's answer shows as "?". `editing`: the packet actions under the summary.
  void draw(const Document& doc, const ViewState& view, const Fonts& fonts,
            const PredictionSession& prediction, const PacketEditing& editing, EditCommands& edit,
            const PanelRect& r);

 private:
  void draw_contents(const Document& doc, const ViewState& view, const Fonts& fonts,
                     const PredictionSession& prediction, const PacketEditing& editing, EditCommands& edit);
  void refresh(const Document& doc, const ViewState& view, const Fonts& fonts,
               const PredictionSession& prediction);
  void draw_hex(Lang lang, const Fonts& fonts);
  void refresh_analysis(const LoadedTrace& lt, std::uint32_t packet, bool capture, Lang lang);
  void draw_analysis(Lang lang);

  std::optional<PacketRef> shown_;
  std::uint64_t shown_generation_ = 0;
  Lang shown_lang_ = Lang::En;
  std::vector<std::uint8_t> bytes_;
  std::vector<Field> fields_;
  std::string summary_;
  std::string error_;
  int hovered_field_ = -1;
  int pinned_field_ = -1;

  // Teaching
  // Prediction mode: the selected segment is the hidden one, so its answer's fields and bytes show "?".
  std::optional<PredictKind> shown_hidden_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hidden_bytes_;  // (offset, length)
  // Cause (simulator) vs Wireshark-style analysis for the selected TCP segment.
  std::size_t shown_analysed_ = 0;  // packets the analysis covered when this was built
  bool analysis_section_ = false;
  bool analysis_ground_truth_ = false;
  bool analysis_agrees_ = true;
  std::string analysis_simulator_;  // "rto-retransmission -> retransmission"
  std::string analysis_flags_;      // "retransmission" / "none"
  std::string analysis_why_;        // the analyzer's explanations, one per line
};

}  // namespace wirestep::gui
