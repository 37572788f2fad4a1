// Ladder and time-sequence data from a hand-written trace (run_files_fixture.hpp): arrows,
// labels, drop markers, retransmissions, state labels and the compressed time axis.
#include "viz/ladder.hpp"

#include "viz/packet_event.hpp"

#include <doctest/doctest.h>

#include "viz/run_files_fixture.hpp"
#include "viz/time_sequence.hpp"
#include "viz/viz_error.hpp"

namespace viz = synlab::viz;
using viz::CsvTable;

TEST_CASE("ladder of a lost first SYN: arrows, labels, drop, retransmission") {
  const CsvTable packets = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  const CsvTable states = CsvTable::parse(viz::test::first_syn_lost_states, "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1, {2.0, 0.35});
  CHECK(l.axes == std::vector<std::string>{"client", "server"});
  REQUIRE(l.arrows.size() == 4);  // four sends

  // One unit is the median flight, 10 ms. Times 0, 1.0, 1.01, 1.02, 1.03; the 1 s gap is cut
  // to 2 units (gap_cap_units: nothing is in flight, the SYN at 0 was dropped at once). Every
  // event is at its instant's y (a receive and the send it causes alike):
  //   y(0) = 0, y(1.0) = 2, y(1.01) = 3, y(1.02) = 4, y(1.03) = 5.
  const viz::LadderArrow& lost = l.arrows[0];
  CHECK(lost.label == "SYN seq=0");
  CHECK(lost.dropped);
  CHECK(lost.drop_reason == "scripted");
  CHECK_FALSE(lost.retransmission);
  CHECK(lost.to_axis == 1);
  CHECK(lost.x_from == 0);
  CHECK(lost.x_to == 0.5);                   // halfway to the server
  CHECK(lost.y_to == doctest::Approx(0.5));  // half of the link's one-unit flight

  const viz::LadderArrow& again = l.arrows[1];
  CHECK(again.label == "SYN seq=0");
  CHECK(again.retransmission);
  CHECK_FALSE(again.dropped);
  CHECK(again.y_from == doctest::Approx(2));
  CHECK(again.y_to == doctest::Approx(3));
  CHECK(again.x_to == 1);
  CHECK(again.retransmission_cause == "timer, 1 s");  // 1.0 s after the lost SYN

  const viz::LadderArrow& synack = l.arrows[2];
  CHECK(synack.label == "SYN, ACK seq=0 ack=1");
  CHECK(synack.from_axis == 1);
  CHECK(synack.to_axis == 0);
  CHECK_FALSE(synack.retransmission);
  CHECK(synack.y_from == doctest::Approx(3));  // at 1.01, when the SYN arrived
  CHECK(synack.y_to == doctest::Approx(4));

  // The ACK leaves the client at 1.02, the instant the SYN/ACK arrives.
  const viz::LadderArrow& ack = l.arrows[3];
  CHECK(ack.label == "ACK seq=1 ack=1");
  CHECK(ack.y_from == doctest::Approx(4));
  CHECK(ack.y_to == doctest::Approx(5));
  CHECK(ack.send_time_s == doctest::Approx(1.02));
  CHECK(ack.end_time_s == doctest::Approx(1.03));

  REQUIRE(l.gaps.size() == 1);
  CHECK(l.gaps[0].y_from == 0);
  CHECK(l.gaps[0].y_to == 2);
  CHECK(l.gaps[0].skipped_s == doctest::Approx(1.0));
  CHECK(l.time_marks.size() == 5);
  CHECK(l.y_max == doctest::Approx(5));
  // connect() returned at 1.02 s, when the client entered ESTABLISHED: 1.02 s after the first SYN.
  REQUIRE(l.connect_time.has_value());
  CHECK(l.connect_time->seconds == doctest::Approx(1.02));
  CHECK(l.connect_time->y_from == 0);
  CHECK(l.connect_time->y_to == doctest::Approx(4));

  // States of connection 1, and the listener's own LISTEN (no conn) before the first packet,
  // since the server's side of connection 1 left LISTEN.
  REQUIRE(l.states.size() == 5);
  CHECK(l.states[0].axis == 1);
  CHECK(l.states[0].states == std::vector<std::string>{"LISTEN"});
  CHECK(l.states[1].axis == 0);
  CHECK(l.states[1].states == std::vector<std::string>{"SYN-SENT"});
  CHECK(l.states[2].axis == 1);
  CHECK(l.states[2].states == std::vector<std::string>{"SYN-RECEIVED"});
  CHECK(l.states[2].y == doctest::Approx(3));
  CHECK(l.states[3].y == doctest::Approx(4));  // client ESTABLISHED at 1.02
  CHECK(l.states[4].states == std::vector<std::string>{"ESTABLISHED"});
}

TEST_CASE("ladder: no LISTEN when the connection never came out of one (a closed port)") {
  // Connection 1 is refused: a listener exists on the node, on another port (no conn column).
  const CsvTable packets = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  const CsvTable states = CsvTable::parse(
      "time,node,conn,from,to,cause\n"
      "0,server,,CLOSED,LISTEN,UserListen\n"
      "0,client,1,CLOSED,SYN-SENT,UserConnect\n"
      "1.02,client,1,SYN-SENT,CLOSED,RcvRst\n",
      "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1);
  REQUIRE(l.states.size() == 2);
  CHECK(l.states[0].states == std::vector<std::string>{"SYN-SENT"});
  CHECK(l.states[1].states == std::vector<std::string>{"CLOSED"});
}

TEST_CASE("ladder: an unknown connection is an error naming the file") {
  const CsvTable packets = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  CHECK_THROWS_WITH_AS(viz::build_ladder(packets, nullptr, 7),
                       "packets.csv: no packet of connection 7", viz::VizError);
}

TEST_CASE("time-sequence series: sends, retransmission, drop, ACKs") {
  const CsvTable packets = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 1);
  CHECK(ts.sender == "client");
  CHECK(ts.receiver == "server");
  REQUIRE(ts.sent.size() == 2);  // SYN at 0, ACK at 1.02
  CHECK(ts.sent[0].time_s == 0);
  CHECK(ts.sent[1].seq == 1);
  REQUIRE(ts.retransmitted.size() == 1);
  CHECK(ts.retransmitted[0].time_s == 1.0);
  CHECK(ts.retransmitted[0].seq == 0);
  REQUIRE(ts.dropped.size() == 1);
  CHECK(ts.dropped[0].label == "SYN seq=0 (scripted)");
  REQUIRE(ts.acks.size() == 1);  // the SYN/ACK acknowledges 1
  CHECK(ts.acks[0].time_s == doctest::Approx(1.01));
  CHECK(ts.acks[0].seq == 1);
  CHECK(ts.acks_dropped.empty());
}

TEST_CASE("time-sequence series: a SYN dropped at its sender for want of a route") {
  // No link, no send before it (docs/architecture.md): the SYN left its TCP and went no further,
  // so each is a send (the second a retransmission) and a drop, a star, at once.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,drop,no-route,a,,,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,1\n"
      "1,drop,no-route,a,,,a:40000,c:80,1,SYN,7,0,0,,64240,0,60,2\n",
      "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 1);
  REQUIRE(ts.sent.size() == 1);
  CHECK(ts.sent[0].time_s == 0);
  REQUIRE(ts.retransmitted.size() == 1);
  CHECK(ts.retransmitted[0].time_s == 1);
  REQUIRE(ts.dropped.size() == 2);
  CHECK(ts.dropped[1].label == "SYN seq=0 (no-route)");
}

TEST_CASE("the same ladder and time-sequence from a file in the older flags form") {
  // synlab wrote the flags cell as Wireshark's names, quoted ("\"SYN, ACK\""), before it wrote
  // "SYN+ACK"; `synlab plot` still draws those files, and draws them alike.
  std::string older = viz::test::first_syn_lost_packets;
  for (std::size_t at = older.find(",SYN+ACK,"); at != std::string::npos;
       at = older.find(",SYN+ACK,", at))
    older.replace(at, 9, ",\"SYN, ACK\",");
  REQUIRE(older.find("\"SYN, ACK\"") != std::string::npos);
  const CsvTable states = CsvTable::parse(viz::test::first_syn_lost_states, "states.csv");
  const CsvTable now = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  const CsvTable old = CsvTable::parse(older, "packets.csv");
  const viz::Ladder a = viz::build_ladder(now, &states, 1, {2.0, 0.35});
  const viz::Ladder b = viz::build_ladder(old, &states, 1, {2.0, 0.35});
  REQUIRE(a.arrows.size() == b.arrows.size());
  for (std::size_t i = 0; i < a.arrows.size(); ++i) {
    CAPTURE(i);
    CHECK(a.arrows[i].label == b.arrows[i].label);
    CHECK(a.arrows[i].y_from == b.arrows[i].y_from);
    CHECK(a.arrows[i].y_to == b.arrows[i].y_to);
    CHECK(a.arrows[i].x_to == b.arrows[i].x_to);
    CHECK(a.arrows[i].dropped == b.arrows[i].dropped);
    CHECK(a.arrows[i].retransmission == b.arrows[i].retransmission);
    CHECK(a.arrows[i].retransmission_cause == b.arrows[i].retransmission_cause);
  }
  CHECK(b.arrows[2].label == "SYN, ACK seq=0 ack=1");  // the label keeps Wireshark's names
  const viz::TimeSequence ta = viz::build_time_sequence(now, 1);
  const viz::TimeSequence tb = viz::build_time_sequence(old, 1);
  REQUIRE(ta.acks.size() == tb.acks.size());
  for (std::size_t i = 0; i < ta.acks.size(); ++i) CHECK(ta.acks[i].label == tb.acks[i].label);
  CHECK(ta.acked.size() == tb.acked.size());
}

TEST_CASE("time-sequence series: a lost SYN/ACK is an ACK drop") {
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,send,,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,2\n"
      "0.01,drop,loss,server,wan,reverse,server:80,client:1,1,\"SYN, "
      "ACK\",500,101,0,1,65160,0,60,2\n",
      "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 1);
  CHECK(ts.sent.size() == 1);
  REQUIRE(ts.acks.size() == 1);
  REQUIRE(ts.acks_dropped.size() == 1);
  CHECK(ts.acks_dropped[0].seq == 1);
  CHECK(ts.acks_dropped[0].label == "SYN, ACK seq=0 ack=1 (loss)");
}

TEST_CASE("time-sequence series: a data segment covers seq up to seq + len") {
  // The older column name `len` (packets.csv before payload_bytes) still reads.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "2,send,,client,wan,forward,client:1,server:80,1,PSH+ACK,101,501,1,1,502,100,152,5\n"
      "3,send,,client,wan,forward,client:1,server:80,1,PSH+ACK,101,501,1,1,502,100,152,6\n",
      "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 1);
  REQUIRE(ts.sent.size() == 1);
  CHECK(ts.sent[0].seq == 1);
  CHECK(ts.sent[0].len == 100);
  CHECK(ts.sent[0].label == "PSH, ACK seq=1 ack=1 len=100");
  REQUIRE(ts.retransmitted.size() == 1);   // the same bytes again
  CHECK(ts.retransmitted[0].time_s == 1);  // at 3 s, 1 s after the first packet (2 s)
}

TEST_CASE("time-sequence: acknowledged so far rises when an ACK arrives, never on a lost one") {
  // The fixture's SYN/ACK leaves the server at 1.01 and reaches the client at 1.02.
  const CsvTable packets = CsvTable::parse(viz::test::first_syn_lost_packets, "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 1);
  REQUIRE(ts.acked.size() == 1);
  CHECK(ts.acked[0].time_s == doctest::Approx(1.02));
  CHECK(ts.acked[0].seq == 1);
  // A SYN/ACK lost on the way acknowledges nothing; its retransmission, arriving at 1.02, does.
  const CsvTable lost = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,send,,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,2\n"
      "0.01,drop,loss,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,"
      "60,2\n"
      "1.01,send,,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,3\n"
      "1.02,recv,,client,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,3\n",
      "packets.csv");
  const viz::TimeSequence l = viz::build_time_sequence(lost, 1);
  CHECK(l.acks.size() == 2);  // both sent
  REQUIRE(l.acked.size() == 1);
  CHECK(l.acked[0].time_s == doctest::Approx(1.02));
}

TEST_CASE("time-sequence: times count from the connection's first packet") {
  // Connection 2 opens at 150 s: its SYN is at 0 on the graph, its SYN/ACK 20 ms later.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "150,send,,client,wan,forward,client:2,server:80,2,SYN,100,0,0,,64240,0,60,9\n"
      "150.01,recv,,server,wan,forward,client:2,server:80,2,SYN,100,0,0,,64240,0,60,9\n"
      "150.01,send,,server,wan,reverse,server:80,client:2,2,\"SYN, ACK\",500,101,0,1,65160,0,60,"
      "10\n"
      "150.02,recv,,client,wan,reverse,server:80,client:2,2,\"SYN, ACK\",500,101,0,1,65160,0,60,"
      "10\n",
      "packets.csv");
  const viz::TimeSequence ts = viz::build_time_sequence(packets, 2);
  CHECK(ts.start_s == 150);
  REQUIRE(ts.sent.size() == 1);
  CHECK(ts.sent[0].time_s == 0);
  REQUIRE(ts.acks.size() == 1);
  CHECK(ts.acks[0].time_s == doctest::Approx(0.01));
  REQUIRE(ts.acked.size() == 1);
  CHECK(ts.acked[0].time_s == doctest::Approx(0.02));
}

TEST_CASE("ladder of a simultaneous open: both ends' SYNs, SYN/ACKs and states") {
  // RFC 9293 Figure 8: alice and bob each send a SYN at 0 (10 ms one way), each answers the
  // other's SYN with a SYN/ACK at 10 ms. Each side's segments carry its own connection number.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,alice,wan,forward,alice:5000,bob:6000,1,SYN,100,0,0,,64240,0,60,1\n"
      "0,send,,bob,wan,reverse,bob:6000,alice:5000,2,SYN,300,0,0,,64240,0,60,2\n"
      "0.01,recv,,bob,wan,forward,alice:5000,bob:6000,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,send,,bob,wan,reverse,bob:6000,alice:5000,2,SYN+ACK,300,101,0,1,64240,0,60,3\n"
      "0.01,recv,,alice,wan,reverse,bob:6000,alice:5000,2,SYN,300,0,0,,64240,0,60,2\n"
      "0.01,send,,alice,wan,forward,alice:5000,bob:6000,1,SYN+ACK,100,301,0,1,64240,0,60,4\n"
      "0.02,recv,,alice,wan,reverse,bob:6000,alice:5000,2,SYN+ACK,300,101,0,1,64240,0,60,3\n"
      "0.02,recv,,bob,wan,forward,alice:5000,bob:6000,1,SYN+ACK,100,301,0,1,64240,0,60,4\n",
      "packets.csv");
  const CsvTable states = CsvTable::parse(
      "time,node,conn,from,to,cause\n"
      "0,alice,1,CLOSED,SYN-SENT,UserConnect\n"
      "0,bob,2,CLOSED,SYN-SENT,UserConnect\n"
      "0.01,bob,2,SYN-SENT,SYN-RECEIVED,RcvSyn\n"
      "0.01,alice,1,SYN-SENT,SYN-RECEIVED,RcvSyn\n"
      "0.02,alice,1,SYN-RECEIVED,ESTABLISHED,RcvAck\n"
      "0.02,bob,2,SYN-RECEIVED,ESTABLISHED,RcvAck\n",
      "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1);
  CHECK(l.axes == std::vector<std::string>{"alice", "bob"});
  REQUIRE(l.arrows.size() == 4);  // two SYNs and two SYN/ACKs
  int syns_from_bob = 0;
  int synacks_from_bob = 0;
  for (const viz::LadderArrow& a : l.arrows) {
    CHECK_FALSE(a.dropped);
    // A SYN,ACK repeats the SYN's sequence number but is a new segment, not the SYN again.
    CHECK_FALSE(a.retransmission);
    if (a.from_axis == 1 && a.label == "SYN seq=0") ++syns_from_bob;
    if (a.from_axis == 1 && a.label == "SYN, ACK seq=0 ack=1") ++synacks_from_bob;
  }
  CHECK(syns_from_bob == 1);
  CHECK(synacks_from_bob == 1);
  // Both SYNs leave at 0, the same y; both SYN/ACKs at 10 ms, one unit down.
  CHECK(l.arrows[0].y_from == 0);
  CHECK(l.arrows[1].y_from == 0);
  CHECK(l.arrows[2].y_from == doctest::Approx(1));
  CHECK(l.arrows[3].y_from == doctest::Approx(1));
  REQUIRE(l.states.size() == 6);  // SYN-SENT, SYN-RECEIVED, ESTABLISHED at each end
  int bob_states = 0;
  for (const auto& st : l.states) bob_states += st.axis == 1 ? 1 : 0;
  CHECK(bob_states == 3);
  // From bob's side the same picture, bob first.
  CHECK(viz::build_ladder(packets, &states, 2).axes == std::vector<std::string>{"bob", "alice"});
}

TEST_CASE("ladder: a SYN/ACK sent again in reply to a retransmitted SYN says so") {
  // The first SYN/ACK is lost; the client's timer resends the SYN at 1 s, which reaches the
  // server at 1.01, and the server answers it at once (docs/linux-reference.md, case d).
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,send,,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,2\n"
      "0.01,drop,loss,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,"
      "60,2\n"
      "1,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,3\n"
      "1.01,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,3\n"
      "1.01,send,,server,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,4\n"
      "1.02,recv,,client,wan,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,65160,0,60,4\n",
      "packets.csv");
  const viz::Ladder l = viz::build_ladder(packets, nullptr, 1);
  REQUIRE(l.arrows.size() == 4);
  CHECK(l.arrows[2].retransmission_cause == "timer, 1 s");  // the SYN, 1 s after the first
  CHECK(l.arrows[3].retransmission_cause == "reply to the retransmitted SYN");
  CHECK_FALSE(l.connect_time.has_value());  // no states.csv
}

TEST_CASE(
    "ladder: a timer's SYN/ACK sent just before the retransmitted SYN arrives is the timer's") {
  // rfc6298 over 25 ms: the first SYN/ACK (0.025 s) is lost; the server's timer resends it at
  // 1.025 s, the instant the client's second SYN (sent at 1 s) arrives. The run writes the
  // timer's send first, then the SYN's arrival, which RFC 9293 §3.10.7.4 answers with an ACK:
  // the SYN/ACK is the timer's (1 s after the first), not a reply to a SYN not yet received.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.025,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.025,send,,server,wan,reverse,server:80,client:1,1,SYN+ACK,500,101,0,1,65535,0,60,2\n"
      "0.025,drop,scripted,server,wan,reverse,server:80,client:1,1,SYN+ACK,500,101,0,1,65535,0,"
      "60,2\n"
      "1,send,,client,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,3\n"
      "1.025,send,,server,wan,reverse,server:80,client:1,1,SYN+ACK,500,101,0,1,65535,0,60,4\n"
      "1.025,recv,,server,wan,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,3\n"
      "1.025,send,,server,wan,reverse,server:80,client:1,1,ACK,501,101,1,1,65535,0,52,5\n"
      "1.05,recv,,client,wan,reverse,server:80,client:1,1,SYN+ACK,500,101,0,1,65535,0,60,4\n"
      "1.05,recv,,client,wan,reverse,server:80,client:1,1,ACK,501,101,1,1,65535,0,52,5\n",
      "packets.csv");
  const viz::Ladder l = viz::build_ladder(packets, nullptr, 1);
  REQUIRE(l.arrows.size() == 5);
  CHECK(l.arrows[2].retransmission_cause == "timer, 1 s");  // the client's SYN
  CHECK(l.arrows[3].retransmission_cause == "timer, 1 s");  // the server's SYN/ACK
}

TEST_CASE("ladder: a new request's first SYN/ACK is no retransmission of the old one's") {
  // Lab 10: bob's first request (ISN 500, answering alice's ISN 90) is reset; alice's next SYN
  // (ISN 100) makes a new one with ISN 900. Relative numbers are 0 and 1 in both, the raw ones
  // differ: the second SYN/ACK is that request's first. A true retransmission repeats both.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,bob,wan,reverse,bob:80,alice:1,1,SYN+ACK,500,91,0,1,65535,0,60,1\n"
      "0.01,recv,,alice,wan,reverse,bob:80,alice:1,1,SYN+ACK,500,91,0,1,65535,0,60,1\n"
      "1,send,,bob,wan,reverse,bob:80,alice:1,1,SYN+ACK,900,101,0,1,65535,0,60,2\n"
      "1.01,recv,,alice,wan,reverse,bob:80,alice:1,1,SYN+ACK,900,101,0,1,65535,0,60,2\n"
      "2,send,,bob,wan,reverse,bob:80,alice:1,1,SYN+ACK,900,101,0,1,65535,0,60,3\n"
      "2.01,recv,,alice,wan,reverse,bob:80,alice:1,1,SYN+ACK,900,101,0,1,65535,0,60,3\n",
      "packets.csv");
  const auto events = viz::read_packet_events(packets, std::uint64_t{1});
  REQUIRE(events.size() == 6);
  CHECK_FALSE(events[0].retransmission);
  CHECK_FALSE(events[2].retransmission);  // ISN 900: a new request's first
  CHECK(events[4].retransmission);        // 900 again, acknowledging 101 again
}

TEST_CASE("ladder: a long propagation delay is never cut short") {
  // A 10 ms access hop and a 1 s satellite hop. Flights: 0.01, 1, 1, 0.01, 0.01 s, so one unit
  // (the median) is 10 ms. The satellite hops span gaps of 100 units: they stay 100 units long
  // (cut to gap_cap_units = 2 they would look as short as the access hop); the idle second after
  // the handshake, with nothing in flight, is cut to 2.
  const CsvTable packets = CsvTable::parse(
      "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
      "payload_bytes,size_bytes,packet_id\n"
      "0,send,,client,access,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,recv,,router,access,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "0.01,send,,router,sat,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "1.01,recv,,server,sat,forward,client:1,server:80,1,SYN,100,0,0,,64240,0,60,1\n"
      "1.01,send,,server,sat,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,0,0,60,2\n"
      "2.01,recv,,router,sat,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,0,0,60,2\n"
      "2.01,send,,router,access,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,0,0,60,2\n"
      "2.02,recv,,client,access,reverse,server:80,client:1,1,\"SYN, ACK\",500,101,0,1,0,0,60,2\n"
      "2.02,send,,client,access,forward,client:1,server:80,1,ACK,101,501,1,1,0,0,52,3\n"
      "2.03,recv,,router,access,forward,client:1,server:80,1,ACK,101,501,1,1,0,0,52,3\n"
      "3.03,send,,router,access,forward,client:1,server:80,1,FIN,101,501,1,1,0,0,52,4\n"
      "3.03,drop,loss,router,access,forward,client:1,server:80,1,FIN,101,501,1,1,0,0,52,4\n",
      "packets.csv");
  const viz::Ladder l = viz::build_ladder(packets, nullptr, 1, {2.0, 0.35});
  REQUIRE(l.arrows.size() == 6);
  CHECK(l.arrows[1].y_to - l.arrows[1].y_from == doctest::Approx(100));  // the SYN over sat
  CHECK(l.arrows[2].y_to - l.arrows[2].y_from == doctest::Approx(100));  // the SYN/ACK back
  CHECK(l.arrows[0].y_to - l.arrows[0].y_from == doctest::Approx(1));    // access: one unit
  REQUIRE(l.gaps.size() == 1);  // 2.03 to 3.03, nothing in flight
  CHECK(l.gaps[0].skipped_s == doctest::Approx(1.0));
}

TEST_CASE("an injected segment is labelled so, and a sequence distance below the ISN is negative") {
  // A crafted RST the scenario sent from the client at 2 s (packets.csv's reason "injected" on
  // its send and recv rows), its rel_seq 4294967295 = 2^32 - 1, i.e. one below the client's ISN
  // (RFC 9293 §3.4: sequence numbers are modulo 2^32): the label says -1.
  const std::string packets = std::string(viz::test::first_syn_lost_packets) +
                              "2.000000000,send,injected,client,wan,forward,client:40000,server:80,"
                              "1,RST,99,0,4294967295,,0,0,40,5,,,,,\n"
                              "2.010000000,recv,injected,server,wan,forward,client:40000,server:80,"
                              "1,RST,99,0,4294967295,,0,0,40,5,,,,,\n";
  const CsvTable table = CsvTable::parse(packets, "packets.csv");
  const viz::Ladder ladder = viz::build_ladder(table, nullptr, 1);
  REQUIRE(!ladder.arrows.empty());
  const viz::LadderArrow& rst = ladder.arrows.back();
  CHECK(rst.injected);
  CHECK(rst.label == "RST seq=-1 (injected)");
  CHECK_FALSE(ladder.arrows.front().injected);
}
