// Runs one program of a scenario: its socket calls in order, in simulated time, like the seed's Python
// snippets (bind, sendto, recvfrom, close). A blocking call holds the program until it returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
  std::uint32_t datagrams_sent = 0;
  std::vector<ReceivedMessage> received;
  std::optional<std::string> error;     // the call that failed, with its reason; the program stopped there
  bool finished = false;                // ran every step
  std::optional<std::string> blocked_in;  // still waiting in this call when the run ended
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

  Network& net_;
  HostId host_;
  const ScenarioProgram& program_;
  ProgramReport& report_;
  SocketId socket_;
  std::optional<std::string> waiting_;
};

}  // namespace wirestep
