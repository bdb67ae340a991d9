// `wirestep analyze FILE [--json] [--filter BPF]`: loads a capture and reports per-conversation analysis:
// a table for people, or with --json the stable schema documented in README.md ("JSON schema (`wirestep
// analyze --json`)"). Exit 0 when the file was read, even in part or with malformed frames; 2 when it could
// not be read at all (missing, not a capture, bad filter).
#pragma once

#include <cstddef>
#include <iosfwd>
#include <string>

#include "sim/analysis/lang.hpp"

namespace wirestep {

struct AnalyzeOptions {
  std::string file;
  bool json = false;
  std::string filter;                  // BPF, compiled against the file's link type
  std::size_t max_flags_per_flow = 5;  // explanations per conversation in the table (--json lists all)
  Lang lang = Lang::En;                // the table, findings and messages; --json stays English
};

int analyze_command(const AnalyzeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace wirestep
