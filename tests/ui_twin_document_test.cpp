// A twin pair opened in the UI (issue 16), without a window: `wirestep twin`'s two pcaps become one document
// with a "simulated" and a "real Linux" lane on one time axis, the segments of every differing row marked on
// both lanes and listed; bad files are one message naming the file. The pcaps here are simulated runs (the
// "real" one from an edited scenario), so no namespaces are needed; the shots render the same under Xvfb.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "capture/pcap_export.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "test_support.hpp"
#include "ui/model/open_document.hpp"
#include "ui/model/twin_document.hpp"

namespace wirestep {
namespace ui_twin_document_test {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Runs the twin scenario (optionally with one text replaced) and writes its pcap.
void write_run(const std::string& from, const std::string& to, const std::string& pcap) {
  const std::string file = testing::source_path("scenarios/twin/twin-request-response.toml");
  std::string text = read_text(file);
  if (!from.empty()) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, from.size(), to);
  }
  auto sc = parse_scenario(text, file);
  ASSERT_TRUE(sc) << sc.error().message();
  const RunResult run = run_scenario(*sc);
  ASSERT_TRUE(write_pcap(run.trace, pcap));
}

TEST(UiTwinDocument, IdenticalRunsOpenAsTwoLabelledLanesWithNothingMarked) {
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  write_run("", "", dir.file("r.pcap"));
  OpenDocument od;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap")));
  const Document& d = od.doc();
  ASSERT_TRUE(d.twin);
  ASSERT_EQ(d.traces.size(), 2u);
  EXPECT_EQ(d.traces[0]->label_in(Lang::En), "simulated");
  EXPECT_EQ(d.traces[0]->label_in(Lang::Zh), "模拟");
  EXPECT_EQ(d.traces[1]->label_in(Lang::En), "real Linux");
  EXPECT_EQ(d.traces[1]->label_in(Lang::Zh), "真实 Linux");
  EXPECT_TRUE(d.twin->comparison.agree());
  EXPECT_TRUE(d.twin->differences.empty());
  EXPECT_EQ(d.twin->summary(Lang::Zh).find("逐段一致") != std::string::npos, true)
      << d.twin->summary(Lang::Zh);
  for (std::uint32_t p = 0; p < d.traces[0]->trace.packet_count(); ++p)
    EXPECT_FALSE(d.twin->is_different(0, p));
}

TEST(UiTwinDocument, FieldsLeftOutOfTheComparisonAreNamedInTheSummaryInBothLanguages) {
  // `wirestep twin --ignore-psh --gui` (or `gui --twin ... --ignore-psh`): the panel's count must say what it
  // did not count, as the command line's report does.
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  write_run("", "", dir.file("r.pcap"));
  OpenDocument od;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap")));
  EXPECT_EQ(od.doc().twin->summary(Lang::En).find("not compared"), std::string::npos);
  TwinCompareOptions o;
  o.compare_psh = false;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap"), o));
  EXPECT_NE(od.doc().twin->summary(Lang::En).find("(not compared: PSH)"), std::string::npos)
      << od.doc().twin->summary(Lang::En);
  EXPECT_NE(od.doc().twin->summary(Lang::Zh).find("（未比较：PSH）"), std::string::npos)
      << od.doc().twin->summary(Lang::Zh);
  o.compare_window = o.compare_repair = false;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap"), o));
  EXPECT_NE(od.doc().twin->summary(Lang::En).find("(not compared: PSH, windows, repair kinds)"),
            std::string::npos)
      << od.doc().twin->summary(Lang::En);
  EXPECT_NE(od.doc().twin->summary(Lang::Zh).find("（未比较：PSH、窗口、修复方式）"), std::string::npos)
      << od.doc().twin->summary(Lang::Zh);
}

TEST(UiTwinDocument, BothRunsStartAtZeroOnOneTimeAxis) {
  // The real capture is stamped with the wall clock, the simulated one from zero: each lane counts from
  // its first frame, so the two lie over each other instead of decades apart.
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  write_run("", "", dir.file("r.pcap"));
  OpenDocument od;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap")));
  const Document& d = od.doc();
  for (const auto& lt : d.traces) {
    ASSERT_GT(lt->trace.packet_count(), 0u);
    EXPECT_EQ(lt->trace.packet_times_ns()[0], 0);
  }
  EXPECT_EQ(d.begin_ns, 0);
  EXPECT_GT(d.end_ns, 0);
}

TEST(UiTwinDocument, ALongerResponseMarksEveryDifferingRowOnBothLanes) {
  // The "real" server answers 200 bytes instead of 300: the response segment differs in length, and the
  // client's ACK of it in its relative ack (RFC 9293 §3.4: ack = next byte expected).
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  write_run("bytes = 300", "bytes = 200", dir.file("r.pcap"));
  OpenDocument od;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("r.pcap")));
  const Document& d = od.doc();
  ASSERT_TRUE(d.twin);
  const TwinDocument& t = *d.twin;
  ASSERT_FALSE(t.comparison.agree());
  EXPECT_EQ(t.differences.size(), t.comparison.differing_rows);
  const TwinDifference& first = t.differences.front();
  EXPECT_EQ(first.row, *t.comparison.first_difference);
  EXPECT_EQ(first.field, TwinField::Length);
  EXPECT_NE(first.text.find("10.0.0.2>10.0.0.1 segment 3"), std::string::npos) << first.text;
  EXPECT_NE(first.text.find("payload length"), std::string::npos) << first.text;
  EXPECT_NE(first.text_zh.find("载荷长度"), std::string::npos) << first.text_zh;
  EXPECT_NE(first.sim_line.find("len 300"), std::string::npos) << first.sim_line;
  EXPECT_NE(first.real_line.find("len 200"), std::string::npos) << first.real_line;
  EXPECT_NE(t.first_difference.find("first difference"), std::string::npos);
  EXPECT_NE(t.first_difference_zh.find("第一处不同"), std::string::npos);
  // Both sides of every paired row point at the packet carrying that segment, which is marked.
  for (const TwinDifference& diff : t.differences) {
    const TwinRow& row = t.comparison.rows[diff.row];
    if (row.sim) {
      ASSERT_TRUE(diff.sim_packet);
      EXPECT_TRUE(t.is_different(TwinDocument::kSimTrace, *diff.sim_packet));
      EXPECT_EQ(d.traces[0]->trace.payload_len(*diff.sim_packet), t.sim[*row.sim].len);
    }
    if (row.real) {
      ASSERT_TRUE(diff.real_packet);
      EXPECT_TRUE(t.is_different(TwinDocument::kRealTrace, *diff.real_packet));
      EXPECT_EQ(d.traces[1]->trace.payload_len(*diff.real_packet), t.real[*row.real].len);
    }
  }
  // The handshake agrees: its SYN is on neither lane's list.
  EXPECT_FALSE(t.is_different(TwinDocument::kSimTrace, 0));
  EXPECT_FALSE(t.is_different(TwinDocument::kRealTrace, 0));
}

TEST(UiTwinDocument, AMissingRealCaptureKeepsTheOpenDocumentAndNamesTheFile) {
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  OpenDocument od;
  ASSERT_FALSE(od.open_twin(dir.file("s.pcap"), dir.file("s.pcap")));
  const auto generation = od.doc().generation;
  const auto err = od.open_twin(dir.file("s.pcap"), dir.file("missing.pcap"));
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("missing.pcap"), std::string::npos) << *err;
  EXPECT_EQ(od.doc().generation, generation);
  EXPECT_TRUE(od.doc().twin);
}

TEST(UiTwinDocument, ATruncatedOrForeignFileIsOneMessageNotACrash) {
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  { std::ofstream(dir.file("junk.pcap"), std::ios::binary) << "not a capture at all"; }
  OpenDocument od;
  const auto junk = od.open_twin(dir.file("junk.pcap"), dir.file("s.pcap"));
  ASSERT_TRUE(junk);
  EXPECT_NE(junk->find("junk.pcap"), std::string::npos) << *junk;
  // The simulated pcap cut in the middle of a record: what was read opens (the loader keeps it).
  const auto bytes = testing::read_bytes(dir.file("s.pcap"));
  {
    std::ofstream out(dir.file("cut.pcap"), std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size() - 7));
  }
  const auto cut = od.open_twin(dir.file("s.pcap"), dir.file("cut.pcap"));
  if (cut) {
    EXPECT_NE(cut->find("cut.pcap"), std::string::npos) << *cut;
  } else {
    ASSERT_TRUE(od.doc().twin);
    EXPECT_FALSE(od.doc().twin->comparison.agree());  // the real side lost its last segment
  }
}

// Renders a twin pair with `wirestep shot --twin` under Xvfb and counts the lost-packet red (kLostHex) in
// the centre, where the two lanes are.
long red_pixels_in_lanes(const std::string& sim, const std::string& real, const std::string& extra) {
  if (testing::run_command_line("command -v xvfb-run").exit_code != 0) {
    ADD_FAILURE() << "xvfb-run is missing: install xvfb and xauth (scripts/install-deps.sh --test)";
    return -1;
  }
  constexpr int kW = 1280, kH = 800;
  const std::string out =
      (std::filesystem::temp_directory_path() / ("wirestep-twin-shot-" + std::to_string(::getpid()) + ".png"))
          .string();
  const auto r =
      testing::run_command_line("ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 xvfb-run -a -n " +
                                std::to_string(100 + ::getpid() % 800) + " " + std::string(WIRESTEP_BINARY) +
                                " shot --twin " + sim + " " + real + extra + " --size 1280x800 --out " + out);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const auto png = testing::read_bytes(out);
  std::filesystem::remove(out);
  int w = 0, h = 0, n = 0;
  unsigned char* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, 3);
  if (!px || w != kW || h != kH) {
    ADD_FAILURE() << "no 1280x800 PNG";
    if (px) stbi_image_free(px);
    return -1;
  }
  long red = 0;
  for (int y = kH / 6; y < kH - 40; ++y)
    for (int x = kW * 30 / 100; x < kW * 69 / 100; ++x) {
      const unsigned char* p = px + (static_cast<std::size_t>(y) * kW + x) * 3;
      if (std::abs(p[0] - 0xD6) < 12 && std::abs(p[1] - 0x27) < 12 && std::abs(p[2] - 0x28) < 12) ++red;
    }
  stbi_image_free(px);
  return red;
}

TEST(UiTwinShot, DifferingSegmentsAreRedOnTheLanesInBothLanguagesAndAgreeingRunsHaveNone) {
  testing::TempDir dir;
  write_run("", "", dir.file("s.pcap"));
  write_run("bytes = 300", "bytes = 200", dir.file("r.pcap"));
  EXPECT_GT(red_pixels_in_lanes(dir.file("s.pcap"), dir.file("r.pcap"), ""), 200);
  EXPECT_GT(red_pixels_in_lanes(dir.file("s.pcap"), dir.file("r.pcap"), " --lang zh"), 200);
  EXPECT_EQ(red_pixels_in_lanes(dir.file("s.pcap"), dir.file("s.pcap"), ""), 0);
}

}  // namespace ui_twin_document_test
}  // namespace wirestep
