#include "ui/gui/file_browser.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace wirestep::gui {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

std::string extension_of(const std::string& name) {
  return lower(fs::path(name).extension().string());
}

// "/a/b/" and "/a/b/." name the same folder as "/a/b"; keeps "/" as it is.
fs::path tidy(const fs::path& p) {
  fs::path out = p.lexically_normal();
  std::string s = out.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s.empty() ? fs::path("/") : fs::path(s);
}

}  // namespace

FileKind kind_of_file(const std::string& name) {
  const std::string ext = extension_of(name);
  if (ext == ".pcap" || ext == ".cap") return FileKind::Pcap;
  if (ext == ".pcapng") return FileKind::Pcapng;
  if (ext == ".toml") return FileKind::Scenario;
  if (ext == ".pkt") return FileKind::Script;  // packetdrill
  return FileKind::Other;
}

std::string format_size(std::uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " B";
  static constexpr const char* kUnits[] = {"KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes) / 1024.0;
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < std::size(kUnits)) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

std::string with_pcap_extension(const std::string& name) {
  const auto first = name.find_first_not_of(' ');
  if (first == std::string::npos) return "";
  std::string s = name.substr(first, name.find_last_not_of(' ') - first + 1);
  if (fs::path(s).extension().empty()) s += ".pcap";
  return s;
}

std::string FileBrowser::start_directory(const std::string& document) {
  std::error_code ec;
  if (!document.empty()) {
    const fs::path p = fs::absolute(fs::path(document), ec);
    if (!ec && fs::is_directory(p, ec)) return tidy(p).string();
    if (!ec && fs::exists(p, ec) && fs::is_directory(p.parent_path(), ec))
      return tidy(p.parent_path()).string();
  }
  const fs::path cwd = fs::current_path(ec);
  return ec ? std::string("/") : tidy(cwd).string();
}

std::string FileBrowser::resolve(const std::string& typed) const {
  std::string t = typed;
  while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.pop_back();
  t.erase(0, std::min(t.find_first_not_of(' '), t.size()));
  if (t == "~" || t.rfind("~/", 0) == 0) {
    const char* home = std::getenv("HOME");
    if (home && *home) t = std::string(home) + t.substr(1);
  }
  const fs::path p(t);
  return tidy(p.is_absolute() ? p : fs::path(directory_.empty() ? "/" : directory_) / p).string();
}

void FileBrowser::open_folder(const std::string& dir) {
  directory_ = resolve(dir);
  entries_.clear();
  error_.clear();
  const fs::path here(directory_);
  if (here.has_relative_path()) entries_.push_back({"..", FileKind::Parent, std::nullopt});

  std::error_code ec;
  fs::directory_iterator it(here, fs::directory_options::none, ec);
  if (ec) {
    error_ = directory_ + ": " + ec.message();
    return;
  }
  std::vector<BrowserEntry> found;
  // Bounded: a folder that fails mid-listing (removed while read) ends the loop with an error.
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (!all_files_ && !name.empty() && name[0] == '.') continue;  // hidden files, as other file dialogs do
    std::error_code entry_ec;
    if (it->is_directory(entry_ec)) {
      found.push_back({name, FileKind::Folder, std::nullopt});
      continue;
    }
    const FileKind kind = kind_of_file(name);
    if (kind == FileKind::Other && !all_files_) continue;
    BrowserEntry e{name, kind, std::nullopt};
    if (it->is_regular_file(entry_ec)) {
      const std::uintmax_t size = it->file_size(entry_ec);
      if (!entry_ec) e.size = size;
    }
    found.push_back(std::move(e));
  }
  if (ec) error_ = directory_ + ": " + ec.message();
  std::sort(found.begin(), found.end(), [](const BrowserEntry& x, const BrowserEntry& y) {
    const bool xd = x.kind == FileKind::Folder, yd = y.kind == FileKind::Folder;
    if (xd != yd) return xd;
    const std::string lx = lower(x.name), ly = lower(y.name);
    return lx != ly ? lx < ly : x.name < y.name;
  });
  for (BrowserEntry& e : found) entries_.push_back(std::move(e));
}

void FileBrowser::set_all_files(bool all) {
  if (all == all_files_) return;
  all_files_ = all;
  refresh();
}

std::optional<std::string> FileBrowser::activate(std::size_t i) {
  if (i >= entries_.size()) return std::nullopt;
  const BrowserEntry& e = entries_[i];
  if (e.kind == FileKind::Parent) {
    open_folder(fs::path(directory_).parent_path().string());
    return std::nullopt;
  }
  const std::string path = (fs::path(directory_) / e.name).string();
  if (e.kind == FileKind::Folder) {
    open_folder(path);
    return std::nullopt;
  }
  return path;
}

std::optional<std::string> FileBrowser::submit(const std::string& typed) {
  const std::string path = resolve(typed);
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    open_folder(path);
    return std::nullopt;
  }
  return path;
}

}  // namespace wirestep::gui
