// Run output files written by hand for the viz tests: connection 1's first SYN is dropped
// (scripted) and retransmitted 1 s later; link delay 10 ms each way (docs/running.md columns,
// without src..dst_port, which the plots do not read; flags joined by "+" as synlab writes them).
#pragma once

namespace synlab::viz::test {

inline constexpr const char* first_syn_lost_packets =
    "time,event,reason,node,link,direction,from,to,conn,flags,seq,ack,rel_seq,rel_ack,window,"
    "payload_bytes,size_bytes,packet_id,mss,wscale,sack_permitted,tsval,tsecr\n"
    "0.000000000,send,,client,wan,forward,client:40000,server:80,1,SYN,100,0,0,,64240,0,60,1,"
    "1460,,,,\n"
    "0.000000000,drop,scripted,client,wan,forward,client:40000,server:80,1,SYN,100,0,0,,64240,0,"
    "60,1,1460,,,,\n"
    "1.000000000,send,,client,wan,forward,client:40000,server:80,1,SYN,100,0,0,,64240,0,60,2,"
    "1460,,,,\n"
    "1.010000000,recv,,server,wan,forward,client:40000,server:80,1,SYN,100,0,0,,64240,0,60,2,"
    "1460,,,,\n"
    "1.010000000,send,,server,wan,reverse,server:80,client:40000,1,SYN+ACK,500,101,0,1,"
    "65160,0,60,3,1460,,,,\n"
    "1.020000000,recv,,client,wan,reverse,server:80,client:40000,1,SYN+ACK,500,101,0,1,"
    "65160,0,60,3,1460,,,,\n"
    "1.020000000,send,,client,wan,forward,client:40000,server:80,1,ACK,101,501,1,1,63,0,52,4,"
    ",,,,\n"
    "1.030000000,recv,,server,wan,forward,client:40000,server:80,1,ACK,101,501,1,1,63,0,52,4,"
    ",,,,\n";

inline constexpr const char* first_syn_lost_states =
    "time,node,conn,from,to,cause\n"
    "0.000000000,server,,CLOSED,LISTEN,UserListen\n"
    "0.000000000,client,1,CLOSED,SYN-SENT,UserConnect\n"
    "1.010000000,server,1,LISTEN,SYN-RECEIVED,RcvSyn\n"
    "1.020000000,client,1,SYN-SENT,ESTABLISHED,RcvSynAck\n"
    "1.030000000,server,1,SYN-RECEIVED,ESTABLISHED,RcvAck\n";

}  // namespace synlab::viz::test
