// `wirestep capture -i IF [--filter BPF] [-w F] [--count N | --duration S]`: live capture through libpcap,
// one line per frame as it arrives, the file written (and flushed) as it goes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "sim/analysis/lang.hpp"

namespace wirestep {

struct CaptureCommandOptions {
  std::string interface;
  std::string filter;
  std::string write_path;
  std::optional<std::uint64_t> count;
  std::optional<double> duration_s;
  std::uint32_t snaplen = 262144;
  bool quiet = false;  // no per-frame lines
  Lang lang = Lang::En;
};

int capture_command(const CaptureCommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wirestep
