// synlab: the command-line front end (app/commands.hpp does the work).
#include <cerrno>
#include <cstring>
#include <iostream>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  const int status = synlab::app::main_command(argc, argv, std::cout, std::cerr);
  // What a command printed must have arrived (`synlab run ... > file` on a full disk): a lost
  // table or list of files is an output failure, though the output folder itself is complete.
  errno = 0;
  std::cout.flush();
  if (!std::cout && status != synlab::app::exit_output_failed) {
    std::cerr << "synlab: error: standard output: "
              << (errno != 0 ? std::strerror(errno) : "cannot be written") << "\n";
    return status == synlab::app::exit_ok || status == synlab::app::exit_expectation_failed
               ? synlab::app::exit_output_failed
               : status;
  }
  return status;
}
