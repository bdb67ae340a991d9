// Helpers for the capture suites: the corpus and its manifest (../shared/corpus/README.md), a pcap writer
// through libpcap for hand-made captures on any link type, frame builders, and tshark's TCP analysis flags
// per frame (the outside oracle).
#pragma once

#include <pcap/pcap.h>

#include <cctype>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "capture/capture_reader.hpp"
#include "sim/analysis/flow_analysis.hpp"
#include "sim/wire/ethernet.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/packet.hpp"
#include "sim/wire/transport.hpp"
#include "test_support.hpp"

namespace wirestep::capture_test {

inline std::string corpus_dir() {
  return std::string(WIRESTEP_CORPUS_DIR) + "/tcpdump";
}
inline std::string corpus_file(const std::string& name) {
  return corpus_dir() + "/" + name;
}

// One row of the corpus manifest table.
struct ManifestRow {
  std::string file;
  std::string format;     // pcap, pcap-ns, pcapng, "?" when tshark could not read it
  std::string link_type;  // libpcap's DLT name
  std::uint64_t packets = 0;
  std::string tcp_udp;  // "TCP(6)", "UDP(8)", "TCP(2)+UDP(99)", "—"
  std::string damage;   // "no", "1 pkt caplen<len; ..."
  std::uint64_t caplen_below_len = 0;
  bool has_tcp() const { return tcp_udp.find("TCP(") != std::string::npos; }
};

inline std::map<std::string, ManifestRow> read_manifest() {
  std::map<std::string, ManifestRow> rows;
  std::istringstream in(testing::read_text(std::string(WIRESTEP_CORPUS_DIR) + "/README.md"));
  auto ends_with = [](const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
  };
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0) continue;
    std::vector<std::string> cells;
    std::string cell;
    // Cells are separated by " | "; escaped pipes ("\|") inside cells are not separators.
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '|' && line[i - 1] != '\\') {
        const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
        cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    if (cells.size() < 12 || !(ends_with(cells[0], ".pcap") || ends_with(cells[0], ".pcapng"))) continue;
    ManifestRow r;
    r.file = cells[0];
    r.format = cells[2];
    r.link_type = cells[3];
    r.packets = std::stoull(cells[4]);  // "5 (tcpdump)" reads as 5
    r.tcp_udp = cells[5];
    r.damage = cells[7];
    // "3 pkt caplen<len": the number just before the marker.
    if (const auto at = r.damage.find(" pkt caplen<len"); at != std::string::npos) {
      std::size_t start = at;
      while (start > 0 && std::isdigit(static_cast<unsigned char>(r.damage[start - 1]))) --start;
      if (start < at) r.caplen_below_len = std::stoull(r.damage.substr(start, at - start));
    }
    rows[r.file] = r;
  }
  return rows;
}

// A capture written through libpcap, frame by frame, at nanosecond resolution.
class PcapWriter {
 public:
  PcapWriter(const std::string& path, int dlt, int snaplen = 65535)
      : dead_(pcap_open_dead_with_tstamp_precision(dlt, snaplen, PCAP_TSTAMP_PRECISION_NANO)),
        dumper_(dead_ ? pcap_dump_open(dead_, path.c_str()) : nullptr) {}
  ~PcapWriter() { close(); }
  bool ok() const { return dumper_ != nullptr; }
  // `wire_len` 0 means the frame was captured whole.
  void add(std::int64_t time_ns, const std::vector<std::uint8_t>& frame, std::uint32_t wire_len = 0) {
    pcap_pkthdr h{};
    h.ts.tv_sec = 1'767'225'600 + time_ns / 1'000'000'000;
    h.ts.tv_usec = time_ns % 1'000'000'000;
    h.caplen = static_cast<bpf_u_int32>(frame.size());
    h.len = wire_len ? wire_len : h.caplen;
    pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, frame.data());
  }
  void close() {
    if (dumper_) pcap_dump_close(dumper_);
    if (dead_) pcap_close(dead_);
    dumper_ = nullptr;
    dead_ = nullptr;
  }

 private:
  pcap_t* dead_;
  pcap_dumper_t* dumper_;
};

inline wire::Ipv4Addr v4(const char* text) {
  return *wire::Ipv4Addr::parse(text);
}

// An IPv4 + TCP packet (no link header); `options` go on SYNs.
inline std::vector<std::uint8_t> ipv4_tcp(const char* src, std::uint16_t sport, const char* dst,
                                          std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
                                          std::uint8_t flags, std::uint16_t window, std::size_t payload = 0,
                                          wire::TcpOptions options = {}) {
  wire::EncodeIpv4 e;
  e.ip.src = v4(src);
  e.ip.dst = v4(dst);
  wire::TcpHeader t;
  t.src_port = sport;
  t.dst_port = dport;
  t.seq = seq;
  t.ack = ack;
  t.flags = flags;
  t.window = window;
  t.options = options;
  std::vector<std::uint8_t> data(payload, 'x');
  std::vector<std::uint8_t> out;
  wire::encode_ipv4_tcp(e, t, data, out);
  return out;
}

inline std::vector<std::uint8_t> ipv4_udp(const char* src, std::uint16_t sport, const char* dst,
                                          std::uint16_t dport, std::size_t payload) {
  wire::EncodeIpv4 e;
  e.ip.src = v4(src);
  e.ip.dst = v4(dst);
  std::vector<std::uint8_t> data(payload, 'u');
  std::vector<std::uint8_t> out;
  wire::encode_ipv4_udp(e, sport, dport, data, out);
  return out;
}

// An IPv6 + UDP packet between 2001:db8::<src_last> and 2001:db8::<dst_last>.
inline std::vector<std::uint8_t> ipv6_udp(std::uint8_t src_last, std::uint8_t dst_last, std::uint16_t sport,
                                          std::uint16_t dport, std::size_t payload) {
  wire::Ipv6Decoded h;
  h.src.v6 = h.dst.v6 = true;
  h.src.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, src_last};
  h.dst.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, dst_last};
  h.next_header = wire::kIpProtoUdp;
  h.hop_limit = 64;
  std::vector<std::uint8_t> data(payload, 'v');
  std::vector<std::uint8_t> out;
  wire::encode_ipv6(h, wire::kUdpHeaderLen + payload, out);
  wire::PseudoHeader ph{h.src, h.dst, wire::kIpProtoUdp, 0};
  wire::encode_udp(ph, sport, dport, data, out);
  return out;
}

inline std::vector<std::uint8_t> with_prefix(std::vector<std::uint8_t> prefix,
                                             const std::vector<std::uint8_t>& rest) {
  prefix.insert(prefix.end(), rest.begin(), rest.end());
  return prefix;
}

inline std::vector<std::uint8_t> ethernet(const std::vector<std::uint8_t>& ip,
                                          std::uint16_t ether_type = 0x0800) {
  return with_prefix({2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, static_cast<std::uint8_t>(ether_type >> 8),
                      static_cast<std::uint8_t>(ether_type)},
                     ip);
}

// tshark's TCP analysis: for each flag (Wireshark's name without "tcp.analysis."), the frames carrying it.
// One tshark run with every flag as a field is the same single pass as `tshark -Y tcp.analysis.X` per flag.
inline const std::vector<std::string>& tshark_flag_names() {
  static const std::vector<std::string> names = {
      "retransmission",   "fast_retransmission",  "spurious_retransmission",
      "duplicate_ack",    "out_of_order",         "lost_segment",
      "ack_lost_segment", "zero_window",          "zero_window_probe",
      "window_full",      "keep_alive",           "window_update",
      "keep_alive_ack",   "zero_window_probe_ack"};
  return names;
}

struct TsharkResult {
  int exit_code = -1;
  std::map<std::string, std::set<std::uint32_t>> frames;  // flag -> frames
};

inline TsharkResult tshark_flags(const std::string& pcap) {
  std::string cmd = "tshark -n -r '" + pcap + "' -T fields -e frame.number";
  for (const auto& n : tshark_flag_names()) cmd += " -e tcp.analysis." + n;
  const auto r = testing::run_command_line(cmd + " 2>/dev/null");
  TsharkResult out;
  out.exit_code = r.exit_code;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::string col;
    std::istringstream ls(line);
    while (std::getline(ls, col, '\t')) cols.push_back(col);
    if (cols.empty() || cols[0].empty() || !std::isdigit(static_cast<unsigned char>(cols[0][0]))) continue;
    const auto frame = static_cast<std::uint32_t>(std::stoul(cols[0]));
    for (std::size_t i = 0; i < tshark_flag_names().size(); ++i)
      if (i + 1 < cols.size() && !cols[i + 1].empty()) out.frames[tshark_flag_names()[i]].insert(frame);
  }
  return out;
}

// Our flags in the same form; "retransmission" gathers all three kinds, as tshark's filter does.
inline std::map<std::string, std::set<std::uint32_t>> our_flags(const FlowAnalyzer& analysis) {
  std::map<std::string, std::set<std::uint32_t>> out;
  for (const FlaggedPacket& f : analysis.flagged()) {
    out[std::string(wireshark_name(f.flag))].insert(f.frame);
    if (f.flag == TcpFlag::FastRetransmission || f.flag == TcpFlag::SpuriousRetransmission)
      out["retransmission"].insert(f.frame);
  }
  return out;
}

inline std::string frames_text(const std::set<std::uint32_t>& s) {
  std::string out;
  for (auto f : s) out += (out.empty() ? "" : ",") + std::to_string(f);
  return out.empty() ? "none" : out;
}

// "" when two loads of one file agree on every packet column, flow, counter and decode error; else the first
// difference.
inline std::string loaded_difference(const LoadedCapture& fast, const LoadedCapture& general) {
  const Trace& a = fast.trace;
  const Trace& b = general.trace;
  if (a.packet_count() != b.packet_count())
    return "packets " + std::to_string(a.packet_count()) + " vs " + std::to_string(b.packet_count());
  for (std::size_t i = 0; i < a.packet_count(); ++i) {
    const PacketRecord p = a.packet(i), q = b.packet(i);
    const bool same = p.time == q.time && p.flow == q.flow && p.dir == q.dir && p.tcp_flags == q.tcp_flags &&
                      p.seq == q.seq && p.ack == q.ack && p.payload_len == q.payload_len &&
                      p.window == q.window && p.ip_id == q.ip_id && p.ttl == q.ttl && p.marks == q.marks &&
                      p.options == q.options && p.payload_ref == q.payload_ref && p.fate == q.fate &&
                      p.cause == q.cause;
    if (!same) return "packet " + std::to_string(i + 1) + " differs";
  }
  if (a.flows().size() != b.flows().size()) return "flow count differs";
  for (std::size_t f = 0; f < a.flows().size(); ++f) {
    const TraceFlow &x = a.flows()[f], &y = b.flows()[f];
    if (x.proto != y.proto || !(x.a == y.a) || !(x.b == y.b) || x.a_port != y.a_port || x.b_port != y.b_port)
      return "flow " + std::to_string(f) + " differs";
  }
  const CaptureFileInfo &i = fast.info, &j = general.info;
  if (i.bad_checksums != j.bad_checksums || i.malformed_frames != j.malformed_frames ||
      i.fragments != j.fragments || i.non_ip_frames != j.non_ip_frames ||
      i.decode_error_count != j.decode_error_count || i.decode_errors.size() != j.decode_errors.size())
    return "counters differ";
  for (std::size_t e = 0; e < i.decode_errors.size(); ++e)
    if (i.decode_errors[e].frame != j.decode_errors[e].frame ||
        i.decode_errors[e].offset != j.decode_errors[e].offset ||
        i.decode_errors[e].reason != j.decode_errors[e].reason)
      return "decode error " + std::to_string(e) + " differs: " + i.decode_errors[e].reason + " vs " +
             j.decode_errors[e].reason;
  if (i.frames != j.frames || i.file_frames != j.file_frames ||
      i.frames_over_snaplen != j.frames_over_snaplen || i.frames_cut_short != j.frames_cut_short ||
      i.truncated != j.truncated || i.read_error != j.read_error ||
      i.first_frame_epoch_ns != j.first_frame_epoch_ns || i.time_went_backwards != j.time_went_backwards)
    return "file counters differ (read error \"" + i.read_error + "\" vs \"" + j.read_error + "\")";
  return "";
}

}  // namespace wirestep::capture_test
