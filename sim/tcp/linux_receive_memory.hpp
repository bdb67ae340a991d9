// Linux's receive-queue memory accounting (sk_rmem_alloc) for the linux profile: what tcp_space subtracts
// from sk_rcvbuf before the window is chosen (linux_receive_window.*). Measured on Linux 6.18 over veth
// (ss -tm, skmem r): a segment queued on its own is charged its whole skb truesize (payload + 832);
// tcp_try_coalesce then appends the next in-order segments to that skb as page fragments, charging only
// the payload (skb_try_coalesce's delta), until the skb holds MAX_SKB_FRAGS (17) fragments. The sender
// copies data into 32 KB page fragments (sk_page_frag), so a segment crossing a 32 KB stream boundary
// brings two. Memory returns only when the reader has consumed a whole skb (tcp_eat_recv_skb).
// Frames that arrive as linear skbs instead (TcpConfig::receive_skbs = linear: AF_PACKET injection, as the
// twin lab's relay sends them) cost their kmalloc'd head plus the sk_buff: measured with ss -tm behind the
// relay, 57 unread 1448-byte segments hold r131328 = 57 x 2304, and a following 104-byte segment costs
// nothing, copied into the previous skb's tailroom (skb_try_coalesce's copy case); nothing else coalesces.
#pragma once

#include <cstdint>
#include <deque>

#include "sim/tcp/tcp_config.hpp"

namespace wirestep {

class LinuxReceiveMemory {
 public:
  explicit LinuxReceiveMemory(ReceiveSkbs skbs = ReceiveSkbs::Paged) : linear_(skbs == ReceiveSkbs::Linear) {}

  // SKB_TRUESIZE of the header-only head an skb arrives with (sk_buff + skb_shared_info + head).
  static constexpr std::uint32_t kSkbOverhead = 832;
  static constexpr std::uint32_t kMaxSkbFrags = 17;        // CONFIG_MAX_SKB_FRAGS's default
  static constexpr std::uint32_t kSenderPageFrag = 32768;  // SKB_FRAG_PAGE_ORDER 3: 32 KB pages

  // The truesize of a segment arriving as its own skb (before any coalescing).
  static std::uint32_t truesize(std::uint32_t len) { return len + kSkbOverhead; }

  // Linear skbs: the frame (`headers` bytes of Ethernet, IP and TCP before the payload) sits in a kmalloc'd
  // head behind kLinearHeadroom bytes and before the skb_shared_info; truesize is that allocation, a power
  // of two, plus the sk_buff itself.
  static constexpr std::uint32_t kLinearHeadroom = 64;  // NET_SKB_PAD on x86-64
  static constexpr std::uint32_t kSharedInfo = 320;     // SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
  static constexpr std::uint32_t kSkBuff = 256;         // SKB_DATA_ALIGN(sizeof(struct sk_buff))
  static std::uint32_t linear_head(std::uint32_t headers, std::uint32_t len);
  static std::uint32_t linear_truesize(std::uint32_t headers, std::uint32_t len) {
    return linear_head(headers, len) + kSkBuff;
  }

  // What a segment of `len` payload bytes held on its own (out of order) costs.
  std::uint32_t segment_truesize(std::uint32_t len) const {
    return linear_ ? linear_truesize(headers_, len) : truesize(len);
  }

  // tcp_queue_rcv: `len` in-order bytes at receive-stream offset `offset` join the queue, coalesced into
  // the last skb when it has room. `headers`: the frame's bytes before the payload (linear skbs only).
  // Returns the arriving skb's own truesize (what tcp_measure_rcv_mss divides by).
  std::uint32_t queue(std::uint64_t offset, std::uint32_t len, std::uint32_t headers = 66);

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
    std::uint32_t tailroom = 0;  // linear skbs: bytes a following segment may be copied into
  };
  bool linear_ = false;
  std::uint32_t headers_ =
      66;  // the last frame's header bytes: Ethernet 14 + IPv4 20 + TCP 20 + timestamps 12
  std::deque<Skb> queue_;
  std::uint64_t rmem_alloc_ = 0;
};

}  // namespace wirestep
