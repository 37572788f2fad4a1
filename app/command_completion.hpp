// The bash completion script of `synlab completion bash`, generated from the command line's App
// tree (command_line.hpp): commands, each command's options, an option's fixed values and file
// names where a file or directory goes.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace synlab::app {

// A bash script defining _synlab and `complete -F _synlab synlab`; `source` it to enable it.
// Each command's branch of the script's case statement ends with a line of four spaces and ";;".
std::string bash_completion(const CLI::App& app);

}  // namespace synlab::app
