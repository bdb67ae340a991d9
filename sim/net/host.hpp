// A simulated host: its interfaces (the first one's address is "its" address), a routing table, a port
// table, ephemeral ports, and the BSD-like socket calls the seed notes teach (socket, bind, sendto, recvfrom,
// close). Calls that block in real life take a callback that runs at the simulated time they return. A
// router is a host with forwarding on (issue #18). ICMP in host_icmp.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/event_loop.hpp"
#include "sim/core/result.hpp"
#include "sim/core/rng.hpp"
#include "sim/net/interface.hpp"
#include "sim/net/routing_table.hpp"
#include "sim/net/tcp_socket.hpp"
#include "sim/net/udp_socket.hpp"
#include "sim/tcp/tcp_config.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

class Network;

class Host {
 public:
  Host(Network& net, std::uint32_t index, std::string name, wire::Ipv4Addr addr, int prefix_len);

  const std::string& name() const { return name_; }
  wire::Ipv4Addr addr() const { return addr_; }
  std::uint32_t index() const { return index_; }

  // --- Interfaces and routing (routed networks, issue #18).
  const std::vector<NetInterface>& interfaces() const { return ifaces_; }
  std::uint32_t add_interface(NetInterface i);      // returns its index
  void set_first_interface(const NetInterface& i);  // same address as the host's
  std::optional<std::uint32_t> interface_by_name(std::string_view name) const;
  std::optional<std::uint32_t> interface_by_addr(wire::Ipv4Addr a) const;
  bool owns(wire::Ipv4Addr a) const { return interface_by_addr(a).has_value(); }
  RoutingTable& routes() { return routes_; }
  const RoutingTable& routes() const { return routes_; }
  void set_forwarding(bool on) { forwarding_ = on; }  // net.ipv4.ip_forward
  bool forwarding() const { return forwarding_; }
  // A switch (learning bridge): its interfaces are ports without addresses; frames, not packets.
  void set_switch(bool on) { switch_ = on; }
  bool is_switch() const { return switch_; }
  std::uint16_t take_ip_id() { return next_ip_id_++; }

  // --- ICMP (host_icmp.cpp). A program that speaks ICMP (ping, traceroute) listens for what arrives; the
  // listener returns true when the message was its own.
  struct IcmpArrival {
    const wire::IcmpMessage& message;
    wire::Ipv4Addr from;         // who sent it (a router, the destination, or this host itself)
    std::uint8_t ttl = 64;       // the IP header's TTL as it arrived
    std::uint32_t body_len = 0;  // bytes after the 8-byte ICMP header
    // An error's quoted transport bytes 4-7: an echo's identifier and sequence, a TCP segment's sequence.
    std::uint32_t quoted_rest = 0;
  };
  using IcmpListener = std::function<bool(SimTime, const IcmpArrival&)>;
  void add_icmp_listener(IcmpListener l) { icmp_listeners_.push_back(std::move(l)); }
  // An ICMP message for this host that did not come over a link: Linux reports a neighbour that never
  // answered ARP to the sending socket as a host unreachable from itself (arp_error_report).
  void on_local_icmp(SimTime now, const IcmpArrival& a) { dispatch_icmp(now, a); }
  // setsockopt(IP_TTL) on a UDP socket (traceroute's probes).
  Status set_ttl(SocketId s, std::uint8_t ttl);
  // connect() on a UDP socket: a default destination, and ICMP errors about it are reported (udp(7)).
  Status udp_connect(SocketId s, wire::Ipv4Addr dst, std::uint16_t port);
  // send() on a connected UDP socket; fails with the pending error first if one arrived.
  Status udp_send(SocketId s, std::span<const std::uint8_t> data);

  // socket(AF_INET, SOCK_DGRAM)
  SocketId udp_socket();
  // bind(("", port)); port 0 picks an ephemeral port.
  Status bind(SocketId s, std::uint16_t port);
  // sendto(data, (ip, port)); binds an ephemeral port first if the socket has none (as the seed's client
  // does).
  Status sendto(SocketId s, std::span<const std::uint8_t> data, wire::Ipv4Addr dst, std::uint16_t dst_port);
  // recvfrom(max_bytes): returns at once if a datagram is queued, else when one arrives.
  void recvfrom(SocketId s, std::size_t max_bytes, std::function<void(SimTime, RecvFromResult)> done);
  Status close(SocketId s);
  std::uint16_t local_port(SocketId s) const;

  // --- TCP (host_tcp.cpp). Calls that block take a callback, always run from the event loop.
  void set_tcp_config(const TcpConfig& c) { tcp_config_ = c; }
  const TcpConfig& tcp_config() const { return tcp_config_; }
  SocketId tcp_socket();                             // socket(AF_INET, SOCK_STREAM)
  Status listen(SocketId s, std::uint32_t backlog);  // binds an ephemeral port if unbound
  void accept(SocketId s, std::function<void(SimTime, Result<SocketId>)> done);
  void connect(SocketId s, wire::Ipv4Addr dst, std::uint16_t port, std::function<void(SimTime, Status)> done);
  // Blocks until every byte is in the send buffer. `bulk_bytes` of generated data follow `literal`.
  void send(SocketId s, std::vector<std::uint8_t> literal, std::uint64_t bulk_bytes,
            std::function<void(SimTime, Result<std::uint64_t>)> done);
  // Returns 1..max bytes, or an empty vector at end of stream (recv returns 0).
  void recv(SocketId s, std::size_t max,
            std::function<void(SimTime, Result<std::vector<std::uint8_t>>)> done);
  // recv(s, NULL, max, MSG_TRUNC) as on Linux TCP: up to `max` bytes are taken from the receive buffer and
  // thrown away, and their count returned (0 at end of stream). For sinks that only count, like ns-3's
  // PacketSink: no copy of the data.
  void recv_discard(SocketId s, std::size_t max, std::function<void(SimTime, Result<std::uint64_t>)> done);
  Status shutdown_send(SocketId s);  // shutdown(SHUT_WR)
  // shutdown(how) as shutdown(2): SHUT_RD stops reading (recv returns 0), SHUT_WR sends FIN, SHUT_RDWR both.
  enum class ShutHow : std::uint8_t { Read, Write, ReadWrite };
  Status shutdown(SocketId s, ShutHow how);
  // setsockopt on a connected socket (tcp(7), socket(7)); false if the socket has no connection.
  // MoreData: send(MSG_MORE) on the calls that follow (TcpConnection::set_more).
  enum class TcpOption : std::uint8_t { NoDelay, Cork, SendBuffer, RecvBuffer, MoreData };
  bool set_connection_option(SocketId s, TcpOption opt, std::int64_t value);
  const TcpConnection* tcp_connection(SocketId s) const;  // for inspection and tests
  bool is_tcp(SocketId s) const;

  // Called by the network when a packet arrives (Trace index). `options`: a TCP segment's options as sent,
  // when the network hands them over (else they are read back from the Trace).
  void receive(SimTime now, std::uint32_t packet, const wire::TcpOptions* options = nullptr);
  // A scripted endpoint (the remote peer of a packetdrill script): arriving packets go to `tap` instead of
  // the socket layer, so the host never answers by itself; its packets come from Network::send.
  void set_receive_tap(std::function<void(SimTime, std::uint32_t)> tap) { receive_tap_ = std::move(tap); }

 private:
  UdpSocket* find(SocketId s);
  const UdpSocket* find(SocketId s) const;
  TcpSocket* find_tcp(SocketId s) {  // inline: several calls per segment
    return s < sockets_.size() && sockets_[s].tcp ? sockets_[s].tcp.get() : nullptr;
  }
  SocketId new_slot(bool tcp);
  bool port_in_use(bool tcp, std::uint16_t port) const;
  void receive_tcp(SimTime now, std::uint32_t packet, const wire::TcpOptions* options);
  void reply_rst(const TcpSegmentIn& seg, wire::Ipv4Addr to, std::uint16_t from_port, std::uint16_t to_port);
  void service(SocketId s);  // drain a connection's output, notices and timers
  void on_tcp_timer(SimTime now, SocketId s);
  void try_send(SocketId s);
  void try_recv(SocketId s);
  // A process asleep in a blocking call, woken by this instant's softirq work: `call` (try_send or
  // try_recv) runs once the segments arriving at this instant are in, then the socket is serviced.
  void wake_after_arrivals(SocketId s, bool TcpSocket::*posted, void (Host::*call)(SocketId));
  void wait_for_data(SocketId s, const TcpSocket& t);
  void release_tcp(SocketId s);
  Status close_tcp(SocketId s);  // the connection reached CLOSED
  TcpConnection::TraceContext trace_context(SocketId s, wire::Ipv4Addr remote, std::uint16_t lport,
                                            std::uint16_t rport);
  // Run from the event loop, now (stored inline: no allocation; built in its slot, not moved twice).
  template <StorableIn<EventLoop::Callback, void, SimTime> F>
  void post(F&& fn) {
    loop_.at(loop_.now(), std::forward<F>(fn));
  }
  std::uint16_t pick_ephemeral_port();
  void note(SocketId s, std::string text);
  void receive_ready(SimTime now, SocketId s);
  void call_event(SocketId s, std::string text);

  Network& net_;
  EventLoop& loop_;  // net_'s
  std::uint32_t index_;
  std::string name_;
  wire::Ipv4Addr addr_;
  Rng rng_;
  // TSval offsets (RFC 7323 §5.4) come from a stream of their own, so turning timestamps on shifts no ISN,
  // port or IP ID draw.
  Rng ts_rng_;
  std::uint32_t timestamp_offset() { return tcp_config_.timestamps ? ts_rng_.next_u32() : 0; }
  std::uint16_t next_ephemeral_;
  std::uint16_t next_ip_id_;
  // One descriptor table for both kinds, as on a real host: index = SocketId.
  struct Slot {
    std::unique_ptr<UdpSocket> udp;
    std::unique_ptr<TcpSocket> tcp;
  };
  std::vector<Slot> sockets_;
  std::map<std::uint16_t, SocketId> udp_ports_;  // bound port -> socket
  std::map<std::uint16_t, SocketId> tcp_bound_;  // bound or listening port -> socket
  std::map<std::tuple<std::uint16_t, std::uint32_t, std::uint16_t>, SocketId>
      tcp_conns_;  // (lport, rip, rport)
  // The same connections by Trace flow: index flow * 2 + the connection's sending direction. Every arriving
  // segment names its flow, so demultiplexing is one array read (the map above answers "is this port in
  // use"). kNoSocket where there is none.
  std::vector<SocketId> tcp_by_flow_;
  void add_connection(SocketId s, const TcpSocket& t);
  void remove_connection(SocketId s, const TcpSocket& t);
  TcpConfig tcp_config_;
  // The record Host::service fills for each segment it sends: reused, because value-initializing a fresh
  // PacketRecord (264 bytes) per segment was a visible share of the time.
  PacketRecord out_record_;
  std::function<void(SimTime, std::uint32_t)> receive_tap_;
  std::vector<NetInterface> ifaces_;
  RoutingTable routes_;
  bool forwarding_ = false;
  bool switch_ = false;
  std::vector<IcmpListener> icmp_listeners_;
  void receive_icmp(SimTime now, std::uint32_t packet);
  void dispatch_icmp(SimTime now, const IcmpArrival& a);
  void tcp_icmp_error(const wire::IcmpQuote& q, std::uint32_t quoted_seq, const char* why);
  void reply_port_unreachable(std::uint32_t packet);
};

}  // namespace wirestep
