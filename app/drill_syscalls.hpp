// The system calls a drill script makes (docs/drill.md "System calls"): which ones synlab has,
// their arguments, and how each maps onto apps::SocketApi, blocking included.
#pragma once

#include <optional>
#include <string>

#include "app/drill_script.hpp"
#include "models/apps/socket_api.hpp"

namespace synlab::drill {

// Throws ScriptError (drill_parser.hpp) if synlab has no call `name` (written at `at`).
void check_syscall_name(const std::string& name, Position at, const std::string& path);

// Throws ScriptError (drill_parser.hpp) for a call outside the subset or with arguments of the
// wrong shape; `path` names the script.
void check_syscall(const Syscall& call, const std::string& path);

struct SyscallRun {
  apps::CallResult result;
  std::optional<std::int64_t> option_value;  // getsockopt()'s output
  bool blocks = false;  // a blocking socket has to wait: poll_syscall() until it returns
  std::optional<tcp::ConnId> opened;  // the connection connect() opened (its endpoint exists)
  bool listening = false;             // listen() succeeded
};

// Makes the call at the model's current time. connect() goes to `remote`:8080.
SyscallRun start_syscall(apps::SocketApi& api, const Syscall& call, tcp::HostAddress remote);
// A blocking call's result once it can return; nullopt while it still blocks.
std::optional<apps::CallResult> poll_syscall(apps::SocketApi& api, const Syscall& call);
// What differs between the script's expected result and `run`'s, or nullopt.
std::optional<std::string> result_mismatch(const Syscall& call, const apps::CallResult& result,
                                           std::optional<std::int64_t> option_value = {});

}  // namespace synlab::drill
