// TCP options after the handshake, with the linux profile: timestamps (RFC 7323: the TSecr echo rules of
// §4.3, RTT from the echo §4.1, PAWS §5) and the receiver's SACK blocks (RFC 2018 §4) and D-SACK (RFC 2883
// §4). A sends full segments over a link that serializes one full frame per millisecond, so each segment
// has a time, and a TSval, of its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "tcp_test_harness.hpp"
#include "ui/model/event_text_zh.hpp"

namespace wirestep {
namespace tcp_options_test {

using namespace tcptest;

constexpr std::uint32_t kSeg = 1448;  // 1460 minus the 12 bytes of timestamps

const TcpConfig kLinux = TcpConfig::for_profile(TcpProfile::Linux);

// A sends `segments` full segments to B at 200 ms; the impairments on A>B decide what B sees.
struct Transfer {
  Transfer(std::vector<Impairment> a_to_b, std::uint64_t segments = 10) : lab(options(std::move(a_to_b))) {
    lab.establish(at_ms(200));
    if (::testing::Test::HasFatalFailure()) return;
    lab.at(at_ms(200), [this, segments] {
      TcpLab::send(lab.A(), lab.client, {}, segments * kSeg, sent);
      TcpLab::read_until_eof(lab.B(), lab.server(), sink);
    });
    lab.at(at_ms(3000), [this] { ASSERT_TRUE(lab.A().close(lab.client).ok()); });
    lab.run(at_ms(6000));
    wire = lab.wire();
  }
  static LabOptions options(std::vector<Impairment> a_to_b) {
    LabOptions o;
    o.bandwidth_a_to_b_bps = kOneFullFramePerMs;
    o.a_to_b = std::move(a_to_b);
    o.tcp_a = kLinux;
    o.tcp_b = kLinux;
    return o;
  }
  // B's pure ACKs in the order B sent them.
  std::vector<WireSeg> acks_from_b() const {
    return filter(wire, [](const WireSeg& s) { return s.from == "B" && s.len == 0 && s.has(flag::kAck); });
  }
  // The first pure ACK B sent at or after `t`.
  const WireSeg* ack_at(SimTime t) const {
    for (const auto& s : wire)
      if (s.from == "B" && s.len == 0 && s.time >= t) return &s;
    return nullptr;
  }

  TcpLab lab;
  CallResult sent;
  Sink sink;
  std::vector<WireSeg> wire;
};

std::uint32_t tsval(const WireSeg& s) {
  return s.options && s.options->timestamps ? s.options->timestamps->value : 0;
}
std::uint32_t tsecr(const WireSeg& s) {
  return s.options && s.options->timestamps ? s.options->timestamps->echo_reply : 0;
}
// SACK blocks relative to A's ISN (the data stream's numbering in WireSeg).
std::vector<std::pair<std::uint32_t, std::uint32_t>> sack_blocks(const WireSeg& s, std::uint32_t isn) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  if (!s.options) return out;
  for (std::size_t i = 0; i < s.options->sack_count; ++i)
    out.emplace_back(s.options->sack[i].left - isn, s.options->sack[i].right - isn);
  return out;
}
std::uint32_t isn_of_a(Transfer& t) {
  return t.lab.trace().packet(t.wire[0].index).seq;
}
// Relative sequence range of A's n-th (1-based) data segment.
std::pair<std::uint32_t, std::uint32_t> data_range(std::uint32_t n) {
  return {1 + (n - 1) * kSeg, 1 + n * kSeg};
}

// RFC 7323 §4.3 (case C): while a hole is open the duplicate ACKs keep echoing the TSval of the segment
// that last advanced the left edge, not the later out-of-order ones; the ACK after the retransmission fills
// the hole echoes the retransmission's TSval, so A measures the RTT of the repair, not of the lost send. A
// (Nagle off) sends one full segment every 5 ms, so each carries a TSval of its own; the 3rd is lost.
TEST(TcpTimestamps, TsecrEchoesTheLeftEdgeThroughALoss) {
  LabOptions o = Transfer::options({drop(PacketKind::Data, {3})});
  o.tcp_a.nagle = false;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish(at_ms(200)));
  std::vector<CallResult> sent(10);
  Sink sink;
  for (int i = 0; i < 10; ++i)
    lab.at(at_ms(200 + 5 * i), [&lab, &sent, i] { TcpLab::send(lab.A(), lab.client, {}, kSeg, sent[i]); });
  lab.at(at_ms(200), [&] { TcpLab::read_until_eof(lab.B(), lab.server(), sink); });
  lab.run(at_ms(2000));
  const auto w = lab.wire();
  ASSERT_EQ(sink.data.size(), 10u * kSeg) << dump(w);
  const auto data = data_segments(w, "A");
  ASSERT_GE(data.size(), 11u) << dump(w);
  for (const auto& s : data) ASSERT_NE(tsval(s), 0u) << s;  // every segment carries timestamps
  const auto dups = with_cause(w, Cause::DuplicateAck);
  ASSERT_GE(dups.size(), 3u) << dump(w);
  // The last ACK before the hole acknowledged segment 2 and echoed a TSval from before the hole.
  const auto acks = filter(w, [&](const WireSeg& s) {
    return s.from == "B" && s.len == 0 && s.time < dups.front().time && s.ack == data_range(2).second;
  });
  ASSERT_FALSE(acks.empty()) << dump(w);
  const std::uint32_t echo_before_hole = tsecr(acks.back());
  EXPECT_LE(echo_before_hole, tsval(data[1]));
  EXPECT_GE(echo_before_hole, tsval(data[0]));
  for (const auto& d : dups) {
    EXPECT_EQ(tsecr(d), echo_before_hole) << d;
    EXPECT_LT(tsecr(d), tsval(data[3])) << d;  // not the out-of-order segment that triggered it
  }
  const auto repairs = filter(data, [](const WireSeg& s) { return s.cause != Cause::FirstTransmission; });
  ASSERT_FALSE(repairs.empty()) << dump(w);
  const WireSeg& repair = repairs.front();
  EXPECT_EQ(repair.seq, data_range(3).first);
  EXPECT_GT(tsval(repair), tsval(data[3]));
  const auto after = filter(w, [&](const WireSeg& s) { return s.from == "B" && s.time >= repair.arrive; });
  ASSERT_FALSE(after.empty()) << dump(w);
  EXPECT_GT(after.front().ack, data_range(3).second) << dump(w);
  EXPECT_EQ(tsecr(after.front()), tsval(repair));
}

// RFC 7323 §4.1: the SYN is lost and sent again after 1 s. Karn's rule forbids timing the retransmitted
// SYN, but its echoed TSval names the transmission the SYN-ACK answers: A gets an RTT sample of 20 ms. An
// rfc-profile client has no sample after the same handshake.
TEST(TcpTimestamps, EchoGivesAnRttSampleWhereKarnsRuleGivesNone) {
  LabOptions o;
  o.a_to_b.push_back(drop(PacketKind::Syn, {1}));
  o.tcp_a = kLinux;
  o.tcp_b = kLinux;
  TcpLab linux_lab(o);
  ASSERT_NO_FATAL_FAILURE(linux_lab.establish(at_ms(1500)));
  ASSERT_TRUE(linux_lab.client_conn()->rtt().srtt().has_value());
  EXPECT_EQ(*linux_lab.client_conn()->rtt().srtt(), SimDuration::millis(20));

  o.tcp_a = o.tcp_b = TcpConfig{};
  TcpLab rfc_lab(o);
  ASSERT_NO_FATAL_FAILURE(rfc_lab.establish(at_ms(1500)));
  EXPECT_FALSE(rfc_lab.client_conn()->rtt().srtt().has_value());
}

// RFC 7323 §4.1 in SYN-RECEIVED: the SYN-ACK is lost and A sends its SYN again; B's repeated SYN-ACK echoes
// the new SYN's TSval, so A's RTT sample is the 20 ms of this exchange, not the time since the first SYN.
TEST(TcpTimestamps, RepeatedSynAckEchoesTheRepeatedSyn) {
  ConnPair p(SeqNum(1000), SeqNum(5000), kLinux, kLinux);
  p.a.connect(at_ms(0));
  CraftedSegment syn = as_input(drain(p.a).at(0));
  p.b.open_from_listen(at_ms(10), syn.in());
  ASSERT_EQ(drain(p.b).size(), 1u);  // the SYN-ACK, lost
  p.a.on_deadline(at_ms(1000));      // A's SYN timer: the SYN again, TSval 1000
  const auto again = p.a_to_b(at_ms(1010));
  ASSERT_EQ(again.size(), 1u);
  ASSERT_TRUE(again[0].options && again[0].options->timestamps);
  EXPECT_EQ(again[0].options->timestamps->value, 1000u);
  const auto answer = p.b_to_a(at_ms(1020));
  ASSERT_EQ(answer.size(), 1u);
  ASSERT_TRUE(answer[0].options && answer[0].options->timestamps);
  EXPECT_EQ(answer[0].options->timestamps->echo_reply, 1000u);
  EXPECT_EQ(name(p.a.state()), "ESTABLISHED");
  ASSERT_TRUE(p.a.rtt().srtt().has_value());
  EXPECT_EQ(*p.a.rtt().srtt(), SimDuration::millis(20));
}

// RFC 7323 §5.3 R1 (PAWS): a data segment whose TSval is older than TS.Recent is dropped, answered with an
// ACK for RCV.NXT, and noted in the Trace; the same bytes with a current TSval are accepted.
TEST(TcpPaws, SegmentWithAnOldTsvalIsDroppedAndAcknowledged) {
  ConnPair p(SeqNum(1000), SeqNum(5000), kLinux, kLinux);
  p.a.connect(at_ms(0));
  CraftedSegment syn = as_input(drain(p.a).at(0));
  p.b.open_from_listen(at_ms(10), syn.in());
  p.b_to_a(at_ms(20));
  p.a_to_b(at_ms(30));
  ASSERT_EQ(name(p.b.state()), "ESTABLISHED");
  ASSERT_TRUE(p.b.timestamps_on());
  const std::uint32_t recent = p.b.ts_recent();
  ASSERT_EQ(recent, 20u);  // A's clock (offset 0 here) when it sent the final ACK

  CraftedSegment old = crafted(SeqNum(1001), SeqNum(5001), flag::kAck | flag::kPsh, 65535, 100);
  old.seg.options.timestamps = wire::TcpTimestamps{recent - 5, 0};
  p.b.on_segment(at_ms(40), old.in());
  EXPECT_EQ(p.b.readable_bytes(), 0u);
  const auto reply = drain(p.b);
  ASSERT_EQ(reply.size(), 1u);
  EXPECT_EQ(reply[0].flags, flag::kAck);
  EXPECT_EQ(reply[0].ack.raw(), 1001u);
  ASSERT_TRUE(reply[0].options && reply[0].options->timestamps);
  EXPECT_EQ(reply[0].options->timestamps->echo_reply, recent);  // TS.Recent is unchanged
  std::string note;
  for (const auto& e : p.trace.events())
    if (e.kind == EventKind::Note && e.detail.find("PAWS") != std::string::npos) note = e.detail;
  EXPECT_EQ(note, "PAWS (RFC 7323 §5): segment dropped, its TSval 15 is older than TS.Recent 20");
  EXPECT_EQ(event_text(Lang::Zh, EventKind::Note, note),
            "PAWS（RFC 7323 §5）：报文段被丢弃，其 TSval 15 早于 TS.Recent 20");

  CraftedSegment fresh = crafted(SeqNum(1001), SeqNum(5001), flag::kAck | flag::kPsh, 65535, 100);
  fresh.seg.options.timestamps = wire::TcpTimestamps{recent + 10, 0};
  p.b.on_segment(at_ms(41), fresh.in());
  EXPECT_EQ(p.b.readable_bytes(), 100u);
  EXPECT_EQ(p.b.ts_recent(), recent + 10);
}

// RFC 2018 §4: with segments 3 and 6 lost, each ACK B sends reports the out-of-order data it holds, the
// block holding the segment that just arrived first. After segment 7 the newest block [7] comes before the
// older [4, 5]; after segment 10 it has grown to [7, 10].
TEST(TcpSack, BlocksNameTheMostRecentDataFirst) {
  Transfer t({drop(PacketKind::Data, {3, 6})});
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_EQ(t.sink.data.size(), 10u * kSeg) << dump(t.wire);
  const auto data = data_segments(t.wire, "A");
  const std::uint32_t isn = isn_of_a(t);
  using Blocks = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  const WireSeg* after4 = t.ack_at(data[3].arrive);
  ASSERT_NE(after4, nullptr);
  EXPECT_EQ(sack_blocks(*after4, isn), (Blocks{data_range(4)}));
  const WireSeg* after5 = t.ack_at(data[4].arrive);
  ASSERT_NE(after5, nullptr);
  EXPECT_EQ(sack_blocks(*after5, isn), (Blocks{{data_range(4).first, data_range(5).second}}));
  const WireSeg* after7 = t.ack_at(data[6].arrive);
  ASSERT_NE(after7, nullptr);
  EXPECT_EQ(sack_blocks(*after7, isn), (Blocks{data_range(7), {data_range(4).first, data_range(5).second}}));
  const WireSeg* after10 = t.ack_at(data[9].arrive);
  ASSERT_NE(after10, nullptr);
  EXPECT_EQ(after10->ack, data_range(3).first);  // still the cumulative ACK of the first hole
  EXPECT_EQ(sack_blocks(*after10, isn), (Blocks{{data_range(7).first, data_range(10).second},
                                                {data_range(4).first, data_range(5).second}}));
  // Once everything has arrived the ACKs carry no blocks.
  const auto acks = t.acks_from_b();
  ASSERT_FALSE(acks.empty());
  EXPECT_TRUE(sack_blocks(acks.back(), isn).empty()) << acks.back();
}

// RFC 2018 §3: beside the 12 bytes of timestamps at most 3 blocks fit in 40 bytes of options. With four
// holes, the ACK after segment 9 lists the three most recent blocks and leaves the oldest out.
TEST(TcpSack, AtMostThreeBlocksBesideTimestamps) {
  Transfer t({drop(PacketKind::Data, {2, 4, 6, 8})});
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  const auto data = data_segments(t.wire, "A");
  ASSERT_GE(data.size(), 9u);
  const WireSeg* after9 = t.ack_at(data[8].arrive);
  ASSERT_NE(after9, nullptr);
  using Blocks = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  EXPECT_EQ(sack_blocks(*after9, isn_of_a(t)), (Blocks{data_range(9), data_range(7), data_range(5)}));
  EXPECT_EQ(t.sink.data.size(), 10u * kSeg) << dump(t.wire);
}

// RFC 2883 §4: the link delivers A's 2nd data segment twice. The copy lies wholly below RCV.NXT, so B's
// ACK for it reports it in a D-SACK block (the only block: nothing is out of order), once.
TEST(TcpDsack, DuplicatedSegmentIsReportedOnceInADsackBlock) {
  ScriptedDuplicate dup;
  dup.kind = PacketKind::Data;
  dup.proto = Transport::Tcp;
  dup.nth = {2};
  Transfer t({Impairment{dup, ""}}, 4);
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ASSERT_EQ(t.sink.data.size(), 4u * kSeg) << dump(t.wire);
  const std::uint32_t isn = isn_of_a(t);
  using Blocks = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  std::vector<WireSeg> with_dsack;
  for (const auto& a : t.acks_from_b())
    if (!sack_blocks(a, isn).empty()) with_dsack.push_back(a);
  ASSERT_EQ(with_dsack.size(), 1u) << dump(t.wire);
  EXPECT_EQ(sack_blocks(with_dsack[0], isn), (Blocks{data_range(2)}));
  EXPECT_LE(with_dsack[0].ack, data_range(4).second);  // below the cumulative ACK: a D-SACK (§4)
  EXPECT_GE(with_dsack[0].ack, data_range(2).second);
}

// Without dsack the duplicate is acknowledged as before, with no block (RFC 2883 is optional).
TEST(TcpDsack, NoDsackBlockWhenDsackIsOff) {
  TcpConfig c = kLinux;
  c.dsack = false;
  ScriptedDuplicate dup;
  dup.kind = PacketKind::Data;
  dup.proto = Transport::Tcp;
  dup.nth = {2};
  LabOptions o = Transfer::options({Impairment{dup, ""}});
  o.tcp_b = c;
  TcpLab lab(o);
  ASSERT_NO_FATAL_FAILURE(lab.establish(at_ms(200)));
  CallResult sent;
  Sink sink;
  lab.at(at_ms(200), [&] {
    TcpLab::send(lab.A(), lab.client, {}, 4 * kSeg, sent);
    TcpLab::read_until_eof(lab.B(), lab.server(), sink);
  });
  lab.run(at_ms(2000));
  for (const auto& s : from_host(lab.wire(), "B")) EXPECT_TRUE(!s.options || s.options->sack_count == 0) << s;
  EXPECT_EQ(sink.data.size(), 4u * kSeg);
}

}  // namespace tcp_options_test
}  // namespace wirestep
