// follow_links() (follow_links.hpp).
#include "app/follow_links.hpp"

#include <system_error>

namespace synlab::app {
namespace fs = std::filesystem;

fs::path follow_links(const fs::path& path) {
  constexpr int most_links = 40;
  fs::path at = path;
  for (int links = 0;; ++links) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(at, ec))) return at;
    if (links == most_links)
      throw fs::filesystem_error("following symbolic links", path,
                                 std::make_error_code(std::errc::too_many_symbolic_link_levels));
    const fs::path to = fs::read_symlink(at);  // throws if it cannot be read
    at = to.is_absolute() ? to : at.parent_path() / to;
  }
}

}  // namespace synlab::app
