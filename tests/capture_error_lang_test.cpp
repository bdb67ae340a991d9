// Capture errors in English and 简体中文 (issue #20): every decode error and load error the capture module
// produces has a Chinese text that contains CJK characters and the same numbers as the English one, over the
// whole shared corpus and over files crafted to break each decoder; the English stays as it was.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture/frame_copy.hpp"
#include "capture/live_capture.hpp"
#include "capture/pcap_export.hpp"
#include "capture/pcapng_export.hpp"
#include "capture_test_support.hpp"
#include "sim/wire/arp.hpp"
#include "sim/wire/encapsulation.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace capture_error_lang_test {

using namespace capture_test;

// The maximal runs of ASCII digits, sorted: the numbers a text names, whatever the word order.
std::vector<std::string> numbers_in(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] < '0' || s[i] > '9') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    out.emplace_back(s.substr(start, i - start));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A CJK unified ideograph (U+4E00..U+9FFF): three UTF-8 bytes, lead byte 0xE4..0xE9.
bool has_cjk(std::string_view s) {
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(s[i]), b1 = static_cast<unsigned char>(s[i + 1]),
               b2 = static_cast<unsigned char>(s[i + 2]);
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) continue;
    const unsigned cp = (b0 & 0x0Fu) << 12 | (b1 & 0x3Fu) << 6 | (b2 & 0x3Fu);
    if ((b0 & 0xF0) == 0xE0 && cp >= 0x4E00 && cp <= 0x9FFF) return true;
  }
  return false;
}

// Empty when `zh` is a Chinese rendering of `en` with the same numbers, else what is wrong.
std::string chinese_problem(const std::string& en, const std::string& zh) {
  if (zh.empty()) return "no Chinese text for: " + en;
  if (!has_cjk(zh)) return "no CJK characters in: " + zh;
  if (numbers_in(en) != numbers_in(zh)) return "numbers differ:\n  en: " + en + "\n  zh: " + zh;
  return "";
}

std::string error_problem(const Error& e) {
  if (e.reason_zh.empty()) return "no reason_zh: " + e.message();
  if (!e.where.empty() && e.where_zh.empty()) return "no where_zh: " + e.message();
  return chinese_problem(e.message(), e.message_zh());
}

// Every decode error and the read error of a loaded file, checked; returns how many were checked.
std::size_t expect_chinese_errors(const CaptureFileInfo& info) {
  for (const DecodeError& d : info.decode_errors) {
    const std::string p = chinese_problem(d.reason, d.reason_zh);
    EXPECT_EQ(p, "") << "frame " << d.frame;
    EXPECT_EQ(d.text(Lang::Zh), d.reason_zh);
    EXPECT_EQ(d.text(Lang::En), d.reason);
  }
  if (!info.read_error.empty()) {
    EXPECT_EQ(chinese_problem(info.read_error, info.read_error_zh), "");
  }
  return info.decode_errors.size() + (info.read_error.empty() ? 0 : 1);
}

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::uint8_t> patched(std::vector<std::uint8_t> b, std::size_t at, std::uint8_t value) {
  b.at(at) = value;
  return b;
}

// One Ethernet frame per decoder failure: each must be reported, with its Chinese text.
std::vector<std::vector<std::uint8_t>> broken_ethernet_frames() {
  const auto tcp = ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, 0, wire::tcp_flag::kSyn, 65535);
  const auto udp = ipv4_udp("10.0.0.1", 5353, "10.0.0.2", 53, 10);
  std::vector<std::vector<std::uint8_t>> f;
  f.push_back({2, 0, 0, 0, 0, 2, 2, 0, 0, 0});                                      // Ethernet header cut
  f.push_back(ethernet({0x00, 0x01}, 0x8100));                                      // VLAN tag cut
  f.push_back(ethernet(std::vector<std::uint8_t>(tcp.begin(), tcp.begin() + 12)));  // IPv4 header cut
  f.push_back(ethernet(patched(tcp, 0, 0x55)));                                     // IP version 5
  f.push_back(ethernet(patched(tcp, 20 + 12, 0x40)));                               // TCP data offset 16
  f.push_back(ethernet(patched(udp, 20 + 5, 4)));                                   // UDP length 4
  f.push_back(ethernet(patched(udp, 20 + 5, 200)));  // UDP length past the payload
  f.push_back(ethernet(patched(tcp, 3, static_cast<std::uint8_t>(tcp[3] + 100))));  // length lie
  f.push_back(ethernet({0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0}, 0x0806));              // ARP addresses cut
  auto icmp = std::vector<std::uint8_t>(udp.begin(), udp.begin() + 24);             // ICMP of 4 bytes
  icmp[3] = 24;
  icmp[9] = wire::kIpProtoIcmp;
  f.push_back(ethernet(icmp));
  auto gre = std::vector<std::uint8_t>(udp.begin(), udp.begin() + 22);  // GRE header cut
  gre[3] = 22;
  gre[9] = wire::kIpProtoGre;
  f.push_back(ethernet(gre));
  return f;
}

TEST(CaptureErrorLang, TcpHeaderCutShortReadsInChineseWithByteAndCounts) {
  // The example of the issue: the same frame's reason in both languages, from the same numbers.
  testing::TempDir dir;
  const std::string path = dir.file("short-tcp.pcap");
  const auto tcp = ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1, 0, wire::tcp_flag::kSyn, 65535);
  {
    PcapWriter w(path, DLT_EN10MB);
    ASSERT_TRUE(w.ok());
    auto ip = std::vector<std::uint8_t>(tcp.begin(), tcp.begin() + 32);
    ip[3] = 32;  // total length: the IP header plus 12 bytes of TCP header
    w.add(0, ethernet(ip));
  }
  auto cap = load_capture(path);
  ASSERT_TRUE(cap) << cap.error().message();
  ASSERT_EQ(cap->info.decode_errors.size(), 1u);
  const DecodeError& e = cap->info.decode_errors[0];
  EXPECT_EQ(e.reason, "byte 34: TCP header truncated: 12 of 20 bytes");
  EXPECT_EQ(e.reason_zh, "第 34 字节：TCP 头部被截断：只有 12 字节，应有 20 字节");
}

TEST(CaptureErrorLang, EveryCraftedBrokenFrameHasAChineseReason) {
  // Each decoder's failure, one frame each, on Ethernet and on the link types with their own headers.
  testing::TempDir dir;
  const auto frames = broken_ethernet_frames();
  const std::string eth = dir.file("broken-ethernet.pcap");
  {
    PcapWriter w(eth, DLT_EN10MB);
    ASSERT_TRUE(w.ok());
    for (std::size_t i = 0; i < frames.size(); ++i) w.add(static_cast<std::int64_t>(i) * 1000, frames[i]);
  }
  auto cap = load_capture(eth);
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.decode_errors.size(), frames.size()) << "every crafted frame is reported";
  EXPECT_EQ(expect_chinese_errors(cap->info), frames.size());

  struct Link {
    int dlt;
    std::vector<std::uint8_t> frame;
  };
  const std::vector<Link> links = {
      {DLT_LINUX_SLL, {0, 0, 0, 1, 0, 6}},                  // SLL header cut
      {276, {8, 0, 0, 0}},                                  // SLL2 header cut
      {DLT_NULL, {2, 0}},                                   // loopback header cut
      {229, std::vector<std::uint8_t>(20, 0x60)},           // IPv6 header cut
      {229, patched(ipv6_udp(1, 2, 1000, 2000, 0), 6, 0)},  // IPv6 extension header cut
  };
  for (std::size_t i = 0; i < links.size(); ++i) {
    SCOPED_TRACE("link " + std::to_string(links[i].dlt) + ", case " + std::to_string(i));
    const std::string path = dir.file("link-" + std::to_string(i) + ".pcap");
    {
      PcapWriter w(path, links[i].dlt);
      ASSERT_TRUE(w.ok());
      w.add(0, links[i].frame);
    }
    auto one = load_capture(path);
    ASSERT_TRUE(one) << one.error().message();
    EXPECT_EQ(expect_chinese_errors(one->info), 1u);
  }
}

TEST(CaptureErrorLang, EveryCorpusFileDecodeAndLoadErrorHasChinese) {
  // The 490 captures of the shared corpus, many fuzzed: every error any of them produces, in Chinese.
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(corpus_dir(), ec)) {
    const std::string name = e.path().filename().string();
    if (name.ends_with(".pcap") || name.ends_with(".pcapng")) names.push_back(name);
  }
  ASSERT_GE(names.size(), 490u);
  std::sort(names.begin(), names.end());
  std::size_t decode_errors = 0, load_errors = 0;
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    auto loaded = load_capture(corpus_file(name));
    if (!loaded) {
      EXPECT_EQ(error_problem(loaded.error()), "");
      ++load_errors;
      continue;
    }
    decode_errors += expect_chinese_errors(loaded->info);
  }
  // The corpus is known to hold many malformed frames: checking none would test nothing.
  EXPECT_GT(decode_errors, 100u);
  RecordProperty("decode_errors_checked", static_cast<int>(decode_errors));
  RecordProperty("load_errors_checked", static_cast<int>(load_errors));
}

TEST(CaptureErrorLang, FilesThatCannotBeLoadedSayWhyInChinese) {
  // Load errors: not a capture, empty, a directory, missing, cut headers, a bad pcapng, a bad filter.
  testing::TempDir dir;
  std::vector<std::pair<std::string, Result<LoadedCapture>>> results;
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "this is not a capture\n";
  results.emplace_back("text", load_capture(text));
  const std::string empty = dir.file("empty.pcap");
  write_bytes(empty, {});
  results.emplace_back("empty", load_capture(empty));
  results.emplace_back("directory", load_capture(corpus_dir()));
  results.emplace_back("missing", load_capture(dir.file("nope.pcap")));
  auto ssh = testing::read_bytes(corpus_file("ssh.pcap"));
  const std::string header_cut = dir.file("header-cut.pcap");
  write_bytes(header_cut, std::vector<std::uint8_t>(ssh.begin(), ssh.begin() + 10));
  results.emplace_back("pcap header cut", load_capture(header_cut));
  // A pcapng Section Header Block of major version 2, and one whose length is not a multiple of 4.
  std::vector<std::uint8_t> shb = {0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0,    0,    0x4D, 0x3C,
                                   0x2B, 0x1A, 2,    0,    0,  0, 0xFF, 0xFF, 0xFF, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0xFF, 28, 0, 0,    0};
  const std::string v2 = dir.file("v2.pcapng");
  write_bytes(v2, shb);
  results.emplace_back("pcapng version 2", load_capture(v2));
  shb[4] = 30;
  const std::string odd = dir.file("odd.pcapng");
  write_bytes(odd, shb);
  results.emplace_back("pcapng odd length", load_capture(odd));
  results.emplace_back("bad filter",
                       load_capture(corpus_file("ssh.pcap"), {.bpf_filter = "port nonsense 7"}));
  results.emplace_back("bad filter pcapng",
                       load_capture(corpus_file("ahcp.pcapng"), {.bpf_filter = "tcp port 99999"}));
  for (const auto& [what, r] : results) {
    SCOPED_TRACE(what);
    ASSERT_FALSE(r);
    EXPECT_EQ(error_problem(r.error()), "");
  }
  EXPECT_EQ(results[1].second.error().message_zh(),
            empty + ": 空文件（0 字节）：不是 pcap 或 pcapng 抓包文件");
}

TEST(CaptureErrorLang, FilesCutShortSayWhereReadingStoppedInChinese) {
  // A pcap cut inside a record (libpcap's message kept after the Chinese one) and a pcapng cut inside a
  // block.
  testing::TempDir dir;
  auto ssh = testing::read_bytes(corpus_file("ssh.pcap"));
  ssh.resize(ssh.size() - 10);
  const std::string pcap = dir.file("cut.pcap");
  write_bytes(pcap, ssh);
  auto a = load_capture(pcap);
  ASSERT_TRUE(a) << a.error().message();
  ASSERT_TRUE(a->info.truncated);
  EXPECT_EQ(expect_chinese_errors(a->info), 2u) << "the read error and its decode error";
  EXPECT_NE(a->info.read_error_zh.find(a->info.read_error), std::string::npos) << "libpcap's text verbatim";

  auto ng = testing::read_bytes(corpus_file("ahcp.pcapng"));
  ng.resize(ng.size() - 6);
  const std::string pcapng = dir.file("cut.pcapng");
  write_bytes(pcapng, ng);
  auto b = load_capture(pcapng);
  ASSERT_TRUE(b) << b.error().message();
  ASSERT_TRUE(b->info.truncated);
  EXPECT_EQ(expect_chinese_errors(b->info), 2u);
  EXPECT_EQ(b->info.read_error_text(Lang::Zh), b->info.read_error_zh);
  EXPECT_EQ(b->info.read_error_text(Lang::En), b->info.read_error);
}

TEST(CaptureErrorLang, ExportAndFrameRereadErrorsHaveChinese) {
  // Writing where no file can be made, copying onto the shown capture, re-reading a frame at a bad offset.
  testing::TempDir dir;
  Trace empty;
  const std::string nowhere = dir.file("no-such-dir/out");
  auto pcap = write_pcap(empty, nowhere + ".pcap", {});
  ASSERT_FALSE(pcap);
  EXPECT_EQ(error_problem(pcap.error()), "");
  auto pcapng = write_pcapng(empty, nowhere + ".pcapng", {});
  ASSERT_FALSE(pcapng);
  EXPECT_EQ(error_problem(pcapng.error()), "");
  const std::vector<std::uint32_t> frames = {1};
  auto copy = copy_capture_frames(corpus_file("ssh.pcap"), frames, corpus_file("ssh.pcap"));
  ASSERT_FALSE(copy);
  EXPECT_EQ(error_problem(copy.error()), "");
  auto reread = read_frame_bytes(corpus_file("ssh.pcap"), 7);
  ASSERT_FALSE(reread);
  EXPECT_EQ(error_problem(reread.error()), "");
  EXPECT_EQ(reread.error().where_zh, "偏移 7");
  auto not_capture = read_frame_bytes(corpus_dir() + "/../README.md", 100);
  ASSERT_FALSE(not_capture);
  EXPECT_EQ(error_problem(not_capture.error()), "");
}

TEST(CaptureErrorLang, LiveCaptureOnAMissingInterfaceSaysWhyInChinese) {
  // libpcap's refusal stays verbatim after the Chinese step; the hint points to `wirestep interfaces`.
  LiveCaptureOptions o;
  o.interface = "nosuch0";
  o.count = 1;
  auto r = run_live_capture(o, [](const LiveFrame&) { return true; });
  ASSERT_FALSE(r);
  EXPECT_EQ(error_problem(r.error()), "");
  EXPECT_EQ(r.error().where_zh, "接口 nosuch0");
  EXPECT_NE(
      r.error().reason_zh.find("libpcap 无法在这个接口上开始抓包：No such device（用 `wirestep interfaces`"),
      std::string::npos)
      << r.error().reason_zh;
}

TEST(CaptureErrorLang, WireDecoderPositionsMoveInBothLanguages) {
  // A decoder counts from its own header; the packet decoder adds where that header starts, in both texts.
  auto udp = ipv4_udp("10.0.0.1", 1, "10.0.0.2", 2, 0);
  udp[20 + 5] = 3;  // UDP length 3: below the 8-byte header
  auto d = wire::decode_ip_packet(udp, 0);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().where, "byte 24");
  EXPECT_EQ(d.error().where_zh, "第 24 字节");
  EXPECT_EQ(d.error().reason, "UDP length 3 is below 8");
  EXPECT_EQ(d.error().reason_zh, "UDP 长度 3 小于 8");
}

TEST(CaptureErrorLangCli, AnalyzeInChinesePrintsChineseDecodeAndLoadErrors) {
  // `wirestep analyze BAD.pcap --lang zh`: the frame list and the refusal are Chinese; English is unchanged.
  testing::TempDir dir;
  const std::string bad = dir.file("bad.pcap");
  {
    PcapWriter w(bad, DLT_EN10MB);
    ASSERT_TRUE(w.ok());
    const auto frames = broken_ethernet_frames();
    for (std::size_t i = 0; i < frames.size(); ++i) w.add(static_cast<std::int64_t>(i) * 1000, frames[i]);
  }
  const std::string bin = testing::wirestep_binary();
  const auto zh = testing::run_command_line(bin + " analyze " + bad + " --lang zh");
  EXPECT_EQ(zh.exit_code, 0) << zh.output;
  EXPECT_NE(zh.output.find("：帧 1（偏移 40）：第 0 字节：以太网头部被截断：只有 10 字节，应有 14 字节"),
            std::string::npos)
      << zh.output;
  EXPECT_NE(zh.output.find("IP 版本号 5 既不是 4 也不是 6"), std::string::npos) << zh.output;
  const auto en = testing::run_command_line(bin + " analyze " + bad + " --lang en");
  EXPECT_NE(en.output.find(": frame 1 (offset 40): byte 0: Ethernet header truncated: 10 of 14 bytes"),
            std::string::npos)
      << en.output;

  const std::string text = dir.file("notes.pcap");
  std::ofstream(text) << "this is not a capture\n";
  const auto refused = testing::run_command_line(bin + " analyze " + text + " --lang zh");
  EXPECT_EQ(refused.exit_code, 2) << refused.output;
  EXPECT_NE(refused.output.find(text + ": 不是 pcap 或 pcapng 抓包文件（libpcap 认不出文件格式："),
            std::string::npos)
      << refused.output;

  const auto json = testing::run_command_line(bin + " analyze --json " + bad + " 2>/dev/null");
  EXPECT_NE(json.output.find("\"reason_zh\":\"第 0 字节：以太网头部被截断"), std::string::npos)
      << json.output;
}

}  // namespace capture_error_lang_test
}  // namespace wirestep
