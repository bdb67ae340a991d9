// Live capture into a Trace: frames decoded one at a time as they are captured give the same Trace as
// loading the pcap the capture wrote; the queue between the capture thread and the UI keeps every byte; the
// UI's indexes extended over new packets equal those built at once; a LiveSource reports errors, stops and
// joins cleanly, and the live lab hands over frames while it runs and removes its namespaces when stopped.
// Traffic stays on 127.0.0.1 and inside namespaces the tests make. Like the other live tests these need root
// (the test command runs as root); without it they fail rather than pass silently.
#include <gtest/gtest.h>
#include <imgui.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "capture/live_trace.hpp"
#include "capture_test_support.hpp"
#include "headless_app.hpp"
#include "test_support.hpp"
#include "ui/gui/app.hpp"
#include "ui/model/loaded_trace.hpp"

namespace wirestep {
namespace live_trace_test {

using namespace std::chrono_literals;
using capture_test::PcapWriter;

constexpr int kDltRaw = 12;  // DLT_RAW: frames are bare IP packets

// Ports of our own, so parallel runs of the suite do not see each other's traffic.
std::uint16_t test_port(int k) {
  return static_cast<std::uint16_t>(41000 + (getpid() % 4000) * 4 + k);
}

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

void send_udp(std::uint16_t port, int count) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  const sockaddr_in to = loopback(port);
  for (int i = 0; i < count; ++i) {
    const std::string msg = "live datagram " + std::to_string(i);
    sendto(fd, msg.data(), msg.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to);
    std::this_thread::sleep_for(5ms);
  }
  close(fd);
}

// A small TCP exchange on 127.0.0.1: connect, "hello" one way, "world" back, both close.
void tcp_exchange(std::uint16_t port) {
  const int listener = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  const int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const sockaddr_in at = loopback(port);
  ASSERT_EQ(bind(listener, reinterpret_cast<const sockaddr*>(&at), sizeof at), 0) << std::strerror(errno);
  ASSERT_EQ(listen(listener, 1), 0);
  std::thread server([listener] {
    const int c = accept(listener, nullptr, nullptr);
    if (c < 0) return;
    char buf[16];
    if (recv(c, buf, sizeof buf, 0) > 0) send(c, "world", 5, MSG_NOSIGNAL);
    char rest;
    while (recv(c, &rest, 1, 0) > 0) {
    }
    close(c);
  });
  const int client = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<const sockaddr*>(&at), sizeof at), 0) << std::strerror(errno);
  send(client, "hello", 5, MSG_NOSIGNAL);
  char buf[16];
  EXPECT_EQ(recv(client, buf, sizeof buf, 0), 5);
  close(client);
  server.join();
  close(listener);
}

// Waits until `count()` has not grown for `quiet` (or `limit` passes): the traffic has been captured.
template <typename Count>
void wait_until_quiet(Count count, std::chrono::milliseconds quiet = 400ms,
                      std::chrono::seconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  auto last = count();
  auto since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(20ms);
    const auto now_count = count();
    if (now_count != last) {
      last = now_count;
      since = std::chrono::steady_clock::now();
    } else if (last > 0 && std::chrono::steady_clock::now() - since > quiet) {
      return;
    }
  }
}

// Every column of every packet and every flow: the two Traces are the same.
void expect_same_trace(const Trace& live, const Trace& loaded) {
  ASSERT_EQ(live.packet_count(), loaded.packet_count());
  ASSERT_EQ(live.flows().size(), loaded.flows().size());
  for (std::size_t f = 0; f < live.flows().size(); ++f) {
    const TraceFlow &a = live.flows()[f], &b = loaded.flows()[f];
    EXPECT_EQ(a.proto, b.proto) << "flow " << f;
    EXPECT_EQ(a.a, b.a) << "flow " << f;
    EXPECT_EQ(a.b, b.b) << "flow " << f;
    EXPECT_EQ(a.a_port, b.a_port) << "flow " << f;
    EXPECT_EQ(a.b_port, b.b_port) << "flow " << f;
  }
  for (std::size_t i = 0; i < live.packet_count(); ++i) {
    const PacketRecord a = live.packet(i), b = loaded.packet(i);
    EXPECT_EQ(a.time.ns, b.time.ns) << "packet " << i;
    EXPECT_EQ(a.arrive.ns, b.arrive.ns) << "packet " << i;
    EXPECT_EQ(a.flow, b.flow) << "packet " << i;
    EXPECT_EQ(a.dir, b.dir) << "packet " << i;
    EXPECT_EQ(a.tcp_flags, b.tcp_flags) << "packet " << i;
    EXPECT_EQ(a.seq, b.seq) << "packet " << i;
    EXPECT_EQ(a.ack, b.ack) << "packet " << i;
    EXPECT_EQ(a.window, b.window) << "packet " << i;
    EXPECT_EQ(a.payload_len, b.payload_len) << "packet " << i;
    EXPECT_EQ(a.marks, b.marks) << "packet " << i;
    EXPECT_EQ(a.payload_ref, b.payload_ref) << "packet " << i;
    EXPECT_EQ(a.options.has_value(), b.options.has_value()) << "packet " << i;
  }
}

wire::TcpOptions syn_options() {
  wire::TcpOptions o;
  o.mss = 1460;
  return o;
}

std::vector<std::uint8_t> garbage_frame() {
  return {0x45, 0x00, 0x00};  // an IPv4 header cut after three bytes
}

// The same frames through the live builder and through a pcap file: the same Trace, with each packet's
// payload_ref pointing at its bytes in the file the capture would have written.
TEST(LiveTraceBuilder, FramesFedOneAtATimeGiveTheTraceLoadedFromTheSamePcap) {
  testing::TempDir dir;
  const std::string pcap = dir.file("frames.pcap");
  std::vector<std::pair<std::int64_t, std::vector<std::uint8_t>>> frames = {
      {0, capture_test::ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1000, 0, wire::tcp_flag::kSyn, 65535, 0,
                                 syn_options())},
      {1'000'000, capture_test::ipv4_tcp("10.0.0.2", 80, "10.0.0.1", 40000, 5000, 1001,
                                         wire::tcp_flag::kSyn | wire::tcp_flag::kAck, 65535)},
      {2'000'000,
       capture_test::ipv4_tcp("10.0.0.1", 40000, "10.0.0.2", 80, 1001, 5001, wire::tcp_flag::kAck, 512, 100)},
      {2'500'000, capture_test::ipv4_udp("10.0.0.3", 5353, "10.0.0.4", 53, 20)},
      {2'400'000, capture_test::ipv4_udp("10.0.0.4", 53, "10.0.0.3", 5353, 40)},  // stamped earlier
      {3'000'000, garbage_frame()},
  };
  {
    PcapWriter writer(pcap, kDltRaw);
    ASSERT_TRUE(writer.ok());
    for (const auto& [t, bytes] : frames) writer.add(t, bytes);
  }
  Trace live;
  LiveTraceBuilder builder(live, true);
  for (const auto& [t, bytes] : frames) {
    LiveFrame f;
    f.epoch_ns = (1'767'225'600 + t / 1'000'000'000) * 1'000'000'000 + t % 1'000'000'000;
    f.caplen = f.len = static_cast<std::uint32_t>(bytes.size());
    f.data = bytes.data();
    f.dlt = kDltRaw;
    builder.add(f);
  }
  auto loaded = load_capture(pcap);
  ASSERT_TRUE(loaded) << loaded.error().message();
  expect_same_trace(live, loaded->trace);
  EXPECT_EQ(builder.info().time_went_backwards, loaded->info.time_went_backwards);
  EXPECT_EQ(builder.info().malformed_frames, 1u);
  EXPECT_EQ(builder.info().decode_error_count, loaded->info.decode_error_count);
  EXPECT_EQ(builder.pcap_bytes(), std::filesystem::file_size(pcap));
  EXPECT_EQ(builder.counts().frames, 6u);
  EXPECT_EQ(builder.counts().tcp, 3u);
  EXPECT_EQ(builder.counts().udp, 2u);
  EXPECT_EQ(builder.counts().malformed, 1u);
}

// Frames copied on one thread arrive whole and in order on another, however the batches fall.
TEST(LiveFrameQueue, FramesPushedOnOneThreadArriveWholeAndInOrderOnAnother) {
  LiveFrameQueue queue;
  constexpr int kFrames = 2000;
  std::thread producer([&] {
    std::vector<std::uint8_t> bytes;
    for (int i = 0; i < kFrames; ++i) {
      bytes.assign(static_cast<std::size_t>(1 + i % 97), static_cast<std::uint8_t>(i));
      LiveFrame f;
      f.epoch_ns = i;
      f.caplen = static_cast<std::uint32_t>(bytes.size());
      f.len = f.caplen + 1;
      f.data = bytes.data();
      f.dlt = 1;
      queue.push(f);
    }
  });
  LiveFrameQueue::Batch batch;
  int received = 0;
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (received < kFrames && std::chrono::steady_clock::now() < end) {
    queue.take(batch);
    for (std::size_t k = 0; k < batch.size(); ++k, ++received) {
      const LiveFrame f = batch.frame(k);
      ASSERT_EQ(f.epoch_ns, received);
      ASSERT_EQ(f.caplen, static_cast<std::uint32_t>(1 + received % 97));
      ASSERT_EQ(f.len, f.caplen + 1);
      for (std::uint32_t b = 0; b < f.caplen; ++b) ASSERT_EQ(f.data[b], static_cast<std::uint8_t>(received));
    }
  }
  producer.join();
  queue.take(batch);
  EXPECT_EQ(received, kFrames);
  EXPECT_EQ(batch.size(), 0u);
}

// The UI's indexes extended batch by batch equal the indexes built over the whole Trace, including the
// shared "others" column once there are more addresses than columns.
TEST(LiveTraceIndex, ExtendingOverNewPacketsMatchesIndexingEverythingAtOnce) {
  std::vector<std::vector<std::uint8_t>> frames;
  for (int k = 0; k < 14; ++k) {
    const std::string client = "10.0.1." + std::to_string(k + 1);
    frames.push_back(capture_test::ipv4_tcp(client.c_str(), 40000, "10.0.0.2", 80, 100u * k, 0,
                                            wire::tcp_flag::kSyn, 65535));
    frames.push_back(capture_test::ipv4_tcp("10.0.0.2", 80, client.c_str(), 40000, 7000, 100u * k + 1,
                                            wire::tcp_flag::kSyn | wire::tcp_flag::kAck, 65535));
    frames.push_back(capture_test::ipv4_udp(client.c_str(), 5000, "10.0.0.9", 53, 10));
  }
  auto feed = [&](LiveTraceBuilder& b, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      LiveFrame f;
      f.epoch_ns = 1'000'000'000 + static_cast<std::int64_t>(i) * 1000;
      f.caplen = f.len = static_cast<std::uint32_t>(frames[i].size());
      f.data = frames[i].data();
      f.dlt = kDltRaw;
      b.add(f);
    }
  };
  LoadedTrace whole;
  {
    LiveTraceBuilder b(whole.trace, false);
    feed(b, 0, frames.size());
  }
  index_trace(whole, true);

  LoadedTrace growing;
  index_trace(growing, true);  // the empty live document
  LiveTraceBuilder b(growing.trace, false);
  for (std::size_t from = 0; from < frames.size(); from += 5) {
    const std::size_t first = growing.trace.packet_count();
    feed(b, from, std::min(from + 5, frames.size()));
    extend_capture_index(growing, first);
  }
  ASSERT_EQ(growing.columns.size(), whole.columns.size());
  for (std::size_t c = 0; c < whole.columns.size(); ++c)
    EXPECT_EQ(growing.columns[c].name, whole.columns[c].name);
  EXPECT_EQ(whole.columns.back().name, "others");
  ASSERT_EQ(growing.flow_columns.size(), whole.flow_columns.size());
  for (std::size_t f = 0; f < whole.flow_columns.size(); ++f) {
    EXPECT_EQ(growing.flow_columns[f].a, whole.flow_columns[f].a) << "flow " << f;
    EXPECT_EQ(growing.flow_columns[f].b, whole.flow_columns[f].b) << "flow " << f;
  }
  EXPECT_EQ(growing.kinds_present, whole.kinds_present);
  EXPECT_EQ(growing.max_flight_ns, whole.max_flight_ns);
  EXPECT_EQ(growing.any_lost, whole.any_lost);
  for (std::size_t i = 0; i < whole.trace.packet_count(); ++i) {
    const PacketRecord p = whole.trace.packet(i);
    EXPECT_EQ(growing.rel->seq(p.flow, p.dir, p.seq), whole.rel->seq(p.flow, p.dir, p.seq)) << "packet " << i;
    EXPECT_EQ(growing.rel->ack(p.flow, p.dir, p.ack), whole.rel->ack(p.flow, p.dir, p.ack)) << "packet " << i;
  }
}

// A real capture on loopback, decoded as frames arrive, equals load_capture of the pcap it wrote: UDP
// datagrams and a TCP exchange sent from this test, same count, times, addresses and flags.
TEST(LiveTraceCapture, LoopbackCaptureEqualsTheTraceOfItsOwnPcap) {
  testing::TempDir dir;
  const std::string pcap = dir.file("live.pcap");
  const std::uint16_t udp_port = test_port(0), tcp_port = test_port(1);
  LiveCaptureOptions o;
  o.interface = "lo";
  o.bpf_filter = "udp port " + std::to_string(udp_port) + " or tcp port " + std::to_string(tcp_port);
  o.write_path = pcap;
  o.duration_s = 30;
  Trace live;
  LiveTraceBuilder builder(live, true);
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> frames{0};
  Result<LiveCaptureStats> result = LiveCaptureStats{};
  std::thread capture([&] {
    result = run_live_capture(
        o,
        [&](const LiveFrame& f) {
          builder.add(f);
          ++frames;
          return true;
        },
        &stop);
  });
  std::this_thread::sleep_for(300ms);  // libpcap attaches
  send_udp(udp_port, 3);
  tcp_exchange(tcp_port);
  wait_until_quiet([&] { return frames.load(); });
  stop = true;
  capture.join();
  ASSERT_TRUE(result) << result.error().message();

  auto loaded = load_capture(pcap);
  ASSERT_TRUE(loaded) << loaded.error().message();
  expect_same_trace(live, loaded->trace);
  EXPECT_EQ(builder.info().first_frame_epoch_ns, loaded->info.first_frame_epoch_ns);
  EXPECT_EQ(builder.info().dlt, loaded->info.dlt);
  EXPECT_EQ(builder.pcap_bytes(), std::filesystem::file_size(pcap));
  // What was sent is there: three datagrams, and a handshake, data both ways and FINs.
  EXPECT_EQ(builder.counts().udp, 3u);
  std::uint64_t syns = 0, fins = 0, data = 0;
  for (std::size_t i = 0; i < live.packet_count(); ++i) {
    const PacketRecord p = live.packet(i);
    if (live.flows()[p.flow].proto != Transport::Tcp) continue;
    syns += (p.tcp_flags & wire::tcp_flag::kSyn) != 0;
    fins += (p.tcp_flags & wire::tcp_flag::kFin) != 0;
    data += p.payload_len == 5;
  }
  EXPECT_EQ(syns, 2u);
  EXPECT_EQ(fins, 2u);
  EXPECT_EQ(data, 2u);
  const auto loopback_addr = wire::IpAddr::from_v4(capture_test::v4("127.0.0.1"));
  for (const TraceFlow& f : live.flows()) {
    EXPECT_EQ(f.a, loopback_addr);
    EXPECT_EQ(f.b, loopback_addr);
  }
}

// The background source as the UI uses it: frames taken from its queue on this thread, then Stop joins the
// thread, and the saved prefix of its pcap holds exactly the frames taken.
TEST(LiveSource, StopJoinsTheCaptureAndTheSavedPcapHoldsWhatWasTaken) {
  testing::TempDir dir;
  const std::string pcap = dir.file("source.pcap"), saved = dir.file("saved.pcap");
  const std::uint16_t port = test_port(2);
  Trace trace;
  LiveTraceBuilder builder(trace, true);
  LiveFrameQueue::Batch batch;
  {
    LiveSource source(pcap);
    LiveCaptureOptions o;
    o.interface = "lo";
    o.bpf_filter = "udp port " + std::to_string(port);
    source.start_capture(o);
    EXPECT_TRUE(source.running());
    std::this_thread::sleep_for(300ms);
    send_udp(port, 5);
    const auto end = std::chrono::steady_clock::now() + 10s;
    while (builder.counts().frames < 5 && std::chrono::steady_clock::now() < end) {
      source.frames().take(batch);
      for (std::size_t i = 0; i < batch.size(); ++i) builder.add(batch.frame(i));
      std::this_thread::sleep_for(10ms);
    }
    ASSERT_EQ(builder.counts().frames, 5u);
    const auto started = std::chrono::steady_clock::now();
    source.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
    EXPECT_FALSE(source.running());
    EXPECT_TRUE(source.status().error.empty()) << source.status().error;
    auto copied = copy_file_prefix(pcap, saved, builder.pcap_bytes());
    ASSERT_TRUE(copied) << copied.error().message();
  }
  EXPECT_FALSE(std::filesystem::exists(pcap)) << "the source removes its working pcap";
  auto loaded = load_capture(saved);
  ASSERT_TRUE(loaded) << loaded.error().message();
  expect_same_trace(trace, loaded->trace);
}

// An interface that does not exist: the thread ends by itself with libpcap's reason and our hint.
TEST(LiveSource, UnknownInterfaceEndsWithOneClearError) {
  testing::TempDir dir;
  LiveSource source(dir.file("none.pcap"));
  LiveCaptureOptions o;
  o.interface = "nosuch0";
  source.start_capture(o);
  const auto end = std::chrono::steady_clock::now() + 5s;
  while (source.running() && std::chrono::steady_clock::now() < end) std::this_thread::sleep_for(10ms);
  EXPECT_FALSE(source.running());
  EXPECT_NE(source.status().error.find("interface nosuch0: No such device"), std::string::npos)
      << source.status().error;
}

// The lab on loopback hands frames over while it runs (not only at the end), and its result counts them.
TEST(LiveSource, LoopbackLabDeliversFramesWhileItRuns) {
  testing::TempDir dir;
  LiveSource source(dir.file("lab.pcap"));
  LiveLabOptions o;
  o.namespaces = false;
  o.tcp = false;
  o.udp_messages = 50;
  o.udp_size = 100;
  o.udp_interval_ms = 10;
  o.timeout_s = 20;
  source.start_lab(o);
  LiveFrameQueue::Batch batch;
  std::uint64_t taken = 0, taken_while_running = 0;
  const auto end = std::chrono::steady_clock::now() + 30s;
  for (;;) {
    const bool running = source.running();
    source.frames().take(batch);
    taken += batch.size();
    if (running) taken_while_running = taken;
    if (!running || std::chrono::steady_clock::now() > end) break;
    std::this_thread::sleep_for(20ms);
  }
  source.frames().take(batch);
  taken += batch.size();
  const LiveSourceStatus st = source.status();
  ASSERT_TRUE(st.error.empty()) << st.error;
  ASSERT_TRUE(st.lab_result.has_value());
  EXPECT_EQ(st.lab_result->udp_sent, 50u);
  EXPECT_EQ(st.lab_result->frames, taken);
  EXPECT_EQ(taken, 50u);
  EXPECT_GT(taken_while_running, 0u) << "frames arrive during the run";
  EXPECT_NE(st.progress.find("UDP: sending 50 datagrams"), std::string::npos) << st.progress;
}

// Stopping a lab between namespaces mid-transfer ends it promptly and leaves no namespace behind.
TEST(LiveSource, StoppingANamespaceLabRemovesItsNamespaces) {
  testing::TempDir dir;
  LiveSource source(dir.file("ns.pcap"));
  LiveLabOptions o;
  o.namespaces = true;
  o.udp = false;
  o.tcp_bytes = 200'000'000;  // far more than the test waits for
  o.timeout_s = 60;
  source.start_lab(o);
  LiveFrameQueue::Batch batch;
  std::uint64_t taken = 0;
  const auto end = std::chrono::steady_clock::now() + 20s;
  while (taken < 50 && source.running() && std::chrono::steady_clock::now() < end) {
    source.frames().take(batch);
    taken += batch.size();
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_GE(taken, 50u) << source.status().error << source.status().progress;
  const auto started = std::chrono::steady_clock::now();
  source.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
  EXPECT_FALSE(source.running());
  EXPECT_TRUE(source.status().error.empty()) << "stopped on request: " << source.status().error;
  const auto list = testing::run_command_line("ip netns list");
  EXPECT_EQ(list.output.find("wirestep-a-" + std::to_string(getpid())), std::string::npos) << list.output;
  EXPECT_EQ(list.output.find("wirestep-b-" + std::to_string(getpid())), std::string::npos) << list.output;
}

// The whole UI without a window, fed by the loopback lab: packets join the open document frame by frame, the
// view follows the newest until the user zooms away from it, and closing the app stops the capture.
TEST(LiveDocument, PacketsAppearFrameByFrameAndTheViewFollowsTheNewestUntilTheUserLooksAway) {
  auto ui = std::make_unique<gui::HeadlessApp>();
  gui::App* app = &ui->app();
  auto frame = [&] {
    ui->frame();
    std::this_thread::sleep_for(15ms);
  };
  LiveLabOptions o;
  o.namespaces = false;
  o.tcp = false;
  o.udp_messages = 80;
  o.udp_size = 100;
  o.udp_interval_ms = 10;
  o.timeout_s = 20;
  app->start_live_lab(o);
  auto packets = [&] { return app->doc().traces.at(0)->trace.packet_count(); };
  const auto end = std::chrono::steady_clock::now() + 20s;
  std::size_t seen_growth = 0, last = 0;
  while (packets() < 20 && std::chrono::steady_clock::now() < end) {
    frame();
    if (packets() != last) ++seen_growth;
    last = packets();
    // Following: the newest packet is on screen and the cursor sits on it.
    if (packets() > 0) {
      EXPECT_TRUE(app->view().following_newest);
      EXPECT_LE(app->doc().end_ns, app->view().view_end_ns);
      EXPECT_GE(app->doc().end_ns, app->view().view_begin_ns);
      EXPECT_EQ(app->view().cursor.time_ns, app->doc().end_ns);
    }
  }
  ASSERT_GE(packets(), 20u);
  EXPECT_GE(seen_growth, 2u) << "packets arrive over several frames, not all at the end";
  EXPECT_TRUE(app->document().live().running());

  // Zoom in hard near the top of the timeline: the newest packet leaves the view and following stops.
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(700, 200);
  io.MouseWheel = 12.0f;
  frame();
  io.MouseWheel = 0.0f;
  EXPECT_FALSE(app->view().following_newest);
  const std::int64_t begin = app->view().view_begin_ns, view_end = app->view().view_end_ns;
  const std::size_t before = packets();
  while (packets() == before && app->document().live().running() && std::chrono::steady_clock::now() < end)
    frame();
  EXPECT_GT(packets(), before);
  EXPECT_EQ(app->view().view_begin_ns, begin) << "the view stays where the user put it";
  EXPECT_EQ(app->view().view_end_ns, view_end);

  app->stop_live();
  EXPECT_FALSE(app->document().live().running());
  EXPECT_EQ(app->document().live().counts()->frames, packets());
  const std::string pcap = app->doc().traces.at(0)->capture_path;
  EXPECT_TRUE(std::filesystem::exists(pcap));
  frame();
  app = nullptr;
  ui.reset();
  EXPECT_FALSE(std::filesystem::exists(pcap)) << "the working pcap goes with the app";
}

}  // namespace live_trace_test
}  // namespace wirestep
