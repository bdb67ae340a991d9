#include "capture/twin_repair.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

constexpr std::int64_t kAckDrivenNs = 2'000'000;  // below Linux's shortest probe timeout (TCP_TIMEOUT_MIN)
constexpr std::int64_t kMinRtoNs = 200'000'000;   // RFC 6298 §2.4 as Linux sets it (TCP_RTO_MIN)

// Sequence order on relative numbers, with wrap-around (RFC 9293 §3.4).
bool before(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(a - b) < 0;
}

enum class Phase { Open, Recovery, Loss };

// One data sender, as the capture shows it.
struct SenderView {
  std::uint32_t highest = 0;  // end of the highest data sent
  bool sent_any = false;
  std::uint32_t una = 0;  // the peer's highest cumulative ACK
  bool una_known = false;
  std::int64_t last_ack_ns = -1;
  bool sack_offered = false;  // its SYN carried SACK-permitted (RFC 2018 §2)
  bool sack_seen = false;     // the peer sent SACK blocks
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sacked;  // [left, right), merged, above una
  Phase phase = Phase::Open;
  std::uint32_t recovery_point = 0;
  bool probe_sent = false;  // a tail loss probe since the ACK last advanced
  // How long after a packet of the peer the capture sees this sender's immediate answer: measured on the
  // handshake (the SYN,ACK after the SYN, or the ACK after the SYN,ACK). Near 0 at the sender, half the
  // round trip in the middle of the path (the twin bridge), the ACK's one-way delay in a simulated export.
  std::int64_t lag_ns = 0;
  std::optional<std::int64_t> peer_syn_ns;
  bool lag_known = false;

  void on_ack(const TwinSegment& s) {
    using namespace wire::tcp_flag;
    if (!(s.flags & kAck) || !s.ack_relative || !sent_any) return;
    if (!una_known || before(una, s.ack)) {
      una = s.ack;
      una_known = true;
      probe_sent = false;
      std::erase_if(sacked, [&](const auto& b) { return !before(una, b.second); });
      if (phase != Phase::Open && !before(una, recovery_point)) phase = Phase::Open;
    }
    for (const auto& b : s.sack_blocks) {
      if (!before(b.first, b.second) || !before(una, b.second)) continue;
      sack_seen = true;
      add_sacked(b);
    }
    last_ack_ns = s.time_ns;
  }

  void add_sacked(std::pair<std::uint32_t, std::uint32_t> b) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> merged;
    for (const auto& r : sacked) {
      if (before(r.second, b.first) || before(b.second, r.first)) {
        merged.push_back(r);
      } else {
        b = {before(r.first, b.first) ? r.first : b.first, before(b.second, r.second) ? r.second : b.second};
      }
    }
    merged.push_back(b);
    std::sort(merged.begin(), merged.end(),
              [](const auto& x, const auto& y) { return before(x.first, y.first); });
    sacked = std::move(merged);
  }

  bool sacked_above(std::uint32_t seq) const {
    return std::any_of(sacked.begin(), sacked.end(), [&](const auto& r) { return before(seq, r.second); });
  }

  RepairKind on_data(const TwinSegment& s, bool sack) {
    const std::uint32_t end = s.seq + s.len;
    RepairKind kind = RepairKind::None;
    if (sent_any && before(s.seq, highest)) kind = classify(s, end, sack || sack_seen);
    if (!sent_any || before(highest, end)) highest = end;
    sent_any = true;
    return kind;
  }

  RepairKind classify(const TwinSegment& s, std::uint32_t end, bool sack) {
    const std::int64_t since_ack = last_ack_ns < 0 ? lag_ns + kMinRtoNs : s.time_ns - last_ack_ns;
    auto start_recovery = [&](Phase p) {
      phase = p;
      recovery_point = highest;
    };
    if (since_ack < lag_ns + kAckDrivenNs) {
      if (phase == Phase::Loss) return RepairKind::Rto;
      if (phase == Phase::Open) start_recovery(Phase::Recovery);
      return sack ? RepairKind::Rack : RepairKind::Fast;
    }
    if (sacked_above(s.seq) && since_ack < lag_ns + kMinRtoNs && phase != Phase::Loss) {
      if (phase == Phase::Open) start_recovery(Phase::Recovery);
      return RepairKind::Rack;  // RFC 8985 §6.3: the reorder timer
    }
    if (phase == Phase::Open && !probe_sent && end == highest) {
      probe_sent = true;
      return RepairKind::Tlp;
    }
    start_recovery(Phase::Loss);
    return RepairKind::Rto;
  }
};

}  // namespace

void classify_repairs(std::vector<TwinSegment>& segments) {
  using namespace wire::tcp_flag;
  std::map<std::pair<std::string, std::string>, SenderView> senders;  // keyed by (sender, receiver)
  for (auto& s : segments) {
    s.repair = RepairKind::None;
    SenderView& me = senders[{s.from, s.to}];
    SenderView& peer = senders[{s.to, s.from}];
    if (!me.lag_known && me.peer_syn_ns) {  // the first answer to the peer's SYN or SYN,ACK
      me.lag_ns = std::max<std::int64_t>(0, s.time_ns - *me.peer_syn_ns);
      me.lag_known = true;
    }
    if (s.flags & kSyn) {
      if (!peer.lag_known) peer.peer_syn_ns = s.time_ns;
      if (std::find(s.option_kinds.begin(), s.option_kinds.end(), 4) != s.option_kinds.end())
        me.sack_offered = true;
    }
    peer.on_ack(s);  // an ACK from s.from speaks of the data s.to sends
    if (s.len > 0) s.repair = me.on_data(s, me.sack_offered && peer.sack_offered);
  }
}

std::string repair_kind_name(RepairKind k, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (k) {
    case RepairKind::None:
      return zh ? "不是重传" : "not a retransmission";
    case RepairKind::Fast:
      return zh ? "快速重传" : "fast retransmission";
    case RepairKind::Rack:
      return zh ? "RACK 判定丢失后重传" : "RACK retransmission";
    case RepairKind::Tlp:
      return zh ? "尾部丢失探测" : "tail loss probe";
    case RepairKind::Rto:
      return zh ? "超时重传" : "retransmission timeout";
  }
  return "?";
}

std::string repair_kind_tag(RepairKind k, Lang lang) {
  switch (k) {
    case RepairKind::None:
      return "";
    case RepairKind::Fast:
      return lang == Lang::Zh ? "快速" : "fast";
    case RepairKind::Rack:
      return "RACK";
    case RepairKind::Tlp:
      return "TLP";
    case RepairKind::Rto:
      return "RTO";
  }
  return "?";
}

}  // namespace wirestep
