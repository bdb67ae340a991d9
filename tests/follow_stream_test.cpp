// Follow stream (Wireshark's "Follow TCP Stream"): one conversation's payload, both directions, as a user
// reads it. Reassembly by sequence number (RFC 9293 §3.4, §3.10.7.4: text is delivered in sequence order,
// each byte once), gaps the capture lacks, UDP datagrams, text encodings, the output format and tshark's
// `-z follow,tcp,raw` as the outside oracle.
#include <gtest/gtest.h>
#include <stb_image.h>
#include <unistd.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"
#include "hand_built_tcp.hpp"
#include "headless_app.hpp"
#include "sim/analysis/follow_stream.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "test_support.hpp"
#include "ui/cli/follow_command.hpp"
#include "ui/cli/follow_format.hpp"
#include "ui/cli/follow_payload.hpp"
#include "ui/model/follow_view.hpp"
#include "ui/model/open_document.hpp"

namespace wirestep {
namespace follow_stream_test {

using wire::tcp_flag::kAck;
using wire::tcp_flag::kPsh;
using wire::tcp_flag::kSyn;
constexpr auto kAtoB = Direction::AtoB;
constexpr auto kBtoA = Direction::BtoA;

std::vector<std::uint8_t> bytes_of(std::string_view s) {
  return {s.begin(), s.end()};
}
std::string text_of(const std::vector<std::uint8_t>& b) {
  return {b.begin(), b.end()};
}

// A hand-built TCP conversation whose segments carry given bytes: A (client, ISN 1000) and B (ISN 5000).
class Conversation {
 public:
  Conversation() {
    tcp_.send(0, kAtoB, kSyn, 1000, 0, 0);
    tcp_.send(10, kBtoA, kSyn | kAck, 5000, 1001, 0);
    tcp_.send(20, kAtoB, kAck, 1001, 5001, 0);
  }
  std::uint32_t send(std::int64_t t_ms, Direction dir, std::uint32_t seq, std::uint32_t ack,
                     std::string_view data, std::uint8_t flags = kAck | kPsh) {
    const std::uint32_t i = tcp_.send(t_ms, dir, flags, seq, ack, static_cast<std::uint32_t>(data.size()));
    payload_[i] = bytes_of(data);
    return i;
  }
  // A frame the capture's snaplen cut: the segment carried `len` bytes, the file holds only `data`.
  std::uint32_t send_cut(std::int64_t t_ms, Direction dir, std::uint32_t seq, std::uint32_t ack,
                         std::string_view data, std::uint32_t len) {
    const std::uint32_t i = tcp_.send(t_ms, dir, kAck | kPsh, seq, ack, len);
    payload_[i] = bytes_of(data);
    return i;
  }
  void unreadable(std::uint32_t packet) { payload_.erase(packet); }
  const Trace& trace() const { return tcp_.trace(); }
  PayloadSource source() const {
    return [this](std::uint32_t packet, std::vector<std::uint8_t>& out) -> Status {
      const auto it = payload_.find(packet);
      if (it == payload_.end()) return Error{"lab.pcap", "offset 4312", "cannot read the frame"};
      out.insert(out.end(), it->second.begin(), it->second.end());
      return Ok{};
    };
  }
  FollowStream follow(FollowOptions options = {}) const {
    const FlowAnalyzer analysis = analyze_trace(trace());
    auto s = follow_stream(trace(), analysis, 0, source(), options);
    EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().message());
    return s.ok() ? *s : FollowStream{};
  }

 private:
  HandBuiltTcp tcp_;
  std::map<std::uint32_t, std::vector<std::uint8_t>> payload_;
};

// What a chunk shows, compactly: "C0:hello@3" (client, rel seq 0, bytes, packet 3), "S5:[2 missing]@7".
std::string show(const FollowStream& s) {
  std::string out;
  for (const FollowChunk& c : s.chunks) {
    if (!out.empty()) out += " | ";
    out += (c.from_client ? "C" : "S") + std::to_string(c.rel_seq) + ":" +
           (c.missing ? "[" + std::to_string(c.missing) + " missing]" : text_of(c.bytes)) + "@" +
           std::to_string(c.packet);
  }
  return out;
}

TEST(FollowStreamTcp, RequestAndResponseShowBothSidesInTheOrderSent) {
  // The client's request then the server's answer, each marked with its side and first frame.
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "GET / HTTP/1.0\r\n\r\n");
  c.send(40, kBtoA, 5001, 1019, "HTTP/1.0 200 OK\r\n");
  const FollowStream s = c.follow();
  EXPECT_EQ(show(s), "C0:GET / HTTP/1.0\r\n\r\n@3 | S0:HTTP/1.0 200 OK\r\n@4");
  EXPECT_EQ(s.client_addr.to_string(), "10.0.0.1");
  EXPECT_EQ(s.client_port, 40000);
  EXPECT_EQ(s.server_port, 80);
  EXPECT_EQ(s.bytes[0], 18u);
  EXPECT_EQ(s.bytes[1], 17u);
  EXPECT_FALSE(s.truncated);
}

TEST(FollowStreamTcp, RetransmittedBytesAppearOnce) {
  // RFC 9293 §3.10.7.4: a segment wholly below RCV.NXT carries nothing new.
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "hello");
  c.send(230, kAtoB, 1001, 5001, "hello");
  EXPECT_EQ(show(c.follow()), "C0:hello@3");
}

TEST(FollowStreamTcp, OverlappingSegmentAddsOnlyItsNewBytes) {
  // A retransmission that repacketizes: bytes already placed are trimmed, the rest follows them.
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "hello");
  c.send(40, kAtoB, 1004, 5001, "lo world");
  EXPECT_EQ(show(c.follow()), "C0:hello@3 | C5: world@4");
}

TEST(FollowStreamTcp, OutOfOrderSegmentIsPlacedBySequenceNumber) {
  // The later bytes arrive first: they wait for the hole before them to fill, then follow it.
  Conversation c;
  c.send(30, kBtoA, 5007, 1001, "world");
  c.send(40, kBtoA, 5001, 1001, "hello ");
  EXPECT_EQ(show(c.follow()), "S0:hello @4 | S6:world@3");
}

TEST(FollowStreamTcp, BytesTheCaptureNeverSawBecomeAGap) {
  // The peer's ACK covers bytes no captured segment carried: they were sent, the capture missed them.
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "abc");
  c.send(40, kAtoB, 1010, 5001, "xyz");
  c.send(50, kBtoA, 5001, 1013, "ok");
  EXPECT_EQ(show(c.follow()), "C0:abc@3 | C3:[6 missing]@4 | C9:xyz@4 | S0:ok@5");
}

TEST(FollowStreamTcp, AHoleStillOpenAtTheEndIsAGap) {
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "abc");
  c.send(40, kAtoB, 1005, 5001, "e");
  const FollowStream s = c.follow();
  EXPECT_EQ(show(s), "C0:abc@3 | C3:[1 missing]@4 | C4:e@4");
  const std::string text = render_follow(s, FollowFormat::Text, FollowEncoding::Utf8);
  EXPECT_NE(text.find("\n[1 bytes missing]\n"), std::string::npos) << text;
}

TEST(FollowStreamTcp, AFrameCutShortByTheSnaplenShowsWhatWasCapturedThenAGap) {
  // The rest of its payload is missing, not zero; the stream goes on after it.
  Conversation c;
  c.send_cut(30, kAtoB, 1001, 5001, "head", 10);
  c.send(40, kAtoB, 1011, 5001, "next");
  c.send(50, kAtoB, 1001, 5001, "headtailxx");  // a full retransmission adds nothing: those bytes are placed
  EXPECT_EQ(show(c.follow()), "C0:head@3 | C4:[6 missing]@3 | C10:next@4");
}

TEST(FollowStreamTcp, DirectionsInterleaveAsTheConversationGoes) {
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "one");
  c.send(40, kBtoA, 5001, 1004, "two");
  c.send(50, kAtoB, 1004, 5004, "three");
  c.send(60, kBtoA, 5004, 1009, "four");
  EXPECT_EQ(show(c.follow()), "C0:one@3 | S0:two@4 | C3:three@5 | S3:four@6");
}

TEST(FollowStreamTcp, SequenceNumbersWrapPastZero) {
  // RFC 9293 §3.4: sequence numbers are modulo 2^32; a stream crossing zero stays in order.
  HandBuiltTcp tcp;
  std::map<std::uint32_t, std::string> data;
  tcp.send(0, kAtoB, kSyn, 0xFFFFFFF0u, 0, 0);
  tcp.send(1, kBtoA, kSyn | kAck, 7, 0xFFFFFFF1u, 0);
  data[tcp.send(2, kAtoB, kAck | kPsh, 0x00000001u, 8, 4)] = "tail";  // ahead: waits
  data[tcp.send(3, kAtoB, kAck | kPsh, 0xFFFFFFF1u, 8, 16)] = "sixteen bytes.. ";
  const PayloadSource source = [&](std::uint32_t p, std::vector<std::uint8_t>& out) -> Status {
    out = bytes_of(data.at(p));
    return Ok{};
  };
  const FlowAnalyzer analysis = analyze_trace(tcp.trace());
  auto s = follow_stream(tcp.trace(), analysis, 0, source);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(show(*s), "C0:sixteen bytes.. @3 | C16:tail@2");
}

TEST(FollowStreamTcp, KeepsAtMostTheCapAndSaysWhereItStopped) {
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "123456");
  c.send(40, kBtoA, 5001, 1007, "abcdef");
  c.send(50, kAtoB, 1007, 5007, "789");
  FollowOptions options;
  options.max_bytes = 10;
  const FollowStream s = c.follow(options);
  EXPECT_EQ(show(s), "C0:123456@3 | S0:abcd@4");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(s.truncated_at, 10u);
  EXPECT_NE(render_follow(s, FollowFormat::Text, FollowEncoding::Utf8).find("[truncated at 10 bytes]"),
            std::string::npos);
}

TEST(FollowStreamTcp, HeldBackSegmentsCountAgainstTheCap) {
  // A hostile capture of holes only must not grow without bound while waiting for them to fill.
  Conversation c;
  for (std::uint32_t k = 0; k < 8; ++k) c.send(30 + k, kAtoB, 1101 + 10 * k, 5001, "xxxx");
  FollowOptions options;
  options.max_bytes = 12;
  const FollowStream s = c.follow(options);
  EXPECT_TRUE(s.truncated);
  EXPECT_LE(s.bytes[0] + s.bytes[1], 12u);
}

TEST(FollowStreamBadInput, AFlowThatDoesNotExistIsAnError) {
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "x");
  const FlowAnalyzer analysis = analyze_trace(c.trace());
  auto s = follow_stream(c.trace(), analysis, 7, c.source());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().where, "flow 7");
  EXPECT_NE(s.error().reason.find("no such flow"), std::string::npos);
}

TEST(FollowStreamBadInput, APacketWhoseBytesCannotBeReadIsNamedAndLeftAsAGap) {
  // The rest of the stream is still shown; the unreadable segment's bytes are missing, and the error names
  // the file, the frame and why.
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "abc");
  c.unreadable(c.send(40, kAtoB, 1004, 5001, "def"));
  c.send(50, kAtoB, 1007, 5001, "ghi");
  const FollowStream s = c.follow();
  EXPECT_EQ(show(s), "C0:abc@3 | C3:[3 missing]@5 | C6:ghi@5");
  ASSERT_EQ(s.errors.size(), 1u);
  EXPECT_EQ(s.errors[0].message(), "lab.pcap: frame 5 (offset 4312): cannot read the frame");
}

TEST(FollowStreamBadInput, AReadOfMoreBytesThanThePacketCarriesIsCut) {
  HandBuiltTcp tcp;
  tcp.send(0, kAtoB, kAck | kPsh, 1, 1, 3);
  const PayloadSource source = [](std::uint32_t, std::vector<std::uint8_t>& out) -> Status {
    out = bytes_of("abcdef");
    return Ok{};
  };
  auto s = follow_stream(tcp.trace(), analyze_trace(tcp.trace()), 0, source);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(show(*s), "C0:abc@0");
}

TEST(FollowStreamUdp, DatagramsInOrderBothDirections) {
  Trace t;
  const auto a = wire::IpAddr::from_v4(wire::Ipv4Addr{0x0A000001});
  const auto b = wire::IpAddr::from_v4(wire::Ipv4Addr{0x0A000002});
  const std::uint32_t flow = t.flow_for(Transport::Udp, a, 5000, b, 53).first;
  const std::vector<std::pair<Direction, std::string>> sent = {
      {kAtoB, "query"}, {kBtoA, "answer"}, {kAtoB, "query"}};
  for (std::size_t i = 0; i < sent.size(); ++i) {
    PacketRecord p;
    p.time = p.arrive = SimTime{static_cast<std::int64_t>(i) * 1000};
    p.flow = flow;
    p.dir = sent[i].first;
    p.payload_len = static_cast<std::uint32_t>(sent[i].second.size());
    p.payload_ref = t.store_payload(bytes_of(sent[i].second));
    t.add_packet(p);
  }
  auto s = follow_stream(t, analyze_trace(t), 0, trace_payload_source(t));
  ASSERT_TRUE(s.ok());
  // Every datagram is shown, a repeated one too: UDP has no sequence numbers to tell copies apart.
  EXPECT_EQ(show(*s), "C0:query@0 | S0:answer@1 | C5:query@2");
  EXPECT_EQ(s->proto, Transport::Udp);
  EXPECT_NE(render_follow(*s, FollowFormat::Raw, FollowEncoding::Utf8).find("Filter: udp.stream eq 0\n"),
            std::string::npos);
}

TEST(FollowStreamText, GbkAndUtf8DecodeToTheSameCharacters) {
  // The UDP lesson sends GBK (the seed notes' encoding); most of the world sends UTF-8.
  const std::vector<std::uint8_t> gbk = {0xC4, 0xE3, 0xBA, 0xC3};               // 你好 in GBK
  const std::vector<std::uint8_t> utf8 = {0xE4, 0xBD, 0xA0, 0xE5, 0xA5, 0xBD};  // 你好 in UTF-8
  EXPECT_EQ(follow_chunk_text(gbk, FollowEncoding::Gbk), "\xE4\xBD\xA0\xE5\xA5\xBD");
  EXPECT_EQ(follow_chunk_text(utf8, FollowEncoding::Utf8), "\xE4\xBD\xA0\xE5\xA5\xBD");
  // GBK read as UTF-8 is not silently passed through: the invalid bytes become U+FFFD.
  EXPECT_EQ(follow_chunk_text(gbk, FollowEncoding::Utf8).find("\xC4"), std::string::npos);
}

TEST(FollowStreamText, ControlCharactersCannotReachTheTerminal) {
  EXPECT_EQ(follow_chunk_text(bytes_of("a\r\nb\x1b[2Jc\x07\td\n"), FollowEncoding::Utf8), "a\nb.[2Jc.\td\n");
}

TEST(FollowStreamText, ServerLinesAreIndentedByATabAndTheHeaderNamesBothEnds) {
  Conversation c;
  c.send(30, kAtoB, 1001, 5001, "GET /\r\n");
  c.send(40, kBtoA, 5001, 1008, "line 1\nline 2\n");
  const std::string text = render_follow(c.follow(), FollowFormat::Text, FollowEncoding::Utf8);
  EXPECT_EQ(text,
            "\n===================================================================\n"
            "Follow: tcp,text,utf-8\n"
            "Filter: tcp.stream eq 0\n"
            "Node 0: 10.0.0.1:40000\n"
            "Node 1: 10.0.0.2:80\n"
            "7\nGET /\n"
            "\t14\n\tline 1\n\tline 2\n"
            "===================================================================\n");
}

TEST(FollowStreamText, HexDumpMatchesTsharksLayout) {
  // tshark -z follow,tcp,hex prints these exact lines for the same bytes (checked by hand with tshark 4.0).
  std::string out;
  append_hex_lines(out, bytes_of("GET / HTTP/1.0\r\n\r\n"), 0, "");
  append_hex_lines(out, bytes_of("world\n"), 10, "\t");
  EXPECT_EQ(out,
            "00000000  47 45 54 20 2f 20 48 54  54 50 2f 31 2e 30 0d 0a  GET / HT TP/1.0..\n"
            "00000010  0d 0a                                             ..\n"
            "\t0000000A  77 6f 72 6c 64 0a                                 world.\n");
}

// A capture with a request in two segments, the answer's second half ahead of its first (out of order) and
// its first half sent twice (a retransmission), written through libpcap.
void write_exchange_capture(const std::string& path, bool with_udp = false) {
  using capture_test::ethernet;
  capture_test::PcapWriter w(path, 1);
  ASSERT_TRUE(w.ok());
  auto seg = [](const char* src, std::uint16_t sp, const char* dst, std::uint16_t dp, std::uint32_t seq,
                std::uint32_t ack, std::uint8_t flags, std::string_view data) {
    wire::EncodeIpv4 e;
    e.ip.src = capture_test::v4(src);
    e.ip.dst = capture_test::v4(dst);
    wire::TcpHeader t;
    t.src_port = sp;
    t.dst_port = dp;
    t.seq = seq;
    t.ack = ack;
    t.flags = flags;
    t.window = 65535;
    std::vector<std::uint8_t> out;
    const auto payload = bytes_of(data);
    wire::encode_ipv4_tcp(e, t, payload, out);
    return ethernet(out);
  };
  const char* A = "10.0.0.1";
  const char* B = "10.0.0.2";
  std::int64_t t = 0;
  w.add(t += 1000, seg(A, 40000, B, 80, 1000, 0, kSyn, ""));
  w.add(t += 1000, seg(B, 80, A, 40000, 5000, 1001, kSyn | kAck, ""));
  w.add(t += 1000, seg(A, 40000, B, 80, 1001, 5001, kAck, ""));
  w.add(t += 1000, seg(A, 40000, B, 80, 1001, 5001, kAck | kPsh, "GET / HTTP/1.0\r\n"));
  w.add(t += 1000, seg(A, 40000, B, 80, 1017, 5001, kAck | kPsh, "\r\n"));
  w.add(t += 1000, seg(B, 80, A, 40000, 5011, 1019, kAck | kPsh, "world\n"));
  w.add(t += 1000, seg(B, 80, A, 40000, 5001, 1019, kAck | kPsh, "hello \xE4\xBD\xA0\n"));
  w.add(t += 1000, seg(B, 80, A, 40000, 5001, 1019, kAck | kPsh, "hello \xE4\xBD\xA0\n"));
  w.add(t += 1000, seg(A, 40000, B, 80, 1019, 5017, kAck, ""));
  if (with_udp) w.add(t += 1000, ethernet(capture_test::ipv4_udp("10.0.0.3", 5353, "10.0.0.4", 53, 6)));
}

TEST(FollowCommandCapture, RawOutputIsByteForByteTsharks) {
  // The outside oracle: tshark's Follow TCP Stream reassembles the same capture into the same chunks.
  WIRESTEP_REQUIRE_TSHARK();
  testing::TempDir dir;
  const std::string pcap = dir.file("exchange.pcap");
  write_exchange_capture(pcap);
  const auto tshark =
      testing::run_command_line("tshark -q -z follow,tcp,raw,0 -r '" + pcap + "' 2>/dev/null");
  ASSERT_EQ(tshark.exit_code, 0) << tshark.output;
  FollowCommandOptions o;
  o.file = pcap;
  o.stream = 0;
  o.format = "raw";
  std::ostringstream out, err;
  ASSERT_EQ(follow_command(o, out, err), 0) << err.str();
  EXPECT_EQ(out.str(), tshark.output);
  EXPECT_EQ(err.str(), "");
  // The hex dump too.
  const auto hex = testing::run_command_line("tshark -q -z follow,tcp,hex,0 -r '" + pcap + "' 2>/dev/null");
  o.format = "hex";
  std::ostringstream hex_out;
  ASSERT_EQ(follow_command(o, hex_out, err), 0);
  EXPECT_EQ(hex_out.str(), hex.output);
}

TEST(FollowCommandCapture, TextShowsEachSideOnceInOrder) {
  testing::TempDir dir;
  const std::string pcap = dir.file("exchange.pcap");
  write_exchange_capture(pcap);
  FollowCommandOptions o;
  o.file = pcap;
  o.flow = 0;
  std::ostringstream out, err;
  ASSERT_EQ(follow_command(o, out, err), 0) << err.str();
  const std::string s = out.str();
  EXPECT_NE(s.find("Node 0: 10.0.0.1:40000\nNode 1: 10.0.0.2:80\n16\nGET / HTTP/1.0\n2\n\n"
                   "\t10\n\thello \xE4\xBD\xA0\n\t6\n\tworld\n"),
            std::string::npos)
      << s;
}

TEST(FollowCommandBadInput, UnknownStreamAndMissingFileExitWithTwo) {
  testing::TempDir dir;
  const std::string pcap = dir.file("exchange.pcap");
  write_exchange_capture(pcap);
  FollowCommandOptions o;
  o.file = pcap;
  o.stream = 3;
  std::ostringstream out, err;
  EXPECT_EQ(follow_command(o, out, err), 2);
  EXPECT_NE(err.str().find("no tcp.stream 3"), std::string::npos) << err.str();
  o.file = dir.file("missing.pcap");
  std::ostringstream err2;
  EXPECT_EQ(follow_command(o, out, err2), 2);
  EXPECT_NE(err2.str().find("missing.pcap"), std::string::npos) << err2.str();
}

TEST(FollowCapturedPayload, AFileThatChangedUnderTheTraceIsNamedNotTrusted) {
  // The Trace says where each frame was; if the file is gone or different, each packet's error names it.
  testing::TempDir dir;
  const std::string pcap = dir.file("exchange.pcap");
  write_exchange_capture(pcap);
  auto analyzed = load_and_analyze(pcap);
  ASSERT_TRUE(analyzed.ok());
  const Trace& trace = analyzed->capture.trace;
  const std::string other = dir.file("other.pcap");
  {
    capture_test::PcapWriter w(other, 1);
    w.add(0, capture_test::ethernet(capture_test::ipv4_udp("10.0.0.9", 1, "10.0.0.8", 2, 4)));
  }
  auto s =
      follow_stream(trace, analyzed->analysis, 0,
                    captured_payload_source(trace, dir.file("gone.pcap"), capture_link_candidates(true)));
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->chunks.empty() || s->chunks.front().missing > 0);
  ASSERT_FALSE(s->errors.empty());
  EXPECT_NE(s->errors.front().message().find("gone.pcap"), std::string::npos) << s->errors.front().message();
  EXPECT_NE(s->errors.front().message().find("frame 4"), std::string::npos) << s->errors.front().message();
  auto changed = follow_stream(trace, analyzed->analysis, 0,
                               captured_payload_source(trace, other, capture_link_candidates(false)));
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(changed->errors.empty());
}

TEST(FollowCommandScenario, AFullDuplexLessonShowsBothDirections) {
  // A simulated run needs no file to re-read: the Trace keeps the bytes the programs wrote.
  FollowCommandOptions o;
  o.file = testing::source_path("scenarios/tcp-full-duplex.toml");
  o.stream = 0;
  std::ostringstream out, err;
  ASSERT_EQ(follow_command(o, out, err), 0) << err.str();
  const std::string s = out.str();
  EXPECT_NE(s.find("\nNode 0: "), std::string::npos) << s;
  EXPECT_NE(s.find("\n\t"), std::string::npos) << "no server bytes:\n" << s;
  EXPECT_EQ(s.find("missing"), std::string::npos) << s;
}

TEST(FollowView, AFlowTheTimelineDoesNotShowIsFollowedInTheWholeCapture) {
  // The Flows tab numbers conversations over the whole capture; the timeline may show only some of them.
  testing::TempDir dir;
  const std::string pcap = dir.file("two-flows.pcap");
  write_exchange_capture(pcap, true);
  OpenDocument d;
  ASSERT_EQ(d.open(pcap), std::nullopt);
  d.update_analysis();
  auto shown = follow_target_for_flow(d.doc(), 0);
  ASSERT_TRUE(shown.has_value());
  EXPECT_FALSE(shown->whole_capture);
  FollowView v = follow_in_document(d.doc(), *shown);
  ASSERT_TRUE(v.stream.has_value()) << v.error;
  EXPECT_EQ(show(*v.stream),
            "C0:GET / HTTP/1.0\r\n@3 | C16:\r\n@4 | S0:hello \xE4\xBD\xA0\n@6 | S10:world\n@5");

  // Only the UDP flow on the timeline: the TCP one is read from the whole capture, and its packets have no
  // place on the timeline to select.
  ASSERT_TRUE(d.show_flows({1}, false));
  d.update_analysis();
  auto whole = follow_target_for_flow(d.doc(), 0);
  ASSERT_TRUE(whole.has_value());
  EXPECT_TRUE(whole->whole_capture);
  v = follow_in_document(d.doc(), *whole);
  ASSERT_TRUE(v.stream.has_value()) << v.error;
  EXPECT_EQ(v.stream->bytes[0], 18u);
  EXPECT_EQ(shown_packet(d.doc(), *whole, 3), std::nullopt);
  EXPECT_EQ(follow_frame_number(d.doc(), *whole, 3), 4u);
  auto udp = follow_target_for_flow(d.doc(), 1);
  ASSERT_TRUE(udp.has_value());
  EXPECT_FALSE(udp->whole_capture);
  v = follow_in_document(d.doc(), *udp);
  ASSERT_TRUE(v.stream.has_value()) << v.error;
  ASSERT_EQ(v.stream->chunks.size(), 1u);
  EXPECT_EQ(text_of(v.stream->chunks[0].bytes), "uuuuuu");
  EXPECT_EQ(follow_frame_number(d.doc(), *udp, v.stream->chunks[0].packet), 10u);
}

TEST(FollowView, APacketThatIsNoLongerOpenIsAnErrorNotACrash) {
  OpenDocument d;
  ASSERT_EQ(d.open(testing::source_path("scenarios/tcp-handshake.toml")), std::nullopt);
  d.update_analysis();
  EXPECT_FALSE(follow_in_document(d.doc(), FollowTarget{PacketRef{5, 0}, false}).stream.has_value());
  EXPECT_FALSE(follow_in_document(d.doc(), FollowTarget{PacketRef{0, 1u << 30}, false}).stream.has_value());
  EXPECT_FALSE(follow_in_document(d.doc(), FollowTarget{PacketRef{0, 0}, true}).stream.has_value());
  EXPECT_FALSE(follow_target_for_flow(d.doc(), 0).has_value());  // a run has no Flows tab
}

}  // namespace follow_stream_test
}  // namespace wirestep

namespace wirestep::gui {
namespace follow_stream_test {

class FollowPanelUi : public HeadlessAppTest {};

TEST_F(FollowPanelUi, OpensDrawsTextAndHexInBothLanguagesAndClosesOnAnotherFile) {
  // Whole frames with the window open (ImGui checks Begin/End and the ID stack), then another file.
  ASSERT_EQ(app_->open(testing::source_path("scenarios/tcp-handshake.toml")), std::nullopt);
  frame();
  app_->follow_stream(FollowTarget{PacketRef{0, 0}, false});
  EXPECT_GT(frame(), 0);
  EXPECT_TRUE(app_->follow_open());
  app_->set_follow_mode(true, false);
  frame();
  if (app_->fonts().cjk) app_->view().lang = Lang::Zh;
  app_->set_follow_mode(false, true);
  frame();
  EXPECT_TRUE(app_->follow_open());
  ASSERT_EQ(app_->open(testing::source_path("scenarios/udp-sendto.toml")), std::nullopt);
  frame();
  EXPECT_FALSE(app_->follow_open()) << "a stream of the previous file stayed open";
}

TEST_F(FollowPanelUi, WiresharksKeyOpensItOnTheSelectedPacketsFlow) {
  // Ctrl+Alt+Shift+T, Wireshark's Follow TCP Stream, as the View menu's item does.
  ASSERT_EQ(app_->open(testing::source_path("scenarios/tcp-handshake.toml")), std::nullopt);
  frame();
  app_->select(PacketRef{0, 3});
  ImGuiIO& io = ImGui::GetIO();
  io.KeyCtrl = io.KeyAlt = io.KeyShift = true;
  io.KeysDown['T'] = true;
  frame();
  io.KeysDown['T'] = false;
  io.KeyCtrl = io.KeyAlt = io.KeyShift = false;
  frame();
  EXPECT_TRUE(app_->follow_open());
}

// Pixels of exactly this colour in the PNG.
std::size_t count_colour(const std::vector<std::uint8_t>& png, unsigned hex) {
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 3);
  if (!px) return 0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < static_cast<std::size_t>(w) * static_cast<std::size_t>(h); ++i)
    count +=
        px[i * 3] == (hex >> 16) && px[i * 3 + 1] == ((hex >> 8) & 0xFF) && px[i * 3 + 2] == (hex & 0xFF);
  stbi_image_free(px);
  return count;
}

TEST(FollowPanelShot, ClientAndServerLinesAreDrawnInTheirOwnColours) {
  // `wirestep shot --follow` under Xvfb: the request's lines on the client's pink, the answer's on the
  // server's lavender (Wireshark's Follow colours, follow_panel.cpp).
  ASSERT_EQ(testing::run_command_line("command -v xvfb-run").exit_code, 0) << "xvfb-run is missing";
  testing::TempDir dir;
  const std::string out = dir.file("follow.png");
  const auto r = testing::run_command_line(
      "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a -n " +
      std::to_string(100 + ::getpid() % 800) + " " + testing::wirestep_binary() + " shot " +
      testing::source_path("scenarios/tcp-handshake.toml") + " --follow text --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto png = testing::read_bytes(out);
  EXPECT_GT(count_colour(png, 0xFBEDED), 5000u) << "no client lines";
  EXPECT_GT(count_colour(png, 0xEDEDFB), 5000u) << "no server lines";
}

}  // namespace follow_stream_test
}  // namespace wirestep::gui
