#include "ui/cli/ladder_text.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include "sim/analysis/event_text_zh.hpp"
#include "sim/scenario/text_encoding.hpp"
#include "sim/wire/transport.hpp"
#include "ui/cli/arp_icmp_label.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/display_width.hpp"
#include "ui/cli/ladder_order.hpp"

namespace wirestep {
namespace {

constexpr int kTimeColumn = 12;  // "   12345.678" then two spaces; with a width, only as wide as needed

constexpr int kNoteTarget = 26;  // columns a narrowed ladder keeps for the note after the lanes
constexpr int kMinLane = 12;     // narrower lanes leave no room for "SYN seq=0"
// A ladder of many nodes (a routed network, issue #18) narrows its lanes further, down to its names: its
// arrows' labels then go into the note, which keeps kNoteTarget columns.
constexpr int kMinNarrowLane = 6;
constexpr int kRoutedNoteTarget = 36;

// A node without an IP address (a switch) is 0.0.0.0 in the Trace: its header shows only its name.
std::string header_address(const TraceHost& h) {
  return h.addr == wire::IpAddr{} ? std::string() : h.addr.to_string();
}

// The lanes a packet's arrow joins: in a routed run the hop's sender and receiver (Trace::hop: A -> R,
// then R -> C), else its flow's two hosts.
std::pair<std::uint32_t, std::uint32_t> arrow_lanes(const Trace& trace, std::size_t index,
                                                    const PacketRecord& p) {
  if (const Trace::LinkHop* hop = trace.hop(index)) return {hop->from_node, hop->to_node};
  const TraceFlow& f = trace.flows()[p.flow];
  return p.dir == Direction::AtoB ? std::pair{f.a_host, f.b_host} : std::pair{f.b_host, f.a_host};
}

bool is_ascii(std::string_view s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}
constexpr std::uint32_t kMaxTextPayload = 200;  // longer payloads are bulk data, not a message to read
constexpr std::size_t kUnlimitedText = 40;      // columns of payload text when the width has no limit

// The payload as a quoted line of text, shortened to `columns`; empty when it is not text.
std::string payload_text(const Trace& trace, std::size_t index, const PacketRecord& p,
                         const std::string& encoding, std::size_t columns) {
  if (p.payload_len == 0 || p.payload_len > kMaxTextPayload || columns < 4) return {};
  std::vector<std::uint8_t> bytes;
  trace.payload_bytes(index, bytes);
  const auto text = decode_payload_text(bytes, encoding);
  if (!text) return {};
  return "\"" + shorten_to_width(escape_control_chars(*text), columns - 2) + "\"";
}

std::string time_cell(SimTime t, int column) {
  std::string s = format_millis(t);
  if (s.size() < static_cast<std::size_t>(column)) s.insert(0, column - s.size(), ' ');
  return s + "  ";
}

std::string fate_note(const Trace& trace, const PacketRecord& p, Lang lang) {
  auto rule = [&](std::uint16_t r) {
    return r && r <= trace.drop_rules().size() ? drop_rule_text(lang, trace.drop_rules()[r - 1])
                                               : std::string();
  };
  std::string marks;
  if (p.marks & mark::kDuplicate) marks += cli_text(lang, Msg::LinkDuplicateMark);
  if (p.marks & mark::kReordered) marks += cli_text(lang, Msg::ReorderedMark);
  switch (p.fate) {
    case Fate::Delivered:
      return cli_text(lang, Msg::Arrives, format_millis(p.arrive)) + marks;
    case Fate::DroppedByLink:
    case Fate::DroppedByQueue:
      return cli_text(lang, Msg::LostBecause, rule(p.rule));
    case Fate::DroppedByHost:
      return cli_text(lang, Msg::ArrivesDroppedByReceiver, format_millis(p.arrive)) +
             (p.marks & mark::kCorrupted ? cli_text(lang, Msg::CorruptedBecause, rule(p.rule))
                                         : std::string()) +
             marks;
    case Fate::InFlight:
      return cli_text(lang, Msg::StillInFlightAtEnd) + marks;
    case Fate::Captured:
      return marks;
  }
  return {};
}

}  // namespace

std::string packet_label(const Trace& trace, std::size_t index, const RelativeSeq* rel, Lang lang) {
  const PacketRecord p = trace.packet(index);
  if (p.arp || p.icmp) {
    char buf[160];
    const std::size_t n = format_arp_icmp_label(buf, sizeof buf, p, lang);
    return std::string(buf, n);
  }
  const TraceFlow& f = trace.flows()[p.flow];
  const bool fwd = p.dir == Direction::AtoB;
  const std::uint16_t sport = fwd ? f.a_port : f.b_port, dport = fwd ? f.b_port : f.a_port;
  if (f.proto == Transport::Udp)
    return "UDP " + std::to_string(sport) + " -> " + std::to_string(dport) +
           " len=" + std::to_string(p.payload_len);
  if (f.proto == Transport::Tcp) {
    const std::uint32_t seq = rel ? rel->seq(p.flow, p.dir, p.seq) : p.seq;
    const std::uint32_t ack = rel ? rel->ack(p.flow, p.dir, p.ack) : p.ack;
    std::string s = wire::tcp_flags_to_string(p.tcp_flags) + " seq=" + std::to_string(seq);
    if (p.tcp_flags & wire::tcp_flag::kAck) s += " ack=" + std::to_string(ack);
    if (p.payload_len) s += " len=" + std::to_string(p.payload_len);
    if (p.tcp_flags & wire::tcp_flag::kSyn)
      s += " win=" + std::to_string(p.window);
    else if (p.window == 0 && !(p.tcp_flags & wire::tcp_flag::kRst))
      s += " win=0";
    return s;
  }
  return "IP packet";
}

std::string cause_tag(Cause cause, unsigned dup_ack_number, Lang lang) {
  switch (cause) {
    case Cause::RtoRetransmission:
      return cli_text(lang, Msg::TagRto);
    case Cause::FastRetransmission:
      return cli_text(lang, Msg::TagFast);
    case Cause::RecoveryRetransmission:
      return cli_text(lang, Msg::TagPartialAck);
    case Cause::RackRetransmission:  // RFC 8985 §6.2: marked lost by time, not by three duplicate ACKs
      return cli_text(lang, Msg::TagRack);
    case Cause::TailLossProbe:  // RFC 8985 §7.3
      return cli_text(lang, Msg::TagTlp);
    case Cause::RepeatedSynAnswer:
      return cli_text(lang, Msg::TagSynAckAgain);
    case Cause::ZeroWindowProbe:
      return cli_text(lang, Msg::TagProbe);
    case Cause::DuplicateAck:
      return cli_text(lang, Msg::TagDupAck, dup_ack_number);
    case Cause::WindowUpdate:
      return cli_text(lang, Msg::TagWindowUpdate);
    case Cause::KeepAlive:
      return cli_text(lang, Msg::TagKeepAlive);
    case Cause::Datagram:
    case Cause::FirstTransmission:
    case Cause::PureAck:
    case Cause::Reset:
    case Cause::LinkDuplicate:  // fate_note marks link copies
    case Cause::Captured:
      return {};
  }
  return {};
}

unsigned DupAckCounter::next(const Trace& trace, const PacketRecord& p) {
  if (!(p.tcp_flags & wire::tcp_flag::kAck) || p.flow >= trace.flows().size()) return 0;
  const std::size_t slot = std::size_t{p.flow} * 2 + (p.dir == Direction::BtoA ? 1 : 0);
  if (seen_.size() <= slot) seen_.resize(slot + 1);
  Seen& s = seen_[slot];
  if (p.cause == Cause::DuplicateAck) return ++s.dups;
  // Any other ACK that moves the acknowledgement point starts a new count.
  if (!s.any || s.ack != p.ack) s.dups = 0;
  s.ack = p.ack;
  s.any = true;
  return 0;
}

std::string render_ladder(const Trace& trace, const LadderOptions& opt) {
  const auto& hosts = trace.hosts();
  const int n = static_cast<int>(std::max<std::size_t>(hosts.size(), 1));
  // A width narrows the lanes so that the note after them keeps about kNoteTarget columns, plus what a
  // narrower time column saves.
  int lane = std::max(opt.lane_width, 20);
  int time_column = kTimeColumn;
  if (opt.width > 0) {
    // The latest time decides how wide the column must be; "time (ms)" is the narrowest it gets.
    SimTime last{};
    if (trace.packet_count()) last = std::max(last, trace.packet(trace.packet_count() - 1).time);
    if (trace.event_count()) last = std::max(last, trace.event(trace.event_count() - 1).time);
    time_column = std::max<int>(9, static_cast<int>(format_millis(last).size()) + 1);
  }
  // A routed run: lanes in the order its hops walk (ladder_order.hpp), and its labels mostly in the notes.
  const bool routed = has_hops(trace);
  const std::vector<std::uint8_t> slot = ladder_lane_slots(trace, hosts.size());
  if (opt.width > 0 && n > 1) {
    // Two lanes keep room for a label on the arrow; more lanes narrow down to their widest name, and a routed
    // run's notes (where its ARP and ICMP labels go) get a line's worth: "ARP who-has 10.0.0.254 tell
    // 10.0.0.1".
    int min_lane = kMinLane;
    if (n > 2) {
      std::size_t widest = 0;
      for (const auto& h : hosts) widest = std::max(widest, display_width(h.name));
      min_lane = std::clamp(static_cast<int>(widest) + 2, kMinNarrowLane, kMinLane);
    }
    const int note = routed && n > 2 ? kRoutedNoteTarget : kNoteTarget;
    lane = std::clamp((opt.width - kTimeColumn - 2 - 1 - 3 - note) / (n - 1), min_lane, lane);
  }
  auto fit = [&](std::string line) {
    return opt.width > 0 ? shorten_to_width(line, static_cast<std::size_t>(opt.width)) : line;
  };
  const int width = (n - 1) * lane + 1;
  auto column = [&](std::uint32_t host) {
    return static_cast<int>(host < slot.size() ? slot[host] : host) * lane;
  };

  LadderOptions::Events mode = opt.events;
  if (mode == LadderOptions::Events::Auto) {
    std::size_t shown = trace.packet_count();
    for (std::size_t i = 0; i < trace.event_count(); ++i) shown += trace.event_kind(i) != EventKind::Variable;
    mode = shown <= 120 ? LadderOptions::Events::All : LadderOptions::Events::Notes;
  }
  const RelativeSeq rel(trace);
  DupAckCounter dup_acks;

  std::string out;
  // Header: host names and addresses centred over their lanes.
  {
    std::string names(static_cast<std::size_t>(time_column + 2 + width + 24), ' ');
    // The title is laid out as a run of placeholder bytes as wide as it is, so byte and column positions
    // agree while host names are placed (a name may overlap it); its visible part replaces them after.
    const std::string title = cli_text(opt.lang, Msg::TimeMs);
    const std::size_t title_w = std::min<std::size_t>(display_width(title), time_column);
    constexpr char kTitleCell = '\x01';
    names.replace(time_column - title_w, title_w, std::string(title_w, kTitleCell));
    // Addresses wider than a lane take turns with a second line, so none is written over its neighbour.
    std::array<std::string, 2> addrs{std::string(names.size(), ' '), std::string(names.size(), ' ')};
    std::array<int, 2> addr_end{-1, -1};
    std::vector<std::uint32_t> by_slot(hosts.size());
    for (std::uint32_t h = 0; h < hosts.size(); ++h) by_slot[h < slot.size() ? slot[h] : h] = h;
    for (const std::uint32_t h : by_slot) {
      const int c = time_column + 2 + column(h);
      const std::string name = hosts[h].name, addr = header_address(hosts[h]);
      const int start_n = std::max(0, c - static_cast<int>(name.size()) / 2);
      const int start_a = std::max(0, c - static_cast<int>(addr.size()) / 2);
      names.replace(start_n, name.size(), name);
      if (addr.empty()) continue;
      const std::size_t line = start_a > addr_end[0] ? 0 : 1;
      if (start_a + addr.size() > addrs[line].size()) addrs[line].resize(start_a + addr.size(), ' ');
      addrs[line].replace(start_a, addr.size(), addr);
      addr_end[line] = start_a + static_cast<int>(addr.size());
    }
    if (const auto first = names.find(kTitleCell); first != std::string::npos) {
      const auto last = names.find_first_not_of(kTitleCell, first);
      const std::size_t kept = (last == std::string::npos ? names.size() : last) - first;
      names.replace(first, kept, first_columns(title, kept));
    }
    while (!names.empty() && names.back() == ' ') names.pop_back();
    for (auto& a : addrs)
      while (!a.empty() && a.back() == ' ') a.pop_back();
    out += fit(names) + "\n" + fit(addrs[0]) + "\n";
    if (!addrs[1].empty()) out += fit(addrs[1]) + "\n";
  }
  const std::string empty_lanes = [&] {
    std::string s(static_cast<std::size_t>(width), ' ');
    for (int h = 0; h < n; ++h) s[column(h)] = '|';
    return s;
  }();

  // A row and the note after it; a note too long for the width goes on under itself, the lanes drawn on.
  const std::string continuation = std::string(time_column + 2, ' ') + empty_lanes + "   ";
  // `parts` are joined by `sep` and broken between parts first, so "arrives 47.931" stays whole.
  auto emit = [&](const std::string& prefix, const std::vector<std::string>& parts, const char* sep) {
    std::string note;
    for (const auto& part : parts) note += (note.empty() ? "" : sep) + part;
    const int room = opt.width - static_cast<int>(display_width(prefix));
    if (opt.width <= 0 || room < 12) {
      out += fit(prefix + note) + "\n";
      return;
    }
    // Rows after the first are indented two columns; a part that fits nowhere wraps at its words.
    const auto columns = static_cast<std::size_t>(room);
    std::vector<std::string> rows;
    for (const auto& part : parts) {
      if (!rows.empty() && display_width(rows.back() + sep + part) <= columns) {
        rows.back() += sep + part;
        continue;
      }
      if (rows.empty()) {
        rows = wrap_to_width(part, columns, 2);
        continue;
      }
      for (const auto& piece : wrap_to_width(part, columns - 2, 0)) rows.push_back("  " + piece);
    }
    for (std::size_t i = 0; i < rows.size(); ++i) out += fit((i ? continuation : prefix) + rows[i]) + "\n";
  };

  // Merge packets and events in the order they were recorded (both are in time order).
  std::size_t pi = 0, ei = 0, lines = 0, hidden_events = 0;
  const std::size_t event_count = trace.event_count();
  auto show_event_kind = [&](EventKind kind) {
    switch (mode) {
      case LadderOptions::Events::Verbose:
        return true;
      case LadderOptions::Events::All:
        return kind != EventKind::Variable;
      case LadderOptions::Events::Notes:
        return kind == EventKind::Note || kind == EventKind::StateChange;
      default:
        return false;
    }
  };
  bool truncated = false;
  while (pi < trace.packet_count() || ei < event_count) {
    const bool take_event =
        ei < event_count && (pi >= trace.packet_count() || trace.event_packets_before(ei) <= pi);
    if (opt.max_lines && lines >= opt.max_lines) {
      truncated = true;
      break;
    }
    if (take_event) {
      if (!show_event_kind(trace.event_kind(ei))) {
        ++ei;
        ++hidden_events;
        continue;
      }
      const TraceEvent e = trace.event(ei++);
      std::string row = empty_lanes;
      const std::string who = e.host < hosts.size() ? hosts[e.host].name : "?";
      emit(time_cell(e.time, time_column) + row + "   ",
           {who + ": " + event_text(opt.lang, e.kind, e.detail)}, " ");
      ++lines;
      continue;
    }
    const PacketRecord p = trace.packet(pi);
    const auto [src, dst] = arrow_lanes(trace, pi, p);
    std::string row = empty_lanes;
    std::string note_label;  // a label too wide for its arrow, given to the note instead
    if (src < hosts.size() && dst < hosts.size() && src != dst) {
      const int from = column(src), to = column(dst);
      const bool dropped = p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue;
      // Lost packets stop half-way (link loss) or at the sender (queue) with an X.
      const int end = p.fate == Fate::DroppedByQueue ? from + (to > from ? 2 : -2)
                      : dropped                      ? (from + to) / 2
                                                     : to;
      const int a = std::min(from, end), b = std::max(from, end);
      for (int c = a + 1; c < b; ++c) row[c] = '-';
      if (dropped)
        row[end] = 'X';
      else if (to > from)
        row[to - 1] = '>';
      else
        row[to + 1] = '<';
      const std::string text = packet_label(trace, pi, &rel, opt.lang);
      std::string label = " " + text + " ";
      const int room = b - a - 4;
      const int label_w = static_cast<int>(display_width(label));
      if (label_w > room && (routed || !is_ascii(label))) {
        // A routed run's labels ("ARP who-has 10.0.0.2 tell 10.0.0.1") and Chinese text are never cut: a
        // label wider than its arrow goes into the note. (Direct runs keep their word-boundary cut.)
        note_label = text;
      } else if (room > 6) {
        if (label_w > room) {
          // Cut at a word boundary so a label never ends in half a number.
          std::size_t cut = label.rfind(' ', static_cast<std::size_t>(room - 1));
          label = cut == std::string::npos || cut == 0
                      ? shorten_to_width(label, static_cast<std::size_t>(room - 1)) + " "
                      : label.substr(0, cut) + " ";
        }
        // The row is ASCII so far: a label replaces as many bytes as it takes columns (Chinese takes two a
        // character), so the lanes after it stay in place.
        const int w = static_cast<int>(display_width(label));
        const int start = (from < end ? a + 2 : b - 1 - w);
        row.replace(start, w, label);
      }
    }
    const std::string prefix = time_cell(p.time, time_column) + row + "   ";
    // The note: why it was sent, the payload as text, then its fate.
    std::string tag = cause_tag(p.cause, dup_acks.next(trace, p), opt.lang);
    const std::string fate = fate_note(trace, p, opt.lang);
    const std::size_t room =
        opt.width > 0
            ? static_cast<std::size_t>(std::max(0, opt.width - static_cast<int>(display_width(prefix))))
            : std::string::npos;
    // The text shares the line with the fate when both fit whole; else it gets up to a line of its own
    // and the fate goes on below, so "datagram 10" is never cut to make room for "arrives".
    // (Two columns less than the room: a continuation row is indented by two.)
    const std::size_t text_room = room == std::string::npos ? kUnlimitedText
                                  : room > 2                ? std::min(room - 2, kUnlimitedText)
                                                            : 0;
    const std::string text = payload_text(trace, pi, p, opt.text_encoding, text_room);
    std::vector<std::string> parts;
    if (!note_label.empty()) parts.push_back(note_label);
    if (!tag.empty()) parts.push_back(tag);
    if (!text.empty()) parts.push_back(text);
    if (!fate.empty()) parts.push_back(fate);
    emit(prefix, parts, text.empty() ? " " : "  ");
    ++lines;
    ++pi;
  }
  if (truncated)
    out += cli_text(opt.lang, Msg::MoreLines, trace.packet_count() - pi, event_count - ei) + "\n";
  if (hidden_events > 0 && mode != LadderOptions::Events::All)
    out += cli_text(opt.lang, Msg::HiddenEvents, hidden_events) + "\n";
  return out;
}

}  // namespace wirestep
