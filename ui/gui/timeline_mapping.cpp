#include "ui/gui/timeline_mapping.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "sim/analysis/step_order.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep::gui {

namespace {

// Outside the rows, one row per average gap, so scrolling past either end stays smooth.
double average_gap(std::span<const std::int64_t> rows) {
  const std::size_t n = rows.size();
  return n > 1 ? std::max(1.0, static_cast<double>(rows.back() - rows.front()) / static_cast<double>(n - 1))
               : 1.0e6;
}

}  // namespace

void SequenceRows::clear() {
  times_.clear();
  send_rows_.clear();
  event_rows_.clear();
}

std::span<const std::uint32_t> SequenceRows::send_rows(std::size_t trace) const {
  return trace < send_rows_.size() ? std::span<const std::uint32_t>(send_rows_[trace])
                                   : std::span<const std::uint32_t>();
}

std::span<const std::uint32_t> SequenceRows::event_rows(std::size_t trace) const {
  return trace < event_rows_.size() ? std::span<const std::uint32_t>(event_rows_[trace])
                                    : std::span<const std::uint32_t>();
}

void SequenceRows::add_trace(const Trace& trace) {
  const std::size_t packets = trace.packet_count(), events = trace.event_count();
  std::vector<std::int64_t> local;
  std::vector<std::uint32_t> send(packets, kNoRow), event(events, kNoRow);
  // Instants where a packet arrives or is lost (in flight at the end or captured: nothing arrives).
  std::vector<std::int64_t> arrivals;
  for (std::size_t i = 0; i < packets; ++i)
    if (const Fate f = trace.fate(i); f != Fate::InFlight && f != Fate::Captured)
      arrivals.push_back(trace.arrive(i).ns);
  std::sort(arrivals.begin(), arrivals.end());
  const auto sends = trace.packet_times_ns();
  std::size_t i = 0, e = 0, a = 0;
  auto skip_quiet_events = [&] {
    while (e < events && !is_step_event(trace.event_kind(e))) ++e;
  };
  constexpr std::int64_t kNever = INT64_MAX;
  std::int64_t last = INT64_MIN;
  while (true) {
    skip_quiet_events();
    std::int64_t t = std::min({i < packets ? sends[i] : kNever, e < events ? trace.event_time(e).ns : kNever,
                               a < arrivals.size() ? arrivals[a] : kNever});
    if (t == kNever) break;
    t = std::max(t, last);  // rows stay sorted even if a hand-made Trace's events are not
    last = t;
    // The steps of this instant in the order they happened (StepOrder's key): an event recorded after
    // packet i-1 and before packet i (packets_before == i) comes before packet i's send.
    bool any = false;
    while (true) {
      skip_quiet_events();
      const bool event_here = e < events && trace.event_time(e).ns <= t;
      const bool send_here = i < packets && sends[i] <= t;
      if (!event_here && !send_here) break;
      if (event_here && (!send_here || trace.event_packets_before(e) <= i)) {
        event[e++] = static_cast<std::uint32_t>(local.size());
      } else {
        send[i++] = static_cast<std::uint32_t>(local.size());
      }
      local.push_back(t);
      any = true;
    }
    if (!any) local.push_back(t);  // packets only arrive (or are lost) now: one row for the instant
    while (a < arrivals.size() && arrivals[a] <= t) ++a;
  }
  if (times_.empty()) {
    times_ = std::move(local);
  } else {
    // A comparison: merge by instant, the earlier trace's rows of an instant first, and renumber.
    std::vector<std::int64_t> merged;
    merged.reserve(times_.size() + local.size());
    std::vector<std::uint32_t> old_to(times_.size()), new_to(local.size());
    std::size_t x = 0, y = 0;
    while (x < times_.size() || y < local.size()) {
      if (y == local.size() || (x < times_.size() && times_[x] <= local[y])) {
        old_to[x] = static_cast<std::uint32_t>(merged.size());
        merged.push_back(times_[x++]);
      } else {
        new_to[y] = static_cast<std::uint32_t>(merged.size());
        merged.push_back(local[y++]);
      }
    }
    auto renumber = [](std::vector<std::uint32_t>& rows, const std::vector<std::uint32_t>& to) {
      for (std::uint32_t& r : rows)
        if (r != kNoRow) r = to[r];
    };
    for (auto& r : send_rows_) renumber(r, old_to);
    for (auto& r : event_rows_) renumber(r, old_to);
    renumber(send, new_to);
    renumber(event, new_to);
    times_ = std::move(merged);
  }
  send_rows_.push_back(std::move(send));
  event_rows_.push_back(std::move(event));
}

double TimeMapping::row_of(std::int64_t t_ns) const {
  const std::size_t n = rows.size();
  const double gap = average_gap(rows);
  if (t_ns < rows.front()) return static_cast<double>(t_ns - rows.front()) / gap;
  if (t_ns > rows.back()) return static_cast<double>(n - 1) + static_cast<double>(t_ns - rows.back()) / gap;
  // An instant maps to its first row; between instants, from the earlier one's last row to the next's first.
  const auto k = static_cast<std::size_t>(std::lower_bound(rows.begin(), rows.end(), t_ns) - rows.begin());
  if (rows[k] == t_ns) return static_cast<double>(k);
  return static_cast<double>(k - 1) +
         static_cast<double>(t_ns - rows[k - 1]) / static_cast<double>(rows[k] - rows[k - 1]);
}

std::int64_t TimeMapping::time_of_row(double row) const {
  const std::size_t n = rows.size();
  const double gap = average_gap(rows);
  const double last = static_cast<double>(n - 1);
  if (row <= 0) return rows.front() + static_cast<std::int64_t>(std::llround(row * gap));
  if (row >= last) return rows.back() + static_cast<std::int64_t>(std::llround((row - last) * gap));
  const auto k = static_cast<std::size_t>(row);
  const double f = row - static_cast<double>(k);
  // Between two rows of one instant the difference is 0: the instant itself.
  return rows[k] + static_cast<std::int64_t>(std::llround(f * static_cast<double>(rows[k + 1] - rows[k])));
}

std::pair<std::int64_t, double> TimeMapping::top_of_row(double row) const {
  const std::int64_t t = time_of_row(row);
  return {t, std::max(0.0, row - row_of(t))};
}

std::int64_t TimeMapping::fold_ns(float px) const {
  if (sequence()) return 0;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(px * ns_per_px));
}

float TimeMapping::row_y(double row) const {
  const double px = (row - row0) * static_cast<double>(row_px);
  return top + static_cast<float>(std::clamp(px, -1.0e6, 1.0e6));
}

float TimeMapping::y(std::int64_t t_ns) const {
  if (sequence()) return row_y(row_of(t_ns));
  // Far off-screen points are clamped so float precision and the draw list's clipping stay sane.
  const double px = (static_cast<double>(t_ns) - static_cast<double>(t0_ns)) / ns_per_px;
  return top + static_cast<float>(std::clamp(px, -1.0e6, 1.0e6));
}

float TimeMapping::send_y(std::uint32_t packet, std::int64_t t_ns) const {
  if (sequence() && packet < send_rows.size() && send_rows[packet] != SequenceRows::kNoRow)
    return row_y(send_rows[packet]);
  return y(t_ns);
}

float TimeMapping::event_y(std::uint32_t event, std::int64_t t_ns) const {
  if (sequence() && event < event_rows.size() && event_rows[event] != SequenceRows::kNoRow)
    return row_y(event_rows[event]);
  return y(t_ns);
}

std::int64_t TimeMapping::time_at(float y_px) const {
  if (sequence()) return time_of_row(row0 + static_cast<double>(y_px - top) / static_cast<double>(row_px));
  return t0_ns + static_cast<std::int64_t>(std::llround(static_cast<double>(y_px - top) * ns_per_px));
}

TimeMapping make_mapping(std::int64_t begin_ns, std::int64_t end_ns, float top, float height) {
  TimeMapping m;
  m.t0_ns = begin_ns;
  m.top = top;
  m.height = std::max(height, 1.0f);
  const std::int64_t span = std::max<std::int64_t>(end_ns - begin_ns, 1000);
  m.ns_per_px = static_cast<double>(span) / static_cast<double>(m.height);
  return m;
}

TimeMapping make_sequence_mapping(std::span<const std::int64_t> rows, std::int64_t begin_ns, float top,
                                  float height, float row_px, double skip_rows) {
  if (rows.empty()) return make_mapping(begin_ns, begin_ns + 1'000'000, top, height);
  TimeMapping m;
  m.top = top;
  m.height = std::max(height, 1.0f);
  m.rows = rows;
  m.row_px = std::max(row_px, 1.0f);
  m.row0 = m.row_of(begin_ns) + std::max(0.0, skip_rows);
  m.t0_ns = m.time_of_row(m.row0);
  const std::int64_t span = std::max<std::int64_t>(m.end_ns() - m.t0_ns, 1);
  m.ns_per_px = static_cast<double>(span) / static_cast<double>(m.height);
  return m;
}

void zoom_range(std::int64_t& begin_ns, std::int64_t& end_ns, std::int64_t anchor_ns, double factor) {
  const double span = static_cast<double>(end_ns - begin_ns);
  const double new_span = std::max(span * factor, 1000.0);
  const double frac = span > 0 ? static_cast<double>(anchor_ns - begin_ns) / span : 0.5;
  begin_ns = anchor_ns - static_cast<std::int64_t>(std::llround(frac * new_span));
  end_ns = begin_ns + static_cast<std::int64_t>(std::llround(new_span));
}

IndexRange visible_packets(std::span<const std::int64_t> sorted_send_ns, std::int64_t begin_ns,
                           std::int64_t end_ns, std::int64_t max_flight_ns) {
  const auto lo = std::lower_bound(sorted_send_ns.begin(), sorted_send_ns.end(), begin_ns - max_flight_ns);
  const auto hi = std::upper_bound(lo, sorted_send_ns.end(), end_ns);
  return {static_cast<std::size_t>(lo - sorted_send_ns.begin()),
          static_cast<std::size_t>(hi - sorted_send_ns.begin())};
}

std::int64_t longest_flight_ns(const Trace& trace) {
  std::int64_t longest = 0;
  for (std::size_t i = 0; i < trace.packet_count(); ++i) {
    const PacketRecord p = trace.packet(i);
    longest = std::max(longest, p.arrive.ns - p.time.ns);
  }
  return longest;
}

namespace {

ArrowEnd end_of(Fate f) {
  switch (f) {
    case Fate::Delivered:
      return ArrowEnd::Delivered;
    case Fate::DroppedByLink:
      return ArrowEnd::LostOnLink;
    case Fate::DroppedByQueue:
      return ArrowEnd::LostInQueue;
    case Fate::DroppedByHost:
      return ArrowEnd::DroppedByHost;
    case Fate::InFlight:
      return ArrowEnd::InFlight;
    case Fate::Captured:
      return ArrowEnd::Captured;
  }
  return ArrowEnd::Delivered;
}

bool shows(const PacketRecord& p, Transport proto, const Filters& filters) {
  if (proto == Transport::Tcp && !filters.tcp) return false;
  if (proto == Transport::Udp && !filters.udp) return false;
  if (!filters.pure_acks && proto == Transport::Tcp && p.payload_len == 0 &&
      !(p.tcp_flags & (wire::tcp_flag::kSyn | wire::tcp_flag::kFin | wire::tcp_flag::kRst)))
    return false;
  return true;
}

struct Endpoints {
  float x_src = 0, x_dst = 0;
};

std::uint8_t column_of(std::uint32_t node) {
  return static_cast<std::uint8_t>(std::min<std::size_t>(node, kMaxLadderColumns - 1));
}

Endpoints endpoints(const Trace& trace, std::size_t index, const PacketRecord& p,
                    std::span<const FlowColumns> flow_columns, const LadderLayout& layout) {
  const LadderEnds ends = ladder_ends(trace, index, p, flow_columns);
  const std::uint8_t n = std::max<std::uint8_t>(layout.columns, 1);
  const std::uint8_t src = std::min<std::uint8_t>(ends.from, n - 1);
  const std::uint8_t dst = std::min<std::uint8_t>(ends.to, n - 1);
  Endpoints e{layout.column_x[src], layout.column_x[dst]};
  if (src == dst) e.x_dst = e.x_src + 40.0f;  // both ends on one column (loopback): draw a short arrow
  return e;
}

// One packet's arrow: from the sender at send time to the receiver at arrival, or to where it was lost.
ArrowRecord single(const PacketRecord& p, std::uint32_t index, ArrowKind kind, const Endpoints& e,
                   const TimeMapping& map) {
  ArrowRecord r;
  r.packet = index;
  r.last = index;
  r.kind = kind;
  r.end = end_of(p.fate);
  r.t0_ns = p.time.ns;
  r.t1_ns = std::max(p.arrive.ns, p.time.ns);
  r.x0 = e.x_src;
  r.y0 = map.send_y(index, r.t0_ns);
  r.y1 = map.y(r.t1_ns);
  switch (r.end) {
    // The link records a loss half-way along the wire (sim/net/link.cpp), the queue at the sender.
    case ArrowEnd::LostOnLink:
      r.x1 = e.x_src + (e.x_dst - e.x_src) * 0.5f;
      break;
    case ArrowEnd::LostInQueue:
      r.x1 = e.x_src + (e.x_dst - e.x_src) * 0.12f;
      break;
    default:
      r.x1 = e.x_dst;
      break;
  }
  if (r.end == ArrowEnd::LostOnLink || r.end == ArrowEnd::LostInQueue) r.lost = 1;
  return r;
}

bool on_screen(const ArrowRecord& r, const TimeMapping& map) {
  const float lo = std::min(r.y0, r.y1), hi = std::max(r.y0, r.y1);
  return hi >= map.top - 2.0f && lo <= map.top + map.height + 2.0f;
}

}  // namespace

LadderEnds ladder_ends(const Trace& trace, std::size_t index, const PacketRecord& p,
                       std::span<const FlowColumns> flow_columns) {
  // Issue #18: a routed packet is drawn hop by hop, from the node that sent this row to the node at the
  // other end of its link (a simulated run's columns are its nodes, in Trace order).
  if (const Trace::LinkHop* hop = trace.hop(index))
    return {column_of(hop->from_node), column_of(hop->to_node)};
  const FlowColumns fc = p.flow < flow_columns.size() ? flow_columns[p.flow] : FlowColumns{};
  return p.dir == Direction::AtoB ? LadderEnds{fc.a, fc.b} : LadderEnds{fc.b, fc.a};
}

void build_arrows(const Trace& trace, std::span<const FlowColumns> flow_columns, const LadderLayout& layout,
                  const TimeMapping& map, IndexRange range, const Filters& filters,
                  std::vector<ArrowRecord>& out, const TraceAnalysis* analysis) {
  out.clear();
  const auto times = trace.packet_times_ns();
  range.last = std::min(range.last, times.size());
  const auto fold_ns = map.fold_ns(kFoldPx);
  const auto& flows = trace.flows();
  auto proto_of = [&](const PacketRecord& p) {
    return p.flow < flows.size() ? flows[p.flow].proto : Transport::Other;
  };
  // A capture's flags, read by a cursor walking the analyzer's packet-ordered list alongside the (mostly
  // ascending) packets: a million-packet ladder then costs no binary search per sampled packet.
  const std::vector<FlaggedPacket>* flagged = analysis ? &analysis->analyzer().flagged() : nullptr;
  std::size_t flag_pos = 0;
  std::optional<std::uint32_t> last_k;
  auto flags_at = [&](std::uint32_t k) -> FlagMask {
    if (last_k && k < *last_k) return analysis->mask_of(k);  // went back (another group): search
    last_k = k;
    const auto& fl = *flagged;
    // Gallop forward to the first flag at or after k, then search the last step.
    std::size_t step = 1, lo = flag_pos;
    while (lo + step < fl.size() && fl[lo + step].packet < k) {
      lo += step;
      step *= 2;
    }
    flag_pos = static_cast<std::size_t>(
        std::partition_point(fl.begin() + static_cast<std::ptrdiff_t>(lo),
                             fl.begin() + static_cast<std::ptrdiff_t>(std::min(fl.size(), lo + step + 1)),
                             [k](const FlaggedPacket& f) { return f.packet < k; }) -
        fl.begin());
    FlagMask m = 0;
    for (std::size_t i = flag_pos; i < fl.size() && fl[i].packet == k; ++i) m |= flag_bit(fl[i].flag);
    return m;
  };
  auto kind_of = [&](const PacketRecord& p, std::size_t k, Transport proto) {
    return analysis && p.fate == Fate::Captured ? classify(p, proto, flags_at(static_cast<std::uint32_t>(k)))
                                                : classify(p, proto);
  };

  // Packets of one row that go the same way (same sender and receiver column).
  struct Group {
    float x_src = 0, x_dst = 0;
    std::uint32_t first = 0;
    PacketRecord first_record;
    std::uint32_t sampled = 0;
    std::uint32_t lost = 0;
    std::array<std::uint32_t, static_cast<std::size_t>(ArrowKind::Count)> kinds{};
  };
  std::array<Group, 4> groups;

  std::size_t i = range.first;
  while (i < range.last) {
    const std::int64_t limit = times[i] + fold_ns;
    const std::size_t j = static_cast<std::size_t>(
        std::lower_bound(times.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                         times.begin() + static_cast<std::ptrdiff_t>(range.last), limit) -
        times.begin());
    const std::size_t n = j - i;
    // Read every packet of a sparse row, an even sample of a dense one.
    const std::size_t samples = std::min<std::size_t>(n, kFoldSamples);
    std::size_t group_count = 0;
    for (std::size_t s = 0; s < samples; ++s) {
      const std::size_t k = i + (n == samples ? s : s * n / samples);
      const PacketRecord p = trace.packet(k);
      const Transport proto = proto_of(p);
      if (!shows(p, proto, filters)) continue;
      const Endpoints e = endpoints(trace, k, p, flow_columns, layout);
      std::size_t g = 0;
      while (g < group_count && !(groups[g].x_src == e.x_src && groups[g].x_dst == e.x_dst)) ++g;
      if (g == group_count) {
        if (group_count == groups.size())
          g = group_count - 1;  // rare: more ways than slots; count with the last
        else {
          groups[g] = Group{e.x_src, e.x_dst, static_cast<std::uint32_t>(k), p, 0, 0, {}};
          ++group_count;
        }
      }
      Group& gr = groups[g];
      ++gr.sampled;
      const ArrowKind kind = kind_of(p, k, proto);
      ++gr.kinds[static_cast<std::size_t>(kind)];
      gr.lost += p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue;
      // A small row is drawn packet by packet; remember each as a single arrow now.
      if (n < kFoldMinCount) {
        ArrowRecord r = single(p, static_cast<std::uint32_t>(k), kind, e, map);
        if (on_screen(r, map)) out.push_back(r);
      }
    }
    if (n >= kFoldMinCount) {
      for (std::size_t g = 0; g < group_count; ++g) {
        const Group& gr = groups[g];
        // Scale the sample up to the row's packet count.
        const std::uint32_t count = static_cast<std::uint32_t>(
            samples == n ? gr.sampled : (static_cast<std::uint64_t>(gr.sampled) * n + samples / 2) / samples);
        ArrowRecord r =
            single(gr.first_record, gr.first, kind_of(gr.first_record, gr.first, proto_of(gr.first_record)),
                   {gr.x_src, gr.x_dst}, map);
        r.last = static_cast<std::uint32_t>(j - 1);
        if (count >= kFoldMinCount) {
          r.count = count;
          r.lost = static_cast<std::uint32_t>(
              samples == n ? gr.lost : (static_cast<std::uint64_t>(gr.lost) * n + samples / 2) / samples);
          if (gr.lost && !r.lost) r.lost = 1;
          // The fold takes the colour of its most common kind, but any retransmission shows.
          std::size_t best = 0;
          for (std::size_t k = 1; k < gr.kinds.size(); ++k)
            if (gr.kinds[k] > gr.kinds[best]) best = k;
          r.kind = gr.kinds[static_cast<std::size_t>(ArrowKind::Retransmission)]
                       ? ArrowKind::Retransmission
                       : static_cast<ArrowKind>(best);
          r.x1 = gr.x_dst;
          r.end = ArrowEnd::Delivered;
          if (on_screen(r, map)) out.push_back(r);
        } else if (samples == n) {
          // Too few this way to fold: draw them one by one.
          for (std::size_t k = i; k < j; ++k) {
            const PacketRecord p = trace.packet(k);
            const Transport proto = proto_of(p);
            if (!shows(p, proto, filters)) continue;
            const Endpoints e = endpoints(trace, k, p, flow_columns, layout);
            if (e.x_src != gr.x_src || e.x_dst != gr.x_dst) continue;
            ArrowRecord one = single(p, static_cast<std::uint32_t>(k), kind_of(p, k, proto), e, map);
            if (on_screen(one, map)) out.push_back(one);
          }
        } else if (count > 0) {
          r.count = count;
          if (on_screen(r, map)) out.push_back(r);
        }
      }
    }
    i = j;
  }
  // Packets sent the same way at the same instant (an ACK and the data right behind it) would be drawn on top
  // of each other: each after the first is drawn a few pixels lower, so every one can be seen and clicked.
  // In sequence layout each already has its own row.
  if (map.sequence()) return;
  int run = 0;
  for (std::size_t a = 1; a < out.size(); ++a) {
    ArrowRecord& r = out[a];
    const ArrowRecord& q = out[a - 1];
    const bool together = r.count == 1 && q.count == 1 && r.t0_ns == q.t0_ns && r.x0 == q.x0 &&
                          (r.x1 - r.x0) * (q.x1 - q.x0) > 0;
    run = together ? run + 1 : 0;
    if (run == 0) continue;
    const float shift = kSimultaneousOffsetPx * static_cast<float>(std::min(run, 4));
    r.y0 += shift;
    r.y1 += shift;
  }
}

bool fold_holds(const Trace& trace, std::span<const FlowColumns> flow_columns, const LadderLayout& layout,
                const ArrowRecord& r, std::uint32_t packet) {
  if (packet < r.packet || packet > r.last || packet >= trace.packet_count()) return false;
  if (r.count == 1) return packet == r.packet;
  // A fold stands for the packets of its row that go its way: same sender and receiver lane.
  const Endpoints e = endpoints(trace, packet, trace.packet(packet), flow_columns, layout);
  return e.x_src == r.x0 && e.x_dst == r.x1;
}

float distance_to_segment(float px, float py, float x0, float y0, float x1, float y1) {
  const float dx = x1 - x0, dy = y1 - y0;
  const float len2 = dx * dx + dy * dy;
  float t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0.0f;
  t = std::clamp(t, 0.0f, 1.0f);
  const float cx = x0 + t * dx - px, cy = y0 + t * dy - py;
  return std::sqrt(cx * cx + cy * cy);
}

std::optional<std::size_t> hit_test(std::span<const ArrowRecord> records, float x, float y, float tolerance) {
  std::optional<std::size_t> best;
  float best_d = tolerance;
  for (std::size_t k = 0; k < records.size(); ++k) {
    const ArrowRecord& r = records[k];
    const float d = distance_to_segment(x, y, r.x0, r.y0, r.x1, r.y1);
    if (d <= best_d) {
      best = k;
      best_d = d;
    }
  }
  return best;
}

void build_event_marks(std::span<const std::int64_t> times, std::span<const std::uint32_t> events,
                       std::span<const std::uint8_t> columns, const TimeMapping& map,
                       std::vector<EventMark>& out, float fold_px) {
  out.clear();
  const auto fold_ns = map.fold_ns(fold_px);
  const auto first = std::lower_bound(times.begin(), times.end(), map.t0_ns - fold_ns);
  const auto last = std::upper_bound(first, times.end(), map.end_ns());
  std::size_t i = static_cast<std::size_t>(first - times.begin());
  const std::size_t end = static_cast<std::size_t>(last - times.begin());
  while (i < end) {
    const auto j = static_cast<std::size_t>(
        std::lower_bound(times.begin() + static_cast<std::ptrdiff_t>(i) + 1, last, times[i] + fold_ns) -
        times.begin());
    // One mark per column in this row; a dense row reads only its first few events.
    const std::size_t seen = std::min<std::size_t>(j - i, kFoldSamples);
    const std::size_t first_out = out.size();
    for (std::size_t k = i; k < i + seen; ++k) {
      EventMark* m = nullptr;
      for (std::size_t o = first_out; o < out.size(); ++o)
        if (out[o].column == columns[k]) m = &out[o];
      if (m)
        ++m->count;
      else
        out.push_back(EventMark{events[k], static_cast<std::uint32_t>(k), 1, columns[k],
                                map.event_y(events[k], times[i])});
    }
    if (j - i > seen && out.size() > first_out)
      out[first_out].count += static_cast<std::uint32_t>(j - i - seen);
    i = j;
  }
}

std::int64_t tick_step_ns(double ns_per_px, float min_px) {
  const double want = ns_per_px * static_cast<double>(min_px);
  std::int64_t step = 1;
  while (true) {
    for (std::int64_t m : {1, 2, 5})
      if (static_cast<double>(step * m) >= want) return step * m;
    if (step > INT64_MAX / 100) return step;
    step *= 10;
  }
}

}  // namespace wirestep::gui
