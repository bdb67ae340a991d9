#include "ui/model/scenario_list.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/scenario/scenario_loader.hpp"
#include "ui/model/document_loader.hpp"

namespace wirestep {

std::vector<ScenarioEntry> list_scenarios(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<ScenarioEntry> out;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto sc = load_scenario_file(path.string());
    if (!sc) continue;
    out.push_back({canonical_path(path.string()), sc->name, sc->title, sc->title_zh, sc->explanation_zh});
  }
  return out;
}

}  // namespace wirestep
