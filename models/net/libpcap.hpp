// LibPcap: the libpcap functions PcapWriter calls, found when a pcap file is first written.
// libpcap and the libraries it brings (D-Bus, systemd, gcrypt, three compressors) took about
// 1.5 ms of every start of synlab, while only runs that capture packets write pcap files. So
// synlab does not link it: the first writer opens it (dlopen of the SONAME the build linked
// against, SYNLAB_LIBPCAP) and looks its functions up, each with the type <pcap/pcap.h> declares.
// Only pcap_writer.cpp and libpcap.cpp include this header (and so <pcap/pcap.h>).
#pragma once

#include <pcap/pcap.h>

#include <string>

namespace synlab::net {

struct LibPcap {
  decltype(&::pcap_open_dead_with_tstamp_precision) open_dead_with_tstamp_precision;
  decltype(&::pcap_close) close;
  decltype(&::pcap_geterr) geterr;
  decltype(&::pcap_dump_fopen) dump_fopen;
  decltype(&::pcap_dump) dump;
  decltype(&::pcap_dump_flush) dump_flush;
  decltype(&::pcap_dump_file) dump_file;
  decltype(&::pcap_dump_close) dump_close;
};

// libpcap's functions, loaded at the first call and kept for the rest of the process; nullptr
// when libpcap cannot be loaded or lacks one of them, and why in `why` ("libpcap.so.0.8: cannot
// open shared object file: ..."). A failure is tried again at the next call.
const LibPcap* libpcap(std::string& why);

}  // namespace synlab::net
