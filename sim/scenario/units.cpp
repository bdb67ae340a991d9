#include "sim/scenario/units.hpp"

#include <cctype>
#include <numeric>
#include <utility>

namespace wirestep {
namespace {

// A reason in both languages; the parsers below fill one.
struct Why {
  std::string& en;
  std::string& zh;
  void set(std::string e, std::string z) const {
    en = std::move(e);
    zh = std::move(z);
  }
};

struct Decimal {
  std::uint64_t digits = 0;  // all digits, as an integer ("1.25" -> 125)
  int fraction_digits = 0;   // how many of them follow the point ("1.25" -> 2)
  std::string_view unit;
};

std::optional<Decimal> split_number(std::string_view text, Why why) {
  std::size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  Decimal d;
  bool any = false, point = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      if (d.digits > (UINT64_MAX - 9) / 10 || d.fraction_digits > 9) {
        why.set("number too large or too precise", "数字太大或小数位太多");
        return std::nullopt;
      }
      d.digits = d.digits * 10 + static_cast<std::uint64_t>(c - '0');
      if (point) ++d.fraction_digits;
      any = true;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) {
    why.set("expected a number", "应为数字");
    return std::nullopt;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  d.unit = text.substr(i);
  while (!d.unit.empty() && d.unit.back() == ' ') d.unit.remove_suffix(1);
  return d;
}

// digits / 10^fraction_digits * scale, exactly; nullopt on overflow or a fraction finer than the unit allows.
std::optional<std::uint64_t> scaled(const Decimal& d, std::uint64_t scale, Why why) {
  std::uint64_t div = 1;
  for (int k = 0; k < d.fraction_digits; ++k) div *= 10;  // at most 10^10: split_number limits the digits
  // digits * scale / div without overflow: divide first where the fraction allows it.
  const std::uint64_t g = std::gcd(scale, div);
  const std::uint64_t scale_r = scale / g, div_r = div / g;
  if (d.digits % div_r != 0) {
    why.set("more decimal places than the unit can represent", "小数位数超过了这个单位能表示的精度");
    return std::nullopt;
  }
  std::uint64_t v;
  if (__builtin_mul_overflow(d.digits / div_r, scale_r, &v) || v > static_cast<std::uint64_t>(INT64_MAX)) {
    why.set("value too large", "数值太大");
    return std::nullopt;
  }
  return v;
}

}  // namespace

std::optional<SimDuration> parse_duration(std::string_view text, std::string& why_en, std::string& why_zh) {
  const Why why{why_en, why_zh};
  auto d = split_number(text, why);
  if (!d) return std::nullopt;
  std::uint64_t scale;
  if (d->unit == "ns")
    scale = 1;
  else if (d->unit == "us" || d->unit == "µs")
    scale = 1'000;
  else if (d->unit == "ms")
    scale = 1'000'000;
  else if (d->unit == "s")
    scale = 1'000'000'000;
  else if (d->unit == "min")
    scale = 60'000'000'000;
  else {
    if (d->unit.empty())
      why.set("a duration needs a unit (ns, us, ms, s, min), e.g. \"20ms\"",
              "时长需要单位（ns、us、ms、s、min），例如 \"20ms\"");
    else
      why.set("unknown time unit \"" + std::string(d->unit) + "\" (use ns, us, ms, s or min)",
              "未知的时间单位 \"" + std::string(d->unit) + "\"（可用 ns、us、ms、s 或 min）");
    return std::nullopt;
  }
  auto v = scaled(*d, scale, why);
  if (!v) return std::nullopt;
  return SimDuration{static_cast<std::int64_t>(*v)};
}

std::optional<Ppm> parse_percent(std::string_view text, std::string& why_en, std::string& why_zh) {
  const Why why{why_en, why_zh};
  auto d = split_number(text, why);
  if (!d) return std::nullopt;
  if (d->unit != "%") {
    why.set("a probability is written as a percentage, e.g. \"10%\" or \"0.5%\"",
            "概率写成百分数，例如 \"10%\" 或 \"0.5%\"");
    return std::nullopt;
  }
  auto v = scaled(*d, 10'000, why);  // 1% = 10,000 ppm
  if (!v) return std::nullopt;
  if (*v > kPpmOne) {
    why.set("a percentage cannot exceed 100%", "百分数不能超过 100%");
    return std::nullopt;
  }
  return static_cast<Ppm>(*v);
}

std::optional<std::uint64_t> parse_bandwidth_bps(std::string_view text, std::string& why_en,
                                                 std::string& why_zh) {
  const Why why{why_en, why_zh};
  auto d = split_number(text, why);
  if (!d) return std::nullopt;
  std::uint64_t scale;
  const std::string_view u = d->unit;
  if (u == "bit" || u == "bps")
    scale = 1;
  else if (u == "kbit" || u == "kbps" || u == "Kbit")
    scale = 1'000;
  else if (u == "Mbit" || u == "Mbps")
    scale = 1'000'000;
  else if (u == "Gbit" || u == "Gbps")
    scale = 1'000'000'000;
  else {
    why.set("unknown rate unit \"" + std::string(u) +
                "\" (use bit, kbit, Mbit or Gbit per second, e.g. \"10Mbit\")",
            "未知的速率单位 \"" + std::string(u) + "\"（可用每秒 bit、kbit、Mbit 或 Gbit，例如 \"10Mbit\"）");
    return std::nullopt;
  }
  return scaled(*d, scale, why);
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why_en,
                                             std::string& why_zh) {
  const Why why{why_en, why_zh};
  auto d = split_number(text, why);
  if (!d) return std::nullopt;
  std::uint64_t scale;
  const std::string_view u = d->unit;
  if (u == "B" || u.empty())
    scale = 1;
  else if (u == "kB" || u == "KB")
    scale = 1'000;
  else if (u == "KiB")
    scale = 1'024;
  else if (u == "MB")
    scale = 1'000'000;
  else if (u == "MiB")
    scale = 1'048'576;
  else if (u == "GB")
    scale = 1'000'000'000;
  else if (u == "GiB")
    scale = 1'073'741'824;
  else {
    why.set("unknown size unit \"" + std::string(u) + "\" (use B, kB, KiB, MB, MiB, GB or GiB)",
            "未知的大小单位 \"" + std::string(u) + "\"（可用 B、kB、KiB、MB、MiB、GB 或 GiB）");
    return std::nullopt;
  }
  return scaled(*d, scale, why);
}

std::optional<SimDuration> parse_duration(std::string_view text, std::string& why) {
  std::string zh;
  return parse_duration(text, why, zh);
}
std::optional<Ppm> parse_percent(std::string_view text, std::string& why) {
  std::string zh;
  return parse_percent(text, why, zh);
}
std::optional<std::uint64_t> parse_bandwidth_bps(std::string_view text, std::string& why) {
  std::string zh;
  return parse_bandwidth_bps(text, why, zh);
}
std::optional<std::uint64_t> parse_byte_size(std::string_view text, std::string& why) {
  std::string zh;
  return parse_byte_size(text, why, zh);
}

}  // namespace wirestep
