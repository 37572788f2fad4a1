// TcpEndpoint tables without a kernel: one row per arrow of RFC 9293 Figure 5 and per §3.10.7
// check (STYLE §10). Each row: name, RFC reference, start state (reached by legal inputs), one
// input, the segments expected (written from the RFC's segment forms) and the next state.
#include "models/tcp/tcp_endpoint.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/recording_effects.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using test::RecordingEffects;

constexpr std::uint32_t kIss = 1000;   // our ISS (fixed), I below
constexpr std::uint32_t kPeer = 5000;  // the peer's ISS, P below
constexpr SocketAddress kLocal{1, 40000};
constexpr SocketAddress kRemote{2, 80};

SeqNum I(std::uint32_t n = 0) {
  return SeqNum(kIss + n);
}
SeqNum P(std::uint32_t n = 0) {
  return SeqNum(kPeer + n);
}

// A segment from the peer (port 80 -> 40000).
Segment peer(Flags flags, SeqNum seq, SeqNum ack = SeqNum(0), std::uint32_t len = 0) {
  Segment s;
  s.src_port = kRemote.port;
  s.dst_port = kLocal.port;
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.window = 65535;
  s.payload_bytes = len;
  return s;
}

// Where a row starts. SynReceivedActive is reached by simultaneous open.
enum class Start {
  Closed,
  Listen,
  SynSent,
  SynReceivedPassive,
  SynReceivedActive,
  Established,
  FinWait1,
  FinWait1FromSynReceived,  // CLOSE in a passive SYN-RECEIVED (§3.10.4): our SYN is unacked
  FinWait2,
  CloseWait,
  Closing,
  LastAck,
  TimeWait,
};

struct Fixture {
  explicit Fixture(const Profile& p = rfc6298_profile())
      : ctx{&p, nullptr, IsnSource{nullptr, kIss}, NodeName("a")}, ep(ctx, fx, 1) {}

  void in(const Segment& s) { ep.on_segment(now, s, kRemote.host); }

  // Drives the endpoint to `s` with legal inputs only (never by poking fields).
  void drive_to(Start s) {
    switch (s) {
      case Start::Closed:
        break;
      case Start::Listen:
        REQUIRE(ep.listen(now, kLocal) == UserError::Ok);
        break;
      case Start::SynSent:
        REQUIRE(ep.connect(now, kLocal, kRemote) == UserError::Ok);
        break;
      case Start::SynReceivedPassive:
        drive_to(Start::Listen);
        in(peer(Flag::Syn, P()));
        break;
      case Start::SynReceivedActive:
        drive_to(Start::SynSent);
        in(peer(Flag::Syn, P()));
        break;
      case Start::Established:
        drive_to(Start::SynSent);
        in(peer(Flag::Syn | Flag::Ack, P(), I(1)));
        break;
      case Start::FinWait1:
        drive_to(Start::Established);
        REQUIRE(ep.close(now) == UserError::Ok);
        break;
      case Start::FinWait1FromSynReceived:
        drive_to(Start::SynReceivedPassive);
        REQUIRE(ep.close(now) == UserError::Ok);
        break;
      case Start::FinWait2:
        drive_to(Start::FinWait1);
        in(peer(Flag::Ack, P(1), I(2)));
        break;
      case Start::CloseWait:
        drive_to(Start::Established);
        in(peer(Flag::Fin | Flag::Ack, P(1), I(1)));
        break;
      case Start::Closing:
        drive_to(Start::FinWait1);
        in(peer(Flag::Fin | Flag::Ack, P(1), I(1)));  // their FIN crosses ours
        break;
      case Start::LastAck:
        drive_to(Start::CloseWait);
        REQUIRE(ep.close(now) == UserError::Ok);
        break;
      case Start::TimeWait:
        drive_to(Start::FinWait2);
        in(peer(Flag::Fin | Flag::Ack, P(1), I(2)));
        break;
    }
    fx.clear();
  }

  sim::Time now = sim::at(0s);
  RecordingEffects fx;
  EndpointContext ctx;
  TcpEndpoint ep;
};

State state_of(Start s) {
  switch (s) {
    case Start::Closed:
      return State::Closed;
    case Start::Listen:
      return State::Listen;
    case Start::SynSent:
      return State::SynSent;
    case Start::SynReceivedPassive:
    case Start::SynReceivedActive:
      return State::SynReceived;
    case Start::Established:
      return State::Established;
    case Start::FinWait1:
    case Start::FinWait1FromSynReceived:
      return State::FinWait1;
    case Start::FinWait2:
      return State::FinWait2;
    case Start::CloseWait:
      return State::CloseWait;
    case Start::Closing:
      return State::Closing;
    case Start::LastAck:
      return State::LastAck;
    case Start::TimeWait:
      return State::TimeWait;
  }
  return State::Closed;
}

enum class Call { Listen, Connect, Close, Abort, RetransmissionTimeout, TimeWaitTimeout };
using Input = std::variant<Call, Segment>;

struct Expect {
  Flags flags;
  SeqNum seq;
  SeqNum ack;  // compared only when flags has ACK
};

struct Row {
  const char* name;
  const char* rfc;
  const char* fig5;  // the Figure 5 arrow this row draws, or "" for other checks
  Start start;
  Input input;
  std::vector<Expect> expect;
  State next;
  const Profile* profile = &rfc6298_profile();
};

const std::vector<Row>& rows() {
  static const std::vector<Row> r = {
      // --- Figure 5 -----------------------------------------------------------------------
      {"passive OPEN",
       "§3.10.1",
       "CLOSED --passive OPEN--> LISTEN",
       Start::Closed,
       Call::Listen,
       {},
       State::Listen},
      {"active OPEN sends <SEQ=ISS><CTL=SYN>",
       "§3.10.1",
       "CLOSED --active OPEN--> SYN-SENT",
       Start::Closed,
       Call::Connect,
       {{Flag::Syn, I(), {}}},
       State::SynSent},
      {"CLOSE in LISTEN deletes the TCB",
       "§3.10.4",
       "LISTEN --CLOSE--> CLOSED",
       Start::Listen,
       Call::Close,
       {},
       State::Closed},
      {"SYN in LISTEN: <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>",
       "§3.10.7.2",
       "LISTEN --rcv SYN--> SYN-RECEIVED",
       Start::Listen,
       peer(Flag::Syn, P()),
       {{Flag::Syn | Flag::Ack, I(), P(1)}},
       State::SynReceived},
      {"SEND in LISTEN with a foreign socket goes active",
       "§3.10.2",
       "LISTEN --SEND--> SYN-SENT",
       Start::Listen,
       Call::Connect,
       {{Flag::Syn, I(), {}}},
       State::SynSent},
      {"CLOSE in SYN-SENT deletes the TCB",
       "§3.10.4",
       "SYN-SENT --CLOSE--> CLOSED",
       Start::SynSent,
       Call::Close,
       {},
       State::Closed},
      {"simultaneous open: SYN in SYN-SENT",
       "§3.10.7.3, Figure 7",
       "SYN-SENT --rcv SYN--> SYN-RECEIVED",
       Start::SynSent,
       peer(Flag::Syn, P()),
       {{Flag::Syn | Flag::Ack, I(), P(1)}},
       State::SynReceived},
      {"SYN,ACK in SYN-SENT: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>",
       "§3.10.7.3",
       "SYN-SENT --rcv SYN,ACK--> ESTABLISHED",
       Start::SynSent,
       peer(Flag::Syn | Flag::Ack, P(), I(1)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"RST in passive SYN-RECEIVED returns to LISTEN",
       "§3.10.7.4 second",
       "SYN-RECEIVED --rcv RST--> LISTEN",
       Start::SynReceivedPassive,
       peer(Flag::Rst, P(1)),
       {},
       State::Listen},
      {"ACK of SYN in SYN-RECEIVED",
       "§3.10.7.4 fifth",
       "SYN-RECEIVED --rcv ACK of SYN--> ESTABLISHED",
       Start::SynReceivedPassive,
       peer(Flag::Ack, P(1), I(1)),
       {},
       State::Established},
      {"CLOSE in SYN-RECEIVED sends FIN",
       "§3.10.4",
       "SYN-RECEIVED --CLOSE--> FIN-WAIT-1",
       Start::SynReceivedPassive,
       Call::Close,
       {{Flag::Fin | Flag::Ack, I(1), P(1)}},
       State::FinWait1},
      {"CLOSE in ESTABLISHED sends FIN",
       "§3.10.4",
       "ESTABLISHED --CLOSE--> FIN-WAIT-1",
       Start::Established,
       Call::Close,
       {{Flag::Fin | Flag::Ack, I(1), P(1)}},
       State::FinWait1},
      {"FIN in ESTABLISHED is acknowledged",
       "§3.10.7.4 eighth",
       "ESTABLISHED --rcv FIN--> CLOSE-WAIT",
       Start::Established,
       peer(Flag::Fin | Flag::Ack, P(1), I(1)),
       {{Flag::Ack, I(1), P(2)}},
       State::CloseWait},
      {"ACK of our FIN in FIN-WAIT-1",
       "§3.10.7.4 fifth",
       "FIN-WAIT-1 --rcv ACK of FIN--> FIN-WAIT-2",
       Start::FinWait1,
       peer(Flag::Ack, P(1), I(2)),
       {},
       State::FinWait2},
      {"FIN in FIN-WAIT-1 (simultaneous close)",
       "§3.10.7.4 eighth, Figure 13",
       "FIN-WAIT-1 --rcv FIN--> CLOSING",
       Start::FinWait1,
       peer(Flag::Fin | Flag::Ack, P(1), I(1)),
       {{Flag::Ack, I(2), P(2)}},
       State::Closing},
      {"FIN in FIN-WAIT-2",
       "§3.10.7.4 eighth",
       "FIN-WAIT-2 --rcv FIN--> TIME-WAIT",
       Start::FinWait2,
       peer(Flag::Fin | Flag::Ack, P(1), I(2)),
       {{Flag::Ack, I(2), P(2)}},
       State::TimeWait},
      {"ACK of our FIN in CLOSING",
       "§3.10.7.4 fifth",
       "CLOSING --rcv ACK of FIN--> TIME-WAIT",
       Start::Closing,
       peer(Flag::Ack, P(2), I(2)),
       {},
       State::TimeWait},
      {"2 MSL in TIME-WAIT",
       "§3.10.8",
       "TIME-WAIT --timeout=2MSL--> CLOSED",
       Start::TimeWait,
       Call::TimeWaitTimeout,
       {},
       State::Closed},
      {"CLOSE in CLOSE-WAIT sends FIN",
       "§3.10.4",
       "CLOSE-WAIT --CLOSE--> LAST-ACK",
       Start::CloseWait,
       Call::Close,
       {{Flag::Fin | Flag::Ack, I(1), P(2)}},
       State::LastAck},
      {"ACK of our FIN in LAST-ACK",
       "§3.10.7.4 fifth",
       "LAST-ACK --rcv ACK of FIN--> CLOSED",
       Start::LastAck,
       peer(Flag::Ack, P(2), I(2)),
       {},
       State::Closed},

      // --- §3.10.7.1 CLOSED ---------------------------------------------------------------
      {"CLOSED answers SYN with <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>",
       "§3.10.7.1",
       "",
       Start::Closed,
       peer(Flag::Syn, P()),
       {{Flag::Rst | Flag::Ack, SeqNum(0), P(1)}},
       State::Closed},
      {"CLOSED answers ACK with <SEQ=SEG.ACK><CTL=RST>",
       "§3.10.7.1",
       "",
       Start::Closed,
       peer(Flag::Ack, P(1), I(7)),
       {{Flag::Rst, I(7), {}}},
       State::Closed},
      {"CLOSED ignores RST",
       "§3.10.7.1",
       "",
       Start::Closed,
       peer(Flag::Rst, P()),
       {},
       State::Closed},
      // --- §3.10.7.2 LISTEN ---------------------------------------------------------------
      {"LISTEN ignores RST",
       "§3.10.7.2 first",
       "",
       Start::Listen,
       peer(Flag::Rst, P()),
       {},
       State::Listen},
      {"LISTEN answers ACK with <SEQ=SEG.ACK><CTL=RST>",
       "§3.10.7.2 second",
       "",
       Start::Listen,
       peer(Flag::Ack, P(1), I(9)),
       {{Flag::Rst, I(9), {}}},
       State::Listen},
      {"LISTEN drops data without SYN",
       "§3.10.7.2 fourth",
       "",
       Start::Listen,
       peer(Flags(), P(), {}, 10),
       {},
       State::Listen},
      // --- §3.10.7.3 SYN-SENT -------------------------------------------------------------
      {"SYN-SENT: ACK =< ISS draws <SEQ=SEG.ACK><CTL=RST>",
       "§3.10.7.3 first",
       "",
       Start::SynSent,
       peer(Flag::Syn | Flag::Ack, P(), I(0)),
       {{Flag::Rst, I(0), {}}},
       State::SynSent},
      {"SYN-SENT: ACK > SND.NXT draws RST",
       "§3.10.7.3 first",
       "",
       Start::SynSent,
       peer(Flag::Ack, P(), I(5)),
       {{Flag::Rst, I(5), {}}},
       State::SynSent},
      {"SYN-SENT: bad ACK with RST is dropped silently",
       "§3.10.7.3 first",
       "",
       Start::SynSent,
       peer(Flag::Rst | Flag::Ack, P(), I(5)),
       {},
       State::SynSent},
      {"SYN-SENT: RST,ACK acknowledging our SYN refuses",
       "§3.10.7.3 second",
       "",
       Start::SynSent,
       peer(Flag::Rst | Flag::Ack, SeqNum(0), I(1)),
       {},
       State::Closed},
      {"SYN-SENT: RST without ACK is dropped",
       "§3.10.7.3 second",
       "",
       Start::SynSent,
       peer(Flag::Rst, P()),
       {},
       State::SynSent},
      {"SYN-SENT: a pure ACK of our SYN is dropped",
       "§3.10.7.3 fifth",
       "",
       Start::SynSent,
       peer(Flag::Ack, P(), I(1)),
       {},
       State::SynSent},
      {"SYN-SENT: retransmission timeout resends <SEQ=ISS><CTL=SYN>",
       "§3.10.8, RFC 6298 (5.4)",
       "",
       Start::SynSent,
       Call::RetransmissionTimeout,
       {{Flag::Syn, I(), {}}},
       State::SynSent},
      // --- §3.10.7.4 ----------------------------------------------------------------------
      {"SYN-RECEIVED (active): the peer's SYN,ACK, trimmed of its SYN, completes",
       "§3.10.7.4 (idealized segment), Figure 7 line 6",
       "",
       Start::SynReceivedActive,
       peer(Flag::Syn | Flag::Ack, P(), I(1)),
       {},
       State::Established},
      {"SYN-RECEIVED (active): RST refuses",
       "§3.10.7.4 second",
       "",
       Start::SynReceivedActive,
       peer(Flag::Rst, P(1)),
       {},
       State::Closed},
      {"SYN-RECEIVED: unacceptable ACK draws <SEQ=SEG.ACK><CTL=RST>",
       "§3.10.7.4 fifth",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Ack, P(1), I(3)),
       {{Flag::Rst, I(3), {}}},
       State::SynReceived},
      {"SYN-RECEIVED: duplicate SYN is unacceptable, draws an ACK",
       "§3.10.7.4 first",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Syn, P()),
       {{Flag::Ack, I(1), P(1)}},
       State::SynReceived},
      {"Linux: duplicate SYN draws a SYN,ACK",
       "tcp_check_req(); reference case e",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Syn, P()),
       {{Flag::Syn | Flag::Ack, I(), P(1)}},
       State::SynReceived,
       &linux_profile()},
      {"SYN-RECEIVED (passive): in-window SYN returns to LISTEN",
       "§3.10.7.4 fourth",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Syn, P(10)),
       {},
       State::Listen},
      {"Linux: in-window SYN in SYN-RECEIVED draws RST,ACK and drops the request",
       "tcp_check_req() embryonic_reset; send_reset: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Syn, P(10)),
       {{Flag::Rst | Flag::Ack, SeqNum(0), P(11)}},
       State::Listen,
       &linux_profile()},
      {"SYN-RECEIVED (passive): in-window RST off RCV.NXT draws a challenge ACK",
       "RFC 5961 §3.2; §3.10.7.4 second",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Rst, P(10)),
       {{Flag::Ack, I(1), P(1)}},
       State::SynReceived},
      {"Linux: in-window RST off RCV.NXT in SYN-RECEIVED drops the request",
       "tcp_check_req() embryonic_reset",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Rst, P(10)),
       {},
       State::Listen,
       &linux_profile()},
      {"SYN-RECEIVED: data with an acceptable ACK completes the handshake",
       "§3.10.7.4 fifth and seventh; reference f3",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Psh | Flag::Ack, P(1), I(1), 100),
       {{Flag::Ack, I(1), P(101)}},
       State::Established},
      {"SYN-RECEIVED: retransmission timeout resends the SYN,ACK",
       "§3.10.8",
       "",
       Start::SynReceivedPassive,
       Call::RetransmissionTimeout,
       {{Flag::Syn | Flag::Ack, I(), P(1)}},
       State::SynReceived},
      {"SYN-RECEIVED (active): retransmission timeout resends the SYN,ACK",
       "§3.10.8, Figure 7",
       "",
       Start::SynReceivedActive,
       Call::RetransmissionTimeout,
       {{Flag::Syn | Flag::Ack, I(), P(1)}},
       State::SynReceived,
       &linux_profile()},
      {"ESTABLISHED: SYN draws a challenge ACK",
       "RFC 5961 §4.2; §3.10.7.4 fourth",
       "",
       Start::Established,
       peer(Flag::Syn, P(1)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"Linux: in-window SYN in ESTABLISHED draws a challenge ACK",
       "RFC 5961 §4.2; tcp_validate_incoming()",
       "",
       Start::Established,
       peer(Flag::Syn, P(1)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established,
       &linux_profile()},
      {"RFC 793: in-window SYN in ESTABLISHED draws a reset and closes",
       "RFC 793 §3.9 p.71 fourth; reset form §3.4: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>",
       "",
       Start::Established,
       peer(Flag::Syn, P(1)),
       {{Flag::Rst | Flag::Ack, SeqNum(0), P(2)}},
       State::Closed,
       &rfc793_profile()},
      {"RFC 793: in-window SYN in passive SYN-RECEIVED draws a reset and closes",
       "RFC 793 §3.9 p.71 fourth",
       "",
       Start::SynReceivedPassive,
       peer(Flag::Syn, P(10)),
       {{Flag::Rst | Flag::Ack, SeqNum(0), P(11)}},
       State::Closed,
       &rfc793_profile()},
      {"RFC 793: in-window SYN in TIME-WAIT draws a reset and closes",
       "RFC 793 §3.9 p.71 fourth",
       "",
       Start::TimeWait,
       peer(Flag::Syn, P(2)),
       {{Flag::Rst | Flag::Ack, SeqNum(0), P(3)}},
       State::Closed,
       &rfc793_profile()},
      {"RFC 793: an in-window RST off RCV.NXT resets",
       "RFC 793 §3.9 p.70 second: any RST in the window",
       "",
       Start::Established,
       peer(Flag::Rst, P(10)),
       {},
       State::Closed,
       &rfc793_profile()},
      {"ESTABLISHED: in-window RST off RCV.NXT draws a challenge ACK",
       "RFC 5961 §3.2",
       "",
       Start::Established,
       peer(Flag::Rst, P(10)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"ESTABLISHED: RST at RCV.NXT resets",
       "§3.10.7.4 second",
       "",
       Start::Established,
       peer(Flag::Rst, P(1)),
       {},
       State::Closed},
      {"ESTABLISHED: out-of-window RST is dropped",
       "§3.10.7.4 first",
       "",
       Start::Established,
       peer(Flag::Rst, P(0x1000'0000u)),
       {},
       State::Established},
      {"ESTABLISHED: old segment draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>",
       "§3.10.7.4 first",
       "",
       Start::Established,
       peer(Flag::Ack, P(0) - 100, I(1), 10),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"ESTABLISHED: segment without ACK is dropped",
       "§3.10.7.4 fifth",
       "",
       Start::Established,
       peer(Flags(), P(1), {}, 10),
       {},
       State::Established},
      {"ESTABLISHED: ACK of unsent data draws an ACK",
       "§3.10.7.4 fifth",
       "",
       Start::Established,
       peer(Flag::Ack, P(1), I(50)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"ESTABLISHED: in-order data is acknowledged",
       "§3.10.7.4 seventh",
       "",
       Start::Established,
       peer(Flag::Psh | Flag::Ack, P(1), I(1), 100),
       {{Flag::Ack, I(1), P(101)}},
       State::Established},
      {"ESTABLISHED: an out-of-order FIN draws a duplicate ACK",
       "§3.10.7.4 seventh (out-of-order: ACK RCV.NXT) and eighth",
       "",
       Start::Established,
       peer(Flag::Fin | Flag::Ack, P(11), I(1)),
       {{Flag::Ack, I(1), P(1)}},
       State::Established},
      {"ESTABLISHED: ABORT sends <SEQ=SND.NXT><CTL=RST>",
       "§3.10.5",
       "",
       Start::Established,
       Call::Abort,
       {{Flag::Rst, I(1), {}}},
       State::Closed},
      {"TIME-WAIT: a retransmitted FIN is acknowledged",
       "§3.10.7.4 first and eighth",
       "",
       Start::TimeWait,
       peer(Flag::Fin | Flag::Ack, P(1), I(2)),
       {{Flag::Ack, I(2), P(2)}},
       State::TimeWait},
      {"FIN-WAIT-1: retransmission timeout resends the FIN",
       "§3.10.8, RFC 6298 (5.4)",
       "",
       Start::FinWait1,
       Call::RetransmissionTimeout,
       {{Flag::Fin | Flag::Ack, I(1), P(1)}},
       State::FinWait1},
      {"CLOSE in SYN-RECEIVED, then timeout: the SYN,ACK is resent before the FIN",
       "§3.10.4, §3.10.8 (front of the retransmission queue)",
       "",
       Start::FinWait1FromSynReceived,
       Call::RetransmissionTimeout,
       {{Flag::Syn | Flag::Ack, I(), P(1)}, {Flag::Fin | Flag::Ack, I(1), P(1)}},
       State::FinWait1},
      {"FIN-WAIT-1: a FIN that also acknowledges our FIN",
       "§3.10.7.4 fifth (enter FIN-WAIT-2, continue) and eighth (FIN-WAIT-2: TIME-WAIT)",
       "",
       Start::FinWait1,
       peer(Flag::Fin | Flag::Ack, P(1), I(2)),
       {{Flag::Ack, I(2), P(2)}},
       State::TimeWait},
      {"FIN-WAIT-1: SYN draws a challenge ACK",
       "RFC 5961 §4.2; §3.10.7.4 fourth",
       "",
       Start::FinWait1,
       peer(Flag::Syn, P(1)),
       {{Flag::Ack, I(2), P(1)}},
       State::FinWait1},
      {"FIN-WAIT-2: SYN draws a challenge ACK",
       "RFC 5961 §4.2; §3.10.7.4 fourth",
       "",
       Start::FinWait2,
       peer(Flag::Syn, P(1)),
       {{Flag::Ack, I(2), P(1)}},
       State::FinWait2},
      {"TIME-WAIT: SYN draws a challenge ACK",
       "RFC 5961 §4.2; §3.10.7.4 fourth",
       "",
       Start::TimeWait,
       peer(Flag::Syn, P(2)),
       {{Flag::Ack, I(2), P(2)}},
       State::TimeWait},
      {"FIN-WAIT-2: RST at RCV.NXT closes",
       "§3.10.7.4 second",
       "",
       Start::FinWait2,
       peer(Flag::Rst, P(1)),
       {},
       State::Closed},
      {"CLOSING: RST at RCV.NXT closes",
       "§3.10.7.4 second",
       "",
       Start::Closing,
       peer(Flag::Rst, P(2)),
       {},
       State::Closed},
      {"TIME-WAIT: RST at RCV.NXT closes",
       "§3.10.7.4 second",
       "",
       Start::TimeWait,
       peer(Flag::Rst, P(2)),
       {},
       State::Closed},
      {"LAST-ACK: RST closes",
       "§3.10.7.4 second",
       "",
       Start::LastAck,
       peer(Flag::Rst, P(2)),
       {},
       State::Closed},
  };
  return r;
}

void apply(Fixture& f, const Input& input) {
  if (const Segment* s = std::get_if<Segment>(&input)) {
    f.in(*s);
    return;
  }
  switch (std::get<Call>(input)) {
    case Call::Listen:
      REQUIRE(f.ep.listen(f.now, kLocal) == UserError::Ok);
      break;
    case Call::Connect:
      REQUIRE(f.ep.connect(f.now, kLocal, kRemote) == UserError::Ok);
      break;
    case Call::Close:
      REQUIRE(f.ep.close(f.now) == UserError::Ok);
      break;
    case Call::Abort:
      f.ep.abort(f.now);
      break;
    case Call::RetransmissionTimeout:
    case Call::TimeWaitTimeout: {
      const TimerKind t = std::get<Call>(input) == Call::TimeWaitTimeout
                              ? TimerKind::TimeWait
                              : TimerKind::Retransmission;
      const auto deadline = f.ep.timer_deadline(t);
      REQUIRE(deadline.has_value());
      f.now = *deadline;
      f.ep.on_timer(f.now, t);
      break;
    }
  }
}

TEST_CASE("TcpEndpoint: RFC 9293 Figure 5 arrows and §3.10.7 checks, one row each") {
  for (const Row& row : rows()) {
    const std::string name = row.name;  // a std::string, so doctest prints the text
    const std::string rfc = row.rfc;
    CAPTURE(name);
    CAPTURE(rfc);
    Fixture f(*row.profile);
    f.drive_to(row.start);
    REQUIRE(f.ep.state() == state_of(row.start));
    apply(f, row.input);
    CHECK(f.ep.state() == row.next);
    CHECK(f.fx.sent.size() == row.expect.size());
    if (f.fx.sent.size() != row.expect.size()) continue;  // report every failing row
    for (std::size_t i = 0; i < row.expect.size(); ++i) {
      const Segment& got = f.fx.sent[i].segment;
      CAPTURE(got.to_string());
      CHECK(got.flags == row.expect[i].flags);
      CHECK(got.seq == row.expect[i].seq);
      if (row.expect[i].flags.has(Flag::Ack)) CHECK(got.ack == row.expect[i].ack);
      CHECK(f.fx.sent[i].to == kRemote.host);
    }
  }
}

TEST_CASE("Every arrow of RFC 9293 Figure 5 has a row") {
  // Figure 5, arrow by arrow (§3.3.2).
  const std::vector<std::string> figure5 = {
      "CLOSED --passive OPEN--> LISTEN",
      "CLOSED --active OPEN--> SYN-SENT",
      "LISTEN --CLOSE--> CLOSED",
      "LISTEN --rcv SYN--> SYN-RECEIVED",
      "LISTEN --SEND--> SYN-SENT",
      "SYN-SENT --CLOSE--> CLOSED",
      "SYN-SENT --rcv SYN--> SYN-RECEIVED",
      "SYN-SENT --rcv SYN,ACK--> ESTABLISHED",
      "SYN-RECEIVED --rcv RST--> LISTEN",
      "SYN-RECEIVED --rcv ACK of SYN--> ESTABLISHED",
      "SYN-RECEIVED --CLOSE--> FIN-WAIT-1",
      "ESTABLISHED --CLOSE--> FIN-WAIT-1",
      "ESTABLISHED --rcv FIN--> CLOSE-WAIT",
      "FIN-WAIT-1 --rcv ACK of FIN--> FIN-WAIT-2",
      "FIN-WAIT-1 --rcv FIN--> CLOSING",
      "FIN-WAIT-2 --rcv FIN--> TIME-WAIT",
      "CLOSING --rcv ACK of FIN--> TIME-WAIT",
      "TIME-WAIT --timeout=2MSL--> CLOSED",
      "CLOSE-WAIT --CLOSE--> LAST-ACK",
      "LAST-ACK --rcv ACK of FIN--> CLOSED",
  };
  std::set<std::string> covered;
  for (const Row& row : rows()) {
    const std::string arrow = row.fig5;
    if (arrow.empty()) continue;
    CAPTURE(row.name);
    // The row's start and next states are the arrow's ends.
    CHECK(arrow.rfind(std::string(to_string(state_of(row.start))) + " --", 0) == 0);
    CHECK(arrow.ends_with("--> " + std::string(to_string(row.next))));
    covered.insert(arrow);
  }
  for (const std::string& arrow : figure5) {
    CAPTURE(arrow);
    CHECK(covered.contains(arrow));
  }
  CHECK(covered.size() == figure5.size());
}

TEST_CASE("State names are the RFC's (§3.3.2)") {
  CHECK(to_string(State::SynSent) == "SYN-SENT");
  CHECK(to_string(State::SynReceived) == "SYN-RECEIVED");
  CHECK(to_string(State::FinWait1) == "FIN-WAIT-1");
  CHECK(to_string(State::CloseWait) == "CLOSE-WAIT");
  CHECK(to_string(State::TimeWait) == "TIME-WAIT");
}

TEST_CASE("Notifications: refused, reset and established reach the user (§3.9.1)") {
  SUBCASE("refused") {
    Fixture f;
    f.drive_to(Start::SynSent);
    f.in(peer(Flag::Rst | Flag::Ack, SeqNum(0), I(1)));
    REQUIRE(f.fx.notes.size() == 1);
    CHECK(f.fx.notes[0] == Notification::Refused);
    CHECK(f.ep.stats().outcome == Outcome::Refused);
    CHECK_FALSE(f.fx.timers[0].has_value());  // CLOSED cancels the retransmission timer
  }
  SUBCASE("established, then reset") {
    Fixture f;
    f.drive_to(Start::SynSent);
    f.in(peer(Flag::Syn | Flag::Ack, P(), I(1)));
    CHECK(f.fx.notes == std::vector{Notification::Established});
    f.fx.clear();
    f.in(peer(Flag::Rst, P(1)));
    CHECK(f.fx.notes == std::vector{Notification::Reset});
    CHECK(f.ep.stats().outcome == Outcome::Established);  // the handshake's outcome stays
  }
}

TEST_CASE("A CLOSE in SYN-RECEIVED with data queued runs after ESTABLISHED (§3.10.4)") {
  Fixture f;
  f.drive_to(Start::SynReceivedPassive);
  REQUIRE(f.ep.send(f.now, 10) == UserError::Ok);  // queued until ESTABLISHED (§3.10.2)
  REQUIRE(f.ep.close(f.now) == UserError::Ok);     // deferred: data is queued
  CHECK(f.ep.state() == State::SynReceived);
  CHECK(f.fx.sent.empty());
  f.in(peer(Flag::Ack, P(1), I(1)));
  // ESTABLISHED, then the queued data <SEQ=I+1> and the FIN <SEQ=I+11>: FIN-WAIT-1.
  CHECK(f.ep.state() == State::FinWait1);
  REQUIRE(f.fx.sent.size() == 2);
  CHECK(f.fx.sent[0].segment.seq == I(1));
  CHECK(f.fx.sent[0].segment.payload_bytes == 10);
  CHECK(f.fx.sent[1].segment.flags == (Flag::Fin | Flag::Ack));
  CHECK(f.fx.sent[1].segment.seq == I(11));
}

TEST_CASE("Simultaneous open, SYN,ACK lost: the SYN's retry rule and backoff go on (linux)") {
  // Linux tcp_write_timeout(): SYN_RECV of an active open gives up after tcp_syn_retries (6)
  // retransmissions counted from the first SYN (the 4 linear timeouts only in SYN_SENT), and
  // tcp_retransmit_timer() doubles the RTO. SYNs at 0, 1, 2, 3, 4, 5 s (reference c1); the 5th
  // expiry doubled the RTO to 2 s, so the timer is due at 7 s. The peer's SYN arrives at 5.5 s.
  Fixture f(linux_profile());
  f.drive_to(Start::SynSent);
  for (int i = 0; i < 5; ++i) apply(f, Call::RetransmissionTimeout);
  REQUIRE(f.now == sim::at(5s));
  REQUIRE(f.ep.timer_deadline(TimerKind::Retransmission) == sim::at(7s));
  f.now = sim::at(5500ms);
  f.in(peer(Flag::Syn, P()));
  REQUIRE(f.ep.state() == State::SynReceived);
  f.fx.clear();
  // 7 s: 5 retransmissions < 6 and 7 s < 127 s: the SYN,ACK is resent, RTO 2 -> 4 s.
  apply(f, Call::RetransmissionTimeout);
  CHECK(f.now == sim::at(7s));
  CHECK(f.ep.state() == State::SynReceived);
  REQUIRE(f.fx.sent.size() == 1);
  CHECK(f.fx.sent[0].segment.flags == (Flag::Syn | Flag::Ack));
  CHECK(f.ep.timer_deadline(TimerKind::Retransmission) == sim::at(7s + 4s));
  // 11 s: 6 retransmissions >= tcp_syn_retries: ETIMEDOUT, nothing sent.
  f.fx.clear();
  apply(f, Call::RetransmissionTimeout);
  CHECK(f.now == sim::at(11s));
  CHECK(f.ep.state() == State::Closed);
  CHECK(f.fx.sent.empty());
  CHECK(f.fx.notes == std::vector{Notification::TimedOut});
  CHECK(f.ep.stats().outcome == Outcome::Timeout);
}

TEST_CASE("Linux: an unacceptable ACK in SYN-SENT re-arms the SYN timer to 2 jiffies, once") {
  // tcp_rcv_synsent_state_process(): "Previous FIN/ACK or RST/ACK might be ignored": while no SYN
  // was retransmitted (icsk_retransmits == 0) an unacceptable ACK, a RST,ACK's too, re-arms the
  // retransmission timer to TCP_TIMEOUT_MIN, 2 jiffies of 4 ms (HZ 250). After a retransmission
  // it does not. RFC 9293 §3.10.7.3: <SEQ=SEG.ACK><CTL=RST> for the one without RST.
  Fixture f(linux_profile());
  f.drive_to(Start::SynSent);
  f.fx.clear();
  f.now = sim::at(100ms);
  f.in(peer(Flag::Rst | Flag::Ack, P(), I(5)));  // ACK = ISS + 5: not ISS < SEG.ACK =< SND.NXT
  CHECK(f.fx.sent.empty());                      // no RST for a RST
  CHECK(f.ep.state() == State::SynSent);
  CHECK(f.ep.timer_deadline(TimerKind::Retransmission) == sim::at(108ms));
  apply(f, Call::RetransmissionTimeout);  // 108 ms: the SYN again, the RTO still 1 s (linear)
  CHECK(f.now == sim::at(108ms));
  REQUIRE(f.fx.sent.size() == 1);
  CHECK(f.fx.sent[0].segment.flags == Flags(Flag::Syn));
  CHECK(f.ep.timer_deadline(TimerKind::Retransmission) == sim::at(1108ms));
  f.fx.clear();
  f.now = sim::at(200ms);
  f.in(peer(Flag::Syn | Flag::Ack, P(), I(5)));  // a retransmission was made: no re-arm now
  REQUIRE(f.fx.sent.size() == 1);
  CHECK(f.fx.sent[0].segment.flags == Flags(Flag::Rst));
  CHECK(f.fx.sent[0].segment.seq == I(5));
  CHECK(f.ep.timer_deadline(TimerKind::Retransmission) == sim::at(1108ms));

  // rfc6298: the RST alone; the timer keeps its 1 s deadline.
  Fixture r(rfc6298_profile());
  r.drive_to(Start::SynSent);
  r.fx.clear();
  r.now = sim::at(100ms);
  r.in(peer(Flag::Syn | Flag::Ack, P(), I(5)));
  REQUIRE(r.fx.sent.size() == 1);
  CHECK(r.fx.sent[0].segment.flags == Flags(Flag::Rst));
  CHECK(r.ep.timer_deadline(TimerKind::Retransmission) == sim::at(1s));
}

TEST_CASE("A data+FIN segment whose data already arrived draws one ACK (§3.10.7.4)") {
  // 100 octets P+1..P+100 arrive alone; then the peer resends them with its FIN (P+101). The
  // text is a duplicate (seventh step: nothing new), the FIN is new (eighth: RCV.NXT = P+102,
  // "send an acknowledgment for the FIN"): exactly one <SEQ=I+1><ACK=P+102><CTL=ACK>.
  Fixture f;
  f.drive_to(Start::Established);
  f.in(peer(Flag::Ack, P(1), I(1), 100));
  REQUIRE(f.ep.tcb().rcv_nxt == P(101));
  f.fx.clear();
  f.in(peer(Flag::Fin | Flag::Ack, P(1), I(1), 100));
  CHECK(f.ep.state() == State::CloseWait);
  REQUIRE(f.fx.sent.size() == 1);
  CHECK(f.fx.sent[0].segment.ack == P(102));
  CHECK(f.ep.bytes_received() == 100);
}

TEST_CASE("Linux: replies to out-of-window segments are rate-limited (tcp_invalid_ratelimit)") {
  // tcp_oow_rate_limited(): at most one reply per 500 ms (reference: tcp_invalid_ratelimit),
  // except for segments with data or a FIN and no SYN (seq != end_seq).
  Fixture f(linux_profile());
  const Segment syn = peer(Flag::Syn, P(1));
  SUBCASE("challenge ACKs to SYNs in ESTABLISHED (RFC 5961 §4.2)") {
    f.drive_to(Start::Established);
    f.in(syn);  // 0 ms: the first reply
    CHECK(f.fx.sent.size() == 1);
    f.now = sim::at(100ms);  // 100 ms < 500 ms after it: limited
    f.in(syn);
    CHECK(f.fx.sent.size() == 1);
    f.now = sim::at(500ms);  // 500 ms after the first reply: allowed again
    f.in(syn);
    CHECK(f.fx.sent.size() == 2);
  }
  SUBCASE("an old FIN-only segment is never limited") {
    f.drive_to(Start::Established);
    const Segment old_fin = peer(Flag::Fin | Flag::Ack, P(0) - 10, I(1));  // before RCV.NXT
    f.in(old_fin);
    f.now = sim::at(100ms);
    f.in(old_fin);
    CHECK(f.fx.sent.size() == 2);
  }
  SUBCASE("the connection's limit starts fresh after the request's SYN,ACK replies") {
    // tcp_create_openreq_child(): last_oow_ack_time = 0 in the child.
    f.drive_to(Start::SynReceivedPassive);
    f.now = sim::at(100ms);
    f.in(peer(Flag::Syn, P()));  // duplicate SYN: an immediate SYN,ACK (reference, case e)
    REQUIRE(f.fx.sent.size() == 1);
    f.now = sim::at(200ms);
    f.in(peer(Flag::Ack, P(1), I(1)));
    REQUIRE(f.ep.state() == State::Established);
    f.now = sim::at(300ms);  // 200 ms after the SYN,ACK, the first reply of the connection
    f.in(syn);
    REQUIRE(f.fx.sent.size() == 2);
    CHECK(f.fx.sent[1].segment.flags == Flags(Flag::Ack));
  }
}

TEST_CASE("TIME-WAIT: a retransmitted FIN is acknowledged and restarts 2 MSL (§3.10.7.4)") {
  // "Acknowledge it, and restart the 2 MSL timeout": the deadline moves to now + time_wait
  // (rfc6298 profile: 2 x MSL = 240 s). The peer's FIN was P+1, so the copy is <SEQ=P+1>.
  Fixture f;
  f.drive_to(Start::TimeWait);
  REQUIRE(f.ep.timer_deadline(TimerKind::TimeWait) == sim::at(240s));
  f.now = sim::at(100s);
  f.in(peer(Flag::Fin | Flag::Ack, P(1), I(2)));
  REQUIRE(f.fx.sent.size() == 1);
  CHECK(f.fx.sent[0].segment.flags == Flags(Flag::Ack));
  CHECK(f.fx.sent[0].segment.ack == P(2));
  CHECK(f.ep.state() == State::TimeWait);
  CHECK(f.ep.timer_deadline(TimerKind::TimeWait) == sim::at(100s + 240s));
  CHECK(f.fx.timers[1] == sim::at(340s));  // the adapter was told too
}

TEST_CASE("After a CLOSE in SYN-RECEIVED the ACK of SYN and FIN completes the handshake") {
  // §3.10.4: SYN-RECEIVED --CLOSE--> FIN-WAIT-1 with the SYN (ISS) and the FIN (ISS+1) both
  // outstanding. The peer's <SEQ=P+1><ACK=I+2><CTL=ACK> covers both: FIN-WAIT-2, no data
  // octet acknowledged (SYN and FIN occupy sequence space but are not data, §3.4), and the
  // handshake counts as complete.
  Fixture f;
  f.drive_to(Start::FinWait1FromSynReceived);
  SUBCASE("directly") {}
  SUBCASE("after a retransmission timeout") {
    apply(f, Call::RetransmissionTimeout);
    REQUIRE(f.fx.sent.size() == 2);  // SYN,ACK then FIN (the table row above)
    CHECK(f.ep.stats().synacks_sent == 2);
    f.fx.clear();
  }
  f.in(peer(Flag::Ack, P(1), I(2)));
  CHECK(f.ep.state() == State::FinWait2);
  CHECK(f.ep.bytes_acked() == 0);
  CHECK(f.ep.stats().reached_established);
  CHECK(f.ep.stats().outcome == Outcome::Established);
  CHECK(f.fx.notes == std::vector{Notification::Established});
  CHECK_FALSE(f.ep.timer_deadline(TimerKind::Retransmission).has_value());  // all acked (5.2)
}

TEST_CASE("FIN-WAIT-1: a FIN carrying the ACK of our FIN goes through FIN-WAIT-2 (§3.10.7.4)") {
  // Fifth step: "if the FIN segment is now acknowledged, then enter FIN-WAIT-2 and continue
  // processing in that state"; eighth, FIN-WAIT-2: "Enter the TIME-WAIT state."
  struct States final : sim::TraceSink<TcpRecord> {
    void write(const TcpRecord& r) override {
      if (r.kind == RecordKind::State) got.push_back({r.from, r.to, r.cause});
    }
    std::vector<std::tuple<State, State, Cause>> got;
  } sink;
  const sim::Trace<TcpRecord> trace{&sink};
  Fixture f;
  f.ctx.trace = &trace;
  f.drive_to(Start::FinWait1);
  sink.got.clear();
  f.in(peer(Flag::Fin | Flag::Ack, P(1), I(2)));
  const std::vector<std::tuple<State, State, Cause>> want = {
      {State::FinWait1, State::FinWait2, Cause::RcvAck},
      {State::FinWait2, State::TimeWait, Cause::RcvFin}};
  CHECK(sink.got == want);
}

TEST_CASE("A window scale above 14 is used as 14 (RFC 7323 §2.3)") {
  // "If a Window Scale option is received with a shift.cnt value larger than 14, the TCP
  // SHOULD log the error but MUST use 14 instead of the specified value."
  Fixture f;
  f.drive_to(Start::SynSent);
  Segment synack = peer(Flag::Syn | Flag::Ack, P(), I(1));
  synack.options.window_scale = 15;
  f.in(synack);
  REQUIRE(f.ep.state() == State::Established);
  CHECK(f.ep.tcb().snd_wscale == 14);
  Segment ack = peer(Flag::Ack, P(1), I(1));
  ack.window = 3;
  f.in(ack);
  CHECK(f.ep.tcb().snd_wnd == 3u << 14);  // 49152, not 3 << 15
}

TEST_CASE("Sequence numbers wrap modulo 2^32 through a handshake and data (§3.4)") {
  // Both ISNs just below 2^32: SYN at 0xfffffffe, SYN,ACK acks 0xffffffff, data crosses 0.
  RecordingEffects fx;
  const EndpointContext ctx{&rfc6298_profile(), nullptr, IsnSource{nullptr, 0xffff'fffeu},
                            NodeName("a")};
  TcpEndpoint ep(ctx, fx, 1);
  const sim::Time t0 = sim::at(0s);
  REQUIRE(ep.connect(t0, kLocal, kRemote) == UserError::Ok);
  const SeqNum peer_iss(0xffff'ffffu);
  ep.on_segment(t0, peer(Flag::Syn | Flag::Ack, peer_iss, SeqNum(0xffff'ffffu)), kRemote.host);
  REQUIRE(ep.state() == State::Established);
  CHECK(ep.tcb().rcv_nxt == SeqNum(0));  // 0xffffffff + 1
  fx.clear();
  REQUIRE(ep.send(t0, 100) == UserError::Ok);
  REQUIRE(fx.sent.size() == 1);
  CHECK(fx.sent[0].segment.seq == SeqNum(0xffff'ffffu));
  // The peer acknowledges 100 octets: 0xffffffff + 100 = 99 after the wrap.
  ep.on_segment(t0 + 10ms, peer(Flag::Ack, SeqNum(0), SeqNum(99)), kRemote.host);
  CHECK(ep.tcb().snd_una == SeqNum(99));
  CHECK(ep.bytes_acked() == 100);
  // Data from the peer at seq 0 (just after its SYN at 0xffffffff) is in order.
  ep.on_segment(t0 + 20ms, peer(Flag::Ack | Flag::Psh, SeqNum(0), SeqNum(99), 50), kRemote.host);
  CHECK(ep.bytes_received() == 50);
  CHECK(ep.tcb().rcv_nxt == SeqNum(50));
}

}  // namespace
}  // namespace synlab::tcp

namespace synlab::tcp {
namespace {

TEST_CASE("A peer MSS of 0 counts as no MSS option: 536 (RFC 9293 §3.7.1, Linux)") {
  // classic has no timestamps, so the effective send MSS is the MSS itself (§3.7.1).
  Fixture f(classic_profile());
  f.drive_to(Start::SynSent);
  Segment synack = peer(Flag::Syn | Flag::Ack, P(), I(1));
  synack.options = {};
  synack.options.mss = 0;  // Linux's tcp_parse_options() ignores it: TCP_MSS_DEFAULT stays
  f.in(synack);
  REQUIRE(f.ep.state() == State::Established);
  CHECK(f.ep.tcb().snd_mss == 536);
  CHECK(f.ep.effective_send_mss() == 536);
}

TEST_CASE("A tiny peer MSS never underflows: at least 48 bytes a segment (Linux)") {
  // rfc6298 offers timestamps; with the peer's TS option every segment carries 12 option bytes
  // (§3.7.1), so MSS 8 would leave 8 - 12 < 0. Linux clamps at tcp_min_snd_mss, 48.
  Fixture f(rfc6298_profile());
  f.drive_to(Start::SynSent);
  Segment synack = peer(Flag::Syn | Flag::Ack, P(), I(1));
  synack.options.mss = 8;
  synack.options.timestamps = Timestamps{1, 0};
  f.in(synack);
  REQUIRE(f.ep.state() == State::Established);
  REQUIRE(f.ep.tcb().ts_ok);
  CHECK(f.ep.effective_send_mss() == 48);
  f.fx.clear();
  REQUIRE(f.ep.send(f.now, 3000) == UserError::Ok);
  REQUIRE_FALSE(f.fx.sent.empty());
  for (const auto& s : f.fx.sent) CHECK(s.segment.payload_bytes <= 48);
}

}  // namespace
}  // namespace synlab::tcp
