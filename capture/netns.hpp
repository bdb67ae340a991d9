// Network-namespace helpers for the labs (live_lab.cpp, twin_lab.cpp): running iproute2/nftables commands,
// moving the calling thread into a namespace, and a set of namespaces removed whatever happens.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"

namespace wirestep {

// Runs a shell command (iproute2, nftables, ethtool, sysctl), returning its exit status (-1 when it could
// not run); its output, stderr included, goes to `log`.
int run_shell(const std::string& command, std::string* log = nullptr);

// Moves the calling thread into the named namespace (/var/run/netns/NAME); false when it cannot.
bool enter_netns(const std::string& name);

// Namespaces created for one run; the destructor deletes them (and so every veth and bridge inside).
class NetnsSet {
 public:
  NetnsSet() = default;
  ~NetnsSet() { remove_all(); }
  NetnsSet(const NetnsSet&) = delete;
  NetnsSet& operator=(const NetnsSet&) = delete;

  // `ip netns add NAME`; remembered for removal even when later steps fail.
  bool add(const std::string& name, std::string* log = nullptr);
  void remove_all();

 private:
  std::vector<std::string> names_;
};

// Removes namespaces named wirestep-*-PID whose process PID no longer exists (a run killed with SIGKILL).
void remove_stale_wirestep_namespaces(std::ostream& progress, Lang lang);

}  // namespace wirestep
