#include "sim/scenario/scenario_loader.hpp"

#include <fstream>
#include <sstream>

#include "sim/scenario/section_readers.hpp"

namespace wirestep {

Result<Scenario> parse_scenario(std::string_view toml_text, const std::string& file) {
  return toml_reader::read_toml<Scenario>(toml_text, file, [&](const toml::table& root) {
    toml_reader::TableReader top(root, "top level",
                                 {"scenario", "tcp", "host", "router", "switch", "network", "link", "program",
                                  "comparison", "expect", "view"});
    // In this order: each section may check what an earlier one defined (section_readers.hpp).
    sections::ScenarioDraft d;
    d.sc.file = file;
    sections::read_meta(root, d);
    sections::read_tcp(root, d);
    sections::read_hosts(root, d);
    sections::read_routers(root, d);
    sections::read_switches(root, d);
    sections::read_network(root, d);
    sections::read_links(root, d);
    sections::read_programs(root, d);
    sections::read_comparison(root, d);
    sections::read_expectations(root, d);
    return std::move(d.sc);
  });
}

Result<Scenario> load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return Error{path, "", "cannot open the scenario file (does it exist and is it readable?)", "",
                 "无法打开场景文件（它存在吗？可读吗？）"};
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.size() > 16 * 1024 * 1024)
    return Error{path, "", "scenario file larger than 16 MiB: refusing to read it", "",
                 "场景文件大于 16 MiB：拒绝读取"};
  return parse_scenario(text, path);
}

}  // namespace wirestep
