#include "sim/analysis/capture_finding.hpp"

namespace wirestep {

Finding most_telling(FlagMask m) {
  auto has = [m](TcpFlag f) { return (m & flag_bit(f)) != 0; };
  if (has(TcpFlag::FastRetransmission)) return Finding::FastRetransmission;
  if (has(TcpFlag::Retransmission) || has(TcpFlag::SpuriousRetransmission)) return Finding::Retransmission;
  if (has(TcpFlag::LostSegment)) return Finding::LostSegment;
  if (has(TcpFlag::OutOfOrder)) return Finding::OutOfOrder;
  if (has(TcpFlag::DuplicateAck)) return Finding::DuplicateAck;
  if (has(TcpFlag::ZeroWindow) || has(TcpFlag::ZeroWindowProbe)) return Finding::ZeroWindow;
  if (has(TcpFlag::KeepAlive)) return Finding::KeepAlive;
  return Finding::None;
}

}  // namespace wirestep
