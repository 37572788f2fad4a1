// ScenarioError: bad input, reported as file:line:column, the key, what was expected and
// what was found (STYLE §8: app/ reports bad input; models never see YAML).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace synlab::app {

// Where something was written. Lines and columns count from 1; line 0 means "the file as a
// whole" (an empty file, say), and an empty file name a value from the command line.
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;

  // "scenarios/a.yaml:12:5", "scenarios/a.yaml", or "command line".
  std::string to_string() const;
};

// `text` in single quotes, for a message ("found '10xs'"). Longer than 80 characters, only its
// first 60 and its length: a scenario's value of 70,000 characters is not printed whole.
std::string quoted(std::string_view text);

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(SourceMark where, std::string message);
  const SourceMark& where() const noexcept { return where_; }
  const std::string& message() const noexcept { return message_; }

 private:
  SourceMark where_;
  std::string message_;
};

}  // namespace synlab::app
