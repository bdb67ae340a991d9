#include "ui/cli/interfaces_command.hpp"

#include <ostream>
#include <string>

#include "capture/interfaces.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace {
// Padded by display width, so the Chinese headings stay over their columns.
std::string padded(const std::string& s, std::size_t width) {
  return pad_to_width(s, width) + " ";
}
}  // namespace

int interfaces_command(std::ostream& out, std::ostream& err, Lang lang) {
  auto t = [&](Msg id) { return cli_text(lang, id); };
  auto list = list_interfaces();
  if (!list) {
    err << "wirestep: " << error_text(list.error(), lang) << "\n";
    return 2;
  }
  out << padded(t(Msg::ColInterface), 12) << padded(t(Msg::ColState), 30) << padded(t(Msg::ColAddress), 28)
      << padded(t(Msg::ColNetworkPart), 24) << t(Msg::ColHostPart) << "\n";
  for (const auto& nif : *list) {
    std::string state = t(nif.up ? Msg::StateUp : Msg::StateDown);
    if (nif.running) state += t(Msg::StateRunning);
    if (nif.loopback) state += t(Msg::StateLoopback);
    if (nif.capturable) state += t(Msg::StateCapture);
    if (nif.addresses.empty()) {
      out << padded(nif.name, 12) << padded(state, 30) << t(Msg::NoAddress) << "\n";
      continue;
    }
    bool first = true;
    for (const auto& a : nif.addresses) {
      const std::string suffix = "/" + std::to_string(a.prefix_len);
      out << padded(first ? nif.name : "", 12) << padded(first ? state : "", 30)
          << padded(a.address.to_string() + suffix, 28) << padded(a.network.to_string() + suffix, 24)
          << a.host.to_string() << "\n";
      first = false;
    }
  }
  out << "\n" << t(Msg::PrefixExplained) << "\n";
  return 0;
}

}  // namespace wirestep
