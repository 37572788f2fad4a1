// Callback: a move-only `void()` callable stored inline, never on the heap.
// Events and timers hold one each; a capture larger than `capacity` is a compile error,
// so the event loop cannot allocate behind anyone's back.
// A callable may also have `void warm() const noexcept`: the event queue calls it, where it can,
// some while before the call itself, to prefetch what the call will read (EventQueue::drop_top()).
#pragma once

#include <cstddef>
#include <cstring>
#include <new>
#include <type_traits>
#include <utility>

namespace synlab::sim {

class Callback {
 public:
  // Room for `this` plus a few values. Keep bigger state in the model and capture a pointer.
  static constexpr std::size_t capacity = 40;

  template <class F>
  static constexpr bool storable =
      !std::is_same_v<std::remove_cvref_t<F>, Callback> && std::is_invocable_r_v<void, F&>;

  Callback() noexcept = default;

  template <class F>
  requires storable<F> Callback(
      F&& f) {  // NOLINT(google-explicit-constructor): lambdas convert implicitly
    construct(std::forward<F>(f));
  }

  Callback(Callback&& other) noexcept { take(other); }
  Callback& operator=(Callback&& other) noexcept {
    if (this != &other) {
      reset();
      take(other);
    }
    return *this;
  }
  Callback(const Callback&) = delete;
  Callback& operator=(const Callback&) = delete;
  ~Callback() { reset(); }

  // Replaces the stored callable with `f`, constructed in place.
  template <class F>
  requires storable<F>
  void emplace(F&& f) {
    reset();
    construct(std::forward<F>(f));
  }

  explicit operator bool() const noexcept { return ops_ != nullptr; }

  // Calls the stored callable; it must not be empty.
  void operator()() { ops_->invoke(storage_); }

  // Calls the stored callable's warm(), if it has one (a hint: it changes nothing).
  void warm() const noexcept {
    if (ops_ != nullptr && ops_->warm != nullptr) ops_->warm(storage_);
  }

  void reset() noexcept {
    if (ops_ != nullptr && ops_->destroy != nullptr) ops_->destroy(storage_);
    ops_ = nullptr;
  }

 private:
  struct Ops {
    void (*invoke)(void*);
    void (*relocate)(void* to, void* from) noexcept;  // nullptr: a plain byte copy will do
    void (*destroy)(void*) noexcept;                  // nullptr: nothing to destroy
    void (*warm)(const void*) noexcept;               // nullptr: it has no warm()
  };

  template <class Fn>
  static constexpr void (*warm_for())(const void*) noexcept {
    if constexpr (requires(const Fn& f) {
                    { f.warm() }
                    noexcept;
                  })
      return [](const void* p) noexcept { static_cast<const Fn*>(p)->warm(); };
    else
      return nullptr;
  }

  template <class Fn>
  static constexpr Ops ops_for{
      [](void* p) { (*static_cast<Fn*>(p))(); },
      std::is_trivially_copyable_v<Fn> ? nullptr
                                       : +[](void* to, void* from) noexcept {
                                           ::new (to) Fn(std::move(*static_cast<Fn*>(from)));
                                           static_cast<Fn*>(from)->~Fn();
                                         },
      std::is_trivially_destructible_v<Fn>
          ? nullptr
          : +[](void* p) noexcept { static_cast<Fn*>(p)->~Fn(); },
      warm_for<Fn>()};

  template <class F>
  void construct(F&& f) {
    using Fn = std::decay_t<F>;
    static_assert(sizeof(Fn) <= capacity,
                  "callback captures too much: keep the state in the model, capture a pointer");
    static_assert(alignof(Fn) <= alignof(void*), "over-aligned captures are not supported");
    static_assert(std::is_nothrow_move_constructible_v<Fn>);
    ::new (static_cast<void*>(storage_)) Fn(std::forward<F>(f));
    ops_ = &ops_for<Fn>;
  }

  void take(Callback& other) noexcept {
    ops_ = other.ops_;
    if (ops_ == nullptr) return;
    if (ops_->relocate != nullptr)
      ops_->relocate(storage_, other.storage_);
    else
      std::memcpy(storage_, other.storage_, capacity);  // constant size: a few moves
    other.ops_ = nullptr;
  }

  const Ops* ops_ = nullptr;
  // Value-initialised so a byte copy of a capture-less lambda reads no indeterminate byte.
  // Pointer alignment (not max_align_t) keeps a Callback at 48 bytes and an event node at 64.
  alignas(void*) unsigned char storage_[capacity]{};
};

}  // namespace synlab::sim
