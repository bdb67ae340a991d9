// The Trace's packet table, every column but the send time: rows in groups of 2048, each group holding
// its rows' values column after column, from one PageArena. Thirteen separately growing columns each
// faulted in their own small pages (a fifth of a long run's time went to page faults); groups share 2 MiB
// huge pages, and a group never moves once written.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <utility>
#include <vector>

#include "sim/trace/page_arena.hpp"

namespace wirestep {

inline constexpr std::size_t kRowGroupShift = 11;  // a group of a 31-byte row fits the arena's 64 KiB

// Names a column: its type and the bytes per row of the columns laid out before it in a group.
template <typename T, std::size_t kBytesBefore>
struct GroupColumn {
  using Type = T;
  static constexpr std::size_t kGroupOffset = kBytesBefore << kRowGroupShift;
  static_assert(kGroupOffset % alignof(T) == 0);
};

class RowGroups {
 public:
  static constexpr std::size_t kGroupShift = kRowGroupShift;
  static constexpr std::size_t kGroupRows = std::size_t{1} << kGroupShift;

  explicit RowGroups(std::size_t row_bytes) : row_bytes_(row_bytes) {}
  RowGroups(const RowGroups& other) : row_bytes_(other.row_bytes_) { *this = other; }
  RowGroups& operator=(const RowGroups& other) {
    if (this == &other) return *this;
    arena_.clear();
    groups_.clear();
    row_bytes_ = other.row_bytes_;
    for (const std::uint8_t* g : other.groups_) {
      groups_.push_back(arena_.allocate(group_bytes()));
      std::memcpy(groups_.back(), g, group_bytes());
    }
    size_ = other.size_;
    return *this;
  }
  RowGroups(RowGroups&& other) noexcept { *this = std::move(other); }
  RowGroups& operator=(RowGroups&& other) noexcept {
    if (this == &other) return *this;
    row_bytes_ = other.row_bytes_;
    size_ = std::exchange(other.size_, 0);
    groups_ = std::exchange(other.groups_, {});
    arena_ = std::move(other.arena_);
    return *this;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // Room for one more row, whose values are all zero; returns its index.
  std::size_t append_row() {
    if ((size_ >> kGroupShift) == groups_.size()) [[unlikely]]
      groups_.push_back(arena_.allocate(group_bytes()));
    return size_++;
  }
  void reserve(std::size_t rows) { groups_.reserve((rows + kGroupRows - 1) >> kGroupShift); }

  template <class Column>
  typename Column::Type& at(std::size_t row) {
    return *reinterpret_cast<typename Column::Type*>(address<Column>(row));
  }
  template <class Column>
  const typename Column::Type& at(std::size_t row) const {
    return *reinterpret_cast<const typename Column::Type*>(address<Column>(row));
  }
  template <class Column>
  typename Column::Type& checked(std::size_t row) {
    if (row >= size_) throw std::out_of_range("Trace packet index");
    return at<Column>(row);
  }

  // Bytes of the rows written and of the group index. The unwritten rest of the last group and the
  // arena's huge-page slack are not included: they show in the process's RSS.
  std::size_t memory_bytes() const { return size_ * row_bytes_ + groups_.capacity() * sizeof(std::uint8_t*); }

 private:
  std::size_t group_bytes() const { return row_bytes_ << kGroupShift; }
  template <class Column>
  std::uint8_t* address(std::size_t row) const {
    return groups_[row >> kGroupShift] + Column::kGroupOffset +
           (row & (kGroupRows - 1)) * sizeof(typename Column::Type);
  }

  std::size_t row_bytes_ = 0;
  std::size_t size_ = 0;
  std::vector<std::uint8_t*> groups_;
  PageArena arena_;
};

}  // namespace wirestep
