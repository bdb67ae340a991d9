#include "ui/gui/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "capture/analyzed_capture.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/cli/commands.hpp"
#include "ui/gui/comparison_panel.hpp"
#include "ui/gui/controls.hpp"
#include "ui/gui/file_dialog.hpp"
#include "ui/gui/flow_list_panel.hpp"
#include "ui/gui/graph_panel.hpp"
#include "ui/gui/inspector_panel.hpp"
#include "ui/gui/link_panel.hpp"
#include "ui/gui/live_panel.hpp"
#include "ui/gui/palette.hpp"
#include "ui/gui/panel_window.hpp"
#include "ui/gui/prediction_panel.hpp"
#include "ui/gui/scenario_panel.hpp"
#include "ui/gui/state_panel.hpp"
#include "ui/gui/timeline_panel.hpp"
#include "ui/gui/truth_panel.hpp"
#include "ui/gui/ui_text.hpp"

namespace wirestep::gui {
namespace {

// Kept for the atlas's lifetime: ImGui reads glyph ranges when it builds the font texture.
ImVector<ImWchar> g_latin_ranges;
ImVector<ImWchar> g_cjk_ranges;

bool file_exists(const char* path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

// One spelling per file, so the lesson opened as "scenarios/x.toml" on the command line is the lesson the
// list shows as "/work/.../scenarios/x.toml".
std::string canonical_or_same(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path p = std::filesystem::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& ch : ext) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return ext;
}

// Scenario explanations are wrapped at ~100 columns in the TOML; the panel wraps to its own width. Single
// newlines become spaces, blank lines stay paragraph breaks.
std::string unwrap(const std::string& text) {
  std::string out;
  std::size_t start = text.find_first_not_of(" \n");
  for (std::size_t i = start == std::string::npos ? text.size() : start; i < text.size(); ++i) {
    if (text[i] != '\n') {
      out += text[i];
      continue;
    }
    if (i + 1 < text.size() && text[i + 1] == '\n') {
      out += "\n\n";
      while (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (!out.empty() && out.back() != ' ' && static_cast<unsigned char>(out.back()) < 0x80) {
      // (Chinese lines join without a space.)
      out += ' ';
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

std::string event_text(const TraceEvent& e) {
  if (e.kind == EventKind::StateChange) {
    const auto s = to_string(static_cast<TcpState>(e.value));
    return std::string(s);
  }
  return e.detail;
}

// Captures: one column per address in order of appearance; past the limit, one shared "others" column.
// Columns are few (LadderLayout::kMaxColumns), so finding an address among them is a short scan; it runs
// once per new flow.
std::uint8_t capture_column(LoadedTrace& lt, const wire::IpAddr& a) {
  constexpr std::size_t kMax = LadderLayout::kMaxColumns;
  const std::string name = a.to_string();
  for (std::size_t c = 0; c < lt.columns.size(); ++c)
    if (lt.columns[c].name == name && lt.columns[c].address.empty()) return static_cast<std::uint8_t>(c);
  if (lt.columns.size() + 1 >= kMax) {
    if (lt.columns.size() < kMax) lt.columns.push_back({"others", ""});
    return static_cast<std::uint8_t>(kMax - 1);
  }
  lt.columns.push_back({name, ""});
  return static_cast<std::uint8_t>(lt.columns.size() - 1);
}

// Captures: columns for the flows added since the last call.
void index_capture_flows(LoadedTrace& lt) {
  const auto& flows = lt.trace.flows();
  const std::size_t first = lt.flow_columns.size();
  if (first >= flows.size()) return;
  // The "?" column a Trace without flows is drawn with gives way to the real ones.
  if (lt.columns.size() == 1 && lt.columns[0].name == "?") lt.columns.clear();
  lt.flow_columns.resize(flows.size());
  for (std::size_t f = first; f < flows.size(); ++f)
    lt.flow_columns[f] = {capture_column(lt, flows[f].a), capture_column(lt, flows[f].b)};
}

// Per-packet summaries (longest flight, arrow kinds for the legend, losses) over packets from `first`.
void index_packets(LoadedTrace& lt, std::size_t first) {
  const Trace& t = lt.trace;
  for (std::size_t i = first; i < t.packet_count(); ++i) {
    const PacketRecord p = t.packet(i);
    lt.max_flight_ns = std::max(lt.max_flight_ns, p.arrive.ns - p.time.ns);
    const Transport proto = p.flow < t.flows().size() ? t.flows()[p.flow].proto : Transport::Other;
    lt.kinds_present[static_cast<std::size_t>(classify(p, proto))] = true;
    lt.any_lost = lt.any_lost || p.fate == Fate::DroppedByLink || p.fate == Fate::DroppedByQueue ||
                  p.fate == Fate::DroppedByHost;
  }
}

}  // namespace

void extend_capture_index(LoadedTrace& lt, std::size_t first_packet) {
  index_capture_flows(lt);
  if (lt.columns.empty()) lt.columns.push_back({"?", ""});
  if (lt.rel)
    lt.rel->extend(lt.trace, first_packet);
  else
    lt.rel.emplace(lt.trace);
  index_packets(lt, first_packet);
}

void index_trace(LoadedTrace& lt, bool capture) {
  const Trace& t = lt.trace;
  const auto& hosts = t.hosts();
  constexpr std::size_t kMax = LadderLayout::kMaxColumns;
  lt.columns.clear();
  lt.flow_columns.assign(t.flows().size(), FlowColumns{});
  if (!capture && !hosts.empty()) {
    for (std::size_t h = 0; h < std::min(hosts.size(), kMax); ++h)
      lt.columns.push_back(
          {hosts[h].name, hosts[h].addr.to_string() + "/" + std::to_string(hosts[h].prefix_len)});
    for (std::size_t f = 0; f < t.flows().size(); ++f) {
      const TraceFlow& fl = t.flows()[f];
      lt.flow_columns[f] = {static_cast<std::uint8_t>(std::min<std::size_t>(fl.a_host, kMax - 1)),
                            static_cast<std::uint8_t>(std::min<std::size_t>(fl.b_host, kMax - 1))};
    }
  } else {
    lt.flow_columns.clear();
    index_capture_flows(lt);
    if (lt.columns.empty()) lt.columns.push_back({"?", ""});
  }
  lt.rel.emplace(t);

  lt.max_flight_ns = 0;
  lt.kinds_present.fill(false);
  lt.any_lost = false;
  index_packets(lt, 0);

  lt.event_times.clear();
  lt.event_ids.clear();
  lt.event_columns.clear();
  lt.event_texts.clear();
  for (std::size_t e = 0; e < t.event_count(); ++e) {
    if (!is_step_event(t.event_kind(e))) continue;
    lt.event_times.push_back(t.event_time(e).ns);
    lt.event_ids.push_back(static_cast<std::uint32_t>(e));
  }
  // Texts are kept for ordinary runs; a huge run shows only marks (hover still names the kind).
  constexpr std::size_t kMaxTexts = 200'000;
  const bool texts = lt.event_ids.size() <= kMaxTexts;
  for (std::uint32_t id : lt.event_ids) {
    const TraceEvent e = t.event(id);
    lt.event_columns.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(e.host, kMax - 1)));
    if (texts) lt.event_texts.push_back(event_text(e));
  }
  lt.states.build(t);
}

// Runs a scenario into `d`: one Trace, or a comparison's TCP and UDP runs with their table.
void run_scenario_into(Document& d, const Scenario& sc) {
  if (sc.comparison) {
    // The same seed for both runs: the links draw the same random numbers in the same order.
    RunResult tcp = run_scenario(comparison_scenario(sc, true), sc.seed);
    RunResult udp = run_scenario(comparison_scenario(sc, false), sc.seed);
    d.comparison = compare_runs(*sc.comparison, tcp, udp);
    d.comparison_rows = comparison_rows(*d.comparison);
    auto a = std::make_unique<LoadedTrace>();
    a->label = "TCP";
    a->trace = std::move(tcp.trace);
    auto b = std::make_unique<LoadedTrace>();
    b->label = "UDP";
    b->trace = std::move(udp.trace);
    d.traces.push_back(std::move(a));
    d.traces.push_back(std::move(b));
  } else {
    RunResult run = run_scenario(sc);
    auto lt = std::make_unique<LoadedTrace>();
    lt->trace = std::move(run.trace);
    d.traces.push_back(std::move(lt));
  }
}

App::App()
    : timeline_(std::make_unique<TimelinePanel>()),
      inspector_(std::make_unique<InspectorPanel>()),
      state_(std::make_unique<StatePanel>()),
      scenario_panel_(std::make_unique<ScenarioPanel>()),
      controls_(std::make_unique<ControlsPanel>()),
      comparison_(std::make_unique<ComparisonPanel>()),
      live_panel_(std::make_unique<LivePanel>()) {
  file_dialog_ = std::make_unique<FileDialog>();
  flows_panel_ = std::make_unique<FlowListPanel>();
  prediction_panel_ = std::make_unique<PredictionPanel>();
  truth_ = std::make_unique<TruthPanel>();
  graphs_ = std::make_unique<GraphPanel>();
  link_panel_ = std::make_unique<LinkPanel>();
  load_scenario_list();
}

// Closing the app while capturing stops the capture (and the lab removes its namespaces) before anything
// the capture thread writes to goes away.
App::~App() {
  drop_live();
}

void App::load_scenario_list() {
  namespace fs = std::filesystem;
  scenarios_.clear();
  const std::string dir = default_scenario_directory();
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    auto sc = load_scenario_file(path.string());
    if (!sc) continue;
    scenarios_.push_back(
        {canonical_or_same(path.string()), sc->name, sc->title, sc->title_zh, sc->explanation_zh});
  }
}

void App::setup_imgui() {
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // a fixed layout; nothing to remember between runs
  ImGui::StyleColorsLight();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 0.0f;
  style.FrameRounding = 3.0f;
  style.GrabRounding = 3.0f;
  style.WindowBorderSize = 1.0f;
  style.WindowPadding = {8, 8};
  style.ItemSpacing = {8, 5};
  style.Colors[ImGuiCol_WindowBg] = ImVec4(0.975f, 0.978f, 0.984f, 1.0f);
  style.Colors[ImGuiCol_TitleBg] = ImVec4(0.89f, 0.91f, 0.94f, 1.0f);
  style.Colors[ImGuiCol_TitleBgActive] = ImVec4(0.84f, 0.88f, 0.94f, 1.0f);

  const char* sans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  const char* mono = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf";
  // Simplified Chinese: Noto Sans CJK (face 2 of the collection is SC) or WenQuanYi Micro Hei.
  struct Cjk {
    const char* path;
    int face;
  };
  static constexpr Cjk kCjk[] = {{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2},
                                 {"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0},
                                 {"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0}};
  const Cjk* cjk = nullptr;
  for (const Cjk& c : kCjk)
    if (file_exists(c.path)) {
      cjk = &c;
      break;
    }

  {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesDefault());
    b.AddText("\xE2\x86\x92\xE2\x88\x9E\xE2\x80\xA6\xC2\xB7\xC3\x97\xC2\xB5\xC2\xA7");  // → ∞ … · × µ §
    g_latin_ranges.clear();
    b.BuildRanges(&g_latin_ranges);
  }
  if (cjk) {
    ImFontGlyphRangesBuilder b;
    b.AddRanges(io.Fonts->GetGlyphRangesChineseSimplifiedCommon());
    // Every character our Chinese texts and the lessons use, even those outside the common set.
    for (const char* s : all_texts(Lang::Zh)) b.AddText(s);
    for (const char* s : prediction_texts(Lang::Zh)) b.AddText(s);
    for (const auto& s : scenarios_) {
      b.AddText(s.title_zh.c_str());
      b.AddText(s.explanation_zh.c_str());
    }
    b.AddText("（）：，。、；！？“”");
    g_cjk_ranges.clear();
    b.BuildRanges(&g_cjk_ranges);
  }
  auto merge_cjk = [&](float size) {
    if (!cjk) return;
    ImFontConfig cfg;
    cfg.MergeMode = true;
    cfg.FontNo = cjk->face;
    cfg.OversampleH = 1;  // CJK glyphs are many; horizontal oversampling would triple the atlas
    cfg.PixelSnapH = true;
    io.Fonts->AddFontFromFileTTF(cjk->path, size, &cfg, g_cjk_ranges.Data);
  };

  if (file_exists(sans)) {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    fonts_.ui = io.Fonts->AddFontFromFileTTF(sans, 16.0f, &cfg, g_latin_ranges.Data);
    merge_cjk(16.0f);
    fonts_.small = io.Fonts->AddFontFromFileTTF(sans, 13.5f, &cfg, g_latin_ranges.Data);
  } else {
    // Fallback: ImGui's built-in font (ASCII only).
    fonts_.ui = io.Fonts->AddFontDefault();
    merge_cjk(13.0f);
    fonts_.small = fonts_.ui;
  }
  fonts_.mono =
      file_exists(mono) ? io.Fonts->AddFontFromFileTTF(mono, 14.5f, nullptr, g_latin_ranges.Data) : nullptr;
  fonts_.cjk = cjk != nullptr;
  fonts_.cjk_path = cjk ? cjk->path : "";
  io.FontDefault = fonts_.ui;
}

std::optional<std::string> App::open(const std::string& path) {
  Document d;
  d.source = canonical_or_same(path);
  std::unique_ptr<EditableScenario> editable;
  const std::string ext = lower_extension(path);
  if (ext == ".pcap" || ext == ".pcapng" || ext == ".cap") {
    // Analysed while it loads (one pass): the Flows tab lists the conversations with their TCP analysis.
    auto analyzed = load_and_analyze(path);
    if (!analyzed) {
      error_ = analyzed.error().message();
      return error_;
    }
    LoadedCapture* cap = &analyzed->capture;
    d.capture = true;
    d.flows = std::make_shared<const CaptureFlows>(cap->trace, analyzed->analysis, cap->info.non_ip_flow);
    d.title = std::filesystem::path(path).filename().string();
    d.title_zh = d.title;
    const CaptureFileInfo& info = cap->info;
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s, %s, %llu frames, %zu flows%s%s",
                  std::string(to_string(info.format)).c_str(), info.link_type.c_str(),
                  static_cast<unsigned long long>(info.frames), cap->trace.flows().size(),
                  info.truncated ? "; the file ends mid-record (what was read is shown)" : "",
                  info.malformed_frames ? "; some frames are malformed" : "");
    d.explanation = buf;
    auto lt = std::make_unique<LoadedTrace>();
    lt->trace = std::move(cap->trace);
    lt->capture_path = path;
    lt->capture_ethernet = info.dlt == 1;  // DLT_EN10MB
    d.traces.push_back(std::move(lt));
    select_flows_tab_ = true;
  } else {
    // Kept as its TOML document: the Link tab and the packet actions edit it and run it again.
    auto loaded = EditableScenario::from_file(path);
    if (!loaded) {
      error_ = loaded.error().message();
      return error_;
    }
    editable = std::make_unique<EditableScenario>(std::move(*loaded));
    const Scenario& sc = editable->scenario();
    d.title = sc.title;
    d.title_zh = sc.title_zh;
    d.explanation = unwrap(sc.explanation);
    d.explanation_zh = unwrap(sc.explanation_zh);
    run_scenario_into(d, sc);
  }
  error_.clear();
  finish_load(std::move(d));
  // Scenario editing
  editable_ = std::move(editable);
  editable_generation_ = doc_.generation;
  edit_message_.clear();
  edit_failed_ = false;
  return std::nullopt;
}

void App::open_trace(Trace trace, const std::string& title) {
  Document d;
  d.source = title;
  d.title = d.title_zh = title;
  auto lt = std::make_unique<LoadedTrace>();
  lt->trace = std::move(trace);
  d.traces.push_back(std::move(lt));
  error_.clear();
  finish_load(std::move(d));
}

void App::finish_load(Document d) {
  d.begin_ns = INT64_MAX;
  d.end_ns = INT64_MIN;
  d.focus_end_ns = INT64_MIN;
  for (auto& lt : d.traces) {
    if (!lt->rel) index_trace(*lt, d.capture);  // a capture's whole trace comes back indexed (show_flows)
    const Trace& t = lt->trace;
    const auto times = t.packet_times_ns();
    if (!times.empty()) {
      d.begin_ns = std::min(d.begin_ns, d.capture ? times.front() : std::int64_t{0});
      d.end_ns = std::max(d.end_ns, times.back() + lt->max_flight_ns);
      d.focus_end_ns = std::max(d.focus_end_ns, times.back() + lt->max_flight_ns);
    }
    if (t.event_count()) {
      d.begin_ns = std::min(d.begin_ns, t.event_time(0).ns);
      d.end_ns = std::max(d.end_ns, t.event_time(t.event_count() - 1).ns);
    }
  }
  if (d.begin_ns == INT64_MAX) d.begin_ns = 0;
  if (d.end_ns <= d.begin_ns) d.end_ns = d.begin_ns + 1'000'000;
  if (d.focus_end_ns <= d.begin_ns) d.focus_end_ns = d.end_ns;
  d.generation = ++loads_;
  doc_ = std::move(d);
  // The step index points at the Traces, which now live in doc_.
  doc_.steps.clear();
  for (auto& lt : doc_.traces) doc_.steps.add_trace(lt->trace);

  view_.selected.reset();
  view_.hovered.reset();
  view_.playing = false;
  // Open where the last packet has arrived: the whole diagram drawn and the states as the lesson leaves them
  // (a TIME-WAIT still running); Space replays it from the start.
  view_.cursor = Cursor{doc_.focus_end_ns, doc_.steps.prev(Cursor{doc_.focus_end_ns + 1, std::nullopt})};
  events_cursor_ = Cursor{INT64_MIN, std::nullopt};
  prediction_.clear();
  prediction_cursor_ = Cursor{INT64_MIN, std::nullopt};
  fit_view();
  // Another document replaced the live one: its capture stops (and its temporary pcap goes).
  if (live_ && live_generation_ != doc_.generation) drop_live();
}

void App::fit_view() {
  // The interesting part: from the first activity to the last packet's arrival (a TIME-WAIT that ends two
  // seconds later stays reachable with End or by scrolling).
  const std::int64_t span = std::max<std::int64_t>(doc_.focus_end_ns - doc_.begin_ns, 1000);
  view_.view_begin_ns = doc_.begin_ns - span * 4 / 100;
  view_.view_end_ns = doc_.focus_end_ns + span * 5 / 100;
}

void App::show_graphs(GraphKind kind) {
  graphs_->set_kind(kind);
  select_graphs_tab_ = true;
}

std::size_t App::events_happened(std::uint32_t trace) const {
  return trace < events_happened_.size() ? events_happened_[trace] : 0;
}

void App::set_cursor(std::int64_t t_ns) {
  view_.cursor = Cursor{t_ns, std::nullopt};
  keep_cursor_visible();
}

void App::select(PacketRef p) {
  view_.selected = p;
}

void App::go_to_step(const std::optional<TimelineStep>& s) {
  if (!s) return;
  view_.cursor = Cursor{s->time_ns, s};
  if (s->kind != StepKind::Event) view_.selected = PacketRef{s->trace, s->index};
  keep_cursor_visible();
}

void App::keep_cursor_visible() {
  const std::int64_t span = view_.view_end_ns - view_.view_begin_ns;
  const std::int64_t t = view_.cursor.time_ns;
  if (t < view_.view_begin_ns || t > view_.view_end_ns - span / 20) {
    view_.view_begin_ns = t - span / 8;
    view_.view_end_ns = view_.view_begin_ns + span;
  }
}

void App::advance_play(double dt_s) {
  if (!view_.playing) return;
  const double per_s = view_.speed * 1e9;  // simulated ns per wall second
  std::int64_t t = view_.cursor.time_ns + static_cast<std::int64_t>(std::llround(dt_s * per_s));
  const auto next = doc_.steps.next(Cursor{view_.cursor.time_ns, std::nullopt});
  if (!next) {
    view_.playing = false;
    view_.cursor = Cursor{doc_.end_ns, std::nullopt};
    return;
  }
  // Skip quiet stretches (a 2 s TIME-WAIT at 0.02x would be 100 s of nothing): leave a quarter second.
  if (static_cast<double>(next->time_ns - view_.cursor.time_ns) / per_s > 1.5)
    t = std::max(t, next->time_ns - static_cast<std::int64_t>(0.25 * per_s));
  // Prediction mode: playback stops just before the hidden segment is sent.
  if (const auto& s = prediction_.question_step(); s && prediction_.hidden() && t >= s->time_ns) {
    view_.playing = false;
    const auto before = doc_.steps.prev(Cursor{s->time_ns, s});
    view_.cursor = before ? Cursor{before->time_ns, before} : Cursor{s->time_ns - 1, std::nullopt};
    prediction_.note_blocked();
    return;
  }
  view_.cursor = Cursor{t, doc_.steps.prev(Cursor{t + 1, std::nullopt})};
  if (view_.follow_cursor) keep_cursor_visible();
}

void App::handle_keys(Commands& c) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) c.toggle_play = true;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) c.step = -1;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) c.step = +1;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home), false)) c.to_start = true;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End), false)) c.to_end = true;
  // '+' and '-' arrive as characters (ImGui 1.86 has no key codes for them).
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar ch = io.InputQueueCharacters[i];
    if (ch == '+' || ch == '=' || ch == '-') {
      std::int64_t b = view_.view_begin_ns, e = view_.view_end_ns;
      const std::int64_t anchor =
          view_.cursor.time_ns >= b && view_.cursor.time_ns <= e ? view_.cursor.time_ns : (b + e) / 2;
      zoom_range(b, e, anchor, ch == '-' ? 1.25 : 0.8);
      c.set_view = {b, e};
    }
  }
}

void App::apply(Commands& c) {
  if (c.quit) quit_ = true;
  if (c.lang) view_.lang = *c.lang;
  if (c.filters) view_.filters = *c.filters;
  if (c.open_path) {
    // On failure the error shows in the lessons panel and the old document stays. Either way the rest of the
    // commands refer to the document the frame was drawn from: drop them.
    open(*c.open_path);
    return;
  }
  if (c.open_dialog) show_open_dialog();
  // Scenario editing
  if (c.packet_delay_ms) packet_delay_ms_ = std::clamp(*c.packet_delay_ms, 1, 60'000);
  if (c.save_scenario_dialog && editable()) {
    save_scenario_dialog_ = true;
    if (!save_scenario_buf_[0]) {
      const std::string name = std::filesystem::path(doc_.source).stem().string() + "-edited.toml";
      std::snprintf(save_scenario_buf_, sizeof save_scenario_buf_, "%s", name.c_str());
    }
  }
  if (c.save_scenario_path) save_scenario(*c.save_scenario_path);
  if (c.scenario_edit) {
    // The rest of the commands were made for the run being replaced: drop them.
    edit_scenario(*c.scenario_edit);
    return;
  }
  // Captures and files
  if (c.save_dialog) show_save_dialog();
  if (c.save_path) save_pcap(*c.save_path);
  if (c.show_flows) {
    // New traces: the rest of the commands refer to the ones the frame was drawn from.
    show_flows(*c.show_flows, c.flows_side_by_side);
    return;
  }
  // Live
  if (c.live_capture || c.live_lab) {
    // A new live document: the rest of the commands refer to the one the frame was drawn from.
    if (c.live_capture) start_live_capture(*c.live_capture);
    if (c.live_lab) start_live_lab(*c.live_lab);
    return;
  }
  if (c.live_stop) stop_live();
  if (c.live_save_path && live_ && live_builder_) {
    auto saved = copy_file_prefix(live_->pcap_path(), *c.live_save_path, live_builder_->pcap_bytes());
    live_message_ = saved ? std::string(tr(view_.lang, T::LiveSaved)) + " " +
                                std::to_string(live_builder_->counts().frames) + " " +
                                tr(view_.lang, T::LiveFramesWord) + ": " + *c.live_save_path
                          : saved.error().message();
  }
  // The user moving the cursor or scrolling the newest packet out of view stops following it.
  if (live_ && (c.step || c.to_start || c.set_cursor_ns || c.toggle_play)) live_follow_ = false;
  if (live_ && c.set_view)
    live_follow_ = doc_.end_ns >= c.set_view->first && doc_.end_ns <= c.set_view->second;
  if (c.live_follow && live_) {
    live_follow_ = true;
    follow_newest(true);
  }
  // Teaching
  if (c.predict) set_prediction(*c.predict);
  if (c.guess) prediction_.submit(*c.guess);
  if (c.speed) view_.speed = std::clamp(*c.speed, 0.01, 1000.0);
  if (c.set_view && c.set_view->second > c.set_view->first) {
    view_.view_begin_ns = c.set_view->first;
    view_.view_end_ns = c.set_view->second;
  }
  if (c.fit) fit_view();
  if (c.hover)
    view_.hovered = c.hover;
  else
    view_.hovered.reset();
  if (c.select)
    view_.selected = c.select;
  else if (c.clear_selection)
    view_.selected.reset();
  if (c.set_cursor_ns)
    view_.cursor = Cursor{std::clamp(*c.set_cursor_ns, doc_.begin_ns, doc_.end_ns), std::nullopt};
  if (c.step) {
    view_.playing = false;
    const auto target = c.step > 0 ? doc_.steps.next(view_.cursor) : doc_.steps.prev(view_.cursor);
    if (c.step > 0 && prediction_.blocks(target))
      prediction_.note_blocked();  // the hidden segment waits for a guess or "show"
    else
      go_to_step(target);
  }
  if (c.to_start) {
    view_.playing = false;
    view_.cursor = Cursor{doc_.begin_ns, std::nullopt};
    keep_cursor_visible();
  }
  if (c.to_end) {
    view_.playing = false;
    view_.cursor = Cursor{doc_.end_ns, std::nullopt};
    keep_cursor_visible();
  }
  if (c.toggle_play) {
    if (!view_.playing && !doc_.steps.next(Cursor{view_.cursor.time_ns, std::nullopt})) {
      // At the end: play again from the start, in the view the lesson opened with.
      view_.cursor = Cursor{doc_.begin_ns, std::nullopt};
      fit_view();
    }
    view_.playing = !view_.playing;
  }
}

void App::draw_menu(Commands& c) {
  const Lang lang = view_.lang;
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu(tr(lang, T::MenuFile))) {
    if (ImGui::MenuItem(tr(lang, T::MenuOpen), "Ctrl+O")) c.open_dialog = true;
    if (ImGui::MenuItem(tr(lang, T::MenuSavePcap), "Ctrl+S", false, !doc_.traces.empty()))
      c.save_dialog = true;
    // Scenario editing
    if (ImGui::MenuItem(tr(lang, T::SaveScenarioAs), nullptr, false, editable() != nullptr))
      c.save_scenario_dialog = true;
    if (ImGui::MenuItem(tr(lang, T::MenuQuit))) c.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(lang, T::MenuView))) {
    Filters f = view_.filters;
    bool changed = ImGui::MenuItem(tr(lang, T::ShowEvents), nullptr, &f.events);
    changed |= ImGui::MenuItem(tr(lang, T::ShowAcks), nullptr, &f.pure_acks);
    changed |= ImGui::MenuItem(tr(lang, T::RelativeSeq), nullptr, &f.relative_seq);
    changed |= ImGui::MenuItem("TCP", nullptr, &f.tcp);
    changed |= ImGui::MenuItem("UDP", nullptr, &f.udp);
    if (changed) c.filters = f;
    // Teaching
    ImGui::Separator();
    bool predict = prediction_.enabled();
    if (ImGui::MenuItem(tr(lang, T::PredictMode), nullptr, &predict)) c.predict = predict;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu(tr(lang, T::MenuLanguage))) {
    if (ImGui::MenuItem("English", nullptr, lang == Lang::En)) c.lang = Lang::En;
    if (ImGui::MenuItem("\xE4\xB8\xAD\xE6\x96\x87 (Chinese)", nullptr, lang == Lang::Zh, fonts_.cjk))
      c.lang = Lang::Zh;
    if (!fonts_.cjk && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", tr(Lang::En, T::NoCjkFont));
    ImGui::EndMenu();
  }
  // Right side: the document and its size.
  char info[160];
  std::size_t packets = 0;
  for (const auto& lt : doc_.traces) packets += lt->trace.packet_count();
  std::snprintf(info, sizeof info, "%s   %zu %s",
                std::filesystem::path(doc_.source).filename().string().c_str(), packets,
                tr(lang, T::PacketsWord));
  const float w = ImGui::CalcTextSize(info).x;
  // The last save's outcome, for a while (a failure longer), where the eye goes after the dialog closes.
  if (!file_status_.empty() && file_status_age_s_ < (file_status_failed_ ? 30.0 : 12.0)) {
    ImGui::SameLine(0.0f, 24.0f);
    ImGui::TextColored(ImColor(rgb(file_status_failed_ ? kLostHex : 0x2E7D32)), "%s", file_status_.c_str());
  }
  ImGui::SameLine(ImGui::GetWindowWidth() - w - 16.0f);
  ImGui::TextDisabled("%s", info);
  ImGui::EndMainMenuBar();
}

// The Open and Save dialogs share one modal file browser (file_dialog.hpp).
void App::draw_open_dialog(Commands& c) {
  file_dialog_->draw(*this, c);
}

// The left column: one tab per way of choosing what to look at. Each tab draws inside this window.
void App::draw_left_column(Commands& c, const PanelRect& r) {
  if (begin_panel_window("###left", r, false) && ImGui::BeginTabBar("left-tabs")) {
    if (ImGui::BeginTabItem(tr(view_.lang, T::Scenarios))) {
      scenario_panel_->draw_contents(*this, c);
      ImGui::EndTabItem();
    }
    // Captures and files
    if (doc_.flows) {
      char flows_label[64];
      std::snprintf(flows_label, sizeof flows_label, "%s###flows-tab", tr(view_.lang, T::Flows));
      if (ImGui::BeginTabItem(flows_label, nullptr, select_flows_tab_ ? ImGuiTabItemFlags_SetSelected : 0)) {
        flows_panel_->draw_contents(*this, c);
        ImGui::EndTabItem();
      }
    }
    select_flows_tab_ = false;
    // Live
    char live_label[64];
    std::snprintf(live_label, sizeof live_label, "%s###live-tab", tr(view_.lang, T::LiveTab));
    if (ImGui::BeginTabItem(live_label, nullptr, live_select_tab_ ? ImGuiTabItemFlags_SetSelected : 0)) {
      live_panel_->draw_contents(*this, c);
      ImGui::EndTabItem();
    }
    live_select_tab_ = false;
    // Scenario editing
    if (editable()) {
      char link_label[64];
      std::snprintf(link_label, sizeof link_label, "%s###link-tab", tr(view_.lang, T::LinkTab));
      if (ImGui::BeginTabItem(link_label, nullptr, select_link_tab_ ? ImGuiTabItemFlags_SetSelected : 0)) {
        link_panel_->draw_contents(*this, c);
        ImGui::EndTabItem();
      }
    }
    select_link_tab_ = false;
    ImGui::EndTabBar();
  }
  ImGui::End();
}

// Below the inspector: the state machine and, beside it, the graphs over time.
void App::draw_lower_right(Commands& c, const PanelRect& r) {
  if (begin_panel_window("###lower-right", r, false) && ImGui::BeginTabBar("lower-right-tabs")) {
    if (ImGui::BeginTabItem(tr(view_.lang, T::TcpState))) {
      state_->draw_contents(*this);
      ImGui::EndTabItem();
    }
    char graphs[64];
    std::snprintf(graphs, sizeof graphs, "%s###graphs-tab", tr(view_.lang, T::GraphsTab));
    if (ImGui::BeginTabItem(graphs, nullptr, select_graphs_tab_ ? ImGuiTabItemFlags_SetSelected : 0)) {
      graphs_->draw_contents(*this, c);
      ImGui::EndTabItem();
    }
    select_graphs_tab_ = false;
    // Teaching
    char truth[64];
    std::snprintf(truth, sizeof truth, "%s###truth-tab", tr(view_.lang, T::TruthTab));
    if (ImGui::BeginTabItem(truth, nullptr, select_truth_tab_ ? ImGuiTabItemFlags_SetSelected : 0)) {
      truth_->draw_contents(*this, c);
      ImGui::EndTabItem();
    }
    select_truth_tab_ = false;
    ImGui::EndTabBar();
  }
  ImGui::End();
}

void App::frame(double dt_s) {
  Commands c;
  poll_live();
  update_teaching();
  advance_play(dt_s);
  // Events happened at the cursor, per trace: recomputed only when the cursor moves.
  if (view_.cursor.time_ns != events_cursor_.time_ns || view_.cursor.step != events_cursor_.step ||
      events_happened_.size() != doc_.traces.size()) {
    events_happened_.resize(doc_.traces.size());
    for (std::uint32_t t = 0; t < doc_.traces.size(); ++t)
      events_happened_[t] = doc_.steps.events_happened(t, view_.cursor);
    events_cursor_ = view_.cursor;
  }

  const ImGuiIO& io = ImGui::GetIO();
  if (io.KeyCtrl && ImGui::IsKeyPressed('O', false) && !io.WantCaptureKeyboard) c.open_dialog = true;
  if (io.KeyCtrl && ImGui::IsKeyPressed('S', false) && !io.WantCaptureKeyboard && !doc_.traces.empty())
    c.save_dialog = true;
  file_status_age_s_ += dt_s;
  draw_menu(c);
  const float top = ImGui::GetFrameHeight();
  const float W = io.DisplaySize.x, H = io.DisplaySize.y - top;
  const bool comparison = doc_.comparison.has_value();
  // A comparison's table needs a wider left column; its TCP and UDP ladders share the centre.
  // A capture's flow table wants room for its endpoint columns.
  const float left_w = comparison   ? std::clamp(W * 0.25f, 300.0f, 420.0f)
                       : doc_.flows ? std::clamp(W * 0.28f, 300.0f, 520.0f)
                                    : std::clamp(W * 0.2f, 250.0f, 340.0f);
  const float right_w = std::clamp(W * 0.28f, 340.0f, 480.0f);
  const float center_w = std::max(W - left_w - right_w, 200.0f);
  const float controls_h = ImGui::GetFrameHeightWithSpacing() + ImGui::GetTextLineHeightWithSpacing() +
                           2 * ImGui::GetStyle().WindowPadding.y;
  const float lessons_h = comparison ? H * 0.5f : H;

  draw_left_column(c, {0, top, left_w, lessons_h});
  if (comparison) comparison_->draw(*this, c, {0, top + lessons_h, left_w, H - lessons_h});
  controls_->draw(*this, c, {left_w, top, center_w, controls_h});
  timeline_->draw(*this, c, {left_w, top + controls_h, center_w, H - controls_h});
  if (prediction_.enabled())
    prediction_panel_->draw(*this, c, {left_w, top + controls_h, center_w, H - controls_h});
  inspector_->draw(*this, c, {left_w + center_w, top, right_w, H * 0.46f});
  draw_lower_right(c, {left_w + center_w, top + H * 0.46f, right_w, H * 0.54f});
  draw_open_dialog(c);
  draw_save_scenario_dialog(c);
  handle_keys(c);
  apply(c);
}

}  // namespace wirestep::gui
