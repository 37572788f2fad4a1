// synlab: the command-line front end (app/commands.hpp does the work).
#include <iostream>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  return synlab::app::main_command(argc, argv, std::cout, std::cerr);
}
