// VizError: a run's output files cannot be plotted (missing, malformed, or the wrong kind of
// run for the plot asked for). The message names the file and what was expected.
#pragma once

#include <stdexcept>

namespace synlab::viz {

class VizError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace synlab::viz
