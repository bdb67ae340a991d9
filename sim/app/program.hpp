// Runs one program of a scenario: its socket calls in order, in simulated time, like the seed's Python
// snippets (bind, listen, accept, connect, send/recv, sendto/recvfrom, shutdown, close). A blocking call
// holds the program until it returns.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/app/ping.hpp"
#include "sim/app/traceroute.hpp"
#include "sim/net/network.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

struct ReceivedMessage {
  SimTime time;
  std::vector<std::uint8_t> data;
  std::string from;  // "ip:port"
};

struct ProgramReport {
  std::string name;
  std::string host;
  bool tcp = false;  // the program's first socket is SOCK_STREAM
  std::uint32_t datagrams_sent = 0;
  std::vector<ReceivedMessage> received;      // UDP datagrams
  std::uint64_t stream_bytes_sent = 0;        // TCP: bytes send() accepted
  std::vector<std::uint8_t> stream_received;  // TCP: every byte recv() returned, in order (up to 64 MiB)
  std::uint64_t stream_bytes_received = 0;
  std::vector<std::pair<SimTime, std::uint64_t>> recv_log;  // TCP: (time, cumulative bytes) per recv()
  std::uint32_t recv_returned_zero = 0;  // recv() returned 0: end of stream (seed note 11.9)
  std::uint32_t connections_accepted = 0;
  // What each recv()/recvfrom() returned, in bytes (0 = end of stream): shows whether message boundaries
  // survived (UDP) or not (TCP's byte stream).
  std::vector<std::uint32_t> recv_sizes;
  // Socket calls the program made, socket() included (sleep is not one): how much code each protocol needs.
  std::uint32_t socket_calls = 0;
  std::optional<SimTime> connected_at;  // connect() returned
  std::optional<std::string> error;     // the call that failed, with its reason; the program stopped there
  bool finished = false;
  std::optional<std::string> blocked_in;  // still waiting in this call when the run ended
  // What the program printed, line by line (ping's and traceroute's output, as on a terminal).
  std::vector<std::string> output;

  static constexpr std::size_t kMaxStoredStream = 64u << 20;
};

class ProgramRunner {
 public:
  ProgramRunner(Network& net, HostId host, const ScenarioProgram& program, ProgramReport& report);
  void start();
  void on_run_end();  // records a call still blocked

 private:
  void step(std::size_t index, std::uint32_t repetition);
  void next(std::size_t index) { step(index + 1, 0); }
  void fail(const Step& s, const std::string& reason);
  std::vector<std::uint8_t> payload_for(const Step& s, std::uint32_t n) const;
  SocketId socket_for(const Step& s);

  Network& net_;
  HostId host_;
  const ScenarioProgram& program_;
  ProgramReport& report_;
  std::map<std::string, SocketId> sockets_;
  std::string current_ = "main";
  std::optional<std::string> waiting_;
  std::optional<std::pair<wire::Ipv4Addr, std::uint16_t>> last_sender_;  // for sendto to = "sender"
  SimTime repeat_start_;  // when the first of a repeated send went out: the schedule is anchored there
  void repeat_or_next(std::size_t index, std::uint32_t repetition);
  void print(const std::string& line);  // a line of program output: the report and a Trace note
  std::unique_ptr<PingProgram> ping_;
  std::unique_ptr<TracerouteProgram> traceroute_;
};

}  // namespace wirestep
