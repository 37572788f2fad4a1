// QtSession: the Qt application object that Qt Charts needs, created headless by default (it
// sets QT_QPA_PLATFORM=offscreen when the variable is unset, so no display is required).
#pragma once

#include <memory>

class QApplication;

namespace synlab::viz {

class QtSession {
 public:
  enum class Mode { Headless, Window };
  // Creates the QApplication unless one exists already (then borrows it). Headless sets
  // QT_QPA_PLATFORM=offscreen when unset; Window needs a display and throws VizError, saying
  // so, when neither DISPLAY nor WAYLAND_DISPLAY is set (and no platform was chosen).
  explicit QtSession(Mode mode = Mode::Headless);
  ~QtSession();
  QtSession(const QtSession&) = delete;
  QtSession& operator=(const QtSession&) = delete;

 private:
  std::unique_ptr<QApplication> app_;  // null when borrowed
};

}  // namespace synlab::viz
