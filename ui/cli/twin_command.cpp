#include "ui/cli/twin_command.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <ostream>

#include "capture/pcap_export.hpp"
#include "capture/twin_compare.hpp"
#include "capture/twin_lab.hpp"
#include "capture/twin_spread.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/scenario_runner.hpp"
#include "ui/cli/cli_text.hpp"
#include "ui/cli/display_width.hpp"

namespace wirestep {
namespace {

// Columns by display width: a Chinese character takes two (ui/cli/display_width.hpp); a line longer than
// the column still gets one space before the next.
std::string pad(const std::string& s, std::size_t width) {
  return display_width(s) < width ? pad_to_width(s, width) : s + " ";
}

// How a simulated program ended, in the words twin uses for the real one.
std::string sim_outcome(const ProgramReport& p, Lang lang) {
  const bool zh = lang == Lang::Zh;
  if (p.error) {
    const std::string name = errno_name_in(*p.error);
    return (zh ? "出错 " : "error ") + (name.empty() ? *p.error : name);
  }
  if (p.blocked_in) return (zh ? "阻塞在 " : "blocked in ") + *p.blocked_in;
  return p.finished ? (zh ? "完成" : "finished") : (zh ? "未完成" : "unfinished");
}

std::string real_outcome(const RealProgramOutcome& p, Lang lang) {
  const bool zh = lang == Lang::Zh;
  if (!p.error.empty()) return (zh ? "出错 " : "error ") + (p.error_name.empty() ? p.error : p.error_name);
  if (p.blocked_in) return (zh ? "阻塞在 " : "blocked in ") + *p.blocked_in;
  return p.finished ? (zh ? "完成" : "finished") : (zh ? "未完成" : "unfinished");
}

// "7 fast, 3 RACK" (or "none"), counted per kind in the order of RepairKind.
std::string describe_repairs(const std::vector<TwinSegment>& segs, Lang lang) {
  std::string out;
  for (auto kind : {RepairKind::Fast, RepairKind::Rack, RepairKind::Tlp, RepairKind::Rto}) {
    const auto n =
        std::count_if(segs.begin(), segs.end(), [&](const TwinSegment& s) { return s.repair == kind; });
    if (n) out += (out.empty() ? "" : ", ") + std::to_string(n) + " " + repair_kind_tag(kind, lang);
  }
  return out.empty() ? (lang == Lang::Zh ? "无" : "none") : out;
}

// "twin-real.pcap" for the first real run, "twin-real-2.pcap" for the second, ...
std::string real_pcap_path(const std::string& first, int run) {
  if (run == 1) return first;
  const auto slash = first.find_last_of('/');
  const auto dot = first.find_last_of('.');
  const bool has_ext = dot != std::string::npos && (slash == std::string::npos || dot > slash);
  const std::string suffix = "-" + std::to_string(run);
  return has_ext ? first.substr(0, dot) + suffix + first.substr(dot) : first + suffix;
}

std::string join_rows(const std::vector<std::size_t>& rows, const std::vector<bool>* agree, Lang lang) {
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += (i ? (lang == Lang::Zh ? "、" : ", ") : "") + std::to_string(rows[i]);
    if (agree && (*agree)[i]) out += lang == Lang::Zh ? "（全部一致）" : " (throughout)";
  }
  return out;
}

// With --real-runs N > 1: how far the simulated run agrees with each real run, next to how far the real
// runs agree with each other, in rows before the first difference.
void print_spread(const TwinSpread& s, const std::vector<std::string>& real_pcaps, std::ostream& out,
                  Lang lang) {
  const bool zh = lang == Lang::Zh;
  const std::size_t n = s.sim_vs_real.size();
  out << (zh ? "共 " + std::to_string(n) + " 次真实运行（第一处不同之前一致的行数，比较规则相同）：\n"
             : "over " + std::to_string(n) +
                   " real runs (rows that agree before the first difference, "
                   "by the same rules):\n");
  out << (zh ? "  模拟与每次真实运行比较：" : "  simulated vs each real run: ")
      << join_rows(s.sim_vs_real, &s.sim_agrees, lang) << (zh ? "；中位数 " : "; median ")
      << median_rows(s.sim_vs_real) << (zh ? "，最长 " : ", best ") << s.sim_vs_real[s.closest]
      << (zh ? "（第 " : " (run ") << s.closest + 1 << (zh ? " 次，" : ", ") << real_pcaps[s.closest]
      << (zh ? "，上面列出的就是它）\n" : ", the one listed above)\n");
  out << (zh ? "  真实 Linux 与自身比较（每两次一对）：" : "  real Linux vs itself (each pair of runs): ")
      << join_rows(s.real_vs_real, nullptr, lang) << (zh ? "；中位数 " : "; median ")
      << median_rows(s.real_vs_real) << (zh ? "，完全一致的有 " : ", pairs that agree throughout: ")
      << s.real_pairs_agreeing << (zh ? " / " : " of ") << s.real_vs_real.size() << (zh ? " 对\n" : "\n");
}

}  // namespace

TwinCompareOptions compare_options(const TwinCommandOptions& o) {
  TwinCompareOptions co;
  co.compare_window = !o.ignore_window;
  co.compare_psh = !o.ignore_psh;
  co.compare_repair = !o.ignore_repair;
  return co;
}

int twin_command(const TwinCommandOptions& o, std::ostream& out, std::ostream& err,
                 std::string* listed_real_pcap) {
  const Lang lang = o.lang;
  const bool zh = lang == Lang::Zh;
  const auto fail = [&](const auto& error) {  // bad input, or the real side cannot run: exit 2
    err << "wirestep: twin: " << error_text(error, lang) << "\n";
    return 2;
  };
  if (o.real_runs < 1 || o.real_runs > 20) {  // the command line checks it; a caller's struct may not
    err << (zh ? "wirestep: twin: --real-runs 须在 1 到 20 之间，而不是 "
               : "wirestep: twin: --real-runs must be 1 to 20, not ")
        << o.real_runs << "\n";
    return 2;
  }
  auto sc = load_scenario_file(o.scenario);
  if (!sc) return fail(sc.error());
  if (auto st = twin_scenario_supported(*sc); !st) {
    err << "wirestep: twin: " << o.scenario << ": " << (zh ? st.error().reason_zh : st.error().reason)
        << "\n";
    return 2;
  }
  // The simulated side: the scenario as it is, exported as a capture at the sender's interface. With
  // --compare-only the pcaps of an earlier run are read as they are, and nothing runs.
  RunResult sim_run;
  if (!o.compare_only) {
    sim_run = run_scenario(*sc);
    if (auto w = write_pcap(sim_run.trace, o.sim_pcap); !w) return fail(w.error());
  }
  TwinHostNames hosts;
  for (const auto& h : sc->hosts) hosts.emplace_back(h.address, h.name);
  auto sim = read_twin_segments(o.sim_pcap, hosts);
  if (!sim) return fail(sim.error());
  // The real side, once or --real-runs times: real Linux need not repeat itself segment for segment.
  std::vector<TwinRealRun> real_runs;
  std::vector<std::vector<TwinSegment>> real_segments;
  std::vector<std::string> real_pcaps;
  for (int run = 1; run <= o.real_runs; ++run) {
    TwinRealOptions ro;
    ro.pcap_path = real_pcap_path(o.real_pcap, run);
    ro.timeout_s = o.timeout_s;
    ro.lang = lang;
    TwinRealRun real_run;
    if (!o.compare_only) {
      if (o.real_runs > 1)
        out << (zh ? "真实运行 " : "real run ") << run << (zh ? " / " : " of ") << o.real_runs << "\n";
      auto r = run_twin_real(*sc, ro, out);
      if (!r) return fail(r.error());
      real_run = std::move(*r);
    }
    auto segs = read_twin_segments(ro.pcap_path, hosts);
    if (!segs) return fail(segs.error());
    real_runs.push_back(std::move(real_run));
    real_segments.push_back(std::move(*segs));
    real_pcaps.push_back(ro.pcap_path);
  }
  const TwinCompareOptions co = compare_options(o);
  const TwinSpread spread = twin_spread(*sim, real_segments, co);
  // The listing shows the real run the simulator agrees with longest.
  const auto* real = &real_segments[spread.closest];
  const TwinRealRun* real_run = &real_runs[spread.closest];
  const TwinComparison& c = spread.closest_comparison;
  if (listed_real_pcap) *listed_real_pcap = real_pcaps[spread.closest];

  constexpr std::size_t kColumn = 62;
  out << "     " << pad(zh ? "模拟（linux 配置）" : "simulated (linux profile)", kColumn)
      << (zh ? "真实 Linux" : "real Linux") << "\n";
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    const TwinRow& row = c.rows[r];
    const char* mark = row.differs != TwinField::None ? "≠" : row.window_differs ? "~" : " ";
    std::string left = row.sim ? describe_twin_segment((*sim)[*row.sim], lang) : "-";
    std::string right = row.real ? describe_twin_segment((*real)[*row.real], lang) : "-";
    std::string num = std::to_string(r + 1);
    out << pad(num, 3) << mark << " " << pad(left, kColumn) << right << "\n";
  }
  out << describe_first_difference(c, *sim, *real, lang);
  out << (zh ? "重传方式（两边按同一规则从报文段读出）：模拟 "
             : "repairs (read from each run's segments by the same rules): simulated ")
      << describe_repairs(*sim, lang) << (zh ? "；真实 Linux " : "; real Linux ")
      << describe_repairs(*real, lang) << "\n";
  if (o.real_runs > 1) print_spread(spread, real_pcaps, out, lang);
  if (c.window_differences && !co.compare_window)
    out << (zh ? "（窗口不同的行：" : "(rows whose scaled windows differ, not compared: ")
        << c.window_differences << (zh ? "，未参与比较）\n" : ")\n");

  // With --compare-only neither side ran here, so no program is compared.
  if (o.compare_only) {
    // The files read, since numbered ones may be left from an earlier, longer --real-runs.
    std::string files = o.sim_pcap;
    for (const auto& f : real_pcaps) files += (zh ? "、" : ", ") + f;
    out << (zh ? "（--compare-only：只读取已有的抓包 " + files + "，没有运行任何一侧，不比较程序结果）\n"
               : "(--compare-only: read the captures as they are (" + files +
                     "), ran neither side, compared no programs)\n");
  }
  bool programs_agree = true;
  for (std::size_t i = 0; i < sim_run.programs.size() && i < real_run->programs.size(); ++i) {
    const std::string s = sim_outcome(sim_run.programs[i], lang),
                      r = real_outcome(real_run->programs[i], lang);
    const bool same = s == r;
    programs_agree = programs_agree && same;
    out << (same ? "  " : "≠ ") << (zh ? "程序 " : "program ") << sim_run.programs[i].name
        << (zh ? "：模拟 " : ": simulated ") << s << (zh ? "，真实 Linux " : ", real Linux ") << r << "\n";
  }
  // Every real run that timed out is named (the verdict counts the one listed).
  for (std::size_t i = 0; i < real_runs.size(); ++i) {
    if (!real_runs[i].timed_out) continue;
    out << (zh ? "真实一侧" : "the real side");
    if (real_runs.size() > 1) out << (zh ? "（第 " : " (run ") << i + 1 << (zh ? " 次）" : ")");
    out << (zh ? "在 " : " timed out after ") << o.timeout_s << (zh ? " 秒后超时\n" : " s\n");
  }
  out << (zh ? "模拟：" : "simulated: ") << o.sim_pcap << (zh ? "（" : " (") << sim->size()
      << (zh ? " 个报文段）；真实 Linux：" : " segments); real Linux: ") << real_pcaps[spread.closest]
      << (zh ? "（" : " (") << real->size() << (zh ? " 个报文段）\n" : " segments)\n");
  return c.agree() && programs_agree && !real_run->timed_out ? 0 : 1;
}

std::unique_ptr<TwinCli> register_twin_command(CLI::App& app) {
  auto cli = std::make_unique<TwinCli>();
  CLI::App* cmd = app.add_subcommand(
      "twin",
      "run a scenario in the simulator and with real Linux sockets in network namespaces (root), the same "
      "drops on both, and compare them segment by segment");
  cmd->add_option("scenario", cli->options.scenario, "scenario file (.toml), linux profile, TCP programs")
      ->required();
  cmd->add_option("--pcap-sim", cli->options.sim_pcap, "pcap of the simulated run (default twin-sim.pcap)");
  cmd->add_option("--pcap-real", cli->options.real_pcap, "pcap of the real run (default twin-real.pcap)");
  cmd->add_flag("--ignore-window", cli->options.ignore_window,
                "do not count scaled-window differences (they are still marked ~)");
  cmd->add_flag("--ignore-psh", cli->options.ignore_psh,
                "leave PSH out of the flags compared (real Linux pushes wherever send() waited for buffer)");
  cmd->add_flag("--ignore-repair", cli->options.ignore_repair,
                "do not compare how retransmissions were repaired (fast, RACK, TLP, RTO)");
  cmd->add_option("--real-runs", cli->options.real_runs,
                  "run the real side this many times (twin-real.pcap, twin-real-2.pcap, ...): list the one "
                  "the simulator agrees with longest and how far the real runs agree with each other; "
                  "exit 0 when the simulator agrees with one of them")
      ->check(CLI::Range(1, 20));
  cmd->add_flag("--compare-only", cli->options.compare_only,
                "run nothing: compare the pcaps an earlier twin run wrote (--pcap-sim, --pcap-real and, with "
                "--real-runs, its numbered siblings); needs no root");
  cmd->add_flag("--gui", cli->options.open_gui, "then open both runs in the desktop UI, one lane each");
  cmd->add_option("--timeout", cli->options.timeout_s, "give up on the real run after this many seconds")
      ->check(CLI::Range(1.0, 3600.0));
  cli->command = cmd;
  return cli;
}

}  // namespace wirestep
