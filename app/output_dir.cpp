// OutputDir (see output_dir.hpp).
#include "app/output_dir.hpp"

#include "app/interrupt_cleanup.hpp"

#include <unistd.h>

#include <system_error>

namespace synlab::app {
namespace fs = std::filesystem;

namespace {
std::string why(const std::error_code& ec) {
  return ec.message();
}
}  // namespace

OutputDir::OutputDir(fs::path target) : target_(std::move(target).lexically_normal()) {
  // "out/" names the folder out: without this its staging directory would land inside it.
  if (!target_.has_filename() && target_.has_parent_path()) target_ = target_.parent_path();
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec))
      throw OutputError("output directory " + target_.string() + ": exists and is not a directory");
    if (!fs::is_empty(target_, ec) && !fs::exists(target_ / "summary.json", ec))
      throw OutputError("output directory " + target_.string() +
                        ": exists, is not empty and holds no summary.json, so it is not a synlab "
                        "output; choose another with -o");
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
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
}

std::ofstream OutputDir::open(const std::string& name) const {
  std::ofstream out(staging_ / name, std::ios::binary);
  if (!out) throw OutputError("cannot write " + (staging_ / name).string());
  return out;
}

void OutputDir::check(const std::ofstream& out, const std::string& name) const {
  if (!out) throw OutputError("writing " + (target_ / name).string() + " failed (disk full?)");
}

void OutputDir::commit() {
  const SignalsHeld held;  // an interrupt between the two renames would lose the old output
  std::error_code ec;
  fs::path old;
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
