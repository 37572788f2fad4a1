// Callback: inline storage, moves and destruction.
#include "sim/callback.hpp"

#include <doctest/doctest.h>

#include <string>
#include <utility>

using synlab::sim::Callback;

namespace {
struct Counts {
  int destroyed = 0;
  int calls = 0;
};
// 40 bytes (a pointer and a std::string): exactly Callback::capacity.
struct Counted {
  Counts* counts;
  std::string label;  // not trivially copyable: exercises relocate and destroy
  Counted(Counts* c, std::string l) : counts(c), label(std::move(l)) {}
  Counted(Counted&& o) noexcept : counts(o.counts), label(std::move(o.label)) {
    o.counts = nullptr;
  }
  ~Counted() {
    if (counts != nullptr) ++counts->destroyed;
  }
  void operator()() { ++counts->calls; }
};
}  // namespace

TEST_CASE("Callback calls, moves and destroys exactly once") {
  Counts counts;
  {
    Callback a(Counted(&counts, "a long label that does not fit in SSO"));
    CHECK(static_cast<bool>(a));
    a();
    Callback b(std::move(a));
    CHECK_FALSE(static_cast<bool>(a));
    b();
    Callback c;
    c = std::move(b);
    c();
    CHECK(counts.calls == 3);
    CHECK(counts.destroyed == 0);
  }
  CHECK(counts.destroyed == 1);
}

TEST_CASE("Callback holds a trivially copyable lambda") {
  int x = 0;
  Callback f([&x] { x += 2; });
  Callback g = std::move(f);
  g();
  g();
  CHECK(x == 4);
  g.reset();
  CHECK_FALSE(static_cast<bool>(g));
}

namespace {
// A callable with warm(): counts its calls and its warms apart.
struct Warmed {
  int* calls;
  int* warms;
  void operator()() { ++*calls; }
  void warm() const noexcept { ++*warms; }
};
}  // namespace

TEST_CASE("Callback::warm calls the callable's warm() only, and is a no-op without one") {
  int calls = 0;
  int warms = 0;
  Callback a(Warmed{&calls, &warms});
  a.warm();
  CHECK(warms == 1);
  CHECK(calls == 0);  // a hint: the call itself is still to come
  Callback b(std::move(a));
  b.warm();
  b();
  CHECK(warms == 2);
  CHECK(calls == 1);
  int x = 0;
  Callback lambda([&x] { ++x; });
  lambda.warm();  // no warm(): nothing happens
  CHECK(x == 0);
  Callback empty;
  empty.warm();
  CHECK_FALSE(static_cast<bool>(empty));
}
