// The packetdrill subset synlab runs (docs/drill.md): text to a DrillScript, or a ScriptError
// naming file:line:column and, for a construct outside the subset, that it is refused.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "app/drill_script.hpp"

namespace synlab::drill {

class ScriptError : public std::runtime_error {
 public:
  enum class Kind : std::uint8_t {
    Syntax,   // not packetdrill
    Refused,  // packetdrill, outside synlab's subset (ICMP, IPv6, SACK blocks, %{ }% ...)
  };
  ScriptError(Kind kind, std::string path, Position at, const std::string& message)
      : std::runtime_error(path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                           ": " + (kind == Kind::Refused ? "refused: " : "error: ") + message),
        kind_(kind),
        at_(at) {}
  Kind kind() const noexcept { return kind_; }
  Position at() const noexcept { return at_; }

 private:
  Kind kind_;
  Position at_;
};

// Parses `text`, read from `path` (which names it in errors and notes).
Script parse_script(std::string_view text, const std::string& path);

}  // namespace synlab::drill
