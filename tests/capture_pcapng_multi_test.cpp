// pcapng files libpcap refuses and Wireshark reads (issue #19): interfaces of different link types and
// snapshot lengths, several sections in both byte orders, no interface at all, .ntar, and damaged blocks.
// Frame counts, interfaces and flows are checked against tshark on the same file (skipped without tshark);
// the rules are draft-ietf-opsawg-pcapng's, cited per test.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "capture/analyzed_capture.hpp"
#include "capture/capture_reader.hpp"
#include "capture/frame_bytes.hpp"
#include "capture_test_support.hpp"
#include "pcapng_builder.hpp"

namespace wirestep {
namespace capture_pcapng_multi_test {

using namespace capture_test;

// LINKTYPE_ values as written in files (https://www.tcpdump.org/linktypes.html).
constexpr std::uint16_t kEthernet = 1;
constexpr std::uint16_t kLinuxSll = 113;
constexpr std::uint16_t kRaw = 101;
constexpr std::uint16_t kUsbLinuxMmapped = 220;

std::vector<std::uint8_t> sll(const std::vector<std::uint8_t>& ip) {
  // Linux cooked header: packet type, ARPHRD_ETHER, address length 6, address (8), protocol IPv4.
  return with_prefix({0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00}, ip);
}

// A usbmon "mmapped" header (64 bytes) with no data: a frame we keep and count but do not decode.
std::vector<std::uint8_t> usb_urb(std::uint8_t id) {
  std::vector<std::uint8_t> f(64, 0);
  f[0] = id;
  f[8] = 'S';    // event type: submit
  f[9] = 2;      // transfer type: control
  f[10] = 0x80;  // endpoint 0 IN
  f[11] = 1;     // device 1
  f[12] = 1;     // bus 1
  f[14] = '<';   // no data
  return f;
}

const auto kTcp1 = ipv4_tcp("10.0.0.1", 1000, "10.0.0.2", 80, 1, 0, wire::tcp_flag::kSyn, 1000);
const auto kTcp2 =
    ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 1000, 7, 2, wire::tcp_flag::kSyn | wire::tcp_flag::kAck, 1000);
const auto kTcp3 = ipv4_tcp("10.0.1.1", 2000, "10.0.1.2", 443, 1, 1, wire::tcp_flag::kAck, 1000, 300);
const auto kUdp = ipv4_udp("10.0.2.1", 53, "10.0.2.2", 5353, 20);

// What tshark reads in a file: frames per interface, TCP and UDP streams, and its exit status.
struct TsharkView {
  bool available = false;
  int exit_code = 0;
  std::uint64_t frames = 0;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> per_interface;  // (section, id) from 0
  std::set<std::string> tcp_streams, udp_streams;
  std::vector<std::string> epoch;  // frame.time_epoch per frame
};

bool tshark_installed() {
  return testing::run_command_line("tshark -v >/dev/null 2>&1").exit_code == 0;
}

TsharkView tshark_view(const std::string& path) {
  TsharkView v;
  v.available = tshark_installed();
  if (!v.available) return v;
  const auto r = testing::run_command_line("tshark -n -r '" + path +
                                           "' -T fields -E separator=/t -e frame.interface_id -e tcp.stream "
                                           "-e udp.stream -e frame.time_epoch -e frame.section_number "
                                           "2>/dev/null");
  v.exit_code = r.exit_code;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    for (std::string c; std::getline(cells_in, c, '\t');) cells.push_back(c);
    cells.resize(5);
    ++v.frames;
    const auto number = [](const std::string& c) {
      return c.empty() ? 0u : static_cast<std::uint32_t>(std::stoul(c));
    };
    ++v.per_interface[{number(cells[4]) - 1, number(cells[0])}];
    if (!cells[1].empty()) v.tcp_streams.insert(cells[1]);
    if (!cells[2].empty()) v.udp_streams.insert(cells[2]);
    v.epoch.push_back(cells[3]);
  }
  return v;
}

std::size_t conversations(const FlowAnalyzer& a, Transport proto) {
  std::size_t n = 0;
  for (const Conversation& c : a.conversations()) n += c.proto == proto;
  return n;
}

// Frames, frames per interface and TCP/UDP conversations agree with tshark on the same file.
void expect_same_as_tshark(const std::string& path, const AnalyzedCapture& ours) {
  const TsharkView t = tshark_view(path);
  if (!t.available) {
    std::cout << "tshark not installed: not compared\n";
    return;
  }
  EXPECT_EQ(ours.capture.info.frames, t.frames);
  // Our interfaces are numbered across the file, tshark's per section.
  std::map<std::uint32_t, std::uint32_t> in_section;
  for (std::size_t k = 0; k < ours.capture.info.interfaces.size(); ++k) {
    const CaptureInterface& i = ours.capture.info.interfaces[k];
    const auto it = t.per_interface.find({i.section, in_section[i.section]++});
    EXPECT_EQ(i.frames, it == t.per_interface.end() ? 0 : it->second) << "interface " << k;
  }
  EXPECT_EQ(conversations(ours.analysis, Transport::Tcp), t.tcp_streams.size());
  EXPECT_EQ(conversations(ours.analysis, Transport::Udp), t.udp_streams.size());
}

AnalyzedCapture load(const std::string& path) {
  auto a = load_and_analyze(path);
  EXPECT_TRUE(a) << a.error().message();
  if (!a) return AnalyzedCapture{LoadedCapture{}, FlowAnalyzer{}};
  return std::move(*a);
}

void expect_offsets_reread(const std::string& path, const LoadedCapture& cap,
                           const std::vector<std::vector<std::uint8_t>>& frames) {
  ASSERT_EQ(cap.trace.packet_count(), frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    auto f = read_frame_bytes(path, cap.trace.packet(i).payload_ref);
    ASSERT_TRUE(f) << "frame " << i + 1 << ": " << f.error().message();
    EXPECT_EQ(f->bytes, frames[i]) << "frame " << i + 1;
  }
}

// Four interfaces, each its own link type and snapshot length, frames interleaved.
PcapngBuilder mixed_file() {
  PcapngBuilder b(false);
  b.section()
      .interface(kEthernet, 65535, "eth0")
      .interface(kLinuxSll, 262144, "any")
      .interface(kRaw, 1500, "tun0")
      .interface(kUsbLinuxMmapped, 0, "usbmon1")
      .enhanced_on(0, ethernet(kTcp1), 0, 1)
      .enhanced_on(3, usb_urb(1), 0, 2)
      .enhanced_on(0, ethernet(kTcp2), 0, 3)
      .enhanced_on(1, sll(kUdp), 0, 4)
      .enhanced_on(2, kTcp3, 0, 5)
      .enhanced_on(3, usb_urb(2), 0, 6);
  return b;
}
const std::vector<std::vector<std::uint8_t>> kMixedFrames = {ethernet(kTcp1), usb_urb(1), ethernet(kTcp2),
                                                             sll(kUdp),       kTcp3,      usb_urb(2)};

TEST(CapturePcapngMulti, InterfacesOfDifferentLinkTypesAndSnapLengthsLoadEveryFrame) {
  // §4.2: each Interface Description Block has its own link type and snapshot length; §4.3: each Enhanced
  // Packet Block names its interface. libpcap loads this file as 0 frames.
  testing::TempDir dir;
  const std::string path = dir.file("mixed.pcapng");
  mixed_file().write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 6u);
  EXPECT_TRUE(info.read_error.empty()) << info.read_error;
  ASSERT_EQ(info.interfaces.size(), 4u);
  const std::vector<std::string> names = {"EN10MB", "LINUX_SLL", "RAW", "USB_LINUX_MMAPPED"};
  const std::vector<std::uint64_t> frames = {2, 1, 1, 2};
  const std::vector<std::uint32_t> snaplens = {65535, 262144, 1500, 262144};
  for (std::size_t k = 0; k < 4; ++k) {
    EXPECT_EQ(info.interfaces[k].link_type, names[k]);
    EXPECT_EQ(info.interfaces[k].frames, frames[k]);
    EXPECT_EQ(info.interfaces[k].snaplen, snaplens[k]);
  }
  EXPECT_EQ(info.interfaces[3].name, "usbmon1");
  EXPECT_FALSE(info.interfaces[3].link_supported);
  EXPECT_EQ(info.link_type, "EN10MB + LINUX_SLL + RAW + USB_LINUX_MMAPPED");
  EXPECT_EQ(info.other_link_frames, 2u) << "the USB frames are kept and counted";
  EXPECT_EQ(conversations(a.analysis, Transport::Tcp), 2u);
  EXPECT_EQ(conversations(a.analysis, Transport::Udp), 1u);
  expect_offsets_reread(path, a.capture, kMixedFrames);
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, SectionsInBothByteOrdersEachStartTheirOwnInterfaces) {
  // §4.1: a Section Header Block starts a section with its own byte order; interface ids count from 0 in
  // each section. Interface 0 of the second section is RAW, not the first section's Ethernet.
  testing::TempDir dir;
  const std::string path = dir.file("sections.pcapng");
  PcapngBuilder first(false), second(true), third(false);
  first.section().interface(kEthernet).enhanced_on(0, ethernet(kTcp1), 0, 1);
  second.section()
      .interface(kRaw, 9000)
      .interface(kEthernet)
      .enhanced_on(0, kTcp2, 0, 2)
      .enhanced_on(1, ethernet(kUdp), 0, 3);
  third.section().interface(kLinuxSll).enhanced_on(0, sll(kTcp3), 0, 4);
  PcapngBuilder all(false);
  all.raw(first.bytes()).raw(second.bytes()).raw(third.bytes()).write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 4u);
  EXPECT_TRUE(info.read_error.empty()) << info.read_error;
  ASSERT_EQ(info.interfaces.size(), 4u);
  EXPECT_EQ(info.interfaces[1].link_type, "RAW");
  EXPECT_EQ(info.interfaces[1].snaplen, 9000u);
  for (std::size_t k = 0; k < 4; ++k) EXPECT_EQ(info.interfaces[k].frames, 1u) << "interface " << k;
  EXPECT_EQ(info.malformed_frames, 0u);
  expect_offsets_reread(path, a.capture, {ethernet(kTcp1), kTcp2, ethernet(kUdp), sll(kTcp3)});
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, FileWithoutInterfacesIsAnEmptyCapture) {
  // §4.1: a section may hold no Interface Description Block, hence no packets: an empty capture, as an
  // empty pcap is, in the loader and in `wirestep analyze`.
  testing::TempDir dir;
  const std::string shb_only = dir.file("shb-only.pcapng");
  const std::string shb_custom = dir.file("shb-custom.pcapng");
  PcapngBuilder(false).section().write(shb_only);
  // + an empty Name Resolution Block (tshark lists custom blocks as records, so none here)
  PcapngBuilder(true).section().block(4, {0, 0, 0, 0}).write(shb_custom);
  for (const std::string& path : {shb_only, shb_custom}) {
    SCOPED_TRACE(path);
    auto cap = load_capture(path);
    ASSERT_TRUE(cap) << cap.error().message();
    EXPECT_EQ(cap->info.frames, 0u);
    EXPECT_TRUE(cap->info.interfaces.empty());
    EXPECT_TRUE(cap->info.read_error.empty()) << cap->info.read_error;
    EXPECT_EQ(cap->info.link_type, "none");
    const auto r = testing::run_command_line(testing::wirestep_binary() + " analyze '" + path + "' 2>&1");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    if (tshark_installed()) {
      const TsharkView t = tshark_view(path);
      EXPECT_EQ(t.frames, 0u);
    }
  }
}

TEST(CapturePcapngMulti, NtarFileLoadsLikePcapng) {
  // .ntar is the pcapng block format under its old name: the magic number decides, not the extension.
  testing::TempDir dir;
  const std::string path = dir.file("mixed.ntar");
  mixed_file().write(path);
  const AnalyzedCapture a = load(path);
  EXPECT_EQ(a.capture.info.format, CaptureFormat::Pcapng);
  EXPECT_EQ(a.capture.info.frames, 6u);
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, TruncatedLastBlockKeepsEveryFrameBefore) {
  // §3.1: a block runs to its trailing length; a file ending before it is cut short.
  testing::TempDir dir;
  const std::string path = dir.file("cut.pcapng");
  auto bytes = mixed_file().bytes();
  bytes.resize(bytes.size() - 30);  // inside the last block's 64-byte frame
  PcapngBuilder(false).raw(bytes).write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 5u);
  EXPECT_TRUE(info.truncated);
  EXPECT_NE(info.read_error.find("truncated"), std::string::npos) << info.read_error;
  ASSERT_FALSE(info.decode_errors.empty());
  EXPECT_EQ(info.decode_errors.back().frame, 6u);
  expect_offsets_reread(path, a.capture, {kMixedFrames.begin(), kMixedFrames.begin() + 5});
  expect_same_as_tshark(path, a);
  const auto r = testing::run_command_line(testing::wirestep_binary() + " analyze '" + path + "' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << "read in part is read";
  EXPECT_NE(r.output.find("TRUNCATED"), std::string::npos) << r.output;
}

TEST(CapturePcapngMulti, GarbageBlockLengthStopsReadingAndKeepsEveryFrameBefore) {
  // §3.1: a total length below 12 or not a multiple of 4 cannot be a block; nothing after it can be found.
  testing::TempDir dir;
  const std::string path = dir.file("garbage.pcapng");
  PcapngBuilder b(false);
  b.section()
      .interface(kEthernet)
      .enhanced_on(0, ethernet(kTcp1), 0, 1)
      .enhanced_on(0, ethernet(kTcp2), 0, 2)
      .raw({6, 0, 0, 0, 0x37, 0x13, 0, 0, 0xde, 0xad, 0xbe, 0xef})
      .enhanced_on(0, ethernet(kTcp3), 0, 3)
      .write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 2u);
  EXPECT_FALSE(info.truncated);
  EXPECT_NE(info.read_error.find("not a multiple of 4"), std::string::npos) << info.read_error;
  expect_offsets_reread(path, a.capture, {ethernet(kTcp1), ethernet(kTcp2)});
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, InterfaceIdOutOfRangeStopsReadingAndKeepsEveryFrameBefore) {
  // §4.3: an Enhanced Packet Block's interface id must name an Interface Description Block of its section.
  testing::TempDir dir;
  const std::string path = dir.file("bad-interface.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(kEthernet)
      .interface(kRaw)
      .enhanced_on(1, kTcp1, 0, 1)
      .enhanced_on(2, kTcp2, 0, 2)
      .enhanced_on(0, ethernet(kTcp3), 0, 3)
      .write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 1u);
  EXPECT_NE(info.read_error.find("interface 2"), std::string::npos) << info.read_error;
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, TimestampsFollowEachInterfacesResolutionAndOffset) {
  // §4.2: if_tsresol gives the unit of a timestamp (10^-9 s; 2^-10 s with the top bit set), if_tsoffset
  // seconds to add; microseconds and no offset without them.
  testing::TempDir dir;
  const std::string path = dir.file("tsresol.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(kEthernet, 65535, "", std::uint8_t{9})
      .interface(kRaw, 65535, "", std::uint8_t{0x80 | 10}, std::int64_t{1'700'000'000})
      .interface(kEthernet)
      .enhanced_on(0, ethernet(kTcp1), 0x17979CFE, 0x3D85CD15)  // 1,700,000,000.123456789 s in ns
      .enhanced_on(1, kTcp2, 0, 2048 + 512)                     // 1,700,000,002.5 s
      .enhanced_on(2, ethernet(kTcp3), 0x60A24, 0x184C06C1)     // 1,700,000,003.000001 s in us
      .write(path);
  std::vector<std::int64_t> since_first;
  auto cap = load_capture(path, {},
                          [&](const PacketRecord&, const FrameInfo& i) { since_first.push_back(i.time_ns); });
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.first_frame_epoch_ns, 1'700'000'000'123'456'789);
  EXPECT_EQ(since_first, (std::vector<std::int64_t>{0, 2'376'543'211, 2'876'544'211}));
  if (tshark_installed()) {
    EXPECT_EQ(
        tshark_view(path).epoch,
        (std::vector<std::string>{"1700000000.123456789", "1700000002.500000000", "1700000003.000001000"}));
  }
}

TEST(CapturePcapngMulti, SimpleAndObsoletePacketBlocksUseTheirInterface) {
  // §4.4: a Simple Packet Block is on interface 0 and holds at most its snapshot length; Appendix A: the
  // obsolete Packet Block has a 16-bit interface id.
  testing::TempDir dir;
  const std::string path = dir.file("spb-pb.pcapng");
  const auto long_frame =
      ethernet(ipv4_tcp("10.0.0.1", 1000, "10.0.0.2", 80, 1, 1, wire::tcp_flag::kAck, 9, 200));
  PcapngBuilder(true)
      .section()
      .interface(kEthernet, 100)
      .interface(kRaw)
      .simple({long_frame.begin(), long_frame.begin() + 100}, static_cast<std::uint32_t>(long_frame.size()))
      .obsolete(1, kTcp2, 5)
      .write(path);
  const AnalyzedCapture a = load(path);
  const CaptureFileInfo& info = a.capture.info;
  EXPECT_EQ(info.frames, 2u);
  EXPECT_TRUE(info.read_error.empty()) << info.read_error;
  ASSERT_EQ(info.interfaces.size(), 2u);
  EXPECT_EQ(info.interfaces[0].frames, 1u);
  EXPECT_EQ(info.interfaces[1].frames, 1u);
  EXPECT_EQ(info.frames_cut_short, 1u) << "100 of the simple block's bytes are kept";
  auto f = read_frame_bytes(path, a.capture.trace.packet(1).payload_ref);
  ASSERT_TRUE(f) << f.error().message();
  EXPECT_EQ(f->bytes, kTcp2);
  expect_same_as_tshark(path, a);
}

TEST(CapturePcapngMulti, FramesOnlyOnALinkTypeWeDoNotDecodeAreKeptAndCounted) {
  // Never "0 packets" for a file that holds packets: USB frames become "other link" frames.
  testing::TempDir dir;
  const std::string path = dir.file("usb.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(kUsbLinuxMmapped, 0)
      .enhanced_on(0, usb_urb(1), 0, 1)
      .enhanced_on(0, usb_urb(2), 0, 2)
      .enhanced_on(0, usb_urb(3), 0, 3)
      .write(path);
  const AnalyzedCapture a = load(path);
  EXPECT_EQ(a.capture.info.frames, 3u);
  EXPECT_EQ(a.capture.info.other_link_frames, 3u);
  EXPECT_FALSE(a.capture.info.link_supported);
  expect_same_as_tshark(path, a);
  const auto r = testing::run_command_line(testing::wirestep_binary() + " analyze '" + path + "' 2>&1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 frames"), std::string::npos) << r.output;
}

TEST(CapturePcapngMulti, FilterIsCompiledForEachInterfacesLinkType) {
  // A BPF program is compiled for one link type: "tcp" matches TCP on Ethernet, cooked and raw interfaces
  // alike, nothing on USB; frame numbers stay the file's.
  testing::TempDir dir;
  const std::string path = dir.file("mixed.pcapng");
  mixed_file().write(path);
  auto cap = load_capture(path, CaptureOptions{"tcp"});
  ASSERT_TRUE(cap) << cap.error().message();
  EXPECT_EQ(cap->info.frames, 3u);
  EXPECT_EQ(cap->info.file_frames, 6u);
  EXPECT_EQ(cap->info.frame_numbers, (std::vector<std::uint32_t>{1, 3, 5}));
  auto bad = load_capture(path, CaptureOptions{"tcp port"});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("bad filter"), std::string::npos) << bad.error().message();
}

TEST(CapturePcapngMulti, NothingReadableIsAnErrorAndAnalyzeExitsTwo) {
  // A file whose first packet block cannot be read holds packets we cannot show: not "0 packets, exit 0".
  testing::TempDir dir;
  const std::string path = dir.file("first-block-bad.pcapng");
  PcapngBuilder(false)
      .section()
      .interface(kEthernet)
      .raw({6, 0, 0, 0, 13, 0, 0, 0})
      .enhanced_on(0, ethernet(kTcp1), 0, 1)
      .write(path);
  auto cap = load_capture(path);
  ASSERT_FALSE(cap);
  EXPECT_NE(cap.error().message().find("first-block-bad.pcapng"), std::string::npos) << cap.error().message();
  EXPECT_NE(cap.error().message().find("no frame could be read"), std::string::npos) << cap.error().message();
  const auto r = testing::run_command_line(testing::wirestep_binary() + " analyze '" + path + "' 2>&1");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  // The mixed-link file, on the other hand, is read.
  const std::string mixed = dir.file("mixed.pcapng");
  mixed_file().write(mixed);
  const auto ok =
      testing::run_command_line(testing::wirestep_binary() + " analyze --json '" + mixed + "' 2>&1");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}

}  // namespace capture_pcapng_multi_test
}  // namespace wirestep
