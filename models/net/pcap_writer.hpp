// PcapWriter: one pcap file written with libpcap — link type raw IPv4 (LINKTYPE_RAW, 101),
// nanosecond timestamps (magic 0xa1b23c4d). Bytes come from the WireCodec. libpcap is loaded by
// the first writer opened (libpcap.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "sim/time.hpp"

// libpcap's handles, declared here so that only pcap_writer.cpp and libpcap.cpp include
// <pcap/pcap.h>.
struct pcap;
struct pcap_dumper;

namespace synlab::net {

struct LibPcap;

// A file that could not be written: which one, and why (the C library's or libpcap's words).
struct PcapError {
  std::filesystem::path path;
  std::string reason;
  std::string message() const { return path.string() + ": " + reason; }
};

class PcapWriter {
 public:
  // The largest packet an IPv4 Total Length allows: nothing is ever cut.
  static constexpr int snaplen = 65535;

  // Creates `path` + ".partial" (the directory must exist) and writes the pcap file header.
  // The file takes the name `path` only when finish() succeeds, so a run that fails or
  // stops early never leaves a half-written file under the name of a complete one. An error
  // too when libpcap cannot be loaded (its reason: "libpcap: " and the loader's words).
  [[nodiscard]] static std::variant<PcapWriter, PcapError> open(const std::filesystem::path& path);

  PcapWriter(PcapWriter&&) noexcept = default;
  // An unfinished file held here before is abandoned, as by the destructor.
  PcapWriter& operator=(PcapWriter&& other) noexcept;
  // Unfinished: closes and removes the partial file.
  ~PcapWriter();

  // The last second a pcap record's 32-bit seconds field holds: 2^32 - 1 s after the epoch
  // (2106-02-07T06:28:15Z). Simulated time goes on to about 292 years.
  static constexpr std::int64_t last_second = 4'294'967'295;

  // One packet at simulated `time`, which becomes the record's timestamp: seconds and
  // nanoseconds since the Unix epoch, so time 0 is 1970-01-01T00:00:00Z and Wireshark's
  // "seconds since epoch" is the simulated time, to the nanosecond. A packet after
  // last_second is not written (its seconds would wrap and go back in time), only counted.
  void write(sim::Time time, std::span<const std::uint8_t> bytes);

  // Flushes, checks that every write reached the file, closes it and renames it to `path`.
  // On error the partial file is removed. The writer takes no more packets afterwards.
  [[nodiscard]] std::optional<PcapError> finish();

  const std::filesystem::path& path() const noexcept { return path_; }
  std::uint64_t packets() const noexcept { return packets_; }
  // The packets write() left out: after last_second.
  std::uint64_t past_last_second() const noexcept { return past_last_second_; }

 private:
  struct Closer {
    const LibPcap* library = nullptr;
    void operator()(pcap* p) const noexcept;
    void operator()(pcap_dumper* d) const noexcept;
  };
  PcapWriter(std::filesystem::path path, std::filesystem::path partial, const LibPcap& library,
             std::unique_ptr<pcap, Closer> handle, std::unique_ptr<pcap_dumper, Closer> dumper);
  void abandon() noexcept;

  std::filesystem::path path_;
  std::filesystem::path partial_;
  const LibPcap* library_;
  std::unique_ptr<pcap, Closer> handle_;         // a "dead" pcap_t: link type and precision
  std::unique_ptr<pcap_dumper, Closer> dumper_;  // the open file; null once finished
  std::uint64_t packets_ = 0;
  std::uint64_t past_last_second_ = 0;
};

}  // namespace synlab::net
