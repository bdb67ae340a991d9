// The file dialog's model (ui/gui/file_browser.hpp) on real temporary folders: what is listed and in which
// order, moving between folders, typed paths, and folders that cannot be read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "test_support.hpp"
#include "ui/gui/file_browser.hpp"

namespace wirestep::gui {
namespace file_browser_test {

namespace fs = std::filesystem;

void write_bytes(const std::string& path, std::size_t n) {
  std::ofstream(path, std::ios::binary) << std::string(n, 'x');
}

std::vector<std::string> names(const FileBrowser& b) {
  std::vector<std::string> out;
  for (const BrowserEntry& e : b.entries()) out.push_back(e.name);
  return out;
}

// A folder with captures, a lesson, other files, a hidden file and two subfolders.
class FileBrowserFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.file("").empty());
    root_ = fs::path(dir_.file("")).parent_path().string();
    write_bytes(dir_.file("b.pcap"), 1536);
    write_bytes(dir_.file("A.pcapng"), 10);
    write_bytes(dir_.file("c.TOML"), 3);
    write_bytes(dir_.file("trace.cap"), 0);
    write_bytes(dir_.file("notes.txt"), 5);
    write_bytes(dir_.file(".hidden.pcap"), 5);
    fs::create_directory(dir_.file("sub"));
    fs::create_directory(dir_.file("Zdir"));
    write_bytes(dir_.file("sub/inner.pcap"), 7);
  }
  testing::TempDir dir_;
  std::string root_;
};

TEST_F(FileBrowserFolder, ListsParentThenFoldersThenOpenableFilesByNameIgnoringCase) {
  FileBrowser b;
  b.open_folder(root_);
  EXPECT_EQ(b.error(), "");
  EXPECT_EQ(b.directory(), root_);
  EXPECT_EQ(names(b),
            (std::vector<std::string>{"..", "sub", "Zdir", "A.pcapng", "b.pcap", "c.TOML", "trace.cap"}));
}

TEST_F(FileBrowserFolder, AllFilesAddsOtherAndHiddenFiles) {
  FileBrowser b;
  b.open_folder(root_);
  b.set_all_files(true);
  EXPECT_EQ(names(b), (std::vector<std::string>{"..", "sub", "Zdir", ".hidden.pcap", "A.pcapng", "b.pcap",
                                                "c.TOML", "notes.txt", "trace.cap"}));
  b.set_all_files(false);
  EXPECT_EQ(b.entries().size(), 7u);
}

TEST_F(FileBrowserFolder, EntriesCarrySizeAndKind) {
  FileBrowser b;
  b.open_folder(root_);
  const auto& e = b.entries();
  EXPECT_EQ(e[0].kind, FileKind::Parent);
  EXPECT_EQ(e[1].kind, FileKind::Folder);
  EXPECT_FALSE(e[1].size.has_value());
  EXPECT_EQ(e[3].kind, FileKind::Pcapng);
  EXPECT_EQ(e[4].kind, FileKind::Pcap);
  ASSERT_TRUE(e[4].size.has_value());
  EXPECT_EQ(*e[4].size, 1536u);
  EXPECT_EQ(format_size(*e[4].size), "1.5 KB");
  EXPECT_EQ(e[5].kind, FileKind::Scenario);
  EXPECT_EQ(e[6].kind, FileKind::Pcap);  // .cap is libpcap's format too
  EXPECT_EQ(*e[6].size, 0u);
}

TEST_F(FileBrowserFolder, ActivatingAFolderEntersItAndTheParentLeadsBack) {
  FileBrowser b;
  b.open_folder(root_);
  EXPECT_EQ(b.activate(1), std::nullopt);  // "sub"
  EXPECT_EQ(b.directory(), root_ + "/sub");
  EXPECT_EQ(names(b), (std::vector<std::string>{"..", "inner.pcap"}));
  EXPECT_EQ(b.activate(0), std::nullopt);  // ".."
  EXPECT_EQ(b.directory(), root_);
}

TEST_F(FileBrowserFolder, ActivatingAFileGivesItsFullPath) {
  FileBrowser b;
  b.open_folder(root_);
  EXPECT_EQ(b.activate(4), root_ + "/b.pcap");
  EXPECT_EQ(b.directory(), root_);
  EXPECT_EQ(b.activate(99), std::nullopt);
}

TEST_F(FileBrowserFolder, TypedPathsAreResolvedAgainstTheCurrentFolder) {
  FileBrowser b;
  b.open_folder(root_);
  EXPECT_EQ(b.submit("sub/"), std::nullopt);
  EXPECT_EQ(b.directory(), root_ + "/sub");
  EXPECT_EQ(b.submit("../b.pcap"), root_ + "/b.pcap");
  // A name that does not exist yet comes back as a path (saving creates it).
  EXPECT_EQ(b.submit("  new.pcap "), root_ + "/sub/new.pcap");
  EXPECT_EQ(b.submit(root_), std::nullopt);
  EXPECT_EQ(b.directory(), root_);
}

TEST_F(FileBrowserFolder, AVanishedFolderIsAnErrorAndItsParentStillWorks) {
  FileBrowser b;
  b.open_folder(root_ + "/sub");
  fs::remove_all(root_ + "/sub");
  b.refresh();
  EXPECT_NE(b.error().find("sub"), std::string::npos);
  EXPECT_EQ(names(b), (std::vector<std::string>{".."}));
  b.activate(0);
  EXPECT_EQ(b.error(), "");
  EXPECT_EQ(b.directory(), root_);
}

TEST_F(FileBrowserFolder, AFileOpenedAsAFolderIsAnError) {
  FileBrowser b;
  b.open_folder(root_ + "/b.pcap");
  EXPECT_NE(b.error(), "");
  EXPECT_EQ(names(b), (std::vector<std::string>{".."}));
}

TEST_F(FileBrowserFolder, AFolderWithoutReadPermissionIsAnError) {
  // root reads every folder whatever its mode: then only the listing of the folder itself is checked.
  fs::permissions(root_ + "/sub", fs::perms::none);
  FileBrowser b;
  b.open_folder(root_ + "/sub");
  if (geteuid() != 0) {
    EXPECT_NE(b.error().find("ermission"), std::string::npos) << b.error();
    EXPECT_EQ(names(b), (std::vector<std::string>{".."}));
  } else {
    EXPECT_EQ(names(b), (std::vector<std::string>{"..", "inner.pcap"}));
  }
  fs::permissions(root_ + "/sub", fs::perms::owner_all);
}

TEST_F(FileBrowserFolder, StartsInTheDocumentsFolderOrTheWorkingDirectory) {
  EXPECT_EQ(FileBrowser::start_directory(root_ + "/b.pcap"), root_);
  EXPECT_EQ(FileBrowser::start_directory(root_ + "/sub"), root_ + "/sub");
  const std::string cwd = fs::current_path().string();
  EXPECT_EQ(FileBrowser::start_directory("synthetic 1000 packets"), cwd);
  EXPECT_EQ(FileBrowser::start_directory(""), cwd);
}

TEST(FileBrowserRoot, TheRootFolderHasNoParentEntry) {
  FileBrowser b;
  b.open_folder("/");
  EXPECT_EQ(b.directory(), "/");
  for (const BrowserEntry& e : b.entries()) EXPECT_NE(e.kind, FileKind::Parent);
}

TEST(FileBrowserNames, SizesReadLikeAFileManager) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1024), "1.0 KB");
  EXPECT_EQ(format_size(5ull * 1024 * 1024 + 512 * 1024), "5.5 MB");
  EXPECT_EQ(format_size(3ull << 30), "3.0 GB");
}

TEST(FileBrowserNames, SaveNamesWithoutAnExtensionGetPcap) {
  EXPECT_EQ(with_pcap_extension("flows"), "flows.pcap");
  EXPECT_EQ(with_pcap_extension(" flows.pcapng "), "flows.pcapng");
  EXPECT_EQ(with_pcap_extension("   "), "");
  EXPECT_EQ(kind_of_file("X.PCAP"), FileKind::Pcap);
  EXPECT_EQ(kind_of_file("lesson.toml"), FileKind::Scenario);
  EXPECT_EQ(kind_of_file("readme"), FileKind::Other);
}

}  // namespace file_browser_test
}  // namespace wirestep::gui
