// The state table shows the TCP variables the Trace recorded; they must agree with the packets on the wire at
// every moment. The walk rebuilds, from the packets alone, what each end has sent and received by the end of
// each simulated instant, and compares it with the last value recorded (RFC 9293 §3.3.1 names the variables).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"

namespace wirestep {
namespace tcp_variables_test {

using namespace wire::tcp_flag;

// Wrap-aware sequence comparisons (RFC 9293 §3.4).
bool seq_le(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(b - a) >= 0;
}
bool seq_lt(std::uint32_t a, std::uint32_t b) {
  return static_cast<std::int32_t>(b - a) > 0;
}
std::uint32_t seq_max(std::uint32_t a, std::uint32_t b) {
  return seq_lt(a, b) ? b : a;
}

std::uint32_t seg_len(const PacketRecord& p) {
  return p.payload_len + ((p.tcp_flags & kSyn) ? 1 : 0) + ((p.tcp_flags & kFin) ? 1 : 0);
}

// What one end of the connection has put on the wire and taken off it, from the packets alone.
struct End {
  std::uint32_t host = 0;
  Direction out = Direction::AtoB;
  std::optional<std::uint8_t> own_wscale, peer_wscale;  // from the SYNs
  // Sending side.
  std::optional<std::uint32_t> iss, snd_max;
  std::optional<std::uint32_t> highest_ack_received;
  std::optional<std::uint32_t> wnd, wl1, wl2;  // the send window by RFC 9293 §3.10.7.4's update rule
  // Receiving side.
  std::optional<std::uint32_t> irs, highest_ack_sent, right_edge;
  std::map<std::uint32_t, std::uint32_t> received;  // delivered peer segments: offset from irs -> end offset
  std::uint32_t in_order = 1;                       // offset from irs of the next in-order byte
  // What the Trace recorded, last value per variable.
  std::map<TraceVar, std::int64_t> vars;
  std::optional<TcpState> state;
  std::optional<std::int64_t>
      last_rto_arm;                     // deadline - now of the retransmission timer armed last, this instant
  std::vector<std::uint32_t> sent_now;  // seq + len of each segment sent in the current instant

  std::uint8_t scale_in() const { return own_wscale && peer_wscale ? *peer_wscale : 0; }
  std::uint8_t scale_out() const { return own_wscale && peer_wscale ? *own_wscale : 0; }

  void on_sent(const PacketRecord& p) {
    if (p.tcp_flags & kRst) return;
    if ((p.tcp_flags & kSyn) && !iss) iss = p.seq;
    const std::uint32_t end = p.seq + seg_len(p);
    snd_max = snd_max ? seq_max(*snd_max, end) : end;
    sent_now.push_back(end);
    if (p.tcp_flags & kAck) {
      highest_ack_sent = highest_ack_sent ? seq_max(*highest_ack_sent, p.ack) : p.ack;
      const std::uint32_t wnd_bytes =
          (p.tcp_flags & kSyn) ? p.window : static_cast<std::uint32_t>(p.window) << scale_out();
      const std::uint32_t edge = p.ack + wnd_bytes;
      right_edge = right_edge ? seq_max(*right_edge, edge) : edge;
    }
  }

  void on_received(const PacketRecord& p) {
    if (p.tcp_flags & kRst) return;
    if ((p.tcp_flags & kSyn) && !irs) irs = p.seq;
    if (p.tcp_flags & kSyn) {  // RFC 7323 §2.2: the window in a SYN is never scaled
      wnd = p.window;
      wl1 = p.seq;
      wl2 = p.ack;
    }
    if ((p.tcp_flags & kAck) && snd_max && seq_le(p.ack, *snd_max)) {
      highest_ack_received = highest_ack_received ? seq_max(*highest_ack_received, p.ack) : p.ack;
      if (!(p.tcp_flags & kSyn) && wl1 && (seq_lt(*wl1, p.seq) || (*wl1 == p.seq && seq_le(*wl2, p.ack)))) {
        wnd = static_cast<std::uint32_t>(p.window) << scale_in();
        wl1 = p.seq;
        wl2 = p.ack;
      }
    }
    if (!irs || seg_len(p) == 0) return;
    const std::uint32_t from = p.seq - *irs, to = from + seg_len(p);
    auto& held = received[from];
    held = std::max(held, to);
    for (auto it = received.begin(); it != received.end() && it->first <= in_order; ++it)
      in_order = std::max(in_order, it->second);
  }
};

struct Lesson {
  const char* file;
  // The zero-window lesson's probe bytes reach B but are refused (RFC 9293 §3.10.7.4: no data is
  // acceptable in a zero window), so there the next in-order byte received is only an upper bound.
  bool every_delivered_byte_accepted;
};

class TcpVariablesMatchTheWire : public ::testing::TestWithParam<Lesson> {};

TEST_P(TcpVariablesMatchTheWire, EveryRecordedVariableAgreesWithThePacketsAtThatMoment) {
  // Goal: whatever the state table shows at a moment is what the packets on the wire say at that moment.
  auto sc = load_scenario_file(testing::source_path(std::string("scenarios/") + GetParam().file));
  ASSERT_TRUE(sc.ok()) << sc.error().message();
  for (const std::uint64_t seed : {1u, 7u, 42u}) {
    const RunResult run = run_scenario(*sc, seed);
    const Trace& t = run.trace;
    std::optional<std::uint32_t> flow;
    for (std::uint32_t f = 0; f < t.flows().size(); ++f)
      if (t.flows()[f].proto == Transport::Tcp) {
        ASSERT_FALSE(flow) << "the walk expects one TCP connection";
        flow = f;
      }
    ASSERT_TRUE(flow);
    std::array<End, 2> ends;
    ends[0].host = t.flows()[*flow].a_host;
    ends[1].host = t.flows()[*flow].b_host;
    ends[1].out = Direction::BtoA;
    auto end_of = [&](std::uint32_t host) -> End* {
      for (auto& e : ends)
        if (e.host == host) return &e;
      return nullptr;
    };

    // Window scaling is settled by the two SYNs (RFC 7323 §2.2), whatever happens in the same instant.
    for (std::size_t i = t.packet_count(); i-- > 0;) {
      const PacketRecord p = t.packet(i);
      if (p.flow != *flow || !(p.tcp_flags & kSyn) || !p.options) continue;
      ends[p.dir == Direction::AtoB ? 0 : 1].own_wscale = p.options->window_scale;
      ends[p.dir == Direction::AtoB ? 1 : 0].peer_wscale = p.options->window_scale;
    }

    // Every moment something happened: packets sent, packets arriving, events.
    std::vector<std::size_t> by_arrival;
    std::set<std::int64_t> moments;
    for (std::size_t i = 0; i < t.packet_count(); ++i) {
      if (t.flow_of(i) != *flow) continue;
      moments.insert(t.packet(i).time.ns);
      if (t.fate(i) == Fate::Delivered) {
        by_arrival.push_back(i);
        moments.insert(t.arrive(i).ns);
      }
    }
    std::stable_sort(by_arrival.begin(), by_arrival.end(),
                     [&](std::size_t a, std::size_t b) { return t.arrive(a).ns < t.arrive(b).ns; });
    const std::vector<TraceEvent> events = t.events();
    for (const auto& ev : events) moments.insert(ev.time.ns);

    std::size_t next_sent = 0, next_arrival = 0, next_event = 0;
    std::size_t checks = 0;
    for (const std::int64_t now : moments) {
      for (auto& e : ends) {
        e.sent_now.clear();
        e.last_rto_arm.reset();
      }
      for (; next_sent < t.packet_count() && t.packet(next_sent).time.ns <= now; ++next_sent)
        if (t.flow_of(next_sent) == *flow)
          ends[t.direction(next_sent) == Direction::AtoB ? 0 : 1].on_sent(t.packet(next_sent));
      for (; next_arrival < by_arrival.size() && t.arrive(by_arrival[next_arrival]).ns <= now;
           ++next_arrival) {
        const std::size_t i = by_arrival[next_arrival];
        ends[t.direction(i) == Direction::AtoB ? 1 : 0].on_received(t.packet(i));
      }
      for (; next_event < events.size() && events[next_event].time.ns <= now; ++next_event) {
        const TraceEvent& ev = events[next_event];
        End* e = end_of(ev.host);
        if (!e) continue;
        if (ev.kind == EventKind::Variable) e->vars[static_cast<TraceVar>(ev.code)] = ev.value;
        if (ev.kind == EventKind::StateChange) e->state = static_cast<TcpState>(ev.value);
        if (ev.kind == EventKind::TimerArm &&
            ev.code == static_cast<std::uint8_t>(TraceTimer::Retransmission))
          e->last_rto_arm = ev.value - ev.time.ns;
      }

      // The end of this instant: every call that ran in it has finished and recorded what it changed.
      for (auto& e : ends) {
        if (!e.state || *e.state == TcpState::Closed || *e.state == TcpState::Listen || !e.iss) continue;
        const std::string where = std::string(GetParam().file) + " seed " + std::to_string(seed) + ", " +
                                  t.hosts()[e.host].name + " at " + format_millis(SimTime{now}) + " ms: ";
        auto var = [&](TraceVar v) -> std::optional<std::uint32_t> {
          const auto it = e.vars.find(v);
          if (it == e.vars.end()) return std::nullopt;
          return static_cast<std::uint32_t>(it->second);
        };
        const auto snd_nxt = var(TraceVar::SndNxt), snd_una = var(TraceVar::SndUna);
        ASSERT_TRUE(snd_nxt && snd_una) << where << "snd.una and snd.nxt are recorded from the first SYN on";
        // RFC 9293 §3.3.1: SND.NXT is the next sequence number to be sent: past every segment just sent.
        for (const std::uint32_t sent_end : e.sent_now)
          EXPECT_TRUE(seq_le(sent_end, *snd_nxt)) << where << "a segment ending at " << sent_end - *e.iss
                                                  << " left, but snd.nxt = " << *snd_nxt - *e.iss;
        EXPECT_TRUE(seq_le(*snd_nxt, *e.snd_max)) << where << "snd.nxt is beyond anything sent";
        // SND.UNA is the oldest unacknowledged sequence number: the highest cumulative ACK received.
        EXPECT_EQ(*snd_una - *e.iss, e.highest_ack_received.value_or(*e.iss) - *e.iss) << where << "snd.una";
        if (e.wnd) {
          ASSERT_TRUE(var(TraceVar::SndWnd)) << where << "snd.wnd not recorded";
          EXPECT_EQ(*var(TraceVar::SndWnd), *e.wnd) << where << "snd.wnd";
        }
        if (e.last_rto_arm && var(TraceVar::Rto)) {
          EXPECT_EQ(e.vars[TraceVar::Rto], *e.last_rto_arm)
              << where << "the timer armed is not the recorded RTO";
        }
        ++checks;
        if (!e.irs || *e.state == TcpState::SynSent) continue;
        const auto rcv_nxt = var(TraceVar::RcvNxt), rcv_wnd = var(TraceVar::RcvWnd);
        ASSERT_TRUE(rcv_nxt && rcv_wnd)
            << where << "rcv.nxt and rcv.wnd are recorded once the peer's SYN is in";
        // RCV.NXT is the next sequence number expected: the next in-order byte received, and at least what
        // every ACK sent so far acknowledged.
        const std::uint32_t rel = *rcv_nxt - *e.irs;
        if (GetParam().every_delivered_byte_accepted) {
          EXPECT_EQ(rel, e.in_order) << where << "rcv.nxt";
        } else {
          EXPECT_LE(rel, e.in_order) << where << "rcv.nxt is beyond the bytes received";
        }
        if (e.highest_ack_sent) {
          EXPECT_TRUE(seq_le(*e.highest_ack_sent, *rcv_nxt)) << where << "rcv.nxt went back";
        }
        // RCV.WND: from rcv.nxt to the right edge of the window last advertised (which never moves left).
        if (e.right_edge) {
          const std::uint32_t expect = seq_lt(*rcv_nxt, *e.right_edge) ? *e.right_edge - *rcv_nxt : 0;
          EXPECT_EQ(*rcv_wnd, expect) << where << "rcv.wnd";
        }
      }
    }
    EXPECT_GT(checks, 10u) << "the walk checked almost nothing";
  }
}

INSTANTIATE_TEST_SUITE_P(Lessons, TcpVariablesMatchTheWire,
                         ::testing::Values(Lesson{"tcp-handshake.toml", true},
                                           Lesson{"tcp-bulk-loss.toml", true},
                                           Lesson{"tcp-zero-window.toml", false},
                                           Lesson{"tcp-fast-retransmit.toml", true},
                                           Lesson{"tcp-data-lost-rto.toml", true}),
                         [](const ::testing::TestParamInfo<Lesson>& info) {
                           std::string name = info.param.file;
                           name = name.substr(0, name.find('.'));
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace tcp_variables_test
}  // namespace wirestep
