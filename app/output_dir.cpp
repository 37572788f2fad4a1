// OutputDir (see output_dir.hpp).
#include "app/output_dir.hpp"

#include "app/interrupt_cleanup.hpp"

#include <fcntl.h>  // AT_FDCWD
#include <unistd.h>

#include <cerrno>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc 2.28)
#include <cstring>
#include <system_error>

#include <nlohmann/json.hpp>

namespace synlab::app {
namespace fs = std::filesystem;

namespace {
std::string why(const std::error_code& ec) {
  return ec.message();
}

// An output of a synlab from before the marker: its summary.json names synlab, and it holds
// nothing but plain files of the names synlab writes (a folder of the user's never qualifies).
bool older_synlab_output(const fs::path& dir) {
  std::error_code ec;
  const auto size = fs::file_size(dir / "summary.json", ec);
  if (ec || size > 64 * 1024 * 1024) return false;
  std::ifstream summary(dir / "summary.json");
  const nlohmann::json j = nlohmann::json::parse(summary, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("synlab") || !j["synlab"].is_object() ||
      !j["synlab"].contains("version"))
    return false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file(ec)) return false;
    const std::string name = entry.path().filename().string();
    const std::string ext = entry.path().extension().string();
    const bool ours = name == "summary.json" || name == "connections.csv" ||
                      name == "packets.csv" || name == "states.csv" || name == "sweep.csv" ||
                      ext == ".png" || ext == ".svg" ||
                      (ext == ".pcap" && (name.starts_with("link-") || name.starts_with("node-")));
    if (!ours) return false;
  }
  return !ec;
}
}  // namespace

OutputDir::OutputDir(fs::path target) : target_(std::move(target).lexically_normal()) {
  // "out/" names the folder out: without this its staging directory would land inside it.
  if (!target_.has_filename() && target_.has_parent_path()) target_ = target_.parent_path();
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec))
      throw OutputRefused("output directory " + target_.string() +
                          ": exists and is not a directory");
    if (!fs::is_empty(target_, ec) && !fs::exists(target_ / marker_name, ec) &&
        !older_synlab_output(target_))
      throw OutputRefused("output directory " + target_.string() +
                          ": exists, is not empty and holds no " + std::string(marker_name) +
                          " (the file synlab writes in its outputs), so it is not a synlab output "
                          "and is left as it is; choose another with -o, or remove it");
  }
  const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec)
    throw OutputError("output directory " + target_.string() + ": cannot create " +
                      parent.string() + ": " + why(ec));
  // Built with append: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string staging_name = ".";
  staging_name.append(target_.filename().string())
      .append(".partial-")
      .append(std::to_string(::getpid()));
  staging_ = parent / staging_name;
  remove_stale_staging(parent, target_.filename().string());
  fs::remove_all(staging_, ec);
  fs::create_directory(staging_, ec);
  if (ec)
    throw OutputError("output directory " + target_.string() + ": cannot write in " +
                      parent.string() + ": " + why(ec));
  // The marker that proves a folder is ours (and may be replaced by a later run).
  std::ofstream marker(staging_ / marker_name);
  marker << "synlab output: a later `synlab run -o` may replace this folder\n";
  if (!marker)
    throw OutputError("output directory " + target_.string() + ": cannot write in " +
                      parent.string());
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

std::ofstream OutputDir::open(const std::string& name) const {
  std::ofstream out(staging_ / name, std::ios::binary);
  if (!out) throw OutputError("cannot write " + (target_ / name).string());
  return out;
}

std::string OutputDir::replace_path(std::string message, const fs::path& from, const fs::path& to) {
  const std::string hidden = from.string();
  const std::string shown = to.string();
  if (hidden.empty()) return message;
  for (std::size_t at = 0; (at = message.find(hidden, at)) != std::string::npos; at += shown.size())
    message.replace(at, hidden.size(), shown);
  return message;
}

void OutputDir::check(const std::ofstream& out, const std::string& name) const {
  if (!out) throw OutputError("writing " + (target_ / name).string() + " failed (disk full?)");
}

void OutputDir::commit() {
  const SignalsHeld held;  // an interrupt between two renames would lose the old output
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    // One atomic step: OUTDIR becomes the new output, the staging path the old one.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      fs::remove_all(staging_, ec);  // now the old output
      return;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
      throw OutputError("cannot replace " + target_.string() + ": " + std::strerror(errno));
  }
  fs::path old;  // where the file system cannot exchange: the old output renamed aside first
  if (fs::exists(target_, ec)) {
    old = target_.string() + ".old-" + std::to_string(::getpid());
    fs::rename(target_, old, ec);
    if (ec) throw OutputError("cannot replace " + target_.string() + ": " + why(ec));
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, target_, ec);
    throw OutputError("cannot move the output into " + target_.string() + ": " + why(ec));
  }
  committed_ = true;
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace synlab::app
