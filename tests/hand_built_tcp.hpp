// A hand-built TCP conversation between A (10.0.0.1:40000) and B (10.0.0.2:80) for tests: segments are added
// with their send time, in time order (the Trace requires it), and arrive 10 ms later unless `lost`.
#pragma once

#include <cstdint>

#include "sim/trace/trace.hpp"

namespace wirestep {

class HandBuiltTcp {
 public:
  HandBuiltTcp() {
    const wire::IpAddr a_addr = wire::IpAddr::from_v4(wire::Ipv4Addr{0x0A000001});
    const wire::IpAddr b_addr = wire::IpAddr::from_v4(wire::Ipv4Addr{0x0A000002});
    const auto a = trace_.add_host({"A", a_addr, 24});
    const auto b = trace_.add_host({"B", b_addr, 24});
    flow_ = trace_.flow_for(Transport::Tcp, a_addr, 40000, b_addr, 80, a, b).first;
  }
  std::uint32_t send(std::int64_t t_ms, Direction dir, std::uint8_t flags, std::uint32_t seq,
                     std::uint32_t ack, std::uint32_t len, Cause cause = Cause::FirstTransmission,
                     bool lost = false) {
    constexpr std::int64_t kMs = 1'000'000;
    PacketRecord p;
    p.time = SimTime{t_ms * kMs};
    p.arrive = SimTime{(t_ms + 10) * kMs};
    p.flow = flow_;
    p.dir = dir;
    p.tcp_flags = flags;
    p.seq = seq;
    p.ack = ack;
    p.payload_len = len;
    p.window = 65535;
    p.cause = cause;
    p.fate = lost ? Fate::DroppedByLink : Fate::Delivered;
    return trace_.add_packet(p);
  }
  const Trace& trace() const { return trace_; }

 private:
  Trace trace_;
  std::uint32_t flow_ = 0;
};

}  // namespace wirestep
