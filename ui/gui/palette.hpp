// Colours shared by the timeline, its legend and the state panel. Chosen to stay apart for the common forms
// of colour blindness where it matters most: lost (red cross) versus retransmission (orange) versus data.
#pragma once

#include <imgui.h>

#include "sim/analysis/capture_finding.hpp"
#include "ui/gui/timeline_mapping.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {

inline ImU32 rgb(unsigned hex, int alpha = 255) {
  return IM_COL32((hex >> 16) & 0xFF, (hex >> 8) & 0xFF, hex & 0xFF, alpha);
}

inline unsigned arrow_hex(ArrowKind k) {
  switch (k) {
    case ArrowKind::Data:
      return 0x1F5FBF;  // blue
    case ArrowKind::Control:
      return 0x6A3D9A;  // purple
    case ArrowKind::Ack:
      return 0x2E8B3E;  // green
    case ArrowKind::Retransmission:
      return 0xE8770E;  // orange
    case ArrowKind::DuplicateAck:
      return 0xC51B8A;  // magenta
    case ArrowKind::OutOfOrder:
      return 0x0FA3B1;  // teal
    case ArrowKind::ZeroWindow:
      return 0xA68A00;  // dark gold
    case ArrowKind::LostSegment:
      return 0xD62728;  // kLostHex: a gap is a loss the capture missed
    case ArrowKind::KeepAlive:
      return 0x8C564B;  // brown
    case ArrowKind::LinkCopy:
      return 0x808080;  // grey
    case ArrowKind::Datagram:
      return 0x0B6E8C;  // petrol
    case ArrowKind::Arp:
      return 0x7A5C00;  // ochre
    case ArrowKind::Icmp:
      return 0xB3261E;  // brick: mostly errors (unreachable, time exceeded)
    case ArrowKind::Other:
    case ArrowKind::Count:
      return 0x555555;
  }
  return 0x555555;
}

inline T arrow_text(ArrowKind k) {
  switch (k) {
    case ArrowKind::Data:
      return T::KindData;
    case ArrowKind::Control:
      return T::KindControl;
    case ArrowKind::Ack:
      return T::KindAck;
    case ArrowKind::Retransmission:
      return T::KindRetrans;
    case ArrowKind::DuplicateAck:
      return T::KindDupAck;
    case ArrowKind::OutOfOrder:
      return T::KindOutOfOrder;
    case ArrowKind::ZeroWindow:
      return T::KindZeroWindow;
    case ArrowKind::LostSegment:
      return T::FindingLostSegment;
    case ArrowKind::KeepAlive:
      return T::FindingKeepAlive;
    case ArrowKind::LinkCopy:
      return T::KindLinkCopy;
    case ArrowKind::Datagram:
      return T::KindDatagram;
    case ArrowKind::Arp:
      return T::KindArp;
    case ArrowKind::Icmp:
      return T::KindIcmp;
    case ArrowKind::Other:
    case ArrowKind::Count:
      return T::KindOther;
  }
  return T::KindOther;
}

inline constexpr unsigned kLostHex = 0xD62728;    // red cross
inline constexpr unsigned kCursorHex = 0xD9480F;  // the time cursor
inline constexpr unsigned kLaneHex = 0x9AA3AD;    // endpoint lines
inline constexpr unsigned kTextHex = 0x1E2329;
inline constexpr unsigned kDimTextHex = 0x6B7280;
inline constexpr unsigned kNewSocketHex = 0x0B6E8C;  // accept()'s new socket: its badge and its state row
inline constexpr unsigned kCanvasHex = 0xFFFFFF;

// One colour per endpoint in the state panel and the timeline's state tags.
inline unsigned endpoint_hex(std::size_t i) {
  static constexpr unsigned kColors[] = {0x1F5FBF, 0xE8770E, 0x2E8B3E, 0x6A3D9A, 0xC51B8A, 0x0FA3B1};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

// A captured packet's Wireshark finding (capture_finding.hpp): the same colours as the ladder's arrow kinds
// where they name the same thing.
inline unsigned finding_hex(Finding f) {
  switch (f) {
    case Finding::Retransmission:
      return 0xE8770E;  // orange, as a retransmitted arrow
    case Finding::FastRetransmission:
      return 0xB85400;  // darker orange
    case Finding::LostSegment:
      return kLostHex;
    case Finding::OutOfOrder:
      return 0x0FA3B1;
    case Finding::DuplicateAck:
      return 0xC51B8A;
    case Finding::ZeroWindow:
      return 0xA68A00;
    case Finding::KeepAlive:
      return 0x8C564B;  // brown
    case Finding::None:
    case Finding::Count:
      break;
  }
  return 0x9AA3AD;
}

inline T finding_text(Finding f) {
  switch (f) {
    case Finding::Retransmission:
      return T::FindingRetransmission;
    case Finding::FastRetransmission:
      return T::FindingFastRetransmission;
    case Finding::LostSegment:
      return T::FindingLostSegment;
    case Finding::OutOfOrder:
      return T::FindingOutOfOrder;
    case Finding::DuplicateAck:
      return T::FindingDuplicateAck;
    case Finding::ZeroWindow:
      return T::FindingZeroWindow;
    case Finding::KeepAlive:
      return T::FindingKeepAlive;
    case Finding::None:
    case Finding::Count:
      break;
  }
  return T::NoFindings;
}

}  // namespace wirestep::gui
