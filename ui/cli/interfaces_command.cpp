#include "ui/cli/interfaces_command.hpp"

#include <ostream>
#include <string>

#include "capture/interfaces.hpp"

namespace wirestep {
namespace {
std::string padded(std::string s, std::size_t width) {
  if (s.size() < width) s.resize(width, ' ');
  return s + " ";
}
}  // namespace

int interfaces_command(std::ostream& out, std::ostream& err) {
  auto list = list_interfaces();
  if (!list) {
    err << "wirestep: " << list.error().message() << "\n";
    return 2;
  }
  out << padded("interface", 12) << padded("state", 30) << padded("address", 28) << padded("network part", 24)
      << "host part\n";
  for (const auto& nif : *list) {
    std::string state = nif.up ? "up" : "down";
    if (nif.running) state += ",running";
    if (nif.loopback) state += ",loopback";
    if (nif.capturable) state += ",capture";
    if (nif.addresses.empty()) {
      out << padded(nif.name, 12) << padded(state, 30) << "(no address)\n";
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
  out << "\nThe prefix length says how many leading bits are the network part: hosts with the same network "
         "part "
         "reach each other directly; the host part tells them apart.\n";
  return 0;
}

}  // namespace wirestep
