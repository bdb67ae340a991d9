#include "ui/gui/synthetic_trace.hpp"

#include "sim/wire/transport.hpp"

namespace wirestep::gui {

Trace make_synthetic_trace(std::size_t packets) {
  Trace t;
  t.set_detail(TraceDetail::Compact);
  const auto a = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.1"));
  const auto b = wire::IpAddr::from_v4(*wire::Ipv4Addr::parse("10.0.0.2"));
  const std::uint32_t ha = t.add_host({"A", a, 24});
  const std::uint32_t hb = t.add_host({"B", b, 24});
  const auto [flow, dir] = t.flow_for(Transport::Tcp, a, 40000, b, 80, ha, hb);
  (void)dir;
  const std::uint16_t rule = t.add_drop_rule("link A>B rule 1: synthetic loss every 97th segment");
  constexpr std::int64_t kLatency = 10'000'000;  // 10 ms
  constexpr std::int64_t kGap = 12'000;          // a 1460-byte segment at ~1 Gbit/s
  constexpr std::uint32_t kMss = 1460;
  std::uint32_t seq = 1000, segments = 0;
  std::int64_t now = 0;
  for (std::size_t i = 0; i < packets; ++i) {
    PacketRecord p;
    p.time = SimTime{now};
    p.arrive = SimTime{now + kLatency};
    p.flow = flow;
    p.window = 65535;
    if (i % 3 == 2) {
      // B acknowledges every second segment.
      p.dir = Direction::BtoA;
      p.tcp_flags = wire::tcp_flag::kAck;
      p.seq = 5000;
      p.ack = seq;
      p.cause = (segments % 97) == 1 ? Cause::DuplicateAck : Cause::PureAck;
    } else {
      p.dir = Direction::AtoB;
      p.tcp_flags = wire::tcp_flag::kAck | wire::tcp_flag::kPsh;
      p.seq = seq;
      p.ack = 5001;
      p.payload_len = kMss;
      ++segments;
      if (segments % 97 == 0) {
        p.fate = Fate::DroppedByLink;
        p.rule = rule;
        p.arrive = SimTime{now + kLatency / 2};
        p.cause = Cause::FirstTransmission;
      } else {
        p.cause = segments % 97 == 3 ? Cause::FastRetransmission : Cause::FirstTransmission;
      }
      seq += kMss;
    }
    t.add_packet(p);
    now += kGap;
  }
  return t;
}

}  // namespace wirestep::gui
