#include "sim/analysis/follow_stream.hpp"

#include <algorithm>
#include <limits>
#include <map>

#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

constexpr std::size_t kMaxErrors = 100;  // one bad file can fail every frame: report the first ones

// One direction of a TCP conversation: where its byte stream starts, how far it is readable, and the
// segments that arrived ahead of a hole (RFC 9293 §3.10.7.4: text is delivered in sequence order).
struct Side {
  bool started = false;
  std::uint32_t base = 0;  // sequence number of stream byte 0 (ISN + 1, or the first data seen)
  std::uint64_t next = 0;  // stream bytes [0, next) are placed
  struct Held {
    std::uint32_t packet;
    std::vector<std::uint8_t> bytes;
    std::uint32_t missing;  // bytes after them the capture cut off
  };
  std::map<std::uint64_t, Held> held;  // by stream offset

  // A 32-bit sequence number as a stream offset, taken as the nearest one to `next` (RFC 9293 §3.4:
  // sequence space wraps, comparisons are modulo 2^32).
  std::int64_t offset_of(std::uint32_t seq) const {
    const auto diff = static_cast<std::int32_t>(seq - (base + static_cast<std::uint32_t>(next)));
    return static_cast<std::int64_t>(next) + diff;
  }
};

class Follower {
 public:
  Follower(FollowStream& out, std::uint64_t max_bytes) : out_(out), max_(max_bytes) {}

  bool full() const { return out_.truncated; }

  // Bytes of `side` at stream offset `at`, followed by `missing` bytes the capture cut off (its snaplen):
  // placed now if they continue the stream, held if ahead of it, dropped where already placed (a
  // retransmission or an overlap shows its bytes once).
  void segment(bool client, std::int64_t at, std::uint32_t packet, std::vector<std::uint8_t>&& bytes,
               std::uint32_t missing) {
    Side& s = side(client);
    const auto next = static_cast<std::int64_t>(s.next);
    if (at + static_cast<std::int64_t>(bytes.size()) + missing <= next) return;
    if (at <= next) {
      place(client, static_cast<std::uint64_t>(std::max<std::int64_t>(at, 0)), at < 0 ? -at : 0, packet,
            bytes, missing);
      drain(client);
      return;
    }
    if (held_ + bytes.size() > max_) {
      stop();
      return;
    }
    auto [it, inserted] = s.held.try_emplace(static_cast<std::uint64_t>(at), Side::Held{packet, {}, 0});
    if (!inserted && it->second.bytes.size() + it->second.missing >= bytes.size() + missing) return;
    held_ -= it->second.bytes.size();
    held_ += bytes.size();
    it->second.packet = packet;
    it->second.bytes = std::move(bytes);
    it->second.missing = missing;
  }

  // The peer acknowledged up to `ack`: it received every byte before it, so a hole below it is bytes the
  // capture missed, not bytes still coming.
  void acknowledged(bool client, std::uint32_t ack) {
    Side& s = side(client);
    if (!s.started || s.held.empty()) return;
    const std::int64_t at = s.offset_of(ack);
    if (at > static_cast<std::int64_t>(s.next)) flush(client, static_cast<std::uint64_t>(at));
  }

  // Places held segments that start below `limit`, with a gap in front of each one a hole separates.
  void flush(bool client, std::uint64_t limit = std::numeric_limits<std::uint64_t>::max()) {
    Side& s = side(client);
    while (!full() && !s.held.empty() && s.held.begin()->first < limit) {
      const auto& [at, held] = *s.held.begin();
      if (at > s.next) gap(client, held.packet, at - s.next);
      drain(client);
    }
  }

  // Appends bytes the side sent, cut at the cap.
  void emit(bool client, std::uint32_t packet, const std::uint8_t* data, std::size_t n) {
    if (full() || n == 0) return;
    Side& s = side(client);
    const std::uint64_t kept = out_.bytes[0] + out_.bytes[1];
    const std::uint64_t room = max_ > kept ? max_ - kept : 0;
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(n, room));
    if (take > 0) {
      FollowChunk c;
      c.from_client = client;
      c.rel_seq = s.next;
      c.packet = packet;
      c.bytes.assign(data, data + take);
      out_.chunks.push_back(std::move(c));
      out_.bytes[client ? 0 : 1] += take;
      s.next += take;
    }
    if (take < n) stop();
  }

  // Bytes the capture lacks, as one chunk: the stream goes on after them.
  void gap(bool client, std::uint32_t packet, std::uint64_t n) {
    if (full() || n == 0) return;
    Side& s = side(client);
    FollowChunk c;
    c.from_client = client;
    c.rel_seq = s.next;
    c.packet = packet;
    c.missing = n;
    out_.chunks.push_back(std::move(c));
    s.next += n;
  }

  Side& side(bool client) { return sides_[client ? 0 : 1]; }

 private:
  // A segment starting at or before `next` (at stream offset `at`, whose first `skip` bytes lie before the
  // stream's start): what lies beyond `next` is new.
  void place(bool client, std::uint64_t at, std::uint64_t skip, std::uint32_t packet,
             const std::vector<std::uint8_t>& bytes, std::uint32_t missing) {
    Side& s = side(client);
    const std::uint64_t bytes_end = at + (bytes.size() > skip ? bytes.size() - skip : 0);
    if (bytes_end > s.next) {
      const std::size_t from = static_cast<std::size_t>(skip + (s.next - at));
      emit(client, packet, bytes.data() + from, bytes.size() - from);
    }
    const std::uint64_t end = bytes_end + missing;
    if (end > s.next) gap(client, packet, end - s.next);
  }

  void drain(bool client) {
    Side& s = side(client);
    while (!full() && !s.held.empty() && s.held.begin()->first <= s.next) {
      auto node = s.held.extract(s.held.begin());
      held_ -= node.mapped().bytes.size();
      place(client, node.key(), 0, node.mapped().packet, node.mapped().bytes, node.mapped().missing);
    }
  }

  void stop() {
    out_.truncated = true;
    out_.truncated_at = out_.bytes[0] + out_.bytes[1];
  }

  FollowStream& out_;
  std::uint64_t max_;
  std::uint64_t held_ = 0;  // bytes waiting ahead of a hole, counted against the cap as well
  std::array<Side, 2> sides_{};
};

void note_error(FollowStream& out, const FollowOptions& options, std::uint32_t packet, const Error& e) {
  if (out.errors.size() >= kMaxErrors) return;
  const std::uint32_t frame = options.frame_number ? options.frame_number(packet) : packet + 1;
  std::string where = "frame " + std::to_string(frame);
  if (!e.where.empty()) where += " (" + e.where + ")";
  out.errors.push_back(Error{e.file, where, e.reason});
}

}  // namespace

PayloadSource trace_payload_source(const Trace& trace) {
  return [&trace](std::uint32_t packet, std::vector<std::uint8_t>& out) -> Status {
    if (packet >= trace.packet_count()) return Error{"", "", "no such packet"};
    trace.payload_bytes(packet, out);
    return Ok{};
  };
}

Result<FollowStream> follow_stream(const Trace& trace, const FlowAnalyzer& analysis,
                                   std::uint32_t conversation, const PayloadSource& payload,
                                   const FollowOptions& options) {
  const auto& conversations = analysis.conversations();
  if (conversation >= conversations.size())
    return Error{"", "flow " + std::to_string(conversation),
                 conversations.empty()
                     ? std::string("no such flow: there are none")
                     : "no such flow: they are numbered 0 to " + std::to_string(conversations.size() - 1)};
  const Conversation& c = conversations[conversation];
  if (c.proto != Transport::Tcp && c.proto != Transport::Udp)
    return Error{"", "flow " + std::to_string(conversation), "neither TCP nor UDP: nothing to follow"};
  if (c.trace_flow >= trace.flows().size() || c.last_packet >= trace.packet_count())
    return Error{"", "flow " + std::to_string(conversation), "the flow does not belong to this trace"};

  FollowStream out;
  out.proto = c.proto;
  out.conversation = conversation;
  out.stream = c.tcp.stream;
  if (c.proto == Transport::Udp) {
    out.stream = 0;  // Wireshark's udp.stream: UDP conversations numbered in order of first packet
    for (std::uint32_t k = 0; k < conversation; ++k) out.stream += conversations[k].proto == Transport::Udp;
  }
  const TraceFlow& flow = trace.flows()[c.trace_flow];
  const bool a_is_client = c.initiator == Direction::AtoB;
  out.client_addr = a_is_client ? flow.a : flow.b;
  out.client_port = a_is_client ? flow.a_port : flow.b_port;
  out.server_addr = a_is_client ? flow.b : flow.a;
  out.server_port = a_is_client ? flow.b_port : flow.a_port;

  Follower f(out, options.max_bytes);
  std::vector<std::uint8_t> bytes;
  for (std::uint32_t i = c.first_packet; i <= c.last_packet && !f.full(); ++i) {
    if (trace.flow_of(i) != c.trace_flow || analysis.conversation_of(c.trace_flow, i) != conversation)
      continue;
    // Fragments and frames the decoder rejected carry no transport header to place them by.
    if (trace.marks(i) & (mark::kMalformed | mark::kFragment)) continue;
    const bool client = trace.direction(i) == c.initiator;
    const std::uint32_t len = trace.payload_len(i);
    const std::uint8_t flags = trace.tcp_flags(i);
    // RFC 9293 §3.4: the SYN occupies the sequence number before the first data byte.
    const std::uint32_t data_seq = trace.seq(i) + ((flags & wire::tcp_flag::kSyn) ? 1 : 0);
    if (c.proto == Transport::Tcp) {
      if (flags & wire::tcp_flag::kAck) f.acknowledged(!client, trace.ack(i));
      Side& s = f.side(client);
      if (!s.started && ((flags & wire::tcp_flag::kSyn) || len > 0)) {
        s.started = true;
        s.base = data_seq;
      }
      if (len == 0) continue;
    } else if (len == 0) {
      continue;
    }
    bytes.clear();
    if (auto st = payload(i, bytes); !st) {
      note_error(out, options, i, st.error());
      continue;
    }
    if (bytes.size() > len) bytes.resize(len);  // never more than the headers claim
    // A frame cut short by the capture's snaplen: the rest of its payload is missing, not zero.
    const auto missing = static_cast<std::uint32_t>(len - bytes.size());
    if (c.proto == Transport::Tcp) {
      f.segment(client, f.side(client).offset_of(data_seq), i, std::vector<std::uint8_t>(bytes), missing);
    } else {
      f.emit(client, i, bytes.data(), bytes.size());
      f.gap(client, i, missing);
    }
  }
  // Whatever is still held sits behind bytes the capture never saw.
  f.flush(true);
  f.flush(false);
  return out;
}

std::optional<std::uint32_t> conversation_of_tcp_stream(const FlowAnalyzer& analysis, std::uint32_t stream) {
  for (const Conversation& c : analysis.conversations())
    if (c.proto == Transport::Tcp && c.tcp.stream == stream) return c.id;
  return std::nullopt;
}

std::optional<std::uint32_t> conversation_of_udp_stream(const FlowAnalyzer& analysis, std::uint32_t stream) {
  std::uint32_t n = 0;
  for (const Conversation& c : analysis.conversations())
    if (c.proto == Transport::Udp && n++ == stream) return c.id;
  return std::nullopt;
}

}  // namespace wirestep
