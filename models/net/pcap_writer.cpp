// PcapWriter (see pcap_writer.hpp): pcap_open_dead_with_tstamp_precision + pcap_dump_fopen +
// pcap_dump, with the file's errors checked before it is given its final name.
#include "models/net/pcap_writer.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

#include "models/net/libpcap.hpp"
#include "sim/assert.hpp"

namespace synlab::net {

void PcapWriter::Closer::operator()(pcap* p) const noexcept {
  library->close(p);
}
void PcapWriter::Closer::operator()(pcap_dumper* d) const noexcept {
  library->dump_close(d);  // also fclose()s the FILE
}

PcapWriter::PcapWriter(std::filesystem::path path, std::filesystem::path partial,
                       const LibPcap& library, std::unique_ptr<pcap, Closer> handle,
                       std::unique_ptr<pcap_dumper, Closer> dumper)
    : path_(std::move(path)),
      partial_(std::move(partial)),
      library_(&library),
      handle_(std::move(handle)),
      dumper_(std::move(dumper)) {}

std::variant<PcapWriter, PcapError> PcapWriter::open(const std::filesystem::path& path) {
  std::string why;
  const LibPcap* const f = libpcap(why);
  if (f == nullptr) return PcapError{path, "libpcap: " + why};
  // DLT_RAW: each packet starts with its IPv4 header; libpcap writes it as LINKTYPE_RAW.
  std::unique_ptr<pcap, Closer> handle(
      f->open_dead_with_tstamp_precision(DLT_RAW, snaplen, PCAP_TSTAMP_PRECISION_NANO), Closer{f});
  if (!handle) return PcapError{path, "libpcap: pcap_open_dead failed"};

  std::filesystem::path partial = path;
  partial += ".partial";
  // Our own FILE, so that a failure to create it reports errno's reason.
  std::FILE* file = std::fopen(partial.c_str(), "wb");
  if (file == nullptr) return PcapError{path, std::strerror(errno)};
  std::unique_ptr<pcap_dumper, Closer> dumper(f->dump_fopen(handle.get(), file), Closer{f});
  if (!dumper) {
    PcapError error{path, std::string("libpcap: ") + f->geterr(handle.get())};
    std::fclose(file);
    std::error_code ignored;
    std::filesystem::remove(partial, ignored);
    return error;
  }
  return PcapWriter(path, std::move(partial), *f, std::move(handle), std::move(dumper));
}

PcapWriter& PcapWriter::operator=(PcapWriter&& other) noexcept {
  if (this != &other) {
    abandon();
    path_ = std::move(other.path_);
    partial_ = std::move(other.partial_);
    library_ = other.library_;
    handle_ = std::move(other.handle_);
    dumper_ = std::move(other.dumper_);
    packets_ = other.packets_;
  }
  return *this;
}

PcapWriter::~PcapWriter() {
  abandon();
}

void PcapWriter::abandon() noexcept {
  if (!dumper_) return;
  dumper_.reset();
  std::error_code ignored;
  std::filesystem::remove(partial_, ignored);
}

void PcapWriter::write(sim::Time time, std::span<const std::uint8_t> bytes) {
  SYNLAB_ASSERT(dumper_ != nullptr, "PcapWriter::write after finish");
  SYNLAB_ASSERT(bytes.size() <= static_cast<std::size_t>(snaplen), "PcapWriter: packet too big");
  const std::int64_t ns = sim::to_ns(time);
  SYNLAB_ASSERT(ns >= 0, "PcapWriter: negative time");
  if (ns / 1'000'000'000 > last_second) {
    ++past_last_second_;
    return;
  }
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  // With PCAP_TSTAMP_PRECISION_NANO, libpcap reads tv_usec as nanoseconds.
  header.ts.tv_usec = static_cast<suseconds_t>(ns % 1'000'000'000);
  header.caplen = static_cast<bpf_u_int32>(bytes.size());
  header.len = header.caplen;
  // pcap_dump's first argument is its dumper, passed as u_char* (pcap(3PCAP)).
  library_->dump(reinterpret_cast<u_char*>(dumper_.get()), &header, bytes.data());
  ++packets_;
}

std::optional<PcapError> PcapWriter::finish() {
  if (!dumper_) return PcapError{path_, "already finished"};
  // pcap_dump() cannot report errors; the stream's error flag keeps them.
  const bool flushed = library_->dump_flush(dumper_.get()) == 0;
  std::FILE* const file = library_->dump_file(dumper_.get());
  if (!flushed || std::ferror(file) != 0) {
    const int saved = errno;
    abandon();
    return PcapError{path_, std::string("write failed: ") + std::strerror(saved)};
  }
  dumper_.reset();
  std::error_code ec;
  std::filesystem::rename(partial_, path_, ec);
  if (ec) {
    PcapError error{path_, "rename failed: " + ec.message()};
    std::filesystem::remove(partial_, ec);
    return error;
  }
  return std::nullopt;
}

}  // namespace synlab::net
