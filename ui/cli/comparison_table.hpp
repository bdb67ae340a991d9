// The TCP-versus-UDP comparison as rows of text, shared by the command line and the UI's table.
#pragma once

#include <string>
#include <vector>

#include "sim/analysis/lang.hpp"
#include "sim/scenario/comparison.hpp"

namespace wirestep {

struct ComparisonRow {
  std::string what;
  std::string tcp;
  std::string udp;
};

// Rows with English labels (the UI translates them itself); the values are numbers and units in both.
std::vector<ComparisonRow> comparison_rows(const ComparisonResult& c);
// The table the command line prints, labels in `lang`, columns aligned by display width.
std::string render_comparison_table(const ComparisonResult& c, Lang lang = Lang::En);

}  // namespace wirestep
