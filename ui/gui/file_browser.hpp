// The file dialog's model, without a window (file_dialog.hpp draws it): the current folder, its parent and
// subfolders, and the files wirestep opens (.pcap .pcapng .cap .toml .pkt; "all files" lifts the filter),
// folders first and then by name, with size and kind. A folder that cannot be read (no permission, gone) is
// an error to show, with the listing left empty so the user can go up or type another path; nothing here
// throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wirestep::gui {

enum class FileKind : std::uint8_t { Parent, Folder, Pcap, Pcapng, Scenario, Script, Other };

struct BrowserEntry {
  std::string name;  // ".." for the parent
  FileKind kind = FileKind::Other;
  std::optional<std::uint64_t> size;  // files whose size could be read
};

// The kind a file name shows as; folders are FileKind::Folder whatever their name.
FileKind kind_of_file(const std::string& name);
// "0 B", "512 B", "1.5 KB", "23.4 MB", "2.0 GB" (1 KB = 1024 bytes).
std::string format_size(std::uint64_t bytes);
// A typed save name without an extension gets ".pcap".
std::string with_pcap_extension(const std::string& name);

class FileBrowser {
 public:
  // The folder of `document` when it names an existing file or folder, else the working directory.
  static std::string start_directory(const std::string& document);

  // Lists `dir` (relative names are taken from the current folder). On failure the folder still becomes
  // current (so ".." leads out of a vanished one) and error() says why.
  void open_folder(const std::string& dir);
  void refresh() { open_folder(directory_); }
  void set_all_files(bool all);

  const std::string& directory() const { return directory_; }
  const std::vector<BrowserEntry>& entries() const { return entries_; }
  const std::string& error() const { return error_; }
  bool all_files() const { return all_files_; }

  // Double-click or Enter on entry `i`: a folder (or "..") is entered and nullopt returned; a file gives its
  // full path.
  std::optional<std::string> activate(std::size_t i);
  // The path field: absolute, relative to the current folder, or starting with "~/". An existing folder is
  // entered (nullopt); anything else comes back as a full path for the caller to open or create.
  std::optional<std::string> submit(const std::string& typed);
  // `typed` made absolute against the current folder (and "~" expanded), without touching the disk.
  std::string resolve(const std::string& typed) const;

 private:
  std::string directory_;
  std::vector<BrowserEntry> entries_;
  std::string error_;
  bool all_files_ = false;
};

}  // namespace wirestep::gui
