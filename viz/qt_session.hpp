// QtSession: the Qt application object that Qt Charts needs, created headless: it sets
// QT_QPA_PLATFORM=offscreen when the variable is unset, so no display is required.
#pragma once

#include <memory>

class QApplication;

namespace synlab::viz {

class QtSession {
 public:
  // Creates the QApplication unless one exists already (then borrows it).
  QtSession();
  ~QtSession();
  QtSession(const QtSession&) = delete;
  QtSession& operator=(const QtSession&) = delete;

 private:
  std::unique_ptr<QApplication> app_;  // null when borrowed
};

}  // namespace synlab::viz
