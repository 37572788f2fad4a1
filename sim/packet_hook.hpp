// PacketHook<Payload>: a non-owning reference to "what to do with an arriving packet" — an
// object pointer and a plain function pointer (no heap, no virtual call). Nodes and link
// directions hand packets on through one.
#pragma once

#include "sim/packet.hpp"

namespace synlab::sim {

template <class Payload>
class PacketHook {
 public:
  // An empty hook: calling it does nothing.
  PacketHook() noexcept = default;

  // Calls `(object.*Method)(packet)`. `object` must outlive the hook.
  template <auto Method, class T>
  static PacketHook bind(T& object) noexcept {
    return PacketHook(&object,
                      [](void* o, const Packet<Payload>& p) { (static_cast<T*>(o)->*Method)(p); });
  }

  // Calls `callable(packet)`. `callable` (e.g. a lambda variable) must outlive the hook.
  template <class F>
  static PacketHook ref(F& callable) noexcept {
    return PacketHook(&callable,
                      [](void* o, const Packet<Payload>& p) { (*static_cast<F*>(o))(p); });
  }

  explicit operator bool() const noexcept { return call_ != nullptr; }

  void operator()(const Packet<Payload>& packet) const {
    if (call_ != nullptr) call_(object_, packet);
  }

 private:
  using Call = void (*)(void*, const Packet<Payload>&);
  PacketHook(void* object, Call call) noexcept : object_(object), call_(call) {}
  void* object_ = nullptr;
  Call call_ = nullptr;
};

}  // namespace synlab::sim
