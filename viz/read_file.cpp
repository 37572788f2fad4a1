// read_regular_file (read_file.hpp): opened first, then checked through its descriptor, so a
// FIFO is never waited on (O_NONBLOCK) and a file swapped between a check and the open is not
// read instead.
#include "viz/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "viz/viz_error.hpp"

namespace synlab::viz {

std::string read_regular_file(const std::filesystem::path& path, std::uintmax_t most) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw VizError(path.string() + ": cannot be read (" + std::strerror(errno) + ")");
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0)
    throw VizError(path.string() + ": cannot be read (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode))
    throw VizError(path.string() + ": not a regular file (a run writes its files as such)");
  if (static_cast<std::uintmax_t>(st.st_size) > most)
    throw VizError(path.string() + ": " + std::to_string(st.st_size) + " bytes, more than the " +
                   std::to_string(most) + " this reads");
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t at = 0;
  while (at < text.size()) {
    const ssize_t n = ::read(fd, text.data() + at, text.size() - at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw VizError(path.string() + ": cannot be read (" + std::strerror(errno) + ")");
    if (n == 0) break;  // it shrank meanwhile: what is there
    at += static_cast<std::size_t>(n);
  }
  text.resize(at);
  return text;
}

std::optional<std::string> try_read_regular_file(const std::filesystem::path& path,
                                                 std::uintmax_t most) {
  try {
    return read_regular_file(path, most);
  } catch (const VizError&) {
    return std::nullopt;
  }
}

}  // namespace synlab::viz
