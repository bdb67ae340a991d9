// Classic pcap records are read straight from the mapped file (capture/pcap_records.hpp) and libpcap takes
// over at the first record it would treat specially. Either way the load must be exactly what libpcap alone
// gives: every corpus pcap, hand-made files with each unusual record libpcap handles (longer than the
// snapshot length, cut short, stamped past 2038, a fraction out of range, big-endian, nanosecond, the old
// "modified" format, version 2.3) and thousands of files with record-header bytes changed at random.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "capture/capture_reader.hpp"
#include "capture_test_support.hpp"

namespace wirestep {
namespace capture_pcap_records_test {

using namespace capture_test;

std::string compare_with_libpcap(const std::string& path) {
  auto ours = load_capture(path);
  CaptureOptions libpcap_only;
  libpcap_only.force_libpcap = true;
  auto theirs = load_capture(path, libpcap_only);
  if (static_cast<bool>(ours) != static_cast<bool>(theirs)) return "one way failed to open";
  if (!ours) return ours.error().reason == theirs.error().reason ? "" : "different open errors";
  return loaded_difference(*ours, *theirs);
}

// A classic pcap file written byte by byte, so a test can put any value in any field.
class RawPcap {
 public:
  RawPcap(std::uint32_t magic, bool big_endian, std::uint32_t snaplen, std::uint16_t minor = 4)
      : big_(big_endian) {
    u32(magic);
    u16(2);
    u16(minor);
    u32(0);
    u32(0);
    u32(snaplen);
    u32(1);  // Ethernet
  }
  RawPcap& record(std::uint32_t sec, std::uint32_t fraction, const std::vector<std::uint8_t>& frame,
                  std::optional<std::uint32_t> caplen = std::nullopt, std::size_t extra_header = 0) {
    u32(sec);
    u32(fraction);
    u32(caplen.value_or(static_cast<std::uint32_t>(frame.size())));
    u32(static_cast<std::uint32_t>(frame.size()));
    bytes_.insert(bytes_.end(), extra_header, 0);
    bytes_.insert(bytes_.end(), frame.begin(), frame.end());
    return *this;
  }
  std::vector<std::uint8_t>& bytes() { return bytes_; }
  std::string write(const testing::TempDir& dir, const std::string& name) const {
    const std::string path = dir.file(name);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes_.data()), static_cast<std::streamsize>(bytes_.size()));
    return path;
  }

 private:
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (big_ ? 24 - 8 * i : 8 * i)));
  }
  void u16(std::uint16_t v) {
    for (int i = 0; i < 2; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (big_ ? 8 - 8 * i : 8 * i)));
  }
  bool big_;
  std::vector<std::uint8_t> bytes_;
};

std::vector<std::uint8_t> data_segment(std::uint32_t seq, std::size_t payload = 100) {
  return ethernet(ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, seq, 1, 0x18, 65535, payload));
}

TEST(CapturePcapRecords, EveryCorpusPcapLoadsExactlyAsLibpcapAloneLoadsIt) {
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir(), ec)) {
    const std::string path = e.path().string();
    if (!e.is_regular_file() || !path.ends_with(".pcap")) continue;
    ++files;
    EXPECT_EQ(compare_with_libpcap(path), "") << path;
  }
  EXPECT_GT(files, 100u) << "the corpus is missing: " << corpus_dir();
}

TEST(CapturePcapRecords, UnusualRecordsInTheMiddleGiveLibpcapsFramesAndErrors) {
  testing::TempDir dir;
  struct Case {
    std::string name;
    RawPcap file;
  };
  std::vector<Case> cases;
  // A record longer than the snapshot length: libpcap keeps the first snaplen bytes and skips the rest.
  cases.push_back({"over-snaplen", RawPcap(0xA1B2C3D4, false, 96)});
  cases.back()
      .file.record(1, 0, data_segment(1, 20))
      .record(1, 5, data_segment(21))
      .record(2, 0, data_segment(121, 20));
  // Stamps libpcap reads as negative seconds, and fractions past a second.
  cases.push_back({"past-2038", RawPcap(0xA1B2C3D4, false, 65535)});
  cases.back().file.record(1, 0, data_segment(1)).record(0x9000'0000u, 7, data_segment(101));
  cases.push_back({"fraction-out-of-range", RawPcap(0xA1B2C3D4, false, 65535)});
  cases.back()
      .file.record(1, 0, data_segment(1))
      .record(1, 4'000'000, data_segment(101))
      .record(2, 0, data_segment(201));
  cases.push_back({"nanosecond-big-endian", RawPcap(0xA1B23C4D, true, 65535)});
  cases.back().file.record(1, 999'999'999, data_segment(1)).record(2, 1, data_segment(101));
  cases.push_back({"microsecond-big-endian", RawPcap(0xA1B2C3D4, true, 65535)});
  cases.back().file.record(1, 999'999, data_segment(1)).record(2, 1, data_segment(101));
  // Version 2.3 files may have the two lengths swapped: libpcap reads those whole.
  cases.push_back({"version-2.3", RawPcap(0xA1B2C3D4, false, 65535, 3)});
  cases.back().file.record(1, 0, data_segment(1)).record(1, 1, data_segment(101));
  // Alexey Kuznetzov's format: 8 more bytes in each record header.
  cases.push_back({"modified-format", RawPcap(0xA1B2CD34, false, 65535)});
  cases.back()
      .file.record(1, 0, data_segment(1), std::nullopt, 8)
      .record(1, 1, data_segment(101), std::nullopt, 8);
  // Cut short in a record's data, then in a record's header.
  cases.push_back({"cut-in-data", RawPcap(0xA1B2C3D4, false, 65535)});
  cases.back().file.record(1, 0, data_segment(1)).record(1, 1, data_segment(101));
  cases.back().file.bytes().resize(cases.back().file.bytes().size() - 30);
  cases.push_back({"cut-in-header", RawPcap(0xA1B2C3D4, false, 65535)});
  cases.back().file.record(1, 0, data_segment(1)).record(1, 1, data_segment(101));
  cases.back().file.bytes().resize(cases.back().file.bytes().size() - data_segment(101).size() - 6);
  // A record claiming more bytes than any link type allows.
  cases.push_back({"absurd-caplen", RawPcap(0xA1B2C3D4, false, 65535)});
  cases.back().file.record(1, 0, data_segment(1)).record(1, 1, data_segment(101), 0x7000'0000u);

  for (auto& c : cases) {
    const std::string path = c.file.write(dir, c.name + ".pcap");
    EXPECT_EQ(compare_with_libpcap(path), "") << c.name;
    auto loaded = load_capture(path);
    ASSERT_TRUE(loaded) << c.name << ": " << loaded.error().reason;
    EXPECT_GE(loaded->info.frames, 1u) << c.name;  // nothing read before the unusual record is lost
  }
  // The case names above say what libpcap does; check the two that users see as numbers.
  auto over = load_capture(dir.file("over-snaplen.pcap"));
  ASSERT_TRUE(over);
  EXPECT_EQ(over->info.frames, 3u);
  EXPECT_EQ(over->info.frames_over_snaplen, 1u);
  auto cut = load_capture(dir.file("cut-in-data.pcap"));
  ASSERT_TRUE(cut);
  EXPECT_EQ(cut->info.frames, 1u);
  EXPECT_TRUE(cut->info.truncated) << cut->info.read_error;
}

// One to three random bytes changed in the record headers of a 40-record file, 500 times: whatever libpcap
// makes of each file (records over the snapshot length, absurd lengths, stamps past 2038, cut records), the
// mapped reader hands over at the right record and the load is the same.
TEST(CapturePcapRecords, RandomlyDamagedRecordHeadersLoadTheSameAsThroughLibpcap) {
  testing::TempDir dir;
  RawPcap base(0xA1B2C3D4, false, 1600);
  std::vector<std::size_t> header_starts;
  for (std::uint32_t i = 0; i < 40; ++i) {
    header_starts.push_back(base.bytes().size());
    base.record(100 + i, i * 1000, data_segment(1 + i * 100));
  }
  std::mt19937 rng(19);
  for (int round = 0; round < 500; ++round) {
    RawPcap damaged = base;
    const int changes = 1 + static_cast<int>(rng() % 3);
    for (int c = 0; c < changes; ++c) {
      const std::size_t at = header_starts[rng() % header_starts.size()] + rng() % 16;
      damaged.bytes()[at] = static_cast<std::uint8_t>(rng());
    }
    const std::string path = damaged.write(dir, "damaged.pcap");
    const std::string diff = compare_with_libpcap(path);
    ASSERT_EQ(diff, "") << "round " << round;
  }
}

}  // namespace capture_pcap_records_test
}  // namespace wirestep
