#include "ui/cli/live_command.hpp"

#include <ostream>

#include "ui/cli/analyze_command.hpp"
#include "ui/cli/cli_text.hpp"

namespace wirestep {

int live_command(const LiveLabOptions& o, std::ostream& out, std::ostream& err, Lang lang) {
  LiveLabOptions lab = o;
  lab.lang = lang;  // the progress lines too
  auto r = run_live_lab(lab, out);
  if (!r) {
    err << "wirestep: " << error_text(r.error(), lang) << "\n";
    return 2;
  }
  out << "\n" << cli_text(lang, Msg::LiveCaptured, r->frames, r->interface, o.write_path) << "\n";
  if (o.tcp) {
    out << cli_text(lang, Msg::LiveTcp, r->tcp_bytes_sent, r->tcp_bytes_received);
    if (!r->tcp_error.empty()) out << " (" << r->tcp_error << ")";
    if (r->tcp_bytes_received == o.tcp_bytes) out << cli_text(lang, Msg::LiveEveryByte);
    out << "\n";
  }
  if (o.udp) {
    out << cli_text(lang, Msg::LiveUdp, r->udp_sent, r->udp_received,
                    r->udp_sent - std::min(r->udp_sent, r->udp_received))
        << "\n";
  }
  out << "\n";
  AnalyzeOptions a;
  a.file = o.write_path;
  a.lang = lang;
  return analyze_command(a, out, err) == 0 ? 0 : 2;
}

}  // namespace wirestep
