// A move-only callable with room for its captures inside the object, so scheduling an event allocates nothing
// in the common case. std::function keeps only 16 bytes inline: a lambda that captures a std::function (32
// bytes) plus anything else costs a malloc and a free per event. Captures larger than kInlineBytes,
// over-aligned or with a throwing move still work: they live on the heap, as std::function would put them.
// Limits: no copy, no target(); calling an empty one is our bug and aborts (std::function would throw).
#pragma once

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace wirestep {

template <typename Signature, std::size_t kInlineBytes = 48>
class InlineCallback;

// What an InlineCallback<R(Args...)> wraps: anything callable that way, except an InlineCallback (moved, not
// wrapped).
template <typename F, typename Self, typename R, typename... Args>
concept StorableIn =
    !std::is_same_v<std::remove_cvref_t<F>, Self> && std::is_invocable_r_v<R, std::decay_t<F>&, Args...>;

template <typename R, typename... Args, std::size_t kInlineBytes>
class InlineCallback<R(Args...), kInlineBytes> {
  static_assert(kInlineBytes >= sizeof(void*) && kInlineBytes % alignof(std::max_align_t) == 0);

  template <typename F>
  static constexpr bool kFitsInline =
      sizeof(F) <= kInlineBytes &&
      alignof(F) <= alignof(std::max_align_t) && std::is_nothrow_move_constructible_v<F>;

 public:
  InlineCallback() noexcept = default;

  // Implicit, as std::function's is: callers pass lambdas straight to EventLoop::at.
  template <StorableIn<InlineCallback, R, Args...> F>
  InlineCallback(F&& f) {  // NOLINT(google-explicit-constructor)
    construct(std::forward<F>(f));
  }

  // Replaces the callable, building the new one where it will stay. Assigning a lambda instead would build
  // a temporary and copy it, and reading those freshly written bytes back stalls the store buffer: that
  // copy was most of the event loop's scheduling cost.
  template <StorableIn<InlineCallback, R, Args...> F>
  void emplace(F&& f) {
    reset();
    construct(std::forward<F>(f));
  }

  InlineCallback(InlineCallback&& other) noexcept { take(other); }
  InlineCallback& operator=(InlineCallback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  InlineCallback(const InlineCallback&) = delete;
  InlineCallback& operator=(const InlineCallback&) = delete;
  ~InlineCallback() { reset(); }

  explicit operator bool() const { return invoke_ != nullptr; }

  R operator()(Args... args) {
    if (!invoke_) std::abort();
    return invoke_(buf_, std::forward<Args>(args)...);
  }

  void reset() noexcept {
    if (manage_) manage_(nullptr, buf_);
    invoke_ = nullptr;
    manage_ = nullptr;
  }

 private:
  using Invoke = R (*)(void*, Args...);
  // manage(dst, src): dst != nullptr moves src's callable into dst and ends src's; dst == nullptr destroys
  // src.
  using Manage = void (*)(void* dst, void* src) noexcept;

  template <typename F>
  void construct(F&& f) {
    using T = std::decay_t<F>;
    if constexpr (kFitsInline<T>) {
      ::new (static_cast<void*>(buf_)) T(std::forward<F>(f));
      invoke_ = [](void* p, Args... args) -> R {
        return (*std::launder(static_cast<T*>(p)))(std::forward<Args>(args)...);
      };
      // Trivially copyable captures (pointers, ids, times: most of them) move with a plain memcpy and need
      // no destructor, so the event loop's moves stay branch-predictable copies of a fixed size.
      if constexpr (!std::is_trivially_copyable_v<T>) manage_ = &manage_inline<T>;
    } else {
      T* heap = new T(std::forward<F>(f));
      std::memcpy(buf_, &heap, sizeof heap);
      invoke_ = [](void* p, Args... args) -> R { return (*pointee<T>(p))(std::forward<Args>(args)...); };
      manage_ = &manage_heap<T>;
    }
  }

  template <typename T>
  static T* pointee(void* p) {
    T* heap;
    std::memcpy(&heap, p, sizeof heap);
    return heap;
  }
  template <typename T>
  static void manage_inline(void* dst, void* src) noexcept {
    T* s = std::launder(static_cast<T*>(src));
    if (dst) ::new (dst) T(std::move(*s));
    s->~T();
  }
  template <typename T>
  static void manage_heap(void* dst, void* src) noexcept {
    if (dst)
      std::memcpy(dst, src, sizeof(T*));  // the pointer changes hands; the callable stays where it is
    else
      delete pointee<T>(src);
  }

  void take(InlineCallback& other) noexcept {
    if (other.manage_)
      other.manage_(buf_, other.buf_);
    else
      std::memcpy(buf_, other.buf_, kInlineBytes);
    invoke_ = other.invoke_;
    manage_ = other.manage_;
    other.invoke_ = nullptr;
    other.manage_ = nullptr;
  }

  alignas(std::max_align_t) unsigned char buf_[kInlineBytes];
  Invoke invoke_ = nullptr;
  Manage manage_ = nullptr;
};

}  // namespace wirestep
