// Every capture in the shared corpus (../shared/corpus/tcpdump, 490 files from tcpdump's tests, many of them
// fuzzed or crafted to crash dissectors) loads without a crash, hang or sanitizer report, with the frame
// counts and damage the corpus manifest lists, and every stored offset re-reads the frame libpcap returned.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture_test_support.hpp"
#include "sim/analysis/flow_analysis.hpp"

namespace wirestep {
namespace capture_corpus_test {

using namespace capture_test;

std::vector<std::string> corpus_captures() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".pcap") || name.ends_with(".pcapng")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(CaptureCorpus, FolderAndManifestArePresent) {
  // A missing corpus must fail the suite, not silently test nothing.
  ASSERT_TRUE(std::filesystem::is_directory(corpus_dir())) << corpus_dir();
  EXPECT_GE(corpus_captures().size(), 490u);
  EXPECT_GE(read_manifest().size(), 490u);
}

TEST(CaptureCorpus, EveryFileLoadsWithTheManifestsFrameCountAndLinkType) {
  // Each file is read to its end (the corpus has no file cut mid-record), analysed, and within a time bound.
  const auto manifest = read_manifest();
  const auto files = corpus_captures();
  ASSERT_FALSE(files.empty());
  for (const std::string& name : files) {
    SCOPED_TRACE(name);
    FlowAnalyzer analysis;
    const auto start = std::chrono::steady_clock::now();
    auto loaded = load_capture(corpus_file(name), {},
                               [&](const PacketRecord& r, const FrameInfo& i) { analysis.add(r, i); });
    analysis.finish();
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20)) << "too slow: a hang?";
    if (!loaded) {
      // Allowed, but only as one clear message naming the file.
      EXPECT_NE(loaded.error().message().find(name), std::string::npos) << loaded.error().message();
      continue;
    }
    const CaptureFileInfo& info = loaded->info;
    EXPECT_EQ(loaded->trace.packet_count(), info.frames) << "every frame is a Trace packet";
    EXPECT_FALSE(info.truncated) << info.read_error;
    EXPECT_TRUE(info.read_error.empty()) << info.read_error;
    std::uint64_t in_conversations = 0;
    for (const Conversation& c : analysis.conversations()) in_conversations += c.packets();
    EXPECT_EQ(in_conversations, info.frames) << "every frame is in a conversation, none dropped";
    auto row = manifest.find(name);
    ASSERT_NE(row, manifest.end()) << "not in the corpus manifest";
    EXPECT_EQ(info.frames, row->second.packets);
    if (row->second.link_type.rfind("DLT ", 0) != 0) {
      EXPECT_EQ(info.link_type, row->second.link_type);
    }
  }
}

TEST(CaptureCorpus, FramesCutShortMatchTheManifest) {
  // The manifest's "N pkt caplen<len" (from tshark) is what we report as frames cut short. Files tshark
  // could not read at all (format "?") have no figure in the manifest.
  for (const auto& [name, row] : read_manifest()) {
    if (row.format == "?") continue;
    SCOPED_TRACE(name);
    auto loaded = load_capture(corpus_file(name));
    ASSERT_TRUE(loaded) << loaded.error().message();
    EXPECT_EQ(loaded->info.frames_cut_short, row.caplen_below_len);
  }
}

TEST(CaptureCorpus, DecodeErrorsNameTheFrameAndItsFileOffset) {
  // Malformed frames stay in the Trace, marked, and each error points at the frame's bytes in the file.
  std::size_t files_with_errors = 0;
  for (const std::string& name : corpus_captures()) {
    SCOPED_TRACE(name);
    auto loaded = load_capture(corpus_file(name));
    ASSERT_TRUE(loaded);
    const CaptureFileInfo& info = loaded->info;
    EXPECT_EQ(info.decode_error_count, info.decode_errors.size());
    if (!info.decode_errors.empty()) ++files_with_errors;
    for (const DecodeError& e : info.decode_errors) {
      ASSERT_GE(e.frame, 1u);
      ASSERT_LE(e.frame, info.frames);
      const PacketRecord p = loaded->trace.packet(e.frame - 1);
      EXPECT_TRUE(p.marks & mark::kMalformed) << "frame " << e.frame;
      EXPECT_EQ(e.offset, p.payload_ref) << "frame " << e.frame;
      EXPECT_FALSE(e.reason.empty());
      EXPECT_LE(e.offset, std::filesystem::file_size(corpus_file(name)))
          << "an empty last frame ends the file";
    }
  }
  EXPECT_GT(files_with_errors, 20u) << "the corpus is full of malformed frames";
}

TEST(CaptureCorpus, StoredOffsetsReReadTheBytesLibpcapReturned) {
  // The Trace keeps an offset instead of the frame: re-reading it must give what libpcap gave, for pcap
  // and pcapng alike.
  std::size_t frames_checked = 0;
  for (const std::string& name : corpus_captures()) {
    SCOPED_TRACE(name);
    const std::string path = corpus_file(name);
    auto loaded = load_capture(path);
    ASSERT_TRUE(loaded);
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    ASSERT_NE(p, nullptr) << errbuf;
    pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    for (std::size_t i = 0; pcap_next_ex(p, &h, &data) == 1; ++i) {
      ASSERT_LT(i, loaded->trace.packet_count());
      auto frame = read_frame_bytes(path, loaded->trace.packet(i).payload_ref);
      ASSERT_TRUE(frame) << "frame " << i + 1 << ": " << frame.error().message();
      EXPECT_EQ(frame->wire_len, h->len) << "frame " << i + 1;
      // libpcap returns at most the file's snapshot length of a longer record; the file holds all of it.
      ASSERT_GE(frame->bytes.size(), h->caplen) << "frame " << i + 1;
      EXPECT_TRUE(std::equal(data, data + h->caplen, frame->bytes.begin())) << "frame " << i + 1;
      ++frames_checked;
    }
    pcap_close(p);
  }
  EXPECT_GT(frames_checked, 5'000u);
}

}  // namespace capture_corpus_test
}  // namespace wirestep
