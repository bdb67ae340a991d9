// Bad input gets one clear message naming the file, or, when part of the file was read, keeps every frame
// before the damage and says where reading stopped (DESIGN.md "Bad input of any kind").
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture_test_support.hpp"
#include "sim/analysis/tcp_explain.hpp"

namespace wirestep {
namespace capture_bad_input_test {

using namespace capture_test;

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// The first `keep` bytes of a corpus file.
std::string cut_copy(const testing::TempDir& dir, const std::string& corpus_name, std::size_t keep) {
  auto bytes = testing::read_bytes(corpus_file(corpus_name));
  EXPECT_LT(keep, bytes.size());
  bytes.resize(keep);
  const std::string path = dir.file("cut-" + corpus_name);
  write_bytes(path, bytes);
  return path;
}

TEST(CaptureBadInput, TextFileIsNotACapture) {
  testing::TempDir dir;
  const std::string path = dir.file("notes.txt");
  std::ofstream(path) << "this is not a capture\n";
  auto r = load_capture(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find(path), std::string::npos);
  EXPECT_NE(r.error().message().find("not a pcap or pcapng capture"), std::string::npos)
      << r.error().message();
}

TEST(CaptureBadInput, EmptyFileSaysItIsEmpty) {
  testing::TempDir dir;
  const std::string path = dir.file("empty.pcap");
  write_bytes(path, {});
  auto r = load_capture(path);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), path + ": empty file (0 bytes): not a pcap or pcapng capture");
}

TEST(CaptureBadInput, MissingFileAndDirectoryAreErrors) {
  testing::TempDir dir;
  auto missing = load_capture(dir.file("nope.pcap"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("nope.pcap"), std::string::npos);
  auto directory = load_capture(corpus_dir());
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message().find("directory"), std::string::npos) << directory.error().message();
}

TEST(CaptureBadInput, FileHeaderCutShortIsAnError) {
  testing::TempDir dir;
  auto r = load_capture(cut_copy(dir, "ssh.pcap", 10));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("cut-ssh.pcap"), std::string::npos) << r.error().message();
}

TEST(CaptureBadInput, PcapCutInsideAFrameKeepsEveryFrameBefore) {
  // ssh.pcap holds 54 frames; cutting 10 bytes off the end leaves the 54th incomplete.
  testing::TempDir dir;
  const auto size = std::filesystem::file_size(corpus_file("ssh.pcap"));
  auto whole = load_capture(corpus_file("ssh.pcap"));
  ASSERT_TRUE(whole);
  auto r = load_capture(cut_copy(dir, "ssh.pcap", size - 10));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->info.truncated);
  EXPECT_EQ(r->info.frames, 53u);
  EXPECT_EQ(r->trace.packet_count(), 53u);
  EXPECT_NE(r->info.read_error.find("truncated"), std::string::npos) << r->info.read_error;
  ASSERT_FALSE(r->info.decode_errors.empty());
  const DecodeError& last = r->info.decode_errors.back();
  EXPECT_EQ(last.frame, 54u);
  EXPECT_EQ(last.offset + 16, whole->trace.packet(53).payload_ref) << "points at the 54th record's header";
}

TEST(CaptureBadInput, PcapCutInsideARecordHeaderKeepsEveryFrameBefore) {
  testing::TempDir dir;
  auto whole = load_capture(corpus_file("ssh.pcap"));
  ASSERT_TRUE(whole);
  // Keep 5 bytes of frame 54's 16-byte record header.
  const std::uint64_t header_54 = whole->trace.packet(53).payload_ref - 16;
  auto r = load_capture(cut_copy(dir, "ssh.pcap", header_54 + 5));
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->info.truncated);
  EXPECT_EQ(r->info.frames, 53u);
}

TEST(CaptureBadInput, PcapngCutInsideABlockKeepsEveryFrameBefore) {
  testing::TempDir dir;
  auto whole = load_capture(corpus_file("bgp-role.pcapng"));
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->info.frames, 9u);
  auto r = load_capture(cut_copy(dir, "bgp-role.pcapng", whole->trace.packet(8).payload_ref + 3));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->info.truncated) << r->info.read_error;
  EXPECT_EQ(r->info.frames, 8u);
  for (std::size_t i = 0; i < 8; ++i)
    EXPECT_EQ(r->trace.packet(i).payload_ref, whole->trace.packet(i).payload_ref);
}

TEST(CaptureBadInput, BadFilterGivesLibpcapsMessage) {
  auto r = load_capture(corpus_file("ssh.pcap"), CaptureOptions{"tcp port"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("bad filter \"tcp port\""), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("syntax error"), std::string::npos) << r.error().message();
}

TEST(CaptureBadInput, FilterKeepsTheFilesFrameNumbers) {
  // Frames that pass the filter keep the numbers Wireshark shows for them.
  auto r = load_capture(corpus_file("ssh.pcap"), CaptureOptions{"tcp[tcpflags] & tcp-fin != 0"});
  ASSERT_TRUE(r) << r.error().message();
  const auto tshark =
      testing::run_command_line("tshark -n -r " + corpus_file("ssh.pcap") +
                                " -Y 'tcp.flags.fin == 1' -T fields -e frame.number 2>/dev/null");
  ASSERT_EQ(tshark.exit_code, 0);
  std::string ours;
  for (std::size_t i = 0; i < r->trace.packet_count(); ++i)
    ours += std::to_string(r->info.frame_number(i)) + "\n";
  EXPECT_EQ(ours, tshark.output);
  EXPECT_EQ(r->info.frames, 3u);
}

TEST(CaptureBadInput, TimestampsGoingBackwardsKeepTheTraceInOrder) {
  testing::TempDir dir;
  const std::string path = dir.file("backwards.pcap");
  {
    PcapWriter w(path, DLT_RAW);
    w.add(5'000'000, ipv4_udp("10.0.0.1", 1, "10.0.0.2", 2, 1));
    w.add(2'000'000, ipv4_udp("10.0.0.1", 1, "10.0.0.2", 2, 1));
    w.add(9'000'000, ipv4_udp("10.0.0.1", 1, "10.0.0.2", 2, 1));
  }
  std::vector<std::int64_t> real;
  auto r =
      load_capture(path, {}, [&](const PacketRecord&, const FrameInfo& i) { real.push_back(i.time_ns); });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->info.time_went_backwards, 1u);
  const auto t = r->trace.packet_times_ns();
  EXPECT_EQ(std::vector<std::int64_t>(t.begin(), t.end()), (std::vector<std::int64_t>{0, 0, 4'000'000}));
  EXPECT_EQ(real, (std::vector<std::int64_t>{0, -3'000'000, 4'000'000}))
      << "the real times reach the analysis";
}

TEST(CaptureBadInput, TruncatedTcpHeaderStaysInItsAddressPair) {
  // An intact IPv4 header with 12 bytes of a TCP header: malformed, kept in the 10.0.0.1 <-> 10.0.0.2 flow.
  testing::TempDir dir;
  const std::string path = dir.file("short-tcp.pcap");
  auto frame = ipv4_tcp("10.0.0.1", 1234, "10.0.0.2", 80, 1, 0, wire::tcp_flag::kSyn, 1000);
  frame.resize(20 + 12);
  {
    PcapWriter w(path, DLT_RAW);
    w.add(0, frame, 40);
  }
  auto r = load_capture(path);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->info.decode_errors.size(), 1u);
  EXPECT_NE(r->info.decode_errors[0].reason.find("byte 20: TCP header truncated"), std::string::npos)
      << r->info.decode_errors[0].reason;
  EXPECT_EQ(r->info.frames_cut_short, 1u);
  const TraceFlow& f = r->trace.flows().at(r->trace.packet(0).flow);
  EXPECT_EQ(f.proto, Transport::Other);
  EXPECT_EQ(f.a.to_string(), "10.0.0.1");
  EXPECT_EQ(f.b.to_string(), "10.0.0.2");
}

TEST(CaptureBadInput, IpLengthBeyondTheFrameIsReportedAndTheSegmentStillAnalysed) {
  // Like Wireshark, a frame whose IP header claims more than the (uncut) frame holds is an error, but its TCP
  // segment is analysed with the bytes present: here an empty ACK, so a duplicate ACK.
  testing::TempDir dir;
  const std::string path = dir.file("length-lie.pcap");
  {
    PcapWriter w(path, DLT_RAW);
    w.add(0, ipv4_tcp("10.0.0.1", 1234, "10.0.0.2", 80, 1, 1, wire::tcp_flag::kAck, 1000));
    auto lie = ipv4_tcp("10.0.0.1", 1234, "10.0.0.2", 80, 1, 1, wire::tcp_flag::kAck, 1000);
    lie[3] = 60;  // total length 60 in a 40-byte packet (checksum now wrong too: it is a lie)
    w.add(1'000'000, lie);
  }
  FlowAnalyzer analysis;
  auto r = load_capture(path, {}, [&](const PacketRecord& p, const FrameInfo& i) { analysis.add(p, i); });
  analysis.finish();
  ASSERT_TRUE(r);
  ASSERT_EQ(r->info.decode_errors.size(), 1u);
  EXPECT_EQ(r->info.decode_errors[0].frame, 2u);
  EXPECT_EQ(our_flags(analysis)["duplicate_ack"], (std::set<std::uint32_t>{2}));
}

TEST(CaptureBadInput, ReReadingAnOffsetThatIsNoFrameIsAnError) {
  auto r = read_frame_bytes(corpus_file("ssh.pcap"), 3);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("ssh.pcap"), std::string::npos);
  auto r2 = read_frame_bytes(corpus_file("bgp-role.pcapng"), 5);
  ASSERT_FALSE(r2);
  testing::TempDir dir;
  std::ofstream(dir.file("x.txt")) << "hello";
  EXPECT_FALSE(read_frame_bytes(dir.file("x.txt"), 0));
}

}  // namespace capture_bad_input_test
}  // namespace wirestep

namespace wirestep {
namespace capture_bad_input_test {

using namespace capture_test;

TEST(CaptureBadInput, EveryPrefixOfAFileLoadsOrFailsCleanly) {
  // A capture cut at every byte: never a crash, and the frames read only grow as more of the file is there.
  testing::TempDir dir;
  for (const char* name : {"bgp-role.pcapng", "tfo-5c1fa7f9ae91.pcap"}) {
    const auto bytes = testing::read_bytes(corpus_file(name));
    std::uint64_t previous = 0;
    for (std::size_t keep = 0; keep <= bytes.size(); ++keep) {
      const std::string path = dir.file("prefix");
      std::ofstream(path, std::ios::binary | std::ios::trunc)
          .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(keep));
      auto r = load_capture(path);
      if (!r) continue;  // too short to be a capture: one message
      EXPECT_GE(r->info.frames, previous) << name << " cut at " << keep;
      previous = r->info.frames;
      if (keep < bytes.size() && r->info.read_error.empty()) {
        // Ending exactly on a record boundary is a complete (shorter) capture.
        EXPECT_FALSE(r->info.truncated);
      }
    }
  }
}

TEST(CaptureBadInput, MutatedCorpusFilesNeverCrash) {
  // Random byte changes (seeded xorshift, so failures replay) in headers and frames: the loader and the
  // analysis may report errors, never crash or read out of bounds (ASan/UBSan builds check that).
  testing::TempDir dir;
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  for (const char* name : {"ssh.pcap", "bgp-role.pcapng", "tcp-handshake-nano.pcap", "babel.pcap"}) {
    const auto original = testing::read_bytes(corpus_file(name));
    for (int round = 0; round < 60; ++round) {
      auto bytes = original;
      const int changes = 1 + static_cast<int>(next() % 8);
      for (int c = 0; c < changes; ++c) bytes[next() % bytes.size()] = static_cast<std::uint8_t>(next());
      const std::string path = dir.file("mutated");
      std::ofstream(path, std::ios::binary | std::ios::trunc)
          .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
      FlowAnalyzer analysis;
      auto r = load_capture(path, {}, [&](const PacketRecord& p, const FrameInfo& i) { analysis.add(p, i); });
      analysis.finish();
      if (!r) continue;
      for (const FlaggedPacket& f : analysis.flagged()) {
        const Conversation& conv = analysis.conversations().at(f.conversation);
        EXPECT_FALSE(explain(f, conv, r->trace, [](std::uint32_t p) { return p + 1; }).empty());
      }
    }
  }
}

}  // namespace capture_bad_input_test
}  // namespace wirestep
