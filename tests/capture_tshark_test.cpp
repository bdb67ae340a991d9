// Our TCP analysis against Wireshark's (tshark 4.0, the outside oracle), frame by frame: on every corpus file
// with TCP, on a hand-made conversation that raises every flag, and on the simulator's lossy export. Fails
// (never skips) without tshark: scripts/test.sh installs it.
//
// Deliberate differences: none on these captures. The rules follow Wireshark 4.0 (see
// sim/analysis/tcp_analysis.hpp), including its quirks. Known differences outside them, not exercised here:
// TCP inside IP fragments (Wireshark reassembles IP and analyses the whole segment; we leave fragments
// unanalysed) and segments with a TCP data offset below 20 (Wireshark analyses them before rejecting the
// header; we reject them first).
#include <gtest/gtest.h>

#include "capture/analyzed_capture.hpp"
#include "capture_test_support.hpp"

namespace wirestep {
namespace capture_tshark_test {

using namespace capture_test;

std::size_t tcp_streams(const FlowAnalyzer& a) {
  std::size_t n = 0;
  for (const Conversation& c : a.conversations()) n += c.proto == Transport::Tcp;
  return n;
}

std::size_t tshark_tcp_streams(const std::string& path) {
  const auto r = testing::run_command_line("tshark -n -r '" + path + "' -T fields -e tcp.stream 2>/dev/null");
  std::set<std::string> ids;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && std::isdigit(static_cast<unsigned char>(line[0])))
      ids.insert(line.substr(0, line.find(',')));
  return ids.size();
}

// tshark's flags per frame and its number of TCP streams, from one run (tshark's start-up is most of a small
// file's cost): the flag columns as tshark_flags reads them, then tcp.stream.
struct TsharkFlagsAndStreams {
  TsharkResult flags;
  std::size_t streams = 0;
};

TsharkFlagsAndStreams tshark_flags_and_streams(const std::string& path) {
  std::string cmd = "tshark -n -r '" + path + "' -T fields -e frame.number";
  for (const auto& n : tshark_flag_names()) cmd += " -e tcp.analysis." + n;
  const auto r = testing::run_command_line(cmd + " -e tcp.stream 2>/dev/null");
  TsharkFlagsAndStreams out;
  out.flags.exit_code = r.exit_code;
  std::set<std::string> streams;
  std::istringstream in(r.output);
  const std::size_t stream_col = tshark_flag_names().size() + 1;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::string col;
    std::istringstream ls(line);
    while (std::getline(ls, col, '\t')) cols.push_back(col);
    if (cols.empty() || cols[0].empty() || !std::isdigit(static_cast<unsigned char>(cols[0][0]))) continue;
    const auto frame = static_cast<std::uint32_t>(std::stoul(cols[0]));
    for (std::size_t i = 0; i + 1 < stream_col && i + 1 < cols.size(); ++i)
      if (!cols[i + 1].empty()) out.flags.frames[tshark_flag_names()[i]].insert(frame);
    // A frame with TCP inside ICMP carries two stream numbers ("3,4"): the first is the frame's own.
    if (stream_col < cols.size() && !cols[stream_col].empty() &&
        std::isdigit(static_cast<unsigned char>(cols[stream_col][0])))
      streams.insert(cols[stream_col].substr(0, cols[stream_col].find(',')));
  }
  out.streams = streams.size();
  return out;
}

// Compares every flag's frames.
void expect_same_flags(const std::string& label, const TsharkResult& theirs, const FlowAnalyzer& analysis) {
  auto ours = our_flags(analysis);
  for (const std::string& flag : tshark_flag_names()) {
    const auto& t = theirs.frames.count(flag) ? theirs.frames.at(flag) : std::set<std::uint32_t>{};
    EXPECT_EQ(ours[flag], t) << label << ": tcp.analysis." << flag << ": ours " << frames_text(ours[flag])
                             << ", tshark " << frames_text(t);
  }
}

// The corpus files with TCP that tshark can read, one test each (so CTest runs them in parallel and a failure
// names the file). There are no exceptions: every file's flags equal tshark's.
std::vector<std::string> corpus_tcp_files() {
  std::vector<std::string> files;
  for (const auto& [name, row] : read_manifest())
    if (row.has_tcp() && row.format != "?") files.push_back(name);
  return files;
}

TEST(CaptureTshark, CorpusHasAHundredTcpFilesToCompare) {
  EXPECT_GE(corpus_tcp_files().size(), 100u);
}

class CaptureTsharkCorpus : public ::testing::TestWithParam<std::string> {};

TEST_P(CaptureTsharkCorpus, TcpFlagsMatchFrameByFrame) {
  // The same frames carry the same flags, and the TCP streams are split the same way.
  const std::string& name = GetParam();
  const std::string path = corpus_file(name);
  auto a = load_and_analyze(path);
  ASSERT_TRUE(a) << a.error().message();
  const TsharkFlagsAndStreams theirs = tshark_flags_and_streams(path);
  ASSERT_EQ(theirs.flags.exit_code, 0) << "tshark failed or is missing";
  expect_same_flags(name, theirs.flags, a->analysis);
  // Stream counts only where neither side found malformed frames: Wireshark numbers a stream for a TCP
  // header it then rejects (we keep such frames as "other"), and rejects some IPv6 jumbograms whose TCP
  // we decode (bigtcp-ipv6.pcap: payload length 0 without a Jumbo option, read as "the rest of the frame").
  const ManifestRow row = read_manifest().at(name);
  if (a->capture.info.decode_error_count == 0 && row.damage.find("tshark-malformed") == std::string::npos) {
    EXPECT_EQ(tcp_streams(a->analysis), theirs.streams);
  }
}

// gtest names allow letters, digits and underscores only: "tcp-ack.pcap" becomes "tcp_ack_pcap".
std::string corpus_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Files, CaptureTsharkCorpus, ::testing::ValuesIn(corpus_tcp_files()),
                         corpus_test_name);

// A hand-made conversation (10.0.0.1:5000 -> 10.0.0.2:80, no window scaling) that raises every flag the
// corpus never does, then closes and reuses its port pair for a second stream.
void write_every_flag_conversation(const std::string& path) {
  namespace tf = wire::tcp_flag;
  PcapWriter w(path, DLT_EN10MB);
  const auto a = [&](double ms, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t win,
                     std::size_t len) {
    w.add(static_cast<std::int64_t>(ms * 1e6),
          ethernet(ipv4_tcp("10.0.0.1", 5000, "10.0.0.2", 80, seq, ack, flags, win, len)));
  };
  const auto b = [&](double ms, std::uint32_t seq, std::uint32_t ack, std::uint8_t flags, std::uint16_t win,
                     std::size_t len) {
    w.add(static_cast<std::int64_t>(ms * 1e6),
          ethernet(ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 5000, seq, ack, flags, win, len)));
  };
  const std::uint8_t ack = tf::kAck;
  a(0, 1000, 0, tf::kSyn, 8000, 0);              // 1  SYN
  b(10, 5000, 1001, tf::kSyn | ack, 3000, 0);    // 2  SYN-ACK, window 3000
  a(20, 1001, 5001, ack, 8000, 0);               // 3  ACK: handshake RTT 20 ms
  a(21, 1001, 5001, ack, 8000, 1000);            // 4
  a(22, 2001, 5001, ack, 8000, 1000);            // 5
  a(23, 3001, 5001, ack, 8000, 1000);            // 6  window full: 1001 + 3000
  b(31, 5001, 2001, ack, 3000, 0);               // 7
  b(32, 5001, 2001, ack, 3000, 0);               // 8  duplicate ACK #1
  b(33, 5001, 2001, ack, 3000, 0);               // 9  #2
  b(34, 5001, 2001, ack, 3000, 0);               // 10 #3
  a(40, 2001, 5001, ack, 8000, 1000);            // 11 fast retransmission
  b(50, 5001, 4001, ack, 3000, 0);               // 12
  a(51, 1001, 5001, ack, 8000, 1000);            // 13 spurious retransmission
  a(52, 5001, 5001, ack, 8000, 1000);            // 14 previous segment not captured
  a(53, 4001, 5001, ack, 8000, 1000);            // 15 out of order
  b(60, 5001, 6001, ack, 0, 0);                  // 16 zero window
  a(70, 6001, 5001, ack, 8000, 1);               // 17 zero-window probe
  b(71, 5001, 6001, ack, 0, 0);                  // 18 zero-window probe ACK
  b(80, 5001, 6001, ack, 4000, 0);               // 19 window update
  a(81, 6001, 5001, ack, 8000, 1000);            // 20
  b(90, 5001, 7001, ack, 4000, 0);               // 21
  a(2090, 7000, 5001, ack, 8000, 0);             // 22 keep-alive
  b(2091, 5001, 7001, ack, 4000, 0);             // 23 keep-alive ACK
  b(2100, 5001, 9001, ack, 4000, 0);             // 24 ACKed segment that wasn't captured
  a(2101, 9001, 5001, ack, 8000, 100);           // 25 previous segment not captured
  a(2200, 9101, 5001, tf::kFin | ack, 8000, 0);  // 26 FIN
  b(2210, 5001, 9102, tf::kFin | ack, 4000, 0);  // 27 FIN
  a(2220, 9102, 5002, ack, 8000, 0);             // 28 last ACK
  a(3000, 77777, 0, tf::kSyn, 8000, 0);          // 29 port reuse: a new stream
  b(3010, 88888, 77778, tf::kSyn | ack, 3000, 0);
  a(3020, 77778, 88889, ack, 8000, 0);
  a(3030, 77778, 88889, tf::kRst | ack, 0, 0);  // 32
}

TEST(CaptureTshark, HandMadeConversationRaisesEveryFlagAsWiresharkDoes) {
  testing::TempDir dir;
  const std::string path = dir.file("every-flag.pcap");
  write_every_flag_conversation(path);
  auto a = load_and_analyze(path);
  ASSERT_TRUE(a) << a.error().message();
  const TsharkResult theirs = tshark_flags(path);
  ASSERT_EQ(theirs.exit_code, 0) << "tshark failed or is missing";
  for (const std::string& flag : tshark_flag_names())
    EXPECT_FALSE(theirs.frames.count(flag) == 0 || theirs.frames.at(flag).empty())
        << "the capture must raise " << flag;
  expect_same_flags("every-flag.pcap", theirs, a->analysis);
  // The one-pass field extraction above is what `tshark -Y tcp.analysis.<flag>` shows, flag by flag.
  for (const std::string& flag : tshark_flag_names()) {
    const auto r = testing::run_command_line("tshark -n -r '" + path + "' -Y tcp.analysis." + flag +
                                             " -T fields -e frame.number 2>/dev/null");
    std::set<std::uint32_t> frames;
    std::istringstream in(r.output);
    for (std::uint32_t f; in >> f;) frames.insert(f);
    EXPECT_EQ(frames, theirs.frames.at(flag)) << flag;
  }
  // The crafted frames, as intended.
  auto ours = our_flags(a->analysis);
  EXPECT_EQ(ours["fast_retransmission"], (std::set<std::uint32_t>{11}));
  EXPECT_EQ(ours["duplicate_ack"], (std::set<std::uint32_t>{8, 9, 10}));
  EXPECT_EQ(ours["zero_window_probe"], (std::set<std::uint32_t>{17}));
  EXPECT_EQ(ours["keep_alive"], (std::set<std::uint32_t>{22}));
  EXPECT_EQ(ours["window_full"], (std::set<std::uint32_t>{6}));
  EXPECT_EQ(tcp_streams(a->analysis), 2u);
  EXPECT_EQ(tshark_tcp_streams(path), 2u);
}

TEST(CaptureTshark, SimulatorLossyExportMatchesFrameByFrame) {
  // The simulator's own lossy transfer, exported as pcap: the same analysis as Wireshark's, flag by flag.
  testing::TempDir dir;
  const std::string pcap = dir.file("bulk.pcap");
  auto run = testing::run_command_line(testing::wirestep_binary() + " run " +
                                       testing::source_path("scenarios/tcp-bulk-loss.toml") +
                                       " --quiet --pcap " + pcap);
  // Exit 1 only says one of the lesson's expectations failed; the export is written either way.
  ASSERT_TRUE(run.exit_code == 0 || run.exit_code == 1) << run.output;
  auto a = load_and_analyze(pcap);
  ASSERT_TRUE(a) << a.error().message();
  const TsharkResult theirs = tshark_flags(pcap);
  ASSERT_EQ(theirs.exit_code, 0);
  EXPECT_FALSE(theirs.frames.at("fast_retransmission").empty());
  EXPECT_FALSE(theirs.frames.at("duplicate_ack").empty());
  expect_same_flags("tcp-bulk-loss export", theirs, a->analysis);
}

}  // namespace capture_tshark_test
}  // namespace wirestep
