#include "ui/gui/save_pcap.hpp"

#include <cctype>
#include <filesystem>
#include <memory>
#include <system_error>

#include "capture/frame_copy.hpp"
#include "capture/pcap_export.hpp"

namespace wirestep::gui {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::string format_count(std::uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::vector<std::string> save_paths(const std::string& chosen, const std::vector<std::string>& labels) {
  if (labels.size() <= 1) return {chosen};
  const fs::path p(chosen);
  std::vector<std::string> out;
  for (const std::string& label : labels) {
    const std::string suffix = label.empty() ? std::to_string(out.size() + 1) : lower(label);
    out.push_back((p.parent_path() / (p.stem().string() + "-" + suffix + p.extension().string())).string());
  }
  return out;
}

Result<std::size_t> write_trace_pcap(const Trace& trace, const std::string& out) {
  const std::string part = out + ".part";
  auto written = write_pcap(trace, part);
  if (!written) {
    std::error_code ec;
    fs::remove(part, ec);
    return Error{out, "", written.error().reason};
  }
  return replace_with_part(part, out, *written);
}

}  // namespace wirestep::gui
