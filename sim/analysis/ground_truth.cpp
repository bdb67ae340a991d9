#include "sim/analysis/ground_truth.hpp"

#include <algorithm>

#include "sim/analysis/tcp_explain.hpp"
#include "sim/trace/hop_copy.hpp"

namespace wirestep {

std::optional<TcpFlag> flag_for_cause(Cause c) {
  switch (c) {
    case Cause::RtoRetransmission:
    case Cause::RecoveryRetransmission:
    case Cause::RackRetransmission:  // no three duplicate ACKs before it: to Wireshark a retransmission
    case Cause::TailLossProbe:
    case Cause::RepeatedSynAnswer:  // the same SYN,ACK again: to Wireshark, a retransmission
      return TcpFlag::Retransmission;
    case Cause::FastRetransmission:
      return TcpFlag::FastRetransmission;
    case Cause::DuplicateAck:
      return TcpFlag::DuplicateAck;
    case Cause::WindowUpdate:
      return TcpFlag::WindowUpdate;
    case Cause::ZeroWindowProbe:
      return TcpFlag::ZeroWindowProbe;
    case Cause::KeepAlive:
      return TcpFlag::KeepAlive;
    case Cause::Reset:
      return TcpFlag::Reset;
    case Cause::Datagram:
    case Cause::FirstTransmission:
    case Cause::PureAck:
    case Cause::LinkDuplicate:
    case Cause::Captured:
      return std::nullopt;
  }
  return std::nullopt;
}

bool is_cause_flag(TcpFlag f) {
  switch (f) {
    case TcpFlag::Retransmission:
    case TcpFlag::FastRetransmission:
    case TcpFlag::SpuriousRetransmission:
    case TcpFlag::DuplicateAck:
    case TcpFlag::OutOfOrder:
    case TcpFlag::LostSegment:
    case TcpFlag::AckLostSegment:
    case TcpFlag::ZeroWindowProbe:
    case TcpFlag::WindowUpdate:
    case TcpFlag::KeepAlive:
    case TcpFlag::Reset:
      return true;
    case TcpFlag::ZeroWindow:
    case TcpFlag::ZeroWindowProbeAck:
    case TcpFlag::WindowFull:
    case TcpFlag::KeepAliveAck:
      return false;
  }
  return false;
}

namespace {

FlagMask cause_flags(FlagMask m) {
  FlagMask out = 0;
  for (std::size_t f = 0; f < kTcpFlagCount; ++f)
    if ((m & flag_bit(static_cast<TcpFlag>(f))) && is_cause_flag(static_cast<TcpFlag>(f)))
      out |= flag_bit(static_cast<TcpFlag>(f));
  return out;
}

FlagMask expected_mask(Cause c) {
  const auto f = flag_for_cause(c);
  return f ? flag_bit(*f) : FlagMask{0};
}

}  // namespace

void TraceAnalysis::build(const Trace& trace, bool ground_truth) {
  analyzer_ = analyze_trace(trace);
  ground_truth_ = ground_truth;
  built_ = true;
  packets_ = trace.packet_count();
  disagreements_.clear();
  simulator_counts_.fill(0);
  analyzer_counts_.fill(0);
  for (const FlaggedPacket& f : analyzer_.flagged()) ++analyzer_counts_[static_cast<std::size_t>(f.flag)];
  if (!ground_truth) return;
  for (std::uint32_t i = 0; i < trace.packet_count(); ++i) {
    if (is_hop_copy(trace, i)) continue;  // analysed as its first hop's row (analyze_trace)
    const Cause cause = trace.packet(i).cause;
    if (const auto f = flag_for_cause(cause)) ++simulator_counts_[static_cast<std::size_t>(*f)];
    const FlagMask seen = cause_flags(mask_of(i));
    if (seen != expected_mask(cause)) disagreements_.push_back({i, flag_for_cause(cause), seen});
  }
}

std::span<const FlaggedPacket> TraceAnalysis::flags_of(std::uint32_t packet) const {
  const auto& all = analyzer_.flagged();
  const auto lo = std::lower_bound(all.begin(), all.end(), packet,
                                   [](const FlaggedPacket& f, std::uint32_t p) { return f.packet < p; });
  const auto hi = std::upper_bound(lo, all.end(), packet,
                                   [](std::uint32_t p, const FlaggedPacket& f) { return p < f.packet; });
  return {lo, hi};
}

FlagMask TraceAnalysis::mask_of(std::uint32_t packet) const {
  FlagMask m = 0;
  for (const FlaggedPacket& f : flags_of(packet)) m |= flag_bit(f.flag);
  return m;
}

bool TraceAnalysis::agrees(const Trace& trace, std::uint32_t packet) const {
  if (!ground_truth_ || packet >= trace.packet_count()) return true;
  return cause_flags(mask_of(packet)) == expected_mask(trace.packet(packet).cause);
}

std::string TraceAnalysis::explain(const Trace& trace, const FlaggedPacket& flag, Lang lang,
                                   std::span<const std::uint32_t> source_packets) const {
  const auto& conversations = analyzer_.conversations();
  if (flag.conversation >= conversations.size()) return std::string(wireshark_name(flag.flag));
  return wirestep::explain(
      flag, conversations[flag.conversation], trace,
      [source_packets](std::uint32_t packet) {
        return (packet < source_packets.size() ? source_packets[packet] : packet) + 1;
      },
      lang);
}

std::string TraceAnalysis::explain_packet(const Trace& trace, std::uint32_t packet, Lang lang,
                                          std::span<const std::uint32_t> source_packets) const {
  std::string out;
  for (const FlaggedPacket& f : flags_of(packet)) {
    if (!out.empty()) out += '\n';
    out += explain(trace, f, lang, source_packets);
  }
  if (!agrees(trace, packet) && cause_flags(mask_of(packet)) == 0) {
    if (!out.empty()) out += '\n';
    const std::string expected(wireshark_name(*flag_for_cause(trace.packet(packet).cause)));
    out +=
        lang == Lang::Zh
            ? "没有重传、重复 ACK 或窗口标志：按 Wireshark 的规则，没有任何标志把这个报文段标为 " + expected
            : "no retransmission, duplicate-ACK or window flag: by Wireshark's rules nothing "
              "marks this segment as " +
                  expected;
  }
  return out;
}

std::string flag_names(FlagMask mask) {
  std::string out;
  for (std::size_t f = 0; f < kTcpFlagCount; ++f) {
    if (!(mask & flag_bit(static_cast<TcpFlag>(f)))) continue;
    if (!out.empty()) out += ", ";
    out += wireshark_name(static_cast<TcpFlag>(f));
  }
  return out.empty() ? "none" : out;
}

}  // namespace wirestep
