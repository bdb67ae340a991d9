#include "sim/net/link.hpp"

#include <algorithm>

namespace wirestep {

LinkDirection::LinkDirection(std::string name, LinkParams params, std::uint64_t seed, Trace& trace)
    : name_(std::move(name)),
      params_(std::move(params)),
      jitter_rng_(Rng::stream(seed, "link " + name_ + " jitter")) {
  for (std::size_t i = 0; i < params_.impairments.size(); ++i) {
    Impairment& imp = params_.impairments[i];
    if (imp.description.empty()) imp.description = describe(imp.kind);
    RuleState st;
    st.trace_rule =
        trace.add_drop_rule("link " + name_ + " rule " + std::to_string(i + 1) + ": " + imp.description);
    st.rng = Rng::stream(seed, "link " + name_ + " rule " + std::to_string(i + 1));
    rules_.push_back(st);
  }
  if (params_.queue_packets > 0)
    queue_rule_ = trace.add_drop_rule("link " + name_ + " queue full (" +
                                      std::to_string(params_.queue_packets) + " packets, drop-tail)");
}

namespace {

// Whether a scripted rule picks this packet; counts the packets that match its kind, protocol and window.
template <typename Scripted>
bool scripted_picks(const Scripted& s, std::uint64_t& matches, SimTime now, const PacketTraits& pkt) {
  if (s.proto != Transport::Other && s.proto != pkt.proto) return false;
  if (!packet_is_kind(s.kind, pkt.proto, pkt.tcp_flags, pkt.payload_len)) return false;
  if (s.from && now < *s.from) return false;
  if (s.until && now >= *s.until) return false;
  const std::uint64_t n = ++matches;
  if (s.nth.empty()) return true;
  return std::find(s.nth.begin(), s.nth.end(), n) != s.nth.end();
}

}  // namespace

bool LinkDirection::rule_drops(const Impairment& imp, RuleState& st, SimTime now, const PacketTraits& pkt) {
  if (const auto* b = std::get_if<BernoulliLoss>(&imp.kind)) return st.rng.chance(b->loss);
  if (const auto* g = std::get_if<GilbertElliottLoss>(&imp.kind)) {
    // Transition first, then draw loss in the new state: a burst starts on the packet that enters "bad".
    st.bad_state = st.bad_state ? !st.rng.chance(g->r) : st.rng.chance(g->p);
    return st.rng.chance(st.bad_state ? g->loss_bad : g->loss_good);
  }
  if (const auto* s = std::get_if<ScriptedDrop>(&imp.kind)) return scripted_picks(*s, st.matches, now, pkt);
  return false;
}

LinkVerdict LinkDirection::transmit(SimTime now, const PacketTraits& pkt) {
  LinkVerdict v;
  // Drop-tail: packets whose serialization has finished have left the queue.
  while (departures_head_ < departures_.size() && departures_[departures_head_] <= now) ++departures_head_;
  if (departures_head_ == departures_.size()) {
    departures_.clear();
    departures_head_ = 0;
  } else if (departures_head_ >= 1024 && departures_head_ * 2 >= departures_.size()) {
    departures_.erase(departures_.begin(),
                      departures_.begin() + static_cast<std::ptrdiff_t>(departures_head_));
    departures_head_ = 0;
  }
  if (params_.queue_packets > 0 && departures_.size() - departures_head_ >= params_.queue_packets) {
    v.fate = Fate::DroppedByQueue;
    v.rule = queue_rule_;
    v.arrive = now;
    return v;
  }
  const SimTime start = std::max(now, busy_until_);
  SimDuration serialization{};
  if (params_.bandwidth_bps > 0) {
    if (pkt.wire_bytes != last_wire_bytes_ || last_serialization_.ns == 0) {
      last_wire_bytes_ = pkt.wire_bytes;
      last_serialization_ = SimDuration{static_cast<std::int64_t>(
          (std::uint64_t{pkt.wire_bytes} * 8 * 1'000'000'000ULL + params_.bandwidth_bps - 1) /
          params_.bandwidth_bps)};
    }
    serialization = last_serialization_;
  }
  const SimTime departed = start + serialization;
  busy_until_ = departed;
  departures_.push_back(departed);

  SimDuration flight = params_.latency;
  if (params_.jitter.ns > 0) flight += SimDuration{jitter_rng_.between(0, params_.jitter.ns)};
  // Jitter alone never reorders (a FIFO link): arrive no earlier than the previous in-order packet.
  SimTime arrive = std::max(departed + flight, last_arrive_);

  for (std::size_t i = 0; i < rules_.size(); ++i) {
    const Impairment& imp = params_.impairments[i];
    RuleState& st = rules_[i];
    if (std::holds_alternative<BernoulliLoss>(imp.kind) ||
        std::holds_alternative<GilbertElliottLoss>(imp.kind) ||
        std::holds_alternative<ScriptedDrop>(imp.kind)) {
      if (v.fate == Fate::Delivered && rule_drops(imp, st, now, pkt)) {
        v.fate = Fate::DroppedByLink;
        v.rule = st.trace_rule;
      }
    } else if (const auto* d = std::get_if<Duplicate>(&imp.kind)) {
      if (st.rng.chance(d->chance)) v.duplicate = true;
    } else if (const auto* r = std::get_if<Reorder>(&imp.kind)) {
      if (st.rng.chance(r->chance)) {
        v.marks |= mark::kReordered;
        arrive = arrive + r->extra_delay;
      }
    } else if (const auto* c = std::get_if<Corrupt>(&imp.kind)) {
      if (st.rng.chance(c->chance)) {
        v.marks |= mark::kCorrupted;
        v.corrupt_rule = st.trace_rule;
      }
    } else if (const auto* sd = std::get_if<ScriptedDelay>(&imp.kind)) {
      // Scripted rules see only packets still on their way, like a scripted drop after a loss rule.
      if (v.fate == Fate::Delivered && scripted_picks(*sd, st.matches, now, pkt)) {
        v.marks |= mark::kReordered;
        arrive = arrive + sd->delay;
      }
    } else if (const auto* sc = std::get_if<ScriptedDuplicate>(&imp.kind)) {
      if (v.fate == Fate::Delivered && scripted_picks(*sc, st.matches, now, pkt)) v.duplicate = true;
    } else if (const auto* scc = std::get_if<ScriptedCorrupt>(&imp.kind)) {
      if (v.fate == Fate::Delivered && scripted_picks(*scc, st.matches, now, pkt)) {
        v.marks |= mark::kCorrupted;
        v.corrupt_rule = st.trace_rule;
      }
    }
  }
  if (v.fate == Fate::DroppedByLink) {
    // Shown where the link lost it: half-way along the wire.
    v.arrive = departed + SimDuration{params_.latency.ns / 2};
    v.duplicate = false;
    v.marks = 0;
    return v;
  }
  v.arrive = arrive;
  if (!(v.marks & mark::kReordered)) last_arrive_ = arrive;
  // The copy follows one serialization time behind (at least 1 µs), as a duplicating switch would send it.
  v.duplicate_arrive = arrive + SimDuration{std::max<std::int64_t>(serialization.ns, 1000)};
  return v;
}

}  // namespace wirestep
