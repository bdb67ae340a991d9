// The simulated world of one run: the event loop, the Trace, hosts and the links between them.
// One seed drives everything; each link direction and host draws from its own named stream.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/event_loop.hpp"
#include "sim/net/host.hpp"
#include "sim/net/link.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

using HostId = std::uint32_t;

class Network {
 public:
  explicit Network(std::uint64_t seed) : seed_(seed) {}
  Network(const Network&) = delete;
  Network& operator=(const Network&) = delete;

  std::uint64_t seed() const { return seed_; }
  EventLoop& loop() { return loop_; }
  SimTime now() const { return loop_.now(); }
  Trace& trace() { return trace_; }
  Trace take_trace() { return std::move(trace_); }
  const Trace& trace() const { return trace_; }

  HostId add_host(std::string name, wire::Ipv4Addr addr, int prefix_len = 24);
  Host& host(HostId id) { return *hosts_.at(id); }
  std::size_t host_count() const { return hosts_.size(); }
  std::optional<HostId> host_by_addr(wire::Ipv4Addr addr) const;
  std::optional<HostId> host_by_name(const std::string& name) const;

  // A duplex point-to-point link; each direction has its own parameters and impairments.
  void connect(HostId a, HostId b, LinkParams a_to_b, LinkParams b_to_a);

  // Hands a packet (already filled in except flow/fate) to the link toward `dst`, records it in the Trace and
  // schedules its arrival. Returns the Trace index.
  std::uint32_t send(HostId from, wire::Ipv4Addr dst, PacketRecord rec, Transport proto, std::uint16_t sport,
                     std::uint16_t dport);
  // The same for a packet whose rec.flow and rec.dir the caller already knows (a TCP connection keeps its
  // own), sparing the flow lookup on every segment.
  std::uint32_t send_on_flow(HostId from, wire::Ipv4Addr dst, PacketRecord&& rec, Transport proto);

  // Runs until `until` or until nothing is left to do; packets still on a link are marked in flight.
  void run(SimTime until);

 private:
  std::uint64_t seed_;
  EventLoop loop_;
  Trace trace_;
  std::vector<std::unique_ptr<Host>> hosts_;
  std::map<std::pair<HostId, HostId>, std::unique_ptr<LinkDirection>> links_;  // (from, to)
  std::uint16_t no_route_rule_ = 0;
  std::int64_t longest_flight_ns_ = 0;    // the most any delivered packet spent between send and arrival
  std::vector<std::uint32_t> in_flight_;  // marked InFlight when the last run() stopped at its time limit
};

}  // namespace wirestep
