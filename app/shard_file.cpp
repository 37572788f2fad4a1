// Shard files (see shard_file.hpp). Layout: "SYNLAB-SHARD 2\n", the header as JSON (its length
// first), then each record (its length first); the header and each record are followed by
// their SHA-256 (64 hex digits); lengths are 8-byte little-endian. A change of one byte after
// synlab wrote the file (a run's handshake time, a swept value in the scenario's text) would
// otherwise merge without a word.
#include "app/shard_file.hpp"

#include <array>
#include <charconv>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/sha256.hpp"
#include "viz/run_info.hpp"

namespace synlab::app {
namespace {

constexpr std::string_view magic = "SYNLAB-SHARD 2\n";
constexpr std::uint64_t max_header_bytes = 16 * 1024 * 1024;

void put_length(std::ostream& out, std::uint64_t n) {
  std::array<char, 8> b{};
  for (std::size_t i = 0; i < 8; ++i) b[i] = static_cast<char>((n >> (8 * i)) & 0xff);
  out.write(b.data(), 8);
}

std::optional<std::uint64_t> get_length(std::istream& in) {
  std::array<char, 8> b{};
  if (!in.read(b.data(), 8)) return std::nullopt;
  std::uint64_t n = 0;
  for (std::size_t i = 8; i-- > 0;) n = (n << 8) | static_cast<unsigned char>(b[i]);
  return n;
}

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

// A text the shard gives back byte for byte (a scenario with a Latin-1 comment, a path): a JSON
// string when it is UTF-8, which JSON strings must be, else {"hex": "..."} of its bytes.
nlohmann::json bytes_json(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();  // throws on a byte that is not UTF-8
    return text;
  } catch (const nlohmann::json::type_error&) {
    static constexpr std::string_view digits = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * text.size());
    for (const char c : text) {
      hex += digits[static_cast<unsigned char>(c) >> 4];
      hex += digits[static_cast<unsigned char>(c) & 0xf];
    }
    return nlohmann::json{{"hex", hex}};
  }
}

nlohmann::json bytes_json(const std::vector<std::string>& texts) {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& t : texts) list.push_back(bytes_json(t));
  return list;
}

// The bytes bytes_json() wrote; throws nlohmann::json's errors on anything else.
std::string bytes_of(const nlohmann::json& j) {
  if (j.is_string()) return j.get<std::string>();
  const std::string hex = j.at("hex").get<std::string>();
  if (hex.size() % 2 != 0) throw std::invalid_argument("odd hex text");
  std::string text(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned byte = 0;
    const auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, byte, 16);
    if (ec != std::errc{} || end != hex.data() + 2 * i + 2)
      throw std::invalid_argument("not hex digits");
    text[i] = static_cast<char>(byte);
  }
  return text;
}

std::vector<std::string> bytes_list(const nlohmann::json& j) {
  std::vector<std::string> texts;
  for (const nlohmann::json& item : j.get_ref<const nlohmann::json::array_t&>())
    texts.push_back(bytes_of(item));
  return texts;
}

}  // namespace

ShardSpec parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  const auto k = slash == std::string_view::npos ? std::nullopt : number(text.substr(0, slash));
  const auto n = slash == std::string_view::npos ? std::nullopt : number(text.substr(slash + 1));
  if (!k || !n) throw std::invalid_argument("expected K/N, e.g. 2/8 (shard K of N, from 1)");
  if (*n == 0) throw std::invalid_argument("N must be at least 1");
  if (*k == 0 || *k > *n)
    throw std::invalid_argument("K must be from 1 to N (" + std::to_string(*n) + ")");
  return ShardSpec{*k, *n};
}

ShardWriter::ShardWriter(std::ostream& out, const ShardHeader& h) : out_(&out) {
  nlohmann::json j{{"version", h.version},
                   {"source_revision", h.source_revision},
                   {"scenario_file", bytes_json(h.scenario_file)},
                   {"scenario_text", bytes_json(h.scenario_text)},
                   {"sets", bytes_json(h.sets)},
                   {"seed", h.seed ? nlohmann::json(*h.seed) : nlohmann::json(nullptr)},
                   {"shard", h.shard.k},
                   {"shards", h.shard.n},
                   {"runs", h.runs},
                   {"records", h.records},
                   {"command_line", bytes_json(h.command_line)}};
  const std::string text = j.dump();
  out.write(magic.data(), static_cast<std::streamsize>(magic.size()));
  put_length(out, text.size());
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  const std::string digest = sha256_hex(text);
  out.write(digest.data(), static_cast<std::streamsize>(digest.size()));
}

void ShardWriter::add(std::string_view record) {
  put_length(*out_, record.size());
  out_->write(record.data(), static_cast<std::streamsize>(record.size()));
  const std::string digest = sha256_hex(record);
  out_->write(digest.data(), static_cast<std::streamsize>(digest.size()));
}

ShardReader::ShardReader(const std::filesystem::path& path) : path_(path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path_, ec)) path_ /= shard_file_name;
  in_.open(path_, std::ios::binary);
  if (!in_)
    throw ShardError(path.string() + ": not a shard folder (no readable " +
                     std::string(shard_file_name) + "; made by synlab run --shard K/N)");
  std::string head(magic.size(), '\0');
  if (!in_.read(head.data(), static_cast<std::streamsize>(head.size())) || head != magic)
    throw ShardError(path_.string() + ": not a shard of this synlab version");
  const auto length = get_length(in_);
  if (!length || *length > max_header_bytes)
    throw ShardError(path_.string() + ": damaged (header)");
  std::string text(*length, '\0');
  std::string digest(64, '\0');
  if (!in_.read(text.data(), static_cast<std::streamsize>(text.size())) ||
      !in_.read(digest.data(), static_cast<std::streamsize>(digest.size())))
    throw ShardError(path_.string() + ": damaged (header truncated)");
  if (digest != sha256_hex(text))
    throw ShardError(path_.string() +
                     ": damaged (its header does not match its checksum: the file was changed "
                     "after synlab wrote it)");
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    header_.version = j.at("version").get<std::string>();
    header_.source_revision = j.at("source_revision").get<std::string>();
    header_.scenario_file = bytes_of(j.at("scenario_file"));
    header_.scenario_text = bytes_of(j.at("scenario_text"));
    header_.sets = bytes_list(j.at("sets"));
    if (!j.at("seed").is_null()) header_.seed = j.at("seed").get<std::uint64_t>();
    header_.shard =
        ShardSpec{j.at("shard").get<std::uint64_t>(), j.at("shards").get<std::uint64_t>()};
    header_.runs = j.at("runs").get<std::uint64_t>();
    header_.records = j.at("records").get<std::uint64_t>();
    header_.command_line = bytes_list(j.at("command_line"));
  } catch (const nlohmann::json::exception& e) {
    throw ShardError(path_.string() + ": damaged (header: " + viz::json_message(e.what()) + ")");
  } catch (const std::invalid_argument& e) {  // bytes_of()
    throw ShardError(path_.string() + ": damaged (header: " + e.what() + ")");
  }
  if (header_.shard.n == 0 || header_.shard.k == 0 || header_.shard.k > header_.shard.n)
    throw ShardError(path_.string() + ": damaged (shard number)");
}

std::string ShardReader::next() {
  const auto length = get_length(in_);
  std::string bytes;
  // Read in steps, so a damaged length cannot ask for more memory than the file holds.
  if (length) {
    constexpr std::uint64_t step = 1 << 20;
    for (std::uint64_t left = *length; left > 0 && in_;) {
      const std::uint64_t n = std::min(left, step);
      const std::size_t at = bytes.size();
      bytes.resize(at + n);
      in_.read(bytes.data() + at, static_cast<std::streamsize>(n));
      left -= n;
    }
  }
  std::string digest(64, '\0');
  if (!length || !in_ || !in_.read(digest.data(), static_cast<std::streamsize>(digest.size())))
    throw ShardError(path_.string() + ": damaged (ends before its last run)");
  ++read_;
  if (digest != sha256_hex(bytes))
    throw ShardError(path_.string() + ": damaged (its run " + std::to_string(read_) + " of " +
                     std::to_string(header_.records) +
                     " does not match its checksum: the file was changed after synlab wrote it)");
  return bytes;
}

void ShardReader::expect_end() {
  if (in_.peek() != std::ifstream::traits_type::eof())
    throw ShardError(path_.string() + ": damaged (bytes after its last run)");
}

}  // namespace synlab::app
