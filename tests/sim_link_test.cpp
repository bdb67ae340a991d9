// One link direction on its own: loss models, scripted drops, serialization, queueing, jitter and the other
// impairments, driven through LinkDirection::transmit with no hosts or event loop (STYLE.md §6, §7).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/net/impairment.hpp"
#include "sim/net/link.hpp"
#include "sim/trace/trace.hpp"
#include "sim/wire/transport.hpp"

namespace wirestep {
namespace sim_link_test {

using wire::tcp_flag::kAck;
using wire::tcp_flag::kFin;
using wire::tcp_flag::kRst;
using wire::tcp_flag::kSyn;

constexpr std::uint64_t kSeed = 20240611;

PacketTraits udp_packet(std::uint32_t wire_bytes = 100) {
  return PacketTraits{Transport::Udp, 0, wire_bytes > 42 ? wire_bytes - 42 : 0, wire_bytes};
}

PacketTraits tcp_packet(std::uint8_t flags, std::uint32_t payload_len = 0) {
  return PacketTraits{Transport::Tcp, flags, payload_len, 54 + payload_len};
}

LinkParams params_with(std::vector<Impairment> impairments, SimDuration latency = SimDuration::millis(10)) {
  LinkParams p;
  p.latency = latency;
  p.impairments = std::move(impairments);
  return p;
}

Impairment rule(ImpairmentKind k) {
  return Impairment{std::move(k), ""};
}

// Sends `n` packets 1 µs apart and returns the verdicts.
std::vector<LinkVerdict> send_many(LinkDirection& link, int n, PacketTraits pkt = udp_packet()) {
  std::vector<LinkVerdict> out;
  out.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out.push_back(link.transmit(SimTime{i * 1'000LL}, pkt));
  return out;
}

int count_fate(const std::vector<LinkVerdict>& vs, Fate f) {
  int n = 0;
  for (const auto& v : vs) n += v.fate == f;
  return n;
}

bool same_verdict(const LinkVerdict& a, const LinkVerdict& b) {
  return a.fate == b.fate && a.rule == b.rule && a.arrive == b.arrive && a.marks == b.marks &&
         a.corrupt_rule == b.corrupt_rule && a.duplicate == b.duplicate &&
         a.duplicate_arrive == b.duplicate_arrive;
}

// ---------------------------------------------------------------------------------------------------------
// Bernoulli loss

TEST(LinkBernoulli, MeasuredLossWithinOnePointOfSetting) {
  // Each packet is lost independently with the set probability: 1%, 10%, 30% over 100,000 packets.
  constexpr int kPackets = 100'000;
  for (const Ppm loss : {Ppm{10'000}, Ppm{100'000}, Ppm{300'000}}) {
    Trace trace;
    LinkDirection link("A>B", params_with({rule(BernoulliLoss{loss})}), kSeed, trace);
    const auto vs = send_many(link, kPackets);
    const int dropped = count_fate(vs, Fate::DroppedByLink);
    const int expected = static_cast<int>(std::int64_t{kPackets} * loss / kPpmOne);
    EXPECT_NEAR(dropped, expected, kPackets / 100)
        << "loss " << format_ppm_percent(loss) << " seed " << kSeed;
    EXPECT_EQ(count_fate(vs, Fate::Delivered), kPackets - dropped);
  }
}

TEST(LinkBernoulli, ZeroAndHundredPercentAreExact) {
  // The ends of the range involve no randomness: 0% loses nothing, 100% loses everything.
  Trace trace;
  LinkDirection none("A>B", params_with({rule(BernoulliLoss{0})}), kSeed, trace);
  LinkDirection all("B>A", params_with({rule(BernoulliLoss{kPpmOne})}), kSeed, trace);
  EXPECT_EQ(count_fate(send_many(none, 10'000), Fate::DroppedByLink), 0);
  EXPECT_EQ(count_fate(send_many(all, 10'000), Fate::DroppedByLink), 10'000);
}

TEST(LinkBernoulli, DropNamesTheRuleAndHappensHalfwayAlongTheWire) {
  // A dropped packet carries the Trace rule id, and the Trace shows it lost at departure + latency / 2.
  Trace trace;
  LinkDirection link("A>B", params_with({rule(BernoulliLoss{kPpmOne})}, SimDuration::millis(10)), kSeed,
                     trace);
  ASSERT_EQ(trace.drop_rules().size(), 1u);
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: bernoulli loss 100%");
  const LinkVerdict v = link.transmit(SimTime{SimDuration::millis(3).ns}, udp_packet());
  EXPECT_EQ(v.fate, Fate::DroppedByLink);
  EXPECT_EQ(v.rule, 1);
  EXPECT_EQ(v.arrive, SimTime{SimDuration::millis(8).ns});
}

// ---------------------------------------------------------------------------------------------------------
// Gilbert–Elliott loss

TEST(LinkGilbertElliott, MeanBurstLengthIsOneOverR) {
  // p = 1%, r = 25%: bursts of consecutive drops average 1 / r = 4 packets; long-run loss p / (p + r).
  constexpr int kPackets = 200'000;
  GilbertElliottLoss ge;
  ge.p = 10'000;
  ge.r = 250'000;
  Trace trace;
  LinkDirection link("A>B", params_with({rule(ge)}), kSeed, trace);
  const auto vs = send_many(link, kPackets);

  int dropped = 0, bursts = 0;
  bool in_burst = false;
  for (const auto& v : vs) {
    const bool drop = v.fate == Fate::DroppedByLink;
    dropped += drop;
    if (drop && !in_burst) ++bursts;
    in_burst = drop;
  }
  ASSERT_GT(bursts, 0);
  const double mean_burst = static_cast<double>(dropped) / bursts;
  EXPECT_NEAR(mean_burst, 4.0, 0.3) << "seed " << kSeed << ": " << dropped << " drops in " << bursts
                                    << " bursts";
  const double loss = static_cast<double>(dropped) / kPackets;
  EXPECT_NEAR(loss, 10'000.0 / 260'000.0, 0.005) << "seed " << kSeed;  // 3.85%
}

TEST(LinkGilbertElliott, LongBurstsForSmallR) {
  // r = 10% gives mean bursts of 10: the model is really bursty, not Bernoulli with the same mean.
  constexpr int kPackets = 200'000;
  GilbertElliottLoss ge;
  ge.p = 5'000;
  ge.r = 100'000;
  Trace trace;
  LinkDirection link("A>B", params_with({rule(ge)}), kSeed, trace);
  const auto vs = send_many(link, kPackets);
  int dropped = 0, bursts = 0;
  bool in_burst = false;
  for (const auto& v : vs) {
    const bool drop = v.fate == Fate::DroppedByLink;
    dropped += drop;
    if (drop && !in_burst) ++bursts;
    in_burst = drop;
  }
  ASSERT_GT(bursts, 0);
  EXPECT_NEAR(static_cast<double>(dropped) / bursts, 10.0, 1.0) << "seed " << kSeed;
  EXPECT_NEAR(static_cast<double>(dropped) / kPackets, 5'000.0 / 105'000.0, 0.01) << "seed " << kSeed;
}

TEST(LinkGilbertElliott, DescriptionNamesBothTransitionProbabilities) {
  // The Trace rule text is what the UI shows next to a cross on the ladder.
  GilbertElliottLoss ge;
  ge.p = 10'000;
  ge.r = 250'000;
  Trace trace;
  LinkDirection link("B>A", params_with({rule(ge)}), kSeed, trace);
  ASSERT_EQ(trace.drop_rules().size(), 1u);
  EXPECT_EQ(trace.drop_rules()[0], "link B>A rule 1: gilbert-elliott loss p=1% r=25%");
}

// ---------------------------------------------------------------------------------------------------------
// Scripted drops

TEST(LinkScriptedDrop, NthDropsOnlyThatOccurrenceOfTheKind) {
  // nth = {3} for datagrams: the 3rd datagram is dropped; TCP packets in between are not counted.
  ScriptedDrop s;
  s.kind = PacketKind::Datagram;
  s.nth = {3};
  Trace trace;
  LinkDirection link("A>B", params_with({rule(s)}), kSeed, trace);
  const std::vector<PacketTraits> sent = {udp_packet(), tcp_packet(kAck), udp_packet(), tcp_packet(kAck, 100),
                                          udp_packet(), udp_packet(),     udp_packet()};
  std::vector<Fate> fates;
  for (std::size_t i = 0; i < sent.size(); ++i)
    fates.push_back(link.transmit(SimTime{static_cast<std::int64_t>(i) * 1000}, sent[i]).fate);
  const std::vector<Fate> expected = {Fate::Delivered,     Fate::Delivered, Fate::Delivered, Fate::Delivered,
                                      Fate::DroppedByLink, Fate::Delivered, Fate::Delivered};
  EXPECT_EQ(fates, expected);
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: scripted drop of datagram #3");
}

TEST(LinkScriptedDrop, SeveralNthValuesDropEachNamedOccurrence) {
  // nth = {1, 4}: the 1st and 4th SYN-ACKs are dropped (e.g. a server's first SYN-ACK and a later retry).
  ScriptedDrop s;
  s.kind = PacketKind::SynAck;
  s.nth = {1, 4};
  Trace trace;
  LinkDirection link("B>A", params_with({rule(s)}), kSeed, trace);
  std::vector<bool> dropped;
  for (int i = 0; i < 6; ++i)
    dropped.push_back(link.transmit(SimTime{i * 1000LL}, tcp_packet(kSyn | kAck)).fate ==
                      Fate::DroppedByLink);
  EXPECT_EQ(dropped, (std::vector<bool>{true, false, false, true, false, false}));
}

TEST(LinkScriptedDrop, EmptyNthDropsEveryMatchOfTheKindAndNothingElse) {
  // kind = syn-ack without nth: every SYN-ACK is lost; SYN, ACK, data, FIN, RST and UDP all pass.
  ScriptedDrop s;
  s.kind = PacketKind::SynAck;
  Trace trace;
  LinkDirection link("B>A", params_with({rule(s)}), kSeed, trace);
  const std::vector<PacketTraits> sent = {tcp_packet(kSyn),      tcp_packet(kSyn | kAck), tcp_packet(kAck),
                                          tcp_packet(kAck, 500), tcp_packet(kFin | kAck), tcp_packet(kRst),
                                          udp_packet(),          tcp_packet(kSyn | kAck)};
  std::vector<bool> dropped;
  for (std::size_t i = 0; i < sent.size(); ++i)
    dropped.push_back(link.transmit(SimTime{static_cast<std::int64_t>(i) * 1000}, sent[i]).fate ==
                      Fate::DroppedByLink);
  EXPECT_EQ(dropped, (std::vector<bool>{false, true, false, false, false, false, false, true}));
}

TEST(LinkScriptedDrop, ProtocolFilterLimitsAnyKindToOneTransport) {
  // kind = any with proto = udp drops every datagram and no TCP segment.
  ScriptedDrop s;
  s.kind = PacketKind::Any;
  s.proto = Transport::Udp;
  Trace trace;
  LinkDirection link("A>B", params_with({rule(s)}), kSeed, trace);
  EXPECT_EQ(link.transmit(SimTime{0}, udp_packet()).fate, Fate::DroppedByLink);
  EXPECT_EQ(link.transmit(SimTime{1000}, tcp_packet(kSyn)).fate, Fate::Delivered);
  EXPECT_EQ(link.transmit(SimTime{2000}, tcp_packet(kAck, 10)).fate, Fate::Delivered);
  EXPECT_EQ(link.transmit(SimTime{3000}, udp_packet()).fate, Fate::DroppedByLink);
}

TEST(LinkScriptedDrop, TimeWindowDropsExactlyThePacketsSentInsideIt) {
  // [from, until) = [10 ms, 20 ms): packets sent at 0..29 ms, one per ms; exactly 10..19 ms are lost.
  ScriptedDrop s;
  s.from = SimTime{SimDuration::millis(10).ns};
  s.until = SimTime{SimDuration::millis(20).ns};
  Trace trace;
  LinkDirection link("A>B", params_with({rule(s)}), kSeed, trace);
  for (int ms = 0; ms < 30; ++ms) {
    const LinkVerdict v = link.transmit(SimTime{SimDuration::millis(ms).ns}, udp_packet());
    const bool inside = ms >= 10 && ms < 20;
    EXPECT_EQ(v.fate, inside ? Fate::DroppedByLink : Fate::Delivered) << "sent at " << ms << " ms";
  }
  // One nanosecond before the window opens and at its closing instant, packets pass.
  Trace trace2;
  LinkDirection edge("A>B", params_with({rule(s)}), kSeed, trace2);
  EXPECT_EQ(edge.transmit(SimTime{SimDuration::millis(10).ns - 1}, udp_packet()).fate, Fate::Delivered);
  EXPECT_EQ(edge.transmit(SimTime{SimDuration::millis(10).ns}, udp_packet()).fate, Fate::DroppedByLink);
  EXPECT_EQ(edge.transmit(SimTime{SimDuration::millis(20).ns - 1}, udp_packet()).fate, Fate::DroppedByLink);
  EXPECT_EQ(edge.transmit(SimTime{SimDuration::millis(20).ns}, udp_packet()).fate, Fate::Delivered);
  EXPECT_EQ(trace.drop_rules()[0],
            "link A>B rule 1: scripted drop of packets between 10.000 ms and 20.000 ms");
}

TEST(LinkScriptedDrop, NthCountsOnlyMatchesInsideTheWindow) {
  // With a window and nth = {2}, occurrences are counted among packets that match kind and window.
  ScriptedDrop s;
  s.kind = PacketKind::Datagram;
  s.nth = {2};
  s.from = SimTime{SimDuration::millis(5).ns};
  Trace trace;
  LinkDirection link("A>B", params_with({rule(s)}), kSeed, trace);
  std::vector<bool> dropped;
  for (int ms = 0; ms < 10; ++ms)
    dropped.push_back(link.transmit(SimTime{SimDuration::millis(ms).ns}, udp_packet()).fate ==
                      Fate::DroppedByLink);
  // 5 ms is the 1st match, 6 ms the 2nd.
  EXPECT_EQ(dropped,
            (std::vector<bool>{false, false, false, false, false, false, true, false, false, false}));
}

TEST(LinkPacketKind, FlagsAndPayloadClassifyEachKind) {
  // The kinds scripted rules name, from TCP flags (RFC 9293 §3.1) and payload length.
  EXPECT_TRUE(packet_is_kind(PacketKind::Syn, Transport::Tcp, kSyn, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::SynAck, Transport::Tcp, kSyn, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::SynAck, Transport::Tcp, kSyn | kAck, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::Syn, Transport::Tcp, kSyn | kAck, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::Ack, Transport::Tcp, kSyn | kAck, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::Ack, Transport::Tcp, kAck, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::Ack, Transport::Tcp, kAck, 1));
  EXPECT_TRUE(packet_is_kind(PacketKind::Data, Transport::Tcp, kAck, 1));
  EXPECT_FALSE(packet_is_kind(PacketKind::Data, Transport::Tcp, kAck, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::Fin, Transport::Tcp, kFin | kAck, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::Ack, Transport::Tcp, kFin | kAck, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::Rst, Transport::Tcp, kRst, 0));
  EXPECT_FALSE(packet_is_kind(PacketKind::Ack, Transport::Tcp, kRst | kAck, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::Datagram, Transport::Udp, 0, 10));
  EXPECT_FALSE(packet_is_kind(PacketKind::Data, Transport::Udp, 0, 10));
  EXPECT_FALSE(packet_is_kind(PacketKind::Datagram, Transport::Tcp, kAck, 10));
  EXPECT_TRUE(packet_is_kind(PacketKind::Any, Transport::Udp, 0, 0));
  EXPECT_TRUE(packet_is_kind(PacketKind::Any, Transport::Tcp, kRst, 0));
}

TEST(LinkPacketKind, NamesRoundTrip) {
  // Scenario files name kinds by these strings.
  for (auto k : {PacketKind::Any, PacketKind::Datagram, PacketKind::Syn, PacketKind::SynAck, PacketKind::Data,
                 PacketKind::Ack, PacketKind::Fin, PacketKind::Rst}) {
    EXPECT_EQ(packet_kind_from_string(to_string(k)), k) << to_string(k);
  }
  EXPECT_EQ(to_string(PacketKind::SynAck), "syn-ack");
  EXPECT_FALSE(packet_kind_from_string("synack").has_value());
}

// ---------------------------------------------------------------------------------------------------------
// Serialization, latency and the drop-tail queue

TEST(LinkTiming, ThousandBytesAtEightMbitTakesExactlyOneMillisecond) {
  // 1000 bytes * 8 bits / 8,000,000 bit/s = 1 ms; arrival = start + serialization + latency.
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.bandwidth_bps = 8'000'000;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  const LinkVerdict v = link.transmit(SimTime{SimDuration::millis(5).ns}, udp_packet(1000));
  EXPECT_EQ(v.fate, Fate::Delivered);
  EXPECT_EQ(v.arrive, SimTime{SimDuration::millis(16).ns});
  EXPECT_EQ(v.marks, 0);
  EXPECT_FALSE(v.duplicate);
}

TEST(LinkTiming, SerializationRoundsUpToTheNextNanosecond) {
  // 100 bytes at 3 Mbit/s is 266,666.67 ns: the link is busy until the whole last bit is out.
  LinkParams p;
  p.latency = SimDuration{};
  p.bandwidth_bps = 3'000'000;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  EXPECT_EQ(link.transmit(SimTime{0}, udp_packet(100)).arrive, SimTime{266'667});
}

TEST(LinkTiming, UnlimitedBandwidthAddsOnlyLatency) {
  // bandwidth 0 means no serialization delay: back-to-back packets all arrive after exactly the latency.
  Trace trace;
  LinkDirection link("A>B", params_with({}, SimDuration::millis(7)), kSeed, trace);
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(link.transmit(SimTime{0}, udp_packet(1500)).arrive, SimTime{SimDuration::millis(7).ns});
}

TEST(LinkTiming, BackToBackPacketsQueueBehindEachOther) {
  // Three 1000-byte packets handed over at 0 ms leave at 1, 2, 3 ms and arrive at 11, 12, 13 ms.
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.bandwidth_bps = 8'000'000;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  EXPECT_EQ(link.transmit(SimTime{0}, udp_packet(1000)).arrive, SimTime{SimDuration::millis(11).ns});
  EXPECT_EQ(link.transmit(SimTime{0}, udp_packet(1000)).arrive, SimTime{SimDuration::millis(12).ns});
  EXPECT_EQ(link.transmit(SimTime{0}, udp_packet(1000)).arrive, SimTime{SimDuration::millis(13).ns});
  // Once the link has gone idle, a new packet starts at once: sent at 20 ms, arrives at 31 ms.
  EXPECT_EQ(link.transmit(SimTime{SimDuration::millis(20).ns}, udp_packet(1000)).arrive,
            SimTime{SimDuration::millis(31).ns});
}

TEST(LinkQueue, DropTailDropsThePacketThatWouldExceedTheLimit) {
  // Queue of 2 (one being sent, one waiting): the 3rd packet handed over at 0 ms is dropped at once.
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.bandwidth_bps = 8'000'000;
  p.queue_packets = 2;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  ASSERT_EQ(trace.drop_rules().size(), 1u);
  EXPECT_EQ(trace.drop_rules()[0], "link A>B queue full (2 packets, drop-tail)");

  const LinkVerdict first = link.transmit(SimTime{0}, udp_packet(1000));
  const LinkVerdict second = link.transmit(SimTime{0}, udp_packet(1000));
  const LinkVerdict third = link.transmit(SimTime{0}, udp_packet(1000));
  EXPECT_EQ(first.fate, Fate::Delivered);
  EXPECT_EQ(second.fate, Fate::Delivered);
  EXPECT_EQ(third.fate, Fate::DroppedByQueue);
  EXPECT_EQ(third.rule, 1);
  EXPECT_EQ(third.arrive, SimTime{0});

  // Still full one nanosecond before the first packet's last bit leaves at 1 ms.
  EXPECT_EQ(link.transmit(SimTime{SimDuration::millis(1).ns - 1}, udp_packet(1000)).fate,
            Fate::DroppedByQueue);
  // At 1 ms one slot is free; the packet starts after the second (busy until 2 ms) and arrives at 13 ms.
  const LinkVerdict fourth = link.transmit(SimTime{SimDuration::millis(1).ns}, udp_packet(1000));
  EXPECT_EQ(fourth.fate, Fate::Delivered);
  EXPECT_EQ(fourth.arrive, SimTime{SimDuration::millis(13).ns});
}

TEST(LinkQueue, ZeroLimitNeverDropsAndAddsNoRule) {
  // queue_packets = 0 means unlimited: a thousand back-to-back packets are all accepted.
  LinkParams p;
  p.bandwidth_bps = 8'000'000;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  EXPECT_TRUE(trace.drop_rules().empty());
  std::vector<LinkVerdict> vs;
  for (int i = 0; i < 1000; ++i) vs.push_back(link.transmit(SimTime{0}, udp_packet(1000)));
  EXPECT_EQ(count_fate(vs, Fate::Delivered), 1000);
  EXPECT_EQ(vs.back().arrive, SimTime{SimDuration::millis(1000 + 10).ns});
}

// ---------------------------------------------------------------------------------------------------------
// Jitter, reordering, duplication, corruption

TEST(LinkJitter, NeverReordersAndStaysWithinLatencyPlusJitter) {
  // Jitter varies each flight by [0, jitter], but a FIFO link keeps order: arrivals never decrease.
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.jitter = SimDuration::millis(5);
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  SimTime prev{};
  int held_back = 0;  // arrivals raised to the previous packet's arrival: proof that order was enforced
  for (int i = 0; i < 10'000; ++i) {
    const SimTime sent{i * 100'000LL};  // every 100 µs, far closer than the jitter
    const LinkVerdict v = link.transmit(sent, udp_packet());
    ASSERT_EQ(v.fate, Fate::Delivered);
    ASSERT_GE(v.arrive, prev) << "packet " << i << " seed " << kSeed;
    ASSERT_GE(v.arrive, sent + p.latency) << "packet " << i;
    ASSERT_LE(v.arrive, sent + p.latency + p.jitter) << "packet " << i;
    EXPECT_EQ(v.marks & mark::kReordered, 0);
    held_back += v.arrive == prev;
    prev = v.arrive;
  }
  EXPECT_GT(held_back, 0) << "seed " << kSeed;
}

TEST(LinkJitter, SpacedPacketsSpreadOverTheWholeJitterRange) {
  // Packets 20 ms apart (more than the jitter) are never held back, so flights cover [latency, latency +
  // jitter].
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.jitter = SimDuration::millis(5);
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  std::int64_t min_flight = INT64_MAX, max_flight = 0;
  for (int i = 0; i < 1'000; ++i) {
    const SimTime sent{SimDuration::millis(20 * i).ns};
    const std::int64_t flight = (link.transmit(sent, udp_packet()).arrive - sent).ns;
    ASSERT_GE(flight, p.latency.ns) << "packet " << i;
    ASSERT_LE(flight, (p.latency + p.jitter).ns) << "packet " << i;
    min_flight = std::min(min_flight, flight);
    max_flight = std::max(max_flight, flight);
  }
  EXPECT_LT(min_flight, SimDuration::micros(10'100).ns) << "seed " << kSeed;
  EXPECT_GT(max_flight, SimDuration::micros(14'900).ns) << "seed " << kSeed;
}

TEST(LinkReorder, OnlyTheReorderRuleDelaysPastLaterPackets) {
  // Reorder 20% with +10 ms: chosen packets carry kReordered and arrive 10 ms late; later packets overtake.
  Reorder ro;
  ro.chance = 200'000;
  ro.extra_delay = SimDuration::millis(10);
  Trace trace;
  LinkDirection link("A>B", params_with({rule(ro)}, SimDuration::millis(10)), kSeed, trace);
  constexpr int kPackets = 10'000;
  int reordered = 0, overtaken = 0;
  SimTime prev{};
  for (int i = 0; i < kPackets; ++i) {
    const SimTime sent{SimDuration::millis(i).ns};
    const LinkVerdict v = link.transmit(sent, udp_packet());
    ASSERT_EQ(v.fate, Fate::Delivered);
    if (v.marks & mark::kReordered) {
      ++reordered;
      ASSERT_EQ(v.arrive, sent + SimDuration::millis(20)) << "packet " << i;
    } else {
      ASSERT_EQ(v.arrive, sent + SimDuration::millis(10)) << "packet " << i;
    }
    overtaken += v.arrive < prev;
    prev = v.arrive;
  }
  EXPECT_NEAR(reordered, kPackets / 5, kPackets / 100) << "seed " << kSeed;
  EXPECT_GT(overtaken, 0);
  EXPECT_EQ(trace.drop_rules()[0], "link A>B rule 1: reordering 20% (+10.000 ms)");
}

TEST(LinkDuplicate, SetsDuplicateWithTheCopyOneSerializationBehind) {
  // Duplicate 100%: every verdict asks for a second copy, arriving one serialization time (1 ms) later.
  LinkParams p = params_with({rule(Duplicate{kPpmOne})}, SimDuration::millis(10));
  p.bandwidth_bps = 8'000'000;
  Trace trace;
  LinkDirection link("A>B", p, kSeed, trace);
  const LinkVerdict v = link.transmit(SimTime{0}, udp_packet(1000));
  EXPECT_EQ(v.fate, Fate::Delivered);
  EXPECT_TRUE(v.duplicate);
  EXPECT_EQ(v.arrive, SimTime{SimDuration::millis(11).ns});
  EXPECT_EQ(v.duplicate_arrive, SimTime{SimDuration::millis(12).ns});
}

TEST(LinkDuplicate, CopyOnAnUnlimitedLinkFollowsOneMicrosecondLater) {
  // With no serialization time the copy still arrives after the original, 1 µs behind.
  Trace trace;
  LinkDirection link("A>B", params_with({rule(Duplicate{kPpmOne})}, SimDuration::millis(10)), kSeed, trace);
  const LinkVerdict v = link.transmit(SimTime{0}, udp_packet());
  EXPECT_TRUE(v.duplicate);
  EXPECT_EQ(v.duplicate_arrive, SimTime{SimDuration::millis(10).ns + 1'000});
}

TEST(LinkDuplicate, ChanceIsMeasuredAndZeroNeverDuplicates) {
  // Duplicate 10% over 100,000 packets duplicates 10% ± 1 point; 0% never does.
  Trace trace;
  LinkDirection ten("A>B", params_with({rule(Duplicate{100'000})}), kSeed, trace);
  LinkDirection zero("B>A", params_with({rule(Duplicate{0})}), kSeed, trace);
  int dup_ten = 0, dup_zero = 0;
  for (const auto& v : send_many(ten, 100'000)) dup_ten += v.duplicate;
  for (const auto& v : send_many(zero, 100'000)) dup_zero += v.duplicate;
  EXPECT_NEAR(dup_ten, 10'000, 1'000) << "seed " << kSeed;
  EXPECT_EQ(dup_zero, 0);
}

TEST(LinkDuplicate, DroppedPacketIsNeverDuplicated) {
  // A packet lost on the wire has no copy and no marks, whatever order the rules are in.
  Trace trace;
  LinkDirection link(
      "A>B", params_with({rule(Duplicate{kPpmOne}), rule(Corrupt{kPpmOne}), rule(BernoulliLoss{kPpmOne})}),
      kSeed, trace);
  const LinkVerdict v = link.transmit(SimTime{0}, udp_packet());
  EXPECT_EQ(v.fate, Fate::DroppedByLink);
  EXPECT_EQ(v.rule, 3);
  EXPECT_FALSE(v.duplicate);
  EXPECT_EQ(v.marks, 0);
}

TEST(LinkCorrupt, SetsCorruptedMarkAndNamesTheRule) {
  // Corrupt 100%: the packet is delivered (the receiver's checksum catches it) with kCorrupted set.
  Trace trace;
  LinkDirection link("A>B", params_with({rule(BernoulliLoss{0}), rule(Corrupt{kPpmOne})}), kSeed, trace);
  const LinkVerdict v = link.transmit(SimTime{0}, udp_packet());
  EXPECT_EQ(v.fate, Fate::Delivered);
  EXPECT_EQ(v.marks, mark::kCorrupted);
  EXPECT_EQ(v.corrupt_rule, 2);
  EXPECT_EQ(v.rule, 0);
  EXPECT_EQ(trace.drop_rules()[1], "link A>B rule 2: corruption 100%");
}

TEST(LinkCorrupt, ChanceIsMeasured) {
  // Corrupt 30% over 100,000 packets marks 30% ± 1 point, and corrupts without dropping.
  Trace trace;
  LinkDirection link("A>B", params_with({rule(Corrupt{300'000})}), kSeed, trace);
  const auto vs = send_many(link, 100'000);
  int corrupted = 0;
  for (const auto& v : vs) corrupted += (v.marks & mark::kCorrupted) != 0;
  EXPECT_NEAR(corrupted, 30'000, 1'000) << "seed " << kSeed;
  EXPECT_EQ(count_fate(vs, Fate::Delivered), 100'000);
}

// ---------------------------------------------------------------------------------------------------------
// Determinism (STYLE.md §7)

std::vector<ImpairmentKind> everything() {
  GilbertElliottLoss ge;
  ge.p = 20'000;
  ge.r = 300'000;
  return {BernoulliLoss{50'000}, ge, Duplicate{50'000}, Reorder{50'000, SimDuration::millis(3)},
          Corrupt{50'000}};
}

LinkParams everything_params() {
  LinkParams p;
  p.latency = SimDuration::millis(10);
  p.jitter = SimDuration::millis(2);
  p.bandwidth_bps = 10'000'000;
  p.queue_packets = 50;
  for (auto& k : everything()) p.impairments.push_back(rule(k));
  return p;
}

TEST(LinkDeterminism, SameSeedGivesIdenticalVerdictSequence) {
  // Two links built from the same name, seed and parameters decide every packet identically.
  for (std::uint64_t seed : {std::uint64_t{1}, std::uint64_t{7}, std::uint64_t{0xDEADBEEF}}) {
    Trace t1, t2;
    LinkDirection a("A>B", everything_params(), seed, t1);
    LinkDirection b("A>B", everything_params(), seed, t2);
    for (int i = 0; i < 20'000; ++i) {
      const SimTime now{i * 300'000LL};
      const LinkVerdict va = a.transmit(now, udp_packet(1000));
      const LinkVerdict vb = b.transmit(now, udp_packet(1000));
      ASSERT_TRUE(same_verdict(va, vb))
          << "seed " << seed << " packet " << i << " at " << format_millis(now) << " ms";
    }
    EXPECT_EQ(t1.drop_rules(), t2.drop_rules());
  }
}

TEST(LinkDeterminism, DifferentLinkNamesGiveIndependentLossPatterns) {
  // "A>B" and "B>A" with the same seed draw from different streams: their 10% loss patterns differ.
  Trace trace;
  LinkDirection ab("A>B", params_with({rule(BernoulliLoss{100'000})}), kSeed, trace);
  LinkDirection ba("B>A", params_with({rule(BernoulliLoss{100'000})}), kSeed, trace);
  const auto vab = send_many(ab, 10'000);
  const auto vba = send_many(ba, 10'000);
  int both = 0, differ = 0;
  for (std::size_t i = 0; i < vab.size(); ++i) {
    const bool da = vab[i].fate == Fate::DroppedByLink, db = vba[i].fate == Fate::DroppedByLink;
    both += da && db;
    differ += da != db;
  }
  // Independent 10% streams: about 1% lost on both, about 18% lost on exactly one.
  EXPECT_NEAR(both, 100, 60) << "seed " << kSeed;
  EXPECT_NEAR(differ, 1'800, 300) << "seed " << kSeed;
}

TEST(LinkDeterminism, DifferentSeedsGiveDifferentLossPatterns) {
  // The seed reaches the loss stream: seeds 1 and 2 lose different packets.
  Trace trace;
  LinkDirection s1("A>B", params_with({rule(BernoulliLoss{100'000})}), 1, trace);
  LinkDirection s2("A>B", params_with({rule(BernoulliLoss{100'000})}), 2, trace);
  const auto v1 = send_many(s1, 10'000);
  const auto v2 = send_many(s2, 10'000);
  int differ = 0;
  for (std::size_t i = 0; i < v1.size(); ++i) differ += v1[i].fate != v2[i].fate;
  EXPECT_NEAR(differ, 1'800, 300);
}

TEST(LinkDeterminism, AddingARuleDoesNotShiftAnotherRulesDraws) {
  // Each rule has its own stream: appending a duplication rule leaves the loss pattern of rule 1 unchanged.
  Trace trace;
  LinkDirection plain("A>B", params_with({rule(BernoulliLoss{100'000})}), kSeed, trace);
  LinkDirection more("A>B", params_with({rule(BernoulliLoss{100'000}), rule(Duplicate{500'000})}), kSeed,
                     trace);
  const auto vp = send_many(plain, 10'000);
  const auto vm = send_many(more, 10'000);
  for (std::size_t i = 0; i < vp.size(); ++i) ASSERT_EQ(vp[i].fate, vm[i].fate) << "packet " << i;
}

}  // namespace sim_link_test
}  // namespace wirestep
