// InterruptCleanup: while a run writes into its staging directory, a signal that would end the
// process (Ctrl-C's SIGINT, SIGTERM, a closed terminal's SIGHUP, a broken pipe, a batch system's
// SIGUSR1 or CPU limit) removes that directory first and ends it with 128 + the signal's number
// (130, 143, 129 ...), so an interrupted run leaves nothing behind (the files of a finished one
// are renamed into place). It says so on standard error in one line: the signal, and the
// OUTDIR left unwritten. A signal that was ignored when the process started (a shell's
// background job, nohup's SIGHUP) stays ignored. SIGKILL cannot be caught: the next run into the
// same folder removes what it left (remove_stale_staging()).
#pragma once

#include <signal.h>

#include <array>
#include <cstddef>
#include <filesystem>
#include <string_view>

namespace synlab::app {

// The signals whose default action ends the process and that a user or a batch system sends
// to stop a run (signal(7)); SIGQUIT and SIGABRT are left alone, as they ask for a core dump.
inline constexpr std::array cleanup_signals{SIGHUP,  SIGINT,  SIGPIPE, SIGALRM, SIGTERM,
                                            SIGUSR1, SIGUSR2, SIGXCPU, SIGXFSZ};

class InterruptCleanup {
 public:
  // Installs the handlers for `staging` (a directory of plain files) of the output folder
  // `target`; one at a time. The `created_parents` folders above `staging` that the run made
  // (OutputDir::created_parents()) go too, when empty.
  InterruptCleanup(const std::filesystem::path& staging, const std::filesystem::path& target,
                   std::size_t created_parents = 0);
  ~InterruptCleanup();  // puts the previous handlers back
  InterruptCleanup(const InterruptCleanup&) = delete;
  InterruptCleanup& operator=(const InterruptCleanup&) = delete;

 private:
  bool installed_ = true;  // false: the path was too long to hand to the handler
};

// From now on a signal ends the process without removing the staging directory: a finished
// output kept for the user (OutputDir::commit()) is no longer the run's to remove.
void forget_staging_on_signal() noexcept;

// From now on a signal ends the process saying that the output is complete in `target`:
// "synlab: stopped by SIGINT after finishing: the outputs are complete in TARGET/" (the
// output is in place: OutputDir::commit()), so that a user who stopped it while the old output
// was still being removed, or the table printed, knows the files are there. What the handler
// removes, if anything, is no longer the run's output (after an exchange of folders, the old
// output).
void output_written_on_signal(std::string_view target) noexcept;

// From now on a signal ends the process saying `where` the finished output is, after the
// signal's name: "synlab: stopped by SIGINT after finishing: WHERE". For OutputDir::keep(),
// whose own message a signal held until then would cut short.
void output_kept_on_signal(std::string_view where);

// Whether a progress bar's line is on the terminal now (RunAll): the handler's line then
// replaces it instead of running on after it.
void progress_line_shown(bool shown) noexcept;

// Holds cleanup_signals back in this thread while it lives (they are delivered after): for
// the renames that put a finished run in place, which must not be cut in half. A signal another
// thread receives meanwhile (their masks are their own) is handed to this one by the handler
// and waits too.
class SignalsHeld {
 public:
  SignalsHeld();
  ~SignalsHeld();
  SignalsHeld(const SignalsHeld&) = delete;
  SignalsHeld& operator=(const SignalsHeld&) = delete;

 private:
  sigset_t previous_;
};

}  // namespace synlab::app
