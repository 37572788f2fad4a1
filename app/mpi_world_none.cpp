// MpiWorld without MPI (SYNLAB_MPI off; see mpi_world.hpp): no world can be joined.
#include <cstdlib>

#include "app/mpi_world.hpp"
#include "sim/assert.hpp"

namespace synlab::app {

bool MpiWorld::built_in() noexcept {
  return false;
}

MpiWorld::MpiWorld() {
  SYNLAB_ASSERT(false, "MpiWorld needs synlab built with SYNLAB_MPI");
}
MpiWorld::~MpiWorld() = default;
void MpiWorld::share(int&, std::string&) {}
void MpiWorld::send(Kind, std::string_view) {}
std::optional<MpiWorld::Message> MpiWorld::poll() {
  return std::nullopt;
}
void MpiWorld::abort(int code) {
  std::_Exit(code);
}

}  // namespace synlab::app
