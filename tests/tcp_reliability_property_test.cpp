// Reliability as a property (issue: "the receiver's byte stream equals the sender's exactly, or the
// connection aborts by the retry limit and both applications are told"), over 2,000 seeds of random
// transfer sizes and link impairments, for each TCP profile (issue #16: the linux profile's SACK, RACK-TLP,
// PRR, F-RTO and CUBIC must keep the same promise). A failure prints the seed and simulated time so it
// replays exactly.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/net/network.hpp"
#include "sim/trace/bulk_payload.hpp"

namespace wirestep {
namespace tcp_reliability_property_test {

struct Outcome {
  std::uint64_t size = 0;
  std::vector<std::uint8_t> received;
  bool receiver_saw_eof = false;
  std::optional<std::string> receiver_error;
  bool receiver_accepted = false;
  bool sender_connected = false;
  bool sender_done = false;  // saw the receiver's FIN after its own
  std::optional<std::string> sender_error;
  SimTime end;
  bool idle_at_end = false;  // nothing left to run: no livelock
  std::string impairments;
};

// Adds one random impairment set per direction, drawn from the seed.
LinkParams random_link(Rng& rng, std::string& described) {
  LinkParams p;
  p.latency = SimDuration::millis(rng.between(1, 50));
  p.bandwidth_bps = static_cast<std::uint64_t>(rng.between(1, 100)) * 1'000'000;
  p.queue_packets = static_cast<std::uint32_t>(rng.between(20, 200));
  if (rng.chance(700'000))
    p.impairments.push_back({BernoulliLoss{static_cast<Ppm>(rng.between(0, 300'000))}, ""});
  if (rng.chance(300'000))
    p.impairments.push_back({GilbertElliottLoss{static_cast<Ppm>(rng.between(1'000, 30'000)),
                                                static_cast<Ppm>(rng.between(200'000, 700'000)), 0, kPpmOne},
                             ""});
  if (rng.chance(300'000)) p.impairments.push_back({Duplicate{static_cast<Ppm>(rng.between(0, 50'000))}, ""});
  if (rng.chance(300'000))
    p.impairments.push_back(
        {Reorder{static_cast<Ppm>(rng.between(0, 50'000)), SimDuration::millis(rng.between(1, 30))}, ""});
  for (const auto& i : p.impairments) described += describe(i.kind) + "; ";
  return p;
}

Outcome run_one(std::uint64_t seed, TcpProfile profile) {
  Rng rng = Rng::stream(seed, "property test");
  Outcome o;
  // Sizes from 0 B to 1 MB, log-uniform so small and large transfers are both common.
  o.size = rng.chance(50'000) ? 0 : std::uint64_t{1} << rng.between(0, 20);
  o.size = o.size > 1 ? o.size + rng.below(o.size) : o.size;
  o.size = std::min<std::uint64_t>(o.size, 1'000'000);

  Network net(seed);
  const HostId a = net.add_host("A", *wire::Ipv4Addr::parse("10.0.0.1"));
  const HostId b = net.add_host("B", *wire::Ipv4Addr::parse("10.0.0.2"));
  std::string ab = "A>B: ", ba = " B>A: ";
  LinkParams fwd = random_link(rng, ab), rev = random_link(rng, ba);
  o.impairments = ab + ba;
  net.connect(a, b, fwd, rev);
  TcpConfig cfg = TcpConfig::for_profile(profile);
  cfg.data_retries = 8;  // give up within minutes of simulated time, not hours
  cfg.syn_retries = 5;
  cfg.msl = SimDuration::seconds(5);
  cfg.keepalive_idle = SimDuration::seconds(60);  // how a silent receiver learns that the sender gave up
  cfg.keepalive_interval = SimDuration::seconds(10);
  cfg.keepalive_probes = 6;
  net.host(a).set_tcp_config(cfg);
  net.host(b).set_tcp_config(cfg);

  Host& server = net.host(b);
  Host& client = net.host(a);
  const SocketId listener = server.tcp_socket();
  EXPECT_TRUE(server.bind(listener, 5001).ok());
  EXPECT_TRUE(server.listen(listener, 5).ok());
  std::function<void(SocketId)> read_loop = [&](SocketId conn) {
    server.recv(conn, 65536, [&, conn](SimTime, Result<std::vector<std::uint8_t>> r) {
      if (!r) {
        o.receiver_error = r.error().reason;
        (void)server.close(conn);
        return;
      }
      if (r->empty()) {
        o.receiver_saw_eof = true;
        (void)server.close(conn);
        return;
      }
      o.received.insert(o.received.end(), r->begin(), r->end());
      read_loop(conn);
    });
  };
  server.accept(listener, [&](SimTime, Result<SocketId> r) {
    if (!r) return;
    o.receiver_accepted = true;
    read_loop(*r);
  });

  const SocketId s = client.tcp_socket();
  client.connect(s, server.addr(), 5001, [&](SimTime, Status st) {
    if (!st) {
      o.sender_error = st.error().reason;
      return;
    }
    o.sender_connected = true;
    client.send(s, {}, o.size, [&](SimTime, Result<std::uint64_t> r) {
      if (!r) {
        o.sender_error = r.error().reason;
        return;
      }
      (void)client.shutdown_send(s);
      std::function<void()> drain = [&]() {
        client.recv(s, 4096, [&](SimTime, Result<std::vector<std::uint8_t>> rr) {
          if (!rr)
            o.sender_error = rr.error().reason;
          else if (rr->empty())
            o.sender_done = true;
          else
            return drain();
          (void)client.close(s);
        });
      };
      drain();
    });
  });
  // A simulated-time bound: retry limits and keep-alive end every connection long before this.
  net.run(SimTime{SimDuration::seconds(6 * 3600).ns});
  o.end = net.now();
  o.idle_at_end = net.loop().empty();
  return o;
}

struct Tally {
  int delivered = 0;
  int aborted = 0;
};

// Runs seeds 1..2000 and checks each outcome; stops at the first failure (the message names the seed).
Tally check_seeds(TcpProfile profile) {
  Tally tally;
  std::vector<std::uint8_t> expected;
  for (std::uint64_t seed = 1; seed <= 2000; ++seed) {
    const Outcome o = run_one(seed, profile);
    const std::string where = std::string(to_string(profile)) + " profile, seed " + std::to_string(seed) +
                              ", size " + std::to_string(o.size) + ", ended at " + format_millis(o.end) +
                              " ms, " + o.impairments;
    EXPECT_TRUE(o.idle_at_end) << "still running at the time bound (hang): " << where;
    // Whatever happened, the receiver never read a wrong byte: its stream is a prefix of the sender's.
    expected.resize(o.received.size());
    fill_bulk_payload(0, expected.data(), expected.size());
    EXPECT_LE(o.received.size(), o.size) << where;
    EXPECT_TRUE(o.received == expected) << "corrupted stream: " << where;
    if (o.receiver_saw_eof) {
      EXPECT_EQ(o.received.size(), o.size) << "end of stream before all data: " << where;
      ++tally.delivered;
    } else {
      // Not delivered: the sender must have been told, and so must the receiver if it had the connection.
      ++tally.aborted;
      EXPECT_TRUE(o.sender_error.has_value()) << "sender not told: " << where;
      if (o.receiver_accepted) {
        EXPECT_TRUE(o.receiver_error.has_value()) << "receiver not told: " << where;
      }
    }
    if (::testing::Test::HasFailure()) break;
  }
  return tally;
}

TEST(TcpReliabilityProperty, StreamArrivesExactlyOrBothApplicationsAreToldOver2000Seeds) {
  const Tally t = check_seeds(TcpProfile::Rfc);
  // The impairments are harsh (up to 30% loss plus bursts), but most transfers must still complete.
  EXPECT_GT(t.delivered, 1500) << t.delivered << " delivered, " << t.aborted << " aborted";
  std::printf("%d transfers delivered, %d aborted by the retry limit\n", t.delivered, t.aborted);
  RecordProperty("delivered", t.delivered);
  RecordProperty("aborted", t.aborted);
}

// The same 2,000 seeds with the linux profile: SACK recovery, RACK-TLP, PRR, F-RTO, CUBIC and Linux's
// receive window must deliver the stream exactly or tell both applications, as RFC 9293 §3.8.3 requires.
TEST(TcpReliabilityProperty, LinuxProfileStreamArrivesExactlyOrBothApplicationsAreToldOver2000Seeds) {
  const Tally t = check_seeds(TcpProfile::Linux);
  EXPECT_GT(t.delivered, 1500) << t.delivered << " delivered, " << t.aborted << " aborted";
  RecordProperty("delivered", t.delivered);
  RecordProperty("aborted", t.aborted);
}

}  // namespace tcp_reliability_property_test
}  // namespace wirestep
