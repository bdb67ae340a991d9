// The TCP-versus-UDP comparison as rows of text, shared by the command line and the UI's table.
#pragma once

#include <string>
#include <vector>

#include "sim/scenario/comparison.hpp"

namespace wirestep {

struct ComparisonRow {
  std::string what;
  std::string tcp;
  std::string udp;
};

std::vector<ComparisonRow> comparison_rows(const ComparisonResult& c);
std::string render_comparison_table(const ComparisonResult& c);

}  // namespace wirestep
