// InterruptCleanup: while a run writes into its staging directory, SIGINT and SIGTERM remove
// that directory and end the process with 128 + the signal's number (130, 143), so an
// interrupted run leaves nothing behind (the files of a finished one are renamed into place).
// A signal that was ignored when the process started (a shell's background job) stays ignored.
#pragma once

#include <signal.h>

#include <filesystem>
#include <string>

namespace synlab::app {

class InterruptCleanup {
 public:
  // Installs the handlers for `staging` (a directory of plain files); one at a time.
  explicit InterruptCleanup(const std::filesystem::path& staging);
  ~InterruptCleanup();  // puts the previous handlers back
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

 private:
  bool installed_ = true;  // false: the path was too long to hand to the handler
};

// Holds SIGINT and SIGTERM back in this thread while it lives (they are delivered after): for
// the renames that put a finished run in place, which must not be cut in half. The other threads
// must have ended (their mask is their own).
class SignalsHeld {
 public:
  SignalsHeld();
  ~SignalsHeld();
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

// Removes `parent`'s staging directories of `name` (".NAME.partial-PID") whose process is gone
// or a zombie: what a run killed outright (SIGKILL, power loss) left.
void remove_stale_staging(const std::filesystem::path& parent, const std::string& name);

}  // namespace synlab::app
