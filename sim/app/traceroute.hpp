// The traceroute program (Linux traceroute, UDP probes): probes to port 33434 and up with TTL 1, 2, 3, ...;
// each router where the TTL runs out answers ICMP time exceeded (RFC 792, RFC 1812 §5.3.1), the destination
// answers port unreachable, which ends the trace. One line per hop, as traceroute prints it. Probes go one at
// a time, each waited for at most `wait` (traceroute -N 1 -w 5).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "sim/net/network.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

class TracerouteProgram {
 public:
  using Print = std::function<void(const std::string&)>;
  TracerouteProgram(Network& net, HostId host, const Step& step, Print print, std::function<void()> done);
  void start();
  static constexpr std::uint16_t kFirstPort = 33434;  // traceroute's default base port
  static constexpr std::uint32_t kPacketBytes = 60;   // traceroute's default packet length (IP + UDP + data)

 private:
  void send_probe();
  bool on_icmp(SimTime now, const Host::IcmpArrival& a);
  void probe_done();

  Network& net_;
  HostId host_;
  const Step& step_;
  Print print_;
  std::function<void()> done_;
  SocketId sock_ = kNoSocket;
  std::uint8_t ttl_ = 1;
  std::uint32_t query_ = 0;   // probe within this hop
  std::uint32_t probes_ = 0;  // probes sent so far (the port offset)
  std::string line_;
  std::optional<wire::Ipv4Addr> last_addr_;  // of this line, printed once
  bool reached_ = false, finished_ = false, waiting_ = false;
  SimTime sent_at_;
};

}  // namespace wirestep
