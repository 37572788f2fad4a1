// follow_links() (follow_links.hpp).
#include "app/follow_links.hpp"

#include <system_error>

namespace synlab::app {
namespace fs = std::filesystem;

namespace {

// "l/" and "l/." name l: without its trailing separators and "." parts a path's last part can
// be tested for a link (symlink_status("l/") follows l, and "l/." of a dangling l is nothing).
fs::path without_trailing_separators(fs::path p) {
  while ((!p.has_filename() || p.filename() == ".") && p.has_parent_path() && p != p.root_path())
    p = p.parent_path();
  return p;
}

}  // namespace

fs::path follow_links(const fs::path& path) {
  constexpr int most_links = 40;
  fs::path at = without_trailing_separators(path);
  for (int links = 0;; ++links) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(at, ec))) return at;
    if (links == most_links)
      throw fs::filesystem_error("following symbolic links", path,
                                 std::make_error_code(std::errc::too_many_symbolic_link_levels));
    const fs::path to = fs::read_symlink(at);  // throws if it cannot be read
    // A relative link is read from the folder that holds it, as the kernel finds that folder:
    // through any links on the way (so "a/.." is not simply "."), hence weakly_canonical.
    const fs::path holder = at.has_parent_path() ? at.parent_path() : fs::path(".");
    at = without_trailing_separators(to.is_absolute() ? to : fs::weakly_canonical(holder) / to);
  }
}

}  // namespace synlab::app
