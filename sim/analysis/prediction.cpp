#include "sim/analysis/prediction.hpp"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <initializer_list>
#include <iterator>

#include "sim/tcp/seq_num.hpp"
#include "sim/wire/ip_addr.hpp"

namespace wirestep {
namespace {

namespace tf = wire::tcp_flag;

// The reasons' sentences, English and Simplified Chinese, with {0}, {1}, ... for the values. One table, so
// the font loader can add every Chinese character (prediction_texts).
enum class R : std::uint8_t {
  SeqSynRelative,
  SeqSynAbsolute,
  SeqRetransmission,
  WhyRto,
  WhyFast,
  WhyRecovery,
  WhyRepeatedSyn,
  SeqKeepAlive,
  SeqAfterSyn,
  SeqAfterFin,
  SeqAfterData,
  SeqAfterNothing,
  SeqAfterHighest,
  SeqAgain,
  SeqNext,
  SeqFirstSeen,
  AckNone,
  AckOfSyn,
  AckOfFin,
  AckOfDataAndFin,
  AckOfData,
  AckUnchanged,
  AckDuplicate,
  AckFilledGap,
  AckExpected,
  FlagsSyn,
  FlagsSynAgain,
  FlagsSynAck,
  FlagsSynAckAgain,
  FlagsRstRefused,
  FlagsRst,
  FlagsFinPassive,
  FlagsFinActive,
  FlagsAckAlways,
  FlagsAckOfSyn,
  FlagsAckOfFinTimeWait,
  FlagsAckOfFinCloseWait,
  FlagsAckOther,
  Count,
};

struct Template {
  R id;
  const char* en;
  const char* zh;
};

constexpr Template kTemplates[] = {
    {R::SeqSynRelative,
     "seq = 0: a SYN carries {0}'s initial sequence number (ISN); relative numbers count from it, so it is "
     "0.",
     "seq = 0：SYN 携带 {0} 的初始序号（ISN）；相对序号从它开始计数，所以是 0。"},
    {R::SeqSynAbsolute, "seq = {1}: a SYN carries {0}'s initial sequence number (ISN), chosen when it opens.",
     "seq = {1}：SYN 携带 {0} 的初始序号（ISN），在建立连接时选定。"},
    {R::SeqRetransmission,
     "seq = {0}: a retransmission ({1}) repeats the bytes first sent in #{2}, which started at seq {0}.",
     "seq = {0}：这是重传（{1}），重复 #{2} 首次发送的字节，它们从序号 {0} 开始。"},
    {R::WhyRto, "the retransmission timer expired", "重传计时器到期"},
    {R::WhyFast, "three duplicate ACKs asked for them", "三个重复 ACK 在要求这些字节"},
    {R::WhyRecovery, "a partial ACK during fast recovery showed they were lost too",
     "快速恢复中的部分确认表明它们也丢失了"},
    {R::WhyRepeatedSyn, "the peer repeated its SYN", "对方重复了 SYN"},
    {R::SeqKeepAlive,
     "seq = {0}: a keep-alive uses the number one below the next byte ({1}), a byte the peer already has, so "
     "the peer must answer with an ACK.",
     "seq = {0}：保活报文使用比下一个字节（{1}）小 1 的序号，对方已经收到过这个字节，所以对方必须回一个 "
     "ACK。"},
    {R::SeqAfterSyn,
     "seq = {0}: the SYN (#{1}, seq {2}) used up one sequence number, so the next byte is {2} + 1.",
     "seq = {0}：SYN（#{1}，seq {2}）占用一个序号，所以下一个字节是 {2} + 1。"},
    {R::SeqAfterFin, "seq = {0}: the FIN (#{1}, seq {2}) used up one sequence number: {2} + 1.",
     "seq = {0}：FIN（#{1}，seq {2}）占用一个序号：{2} + 1。"},
    {R::SeqAfterData, "seq = {0}: the next byte {1} has not sent yet: #{2} had seq {3} + len {4}.",
     "seq = {0}：{1} 下一个还没发送的字节：#{2} 是 seq {3} + len {4}。"},
    {R::SeqAfterNothing,
     "seq = {0}: the same as #{1}: a segment without data, SYN or FIN uses no sequence number.",
     "seq = {0}：与 #{1} 相同：不带数据、SYN 或 FIN 的报文段不占用序号。"},
    {R::SeqAfterHighest,
     "seq = {0}: the next new byte after the highest sent so far: #{1} had seq {2} + len {3}.",
     "seq = {0}：已发送的最高字节之后的下一个新字节：#{1} 是 seq {2} + len {3}。"},
    {R::SeqAgain, "seq = {0}: {1} sends from seq {0} again; those bytes were first sent in #{2}.",
     "seq = {0}：{1} 再次从序号 {0} 开始发送；这些字节首次在 #{2} 发送。"},
    {R::SeqNext, "seq = {0}: the next byte {1} sends.", "seq = {0}：{1} 发送的下一个字节。"},
    {R::SeqFirstSeen, "seq = {0}: no earlier segment from {1} is in the trace; its byte stream is at {0}.",
     "seq = {0}：记录中没有 {1} 更早的报文段；它的字节流位于 {0}。"},
    {R::AckNone, "no ACK flag: there is nothing from {0} to acknowledge yet.",
     "没有 ACK 标志：还没有需要确认的来自 {0} 的内容。"},
    {R::AckOfSyn,
     "ack = {0}: acknowledges {1}'s SYN (#{2}), which counts as one sequence number: seq {3} + 1.",
     "ack = {0}：确认 {1} 的 SYN（#{2}），SYN 占用一个序号：seq {3} + 1。"},
    {R::AckOfFin,
     "ack = {0}: acknowledges {1}'s FIN (#{2}), which counts as one sequence number: seq {3} + 1.",
     "ack = {0}：确认 {1} 的 FIN（#{2}），FIN 占用一个序号：seq {3} + 1。"},
    {R::AckOfDataAndFin,
     "ack = {0}: acknowledges {1}'s data and FIN (#{2}): seq {3} + len {4} + 1 for the FIN.",
     "ack = {0}：确认 {1} 的数据和 FIN（#{2}）：seq {3} + len {4}，再加 FIN 占用的 1。"},
    {R::AckOfData, "ack = {0}: the receiver acknowledges the next byte it expects: seq {1} + len {2} (#{3}).",
     "ack = {0}：接收方确认它期望的下一个字节：seq {1} + len {2}（#{3}）。"},
    {R::AckUnchanged, " Nothing new from {0} has arrived since, so it is the same as in #{1}.",
     "此后没有来自 {0} 的新数据到达，所以与 #{1} 相同。"},
    {R::AckDuplicate,
     "ack = {0} again: #{1} (seq {2}) arrived, but byte {0} is still missing, so the receiver repeats its "
     "ACK "
     "for {0} (a duplicate ACK): it acknowledges only bytes that arrived in order.",
     "ack = {0}（再次）：#{1}（seq {2}）到达了，但字节 {0} 仍然缺失，所以接收方重复对 {0} 的确认（重复 "
     "ACK）：它只确认按顺序到达的字节。"},
    {R::AckFilledGap,
     "ack = {0}: #{1} (seq {2} + len {3}) filled the gap; the bytes after it up to {0} - 1 had already "
     "arrived, "
     "so the cumulative ACK jumps to {0}.",
     "ack = {0}：#{1}（seq {2} + len {3}）填补了空缺；它之后直到 {0} - 1 "
     "的字节早已到达，所以累积确认直接跳到 "
     "{0}。"},
    {R::AckExpected, "ack = {0}: the next byte {1} expects from {2}.",
     "ack = {0}：{1} 期望从 {2} 收到的下一个字节。"},
    {R::FlagsSyn,
     "SYN: {0} opens the connection: the first segment carries only SYN, with {0}'s initial sequence number; "
     "there is nothing to acknowledge yet, so no ACK.",
     "SYN：{0} 发起连接：第一个报文段只带 SYN 和 {0} 的初始序号；此时还没有可确认的内容，所以没有 ACK。"},
    {R::FlagsSynAgain,
     "SYN: {0} sends its SYN again: no SYN,ACK came back before the retransmission timer expired.",
     "SYN：{0} 再次发送 SYN：重传计时器到期前没有收到 SYN,ACK。"},
    {R::FlagsSynAck,
     "SYN,ACK: the server answers a SYN with its own SYN and acknowledges the client's (#{0}).",
     "SYN,ACK：服务器用自己的 SYN 回答 SYN，同时确认客户端的 SYN（#{0}）。"},
    {R::FlagsSynAckAgain,
     "SYN,ACK: {1}'s SYN came again (#{2}), so {0} answers it again with the same SYN,ACK.",
     "SYN,ACK：{1} 的 SYN 又到了（#{2}），{0} 再次用同样的 SYN,ACK 回答。"},
    {R::FlagsRstRefused,
     "{3}: no socket on {0} accepts the SYN from {1} (#{2}), so {0} refuses the connection with a reset.",
     "{3}：{0} 上没有套接字接受来自 {1} 的 SYN（#{2}），所以 {0} 用重置拒绝连接。"},
    {R::FlagsRst, "{1}: {0} resets the connection: it aborts instead of closing; nobody answers a RST.",
     "{1}：{0} 重置连接：它直接中止而不是正常关闭；没有人回应 RST。"},
    {R::FlagsFinPassive,
     "{3}: {0} had received {1}'s FIN (#{2}); now its application closes too, so {0} sends its own FIN.",
     "{3}：{0} 已收到 {1} 的 FIN（#{2}），现在它的应用也关闭了，所以 {0} 发送自己的 FIN。"},
    {R::FlagsFinActive,
     "{1}: {0}'s application closed its side (close() or shutdown()): FIN says {0} will send no more data.",
     "{1}：{0} 的应用关闭了它这一端（close() 或 shutdown()）：FIN 表示 {0} 不再发送数据。"},
    {R::FlagsAckAlways, " ACK is set on every segment after the handshake.",
     "握手之后的每个报文段都带 ACK。"},
    {R::FlagsAckOfSyn,
     "ACK: {0} acknowledges {1}'s SYN (#{2}); this third segment completes the three-way handshake and "
     "carries no SYN of its own.",
     "ACK：{0} 确认 {1} 的 SYN（#{2}）；这第三个报文段完成三次握手，它自己不带 SYN。"},
    {R::FlagsAckOfFinTimeWait,
     "ACK: {0} acknowledges {1}'s FIN (#{2}). {0} has already sent its own FIN, so no FIN here: both "
     "directions are closed and {0} waits in TIME-WAIT.",
     "ACK：{0} 确认 {1} 的 FIN（#{2}）。{0} 之前已发送过自己的 FIN，所以这里没有 FIN：两个方向都已关闭，{0} "
     "进入 TIME-WAIT 等待。"},
    {R::FlagsAckOfFinCloseWait,
     "ACK: {0} acknowledges {1}'s FIN (#{2}) at once; its own application has not closed yet, so no FIN: {0} "
     "is in CLOSE-WAIT.",
     "ACK：{0} 立即确认 {1} 的 FIN（#{2}）；它自己的应用还没有关闭，所以没有 FIN：{0} 处于 CLOSE-WAIT。"},
    {R::FlagsAckOther, "{1}: the flags of this segment from {0}.", "{1}：{0} 发出的这个报文段的标志。"},
};

constexpr auto make_template_index() {
  std::array<const Template*, static_cast<std::size_t>(R::Count)> index{};
  for (const Template& t : kTemplates) index[static_cast<std::size_t>(t.id)] = &t;
  return index;
}
constexpr auto kTemplateIndex = make_template_index();
static_assert(std::size(kTemplates) == static_cast<std::size_t>(R::Count), "one sentence per reason");

std::string fill(R id, Lang lang, std::initializer_list<std::string> args) {
  const Template* t = kTemplateIndex[static_cast<std::size_t>(id)];
  const char* s = lang == Lang::Zh ? t->zh : t->en;
  std::string out;
  for (; *s; ++s) {
    if (s[0] == '{' && s[1] >= '0' && s[1] <= '9' && s[2] == '}') {
      const auto k = static_cast<std::size_t>(s[1] - '0');
      if (k < args.size()) out += *(args.begin() + k);
      s += 2;
    } else {
      out += *s;
    }
  }
  return out;
}

std::string num(std::uint32_t v) {
  return std::to_string(v);
}
std::string no(std::uint32_t packet) {  // packets are numbered from 1 on screen
  return std::to_string(packet + 1);
}

// Sequence space a segment occupies: its payload, plus one for SYN and one for FIN (RFC 9293 §3.4).
std::uint32_t seq_space(const PacketRecord& p) {
  return p.payload_len + ((p.tcp_flags & tf::kSyn) ? 1u : 0u) + ((p.tcp_flags & tf::kFin) ? 1u : 0u);
}
// The sequence number after the segment; compared with SeqNum, modulo 2^32 (RFC 9293 §3.4).
SeqNum seq_end(const PacketRecord& p) {
  return SeqNum(p.seq) + seq_space(p);
}

bool is_retransmission(Cause c) {
  return c == Cause::RtoRetransmission || c == Cause::FastRetransmission ||
         c == Cause::RecoveryRetransmission || c == Cause::RackRetransmission || c == Cause::TailLossProbe ||
         c == Cause::RepeatedSynAnswer;
}
// Whether `q`, sent by the other side, had reached the sender of a segment sent at `t`. A capture saw the
// packet at its vantage point; that is the best arrival time it has.
bool arrived_by(const PacketRecord& q, std::int64_t t) {
  if (q.fate == Fate::Delivered) return q.arrive.ns <= t;
  if (q.fate == Fate::Captured) return q.time.ns <= t;
  return false;
}

std::string endpoint_name(const Trace& trace, std::uint32_t flow, Direction dir) {
  const TraceFlow& f = trace.flows().at(flow);
  const bool a = dir == Direction::AtoB;
  const std::uint32_t host = a ? f.a_host : f.b_host;
  if (host < trace.hosts().size()) return trace.hosts()[host].name;
  return wire::endpoint_to_string(a ? f.a : f.b, a ? f.a_port : f.b_port);
}

// What came before a segment in its flow, read backwards from it once.
struct History {
  PacketRecord p;
  std::optional<std::uint32_t> prev_same;       // the latest earlier segment from the same side
  std::optional<std::uint32_t> furthest_same;   // the earlier one from the same side that reaches furthest
  std::optional<std::uint32_t> first_same_seq;  // the first one from the same side that started at p.seq
  bool fin_sent_before = false;
  std::optional<std::uint32_t>
      last_arrival;                       // the peer's latest segment with data/SYN/FIN to reach the sender
  std::optional<std::uint32_t> acked;     // the peer's latest-arriving segment ending exactly at p.ack
  std::optional<std::uint32_t> peer_syn;  // the peer's latest SYN to reach the sender
  std::optional<std::uint32_t> peer_fin;  // the peer's latest FIN to reach the sender
};

History read_history(const Trace& trace, std::uint32_t packet) {
  // Enough for any lesson; a huge capture's reasons then only look at the latest stretch of the flow.
  constexpr std::uint32_t kMaxLookBack = 500'000;
  History h;
  h.p = trace.packet(packet);
  const PacketRecord& p = h.p;
  std::int64_t last_arrival_ns = INT64_MIN, acked_ns = INT64_MIN, syn_ns = INT64_MIN, fin_ns = INT64_MIN;
  const std::uint32_t stop = packet > kMaxLookBack ? packet - kMaxLookBack : 0;
  for (std::uint32_t j = packet; j-- > stop;) {
    if (trace.flow_of(j) != p.flow) continue;
    const PacketRecord q = trace.packet(j);
    if (q.dir == p.dir) {
      if (!h.prev_same) h.prev_same = j;
      if (seq_space(q) > 0 && (!h.furthest_same || seq_end(q) > seq_end(trace.packet(*h.furthest_same))))
        h.furthest_same = j;
      if (seq_space(q) > 0 && q.seq == p.seq &&
          ((q.tcp_flags & tf::kSyn) != 0) == ((p.tcp_flags & tf::kSyn) != 0))
        h.first_same_seq = j;
      if (q.tcp_flags & tf::kFin) h.fin_sent_before = true;
      continue;
    }
    if (!arrived_by(q, p.time.ns) || seq_space(q) == 0) continue;
    const std::int64_t at = q.fate == Fate::Captured ? q.time.ns : q.arrive.ns;
    // Scanning backwards: on equal arrival times the later index (seen first) wins.
    if (at > last_arrival_ns) {
      last_arrival_ns = at;
      h.last_arrival = j;
    }
    if (seq_end(q) == SeqNum(p.ack) && at > acked_ns) {
      acked_ns = at;
      h.acked = j;
    }
    if ((q.tcp_flags & tf::kSyn) && at > syn_ns) {
      syn_ns = at;
      h.peer_syn = j;
    }
    if ((q.tcp_flags & tf::kFin) && at > fin_ns) {
      fin_ns = at;
      h.peer_fin = j;
    }
  }
  return h;
}

struct Numbering {
  const RelativeSeq* rel;
  std::string seq(const PacketRecord& q) const { return num(rel ? rel->seq(q.flow, q.dir, q.seq) : q.seq); }
  std::uint32_t seq_value(std::uint32_t flow, Direction dir, std::uint32_t raw) const {
    return rel ? rel->seq(flow, dir, raw) : raw;
  }
  std::uint32_t ack_value(const PacketRecord& q) const {
    return rel ? rel->ack(q.flow, q.dir, q.ack) : q.ack;
  }
};

// The sender's state change recorded with the segment (same time, before it): "CLOSED -> SYN-SENT: connect()
// sends SYN". Simulated runs only; captures have no events.
std::optional<std::string> state_change_with(const Trace& trace, std::uint32_t packet,
                                             const PacketRecord& p) {
  const TraceFlow& f = trace.flows().at(p.flow);
  const std::uint32_t host = p.dir == Direction::AtoB ? f.a_host : f.b_host;
  if (host == TraceFlow::kNoHost || trace.event_count() == 0) return std::nullopt;
  // Events are in time order: the first one after the segment's time, then back over those at its time.
  std::size_t lo = 0, hi = trace.event_count();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (trace.event_time(mid).ns <= p.time.ns)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (std::size_t e = lo; e-- > 0;) {
    if (trace.event_time(e).ns != p.time.ns) break;
    if (trace.event_kind(e) != EventKind::StateChange || trace.event_packets_before(e) > packet) continue;
    const TraceEvent ev = trace.event(e);
    if (ev.host == host) return ev.detail;
  }
  return std::nullopt;
}

// Pure ACK that answers the peer's SYN or FIN: a step of the handshake or the teardown.
bool acks_control(const History& h, const Trace& trace) {
  const PacketRecord& p = h.p;
  if ((p.tcp_flags & (tf::kSyn | tf::kFin | tf::kRst)) || !(p.tcp_flags & tf::kAck) || p.payload_len)
    return false;
  if (!h.acked) return false;
  return (trace.packet(*h.acked).tcp_flags & (tf::kSyn | tf::kFin)) != 0;
}

}  // namespace

std::vector<const char*> prediction_texts(Lang lang) {
  std::vector<const char*> out;
  for (const Template& t : kTemplates) out.push_back(lang == Lang::Zh ? t.zh : t.en);
  return out;
}

PredictKind predict_kind(const Trace& trace, std::uint32_t packet) {
  const PacketRecord p = trace.packet(packet);
  if (p.tcp_flags & (tf::kSyn | tf::kFin | tf::kRst)) return PredictKind::Flags;
  if ((p.tcp_flags & tf::kAck) && p.payload_len == 0 && acks_control(read_history(trace, packet), trace))
    return PredictKind::Flags;
  return PredictKind::Numbers;
}

PredictionQuestion make_question(const Trace& trace, const RelativeSeq* rel, PacketRef packet) {
  const PacketRecord p = trace.packet(packet.packet);
  PredictionQuestion q;
  q.packet = packet;
  q.kind = predict_kind(trace, packet.packet);
  q.relative = rel != nullptr;
  q.seq = rel ? rel->seq(p.flow, p.dir, p.seq) : p.seq;
  q.ack = rel ? rel->ack(p.flow, p.dir, p.ack) : p.ack;
  q.has_ack = (p.tcp_flags & tf::kAck) != 0;
  q.flags = p.tcp_flags & kPredictedFlags;
  return q;
}

std::optional<std::uint32_t> parse_guess_number(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty() || text.size() > 10) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > 0xFFFFFFFFull) return std::nullopt;
  return static_cast<std::uint32_t>(v);
}

bool guess_complete(const PredictionQuestion& q, const PredictionGuess& g) {
  if (g.shown || q.kind == PredictKind::Flags) return true;
  return g.seq.has_value() && (!q.has_ack || g.ack.has_value());
}

PredictionResult check_guess(const PredictionQuestion& q, const PredictionGuess& g) {
  PredictionResult r;
  r.question = q;
  r.guess = g;
  auto verdict = [&](bool right) {
    return g.shown ? Verdict::Shown : right ? Verdict::Right : Verdict::Wrong;
  };
  if (q.kind == PredictKind::Flags) {
    r.flags = verdict((g.flags & kPredictedFlags) == q.flags);
  } else {
    r.seq = verdict(g.seq == q.seq);
    if (q.has_ack) r.ack = verdict(g.ack == q.ack);
  }
  return r;
}

std::string seq_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang) {
  const History h = read_history(trace, packet);
  const PacketRecord& p = h.p;
  const Numbering n{rel};
  const std::string me = endpoint_name(trace, p.flow, p.dir);
  const std::string seq = n.seq(p);
  if (p.tcp_flags & tf::kSyn) {
    if (is_retransmission(p.cause) && h.first_same_seq)
      return fill(R::SeqRetransmission, lang,
                  {seq, fill(p.cause == Cause::RtoRetransmission ? R::WhyRto : R::WhyRepeatedSyn, lang, {}),
                   no(*h.first_same_seq)});
    return rel && n.seq_value(p.flow, p.dir, p.seq) == 0 ? fill(R::SeqSynRelative, lang, {me})
                                                         : fill(R::SeqSynAbsolute, lang, {me, seq});
  }
  if (is_retransmission(p.cause) && h.first_same_seq) {
    const R why = p.cause == Cause::RtoRetransmission    ? R::WhyRto
                  : p.cause == Cause::FastRetransmission ? R::WhyFast
                  : p.cause == Cause::RepeatedSynAnswer  ? R::WhyRepeatedSyn
                                                         : R::WhyRecovery;
    return fill(R::SeqRetransmission, lang, {seq, fill(why, lang, {}), no(*h.first_same_seq)});
  }
  if (p.cause == Cause::KeepAlive)
    return fill(R::SeqKeepAlive, lang, {seq, num(n.seq_value(p.flow, p.dir, p.seq + 1))});
  if (!h.prev_same) return fill(R::SeqFirstSeen, lang, {seq, me});
  const PacketRecord prev = trace.packet(*h.prev_same);
  if (SeqNum(p.seq) == seq_end(prev)) {
    if (seq_space(prev) == 0) return fill(R::SeqAfterNothing, lang, {seq, no(*h.prev_same)});
    if (prev.payload_len == 0 && (prev.tcp_flags & tf::kSyn))
      return fill(R::SeqAfterSyn, lang, {seq, no(*h.prev_same), n.seq(prev)});
    if (prev.payload_len == 0 && (prev.tcp_flags & tf::kFin))
      return fill(R::SeqAfterFin, lang, {seq, no(*h.prev_same), n.seq(prev)});
    return fill(R::SeqAfterData, lang, {seq, me, no(*h.prev_same), n.seq(prev), num(prev.payload_len)});
  }
  if (h.furthest_same) {
    const PacketRecord far = trace.packet(*h.furthest_same);
    if (SeqNum(p.seq) == seq_end(far)) {
      if (far.payload_len == 0 && (far.tcp_flags & tf::kSyn))
        return fill(R::SeqAfterSyn, lang, {seq, no(*h.furthest_same), n.seq(far)});
      return fill(R::SeqAfterHighest, lang, {seq, no(*h.furthest_same), n.seq(far), num(far.payload_len)});
    }
  }
  if (h.first_same_seq) return fill(R::SeqAgain, lang, {seq, me, no(*h.first_same_seq)});
  return fill(R::SeqNext, lang, {seq, me});
}

std::string ack_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang) {
  const History h = read_history(trace, packet);
  const PacketRecord& p = h.p;
  const Numbering n{rel};
  const std::string me = endpoint_name(trace, p.flow, p.dir);
  const std::string peer = endpoint_name(trace, p.flow, opposite(p.dir));
  if (!(p.tcp_flags & tf::kAck)) return fill(R::AckNone, lang, {peer});
  const std::string ack = num(n.ack_value(p));
  if (h.last_arrival) {
    const PacketRecord last = trace.packet(*h.last_arrival);
    if (seq_end(last) > SeqNum(p.ack))
      return fill(R::AckDuplicate, lang, {ack, no(*h.last_arrival), n.seq(last)});
    if (SeqNum(p.ack) > seq_end(last))
      return fill(R::AckFilledGap, lang, {ack, no(*h.last_arrival), n.seq(last), num(last.payload_len)});
  }
  if (!h.acked) return fill(R::AckExpected, lang, {ack, me, peer});
  const PacketRecord a = trace.packet(*h.acked);
  std::string out;
  if (a.payload_len == 0 && (a.tcp_flags & tf::kSyn))
    out = fill(R::AckOfSyn, lang, {ack, peer, no(*h.acked), n.seq(a)});
  else if (a.payload_len == 0)
    out = fill(R::AckOfFin, lang, {ack, peer, no(*h.acked), n.seq(a)});
  else if (a.tcp_flags & tf::kFin)
    out = fill(R::AckOfDataAndFin, lang, {ack, peer, no(*h.acked), n.seq(a), num(a.payload_len)});
  else
    out = fill(R::AckOfData, lang, {ack, n.seq(a), num(a.payload_len), no(*h.acked)});
  // The same number as this side's previous segment: say why it did not move.
  if (h.prev_same && *h.prev_same > *h.acked) {
    const PacketRecord prev = trace.packet(*h.prev_same);
    if ((prev.tcp_flags & tf::kAck) && prev.ack == p.ack && arrived_by(a, prev.time.ns))
      out += fill(R::AckUnchanged, lang, {peer, no(*h.prev_same)});
  }
  return out;
}

std::string flags_reason(const Trace& trace, std::uint32_t packet, const RelativeSeq* rel, Lang lang) {
  (void)rel;  // flags need no numbers; kept so the three reasons are called alike
  const History h = read_history(trace, packet);
  const PacketRecord& p = h.p;
  const std::string me = endpoint_name(trace, p.flow, p.dir);
  const std::string peer = endpoint_name(trace, p.flow, opposite(p.dir));
  const std::string names = wire::tcp_flags_to_string(p.tcp_flags & kPredictedFlags);
  std::string out;
  if ((p.tcp_flags & tf::kSyn) && !(p.tcp_flags & tf::kAck)) {
    out = fill(p.cause == Cause::RtoRetransmission ? R::FlagsSynAgain : R::FlagsSyn, lang, {me});
  } else if (p.tcp_flags & tf::kSyn) {
    const std::string syn = h.peer_syn ? no(*h.peer_syn) : std::string("?");
    out = p.cause == Cause::RepeatedSynAnswer || p.cause == Cause::RtoRetransmission
              ? fill(R::FlagsSynAckAgain, lang, {me, peer, syn})
              : fill(R::FlagsSynAck, lang, {syn});
  } else if (p.tcp_flags & tf::kRst) {
    const bool refused = h.last_arrival && (trace.packet(*h.last_arrival).tcp_flags & tf::kSyn) &&
                         !(trace.packet(*h.last_arrival).tcp_flags & tf::kAck);
    out = refused ? fill(R::FlagsRstRefused, lang, {me, peer, no(*h.last_arrival), names})
                  : fill(R::FlagsRst, lang, {me, names});
  } else if (p.tcp_flags & tf::kFin) {
    out = h.peer_fin ? fill(R::FlagsFinPassive, lang, {me, peer, no(*h.peer_fin), names})
                     : fill(R::FlagsFinActive, lang, {me, names});
    if (p.tcp_flags & tf::kAck) out += fill(R::FlagsAckAlways, lang, {});
  } else if (acks_control(h, trace)) {
    const bool syn = trace.packet(*h.acked).tcp_flags & tf::kSyn;
    out = syn ? fill(R::FlagsAckOfSyn, lang, {me, peer, no(*h.acked)})
              : fill(h.fin_sent_before ? R::FlagsAckOfFinTimeWait : R::FlagsAckOfFinCloseWait, lang,
                     {me, peer, no(*h.acked)});
  } else {
    out = fill(R::FlagsAckOther, lang, {me, names});
  }
  if (auto change = state_change_with(trace, packet, p)) out += "\n(" + me + ": " + *change + ")";
  return out;
}

std::size_t format_hidden_label(char* buf, std::size_t size, const Trace& trace, std::uint32_t packet,
                                PredictKind kind) {
  if (size == 0) return 0;
  const PacketRecord p = trace.packet(packet);
  int n = 0;
  if (kind == PredictKind::Flags) {
    n = p.payload_len ? std::snprintf(buf, size, "flags ? len=%" PRIu32, p.payload_len)
                      : std::snprintf(buf, size, "flags ?");
  } else if (p.payload_len == 0 && (p.tcp_flags & tf::kAck)) {
    n = std::snprintf(buf, size, "ACK ?");
  } else {
    n = std::snprintf(buf, size, "seq=?%s", (p.tcp_flags & tf::kAck) ? " ack=?" : "");
    if (p.payload_len && n >= 0 && static_cast<std::size_t>(n) < size)
      n += std::snprintf(buf + n, size - static_cast<std::size_t>(n), " len=%" PRIu32, p.payload_len);
  }
  if (n < 0) return 0;
  return std::min(static_cast<std::size_t>(n), size - 1);
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> hide_fields(std::vector<Field>& fields,
                                                                 PredictKind kind) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> hidden;
  // The TCP header's range: its options sit after the 20 fixed bytes. Only SYNs carry them here, so in
  // a flags question they would give the SYN away.
  std::uint32_t tcp_begin = 0, tcp_end = 0;
  for (const Field& f : fields)
    if (f.header && f.layer == Layer::Transport && f.name == "TCP") {
      tcp_begin = f.offset;
      tcp_end = f.offset + f.length;
    }
  if (tcp_end == 0) return hidden;
  for (Field& f : fields) {
    if (f.header || f.layer != Layer::Transport) continue;
    bool hide = f.name == "sequence number" || f.name == "acknowledgment number";
    if (kind == PredictKind::Flags)
      hide = f.name == "flags" || f.name == "header length" || f.name == "acknowledgment number" ||
             (f.offset >= tcp_begin + 20 && f.offset < tcp_end);
    if (!hide) continue;
    f.value = "?";
    hidden.emplace_back(f.offset, f.length);
  }
  return hidden;
}

std::optional<TimelineStep> next_segment_send(const StepOrder& steps, std::span<const Trace* const> traces,
                                              const Cursor& cursor, std::size_t max_steps) {
  Cursor c = cursor;
  for (std::size_t k = 0; k < max_steps; ++k) {
    const auto s = steps.next(c);
    if (!s) return std::nullopt;
    c = Cursor{s->time_ns, s};
    if (s->kind != StepKind::Send || s->trace >= traces.size()) continue;
    const Trace& t = *traces[s->trace];
    if (t.flows().at(t.flow_of(s->index)).proto != Transport::Tcp) continue;
    if (t.marks(s->index) & mark::kDuplicate) continue;
    return s;
  }
  return std::nullopt;
}

void PredictionSession::set_enabled(bool on) {
  if (on && !enabled_) {
    revealed_.clear();
    result_.reset();
    right_ = asked_ = 0;
  }
  enabled_ = on;
  blocked_ = false;
}

void PredictionSession::clear() {
  revealed_.clear();
  question_.reset();
  step_.reset();
  result_.reset();
  blocked_ = false;
  right_ = asked_ = 0;
}

void PredictionSession::update(const StepOrder& steps, std::span<const Trace* const> traces,
                               std::span<const RelativeSeq* const> rels, const Cursor& cursor) {
  const auto s = enabled_ ? next_segment_send(steps, traces, cursor) : std::nullopt;
  if (!s) {
    question_.reset();
    step_.reset();
    blocked_ = false;
    return;
  }
  const RelativeSeq* rel = s->trace < rels.size() ? rels[s->trace] : nullptr;
  const PacketRef ref{s->trace, s->index};
  if (question_ && question_->packet == ref && question_->relative == (rel != nullptr)) return;
  if (!question_ || question_->packet != ref) blocked_ = false;
  question_ = make_question(*traces[s->trace], rel, ref);
  step_ = s;
}

std::optional<PacketRef> PredictionSession::hidden() const {
  if (!enabled_ || !question_ || revealed_.count(key(question_->packet))) return std::nullopt;
  return question_->packet;
}

std::optional<PredictKind> PredictionSession::hidden_kind() const {
  if (!hidden()) return std::nullopt;
  return question_->kind;
}

bool PredictionSession::blocks(const std::optional<TimelineStep>& next) const {
  return next && step_ && hidden() && *next == *step_;
}

void PredictionSession::submit(const PredictionGuess& guess) {
  if (!question_ || revealed_.count(key(question_->packet))) return;
  result_ = check_guess(*question_, guess);
  revealed_.insert(key(question_->packet));
  blocked_ = false;
  if (guess.shown) return;
  ++asked_;
  const bool right =
      result_->seq != Verdict::Wrong && result_->ack != Verdict::Wrong && result_->flags != Verdict::Wrong;
  if (right) ++right_;
}

}  // namespace wirestep
