// The socket-layer state of a TCP socket: a fresh or bound socket, a listener with its queues, or one
// connection (sim/tcp/tcp_connection.hpp) with the application's blocked calls.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "sim/core/result.hpp"
#include "sim/core/time.hpp"
#include "sim/tcp/tcp_connection.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {

using SocketId = std::uint32_t;
inline constexpr SocketId kNoSocket = 0xFFFFFFFF;

struct TcpSocket {
  enum class Role { Fresh, Listening, Connection };
  SocketId id = 0;
  Role role = Role::Fresh;
  bool open = true;        // the application still holds the descriptor
  std::uint16_t port = 0;  // local port, 0 until bound

  // Listening (RFC 9293 §3.10.1 passive OPEN; seed note 11.5: accept returns a new socket per client).
  std::uint32_t backlog = 0;
  std::vector<SocketId> half_open;    // SYN-RECEIVED, not yet established
  std::deque<SocketId> accept_queue;  // established, waiting for accept()
  std::function<void(SimTime, Result<SocketId>)> accept_waiter;

  // Connection.
  std::unique_ptr<TcpConnection> conn;
  wire::Ipv4Addr remote;
  std::uint16_t remote_port = 0;
  SocketId listener = kNoSocket;  // the listener that created it, until accepted
  std::function<void(SimTime, Status)> connect_waiter;
  struct PendingSend {
    std::vector<std::uint8_t> literal;
    std::uint64_t bulk = 0;
    std::uint64_t done = 0;  // bytes accepted into the send buffer so far
    std::function<void(SimTime, Result<std::uint64_t>)> cb;
  };
  // Blocked sends, oldest first: a second send while one waits (two threads of a program) queues behind it,
  // so no byte is lost and every caller is answered, in order.
  std::deque<PendingSend> send_queue;
  struct PendingRecv {
    std::size_t max = 0;
    std::function<void(SimTime, Result<std::vector<std::uint8_t>>)> cb;
    std::function<void(SimTime, Result<std::uint64_t>)> discard_cb;  // set instead of cb by recv_discard
  };
  std::optional<PendingRecv> recv_waiter;
  std::optional<SimTime> wake_at;   // the timer event scheduled for this connection
  bool writer_wake_posted = false;  // a blocked writer's wake-up is queued (Host::service)
  bool reader_wake_posted = false;  // a blocked reader's wake-up is queued (Host::service)
  // Linux's socket habits (TcpConfig::socket_errors_once): a connection error is reported by one call
  // (sk_err is cleared when read), later sends get EPIPE; shutdown(SHUT_RD) makes recv return 0.
  bool error_reported = false;
  bool read_shut = false;
};

}  // namespace wirestep
