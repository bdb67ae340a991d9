// `wirestep follow FILE (--flow N | --stream N [--udp]) [--format text|hex|raw] [--encoding utf8|gbk]`:
// the payload of one conversation of a scenario run or a capture, both directions, as tshark's
// `-z follow,tcp,ascii|hex|raw,N` prints it (follow_format.hpp). Exit 0 when the stream was printed (packets
// whose bytes could not be re-read are named on stderr), 2 on bad input (file, flow, option).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "sim/analysis/lang.hpp"

namespace CLI {
class App;
}

namespace wirestep {

struct FollowCommandOptions {
  std::string file;                     // scenario .toml or capture .pcap/.pcapng
  std::optional<std::uint32_t> flow;    // conversation number, as the Flows tab and `analyze` number them
  std::optional<std::uint32_t> stream;  // Wireshark's tcp.stream (udp.stream with `udp`)
  bool udp = false;
  std::string format = "text";
  std::string encoding = "utf8";
  std::optional<std::uint64_t> seed;  // scenarios: instead of the file's seed
  Lang lang = Lang::En;               // header, gap notes and messages
};

int follow_command(const FollowCommandOptions& options, std::ostream& out, std::ostream& err);

// The `follow` subcommand and its options, filled in when the command line is parsed.
struct FollowCli {
  CLI::App* command = nullptr;
  FollowCommandOptions options;
};
std::unique_ptr<FollowCli> register_follow_command(CLI::App& app);

}  // namespace wirestep
