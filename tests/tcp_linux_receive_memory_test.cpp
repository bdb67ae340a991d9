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

// Frames injected with AF_PACKET (the twin lab's relay) reach TCP as linear skbs: measured with ss -tm
// behind the relay, 57 unread 1448-byte segments (66 header bytes each: Ethernet, IPv4, TCP with
// timestamps) held r131328 = 57 x 2304 (a 2048-byte kmalloc head plus the sk_buff), and the 104-byte
// segment that followed cost nothing: copied into the last skb's tailroom (2048 - 64 - 1514 - 320 = 150).
TEST(LinuxReceiveMemory, LinearSkbsCostTheirWholeHeadAndOnlyATailroomCopyIsFree) {
  LinuxReceiveMemory m(ReceiveSkbs::Linear);
  EXPECT_EQ(m.queue(0, 1448, 66), 2304u);
  std::uint64_t offset = 1448;
  for (int i = 1; i < 57; ++i, offset += 1448) EXPECT_EQ(m.queue(offset, 1448, 66), 2304u);
  EXPECT_EQ(m.rmem_alloc(), 131328u);  // ss: r131328
  m.queue(offset, 104, 66);            // fits the tailroom: copied, no charge
  EXPECT_EQ(m.rmem_alloc(), 131328u);
  offset += 104;
  // 46 bytes of tailroom are left: the next 104 bytes need an skb of their own, a 1024-byte head.
  EXPECT_EQ(m.queue(offset, 104, 66), 1280u);
  EXPECT_EQ(m.rmem_alloc(), 131328u + 1280u);
  EXPECT_EQ(m.segment_truesize(1448), 2304u);  // what an out-of-order segment costs
}

// A linear skb is freed when the reader has read to its end, the tailroom copy with it.
TEST(LinuxReceiveMemory, LinearSkbsAreFreedWholeWithWhatWasCopiedIntoThem) {
  LinuxReceiveMemory m(ReceiveSkbs::Linear);
  m.queue(0, 1448, 66);
  m.queue(1448, 100, 66);  // copied into the first skb
  m.queue(1548, 1448, 66);
  EXPECT_EQ(m.rmem_alloc(), 4608u);
  EXPECT_EQ(m.skb_end(0), 1548u);
  m.consumed(1448);  // the first skb is not read to its end yet
  EXPECT_EQ(m.rmem_alloc(), 4608u);
  m.consumed(1548);
  EXPECT_EQ(m.rmem_alloc(), 2304u);
  // A frame larger than any kmalloc class still gets a power-of-two head and no overflow.
  EXPECT_EQ(LinuxReceiveMemory::linear_head(66, 60000), 65536u);
  EXPECT_EQ(LinuxReceiveMemory::linear_head(66, 0xFFFFFFF0u), 1u << 31);
}

}  // namespace tcp_linux_receive_memory_test
}  // namespace wirestep
