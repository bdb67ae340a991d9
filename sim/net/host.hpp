// A simulated host: one IPv4 address, a port table, ephemeral ports, and the BSD-like socket calls the seed
// notes teach (socket, bind, sendto, recvfrom, close). Calls that block in real life take a callback that
// runs at the simulated time they return.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/core/rng.hpp"
#include "sim/net/udp_socket.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

class Network;
using SocketId = std::uint32_t;

class Host {
 public:
  Host(Network& net, std::uint32_t index, std::string name, wire::Ipv4Addr addr, int prefix_len);

  const std::string& name() const { return name_; }
  wire::Ipv4Addr addr() const { return addr_; }
  std::uint32_t index() const { return index_; }

  // socket(AF_INET, SOCK_DGRAM)
  SocketId udp_socket();
  // bind(("", port)); port 0 picks an ephemeral port.
  Status bind(SocketId s, std::uint16_t port);
  // sendto(data, (ip, port)); binds an ephemeral port first if the socket has none (as the seed's client does).
  Status sendto(SocketId s, std::span<const std::uint8_t> data, wire::Ipv4Addr dst, std::uint16_t dst_port);
  // recvfrom(max_bytes): returns at once if a datagram is queued, else when one arrives.
  void recvfrom(SocketId s, std::size_t max_bytes, std::function<void(SimTime, RecvFromResult)> done);
  Status close(SocketId s);
  std::uint16_t local_port(SocketId s) const;

  // Called by the network when a packet arrives (Trace index).
  void receive(SimTime now, std::uint32_t packet);

 private:
  UdpSocket* find(SocketId s);
  const UdpSocket* find(SocketId s) const;
  std::uint16_t pick_ephemeral_port();
  void note(SocketId s, std::string text);
  void receive_ready(SimTime now, SocketId s);
  void call_event(SocketId s, std::string text);

  Network& net_;
  std::uint32_t index_;
  std::string name_;
  wire::Ipv4Addr addr_;
  Rng rng_;
  std::uint16_t next_ephemeral_;
  std::uint16_t next_ip_id_;
  std::vector<std::unique_ptr<UdpSocket>> sockets_;    // index = SocketId
  std::map<std::uint16_t, SocketId> udp_ports_;        // bound port -> socket
};

}  // namespace wirestep
