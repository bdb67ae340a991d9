// Linux's receive-queue memory accounting (sk_rmem_alloc) for the linux profile: what tcp_space subtracts
// from sk_rcvbuf before the window is chosen (linux_receive_window.*). Measured on Linux 6.18 over veth
// (ss -tm, skmem r): a segment queued on its own is charged its whole skb truesize (payload + 832);
// tcp_try_coalesce then appends the next in-order segments to that skb as page fragments, charging only
// the payload (skb_try_coalesce's delta), until the skb holds MAX_SKB_FRAGS (17) fragments. The sender
// copies data into 32 KB page fragments (sk_page_frag), so a segment crossing a 32 KB stream boundary
// brings two. Memory returns only when the reader has consumed a whole skb (tcp_eat_recv_skb).
#pragma once

#include <cstdint>
#include <deque>

namespace wirestep {

class LinuxReceiveMemory {
 public:
  // SKB_TRUESIZE of the header-only head an skb arrives with (sk_buff + skb_shared_info + head).
  static constexpr std::uint32_t kSkbOverhead = 832;
  static constexpr std::uint32_t kMaxSkbFrags = 17;        // CONFIG_MAX_SKB_FRAGS's default
  static constexpr std::uint32_t kSenderPageFrag = 32768;  // SKB_FRAG_PAGE_ORDER 3: 32 KB pages

  // The truesize of a segment arriving as its own skb (before any coalescing).
  static std::uint32_t truesize(std::uint32_t len) { return len + kSkbOverhead; }

  // tcp_queue_rcv: `len` in-order bytes at receive-stream offset `offset` join the queue, coalesced into
  // the last skb when it has fragment room. Returns the arriving skb's own truesize (what
  // tcp_measure_rcv_mss divides by).
  std::uint32_t queue(std::uint64_t offset, std::uint32_t len);

  // The reader consumed the stream up to `read_offset`: skbs wholly below it are freed.
  void consumed(std::uint64_t read_offset);

  std::uint64_t rmem_alloc() const { return rmem_alloc_; }
  // The end of the queued skb holding stream offset `offset` (the reader copies one skb at a time);
  // `offset` itself when no skb holds it.
  std::uint64_t skb_end(std::uint64_t offset) const;

 private:
  struct Skb {
    std::uint64_t end = 0;  // receive-stream offset after its last byte
    std::uint32_t truesize = 0;
    std::uint32_t frags = 0;
  };
  std::deque<Skb> queue_;
  std::uint64_t rmem_alloc_ = 0;
};

}  // namespace wirestep
