// packetdrill's `%{ ... }%` blocks without Python: the small subset Linux's scripts write (assert with
// comparisons, and/or/not, integer arithmetic, parentheses, print, variables assigned with = and +=)
// evaluated over a snapshot of Linux's struct tcp_info taken from the simulated connection when the block
// runs. Anything outside the subset is "unsupported: <what>", never guessed at.
//
// packetdrill runs every block of a script in one Python process, so a variable assigned in one block is
// seen by the next (cubic-bulk-166k: `cwnd = 58` then `cwnd += 1`): a PythonSession keeps them. Deviation:
// packetdrill runs the blocks when the script ends, each with the tcp_info saved at its time; here each
// block runs at its time, so a failed assert stops the run there, with what the host did up to then.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace wirestep {
class TcpConnection;
}

namespace wirestep::packetdrill {

// Linux's inet_connection_sock ca_state numbering (include/uapi/linux/tcp.h, enum tcp_ca_state).
enum class TcpCaState : std::uint8_t { Open = 0, Disorder = 1, Cwr = 2, Recovery = 3, Loss = 4 };

// The struct tcp_info fields the scripts read, in Linux's units: segments, not bytes.
struct TcpInfo {
  std::int64_t snd_cwnd = 0;
  std::int64_t snd_ssthresh = 0;  // 0x7fffffff while infinite (TCP_INFINITE_SSTHRESH), as Linux reports it
  TcpCaState ca_state = TcpCaState::Open;
  std::int64_t unacked = 0;     // packets_out
  std::int64_t sacked = 0;      // sacked_out
  std::int64_t lost = 0;        // lost_out
  std::int64_t retrans = 0;     // retrans_out
  std::int64_t reordering = 3;  // sysctl tcp_reordering; -1: reordering seen but its degree not measured
  std::int64_t advmss = 0;
  std::int64_t snd_mss = 0;
};

inline constexpr std::int64_t kInfiniteSsthresh = 0x7fffffff;

// The snapshot of one connection now. Counts in segments of the connection's MSS, rounded up, since the
// simulator keeps bytes where Linux keeps skbs.
TcpInfo tcp_info_of(const TcpConnection& conn);

struct PythonOutcome {
  enum class Kind : std::uint8_t { Ok, Failed, Unsupported };
  Kind kind = Kind::Ok;
  std::uint32_t line = 0;    // 0-based line inside the block's text
  std::uint32_t column = 0;  // 0-based byte column on that line
  std::string en;            // "assertion failed: tcpi_snd_cwnd == 10 (tcpi_snd_cwnd is 12)"
  std::string zh;
  // What the block saw, for the runner's "actual": the names a failed assert read ("tcpi_snd_cwnd = 12"), or
  // the error.
  std::string actual;
};

class PythonSession {
 public:
  static constexpr std::size_t kMaxTextBytes = 64 * 1024;
  static constexpr std::size_t kMaxDepth = 64;  // nested parentheses and unary operators
  static constexpr std::size_t kMaxVariables = 1024;

  // Runs the block's statements in order against `info` (nullopt: no connection to read tcp_info from;
  // a block that names no tcpi_ field still runs). Stops at the first failed assert or error.
  PythonOutcome run(const std::string& text, const std::optional<TcpInfo>& info);

  // What print() wrote, one entry per call, in order.
  const std::string& printed() const { return printed_; }
  const std::map<std::string, std::int64_t>& variables() const { return variables_; }

 private:
  std::map<std::string, std::int64_t> variables_;
  std::string printed_;
};

}  // namespace wirestep::packetdrill
