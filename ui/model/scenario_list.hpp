// The bundled lessons the Lessons tab lists: every scenario file of a folder that loads, in file name order,
// with its titles. Their Chinese texts also decide which glyphs the UI's font atlas holds.
#pragma once

#include <string>
#include <vector>

namespace wirestep {

struct ScenarioEntry {
  std::string path;  // canonical_path(): the same spelling as an open document's source
  std::string name, title, title_zh, explanation_zh;
};

// Files that do not load as scenarios are left out; a missing folder gives an empty list.
std::vector<ScenarioEntry> list_scenarios(const std::string& dir);

}  // namespace wirestep
