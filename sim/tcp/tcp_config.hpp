// Per-connection TCP settings a scenario can set. Two profiles fill them: "rfc" (the RFCs' own defaults,
// textbook TCP) and "linux" (Linux 6.x's defaults, as packetdrill's common/defaults.sh and the kernel's
// sysctl documentation list them); every field can still be set on its own after the profile.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/core/time.hpp"

namespace wirestep {

enum class TcpProfile : std::uint8_t { Rfc, Linux };
constexpr std::string_view to_string(TcpProfile p) {
  switch (p) {
    case TcpProfile::Rfc:
      return "rfc";
    case TcpProfile::Linux:
      return "linux";
  }
  return "?";
}

// The congestion control a connection asks for: sim/tcp/congestion/newreno.* or cubic.* (RFC 9438).
enum class CongestionAlgorithm : std::uint8_t { NewReno, Cubic };
constexpr std::string_view to_string(CongestionAlgorithm a) {
  switch (a) {
    case CongestionAlgorithm::NewReno:
      return "newreno";
    case CongestionAlgorithm::Cubic:
      return "cubic";
  }
  return "?";
}

// How received frames reach TCP as skbs, which decides what each segment costs the receive buffer (Linux's
// sk_rmem_alloc, sim/tcp/linux_receive_memory.*). Paged: segments built by a kernel sender (veth between two
// stacks) arrive with their payload in page fragments and coalesce into one skb, charged their payload.
// Linear: each frame arrives as its own kmalloc'd linear skb (AF_PACKET injection, as the twin lab's relay
// delivers them, and copy-break NIC drivers): a full frame costs 2304 bytes and only a frame that fits the
// previous skb's tailroom is copied into it.
enum class ReceiveSkbs : std::uint8_t { Paged, Linear };
constexpr std::string_view to_string(ReceiveSkbs r) {
  switch (r) {
    case ReceiveSkbs::Paged:
      return "paged";
    case ReceiveSkbs::Linear:
      return "linear";
  }
  return "?";
}

struct TcpConfig {
  TcpProfile profile = TcpProfile::Rfc;  // which profile filled the fields (a field set later keeps it)
  std::uint16_t mss = 1460;              // RFC 9293 §3.7.1: announced in the SYN
  std::uint32_t send_buffer = 64 * 1024;
  std::uint32_t recv_buffer = 64 * 1024;  // the receive window is the free part of it
  // The largest receive buffer the host could grow to (Linux tcp_rmem[2]); only the window scale offered in
  // the SYN depends on it (there is no buffer autotuning yet). 0: recv_buffer.
  std::uint32_t recv_buffer_max = 0;
  std::uint32_t initial_window_segments = 10;                 // RFC 6928: IW = min(10*MSS, max(2*MSS, 14600))
  bool nagle = true;                                          // RFC 896; off = TCP_NODELAY
  bool delayed_ack = true;                                    // RFC 1122 §4.2.3.2 / RFC 5681 §4.2
  SimDuration delayed_ack_timeout = SimDuration::millis(40);  // Linux's minimum; RFC 1122 allows up to 500 ms
  // Linux's upper bound of the delayed-ACK timeout (TCP_DELACK_MAX): with quick_ack the timeout adapts
  // between delayed_ack_timeout and this (Linux's ato); without it the timer is always delayed_ack_timeout.
  SimDuration delayed_ack_max = SimDuration::millis(200);
  SimDuration initial_rto = SimDuration::seconds(1);  // RFC 6298 §2.1
  // Deviation (RFC 6298 §2.4): the minimum RTO is configurable; RFC says 1 s, Linux uses 200 ms.
  SimDuration min_rto = SimDuration::seconds(1);
  SimDuration max_rto = SimDuration::seconds(60);  // RFC 6298 §2.5 allows an upper bound >= 60 s
  std::uint32_t syn_retries = 6;    // Linux tcp_syn_retries: 1+2+4+8+16+32 s, then give up at 127 s
  std::uint32_t data_retries = 15;  // Linux tcp_retries2
  SimDuration msl = SimDuration::seconds(30);  // TIME-WAIT lasts 2*MSL (RFC 9293 §3.4.2)
  bool window_scaling = true;                  // RFC 7323 §2, offered only when the buffer exceeds 65535
  bool timestamps = false;                     // RFC 7323 §3 (Linux tcp_timestamps)
  bool sack = false;                           // RFC 2018 (Linux tcp_sack)
  bool dsack = false;                          // RFC 2883, only with SACK (Linux tcp_dsack)
  CongestionAlgorithm congestion = CongestionAlgorithm::NewReno;
  bool frto = false;  // RFC 5682 §3 SACK-enhanced F-RTO, with SACK only (Linux tcp_frto = 2)
  // RFC 1122 §4.2.3.6 keep-alive: off unless idle > 0 (Linux: 2 h idle, 75 s interval, 9 probes).
  SimDuration keepalive_idle{};
  SimDuration keepalive_interval = SimDuration::seconds(75);
  std::uint32_t keepalive_probes = 9;

  // Linux's receiver and socket habits (issue 16). Off in the rfc profile, on in the linux profile; each can
  // be set on its own. Names are the kernel functions that implement them (net/ipv4/tcp_input.c,
  // tcp_output.c).
  bool quick_ack = false;    // tcp_incr_quickack / pingpong: quick ACKs at start and after idle, adaptive ato
  bool linux_nagle = false;  // tcp_nagle_check with tcp_minshall_check: no small segment unacknowledged
  bool push_each_write = false;  // tcp_push: PSH on the last segment of every write
  // Linux sends new data in GSO packets of this many segments (tcp_tso_autosize at a low pacing rate:
  // tcp_min_tso_segs = 2) and __tcp_transmit_skb forces PSH on each one of more than one segment, which
  // lands on its last segment on the wire. 0: no GSO habit (the rfc profile).
  std::uint32_t gso_segments = 0;
  // Linux's TSO sizing and deferral (tcp_tso_autosize, tcp_cwnd_test, tcp_tso_should_defer): a GSO packet
  // holds about a millisecond of the pacing rate (all 45 segments of 64 KB below 512 us of RTT), at most
  // half the cwnd; a small one waits for the ACK due within half an SRTT, and a tail loss probe sends one
  // whole packet. Off: every packet holds gso_segments segments (at most half the cwnd), nothing waits.
  bool tso_defer = false;
  // Linux 6.10+'s tcp_grow_skb: before a GSO packet of new data leaves, its skb takes the bytes it lacks for
  // the cwnd quota from the next skb, so the skb boundaries a write left do not cut segments short.
  bool grow_skb = false;
  // Linux's tcp_invalid_ratelimit (tcp_oow_rate_limited): an empty segment outside the receive window is
  // answered with an ACK at most once per this long. 0: every one is answered (RFC 9293 §3.10.7.4).
  SimDuration oow_ack_ratelimit{};
  // Linux's SACK compression (tcp_comp_sack_nr, tcp_comp_sack_delay_ns): after three immediate duplicate
  // ACKs for one RCV.NXT, out-of-order segments are acknowledged together, one ACK per this many or after
  // min(comp_sack_delay, RTT/20). 0: every out-of-order segment is ACKed at once (RFC 5681 §4.2).
  std::uint32_t comp_sack_nr = 0;
  SimDuration comp_sack_delay = SimDuration::millis(1);
  // tcp_comp_sack_slack_ns: the compressed ACK's hrtimer may fire this much later, and on an otherwise idle
  // CPU it does (hrtimer_start_range_ns programs the hardware for the range's end).
  SimDuration comp_sack_slack{};
  bool probe_below_una = false;          // tcp_xmit_probe_skb: zero-window probe SEG.SEQ = SND.UNA-1, no data
  bool rst_ack_on_abort = false;         // tcp_send_active_reset: abort RST carries ACK = RCV.NXT
  bool syn_window_mss_multiple = false;  // tcp_select_initial_window: SYN window rounded down to the MSS
  bool socket_errors_once = false;       // sk_err: ECONNRESET once, then EPIPE; EPIPE on send after SHUT_WR
  bool cork = false;                     // TCP_CORK (tcp(7)): partial segments wait until uncorked
  // RFC 5681 §4.1 / Linux tcp_slow_start_after_idle (tcp_cwnd_restart): after an idle period longer than
  // the RTO, cwnd restarts at min(cwnd, IW), halved per RTO of idle as Linux does.
  bool slow_start_after_idle = false;
  // Linux without SACK (tcp_add_reno_sack / tcp_remove_reno_sacks): duplicate ACKs count as delivered
  // segments, so the cumulative ACK that ends them grows cwnd by max(acked - dupacks, 1) segments.
  bool reno_dupack_delivered = false;
  // Linux's tcp_set_rto: RTO = SRTT + max(4*RTTVAR, min_rto), the minimum floors the variance term rather
  // than the whole RTO (RFC 6298 §2.4 floors the sum): an RTT of 100 ms gives 300 ms, 10 ms gives 210 ms.
  bool rto_min_on_variance = false;
  // Linux arms timers in jiffies; the RACK reorder timer adds TCP_TIMEOUT_MIN (2 jiffies) and rounds up
  // (tcp_rack_reo_timeout). 0: exact. The linux profile uses 4 ms, CONFIG_HZ=250 as Debian builds it.
  SimDuration timer_tick{};
  // __tcp_select_window / tcp_grow_window (sim/tcp/linux_receive_window.*): the window is the free buffer
  // times the scaling ratio, capped by a growing rcv_ssthresh, never the whole buffer at once.
  bool linux_receive_window = false;
  ReceiveSkbs receive_skbs =
      ReceiveSkbs::Paged;  // with linux_receive_window: what a segment costs the buffer
  // Linux's send buffer (sim/tcp/linux_send_buffer.*): send_buffer is sk_sndbuf's start (tcp_wmem[1]),
  // each skb is charged payload + its head (truesize), a blocked write wakes when a third of the buffer is
  // free (sk_stream_write_space) and the buffer grows with cwnd up to send_buffer_max (tcp_wmem[2],
  // tcp_sndbuf_expand) unless send_buffer_locked (SO_SNDBUF was set). Off: send_buffer counts payload only.
  bool linux_send_buffer = false;
  std::uint32_t send_buffer_max = 4194304;
  bool send_buffer_locked = false;

  // The settings a profile starts from.
  static TcpConfig for_profile(TcpProfile p) {
    TcpConfig c;
    if (p == TcpProfile::Rfc) return c;
    c.profile = TcpProfile::Linux;
    // Linux sysctl defaults (Documentation/networking/ip-sysctl.rst). tcp_rmem = 4096 131072 6291456:
    // the buffer starts at the middle value, the window scale comes from the maximum. tcp_wmem = 4096 16384
    // 4194304: the send buffer starts at 16384 and autotunes up to 4 MiB (linux_send_buffer).
    c.recv_buffer = 131072;
    c.recv_buffer_max = 6291456;
    c.send_buffer = 16384;
    c.send_buffer_max = 4194304;
    c.linux_send_buffer = true;
    c.timestamps = true;  // tcp_timestamps = 1
    c.sack = true;        // tcp_sack = 1
    c.dsack = true;       // tcp_dsack = 1
    c.window_scaling = true;
    c.min_rto = SimDuration::millis(200);             // TCP_RTO_MIN
    c.initial_rto = SimDuration::seconds(1);          // TCP_TIMEOUT_INIT (RFC 6298 §2.1)
    c.max_rto = SimDuration::seconds(120);            // TCP_RTO_MAX
    c.initial_window_segments = 10;                   // TCP_INIT_CWND (RFC 6928)
    c.syn_retries = 6;                                // tcp_syn_retries
    c.data_retries = 15;                              // tcp_retries2
    c.delayed_ack_timeout = SimDuration::millis(40);  // TCP_ATO_MIN
    c.delayed_ack_max = SimDuration::millis(200);     // TCP_DELACK_MAX
    c.congestion = CongestionAlgorithm::Cubic;        // tcp_congestion_control = cubic
    c.frto = true;                                    // tcp_frto = 2
    c.quick_ack = c.linux_nagle = c.push_each_write = c.probe_below_una = c.rst_ack_on_abort = true;
    c.socket_errors_once = true;
    c.gso_segments = 2;  // tcp_min_tso_segs = 2
    c.tso_defer = true;
    c.grow_skb = true;
    c.oow_ack_ratelimit = SimDuration::millis(500);  // tcp_invalid_ratelimit = HZ / 2
    c.comp_sack_nr = 44;                             // tcp_comp_sack_nr
    c.comp_sack_slack = SimDuration::micros(100);    // tcp_comp_sack_slack_ns
    c.reno_dupack_delivered = true;
    c.slow_start_after_idle = true;  // tcp_slow_start_after_idle = 1 (packetdrill's defaults.sh sets 0)
    c.rto_min_on_variance = true;
    c.timer_tick = SimDuration::millis(4);
    c.syn_window_mss_multiple = true;
    c.linux_receive_window = true;
    return c;
  }
};

}  // namespace wirestep
