#include "sim/analysis/relative_seq.hpp"

#include "sim/wire/transport.hpp"

namespace wirestep {

RelativeSeq::RelativeSeq(const Trace& trace) {
  extend(trace, 0);
}

void RelativeSeq::extend(const Trace& trace, std::size_t first_packet) {
  isn_.resize(trace.flows().size());
  for (std::size_t i = first_packet; i < trace.packet_count(); ++i) {
    const PacketRecord p = trace.packet(i);
    if (trace.flows()[p.flow].proto != Transport::Tcp || (p.tcp_flags & wire::tcp_flag::kRst)) continue;
    auto& slot = isn_[p.flow][static_cast<int>(p.dir)];
    // The SYN's sequence number is the ISN; without a SYN (a capture started late) the first seq - 1.
    if (p.tcp_flags & wire::tcp_flag::kSyn)
      slot = p.seq;
    else if (!slot)
      slot = p.seq - 1;
  }
}

std::uint32_t RelativeSeq::seq(std::uint32_t flow, Direction dir, std::uint32_t raw) const {
  const auto& isn = isn_.at(flow)[static_cast<int>(dir)];
  return isn ? raw - *isn : raw;
}

std::uint32_t RelativeSeq::ack(std::uint32_t flow, Direction dir, std::uint32_t raw) const {
  const auto& isn = isn_.at(flow)[dir == Direction::AtoB ? 1 : 0];
  return isn ? raw - *isn : raw;
}

}  // namespace wirestep
