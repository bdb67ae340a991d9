#include "capture/capture_reader.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <optional>

#include "capture/arp_icmp_frame.hpp"
#include "capture/capture_error.hpp"
#include "capture/common_frame.hpp"
#include "capture/frame_offsets.hpp"
#include "capture/link_layer.hpp"
#include "capture/pcap_records.hpp"
#include "capture/pcapng_blocks.hpp"
#include "capture/pcapng_reader.hpp"
#include "capture/tso_packet.hpp"
#include "sim/analysis/flow_lookup.hpp"
#include "sim/wire/byte_error.hpp"
#include "sim/wire/ipv4.hpp"
#include "sim/wire/ipv6.hpp"
#include "sim/wire/packet.hpp"

namespace wirestep {

std::string_view to_string(CaptureFormat f) {
  switch (f) {
    case CaptureFormat::Pcap:
      return "pcap";
    case CaptureFormat::PcapNanosecond:
      return "pcap-ns";
    case CaptureFormat::Pcapng:
      return "pcapng";
  }
  return "?";
}

namespace {

constexpr std::uint64_t kUnknownOffset = std::numeric_limits<std::uint64_t>::max();

using PcapHandle = std::unique_ptr<pcap_t, decltype(&pcap_close)>;

struct FileStart {
  std::uint64_t size = 0;
  std::uint32_t magic = 0;  // first four bytes, big-endian
  bool readable = false;
};

FileStart peek(const std::string& path) {
  FileStart s;
  std::error_code ec;
  s.size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  std::array<unsigned char, 4> b{};
  s.readable = !ec && static_cast<bool>(in);
  if (s.readable && in.read(reinterpret_cast<char*>(b.data()), 4))
    s.magic = (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3];
  return s;
}

CaptureFormat format_of(std::uint32_t magic) {
  if (magic == pcapng::kSectionHeaderBlock) return CaptureFormat::Pcapng;
  if (magic == 0xA1B23C4D || magic == 0x4D3CB2A1) return CaptureFormat::PcapNanosecond;
  return CaptureFormat::Pcap;
}

// Wall-clock ns of a record, saturating rather than overflowing for absurd stamps (fuzzed files).
std::int64_t epoch_ns(const pcap_pkthdr& h) {
  constexpr std::int64_t kBillion = 1'000'000'000;
  const std::int64_t sec = h.ts.tv_sec;
  if (sec > std::numeric_limits<std::int64_t>::max() / kBillion - 1)
    return std::numeric_limits<std::int64_t>::max();
  if (sec < std::numeric_limits<std::int64_t>::min() / kBillion + 1)
    return std::numeric_limits<std::int64_t>::min();
  // Opened with PCAP_TSTAMP_PRECISION_NANO, so tv_usec holds nanoseconds.
  return sec * kBillion + static_cast<std::int64_t>(h.ts.tv_usec);
}

std::int64_t saturating_sub(std::int64_t a, std::int64_t b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a, b, &out))
    return a < b ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
  return out;
}

}  // namespace

// One Trace being filled frame by frame (from a file or a live capture): the flow index and the counters.
class FrameDecoder::Impl {
 public:
  Impl(Trace& trace, CaptureFileInfo& info, FrameSink sink)
      : trace_(trace), info_(info), flows_(trace), sink_(std::move(sink)) {}

  void frame(const RawFrame& raw);
  bool fast_path_ = true;

 private:
  struct Decoded {
    PacketRecord rec;
    FrameInfo info;
    std::optional<Error> error;
  };
  void decode(LinkKind link, wire::Bytes bytes, std::uint32_t wire_len, Decoded& d);
  void decode_ip(wire::Bytes bytes, std::size_t ip_offset, std::uint32_t wire_len, Decoded& d);
  void take_common(const CommonFrame& c, Decoded& d);
  void to_non_ip_flow(Decoded& d);
  void to_ip_pair_flow(wire::Bytes ip, Decoded& d);

  Trace& trace_;
  CaptureFileInfo& info_;
  FlowLookup flows_;
  FrameSink sink_;
  std::optional<LinkKind> link_;  // of link_dlt_: the link type of the frame before
  int link_dlt_ = 0;
  std::int64_t first_epoch_ns_ = 0;
  std::int64_t last_epoch_ns_ = 0;
  std::int64_t last_trace_ns_ = 0;
  bool have_first_ = false;
};

void FrameDecoder::Impl::to_non_ip_flow(Decoded& d) {
  if (info_.non_ip_flow == TraceFlow::kNoHost)
    info_.non_ip_flow = flows_.flow_for(Transport::Other, wire::IpAddr{}, 0, wire::IpAddr{}, 0).first;
  d.rec.flow = info_.non_ip_flow;
  d.rec.dir = Direction::AtoB;
}

// A packet whose transport could not be decoded still belongs to the conversation of its two addresses
// when its IP header is intact.
void FrameDecoder::Impl::to_ip_pair_flow(wire::Bytes ip, Decoded& d) {
  std::optional<std::pair<wire::IpAddr, wire::IpAddr>> pair;
  if (!ip.empty() && (ip[0] >> 4) == 4) {
    if (auto v4 = wire::decode_ipv4(ip))
      pair = {wire::IpAddr::from_v4(v4->header.src), wire::IpAddr::from_v4(v4->header.dst)};
  } else if (!ip.empty() && (ip[0] >> 4) == 6) {
    if (auto v6 = wire::decode_ipv6(ip)) pair = {v6->src, v6->dst};
  }
  if (!pair) return to_non_ip_flow(d);
  const auto [flow, dir] = flows_.flow_for(Transport::Other, pair->first, 0, pair->second, 0);
  d.rec.flow = flow;
  d.rec.dir = dir;
}

void FrameDecoder::Impl::decode_ip(wire::Bytes bytes, std::size_t ip_offset, std::uint32_t wire_len,
                                   Decoded& d) {
  auto ip = wire::decode_ip_packet(bytes, ip_offset);
  std::optional<wire::DecodedPacket> tso;
  if (!ip) {
    tso = decode_ipv4_tso(bytes, ip_offset, wire_len);
    if (!tso) {
      d.error = ip.error();
      return to_ip_pair_flow(bytes.subspan(ip_offset), d);
    }
  }
  const wire::DecodedPacket& p = tso ? *tso : *ip;
  d.rec.ip_id = p.ip_id;
  d.rec.ttl = p.ttl;
  if (p.is_fragment) {
    d.rec.marks |= mark::kFragment;
    ++info_.fragments;
  }
  if (p.ip_checksum_ok == false || p.transport_checksum_ok == false) {
    d.rec.marks |= mark::kBadChecksum;
    ++info_.bad_checksums;
  }
  // Fewer bytes than the IP header claims in a frame the snapshot length did not cut: the packet lies about
  // its length. Like Wireshark, report it and analyse the segment with the bytes that are there.
  const bool length_lie = p.truncated && bytes.size() >= wire_len;
  if (length_lie)
    d.error = wire::byte_error(
        ip_offset + 2,
        "the IP header claims more bytes than the frame holds (" + std::to_string(bytes.size()) +
            " bytes on the wire)",
        "IP 头部声称的字节数比帧里实有的多（线路上只有 " + std::to_string(bytes.size()) + " 字节）");
  std::uint16_t sport = 0, dport = 0;
  if (p.tcp) {
    const wire::TcpHeader& t = *p.tcp;
    sport = t.src_port;
    dport = t.dst_port;
    d.rec.tcp_flags = t.flags;
    d.rec.seq = t.seq;
    d.rec.ack = t.ack;
    d.rec.window = t.window;
    // Only SYNs keep their options: window scale and MSS are what the analysis and the UI need, and every
    // other segment's options can be re-read from the file.
    if ((t.flags & wire::tcp_flag::kSyn) && !t.options.empty()) d.rec.options = t.options;
    d.info.proto = Transport::Tcp;
    d.info.analyzable = !p.is_fragment;
  } else if (p.udp) {
    sport = p.udp->src_port;
    dport = p.udp->dst_port;
    d.info.proto = Transport::Udp;
  } else if (p.icmp) {
    d.rec.icmp = icmp_record(*p.icmp, trace_);
    d.info.proto = Transport::Icmp;
  }
  d.rec.payload_len = static_cast<std::uint32_t>(p.payload_len);
  if (length_lie && (p.tcp || p.udp))
    d.rec.payload_len = static_cast<std::uint32_t>(
        std::min(p.payload_len, bytes.size() > p.payload_offset ? bytes.size() - p.payload_offset : 0));
  const auto [flow, dir] = flows_.flow_for(d.info.proto, p.src, sport, p.dst, dport);
  d.rec.flow = flow;
  d.rec.dir = dir;
}

// What decode_ip does for a frame the fast path read.
void FrameDecoder::Impl::take_common(const CommonFrame& c, Decoded& d) {
  d.rec.ip_id = c.ip_id;
  d.rec.ttl = c.ttl;
  if (c.bad_checksum) {
    d.rec.marks |= mark::kBadChecksum;
    ++info_.bad_checksums;
  }
  d.rec.tcp_flags = c.tcp_flags;
  d.rec.seq = c.seq;
  d.rec.ack = c.ack;
  d.rec.window = c.window;
  d.rec.payload_len = c.payload_len;
  d.info.proto = c.proto;
  d.info.analyzable = c.proto == Transport::Tcp;
  const auto [flow, dir] = flows_.flow_for_v4(c.proto, c.src, c.sport, c.dst, c.dport);
  d.rec.flow = flow;
  d.rec.dir = dir;
}

void FrameDecoder::Impl::decode(LinkKind link, wire::Bytes bytes, std::uint32_t wire_len, Decoded& d) {
  if (CommonFrame c; fast_path_ && decode_common_frame(link, bytes, wire_len, c)) return take_common(c, d);
  if (link == LinkKind::Unsupported) {
    ++info_.other_link_frames;
    return to_non_ip_flow(d);
  }
  auto where = locate_inner_ip_packet(link, bytes, std::max<std::size_t>(wire_len, bytes.size()));
  if (!where) {
    d.error = where.error();
    return to_non_ip_flow(d);
  }
  if (!where->ip_offset) {
    if (take_arp_frame(link, bytes, flows_, d.rec, d.info, d.error)) return;
    ++info_.non_ip_frames;
    return to_non_ip_flow(d);
  }
  // The innermost packet is the one analysed (its flow, its flags); the outer headers stay in the file, where
  // the inspector walks them again.
  decode_ip(bytes, *where->ip_offset, wire_len, d);
}

void FrameDecoder::Impl::frame(const RawFrame& raw) {
  const int dlt = raw.dlt.value_or(info_.dlt);
  if (!link_ || dlt != link_dlt_) {
    link_ = link_kind_for_dlt(dlt);
    link_dlt_ = dlt;
  }
  ++info_.frames;
  if (raw.interface && *raw.interface < info_.interfaces.size()) ++info_.interfaces[*raw.interface].frames;
  // Cut by the capturing tool's snapshot length, as the record says. libpcap also shortens records longer
  // than the file's own snapshot length (a damaged or crafted file): counted apart, as they were not cut.
  const std::uint32_t stored = raw.stored_len.value_or(raw.caplen);
  if (stored < raw.len) ++info_.frames_cut_short;
  if (stored > raw.caplen) ++info_.frames_over_snaplen;

  const std::int64_t now = raw.epoch_ns;
  if (!have_first_) {
    have_first_ = true;
    first_epoch_ns_ = last_epoch_ns_ = now;
    info_.first_frame_epoch_ns = now;
  }
  if (now < last_epoch_ns_) ++info_.time_went_backwards;
  last_epoch_ns_ = now;
  const std::int64_t since_first = saturating_sub(now, first_epoch_ns_);
  // The Trace keeps packets in time order; a frame stamped earlier than its predecessor is shown at the
  // predecessor's time (its real time stays in FrameInfo and in the file).
  last_trace_ns_ = std::max(last_trace_ns_, since_first);

  Decoded d;
  d.rec.time = d.rec.arrive = SimTime{last_trace_ns_};
  d.rec.fate = Fate::Captured;
  d.rec.cause = Cause::Captured;
  d.rec.ttl = 0;
  d.rec.payload_ref = raw.data_offset.value_or(kUnknownOffset);
  decode(*link_, wire::Bytes(raw.data, raw.caplen), raw.len, d);
  if (d.error) {
    d.rec.marks |= mark::kMalformed;
    ++info_.malformed_frames;
    ++info_.decode_error_count;
    if (info_.decode_errors.size() < CaptureFileInfo::kMaxDecodeErrors) {
      const Error& e = *d.error;
      std::string reason = e.where.empty() ? e.reason : e.where + ": " + e.reason;
      const std::string& where_zh = e.where_zh.empty() ? e.where : e.where_zh;
      const std::string& reason_zh = e.reason_zh.empty() ? e.reason : e.reason_zh;
      std::string zh = where_zh.empty() ? reason_zh : where_zh + "：" + reason_zh;
      info_.decode_errors.push_back(
          DecodeError{raw.number, d.rec.payload_ref, std::move(reason), std::move(zh)});
    }
  }
  d.info.packet = trace_.add_packet(d.rec);
  d.info.frame = raw.number;
  d.info.time_ns = since_first;
  d.info.wire_len = raw.len;
  if (!info_.filter.empty()) info_.frame_numbers.push_back(raw.number);
  if (sink_) sink_(d.rec, d.info);
}

FrameDecoder::FrameDecoder(Trace& trace, CaptureFileInfo& info, FrameSink sink)
    : impl_(std::make_unique<Impl>(trace, info, std::move(sink))) {}
FrameDecoder::~FrameDecoder() = default;

void FrameDecoder::use_general_decoder_only() {
  impl_->fast_path_ = false;
}

void FrameDecoder::add(const RawFrame& frame) {
  impl_->frame(frame);
}

namespace {

// After the first few thousand frames their average size on disk says how many the file holds: reserving
// that much once avoids copying every column each time it doubles (a third of the load time of a
// million-frame file went into those copies and their page faults). A little more than the estimate, so the
// last doubling is avoided too; capped, so a bogus size cannot ask for absurd memory.
constexpr std::uint32_t kFramesBeforeEstimate = 4096;
void reserve_for_rest(Trace& trace, std::uint64_t read, std::uint64_t file_size) {
  constexpr std::uint64_t kMaxReserve = std::uint64_t{1} << 28;
  if (read == 0 || read >= file_size) return;
  const std::uint64_t estimate = file_size / (read / kFramesBeforeEstimate + 1) * 9 / 8 + 1024;
  trace.reserve_packets(std::min(estimate, kMaxReserve));
}

Error open_error(const std::string& path, const FileStart& start, const std::string& libpcap) {
  if (!start.readable)
    return file_error(path, "cannot open: " + libpcap, libpcap_zh("无法打开文件", libpcap));
  if (start.size == 0)
    return file_error(path, "empty file (0 bytes): not a pcap or pcapng capture",
                      "空文件（0 字节）：不是 pcap 或 pcapng 抓包文件");
  if (libpcap.find("unknown file format") != std::string::npos || start.size < 4)
    return file_error(path, "not a pcap or pcapng capture (libpcap: " + libpcap + ")",
                      "不是 pcap 或 pcapng 抓包文件（" + libpcap_zh("认不出文件格式", libpcap) + "）");
  return file_error(path, "not a readable capture: " + libpcap, libpcap_zh("无法读取这个抓包文件", libpcap));
}

// Why a BPF filter was refused, with libpcap's reason (filters are compiled by libpcap, never by us).
Error bad_filter(const std::string& path, const std::string& filter, const std::string& libpcap) {
  return file_error(path, "bad filter \"" + filter + "\": " + libpcap,
                    "过滤表达式 \"" + filter + "\" 有误，" + libpcap_zh("无法编译它", libpcap));
}

// Where libpcap stopped reading a pcap file: in the middle of a record (a cut file), or at a bogus record.
std::string libpcap_read_error_zh(const std::string& libpcap, bool truncated) {
  return libpcap_zh(truncated ? "读记录时文件提前结束" : "无法读取下一条记录", libpcap);
}

CaptureInterface interface_for(int dlt, std::uint32_t snaplen, std::string name, std::uint32_t section = 0) {
  CaptureInterface i;
  i.dlt = dlt;
  const char* dlt_name = pcap_datalink_val_to_name(dlt);
  i.link_type = dlt_name ? dlt_name : "DLT " + std::to_string(dlt);
  i.link_supported = link_supported(dlt);
  i.snaplen = snaplen;
  i.name = std::move(name);
  i.section = section;
  return i;
}

// The file-wide fields from the interfaces: the first one's link type, every distinct name.
void summarise_interfaces(CaptureFileInfo& info) {
  if (info.interfaces.empty()) {
    info.dlt = -1;
    info.link_type = "none";
    return;
  }
  info.dlt = info.interfaces.front().dlt;
  info.link_type.clear();
  std::vector<int> seen;
  for (const CaptureInterface& i : info.interfaces) {
    info.link_supported |= i.link_supported;
    info.snaplen = std::max(info.snaplen, i.snaplen);
    if (std::find(seen.begin(), seen.end(), i.dlt) != seen.end()) continue;
    seen.push_back(i.dlt);
    info.link_type += (info.link_type.empty() ? "" : " + ") + i.link_type;
  }
}

// Where reading stopped before the first record: nothing could be read, so the file is not loaded.
Result<LoadedCapture> keep_or_refuse(LoadedCapture out, std::uint64_t offset) {
  if (out.info.file_frames == 0 && !out.info.read_error.empty())
    return offset_error(out.info.path, offset, "no frame could be read: " + out.info.read_error,
                        "一帧也读不出来：" + out.info.read_error_text(Lang::Zh));
  return out;
}

// A BPF filter per interface: a pcapng file may hold several link types, and a program is compiled for
// one. A filter that compiles for no interface of the file is an error (as with libpcap's single link
// type); frames on an interface it does not compile for do not match.
class InterfaceFilters {
 public:
  explicit InterfaceFilters(std::string expression) : expression_(std::move(expression)) {}
  ~InterfaceFilters() {
    for (auto& p : programs_)
      if (p) pcap_freecode(&*p);
  }
  InterfaceFilters(const InterfaceFilters&) = delete;
  InterfaceFilters& operator=(const InterfaceFilters&) = delete;

  void add(int dlt, std::uint32_t snaplen) {
    PcapHandle dead(pcap_open_dead(dlt, static_cast<int>(snaplen)), &pcap_close);
    bpf_program program{};
    if (dead && pcap_compile(dead.get(), &program, expression_.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0) {
      programs_.emplace_back(program);
      any_compiled_ = true;
    } else {
      programs_.emplace_back();
      if (first_error_.empty())
        first_error_ =
            dead ? pcap_geterr(dead.get()) : std::string("cannot open link type ") + std::to_string(dlt);
    }
  }
  bool matches(std::uint32_t interface, const PcapngFrame& f) const {
    if (interface >= programs_.size() || !programs_[interface]) return false;
    pcap_pkthdr h{};
    h.caplen = f.caplen;
    h.len = f.len;
    return pcap_offline_filter(&*programs_[interface], &h, f.data) != 0;
  }
  std::size_t size() const { return programs_.size(); }
  // The error when the filter compiled for none of the interfaces seen.
  std::optional<std::string> unusable() const {
    if (programs_.empty() || any_compiled_) return std::nullopt;
    return first_error_;
  }

 private:
  std::string expression_;
  std::vector<std::optional<bpf_program>> programs_;
  bool any_compiled_ = false;
  std::string first_error_;
};

Result<LoadedCapture> load_pcapng(const std::string& path, const FileStart& start,
                                  const CaptureOptions& options, const FrameSink& sink) {
  PcapngReader reader(path);
  if (auto opened = reader.open(); !opened) return opened.error();
  LoadedCapture out;
  CaptureFileInfo& info = out.info;
  info.path = path;
  info.format = CaptureFormat::Pcapng;
  info.filter = options.bpf_filter;
  InterfaceFilters filters(options.bpf_filter);

  FrameDecoder decoder(out.trace, info, sink);
  if (options.general_decoder_only) decoder.use_general_decoder_only();
  std::uint32_t file_frame = 0;
  // Interfaces come as the file declares them: the new ones are taken before a frame is counted on one.
  const auto take_interfaces = [&] {
    for (std::size_t k = info.interfaces.size(); k < reader.interfaces().size(); ++k) {
      const PcapngInterface& i = reader.interfaces()[k];
      info.interfaces.push_back(interface_for(i.dlt, i.snaplen, i.name, i.section));
      if (!options.bpf_filter.empty()) filters.add(i.dlt, i.snaplen);
    }
  };
  PcapngFrame f;
  while (reader.next(f)) {
    take_interfaces();
    ++file_frame;
    ++info.file_frames;
    if (file_frame == kFramesBeforeEstimate) reserve_for_rest(out.trace, reader.position(), start.size);
    if (!options.bpf_filter.empty() && !filters.matches(f.interface, f)) continue;
    decoder.add(RawFrame{f.epoch_ns, f.caplen, f.len, f.data, file_frame, f.data_offset, f.stored_len,
                         info.interfaces[f.interface].dlt, f.interface});
  }
  take_interfaces();
  summarise_interfaces(info);
  if (auto bad = filters.unusable()) return bad_filter(path, options.bpf_filter, *bad);
  if (!reader.read_error().empty()) {
    info.read_error = reader.read_error();
    info.read_error_zh = reader.read_error_zh();
    info.truncated = reader.truncated();
    ++info.decode_error_count;
    if (info.decode_errors.size() < CaptureFileInfo::kMaxDecodeErrors)
      info.decode_errors.push_back(
          DecodeError{file_frame + 1ull, reader.error_offset(), info.read_error, info.read_error_zh});
  }
  return keep_or_refuse(std::move(out), reader.error_offset());
}

}  // namespace

Result<LoadedCapture> load_capture(const std::string& path, const CaptureOptions& options,
                                   const FrameSink& sink) {
  const FileStart start = peek(path);
  if (start.readable && std::filesystem::is_directory(path))
    return file_error(path, "is a directory, not a capture", "这是一个目录，不是抓包文件");
  // libpcap reads a pcapng file as one link type and snapshot length; ours reads any (pcapng_reader.hpp).
  if (start.readable && format_of(start.magic) == CaptureFormat::Pcapng)
    return load_pcapng(path, start, options, sink);
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  PcapHandle handle(
      pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf.data()),
      &pcap_close);
  if (!handle) return open_error(path, start, errbuf.data());
  pcap_t* p = handle.get();

  LoadedCapture out;
  CaptureFileInfo& info = out.info;
  info.path = path;
  info.format = format_of(start.magic);
  info.interfaces.push_back(
      interface_for(pcap_datalink(p), static_cast<std::uint32_t>(std::max(0, pcap_snapshot(p))), ""));
  summarise_interfaces(info);
  info.filter = options.bpf_filter;

  bpf_program program{};
  std::unique_ptr<bpf_program, decltype(&pcap_freecode)> program_owner(nullptr, &pcap_freecode);
  if (!options.bpf_filter.empty()) {
    if (pcap_compile(p, &program, options.bpf_filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
      return bad_filter(path, options.bpf_filter, pcap_geterr(p));
    program_owner.reset(&program);
  }

  FrameDecoder decoder(out.trace, info, sink);
  if (options.general_decoder_only) decoder.use_general_decoder_only();
  std::uint32_t file_frame = 0;
  // Most records straight from the mapped file; libpcap takes over at the first unusual one
  // (pcap_records.hpp says why), or reads the whole file when the fast reader cannot.
  std::uint64_t libpcap_from = 24;
  if (PcapRecords records(path, start.magic, static_cast<std::uint32_t>(std::max(0, pcap_snapshot(p))),
                          pcap_datalink(p));
      records.usable() && !options.force_libpcap) {
    PcapRecords::Record r;
    while (records.next(r)) {
      ++file_frame;
      ++info.file_frames;
      if (file_frame == kFramesBeforeEstimate)
        reserve_for_rest(out.trace, r.data_offset + r.caplen, start.size);
      if (program_owner) {
        pcap_pkthdr h{};
        h.caplen = r.caplen;
        h.len = r.len;
        if (pcap_offline_filter(&program, &h, r.data) == 0) continue;
      }
      decoder.add(RawFrame{r.epoch_ns, r.caplen, r.len, r.data, file_frame, r.data_offset, r.caplen,
                           std::nullopt, 0});
    }
    if (records.at_end()) return keep_or_refuse(std::move(out), records.position());
    libpcap_from = records.position();
    if (std::fseek(pcap_file(p), static_cast<long>(libpcap_from), SEEK_SET) != 0)
      return offset_error(path, libpcap_from, "cannot seek in the file", "无法在文件中定位到这个位置");
  }
  FrameOffsets offsets(path, start.magic, libpcap_from);
  for (;;) {
    pcap_pkthdr* hdr = nullptr;
    const std::uint8_t* data = nullptr;
    const int r = pcap_next_ex(p, &hdr, &data);
    if (r == PCAP_ERROR_BREAK) break;  // end of file
    if (r != 1) {
      // Mid-record end ("truncated dump file; tried to read 74 captured bytes, only got 30") or a bogus
      // record header: keep what was read, and say where reading stopped.
      info.read_error = pcap_geterr(p);
      info.truncated = info.read_error.find("truncated") != std::string::npos;
      info.read_error_zh = libpcap_read_error_zh(info.read_error, info.truncated);
      ++info.decode_error_count;
      if (info.decode_errors.size() < CaptureFileInfo::kMaxDecodeErrors)
        info.decode_errors.push_back(
            DecodeError{file_frame + 1ull, offsets.next_record(), info.read_error, info.read_error_zh});
      break;
    }
    ++file_frame;
    ++info.file_frames;
    FrameOffsets::Location where = offsets.next_frame();
    if (file_frame == kFramesBeforeEstimate && where.data_offset)
      reserve_for_rest(out.trace, *where.data_offset + where.stored_len.value_or(0), start.size);
    if (where.stored_len && *where.stored_len < hdr->caplen) {
      offsets.lose();
      where = {};
    }
    if (program_owner && pcap_offline_filter(&program, hdr, data) == 0) continue;
    decoder.add(RawFrame{epoch_ns(*hdr), hdr->caplen, hdr->len, data, file_frame, where.data_offset,
                         where.stored_len, std::nullopt, 0});
  }
  return keep_or_refuse(std::move(out), offsets.next_record());
}

}  // namespace wirestep
