#include "ui/model/arrow_kind.hpp"

#include "sim/wire/transport.hpp"

namespace wirestep {

ArrowKind classify(const PacketRecord& p, Transport proto) {
  namespace f = wire::tcp_flag;
  if (p.marks & mark::kDuplicate || p.cause == Cause::LinkDuplicate) return ArrowKind::LinkCopy;
  if (proto == Transport::Udp)
    return p.marks & mark::kReordered ? ArrowKind::OutOfOrder : ArrowKind::Datagram;
  if (proto == Transport::Arp) return ArrowKind::Arp;
  if (proto == Transport::Icmp) return ArrowKind::Icmp;
  if (proto != Transport::Tcp) return ArrowKind::Other;
  switch (p.cause) {
    case Cause::RtoRetransmission:
    case Cause::FastRetransmission:
    case Cause::RecoveryRetransmission:
    case Cause::RackRetransmission:
    case Cause::TailLossProbe:
      return ArrowKind::Retransmission;
    case Cause::DuplicateAck:
      return ArrowKind::DuplicateAck;
    case Cause::ZeroWindowProbe:
      return ArrowKind::ZeroWindow;
    default:
      break;
  }
  if (p.marks & mark::kReordered) return ArrowKind::OutOfOrder;
  if (p.window == 0 && !(p.tcp_flags & f::kRst)) return ArrowKind::ZeroWindow;
  if (p.tcp_flags & (f::kSyn | f::kFin | f::kRst)) return ArrowKind::Control;
  if (p.payload_len > 0) return ArrowKind::Data;
  return ArrowKind::Ack;
}

ArrowKind arrow_kind_for(Finding f) {
  switch (f) {
    case Finding::Retransmission:
    case Finding::FastRetransmission:
      return ArrowKind::Retransmission;
    case Finding::LostSegment:
      return ArrowKind::LostSegment;
    case Finding::OutOfOrder:
      return ArrowKind::OutOfOrder;
    case Finding::DuplicateAck:
      return ArrowKind::DuplicateAck;
    case Finding::ZeroWindow:
      return ArrowKind::ZeroWindow;
    case Finding::KeepAlive:
      return ArrowKind::KeepAlive;
    case Finding::None:
    case Finding::Count:
      break;
  }
  return ArrowKind::Other;
}

ArrowKind classify(const PacketRecord& p, Transport proto, FlagMask analyzer_flags) {
  if (p.fate == Fate::Captured && proto == Transport::Tcp)
    if (const Finding f = most_telling(analyzer_flags); f != Finding::None) return arrow_kind_for(f);
  return classify(p, proto);
}

}  // namespace wirestep
