// What the state panel shows at the cursor, computed from the Trace's events only (DESIGN.md: the UI reads
// the Trace, never the simulator): each TCP endpoint's state from its StateChange events and its variables
// (cwnd, ssthresh, SRTT, RTO, snd.una, ...) from its Variable events. Indexed once per Trace so a query is a
// binary search, whatever the cursor; window-free and unit-tested.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/tcp/tcp_state.hpp"
#include "sim/trace/trace.hpp"

namespace wirestep {

inline constexpr std::size_t kTraceVarCount = static_cast<std::size_t>(TraceVar::Pipe) + 1;

// The TCP state diagram of RFC 9293 §3.3.2 as data: where each state sits (grid column, row) and the arrows.
struct StateBox {
  TcpState state;
  float col;  // 0..2
  float row;  // 0..7
};
const std::array<StateBox, 11>& state_diagram_boxes();
struct StateArrow {
  TcpState from;
  TcpState to;
};
const std::vector<StateArrow>& state_diagram_arrows();

struct EndpointState {
  TcpState state = TcpState::Closed;
  std::optional<TcpState> from;  // the transition that led here
  std::uint32_t event = 0;       // the StateChange event
  std::int64_t time_ns = 0;
};

class ConnectionStates {
 public:
  struct Endpoint {
    std::uint32_t host = 0;
    std::uint32_t socket = 0;
    std::string label;  // a capture's endpoint, "10.0.0.1:51441" (a run names host and socket instead)
    struct Change {
      std::uint32_t event;
      std::int64_t time_ns;
      TcpState from;
      TcpState to;
      std::string why;  // "connect() sends SYN"
    };
    std::vector<Change> changes;
    struct Value {
      std::uint32_t event;
      std::int64_t value;
    };
    std::array<std::vector<Value>, kTraceVarCount> vars;
    // The socket as `netstat` lists it (seed notes 11.5-11.6: accept() returns a new socket per client).
    std::string local;                  // "10.0.0.1:80"; a listener bound to every address "0.0.0.0:80"
    std::string peer;                   // "10.0.0.11:54544"; empty for a listener or when not known
    std::optional<std::uint32_t> flow;  // the Trace flow it sends on
    bool listener = false;
    std::uint32_t created_event = 0;  // its first event (a capture: its first packet)
    std::int64_t created_ns = 0;
    std::optional<std::uint32_t> accepted_event;  // the accept() that handed it to the program (runs only)
    std::int64_t accepted_ns = 0;
  };
  // A host's TCP sockets: listeners first, then the others in order of creation.
  struct HostSockets {
    std::uint32_t host = 0;
    std::string name;     // the host's name (a capture: its address)
    std::string address;  // "10.0.0.1": a socket's local address is mostly this one
    std::vector<std::size_t> endpoints;
  };

  void build(const Trace& trace);
  // A capture has no events: each end's state is inferred from its segments as an observer sees them
  // (tcp_end_state.hpp), for the first `max_connections` TCP flows. Changes are then indexed by packet:
  // `happened` counts the packets sent so far instead of events (by_packet()).
  void build_inferred(const Trace& trace, std::size_t max_connections);
  bool by_packet() const { return by_packet_; }
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  // Hosts in order of their first socket; a capture's hosts are its addresses.
  const std::vector<HostSockets>& hosts() const { return hosts_; }
  // Whether the socket exists once `happened` events (a capture: packets) have happened.
  bool exists_at(std::size_t endpoint, std::size_t happened) const {
    return endpoints_.at(endpoint).created_event < happened;
  }
  // The endpoints that send on `flow` (a packet's two sockets), for highlighting the selected packet's.
  bool on_flow(std::size_t endpoint, std::uint32_t flow) const {
    return endpoints_.at(endpoint).flow == flow;
  }
  // `events_happened`: how many of the Trace's events (by index) have happened (StepOrder::events_happened).
  std::optional<EndpointState> state_at(std::size_t endpoint, std::size_t events_happened) const;
  std::optional<std::int64_t> var_at(std::size_t endpoint, TraceVar v, std::size_t events_happened) const;

 private:
  void group_by_host(const Trace& trace);
  std::vector<Endpoint> endpoints_;  // in order of first appearance
  std::vector<HostSockets> hosts_;
  bool by_packet_ = false;
};

// "CLOSED -> SYN-SENT: connect() sends SYN" -> CLOSED.
std::optional<TcpState> parse_from_state(std::string_view detail);

}  // namespace wirestep
