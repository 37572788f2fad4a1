// OutputDir (see output_dir.hpp).
#include "app/output_dir.hpp"

#include "app/follow_links.hpp"
#include "app/interrupt_cleanup.hpp"

#include <fcntl.h>  // AT_FDCWD
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>  // renameat2, RENAME_EXCHANGE (glibc 2.28)
#include <cstring>
#include <random>
#include <system_error>
#include <vector>

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

// The staging directories of outputs written in place (inside a mount point) start so, and so
// do the finished outputs kept inside a mount point that could not take them (OutputDir::keep()).
constexpr std::string_view in_place_staging = ".synlab.partial-";
constexpr std::string_view kept_in_place = "synlab-kept-";
// The file runs writing in place into one mount point lock in turn (InPlaceLock).
constexpr std::string_view in_place_lock = ".synlab.partial-lock";

// Whether a run may put its output in `dir`: it does not exist, or it is a folder that is empty
// or a synlab output. In a mount point (`in_place`), the staging directories of runs writing
// there and the outputs kept there do not count: they stay.
bool replaceable(const fs::path& dir, bool in_place) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::is_directory(dir, ec)) return false;
  if (fs::exists(dir / OutputDir::marker_name, ec) || older_synlab_output(dir)) return true;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!in_place || !(name.starts_with(in_place_staging) || name.starts_with(kept_in_place)))
      return false;
  }
  return !ec;
}

// Where the current folder is against `dir` (existing): elsewhere, `dir` itself, or inside it.
// A run that replaces `dir` would leave the user's shell in a deleted folder in either case; one
// that writes in place (a mount point) would delete the folders inside it.
enum class CurrentFolder { Elsewhere, Is, Inside };
CurrentFolder current_folder(const fs::path& dir) {
  std::error_code ec;
  const fs::path d = fs::canonical(dir, ec);
  if (ec) return CurrentFolder::Elsewhere;
  const fs::path here = fs::canonical(fs::current_path(ec), ec);
  if (ec) return CurrentFolder::Elsewhere;
  if (here == d) return CurrentFolder::Is;
  return std::mismatch(d.begin(), d.end(), here.begin(), here.end()).first == d.end()
             ? CurrentFolder::Inside
             : CurrentFolder::Elsewhere;
}

// Whether `dir` is the root of a mount (a container's volume, a bind mount): statx's
// STATX_ATTR_MOUNT_ROOT (Linux 5.8), else a device unlike its parent's.
bool mount_point(const fs::path& dir) {
  struct statx x {};
  if (::statx(AT_FDCWD, dir.c_str(), AT_NO_AUTOMOUNT, STATX_BASIC_STATS, &x) == 0 &&
      (x.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) != 0)
    return (x.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
  struct stat self {};
  struct stat parent {};
  return ::stat(dir.c_str(), &self) == 0 && ::stat((dir / "..").c_str(), &parent) == 0 &&
         self.st_dev != parent.st_dev;
}

// The start of a folder's name for its staging directory's: at most 200 bytes, cut between two
// UTF-8 characters, so that ".NAME.partial-PID-RANDOM" stays within a file name's 255 bytes.
std::string name_start(std::string name) {
  constexpr std::size_t most = 200;
  if (name.size() <= most) return name;
  std::size_t cut = most;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0u) == 0x80u) --cut;
  name.resize(cut);
  return name;
}

// This process's id and 32 random bits: unique among the runs sharing a folder, whatever
// their PID namespaces or machines.
std::string run_token() {
  unsigned bits = 0;
  try {
    bits = std::random_device{}();
  } catch (const std::exception&) {  // no entropy source: the clock's nanoseconds will do
    bits = static_cast<unsigned>(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", bits);
  return std::to_string(::getpid()) + "-" + hex;
}
}  // namespace

OutputDir::OutputDir(fs::path target) {
  // "out/" names the folder out: without this its staging directory would land inside it.
  const auto folder = [](fs::path p) {
    p = std::move(p).lexically_normal();
    if (!p.has_filename() && p.has_parent_path()) p = p.parent_path();
    return p;
  };
  const fs::path asked = folder(target);
  fs::path followed;
  try {
    followed = follow_links(target);  // -o LINK: where the link points; the link stays
  } catch (const fs::filesystem_error& e) {
    throw OutputRefused("output directory " + asked.string() + ": " + e.code().message());
  }
  // The path as written, tidied ("a/./b/" is a/b), unless ".." steps back through a link, which
  // only the file system resolves: then the folder it really is.
  // ("l/." tidied is l, a link again: then too.)
  {
    std::error_code real_ec;
    std::error_code tidy_ec;
    const fs::path real = folder(fs::weakly_canonical(followed, real_ec));
    target_ = folder(followed);
    if (!real_ec && (fs::is_symlink(fs::symlink_status(target_, tidy_ec)) ||
                     folder(fs::weakly_canonical(target_, tidy_ec)) != real))
      target_ = real;
  }
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    if (!fs::is_directory(target_, ec))
      throw OutputRefused("output directory " + target_.string() +
                          ": exists and is not a directory");
    in_place_ = mount_point(target_);
    if (!replaceable(target_, in_place_))
      throw OutputRefused("output directory " + target_.string() +
                          ": exists, is not empty and holds no " + std::string(marker_name) +
                          " (the file synlab writes in its outputs), so it is not a synlab output "
                          "and is left as it is; choose another folder, or remove it");
    // (A mount point is written in place, not replaced: the folder itself stays.)
    const CurrentFolder here = current_folder(target_);
    if (here == CurrentFolder::Is && !in_place_)
      throw OutputRefused("output directory " + target_.string() +
                          ": is the current folder, or holds it; a run replaces its output "
                          "folder whole, so name a folder of its own (e.g. -o out)");
    if (here == CurrentFolder::Inside)
      throw OutputRefused("output directory " + target_.string() +
                          ": is the current folder, or holds it; a run replaces what its output "
                          "folder holds, the current folder with it, so name a folder of its own "
                          "(e.g. -o out)");
  }
  // The staging directory: beside OUTDIR, or inside it when OUTDIR is a mount point (a rename
  // cannot move a mount point, nor anything across one). Named by this process and a random
  // token: process ids repeat across containers and machines sharing a folder.
  const fs::path parent = in_place_                   ? target_
                          : target_.has_parent_path() ? target_.parent_path()
                                                      : fs::path(".");
  if (!in_place_) {
    fs::path p = parent;
    for (; !p.empty() && !fs::exists(p, ec) && p != p.parent_path(); p = p.parent_path())
      ++created_parents_;
    // A file where a folder of the path must be is the command's mistake, as an OUTDIR that is
    // a file is (exit 2), not a failure to write.
    if (!p.empty() && fs::exists(p, ec) && !fs::is_directory(p, ec))
      throw OutputRefused("output directory " + target_.string() + ": " + p.string() +
                          " is not a directory");
    fs::create_directories(parent, ec);
    if (ec)
      throw OutputError("output directory " + target_.string() + ": cannot create " +
                        parent.string() + ": " + why(ec));
  }
  // Built with append: GCC 12 warns falsely (-Wrestrict) on "." + std::string.
  std::string prefix = ".";
  if (in_place_)
    prefix = in_place_staging;
  else
    prefix.append(name_start(target_.filename().string())).append(".partial-");
  staging_ = parent / (prefix + run_token());
  remove_stale_staging(parent, prefix, marker_name);
  fs::create_directory(staging_, ec);
  if (ec)
    throw OutputError("output directory " + target_.string() + ": cannot write in " +
                      parent.string() + ": " + why(ec));
  // The marker that proves a folder is ours (and may be replaced by a later run), locked for this
  // process's life before it says so.
  try {
    lock_.emplace(staging_ / marker_name,
                  "synlab output: a later `synlab run -o` may replace this folder\n");
  } catch (const std::system_error& e) {
    throw OutputError("output directory " + target_.string() + ": cannot write in " +
                      parent.string() + ": " + e.code().message());
  }
}

OutputDir::~OutputDir() {
  if (committed_) return;
  std::error_code ec;
  fs::remove_all(staging_, ec);
  // The folders made for OUTDIR, from the deepest: a run that wrote nothing leaves none of them
  // (fs::remove takes only an empty one, so whatever else came into them stays).
  fs::path p = staging_.parent_path();
  for (std::size_t i = 0; i < created_parents_ && fs::remove(p, ec); ++i) p = p.parent_path();
}

void OutputDir::refuse_input_inside(const fs::path& input, std::string_view what) const {
  std::error_code ec;
  if (!fs::exists(target_, ec)) return;  // a new folder holds nothing yet
  const fs::path dir = fs::canonical(target_, ec);
  if (ec) return;
  // The input where it resolves to, and the input itself: a symbolic link inside OUTDIR is
  // removed with it, wherever it points.
  const fs::path absolute = fs::absolute(input, ec);
  if (ec) return;
  const fs::path resolved = fs::weakly_canonical(absolute, ec);
  if (ec) return;
  const fs::path itself = fs::weakly_canonical(absolute.parent_path(), ec) / absolute.filename();
  const auto inside = [&](const fs::path& p) {
    return std::mismatch(dir.begin(), dir.end(), p.begin(), p.end()).first == dir.end();
  };
  const fs::path in = inside(resolved) ? resolved : itself;
  if (ec || !inside(in)) return;
  throw OutputRefused(std::string(what) + " " + input.string() + " is " +
                      (in == dir ? "" : "inside ") + "the output directory " + target_.string() +
                      ", which the new output replaces whole: move it out first, or choose "
                      "another output folder");
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

std::unique_ptr<DirectFile> OutputDir::open_direct(const std::string& name) const {
  auto out = std::make_unique<DirectFile>(staging_ / name);
  if (!out->is_open()) throw OutputError("cannot write " + (target_ / name).string());
  return out;
}

void OutputDir::check(const std::ostream& out, const std::string& name) const {
  if (!out) throw OutputError("writing " + (target_ / name).string() + " failed (disk full?)");
}

namespace {

// The lock two runs writing in place into one mount point take in turn, so that their files are
// not mixed: an flock lock on a file of the folder's own (opened for writing: NFS carries flock
// over as a POSIX lock, which needs that), named like a staging directory so that commits pass
// it by and it does not make the folder look like a user's. It stays in the folder.
class InPlaceLock {
 public:
  explicit InPlaceLock(const fs::path& dir) {
    const fs::path file = dir / in_place_lock;
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ >= 0)
      ::fchmod(fd_, 0666);  // every user's runs take turns, whatever the umask of the first
    else
      fd_ = ::open(file.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    // Made by a user who could not share it: read-only (a local lock needs no more), or else the
    // folder itself.
    if (fd_ < 0) fd_ = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd_ < 0) fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd_ >= 0)
      while (::flock(fd_, LOCK_EX) != 0 && errno == EINTR) {
      }
  }
  ~InPlaceLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  InPlaceLock(const InPlaceLock&) = delete;
  InPlaceLock& operator=(const InPlaceLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace

void OutputDir::commit() {
  // Waited for with signals free, so a run waiting its turn can still be interrupted.
  std::optional<InPlaceLock> turn;
  if (in_place_) turn.emplace(target_);
  const SignalsHeld held;  // an interrupt between two renames would lose the old output
  if (in_place_) {
    commit_in_place();
    return;
  }
  if (!replaceable(target_, false))  // it became a folder of the user's during the run
    keep("it now holds files that are not a synlab output's");
  std::error_code ec;
  if (fs::exists(target_, ec)) {
    // One atomic step: OUTDIR becomes the new output, the staging path the old one.
    if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) == 0) {
      committed_ = true;
      output_written_on_signal(target_.string());
      fs::remove_all(staging_, ec);  // now the old output
      return;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) keep(std::strerror(errno));
  }
  fs::path old;  // where the file system cannot exchange: the old output renamed aside first
  if (fs::exists(target_, ec)) {
    old = target_.string() + ".old-" + std::to_string(::getpid());
    fs::rename(target_, old, ec);
    if (ec) keep(why(ec));
  }
  fs::rename(staging_, target_, ec);
  if (ec) {
    const std::string reason = why(ec);
    if (!old.empty()) fs::rename(old, target_, ec);
    keep(reason);
  }
  committed_ = true;
  output_written_on_signal(target_.string());
  if (!old.empty()) fs::remove_all(old, ec);
}

void OutputDir::commit_in_place() {
  if (!replaceable(target_, true)) keep("it now holds files that are not a synlab output's");
  std::error_code ec;
  // summary.json goes first and comes back last: a folder cut short in between has none, which
  // plot and report refuse. The marker stays (the new one replaces it in one rename), and so do
  // the staging directories of runs writing here and the outputs kept here.
  fs::remove(target_ / "summary.json", ec);
  if (ec) keep(why(ec));
  for (const auto& entry : fs::directory_iterator(target_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == marker_name || name.starts_with(in_place_staging) ||
        name.starts_with(kept_in_place))
      continue;
    fs::remove_all(entry.path(), ec);
    if (ec) keep(why(ec));
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(staging_, ec)) files.push_back(entry.path());
  std::stable_partition(files.begin(), files.end(),
                        [](const fs::path& f) { return f.filename() != "summary.json"; });
  for (const fs::path& f : files) {
    fs::rename(f, target_ / f.filename(), ec);
    if (ec) keep(why(ec));
  }
  committed_ = true;
  output_written_on_signal(target_.string());
  fs::remove(staging_, ec);
}

void OutputDir::keep(const std::string& reason) {
  // A finished run's results are never thrown away: out of the hidden staging directory into a
  // folder the user sees, beside OUTDIR (inside it, for a mount point), named by this run's token
  // as its staging directory is, so that no other run's kept output is in the way.
  const std::string message = "cannot put the output in " + target_.string() + " (" + reason + ")";
  committed_ = true;  // whatever happens now, the destructor leaves the files where they are
  forget_staging_on_signal();  // and so does a signal held until now
  const std::string staging_name = staging_.filename().string();
  const std::string token =
      staging_name.substr(staging_name.rfind(".partial-") + std::string_view(".partial-").size());
  const fs::path kept =
      in_place_
          ? target_ / (std::string(kept_in_place) + token)
          : target_.parent_path() / (name_start(target_.filename().string()) + ".kept-" + token);
  std::error_code ec;
  fs::rename(staging_, kept, ec);
  if (!ec) {
    std::error_code ignored;
    fs::remove(kept / marker_name, ignored);  // a folder to look at, not one a run may replace
    const std::string where = message + "; the finished output is kept in " + kept.string();
    output_kept_on_signal(where);
    throw OutputError(where);
  }
  // Where it is: a later run must not take it for a dead run's staging directory. The sign of
  // that is a second name of the marker, which needs no new file (a full file system); the
  // marker itself stays, so that the folder, once the user moves it to OUTDIR, is an output.
  fs::create_hard_link(staging_ / marker_name, staging_ / kept_sentinel, ec);
  if (ec) std::ofstream(staging_ / kept_sentinel) << "a finished output kept for the user\n";
  const std::string where = message + "; the finished output is kept in the hidden folder " +
                            staging_.filename().string() +
                            " beside it: move it before the next run into " + target_.string();
  output_kept_on_signal(where);
  throw OutputError(where);
}

}  // namespace synlab::app
