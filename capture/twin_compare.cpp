#include "capture/twin_compare.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "sim/wire/transport.hpp"

namespace wirestep {
namespace {

using Direction = std::pair<std::string, std::string>;

TwinField first_field(const TwinSegment& a, const TwinSegment& b, const TwinCompareOptions& o) {
  const std::uint8_t mask = o.compare_psh ? 0xff : static_cast<std::uint8_t>(~wire::tcp_flag::kPsh);
  if ((a.flags & mask) != (b.flags & mask)) return TwinField::Flags;
  if (a.seq != b.seq || a.seq_relative != b.seq_relative) return TwinField::Seq;
  if (a.ack != b.ack || a.ack_relative != b.ack_relative) return TwinField::Ack;
  if (a.len != b.len) return TwinField::Length;
  if (a.option_kinds != b.option_kinds) return TwinField::Options;
  if (o.compare_repair && a.repair != b.repair) return TwinField::Repair;
  return TwinField::None;
}

std::string option_name(std::uint8_t kind) {
  switch (kind) {
    case 2:
      return "mss";
    case 3:
      return "ws";
    case 4:
      return "sackOK";
    case 5:
      return "sack";
    case 8:
      return "ts";
    default:
      return "opt" + std::to_string(kind);
  }
}

}  // namespace

std::string twin_flags_text(std::uint8_t flags) {
  using namespace wire::tcp_flag;
  std::string out;
  const std::pair<std::uint8_t, const char*> names[] = {{kSyn, "SYN"}, {kFin, "FIN"}, {kRst, "RST"},
                                                        {kPsh, "PSH"}, {kAck, "ACK"}, {kUrg, "URG"},
                                                        {kEce, "ECE"}, {kCwr, "CWR"}};
  for (const auto& [bit, name] : names)
    if (flags & bit) out += (out.empty() ? "" : ",") + std::string(name);
  return out.empty() ? "none" : out;
}

std::string describe_twin_segment(const TwinSegment& s, Lang lang) {
  const bool zh = lang == Lang::Zh;
  std::string out = s.from + ">" + s.to + " " + twin_flags_text(s.flags);
  out +=
      (zh ? " 序号 " : " seq ") + std::to_string(s.seq) + (s.seq_relative ? "" : (zh ? "(原值)" : "(raw)"));
  if (s.flags & wire::tcp_flag::kAck)
    out +=
        (zh ? " 确认 " : " ack ") + std::to_string(s.ack) + (s.ack_relative ? "" : (zh ? "(原值)" : "(raw)"));
  out += (zh ? " 长度 " : " len ") + std::to_string(s.len);
  out += (zh ? " 窗口 " : " win ") + std::to_string(s.window);
  if (!s.option_kinds.empty()) {
    out += " <";
    for (std::size_t i = 0; i < s.option_kinds.size(); ++i)
      out += (i ? "," : "") + option_name(s.option_kinds[i]);
    out += ">";
  }
  if (s.repair != RepairKind::None) out += " [" + repair_kind_tag(s.repair, lang) + "]";
  return out;
}

std::string twin_field_name(TwinField f, Lang lang) {
  const bool zh = lang == Lang::Zh;
  switch (f) {
    case TwinField::None:
      return zh ? "一致" : "same";
    case TwinField::MissingInReal:
      return zh ? "真实 Linux 没有发送这个报文段" : "real Linux sent no such segment";
    case TwinField::MissingInSim:
      return zh ? "模拟器没有发送这个报文段" : "the simulator sent no such segment";
    case TwinField::Flags:
      return zh ? "标志位" : "flags";
    case TwinField::Seq:
      return zh ? "相对序号" : "relative seq";
    case TwinField::Ack:
      return zh ? "相对确认号" : "relative ack";
    case TwinField::Length:
      return zh ? "载荷长度" : "payload length";
    case TwinField::Options:
      return zh ? "选项种类" : "option kinds";
    case TwinField::Repair:
      return zh ? "重传方式" : "repair kind";
    case TwinField::Window:
      return zh ? "缩放后的窗口" : "scaled window";
  }
  return "?";
}

TwinComparison compare_twin(const std::vector<TwinSegment>& sim, const std::vector<TwinSegment>& real,
                            const TwinCompareOptions& options) {
  TwinComparison c;
  std::map<Direction, std::vector<std::size_t>> real_by_dir;
  for (std::size_t i = 0; i < real.size(); ++i) real_by_dir[{real[i].from, real[i].to}].push_back(i);
  std::map<Direction, std::size_t> used;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    const Direction d{sim[i].from, sim[i].to};
    const std::size_t n = used[d]++;
    TwinRow row;
    row.sim = i;
    row.direction_index = n + 1;
    const auto& list = real_by_dir[d];
    if (n < list.size()) {
      row.real = list[n];
      row.differs = first_field(sim[i], real[list[n]], options);
      row.window_differs = sim[i].window != real[list[n]].window;
      if (row.differs == TwinField::None && row.window_differs && options.compare_window)
        row.differs = TwinField::Window;
    } else {
      row.differs = TwinField::MissingInReal;
    }
    c.rows.push_back(row);
  }
  for (const auto& [d, list] : real_by_dir) {
    for (std::size_t n = used[d]; n < list.size(); ++n) {
      TwinRow row;
      row.real = list[n];
      row.direction_index = n + 1;
      row.differs = TwinField::MissingInSim;
      c.rows.push_back(row);
    }
  }
  // Real segments with no simulated counterpart go after the simulated ones, in capture order.
  std::stable_sort(c.rows.begin(), c.rows.end(), [](const TwinRow& a, const TwinRow& b) {
    if (a.sim.has_value() != b.sim.has_value()) return a.sim.has_value();
    return a.sim ? *a.sim < *b.sim : *a.real < *b.real;
  });
  for (std::size_t r = 0; r < c.rows.size(); ++r) {
    if (c.rows[r].window_differs) ++c.window_differences;
    if (c.rows[r].differs == TwinField::None) continue;
    ++c.differing_rows;
    if (!c.first_difference) c.first_difference = r;
  }
  return c;
}

std::string describe_first_difference(const TwinComparison& c, const std::vector<TwinSegment>& sim,
                                      const std::vector<TwinSegment>& real, Lang lang) {
  const bool zh = lang == Lang::Zh;
  if (!c.first_difference) return zh ? "两次运行逐段一致。\n" : "the two runs agree segment for segment.\n";
  const TwinRow& row = c.rows[*c.first_difference];
  const TwinSegment& any = row.sim ? sim[*row.sim] : real[*row.real];
  const std::string dir = any.from + ">" + any.to;
  std::string out = zh ? "第一处不同：第 " + std::to_string(*c.first_difference + 1) + " 行（" + dir +
                             " 方向的第 " + std::to_string(row.direction_index) + " 个报文段）：" +
                             twin_field_name(row.differs, lang) + "\n"
                       : "first difference: row " + std::to_string(*c.first_difference + 1) + " (" + dir +
                             " segment " + std::to_string(row.direction_index) +
                             "): " + twin_field_name(row.differs, lang) + "\n";
  out += zh ? "  模拟：      " : "  simulated:  ";
  out += row.sim ? describe_twin_segment(sim[*row.sim], lang) +
                       (zh ? "（模拟 pcap 第 " : " (simulated pcap frame ") +
                       std::to_string(sim[*row.sim].frame) + (zh ? " 帧）" : ")")
                 : std::string(zh ? "（无）" : "(none)");
  out += zh ? "\n  真实 Linux：" : "\n  real Linux: ";
  out += row.real ? describe_twin_segment(real[*row.real], lang) +
                        (zh ? "（真实 pcap 第 " : " (real pcap frame ") +
                        std::to_string(real[*row.real].frame) + (zh ? " 帧）" : ")")
                  : std::string(zh ? "（无）" : "(none)");
  return out + "\n";
}

}  // namespace wirestep
