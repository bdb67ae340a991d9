#include "capture/netns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ostream>

namespace wirestep {

int run_shell(const std::string& command, std::string* log) {
  FILE* p = popen(("( " + command + " ) 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[512];
  std::string out;
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int status = pclose(p);
  if (log) *log = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool enter_netns(const std::string& name) {
  const int fd = open(("/var/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = setns(fd, CLONE_NEWNET) == 0;
  close(fd);
  return ok;
}

bool NetnsSet::add(const std::string& name, std::string* log) {
  if (run_shell("ip netns add " + name, log) != 0) return false;
  names_.push_back(name);
  return true;
}

void NetnsSet::remove_all() {
  // Deleting a namespace deletes the veth ends in it, and with them their peers.
  for (auto it = names_.rbegin(); it != names_.rend(); ++it) run_shell("ip netns del " + *it);
  names_.clear();
}

void remove_stale_wirestep_namespaces(std::ostream& progress, Lang lang) {
  std::string list;
  if (run_shell("ip netns list", &list) != 0) return;
  std::size_t pos = 0;
  while ((pos = list.find("wirestep-", pos)) != std::string::npos) {
    const auto end = list.find_first_of(" \n", pos);
    const std::string name = list.substr(pos, end - pos);
    pos = end;
    const auto dash = name.rfind('-');
    const pid_t owner = static_cast<pid_t>(std::strtol(name.c_str() + dash + 1, nullptr, 10));
    if (owner > 0 && kill(owner, 0) == 0) continue;  // its run is still going
    if (lang == Lang::Zh)
      progress << "删除上一次运行遗留的命名空间 " << name << "\n";
    else
      progress << "removing namespace " << name << " left by an earlier run\n";
    run_shell("ip netns del " + name);
  }
}

}  // namespace wirestep
