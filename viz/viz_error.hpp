// VizError: a run's output files cannot be plotted (missing, malformed, or the wrong kind of
// run for the plot asked for). The message names the file and what was expected.
// ImageWriteError: the plot was drawn but its image file could not be written (a full disk, an
// unwritable directory): a failure of the output, not of the run's data.
#pragma once

#include <stdexcept>

namespace synlab::viz {

class VizError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ImageWriteError : public VizError {
 public:
  using VizError::VizError;
};

}  // namespace synlab::viz
