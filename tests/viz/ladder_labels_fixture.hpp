// Run files for the label placement tests (ladder_labels_test.cpp), copied from two runs of the
// shipped scenarios as inputs (the expected values are geometric, not these files' contents):
// - scenarios/synack-lost.yaml: the server sends two SYN/ACKs at 1.010 s, one on its timer and
//   one replying to the retransmitted SYN (docs/linux-reference.md case d);
// - scenarios/labs/06-timer-slack-hz250.yaml, connection 1: the client's SYN and the server's
//   SYN/ACK retransmissions leave at one instant (1.028962 s, shared ticks) and both are lost.
#pragma once

namespace synlab::viz::test {

inline constexpr const char* synack_lost_packets =
    R"csv(time,event,reason,node,link,direction,from,to,src,src_port,dst,dst_port,conn,flags,seq,ack,rel_seq,rel_ack,window,payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,tsval,tsecr
0.000000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,348051733,0,0,,64240,0,60,1,1460,10,1,2146643578,0
0.010000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,348051733,0,0,,64240,0,60,1,1460,10,1,2146643578,0
0.010000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,2,1460,10,1,1783550894,2146643578
0.010000000,drop,scripted,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,2,1460,10,1,1783550894,2146643578
1.000000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,348051733,0,0,,64240,0,60,3,1460,10,1,2146644578,0
1.010000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,4,1460,10,1,1783551894,2146643578
1.010000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,348051733,0,0,,64240,0,60,3,1460,10,1,2146644578,0
1.010000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,5,1460,10,1,1783551894,2146643578
1.020000000,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,4,1460,10,1,1783551894,2146643578
1.020000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051734,2330562104,1,1,63,0,52,6,,,0,2146644598,1783551894
1.020000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,"FIN, ACK",348051734,2330562104,1,1,63,0,52,7,,,0,2146644598,1783551894
1.020000000,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",2330562103,348051734,0,1,65160,0,60,5,1460,10,1,1783551894,2146643578
1.020000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051735,2330562104,2,1,63,0,52,8,,,0,2146644598,1783551894
1.030000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051734,2330562104,1,1,63,0,52,6,,,0,2146644598,1783551894
1.030000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,"FIN, ACK",348051734,2330562104,1,1,63,0,52,7,,,0,2146644598,1783551894
1.030000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,ACK,2330562104,348051735,1,2,64,0,52,9,,,0,1783551914,2146644598
1.030000000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"FIN, ACK",2330562104,348051735,1,2,64,0,52,10,,,0,1783551914,2146644598
1.030000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051735,2330562104,2,1,63,0,52,8,,,0,2146644598,1783551894
1.040000000,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,ACK,2330562104,348051735,1,2,64,0,52,9,,,0,1783551914,2146644598
1.040000000,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"FIN, ACK",2330562104,348051735,1,2,64,0,52,10,,,0,1783551914,2146644598
1.040000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051735,2330562105,2,2,63,0,52,11,,,0,2146644618,1783551914
1.050000000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,348051735,2330562105,2,2,63,0,52,11,,,0,2146644618,1783551914
)csv";

inline constexpr const char* synack_lost_states = R"csv(time,node,conn,from,to,cause
0.000000000,server,,CLOSED,LISTEN,UserListen
0.000000000,client,1,CLOSED,SYN-SENT,UserConnect
0.010000000,server,1,LISTEN,SYN-RECEIVED,RcvSyn
1.020000000,client,1,SYN-SENT,ESTABLISHED,RcvSynAck
1.020000000,client,1,ESTABLISHED,FIN-WAIT-1,UserClose
1.030000000,server,1,SYN-RECEIVED,ESTABLISHED,RcvAck
1.030000000,server,1,ESTABLISHED,CLOSE-WAIT,RcvFin
1.030000000,server,1,CLOSE-WAIT,LAST-ACK,UserClose
1.040000000,client,1,FIN-WAIT-1,FIN-WAIT-2,RcvAck
1.040000000,client,1,FIN-WAIT-2,TIME-WAIT,RcvFin
1.050000000,server,1,LAST-ACK,CLOSED,RcvAck
61.040000000,client,1,TIME-WAIT,CLOSED,TimeWaitTimeout
)csv";

inline constexpr const char* lab6_conn1_packets =
    R"csv(time,event,reason,node,link,direction,from,to,src,src_port,dst,dst_port,conn,flags,seq,ack,rel_seq,rel_ack,window,payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,tsval,tsecr
0.000000000,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,1,1460,10,1,47835489,0
0.000020000,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,1,1460,10,1,47835489,0
0.000020000,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,2,1460,10,1,2686713929,47835489
0.000020000,drop,loss,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,2,1460,10,1,2686713929,47835489
1.028961831,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,3,1460,10,1,47836517,0
1.028961831,drop,loss,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,3,1460,10,1,47836517,0
1.028961831,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,4,1460,10,1,2686714957,47835489
1.028961831,drop,loss,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,4,1460,10,1,2686714957,47835489
2.052961831,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,5,1460,10,1,47837541,0
2.052961831,drop,loss,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,SYN,2722279861,0,0,,64240,0,60,5,1460,10,1,47837541,0
3.044961831,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,6,1460,10,1,2686716973,47835489
3.044981831,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"SYN, ACK",692513151,2722279862,0,1,65160,0,60,6,1460,10,1,2686716973,47835489
3.044981831,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,2722279862,692513152,1,1,63,0,52,7,,,0,47838533,2686716973
3.044981831,drop,loss,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,2722279862,692513152,1,1,63,0,52,7,,,0,47838533,2686716973
3.044981831,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,"FIN, ACK",2722279862,692513152,1,1,63,0,52,8,,,0,47838533,2686716973
3.045001831,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,"FIN, ACK",2722279862,692513152,1,1,63,0,52,8,,,0,47838533,2686716973
3.045001831,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,ACK,692513152,2722279863,1,2,64,0,52,9,,,0,2686716974,47838533
3.045001831,send,,server,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"FIN, ACK",692513152,2722279863,1,2,64,0,52,10,,,0,2686716974,47838533
3.045021831,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,ACK,692513152,2722279863,1,2,64,0,52,9,,,0,2686716974,47838533
3.045021831,recv,,client,wan,reverse,server:80,client:40000,10.0.0.2,80,10.0.0.1,40000,1,"FIN, ACK",692513152,2722279863,1,2,64,0,52,10,,,0,2686716974,47838533
3.045021831,send,,client,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,2722279863,692513153,2,2,63,0,52,11,,,0,47838534,2686716974
3.045041831,recv,,server,wan,forward,client:40000,server:80,10.0.0.1,40000,10.0.0.2,80,1,ACK,2722279863,692513153,2,2,63,0,52,11,,,0,47838534,2686716974
)csv";

inline constexpr const char* lab6_conn1_states = R"csv(time,node,conn,from,to,cause
0.000000000,server,,CLOSED,LISTEN,UserListen
0.000000000,client,1,CLOSED,SYN-SENT,UserConnect
0.000020000,server,1,LISTEN,SYN-RECEIVED,RcvSyn
3.044981831,client,1,SYN-SENT,ESTABLISHED,RcvSynAck
3.044981831,client,1,ESTABLISHED,FIN-WAIT-1,UserClose
3.045001831,server,1,SYN-RECEIVED,ESTABLISHED,RcvAck
3.045001831,server,1,ESTABLISHED,CLOSE-WAIT,RcvFin
3.045001831,server,1,CLOSE-WAIT,LAST-ACK,UserClose
3.045021831,client,1,FIN-WAIT-1,FIN-WAIT-2,RcvAck
3.045021831,client,1,FIN-WAIT-2,TIME-WAIT,RcvFin
3.045041831,server,1,LAST-ACK,CLOSED,RcvAck
64.484961831,client,1,TIME-WAIT,CLOSED,TimeWaitTimeout
)csv";

}  // namespace synlab::viz::test
