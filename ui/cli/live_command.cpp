#include "ui/cli/live_command.hpp"

#include <ostream>

#include "ui/cli/analyze_command.hpp"

namespace wirestep {

int live_command(const LiveLabOptions& o, std::ostream& out, std::ostream& err) {
  auto r = run_live_lab(o, out);
  if (!r) {
    err << "wirestep: " << r.error().message() << "\n";
    return 2;
  }
  out << "\ncaptured " << r->frames << " frames on " << r->interface << " into " << o.write_path << "\n";
  if (o.tcp) {
    out << "TCP: sent " << r->tcp_bytes_sent << " bytes, the server received " << r->tcp_bytes_received;
    if (!r->tcp_error.empty()) out << " (" << r->tcp_error << ")";
    out << (r->tcp_bytes_received == o.tcp_bytes
                ? ": every byte arrived, losses were repaired by retransmission"
                : "")
        << "\n";
  }
  if (o.udp) {
    out << "UDP: sent " << r->udp_sent << " datagrams, the server received " << r->udp_received << " ("
        << (r->udp_sent - std::min(r->udp_sent, r->udp_received)) << " lost, never resent)\n";
  }
  out << "\n";
  AnalyzeOptions a;
  a.file = o.write_path;
  return analyze_command(a, out, err) == 0 ? 0 : 2;
}

}  // namespace wirestep
