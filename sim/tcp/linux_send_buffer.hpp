// Linux's send buffer (net/ipv4/tcp.c tcp_sendmsg_locked, tcp_output.c, tcp_input.c tcp_new_space), for
// TcpConfig::linux_send_buffer: the data a program wrote and the peer has not acknowledged is kept as
// skbs, and each skb is charged its truesize (payload + a fixed head) against sk_sndbuf. A write waits
// while the memory queued reaches sk_sndbuf and is woken once a third of it is free again; sk_sndbuf grows
// with cwnd unless the program set SO_SNDBUF. A plain value type over stream offsets: the connection tells
// it what was written, sent and acknowledged, and asks how much more may be written.
#pragma once

#include <cstdint>
#include <deque>

namespace wirestep {

class LinuxSendBuffer {
 public:
  // The truesize of an skb with no payload: SKB_TRUESIZE(skb_end_offset) of the head tcp_stream_alloc_skb
  // takes from the small-head cache, sk_buff (256) + skb_shared_info (320) + a 256-byte head. Measured on
  // Linux 6.18 (ss -m shows w = payload + 832 per skb on a connection whose data cannot leave); kernels
  // whose MAX_TCP_HEADER is 320 (LL_MAX_HEADER 128, as Debian's) charge 896.
  static constexpr std::uint32_t kSkbOverhead = 832;
  // tcp_sndbuf_expand's per-segment memory, worst case one skb per segment: the head is
  // roundup_pow_of_two(mss + MAX_TCP_HEADER (256) + skb_shared_info (320)), plus the sk_buff (256). With
  // an MSS of 1460 that is 2304, so a fresh CUBIC connection's buffer is 2 * 10 * 2304 = 46080 (measured).
  static constexpr std::uint32_t kExpandHeadExtra = 256 + 320;
  static constexpr std::uint32_t kExpandSkbStruct = 256;
  // sk_gso_max_size: GSO_LEGACY_MAX_SIZE (65536) less MAX_TCP_HEADER + 1 (sk_setup_caps); a write's skbs
  // hold at most this much (45 segments of 1448 bytes).
  static constexpr std::uint32_t kGsoMaxSize = 65536 - 257;

  // The buffer a new socket starts with (tcp_wmem[1], or SO_SNDBUF doubled, which locks it), and the most
  // autotuning may grow it to (tcp_wmem[2]).
  void start(std::uint32_t sndbuf, std::uint32_t sndbuf_max, bool locked);
  // setsockopt(SO_SNDBUF), already doubled (sock_setsockopt): SOCK_SNDBUF_LOCK stops autotuning.
  void set_user(std::uint32_t bytes);

  std::uint32_t sndbuf() const { return sndbuf_; }      // sk_sndbuf
  std::uint64_t wmem_queued() const { return wmem_; }   // sk_wmem_queued
  bool locked() const { return locked_; }               // SOCK_SNDBUF_LOCK
  bool memory_free() const { return wmem_ < sndbuf_; }  // sk_stream_memory_free
  // __sk_stream_is_writeable: sk_stream_wspace >= sk_stream_min_wspace, i.e. free memory at least half of
  // the memory queued (a third of the buffer). A waiting writer is woken only then (sk_stream_write_space).
  bool writeable() const { return wmem_ <= sndbuf_ && sndbuf_ - wmem_ >= wmem_ / 2; }

  // tcp_xmit_size_goal: a write fills skbs of this many bytes, a whole number of segments of `mss`, at most
  // half the largest window the peer offered (tcp_bound_to_half_wnd) and kGsoMaxSize.
  static std::uint32_t size_goal(std::uint32_t mss, std::uint32_t max_window);

  // One step of tcp_sendmsg_locked's copy loop for `want` bytes: fill the unsent tail skb up to
  // `size_goal`, else start a new skb if memory is free (the only place sk_sndbuf is checked, so a write
  // may pass it by up to one skb). Returns the bytes taken (0: the writer must wait); `*tail_full` says the
  // skb written to reached size_goal (Linux then pushes it: tcp_push_one).
  std::uint64_t append(std::uint64_t want, std::uint32_t goal, bool* tail_full);

  // tcp_grow_skb (Linux 6.10+, tcp_write_xmit): the head of the write queue, about to go out as a packet of
  // `want` bytes, takes what it lacks from the skb behind it (one skb, as far as it has bytes); a skb emptied
  // so is freed. After a split at the peer's window edge this keeps the segments after it full-sized.
  void grow_head(std::uint64_t want);
  // Stream offset where the skb holding `offset` ends: Linux never sends a segment across two skbs.
  std::uint64_t skb_end(std::uint64_t offset) const;
  // Everything below `sent` has left once: the skb it falls in is split there (tso_fragment charges the
  // new skb a head of its own) and the sent skbs move to the retransmission queue.
  void sent_up_to(std::uint64_t sent);
  // snd_una reached `acked`: tcp_clean_rtx_queue frees whole skbs; the head of an skb of more than one
  // segment of `mss` is trimmed off (tcp_tso_acked, tcp_trim_head).
  void acked_up_to(std::uint64_t acked, std::uint32_t mss);

  // tcp_sndbuf_expand: sk_sndbuf = 2 * max(cwnd, TCP_INIT_CWND, reordering + 1) * per-segment memory
  // (CUBIC's and Reno's factor), never shrinking, at most tcp_wmem[2]. `mss` is max(mss_clamp, mss_cache).
  void expand(std::uint32_t mss, std::uint32_t cwnd_segments, std::uint32_t reordering);
  std::uint32_t skb_count() const { return static_cast<std::uint32_t>(rtx_.size() + write_.size()); }

 private:
  struct Skb {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
  };
  std::deque<Skb> rtx_;    // sent at least once, oldest first (the retransmission queue)
  std::deque<Skb> write_;  // not sent yet (sk_write_queue)
  std::uint64_t end_ = 0;  // stream offset after the last byte written
  std::uint64_t wmem_ = 0;
  std::uint32_t sndbuf_ = 16384;
  std::uint32_t sndbuf_max_ = 4194304;
  bool locked_ = false;
};

}  // namespace wirestep
