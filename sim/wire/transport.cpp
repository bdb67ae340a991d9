#include "sim/wire/transport.hpp"

#include <algorithm>
#include <string>

#include "sim/wire/byte_error.hpp"
#include "sim/wire/checksum.hpp"

namespace wirestep::wire {
namespace {

std::string n(std::size_t v) {
  return std::to_string(v);
}

void add_pseudo_header(ChecksumAccumulator& acc, const PseudoHeader& ph) {
  acc.add(Bytes(ph.src.bytes).first(ph.src.v6 ? 16 : 4));
  acc.add(Bytes(ph.dst.bytes).first(ph.dst.v6 ? 16 : 4));
  acc.add_be32(ph.length);
  acc.add_be16(ph.protocol);
}

// Option kinds (IANA "TCP Option Kind Numbers").
constexpr std::uint8_t kOptEol = 0, kOptNop = 1, kOptMss = 2, kOptWscale = 3, kOptSackPermitted = 4,
                       kOptSack = 5, kOptTimestamps = 8;

}  // namespace

std::uint16_t transport_checksum(const PseudoHeader& ph, Bytes segment) {
  ChecksumAccumulator acc;
  add_pseudo_header(acc, ph);
  acc.add(segment);
  return acc.finish();
}

bool verify_transport_checksum(const PseudoHeader& ph, Bytes segment) {
  return transport_checksum(ph, segment) == 0;
}

Result<UdpHeader> decode_udp(Bytes segment) {
  if (segment.size() < kUdpHeaderLen)
    return byte_error(0, "UDP header truncated: " + n(segment.size()) + " of 8 bytes",
                      "UDP 头部被截断：只有 " + n(segment.size()) + " 字节，应有 8 字节");
  UdpHeader h;
  h.src_port = load_be16(&segment[0]);
  h.dst_port = load_be16(&segment[2]);
  h.length = load_be16(&segment[4]);
  h.checksum = load_be16(&segment[6]);
  if (h.length < kUdpHeaderLen)
    return byte_error(4, "UDP length " + n(h.length) + " is below 8", "UDP 长度 " + n(h.length) + " 小于 8");
  return h;
}

void encode_udp(const PseudoHeader& ph, std::uint16_t src_port, std::uint16_t dst_port, Bytes payload,
                std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  ByteWriter w(out);
  const auto length = static_cast<std::uint16_t>(kUdpHeaderLen + payload.size());
  w.be16(src_port);
  w.be16(dst_port);
  w.be16(length);
  w.be16(0);
  w.bytes(payload);
  PseudoHeader p = ph;
  p.length = length;
  std::uint16_t sum = transport_checksum(p, Bytes(out).subspan(start));
  if (sum == 0) sum = 0xFFFF;  // RFC 768: a computed zero is sent as all ones (zero means "no checksum")
  w.patch_be16(start + 6, sum);
}

std::string tcp_flags_to_string(std::uint8_t flags) {
  static constexpr struct {
    std::uint8_t bit;
    const char* name;
  } kNames[] = {{tcp_flag::kSyn, "SYN"}, {tcp_flag::kFin, "FIN"}, {tcp_flag::kRst, "RST"},
                {tcp_flag::kPsh, "PSH"}, {tcp_flag::kAck, "ACK"}, {tcp_flag::kUrg, "URG"},
                {tcp_flag::kEce, "ECE"}, {tcp_flag::kCwr, "CWR"}};
  std::string out;
  for (const auto& n : kNames) {
    if (!(flags & n.bit)) continue;
    if (!out.empty()) out += ',';
    out += n.name;
  }
  return out;
}

Result<TcpHeader> decode_tcp(Bytes segment) {
  if (segment.size() < kTcpMinHeaderLen)
    return byte_error(0, "TCP header truncated: " + n(segment.size()) + " of 20 bytes",
                      "TCP 头部被截断：只有 " + n(segment.size()) + " 字节，应有 20 字节");
  TcpHeader h;
  h.src_port = load_be16(&segment[0]);
  h.dst_port = load_be16(&segment[2]);
  h.seq = load_be32(&segment[4]);
  h.ack = load_be32(&segment[8]);
  h.header_len = static_cast<std::uint8_t>((segment[12] >> 4) * 4);
  h.flags = segment[13];
  h.window = load_be16(&segment[14]);
  h.checksum = load_be16(&segment[16]);
  h.urgent = load_be16(&segment[18]);
  if (h.header_len < kTcpMinHeaderLen)
    return byte_error(12, "TCP data offset " + n(h.header_len) + " bytes is below the minimum of 20",
                      "TCP 数据偏移 " + n(h.header_len) + " 字节，小于最小值 20");
  if (segment.size() < h.header_len)
    return byte_error(
        12, "TCP header truncated: " + n(segment.size()) + " of " + n(h.header_len) + " bytes",
        "TCP 头部被截断：只有 " + n(segment.size()) + " 字节，应有 " + n(h.header_len) + " 字节");
  // Options: every kind/length is checked against the header end; a bad one stops parsing (RFC 9293 §3.2
  // says unknown options must be skipped by their length, so only a length that does not fit is fatal).
  std::size_t pos = kTcpMinHeaderLen;
  const std::size_t end = h.header_len;
  while (pos < end) {
    const std::uint8_t kind = segment[pos];
    if (kind == kOptEol) break;
    if (kind == kOptNop) {
      ++pos;
      continue;
    }
    if (pos + 2 > end) {
      h.options_malformed = true;
      break;
    }
    const std::uint8_t len = segment[pos + 1];
    if (len < 2 || pos + len > end) {
      h.options_malformed = true;
      break;
    }
    const std::uint8_t* v = segment.data() + pos + 2;  // may equal end() for a 2-byte option: not indexed
    switch (kind) {
      case kOptMss:
        if (len == 4)
          h.options.mss = load_be16(v);
        else
          h.options_malformed = true;
        break;
      case kOptWscale:
        if (len == 3)
          h.options.window_scale = v[0];
        else
          h.options_malformed = true;
        break;
      case kOptSackPermitted:
        if (len == 2)
          h.options.sack_permitted = true;
        else
          h.options_malformed = true;
        break;
      case kOptTimestamps:
        if (len == 10)
          h.options.timestamps = TcpTimestamps{load_be32(v), load_be32(v + 4)};
        else
          h.options_malformed = true;
        break;
      case kOptSack:
        if ((len - 2) % 8 != 0) {
          h.options_malformed = true;
          break;
        }
        for (std::size_t i = 0; i < static_cast<std::size_t>(len - 2) / 8 && h.options.sack_count < 4; ++i) {
          h.options.sack[h.options.sack_count++] = SackBlock{load_be32(v + 8 * i), load_be32(v + 8 * i + 4)};
        }
        break;
      default:
        break;  // unknown option skipped by its length
    }
    pos += len;
  }
  return h;
}

std::size_t tcp_options_length(const TcpOptions& o) {
  // Linux's 4-byte-aligned layout (tcp_options_write): MSS 4; timestamps 12 (sharing them with
  // SACK-permitted when both are present, else NOP NOP before them); SACK-permitted alone 4; NOP + window
  // scale 4; NOP NOP + SACK 4 + 8 per block. Keeping the total within 40 bytes is the caller's job.
  std::size_t n = 0;
  if (o.mss) n += 4;
  if (o.timestamps)
    n += 12;
  else if (o.sack_permitted)
    n += 4;
  if (o.window_scale) n += 4;
  if (o.sack_count) n += 4 + 8 * std::size_t{std::min<std::uint8_t>(o.sack_count, 4)};
  return n;
}

void encode_tcp(const PseudoHeader& ph, const TcpHeader& h, Bytes payload, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  const std::size_t opt_len = tcp_options_length(h.options);
  ByteWriter w(out);
  w.be16(h.src_port);
  w.be16(h.dst_port);
  w.be32(h.seq);
  w.be32(h.ack);
  w.u8(static_cast<std::uint8_t>(((kTcpMinHeaderLen + opt_len) / 4) << 4));
  w.u8(h.flags);
  w.be16(h.window);
  w.be16(0);
  w.be16(h.urgent);
  const std::size_t opt_start = out.size();
  const TcpOptions& o = h.options;
  // Linux's order and padding: SYN "mss, sackOK, TS, nop, wscale", later segments "nop, nop, TS" and
  // "nop, nop, SACK". Options with neither timestamps nor SACK keep the layout wirestep always wrote
  // ("mss, wscale, nop"), so outputs without them stay byte-identical; same length either way.
  const bool linux_layout = o.timestamps || o.sack_permitted || o.sack_count;
  if (o.mss) {
    w.u8(kOptMss);
    w.u8(4);
    w.be16(*o.mss);
  }
  if (o.timestamps) {
    if (o.sack_permitted) {
      w.u8(kOptSackPermitted);
      w.u8(2);
    } else {
      w.u8(kOptNop);
      w.u8(kOptNop);
    }
    w.u8(kOptTimestamps);
    w.u8(10);
    w.be32(o.timestamps->value);
    w.be32(o.timestamps->echo_reply);
  } else if (o.sack_permitted) {
    w.u8(kOptNop);
    w.u8(kOptNop);
    w.u8(kOptSackPermitted);
    w.u8(2);
  }
  if (o.window_scale) {
    if (linux_layout) w.u8(kOptNop);
    w.u8(kOptWscale);
    w.u8(3);
    w.u8(*o.window_scale);
  }
  if (const std::size_t blocks = std::min<std::uint8_t>(o.sack_count, 4)) {
    w.u8(kOptNop);
    w.u8(kOptNop);
    w.u8(kOptSack);
    w.u8(static_cast<std::uint8_t>(2 + 8 * blocks));
    for (std::size_t i = 0; i < blocks; ++i) {
      w.be32(o.sack[i].left);
      w.be32(o.sack[i].right);
    }
  }
  while (out.size() - opt_start < opt_len) w.u8(kOptNop);  // pad with NOPs to a 4-byte boundary
  w.bytes(payload);
  PseudoHeader p = ph;
  p.length = static_cast<std::uint32_t>(out.size() - start);
  w.patch_be16(start + 16, transport_checksum(p, Bytes(out).subspan(start)));
}

}  // namespace wirestep::wire
