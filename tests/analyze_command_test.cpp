// `wirestep analyze`: exit 0 when the file was read (even in part, even with malformed frames), 2 when it
// could not be read at all, never a signal; --json carries the keys README.md documents.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>

#include "capture_test_support.hpp"
#include "pcapng_builder.hpp"

namespace wirestep {
namespace analyze_command_test {

using namespace capture_test;

testing::CommandResult analyze(const std::string& args) {
  return testing::run_command_line(testing::wirestep_binary() + " analyze " + args);
}

TEST(AnalyzeCommand, JsonHasEveryDocumentedKey) {
  const auto r = analyze("--json " + corpus_file("ssh.pcap") + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  for (const char* key :
       {"schema", "file", "format", "link_type", "dlt", "interfaces", "packets", "decode_errors",
        "decode_errors_total", "truncated", "read_error", "frames_cut_short", "flows"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_EQ(j["schema"], "wirestep.analyze/1");
  EXPECT_EQ(j["link_type"], "EN10MB");
  EXPECT_EQ(j["packets"], 54);
  EXPECT_EQ(j["truncated"], false);
  ASSERT_EQ(j["flows"].size(), 1u);
  const auto& f = j["flows"][0];
  for (const char* key : {"proto",
                          "a",
                          "b",
                          "packets",
                          "bytes",
                          "syn",
                          "fin",
                          "rst",
                          "retransmission",
                          "fast_retransmission",
                          "spurious_retransmission",
                          "duplicate_ack",
                          "out_of_order",
                          "lost_segment",
                          "ack_lost_segment",
                          "zero_window",
                          "zero_window_probe",
                          "window_full",
                          "keep_alive",
                          "initial_rtt_ms",
                          "flags"})
    EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_EQ(f["proto"], "tcp");
  EXPECT_EQ(f["a"], "202.108.87.165:62146") << "a is the initiator";
  EXPECT_EQ(f["b"], "223.132.53.222:22");
  EXPECT_EQ(f["packets"], 54);
  EXPECT_EQ(f["retransmission"], 1);
  EXPECT_EQ(f["duplicate_ack"], 2);
  EXPECT_DOUBLE_EQ(f["initial_rtt_ms"].get<double>(), 25.735);
  ASSERT_EQ(f["flags"].size(), 3u);
  EXPECT_EQ(f["flags"][1]["frame"], 49);
  EXPECT_EQ(f["flags"][1]["flag"], "retransmission");
  EXPECT_EQ(f["flags"][1]["refers_to"], nlohmann::json::array({45}));
  EXPECT_EQ(f["flags"][1]["explanation"],
            "retransmission: seq 5186-5281 was first sent in frame 45; new data would start at seq 5283");
}

// Two interfaces of different link types (draft-ietf-opsawg-pcapng §4.2): Ethernet "eth0" with two TCP
// frames, and a usbmon interface (LINKTYPE_USB_LINUX_MMAPPED 220, snapshot length 0: none) with one URB we do
// not decode. tshark reads the same file as 3 frames, 2 on interface 0 and 1 on interface 1.
std::string two_interface_file(testing::TempDir& dir) {
  const std::string path = dir.file("eth-usb.pcapng");
  std::vector<std::uint8_t> urb(64, 0);
  urb[8] = 'S';   // usbmon event type: submit
  urb[14] = '<';  // no data
  PcapngBuilder(false)
      .section()
      .interface(1, 65535, "eth0")
      .interface(220, 0, "usbmon1")
      .enhanced_on(0, ethernet(ipv4_tcp("10.0.0.1", 1000, "10.0.0.2", 80, 1, 0, wire::tcp_flag::kSyn, 1000)),
                   0, 1)
      .enhanced_on(1, urb, 0, 2)
      .enhanced_on(0,
                   ethernet(ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 1000, 7, 2,
                                     wire::tcp_flag::kSyn | wire::tcp_flag::kAck, 1000)),
                   0, 3)
      .write(path);
  return path;
}

TEST(AnalyzeCommand, AFileWithTwoInterfacesListsEachOnItsOwnLine) {
  testing::TempDir dir;
  const auto r = analyze(two_interface_file(dir));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("  interface 0 eth0: EN10MB (DLT 1), snaplen 65535, 2 frames\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  interface 1 usbmon1: USB_LINUX_MMAPPED (DLT 220), snaplen 262144, 1 frame, link "
                          "type not decoded\n"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("  1 frames on link types not decoded"), std::string::npos) << r.output;
}

TEST(AnalyzeCommand, AFileWithOneInterfaceHasNoInterfaceLines) {
  const auto r = analyze(corpus_file("ssh.pcap"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("  interface 0"), std::string::npos) << r.output;
}

TEST(AnalyzeCommand, JsonListsEveryInterfaceWithItsFrames) {
  testing::TempDir dir;
  const auto r = analyze("--json " + two_interface_file(dir) + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_EQ(j["interfaces"].size(), 2u);
  const auto& eth = j["interfaces"][0];
  EXPECT_EQ(eth["id"], 0);
  EXPECT_EQ(eth["name"], "eth0");
  EXPECT_EQ(eth["link_type"], "EN10MB");
  EXPECT_EQ(eth["dlt"], 1);
  EXPECT_EQ(eth["link_supported"], true);
  EXPECT_EQ(eth["snaplen"], 65535);
  EXPECT_EQ(eth["frames"], 2);
  const auto& usb = j["interfaces"][1];
  EXPECT_EQ(usb["id"], 1);
  EXPECT_EQ(usb["name"], "usbmon1");
  EXPECT_EQ(usb["link_supported"], false);
  EXPECT_EQ(usb["snaplen"], 262144) << "none given: libpcap's maximum, as libpcap reads it";
  EXPECT_EQ(usb["frames"], 1);
  EXPECT_EQ(j["other_link_frames"], 1);
  EXPECT_EQ(j["packets"], 3);
}

TEST(AnalyzeCommand, JsonInterfacesAgreeWithTshark) {
  // tshark's frame.interface_id per frame: 0, 1, 0 (one section, so its ids are ours).
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  const std::string path = two_interface_file(dir);
  const auto t =
      testing::run_command_line("tshark -n -r '" + path + "' -T fields -e frame.interface_id 2>/dev/null");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  EXPECT_EQ(t.output, "0\n1\n0\n");
  const auto j = nlohmann::json::parse(analyze("--json " + path + " 2>/dev/null").output);
  EXPECT_EQ(j["interfaces"][0]["frames"], 2);
  EXPECT_EQ(j["interfaces"][1]["frames"], 1);
}

TEST(AnalyzeCommand, InitialRttIsNullWithoutAHandshake) {
  const auto r = analyze("--json " + corpus_file("tcp_rst_data.pcap") + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_FALSE(j["flows"].empty());
  EXPECT_TRUE(j["flows"][0]["initial_rtt_ms"].is_null());
}

TEST(AnalyzeCommand, MalformedFramesExitZeroAndListTheirErrors) {
  const auto r = analyze("--json " + corpus_file("tcp_header_heapoverflow.pcap") + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_FALSE(j["decode_errors"].empty());
  const auto& e = j["decode_errors"][0];
  EXPECT_EQ(e["frame"], 1);
  EXPECT_EQ(e["offset"], 40) << "24-byte file header + 16-byte record header";
  EXPECT_FALSE(e["reason"].get<std::string>().empty());
}

TEST(AnalyzeCommand, TableShowsFlowsFlagsAndDecodeErrors) {
  const auto r = analyze(corpus_file("ssh.pcap"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("202.108.87.165:62146"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("25.735 ms"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("frame 49: retransmission: seq 5186-5281 was first sent in frame 45"),
            std::string::npos)
      << r.output;
  const auto bad = analyze(corpus_file("tcp_header_heapoverflow.pcap"));
  ASSERT_EQ(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("frame 1 (offset 40): "), std::string::npos) << bad.output;
}

TEST(AnalyzeCommand, TruncatedFileExitsZeroAndSaysTruncated) {
  testing::TempDir dir;
  auto bytes = testing::read_bytes(corpus_file("ssh.pcap"));
  bytes.resize(bytes.size() - 10);
  const std::string path = dir.file("cut.pcap");
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  const auto r = analyze("--json " + path + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["truncated"], true);
  EXPECT_EQ(j["packets"], 53);
  EXPECT_NE(j["read_error"].get<std::string>().find("truncated"), std::string::npos);
  const auto table = analyze(path);
  EXPECT_NE(table.output.find("TRUNCATED"), std::string::npos) << table.output;
}

TEST(AnalyzeCommand, UnreadableInputExitsTwoWithOneMessage) {
  testing::TempDir dir;
  std::ofstream(dir.file("text.pcap")) << "hello\n";
  std::ofstream(dir.file("empty.pcap"));
  for (const std::string& path : {dir.file("text.pcap"), dir.file("empty.pcap"), dir.file("missing.pcap")}) {
    const auto r = analyze(path);
    EXPECT_EQ(r.exit_code, 2) << path << "\n" << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
    EXPECT_NE(r.output.find(path), std::string::npos) << r.output;
  }
}

TEST(AnalyzeCommand, BadFilterExitsTwoWithLibpcapsMessage) {
  const auto r = analyze(corpus_file("ssh.pcap") + " --filter 'tcp port'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("syntax error"), std::string::npos) << r.output;
}

TEST(AnalyzeCommand, FilterSelectsFramesAndKeepsTheirNumbers) {
  const auto r =
      analyze("--json --filter 'tcp[tcpflags] & tcp-fin != 0' " + corpus_file("ssh.pcap") + " 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j["packets"], 3);
  EXPECT_EQ(j["filter"], "tcp[tcpflags] & tcp-fin != 0");
  ASSERT_EQ(j["flows"].size(), 1u);
  EXPECT_GT(j["flows"][0]["first_frame"].get<int>(), 3) << "frame numbers are the file's, not renumbered";
}

TEST(AnalyzeCommand, MissingFileArgumentIsBadInput) {
  EXPECT_EQ(analyze("").exit_code, 2);
}

TEST(AnalyzeCommand, EveryCorpusFileExitsZeroWithValidJson) {
  // Never a signal, never invalid JSON, whatever the file holds.
  std::size_t n = 0;
  for (const auto& [name, row] : read_manifest()) {
    const auto r = analyze("--json '" + corpus_file(name) + "' 2>/dev/null");
    ASSERT_EQ(r.exit_code, 0) << name;
    EXPECT_TRUE(nlohmann::json::accept(r.output)) << name;
    ++n;
  }
  EXPECT_GE(n, 490u);
}

}  // namespace analyze_command_test
}  // namespace wirestep
