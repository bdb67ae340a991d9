// The Trace: the one model everything downstream reads (DESIGN.md §"The Trace is the one model").
// Packets are stored column by column (39 bytes each, no per-packet heap) so 10 million fit on a laptop;
// header bytes are rebuilt on demand (packet_bytes.hpp) rather than stored. Non-packet events (socket calls,
// state changes, timers, congestion variables) are a second, smaller table.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/time.hpp"
#include "sim/trace/event_log.hpp"
#include "sim/trace/mapped_column.hpp"
#include "sim/trace/option_table.hpp"
#include "sim/trace/row_groups.hpp"
#include "sim/wire/ip_addr.hpp"
#include "sim/wire/packet.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {

using wire::Transport;

// What happened to a packet on its way.
enum class Fate : std::uint8_t {
  Delivered,       // reached the receiving host's IP layer
  DroppedByLink,   // a loss model or scripted rule dropped it (rule says which)
  DroppedByQueue,  // drop-tail: the link's queue was full
  DroppedByHost,   // arrived, but no socket took it (closed port, full receive buffer, bad checksum)
  InFlight,        // still on the link when the run ended
  Captured,        // read from a capture: fate unknown
};

// Why a packet exists. The simulator knows; for captures the analyzer infers it.
enum class Cause : std::uint8_t {
  Datagram,           // a UDP sendto
  FirstTransmission,  // TCP data or control sent for the first time
  RtoRetransmission,
  FastRetransmission,      // after three duplicate ACKs (RFC 5681 §3.2)
  RecoveryRetransmission,  // during fast recovery, after a partial ACK (RFC 6582 §3.2 step 3)
  RepeatedSynAnswer,       // a SYN,ACK sent again because the peer repeated its SYN
  ZeroWindowProbe,
  PureAck,
  DuplicateAck,
  WindowUpdate,
  KeepAlive,
  Reset,
  LinkDuplicate,  // a copy the link made (duplication impairment)
  Captured,       // read from a capture
  // Appended after Captured so the earlier values keep their numbers (issue #16, SACK recovery):
  RackRetransmission,  // marked lost by RACK (RFC 8985 §6.2) during SACK-based recovery
  TailLossProbe,       // the last segment sent again by a probe timeout (RFC 8985 §7.3)
};
inline constexpr std::size_t kCauseCount = static_cast<std::size_t>(Cause::TailLossProbe) + 1;

// Marks the link or decoder put on a packet, independent of its fate.
namespace mark {
inline constexpr std::uint8_t kDuplicate = 0x01;  // this record is a copy the link made
inline constexpr std::uint8_t kReordered = 0x02;  // held back by the reorder impairment or a scripted delay
inline constexpr std::uint8_t kCorrupted = 0x04;  // a bit flipped on the link: the checksum will fail
inline constexpr std::uint8_t kMalformed = 0x08;  // capture: the decoder rejected it (see decode errors)
inline constexpr std::uint8_t kBadChecksum = 0x10;
inline constexpr std::uint8_t kFragment = 0x20;
}  // namespace mark

std::string_view to_string(Fate f);
std::string_view to_string(Cause c);

enum class EventKind : std::uint8_t {
  SocketCall,     // an application called the socket API (detail: the call)
  SocketBlocked,  // a call found nothing to do yet and waits (seed note 8.1: recv blocks)
  SocketReturn,   // a blocking call returned (detail: what it returned)
  StateChange,    // TCP state (value: new state)
  TimerArm,
  TimerCancel,
  TimerFire,
  Variable,  // a congestion/connection variable changed (detail: name, value: new value)
  Note,      // anything else worth showing (e.g. "datagram to closed port 9 dropped")
};
std::string_view to_string(EventKind k);

// TCP variables and timers the Trace follows; names as RFC 9293 / RFC 6298 spell them.
enum class TraceVar : std::uint8_t {
  Cwnd,
  Ssthresh,
  Srtt,
  Rttvar,
  Rto,
  SndUna,
  SndNxt,
  SndWnd,
  RcvNxt,
  RcvWnd,
  Pipe,  // RFC 6675 §4 SetPipe: bytes the sender thinks are in the network, recorded during SACK recovery
};
std::string_view to_string(TraceVar v);
// SackCompress: Linux's compressed-ACK timer (tcp_compressed_ack_kick), one ACK for a run of out-of-order
// segments.
enum class TraceTimer : std::uint8_t {
  Retransmission,
  Persist,
  DelayedAck,
  TimeWait,
  KeepAlive,
  SackCompress
};
std::string_view to_string(TraceTimer t);

// One event as readers see it. Stored encoded (event_log.hpp: 3-6 bytes, text only where there is text);
// `detail` is filled in when read: for timers and variables it is generated from `code` and `value`. The
// socket events a bulk transfer records on every read carry a code and a number instead of a text;
// Trace::event() writes the text when asked. A recv costs three events, so this is most of the event table's
// memory and time in a long transfer (design notes, "Trace memory").
enum class SocketText : std::uint8_t {
  Free = 0,       // the event's own text
  RecvCall,       // "recv(N)"
  RecvBlocked,    // "recv blocks: no data has arrived yet"
  RecvReturn,     // "recv -> N bytes", or end of stream when N is 0
  RecvTruncCall,  // "recv(N, MSG_TRUNC)": read and discarded (Host::recv_discard)
};

struct TraceEvent {
  SimTime time;
  EventKind kind;
  std::uint32_t host;    // index into hosts()
  std::uint32_t socket;  // host-local socket id, or kNone
  std::int64_t
      value;  // Variable: the new value (ns for times); TimerArm: the deadline (ns); StateChange: TcpState
  std::string detail;
  // Packets recorded before this event (set by Trace::add_event): orders events and packets that share a
  // timestamp exactly as they happened.
  std::uint32_t packets_before = 0;
  std::uint8_t code = 0;  // Variable: TraceVar; timers: TraceTimer
  static constexpr std::uint32_t kNone = 0xFFFFFFFF;
};

// How much of the TCP machinery to record. Full: every variable change and timer arm/cancel/fire (lessons).
// Compact: state changes, congestion variables (cwnd, ssthresh, SRTT, RTTVAR, RTO) and timer fires only;
// snd.una, snd.nxt and rcv.nxt can be read off the packets (large runs, benchmarks).
enum class TraceDetail : std::uint8_t { Full, Compact };

struct TraceHost {
  std::string name;
  wire::IpAddr addr;
  int prefix_len = 24;
};

// Both directions of a conversation are one flow; `a` is the side that sent first.
struct TraceFlow {
  Transport proto = Transport::Other;
  wire::IpAddr a;
  std::uint16_t a_port = 0;
  wire::IpAddr b;
  std::uint16_t b_port = 0;
  std::uint32_t a_host = kNoHost;  // simulated runs: index into hosts()
  std::uint32_t b_host = kNoHost;
  static constexpr std::uint32_t kNoHost = 0xFFFFFFFF;
};

enum class Direction : std::uint8_t { AtoB = 0, BtoA = 1 };
inline Direction opposite(Direction d) {
  return d == Direction::AtoB ? Direction::BtoA : Direction::AtoB;
}

// An ICMP message's fields beyond its flow's addresses (type, code, id/seq or MTU, the quoted packet), and
// the Trace flow the quoted packet belongs to, so an error counts on the conversation it reports on.
struct IcmpRecord {
  wire::IcmpMessage message;
  std::uint32_t quoted_flow = kNoFlow;  // set by Trace::add_packet when left unset and the flow exists
  static constexpr std::uint32_t kNoFlow = 0xFFFFFFFF;
  bool operator==(const IcmpRecord&) const = default;
};

// One packet as the columns store it; a value type for adding and reading, not the storage.
struct PacketRecord {
  SimTime time;    // sent (simulated) or captured
  SimTime arrive;  // reached the receiver, or was dropped (== time for captures)
  std::uint32_t flow = 0;
  Direction dir = Direction::AtoB;
  std::uint8_t tcp_flags = 0;
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint32_t payload_len = 0;
  std::uint16_t window = 0;  // as on the wire
  std::uint16_t ip_id = 0;
  std::uint8_t ttl = 64;
  Fate fate = Fate::Delivered;
  Cause cause = Cause::Datagram;
  std::uint8_t marks = 0;
  std::uint16_t rule = 0;  // 1-based index into drop_rules() when dropped by a link; 0 otherwise
  std::optional<wire::TcpOptions> options;
  // Packets of Icmp and Arp flows (side tables: rare). ICMP's payload is its body: echo data or the quote.
  std::optional<IcmpRecord> icmp;
  std::optional<wire::ArpPacket> arp;
  std::uint64_t payload_ref =
      0;  // simulated: offset into the payload arena; captured: file offset of the frame
};

class Trace {
 public:
  // Hosts, flows and rule names.
  std::uint32_t add_host(TraceHost host);
  const std::vector<TraceHost>& hosts() const { return hosts_; }
  // Finds the flow for a packet from src to dst (either direction), creating it with src as `a`.
  std::pair<std::uint32_t, Direction> flow_for(Transport proto, const wire::IpAddr& src, std::uint16_t sport,
                                               const wire::IpAddr& dst, std::uint16_t dport,
                                               std::uint32_t src_host = TraceFlow::kNoHost,
                                               std::uint32_t dst_host = TraceFlow::kNoHost);
  const std::vector<TraceFlow>& flows() const { return flows_; }
  // The flow of a 5-tuple in either direction, without creating one.
  std::optional<std::uint32_t> find_flow(Transport proto, const wire::IpAddr& src, std::uint16_t sport,
                                         const wire::IpAddr& dst, std::uint16_t dport) const;
  // The flow of the packet an ICMP error quotes (TCP/UDP by ports, ICMP by addresses), if it is in the Trace.
  std::optional<std::uint32_t> find_quoted_flow(const wire::IcmpQuote& quote) const;
  std::uint16_t add_drop_rule(std::string description);
  const std::vector<std::string>& drop_rules() const { return drop_rules_; }

  // Packets, in non-decreasing send time.
  std::uint32_t add_packet(const PacketRecord& p);
  // Room for `n` packets in every column, so a loader that knows roughly how many are coming avoids the
  // copies of repeated growth (the pages are touched only as packets arrive).
  void reserve_packets(std::size_t n);
  std::size_t packet_count() const { return time_.size(); }
  PacketRecord packet(std::size_t i) const;
  std::span<const std::int64_t> packet_times_ns() const { return time_; }
  void set_fate(std::size_t i, Fate fate, SimTime when, std::uint16_t rule = 0);
  void add_marks(std::size_t i, std::uint8_t marks) { rows_.checked<Col::Marks>(i) |= marks; }
  // Quick column reads used on hot paths.
  Fate fate(std::size_t i) const { return static_cast<Fate>((rows_.at<Col::Packed>(i) >> 1) & 0x07); }
  std::uint32_t payload_len(std::size_t i) const {
    return rows_.at<Col::PayloadLen>(i) != 0xFFFF ? rows_.at<Col::PayloadLen>(i)
                                                  : payload_len_escaped_.at(static_cast<std::uint32_t>(i));
  }
  std::uint32_t flow_of(std::size_t i) const { return rows_.at<Col::Flow>(i); }
  Direction direction(std::size_t i) const { return static_cast<Direction>(rows_.at<Col::Packed>(i) & 0x01); }
  std::uint8_t marks(std::size_t i) const { return rows_.at<Col::Marks>(i); }
  std::uint32_t seq(std::size_t i) const { return rows_.at<Col::Seq>(i); }
  std::uint32_t ack(std::size_t i) const { return rows_.at<Col::Ack>(i); }
  std::uint8_t tcp_flags(std::size_t i) const { return rows_.at<Col::TcpFlags>(i); }
  std::uint16_t window(std::size_t i) const { return rows_.at<Col::Window>(i); }
  // The packet's TCP options (decoded from the option table), or nothing when it carried none.
  std::optional<wire::TcpOptions> options(std::size_t i) const;
  // The packet's ICMP or ARP fields, or nullptr when it is not an ICMP / ARP packet.
  const IcmpRecord* icmp(std::size_t i) const;
  const wire::ArpPacket* arp(std::size_t i) const;
  SimTime arrive(std::size_t i) const;
  std::uint64_t payload_ref(std::size_t i) const;

  // Routed networks (issue #18): each hop of a packet is its own row, sent by the node that transmits it and
  // received by the node at the other end of that link, with the link's own Ethernet addresses. Rows without
  // an entry went straight between their flow's two hosts.
  struct LinkHop {
    std::uint32_t from_node = 0;
    std::uint32_t to_node = 0;
    wire::MacAddr src_mac{};
    wire::MacAddr dst_mac{};
  };
  void set_hop(std::uint32_t packet, const LinkHop& hop);  // packets are given their hop in index order
  const LinkHop* hop(std::size_t i) const;

  // Payload bytes. UDP: each datagram's bytes are stored once (payload_ref is the arena offset). TCP:
  // payload_ref is the stream offset of the segment's first byte; bytes the application wrote as literal
  // data are stored once per write (add_stream_chunk), everything else is the bulk pattern
  // (fill_bulk_payload), so retransmissions and bulk transfers cost no payload storage.
  std::uint64_t store_payload(std::span<const std::uint8_t> bytes);
  void add_stream_chunk(std::uint32_t flow, Direction dir, std::uint64_t stream_offset,
                        std::span<const std::uint8_t> bytes);
  // Appends the packet's payload to `out`.
  void payload_bytes(std::size_t packet, std::vector<std::uint8_t>& out) const;
  // Writes payload bytes [from, from + n) of the packet to `out`; throws std::out_of_range outside it.
  void copy_payload(std::size_t packet, std::uint32_t from, std::uint32_t n, std::uint8_t* out) const;
  // Writes bytes [offset, offset + n) of a TCP flow's stream in one direction (what the sender wrote,
  // retransmitted or not) to `out`.
  void copy_stream(std::uint32_t flow, Direction dir, std::uint64_t offset, std::size_t n,
                   std::uint8_t* out) const;

  // Events with text (socket calls, notes, state changes).
  void add_event(TraceEvent e);
  // A socket event whose text is written on demand (SocketText); `value` is the number in it.
  // These three are inline: a bulk transfer records several per packet, and each is only an append.
  void add_socket_event(SimTime t, EventKind kind, std::uint32_t host, std::uint32_t socket, SocketText what,
                        std::int64_t value) {
    events_.append({t.ns, value, static_cast<std::uint32_t>(time_.size()), host, socket, EventLog::kNoText,
                    static_cast<std::uint8_t>(kind), static_cast<std::uint8_t>(what)});
  }
  // Events that are a code and a number (variables, timers): no text stored.
  void add_var(SimTime t, std::uint32_t host, std::uint32_t socket, TraceVar v, std::int64_t value) {
    if (!wants(v)) return;
    events_.append({t.ns, value, static_cast<std::uint32_t>(time_.size()), host, socket, EventLog::kNoText,
                    static_cast<std::uint8_t>(EventKind::Variable), static_cast<std::uint8_t>(v)});
  }
  void add_timer(SimTime t, EventKind kind, std::uint32_t host, std::uint32_t socket, TraceTimer timer,
                 std::int64_t deadline_ns = 0) {
    if (detail_ == TraceDetail::Compact && kind != EventKind::TimerFire) return;
    events_.append({t.ns, deadline_ns, static_cast<std::uint32_t>(time_.size()), host, socket,
                    EventLog::kNoText, static_cast<std::uint8_t>(kind), static_cast<std::uint8_t>(timer)});
  }
  std::size_t event_count() const { return events_.size(); }
  TraceEvent event(std::size_t i) const;
  SimTime event_time(std::size_t i) const { return SimTime{events_.at(i).time}; }
  std::uint32_t event_packets_before(std::size_t i) const { return events_.at(i).packets_before; }
  EventKind event_kind(std::size_t i) const { return static_cast<EventKind>(events_.at(i).kind); }
  std::vector<TraceEvent> events() const;  // every event, materialized: O(n), for tests and exports

  void set_detail(TraceDetail d) { detail_ = d; }
  TraceDetail detail() const { return detail_; }
  bool wants(TraceVar v) const {
    return detail_ == TraceDetail::Full ||
           !(v == TraceVar::SndUna || v == TraceVar::SndNxt || v == TraceVar::RcvNxt ||
             v == TraceVar::SndWnd || v == TraceVar::RcvWnd);
  }

  // Bytes of packet storage per packet (columns + options, ICMP and ARP side tables), for the design note and
  // benchmarks.
  static constexpr std::size_t kColumnBytesPerPacket = 39;
  std::size_t memory_bytes() const;        // packet columns, options, payload arena
  std::size_t event_memory_bytes() const;  // event table and texts

 private:
  std::vector<TraceHost> hosts_;
  std::vector<TraceFlow> flows_;
  std::map<std::tuple<std::uint8_t, wire::IpAddr, std::uint16_t, wire::IpAddr, std::uint16_t>, std::uint32_t>
      flow_index_;  // ordered map: iteration order can never leak nondeterminism
  std::vector<std::string> drop_rules_;

  // Packet columns: 39 bytes per packet. What is rare lives in side tables flagged from `Col::Packed`: the
  // drop rule, TCP options, payload references past 4 GiB, arrivals more than 4.29 s after the send or before
  // it, payloads of 65535 bytes or more.
  MappedColumn<std::int64_t> time_;  // contiguous: the UI binary-searches it (packet_times_ns)
  // The other columns, in row groups (row_groups.hpp); each names the bytes per row laid out before it.
  struct Col {
    using ArriveDelta = GroupColumn<std::uint32_t, 0>;  // arrive - time in ns, or kEscaped
    using Flow = GroupColumn<std::uint32_t, 4>;
    using Seq = GroupColumn<std::uint32_t, 8>;
    using Ack = GroupColumn<std::uint32_t, 12>;
    using PayloadRefLow = GroupColumn<std::uint32_t, 16>;
    using PayloadLen = GroupColumn<std::uint16_t, 20>;  // or kEscaped16
    using Window = GroupColumn<std::uint16_t, 22>;
    using IpId = GroupColumn<std::uint16_t, 24>;
    using TcpFlags = GroupColumn<std::uint8_t, 26>;
    using Packed = GroupColumn<std::uint8_t, 27>;  // direction, fate and the side-table flags (trace.cpp)
    using CauseOf = GroupColumn<std::uint8_t, 28>;
    using Marks = GroupColumn<std::uint8_t, 29>;
    using Ttl = GroupColumn<std::uint8_t, 30>;
    static constexpr std::size_t kRowBytes = 31;
  };
  RowGroups rows_{Col::kRowBytes};
  std::map<std::uint32_t, std::int64_t> arrive_escaped_;
  std::map<std::uint32_t, std::uint32_t> payload_len_escaped_;
  std::map<std::uint32_t, std::uint32_t> payload_ref_high_;
  std::map<std::uint32_t, std::uint16_t> rule_;
  // TCP options of the packets that carry them, delta-encoded (option_table.hpp): every segment of the linux
  // profile carries timestamps.
  OptionTable options_;
  // ICMP and ARP packets' fields, (packet index, fields), sorted by index; flagged by one Col::Packed bit.
  std::vector<std::pair<std::uint32_t, IcmpRecord>> icmp_;
  std::vector<std::pair<std::uint32_t, wire::ArpPacket>> arp_;
  std::vector<std::pair<std::uint32_t, LinkHop>> hops_;  // sorted by packet index

  void store_arrive(std::uint32_t i, std::int64_t arrive);
  void store_rule(std::uint32_t i, std::uint16_t rule);

  std::vector<std::uint8_t> payload_arena_;
  struct StreamChunk {
    std::uint64_t offset;  // in the stream
    std::uint64_t arena;   // in payload_arena_
    std::uint32_t length;
  };
  std::map<std::pair<std::uint32_t, std::uint8_t>, std::vector<StreamChunk>> stream_chunks_;
  EventLog events_;  // millions in a long run: encoded, about 5 bytes each (event_log.hpp)
  std::vector<std::string> texts_;
  TraceDetail detail_ = TraceDetail::Full;
};

}  // namespace wirestep
