// Effects: what a sans-IO TcpEndpoint asks of its environment (STYLE §1): send a segment, arm
// or cancel one of its timers, tell the user something. The adapter (TcpHost) binds these to
// the network and the scheduler; tests record them.
#pragma once

#include "models/tcp/segment.hpp"
#include "models/tcp/socket_address.hpp"
#include "models/tcp/tcp_state.hpp"
#include "sim/time.hpp"

namespace synlab::tcp {

// Called synchronously while the endpoint handles an input, in the order the RFC's processing
// produces them. An implementation must not call back into the endpoint before returning.
class Effects {
 public:
  virtual ~Effects() = default;
  virtual void send(const Segment& segment, HostAddress to) = 0;
  // Arms (or re-arms) `timer` to fire at `deadline`; the adapter then calls on_timer().
  virtual void arm_timer(TimerKind timer, sim::Time deadline) = 0;
  virtual void cancel_timer(TimerKind timer) = 0;
  virtual void notify(Notification what) = 0;
  // Asked before a passive open's ACK completes the handshake: false keeps the connection in
  // SYN-RECEIVED and drops the ACK (Linux: the listener's accept queue is full). The default,
  // for an endpoint without a listener, always allows it.
  virtual bool may_complete_passive_open() { return true; }
};

}  // namespace synlab::tcp
