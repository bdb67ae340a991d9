// The ping program (iputils ping on Linux): ICMP echo requests (RFC 792) every `interval`, each reply or
// error printed as ping prints it, and the statistics at the end. Time is the simulated clock.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/net/network.hpp"
#include "sim/scenario/scenario.hpp"

namespace wirestep {

class PingProgram {
 public:
  using Print = std::function<void(const std::string&)>;
  PingProgram(Network& net, HostId host, const Step& step, Print print, std::function<void()> done);
  void start();
  std::uint32_t transmitted() const { return transmitted_; }
  std::uint32_t received() const { return received_; }

 private:
  void send_one();
  bool on_icmp(SimTime now, const Host::IcmpArrival& a);
  void maybe_finish();
  void finish();

  Network& net_;
  HostId host_;
  const Step& step_;
  Print print_;
  std::function<void()> done_;
  std::uint16_t id_ = 0;
  std::uint32_t transmitted_ = 0, received_ = 0, errors_ = 0;
  std::vector<SimTime> sent_at_;  // by sequence - 1
  std::vector<std::int64_t> rtts_us_;
  SimTime started_, last_activity_;
  bool finished_ = false;
  std::uint32_t linger_generation_ = 0;
};

// iputils' "time=" text for a round trip in microseconds: 3 decimals below 1 ms, 2 below 10, 1 below 100.
std::string ping_time_text(std::int64_t us);

}  // namespace wirestep
