// A growable array stored in fixed-size chunks. Appending never moves what is already stored — std::vector
// copies everything each time it doubles, which for a Trace's millions of events was a tenth of a
// simulation's run time — and indexing stays a shift and a mask. Copyable, like the Trace that holds it.
#pragma once

#include <cstddef>
#include <memory>
#include <stdexcept>
#include <vector>

namespace wirestep {

template <typename T, std::size_t kChunkLog2 = 14>
class ChunkedVector {
 public:
  static constexpr std::size_t kChunk = std::size_t{1} << kChunkLog2;

  ChunkedVector() = default;
  ChunkedVector(ChunkedVector&&) noexcept = default;
  ChunkedVector& operator=(ChunkedVector&&) noexcept = default;
  ChunkedVector(const ChunkedVector& other) { *this = other; }
  ChunkedVector& operator=(const ChunkedVector& other) {
    if (this == &other) return *this;
    chunks_.clear();
    size_ = 0;
    for (std::size_t i = 0; i < other.size_; ++i) push_back(other[i]);
    return *this;
  }

  void push_back(const T& v) {
    if (size_ == chunks_.size() * kChunk) chunks_.emplace_back(new T[kChunk]);
    chunks_[size_ >> kChunkLog2][size_ & (kChunk - 1)] = v;
    ++size_;
  }
  const T& operator[](std::size_t i) const { return chunks_[i >> kChunkLog2][i & (kChunk - 1)]; }
  T& operator[](std::size_t i) { return chunks_[i >> kChunkLog2][i & (kChunk - 1)]; }
  const T& at(std::size_t i) const {
    if (i >= size_) throw std::out_of_range("ChunkedVector::at");
    return (*this)[i];
  }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::size_t capacity() const { return chunks_.size() * kChunk; }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace wirestep
