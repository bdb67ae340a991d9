// Result<T>: expected failures (bad input) as values, never exceptions across module boundaries.
// C++20 has no std::expected; this is the small subset we need.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace wirestep {

// One message a user can act on: "lab.pcap: frame 17 (offset 4312): captured length 70000 exceeds snaplen".
struct Error {
  std::string file;   // may be empty for in-memory input
  std::string where;  // "line 3, column 7", "frame 17 (offset 4312)", "byte 14"
  std::string reason;
  // The same in 简体中文 when the producer has it (the scenario loader does); empty: English only.
  std::string where_zh{};
  std::string reason_zh{};

  std::string message() const {
    std::string out;
    if (!file.empty()) out += file + ": ";
    if (!where.empty()) out += where + ": ";
    out += reason;
    return out;
  }
  // The Chinese message, each part falling back to English; the same file and position.
  std::string message_zh() const {
    std::string out;
    if (!file.empty()) out += file + ": ";
    const std::string& w = where_zh.empty() ? where : where_zh;
    if (!w.empty()) out += w + ": ";
    out += reason_zh.empty() ? reason : reason_zh;
    return out;
  }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    check_ok();
    return std::get<0>(v_);
  }
  const T& value() const& {
    check_ok();
    return std::get<0>(v_);
  }
  T&& value() && {
    check_ok();
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const {
    if (ok()) std::abort();
    return std::get<1>(v_);
  }

 private:
  void check_ok() const {
    if (!ok()) std::abort();  // an invariant of ours, on in every build
  }
  std::variant<T, Error> v_;
};

// For operations that produce nothing but can fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace wirestep
