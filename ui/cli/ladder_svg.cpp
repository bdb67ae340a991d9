#include "ui/cli/ladder_svg.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sim/tcp/tcp_state.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/ladder_order.hpp"
#include "ui/cli/ladder_text.hpp"

namespace wirestep {
namespace {

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

struct Style {
  const char* colour;
  Msg name;  // the legend's words (cli_text.cpp)
};

Style style_for(const PacketRecord& p, Transport proto) {
  switch (p.cause) {
    case Cause::RtoRetransmission:
      return {"#e67e22", Msg::SvgRtoRetransmission};
    case Cause::FastRetransmission:
      return {"#c0392b", Msg::SvgFastRetransmission};
    case Cause::RecoveryRetransmission:
      return {"#d35400", Msg::SvgPartialAckRetransmission};
    case Cause::RackRetransmission:
      return {"#c0392b", Msg::SvgRackRetransmission};
    case Cause::TailLossProbe:
      return {"#c0392b", Msg::SvgTailLossProbe};
    case Cause::RepeatedSynAnswer:
      return {"#e67e22", Msg::SvgSynAckAgain};
    case Cause::DuplicateAck:
      return {"#8e44ad", Msg::SvgDuplicateAck};
    case Cause::ZeroWindowProbe:
    case Cause::WindowUpdate:
      return {"#16a085", Msg::SvgWindowProbe};
    case Cause::Reset:
      return {"#7f0000", Msg::SvgReset};
    case Cause::LinkDuplicate:
      return {"#b7950b", Msg::SvgLinkCopy};
    case Cause::PureAck:
    case Cause::KeepAlive:
      return {"#7f8c8d", Msg::SvgAcknowledgement};
    case Cause::Datagram:
      return {"#2471a3", Msg::SvgUdpDatagram};
    case Cause::FirstTransmission:
    case Cause::Captured:
      break;
  }
  return {proto == Transport::Udp ? "#2471a3" : "#1f4e9c",
          proto == Transport::Udp ? Msg::SvgUdpDatagram : Msg::SvgTcpSegment};
}

// Piecewise-linear time axis: long idle stretches shrink to a fixed gap so a 2-second TIME-WAIT does not
// push the handshake off the slide.
class TimeAxis {
 public:
  TimeAxis(std::vector<std::int64_t> times, std::int64_t compress_after_ns, double px_per_ms, double top)
      : top_(top), px_per_ns_(px_per_ms / 1e6) {
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    double y = top;
    for (std::size_t i = 0; i < times.size(); ++i) {
      if (i > 0) {
        const std::int64_t gap = times[i] - times[i - 1];
        if (gap > compress_after_ns) {
          breaks_.push_back(y + kBreak / 2);
          y += kBreak;
        } else {
          y += gap * px_per_ns_;
        }
      }
      knots_.push_back({times[i], y});
    }
    bottom_ = y;
  }
  double y(std::int64_t t) const {
    if (knots_.empty()) return top_;
    auto it = std::lower_bound(knots_.begin(), knots_.end(), t,
                               [](const Knot& k, std::int64_t v) { return k.t < v; });
    if (it == knots_.end()) return knots_.back().y;
    if (it->t == t || it == knots_.begin()) return it->y;
    const Knot& a = *(it - 1);
    const Knot& b = *it;
    const double frac = double(t - a.t) / double(b.t - a.t);
    return a.y + frac * (b.y - a.y);
  }
  double bottom() const { return bottom_; }
  const std::vector<double>& breaks() const { return breaks_; }
  static constexpr double kBreak = 36;

 private:
  struct Knot {
    std::int64_t t;
    double y;
  };
  std::vector<Knot> knots_;
  std::vector<double> breaks_;
  double top_;
  double bottom_ = 0;
  double px_per_ns_;
};

}  // namespace

std::string render_ladder_svg(const Trace& trace, const std::string& title, const SvgOptions& opt) {
  const auto& hosts = trace.hosts();
  const std::size_t shown = std::min(trace.packet_count(), opt.max_packets);
  const double width = opt.width;
  const double left = 250, right = width - 170, top = 120;
  // A routed run's lanes in the order its hops walk (ladder_order.hpp).
  const std::vector<std::uint8_t> slot = ladder_lane_slots(trace, hosts.size());
  auto host_x = [&](std::uint32_t h) {
    if (hosts.size() <= 1) return (left + right) / 2;
    const std::uint32_t s = h < slot.size() ? slot[h] : h;
    return left + (right - left) * s / double(hosts.size() - 1);
  };
  // The time axis: scale so the packets' spacing is readable; idle gaps over 4 flight times are cut.
  std::vector<std::int64_t> times;
  std::int64_t longest_flight = 1'000'000, shortest_gap = INT64_MAX;
  for (std::size_t i = 0; i < shown; ++i) {
    const PacketRecord p = trace.packet(i);
    times.push_back(p.time.ns);
    times.push_back(p.arrive.ns);
    longest_flight = std::max(longest_flight, p.arrive.ns - p.time.ns);
    if (i > 0 && p.time.ns > trace.packet_times_ns()[i - 1])
      shortest_gap = std::min(shortest_gap, p.time.ns - trace.packet_times_ns()[i - 1]);
  }
  for (std::size_t i = 0; i < trace.event_count(); ++i) {
    if (trace.event_kind(i) != EventKind::StateChange) continue;
    if (shown < trace.packet_count() && trace.event_packets_before(i) > shown) break;
    times.push_back(trace.event_time(i).ns);
  }
  // About 70 px per flight time so arrows visibly slope, and at least 22 px between packets sent apart.
  double px_per_ms = 70.0 / (longest_flight / 1e6);
  if (shortest_gap != INT64_MAX) px_per_ms = std::max(px_per_ms, 22.0 / (shortest_gap / 1e6));
  px_per_ms = std::min(px_per_ms, 400.0);
  const TimeAxis axis(times, 4 * longest_flight, px_per_ms, top);
  const double height = axis.bottom() + 150;

  const RelativeSeq rel(trace);
  std::string svg;
  svg += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"" + num(height) +
         "\" viewBox=\"0 0 " + num(width) + " " + num(height) +
         "\" font-family=\"DejaVu Sans, Noto Sans CJK SC, sans-serif\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg +=
      "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" "
      "markerHeight=\"7\" "
      "orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" "
      "fill=\"context-stroke\"/></marker></defs>\n";
  svg += "<text x=\"" + num(width / 2) +
         "\" y=\"34\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"bold\">" + xml_escape(title) +
         "</text>\n";
  // Hosts.
  for (std::size_t h = 0; h < hosts.size(); ++h) {
    const double x = host_x(static_cast<std::uint32_t>(h));
    svg += "<text x=\"" + num(x) +
           "\" y=\"74\" text-anchor=\"middle\" font-size=\"17\" font-weight=\"bold\">" +
           xml_escape(hosts[h].name) + "</text>\n";
    svg += "<text x=\"" + num(x) + "\" y=\"93\" text-anchor=\"middle\" font-size=\"13\" fill=\"#555\">" +
           // A switch has no address (0.0.0.0 in the Trace): only its name.
           xml_escape(hosts[h].addr == wire::IpAddr{} ? std::string() : hosts[h].addr.to_string()) +
           "</text>\n";
    svg += "<line x1=\"" + num(x) + "\" y1=\"" + num(top - 12) + "\" x2=\"" + num(x) + "\" y2=\"" +
           num(axis.bottom() + 12) + "\" stroke=\"#333\" stroke-width=\"3\"/>\n";
  }
  // Time axis with a label per send time that has room, and the compressed gaps marked.
  svg += "<text x=\"20\" y=\"" + num(top - 20) + "\" font-size=\"12\" fill=\"#555\">" +
         xml_escape(cli_text(opt.lang, Msg::SvgTimeAxis)) + "</text>\n";
  double last_label = -1e9;
  for (std::size_t i = 0; i < shown; ++i) {
    const double y = axis.y(trace.packet_times_ns()[i]);
    if (y - last_label < 15) continue;
    last_label = y;
    svg += "<text x=\"20\" y=\"" + num(y + 4) + "\" font-size=\"11\" fill=\"#555\">" +
           format_millis(SimTime{trace.packet_times_ns()[i]}) + "</text>\n";
    svg += "<line x1=\"95\" y1=\"" + num(y) + "\" x2=\"" + num(width - 60) + "\" y2=\"" + num(y) +
           "\" stroke=\"#eee\" stroke-width=\"1\"/>\n";
  }
  for (double b : axis.breaks()) {
    svg += "<text x=\"20\" y=\"" + num(b + 4) + "\" font-size=\"12\" fill=\"#999\">" +
           xml_escape(cli_text(opt.lang, Msg::SvgTimeSkipped)) + "</text>\n";
  }
  // State changes beside their host (outside the lanes); labels that would overlap stack downwards.
  std::vector<double> last_state_y(hosts.size(), -1e9);
  for (std::size_t i = 0; i < trace.event_count(); ++i) {
    if (trace.event_kind(i) != EventKind::StateChange) continue;
    if (shown < trace.packet_count() && trace.event_packets_before(i) > shown) break;
    const TraceEvent e = trace.event(i);
    if (e.host >= hosts.size()) continue;
    const double x = host_x(e.host);
    const bool leftmost = e.host < slot.size() ? slot[e.host] == 0 : e.host == 0;
    const std::string state(to_string(static_cast<TcpState>(e.value)));
    const double sy = std::max(axis.y(e.time.ns) + 4, last_state_y[e.host] + 14);
    last_state_y[e.host] = sy;
    svg += "<text x=\"" + num(leftmost ? x - 10 : x + 10) + "\" y=\"" + num(sy) + "\" text-anchor=\"" +
           (leftmost ? "end" : "start") + "\" font-size=\"11\" fill=\"#117a65\" font-weight=\"bold\">" +
           state + "</text>\n";
  }
  // Packets. Several sent at the same instant (an ACK and data, say) are drawn one below the other.
  std::vector<std::pair<std::string, std::string>> legend;  // (colour, name) in order of first use
  int same_time = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    const PacketRecord p = trace.packet(i);
    same_time = (i > 0 && trace.packet_times_ns()[i - 1] == p.time.ns) ? same_time + 1 : 0;
    const double nudge = 16.0 * same_time;
    const TraceFlow& f = trace.flows()[p.flow];
    const bool fwd = p.dir == Direction::AtoB;
    std::uint32_t src = fwd ? f.a_host : f.b_host, dst = fwd ? f.b_host : f.a_host;
    // Issue #18: a routed packet is one arrow per hop, between the nodes at the two ends of its link.
    if (const Trace::LinkHop* hop = trace.hop(i)) {
      src = hop->from_node;
      dst = hop->to_node;
    }
    if (src >= hosts.size() || dst >= hosts.size()) continue;
    const Style st = style_for(p, f.proto);
    const double x1 = host_x(src), x2 = host_x(dst);
    const double y1 = axis.y(p.time.ns) + nudge;
    const bool lost = p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue;
    double xe = x2, ye = axis.y(p.arrive.ns) + nudge;
    if (lost) {
      // The link lost it half-way (a queue drop: right at the sender).
      const double frac = p.fate == Fate::DroppedByQueue ? 0.08 : 0.5;
      xe = x1 + (x2 - x1) * frac;
      ye = axis.y(p.arrive.ns) + nudge;  // the drop time: half-way along the flight for a link loss
    }
    const std::string colour = st.colour;
    const std::string name = cli_text(opt.lang, st.name);
    if (std::none_of(legend.begin(), legend.end(), [&](const auto& l) { return l.second == name; }))
      legend.emplace_back(colour, name);
    svg += "<line x1=\"" + num(x1) + "\" y1=\"" + num(y1) + "\" x2=\"" + num(xe) + "\" y2=\"" + num(ye) +
           "\" stroke=\"" + colour + "\" stroke-width=\"2\"" +
           (lost ? " stroke-dasharray=\"6 4\"" : " marker-end=\"url(#head)\"") + "><title>" +
           xml_escape(packet_label(trace, i, &rel, opt.lang) + " (" + std::string(to_string(p.cause)) + ", " +
                      std::string(to_string(p.fate)) + ")") +
           "</title></line>\n";
    if (lost) {
      const double s = 7;
      svg += "<path d=\"M" + num(xe - s) + "," + num(ye - s) + " L" + num(xe + s) + "," + num(ye + s) + " M" +
             num(xe - s) + "," + num(ye + s) + " L" + num(xe + s) + "," + num(ye - s) +
             "\" class=\"lost\" stroke=\"#e00\" stroke-width=\"3\"/>\n";
    }
    // The label sits just above the arrow near its start, on a white halo so crossing lines stay readable.
    const double lx = x1 + (xe - x1) * (lost ? 0.5 : 0.35);
    const double ly = y1 + (ye - y1) * (lost ? 0.5 : 0.35) - 5;
    svg += "<text x=\"" + num(lx) + "\" y=\"" + num(ly) +
           "\" text-anchor=\"middle\" font-size=\"12\" fill=\"" + colour +
           "\" stroke=\"white\" stroke-width=\"4\" paint-order=\"stroke\">" +
           xml_escape(packet_label(trace, i, &rel, opt.lang)) + "</text>\n";
  }
  // Legend.
  double ly = axis.bottom() + 50;
  double lx = 60;
  bool any_lost = false;
  for (std::size_t i = 0; i < shown; ++i)
    any_lost |= trace.fate(i) == Fate::DroppedByLink || trace.fate(i) == Fate::DroppedByQueue;
  if (any_lost) legend.emplace_back("#e00", cli_text(opt.lang, Msg::SvgLostX));
  for (const auto& [colour, name] : legend) {
    if (lx + 230 > width) {
      lx = 60;
      ly += 24;
    }
    svg += "<line x1=\"" + num(lx) + "\" y1=\"" + num(ly) + "\" x2=\"" + num(lx + 28) + "\" y2=\"" + num(ly) +
           "\" stroke=\"" + colour + "\" stroke-width=\"3\"/>\n";
    svg += "<text x=\"" + num(lx + 36) + "\" y=\"" + num(ly + 4) + "\" font-size=\"13\">" + xml_escape(name) +
           "</text>\n";
    lx += 240;
  }
  if (shown < trace.packet_count()) {
    svg += "<text x=\"60\" y=\"" + num(ly + 34) + "\" font-size=\"13\" fill=\"#555\">" +
           xml_escape(cli_text(opt.lang, Msg::SvgFirstShown, shown, trace.packet_count())) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace wirestep
