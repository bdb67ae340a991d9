// Linux's receive-queue memory (sk_rmem_alloc) in the linux profile (issue 16). Every figure below was
// read with `ss -tm` (skmem r) on Linux 6.18, a receiver that does not read in a network namespace joined
// by veth with offloads off, as the twin lab builds it: a segment queued alone costs its payload + 832
// (skb truesize); tcp_try_coalesce adds the next ones as page fragments for their payload only, up to
// MAX_SKB_FRAGS (17) per skb, a segment that crosses a 32 KB page of the sender bringing two; the memory
// returns when the reader has read a whole skb (tcp_eat_recv_skb).
#include <gtest/gtest.h>

#include <cstdint>

#include "sim/tcp/linux_receive_memory.hpp"

namespace wirestep {
namespace tcp_linux_receive_memory_test {

// Queues `count` segments of `len` bytes from `offset`; returns the offset after them.
std::uint64_t queue_segments(LinuxReceiveMemory& m, std::uint64_t offset, int count, std::uint32_t len) {
  for (int i = 0; i < count; ++i, offset += len) m.queue(offset, len);
  return offset;
}

TEST(LinuxReceiveMemory, FirstSegmentIsChargedItsTruesizeAndTheNextOnlyTheirPayload) {
  LinuxReceiveMemory m;
  EXPECT_EQ(m.queue(0, 1448), 2280u);  // ss: r2280
  EXPECT_EQ(m.rmem_alloc(), 2280u);
  EXPECT_EQ(m.queue(1448, 1448), 2280u);  // its own truesize, which tcp_measure_rcv_mss divides by
  EXPECT_EQ(m.rmem_alloc(), 3728u);       // ss: r3728
  m.queue(2896, 100);
  EXPECT_EQ(m.rmem_alloc(), 3828u);
}

// 40 segments of 1448 bytes: skb 1 holds segments 1-17 (17 fragments), skb 2 segments 18-33 (segment 23
// spans stream offset 32768, the sender's page boundary: 17 fragments), skb 3 the rest: 3 * 832 + 40 *
// 1448 = 60416, as ss showed (r60416).
TEST(LinuxReceiveMemory, AnSkbTakesSeventeenFragmentsAndAPageBoundaryCostsOne) {
  LinuxReceiveMemory m;
  queue_segments(m, 0, 17, 1448);
  EXPECT_EQ(m.rmem_alloc(), 832u + 17 * 1448u);  // ss: r25448
  m.queue(17 * 1448, 1448);
  EXPECT_EQ(m.rmem_alloc(), 2 * 832u + 18 * 1448u);  // ss: r27728, a new skb
  queue_segments(m, 18 * 1448, 22, 1448);
  EXPECT_EQ(m.rmem_alloc(), 60416u);
}

// One send() of 100000 bytes (69 segments of 1448 and one of 88) into a receiver that does not read: five
// skbs, r104160; reading 65536 bytes frees the two skbs wholly read (r54712); reading 10000 more frees the
// third (r30712); reading everything frees all.
TEST(LinuxReceiveMemory, ReadingFreesOnlyWholeSkbs) {
  LinuxReceiveMemory m;
  const std::uint64_t end = queue_segments(m, 0, 69, 1448);
  m.queue(end, 88);
  EXPECT_EQ(m.rmem_alloc(), 104160u);
  m.consumed(65536);
  EXPECT_EQ(m.rmem_alloc(), 54712u);
  EXPECT_EQ(m.skb_end(65536), 70952u);  // the skb the reader copies next ends after segment 49
  m.consumed(75536);
  EXPECT_EQ(m.rmem_alloc(), 30712u);
  m.consumed(100000);
  EXPECT_EQ(m.rmem_alloc(), 0u);
}

// Figures no kernel would give still leave the accounting consistent: reading past the end, an empty queue
// asked for its skbs, a zero-length segment.
TEST(LinuxReceiveMemory, DegenerateFiguresNeitherUnderflowNorCrash) {
  LinuxReceiveMemory m;
  EXPECT_EQ(m.skb_end(5), 5u);
  m.consumed(1u << 30);
  EXPECT_EQ(m.rmem_alloc(), 0u);
  m.queue(0, 0);
  EXPECT_EQ(m.rmem_alloc(), 832u);
  m.consumed(0);  // an skb ending at 0 is read: freed
  EXPECT_EQ(m.rmem_alloc(), 0u);
}

}  // namespace tcp_linux_receive_memory_test
}  // namespace wirestep
