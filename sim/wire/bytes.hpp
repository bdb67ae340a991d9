// Length-checked access to wire bytes. Every read says whether it fit; nothing reads past the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace wirestep::wire {

using Bytes = std::span<const std::uint8_t>;

inline std::uint16_t load_be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

class ByteReader {
 public:
  explicit ByteReader(Bytes data) : data_(data) {}
  std::size_t offset() const { return pos_; }
  std::size_t remaining() const { return data_.size() - pos_; }
  bool has(std::size_t n) const { return n <= remaining(); }
  std::optional<std::uint8_t> u8() {
    if (!has(1)) return std::nullopt;
    return data_[pos_++];
  }
  std::optional<std::uint16_t> be16() {
    if (!has(2)) return std::nullopt;
    auto v = load_be16(data_.data() + pos_);
    pos_ += 2;
    return v;
  }
  std::optional<std::uint32_t> be32() {
    if (!has(4)) return std::nullopt;
    auto v = load_be32(data_.data() + pos_);
    pos_ += 4;
    return v;
  }
  bool skip(std::size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  Bytes rest() const { return data_.subspan(pos_); }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

class ByteWriter {
 public:
  explicit ByteWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  std::size_t size() const { return out_.size(); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void be16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v));
  }
  void be32(std::uint32_t v) {
    be16(static_cast<std::uint16_t>(v >> 16));
    be16(static_cast<std::uint16_t>(v));
  }
  void bytes(Bytes b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void patch_be16(std::size_t at, std::uint16_t v) {
    out_.at(at) = static_cast<std::uint8_t>(v >> 8);
    out_.at(at + 1) = static_cast<std::uint8_t>(v);
  }

 private:
  std::vector<std::uint8_t>& out_;
};

}  // namespace wirestep::wire
