// HandshakeSchedule (handshake_schedule.hpp): a TcpEndpoint run alone, without a kernel, its
// retransmission timer fired at each deadline it arms (RFC 9293 §3.10.8) and nothing arriving.
#include "models/tcp/handshake_schedule.hpp"

#include <optional>
#include <vector>

#include "models/tcp/effects.hpp"
#include "models/tcp/tcp_endpoint.hpp"
#include "sim/assert.hpp"

namespace synlab::tcp {
namespace {

constexpr SocketAddress client_socket{1, 40000};
constexpr SocketAddress server_socket{2, 80};

// The environment of one endpoint on a network that delivers nothing: it keeps the time of each
// segment sent and the retransmission timer's deadline.
class LonelyEffects final : public Effects {
 public:
  void send(const Segment& segment, HostAddress /*to*/) override { sent.push_back({now, segment}); }
  void arm_timer(TimerKind timer, sim::Time deadline) override {
    if (timer == TimerKind::Retransmission) retransmission_deadline = deadline;
  }
  void cancel_timer(TimerKind timer) override {
    if (timer == TimerKind::Retransmission) retransmission_deadline.reset();
  }
  void notify(Notification what) override {
    if (what == Notification::TimedOut) timed_out = true;
  }

  struct Sent {
    sim::Time time;
    Segment segment;
  };
  sim::Time now = sim::time_zero;  // the time of the input being handled
  std::vector<Sent> sent;
  std::optional<sim::Time> retransmission_deadline;
  bool timed_out = false;
};

EndpointContext context_for(const Profile& profile) {
  EndpointContext c;
  c.profile = &profile;
  c.isn.fixed = 0;  // the ISN changes no timer
  return c;
}

// Fires the retransmission timer at each deadline `endpoint` arms, as the adapter would
// (RFC 6298 (5.4)-(5.6): each expiry retransmits and re-arms), until the endpoint gives up
// (§3.8.3 R2: TimedOut) or arms nothing more. Each expiry but the last sends one segment, so
// stopping after max_handshake_sends - 1 expiries keeps the sends within the cap.
void run_retransmission_timer(TcpEndpoint& endpoint, LonelyEffects& effects) {
  for (std::size_t expiries = 0; expiries + 1 < max_handshake_sends; ++expiries) {
    if (effects.timed_out || !effects.retransmission_deadline) return;
    const sim::Time deadline = *effects.retransmission_deadline;
    effects.retransmission_deadline.reset();
    effects.now = deadline;
    endpoint.on_timer(deadline, TimerKind::Retransmission);
  }
}

// The times of the segments with exactly `flags`, counted from the start of the run.
std::vector<sim::Duration> send_times(const LonelyEffects& effects, Flags flags) {
  std::vector<sim::Duration> out;
  for (const LonelyEffects::Sent& s : effects.sent)
    if (s.segment.flags == flags && out.size() < max_handshake_sends)
      out.push_back(s.time - sim::time_zero);
  return out;
}

// An active open at time 0, every SYN lost, until it gives up.
LonelyEffects unanswered_client(const Profile& profile) {
  const EndpointContext context = context_for(profile);
  LonelyEffects effects;
  TcpEndpoint client(context, effects, 1);
  // Fig. 5: CLOSED --active OPEN / snd SYN--> SYN-SENT, at time 0.
  const UserError opened = client.connect(sim::time_zero, client_socket, server_socket);
  SYNLAB_ASSERT(opened == UserError::Ok, "syn_send_times: a new endpoint connects");
  run_retransmission_timer(client, effects);
  return effects;
}

}  // namespace

std::vector<sim::Duration> syn_send_times(const Profile& profile) {
  return send_times(unanswered_client(profile), Flag::Syn);
}

std::optional<sim::Duration> syn_give_up_time(const Profile& profile) {
  const LonelyEffects effects = unanswered_client(profile);
  if (!effects.timed_out) return std::nullopt;
  return effects.now - sim::time_zero;  // the expiry that gave up
}

std::vector<sim::Duration> synack_send_times(const Profile& profile) {
  const EndpointContext context = context_for(profile);
  // The SYN a peer with the same profile opens with.
  LonelyEffects peer_effects;
  TcpEndpoint peer(context, peer_effects, 1);
  const UserError opened = peer.connect(sim::time_zero, client_socket, server_socket);
  SYNLAB_ASSERT(opened == UserError::Ok && !peer_effects.sent.empty(),
                "synack_send_times: a new endpoint connects and sends a SYN");
  const Segment syn = peer_effects.sent.front().segment;
  // A listener's child receives it at time 0, as TcpHost forks one for each SYN (§3.10.7.2).
  LonelyEffects effects;
  TcpEndpoint server(context, effects, 2, TcpEndpoint::Start::ListeningChild, server_socket);
  // Fig. 5: LISTEN --rcv SYN / snd SYN,ACK--> SYN-RECEIVED
  server.on_segment(sim::time_zero, syn, client_socket.host);
  run_retransmission_timer(server, effects);
  return send_times(effects, Flag::Syn | Flag::Ack);
}

}  // namespace synlab::tcp
