// sk_rmem_alloc as tcp_queue_rcv / tcp_try_coalesce / tcp_eat_recv_skb keep it (see the header).
#include "sim/tcp/linux_receive_memory.hpp"

#include <algorithm>

namespace wirestep {

namespace {

// Fragments a segment brings: one, plus one per 32 KB page boundary of the sender's copy inside it.
std::uint32_t frags_of(std::uint64_t offset, std::uint32_t len) {
  if (len == 0) return 1;
  const std::uint64_t first_page = offset / LinuxReceiveMemory::kSenderPageFrag;
  const std::uint64_t last_page = (offset + len - 1) / LinuxReceiveMemory::kSenderPageFrag;
  return static_cast<std::uint32_t>(last_page - first_page + 1);
}

}  // namespace

std::uint32_t LinuxReceiveMemory::linear_head(std::uint32_t headers, std::uint32_t len) {
  // kmalloc's size classes from 512 up are powers of two (a full 1514-byte frame needs 1898: 2048).
  const std::uint64_t need = std::uint64_t{kLinearHeadroom} + headers + len + kSharedInfo;
  std::uint64_t size = 512;
  while (size < need) size *= 2;
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(size, std::uint64_t{1} << 31));
}

std::uint32_t LinuxReceiveMemory::queue(std::uint64_t offset, std::uint32_t len, std::uint32_t headers) {
  if (linear_) {
    headers_ = headers;
    const std::uint32_t head = linear_head(headers, len);
    const std::uint32_t own = head + kSkBuff;
    // skb_try_coalesce: a linear head cannot lend its data as a page fragment; the payload is only copied,
    // when it fits the tail skb's tailroom, at no charge.
    if (!queue_.empty() && queue_.back().end == offset && len <= queue_.back().tailroom) {
      queue_.back().end = offset + len;
      queue_.back().tailroom -= len;
      return own;
    }
    const std::uint64_t used = std::uint64_t{kLinearHeadroom} + headers + len + kSharedInfo;
    const auto tailroom = static_cast<std::uint32_t>(head > used ? head - used : 0);
    queue_.push_back(Skb{offset + len, own, 1, tailroom});
    rmem_alloc_ += own;
    return own;
  }
  const std::uint32_t frags = frags_of(offset, len);
  // skb_try_coalesce: the tail takes the fragments while it stays within MAX_SKB_FRAGS; only the payload
  // is charged (delta = truesize - SKB_TRUESIZE(skb_end_offset)).
  if (!queue_.empty() && queue_.back().end == offset && queue_.back().frags + frags <= kMaxSkbFrags) {
    Skb& tail = queue_.back();
    tail.end = offset + len;
    tail.truesize += len;
    tail.frags += frags;
    rmem_alloc_ += len;
    return truesize(len);
  }
  queue_.push_back(Skb{offset + len, truesize(len), frags, 0});
  rmem_alloc_ += truesize(len);
  return truesize(len);
}

void LinuxReceiveMemory::consumed(std::uint64_t read_offset) {
  while (!queue_.empty() && queue_.front().end <= read_offset) {
    rmem_alloc_ -= queue_.front().truesize;
    queue_.pop_front();
  }
}

std::uint64_t LinuxReceiveMemory::skb_end(std::uint64_t offset) const {
  for (const Skb& skb : queue_)
    if (skb.end > offset) return skb.end;
  return offset;
}

}  // namespace wirestep
