#include "ui/cli/packetdrill_command.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <ostream>

#include "capture/pcap_export.hpp"
#include "capture/pcapng_export.hpp"
#include "sim/packetdrill/script_parser.hpp"
#include "sim/packetdrill/script_runner.hpp"
#include "sim/packetdrill/script_trace.hpp"

namespace wirestep {
namespace {

using packetdrill::Outcome;

// The words this command prints, in both languages.
enum class Word {
  Pass,
  Fail,
  Unsupported,
  ParseError,
  Script,
  Actual,
  Nothing,
  Summary,
  Passed,
  Failed,
  Total,
  Note,
  Events
};
const char* word(Word w, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (w) {
    case Word::Pass:
      return zh ? "通过" : "pass";
    case Word::Fail:
      return zh ? "失败" : "fail";
    case Word::Unsupported:
      return zh ? "不支持" : "unsupported";
    case Word::ParseError:
      return zh ? "解析错误" : "parse error";
    case Word::Script:
      return zh ? "脚本报文/调用" : "script packet";
    case Word::Actual:
      return zh ? "实际报文/结果" : "actual packet";
    case Word::Nothing:
      return zh ? "（模拟器什么也没发送）" : "(the simulator sent nothing)";
    case Word::Summary:
      return zh ? "汇总" : "summary";
    case Word::Passed:
      return zh ? "通过" : "passed";
    case Word::Failed:
      return zh ? "失败" : "failed";
    case Word::Total:
      return zh ? "合计" : "total";
    case Word::Note:
      return zh ? "说明" : "note";
    case Word::Events:
      return zh ? "已执行事件" : "events run";
  }
  return "";
}

const std::string& text(const packetdrill::Bilingual& b, Lang lang) {
  return lang == Lang::Zh ? b.zh : b.en;
}

struct Row {
  std::string file;
  std::string category;  // the script's folder, as Linux's tests are grouped
  int code = 0;          // 0 pass, 1 fail, 2 parse error or unsupported
  nlohmann::json json;
};

struct Tally {
  int passed = 0, failed = 0, unsupported = 0;
};

// Where a script's capture goes: F itself for one script; with several, F is a directory holding
// <folder>_<script>.<ext> (scripts in different folders share names: close/x.pkt, shutdown/x.pkt).
std::string capture_path(const std::string& target, const Row& row, std::size_t scripts, const char* ext) {
  if (scripts <= 1) return target;
  std::error_code ec;
  std::filesystem::create_directories(target, ec);
  const std::string stem = std::filesystem::path(row.file).stem().string();
  return (std::filesystem::path(target) / (row.category + "_" + stem + "." + ext)).string();
}

}  // namespace

int packetdrill_command(const PacketdrillCommandOptions& o, std::ostream& out, std::ostream& err) {
  const Lang lang = o.lang;
  std::vector<Row> rows;
  for (const std::string& file : o.files) {
    Row row;
    row.file = file;
    row.category = std::filesystem::path(file).parent_path().filename().string();
    if (row.category.empty()) row.category = ".";
    row.json = {{"file", file}, {"category", row.category}};
    auto script = packetdrill::parse_script_file(file);
    if (!script) {
      row.code = 2;
      err << script.error().message() << ": " << word(Word::ParseError, lang) << "\n";
      row.json["outcome"] = "parse_error";
      row.json["reason"] = script.error().message();
      rows.push_back(std::move(row));
      continue;
    }
    packetdrill::RunOptions run_options;
    run_options.ignore_options = o.ignore_options;
    run_options.tcp = TcpConfig::for_profile(o.profile);
    const packetdrill::RunResult r = packetdrill::run_script(*script, run_options);
    const std::string where = file + (r.line ? ":" + std::to_string(r.line) : "");
    out << r.printed;  // print() in %{ }% blocks goes to stdout, as packetdrill's Python writes it
    switch (r.outcome) {
      case Outcome::Pass:
        row.code = 0;
        out << file << ": " << word(Word::Pass, lang) << "\n";
        break;
      case Outcome::Fail:
        row.code = 1;
        out << where << ": " << text(r.reason, lang) << "\n";
        out << "  " << word(Word::Script, lang) << ": " << r.expected << "\n";
        out << "  " << word(Word::Actual, lang) << ": "
            << (r.actual.empty() ? word(Word::Nothing, lang) : r.actual) << "\n";
        break;
      case Outcome::Unsupported:
        row.code = 2;
        out << where << ": " << text(r.reason, lang) << "\n";
        break;
    }
    if (o.verbose) {
      for (const auto& n : r.notes) out << "  " << word(Word::Note, lang) << ": " << text(n, lang) << "\n";
      out << "  " << word(Word::Events, lang) << ": " << r.events_run << "/" << script->events.size() << "\n";
    }
    row.json["outcome"] = r.outcome == Outcome::Pass   ? "pass"
                          : r.outcome == Outcome::Fail ? "fail"
                                                       : "unsupported";
    row.json["line"] = r.line;
    row.json["reason"] = r.reason.en;
    row.json["reason_zh"] = r.reason.zh;
    row.json["expected"] = r.expected;
    row.json["actual"] = r.actual;
    row.json["events_run"] = r.events_run;
    row.json["printed"] = r.printed;
    row.json["packets"] = r.trace.packet_count();
    if (!o.pcap_path.empty()) {
      const std::string path = capture_path(o.pcap_path, row, o.files.size(), "pcap");
      if (auto w = write_pcap(r.trace, path); !w) {
        err << "wirestep packetdrill: " << w.error().message() << "\n";
        row.code = 2;
      }
    }
    if (!o.pcapng_path.empty()) {
      const std::string path = capture_path(o.pcapng_path, row, o.files.size(), "pcapng");
      const std::vector<std::string> comments = packetdrill::packet_script_comments(*script, r);
      if (auto w = write_pcapng(r.trace, path, {}, comments); !w) {
        err << "wirestep packetdrill: " << w.error().message() << "\n";
        row.code = 2;
      }
    }
    rows.push_back(std::move(row));
  }

  int code = 0;
  std::map<std::string, Tally> by_category;
  Tally all;
  for (const Row& r : rows) {
    code = std::max(code, r.code);
    Tally& t = by_category[r.category];
    (r.code == 0 ? t.passed : r.code == 1 ? t.failed : t.unsupported)++;
    (r.code == 0 ? all.passed : r.code == 1 ? all.failed : all.unsupported)++;
  }
  if (rows.size() > 1) {
    out << "\n"
        << word(Word::Summary, lang) << " (" << word(Word::Passed, lang) << " / " << word(Word::Failed, lang)
        << " / " << word(Word::Unsupported, lang) << ")\n";
    auto line = [&out](const std::string& name, const Tally& t) {
      std::string n = "  " + name;
      n.resize(std::max<std::size_t>(n.size() + 1, 24), ' ');
      out << n << t.passed << " / " << t.failed << " / " << t.unsupported << "\n";
    };
    for (const auto& [name, t] : by_category) line(name, t);
    line(word(Word::Total, lang), all);
  }
  if (!o.json_path.empty()) {
    nlohmann::json doc;
    doc["scripts"] = nlohmann::json::array();
    for (const Row& r : rows) doc["scripts"].push_back(r.json);
    doc["summary"] = {{"passed", all.passed}, {"failed", all.failed}, {"unsupported", all.unsupported}};
    std::ofstream f(o.json_path);
    f << doc.dump(2) << "\n";
    if (!f) {
      err << "wirestep packetdrill: cannot write " << o.json_path << "\n";
      return 2;
    }
  }
  return code;
}

std::unique_ptr<PacketdrillCli> register_packetdrill_command(CLI::App& app) {
  auto cli = std::make_unique<PacketdrillCli>();
  CLI::App* cmd = app.add_subcommand(
      "packetdrill",
      "run packetdrill scripts (Linux's TCP tests) against the simulated TCP: pass, fail or unsupported");
  cmd->add_option("files", cli->options.files, "packetdrill scripts (.pkt)")->required();
  cmd->add_option("--json", cli->options.json_path, "write every script's result as JSON");
  cmd->add_option("--pcap", cli->options.pcap_path,
                  "write the run's packets as pcap (with several scripts: a directory, one file each)");
  cmd->add_option(
      "--pcapng", cli->options.pcapng_path,
      "write the run's packets as pcapng, each commented with its script line (several scripts: a "
      "directory)");
  cmd->add_flag("--verbose", cli->options.verbose, "also the assumptions made and the events run");
  cmd->add_flag("--ignore-options", cli->options.ignore_options,
                "diagnosis: compare packets without TCP options, to see what fails after the handshake");
  cmd->add_option("--profile", cli->profile,
                  "the simulated host's TCP: linux (default, what the scripts were written for) or rfc")
      ->check(CLI::IsMember({"linux", "rfc"}));
  cmd->final_callback(
      [p = cli.get()] { p->options.profile = p->profile == "rfc" ? TcpProfile::Rfc : TcpProfile::Linux; });
  cli->command = cmd;
  return cli;
}

}  // namespace wirestep
