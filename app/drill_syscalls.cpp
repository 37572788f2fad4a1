// System calls of a drill script onto apps::SocketApi (drill_syscalls.hpp). Constants are
// Linux's (<fcntl.h>: O_RDWR 02, O_NONBLOCK 04000).
#include "app/drill_syscalls.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <string_view>

#include "app/drill_parser.hpp"
#include "app/drill_runner.hpp"

namespace synlab::drill {

namespace {

constexpr std::int64_t o_rdwr = 02;
constexpr std::int64_t o_nonblock = 04000;

struct Shape {
  std::string_view name;
  std::size_t min_args;
  std::size_t max_args;
};

constexpr std::array<Shape, 15> calls{{
    {"socket", 3, 3},
    {"bind", 3, 3},
    {"listen", 2, 2},
    {"accept", 3, 3},
    {"connect", 3, 3},
    {"setsockopt", 5, 5},
    {"getsockopt", 5, 5},
    {"fcntl", 2, 3},
    {"write", 3, 3},
    {"send", 4, 4},
    {"read", 3, 3},
    {"recv", 4, 4},
    {"close", 1, 1},
    {"shutdown", 2, 2},
    {"accept4", 4, 4},
}};

bool has_symbol(const Argument& a, std::string_view s) {
  return a.kind == Argument::Kind::Symbols &&
         std::find(a.symbols.begin(), a.symbols.end(), s) != a.symbols.end();
}

std::optional<apps::SocketOption> option_of(std::string_view name) {
  if (name == "SO_REUSEADDR") return apps::SocketOption::ReuseAddr;
  if (name == "SO_ERROR") return apps::SocketOption::Error;
  if (name == "TCP_USER_TIMEOUT") return apps::SocketOption::UserTimeout;
  if (name == "TCP_SYNCNT") return apps::SocketOption::SynCount;
  if (name == "TCP_MAXSEG") return apps::SocketOption::MaxSeg;
  if (name == "TCP_NODELAY") return apps::SocketOption::NoDelay;
  return std::nullopt;
}

int fd_of(const Syscall& c) {
  return static_cast<int>(c.args.at(0).number);
}

std::int64_t number_arg(const Syscall& c, std::size_t i) {
  const Argument& a = c.args.at(i);
  return a.kind == Argument::Kind::Number ? a.number : 0;
}

// `[v]`'s value: a number, or an errno name (SO_ERROR).
std::optional<std::int64_t> list_value(const Argument& a) {
  if (a.kind != Argument::Kind::List || a.items.size() != 1) return std::nullopt;
  const Argument& v = a.items.front();
  if (v.kind == Argument::Kind::Number) return v.number;
  if (v.kind == Argument::Kind::Symbols && v.symbols.size() == 1)
    if (const std::optional<apps::Errno> e = apps::errno_from_name(v.symbols.front()))
      return apps::errno_number(*e);
  return std::nullopt;
}

}  // namespace

void check_syscall_name(const std::string& name, Position at, const std::string& path) {
  if (std::none_of(calls.begin(), calls.end(), [&](const Shape& s) { return s.name == name; }))
    throw ScriptError(ScriptError::Kind::Refused, path, at,
                      "the system call " + name +
                          "() (synlab has socket, bind, listen, accept, connect, setsockopt, "
                          "getsockopt, fcntl, write, send, read, recv, close, shutdown)");
}

void check_syscall(const Syscall& c, const std::string& path) {
  const auto bad = [&](Position at, const std::string& what) {
    throw ScriptError(ScriptError::Kind::Syntax, path, at, c.name + "(): " + what);
  };
  const auto refuse = [&](Position at, const std::string& what) {
    throw ScriptError(ScriptError::Kind::Refused, path, at, what);
  };
  const auto shape =
      std::find_if(calls.begin(), calls.end(), [&](const Shape& s) { return s.name == c.name; });
  const Position at = c.args.empty() ? c.result_at : c.args.front().at;
  if (shape == calls.end()) {
    check_syscall_name(c.name, at, path);  // throws
    return;
  }
  if (c.args.size() < shape->min_args || c.args.size() > shape->max_args)
    bad(at, "expected " + std::to_string(shape->min_args) + " arguments, found " +
                std::to_string(c.args.size()));
  if (c.errno_name && !apps::errno_from_name(*c.errno_name))
    bad(c.result_at, "the errno " + *c.errno_name + " is not one the model can return");
  if (c.name == "socket") {
    const Argument& domain = c.args[0];
    if (has_symbol(domain, "AF_INET6")) refuse(domain.at, "IPv6 sockets");
    const Argument& type = c.args[1];
    if (has_symbol(type, "SOCK_DGRAM")) refuse(type.at, "UDP sockets (SOCK_DGRAM)");
    if (has_symbol(type, "SOCK_RAW")) refuse(type.at, "raw sockets");
    if (!has_symbol(type, "SOCK_STREAM")) bad(type.at, "expected SOCK_STREAM as the type");
    return;
  }
  if (c.args[0].kind != Argument::Kind::Number) bad(c.args[0].at, "expected a descriptor number");
  if (c.name == "accept4") refuse(c.args[3].at, "accept4()'s flags (use accept and fcntl)");
  if (c.name == "listen" && c.args[1].kind != Argument::Kind::Number)
    bad(c.args[1].at, "expected the backlog as a number");
  if (c.name == "write" || c.name == "send" || c.name == "read" || c.name == "recv") {
    if (c.args[2].kind != Argument::Kind::Number || c.args[2].number < 0)
      bad(c.args[2].at, "expected a byte count");
    if (c.args.size() == 4 && !(c.args[3].kind == Argument::Kind::Number && c.args[3].number == 0))
      refuse(c.args[3].at, "flags for send() and recv() (MSG_*): use 0");
  }
  if (c.name == "setsockopt" || c.name == "getsockopt") {
    const Argument& name = c.args[2];
    if (name.kind != Argument::Kind::Symbols || name.symbols.size() != 1)
      bad(name.at, "expected an option name such as TCP_USER_TIMEOUT");
    if (!option_of(name.symbols.front()))
      refuse(name.at, "the socket option " + name.symbols.front() +
                          " (synlab has SO_REUSEADDR, SO_ERROR, TCP_USER_TIMEOUT, TCP_SYNCNT, "
                          "TCP_MAXSEG, TCP_NODELAY)");
    if (!list_value(c.args[3])) bad(c.args[3].at, "expected the value as [N]");
    if (c.name == "setsockopt" && (name.symbols.front() == "SO_ERROR"))
      bad(name.at, "SO_ERROR can only be read");
  }
  if (c.name == "fcntl") {
    const Argument& cmd = c.args[1];
    if (has_symbol(cmd, "F_GETFL")) {
      if (c.args.size() != 2) bad(cmd.at, "F_GETFL takes no third argument");
    } else if (has_symbol(cmd, "F_SETFL")) {
      if (c.args.size() != 3 || c.args[2].kind != Argument::Kind::Symbols)
        bad(cmd.at, "F_SETFL takes flags such as O_RDWR|O_NONBLOCK");
    } else {
      refuse(cmd.at, "fcntl commands other than F_GETFL and F_SETFL");
    }
  }
  if (c.name == "shutdown") {
    const Argument& how = c.args[1];
    if (!(has_symbol(how, "SHUT_WR") || has_symbol(how, "SHUT_RD") || has_symbol(how, "SHUT_RDWR")))
      bad(how.at, "expected SHUT_RD, SHUT_WR or SHUT_RDWR");
  }
}

SyscallRun start_syscall(apps::SocketApi& api, const Syscall& c, tcp::HostAddress remote) {
  SyscallRun r;
  const std::string& n = c.name;
  if (n == "socket") {
    r.result = api.socket();
    if (has_symbol(c.args[1], "SOCK_NONBLOCK"))
      (void)api.set_nonblocking(static_cast<int>(r.result.value), true);
    return r;
  }
  const int fd = fd_of(c);
  const bool nonblocking = api.nonblocking(fd).value == 1;
  if (n == "bind") {
    r.result = api.bind(fd, script_port);
  } else if (n == "listen") {
    // Linux __sys_listen() takes the int backlog as unsigned: a negative one is huge, and the
    // somaxconn cap makes it somaxconn.
    const std::int64_t backlog = number_arg(c, 1);
    constexpr std::uint32_t most = std::numeric_limits<std::uint32_t>::max();
    r.result = api.listen(fd, backlog < 0 || backlog > std::int64_t{most}
                                  ? most
                                  : static_cast<std::uint32_t>(backlog));
    r.listening = r.result.error == apps::Errno::Ok;
  } else if (n == "accept") {
    r.result = api.accept(fd);
    r.blocks = !nonblocking && r.result.error == apps::Errno::Again;
  } else if (n == "connect") {
    r.result = api.connect(fd, {remote, script_port});
    if (r.result.error == apps::Errno::InProgress) {
      if (const auto id = api.connection(fd))
        if (api.node().tcp().endpoint(*id) != nullptr) r.opened = *id;
      r.blocks = !nonblocking;
    }
  } else if (n == "setsockopt") {
    r.result = api.setsockopt(fd, *option_of(c.args[2].symbols.front()), *list_value(c.args[3]));
  } else if (n == "getsockopt") {
    const apps::CallResult v = api.getsockopt(fd, *option_of(c.args[2].symbols.front()));
    if (v.error == apps::Errno::Ok) {
      r.result = apps::CallResult::ok();
      r.option_value = v.value;
    } else {
      r.result = v;
    }
  } else if (n == "fcntl") {
    if (has_symbol(c.args[1], "F_GETFL")) {
      const apps::CallResult v = api.nonblocking(fd);
      r.result = v.error != apps::Errno::Ok
                     ? v
                     : apps::CallResult::ok(o_rdwr | (v.value ? o_nonblock : 0));
    } else {
      r.result = api.set_nonblocking(fd, has_symbol(c.args[2], "O_NONBLOCK"));
    }
  } else if (n == "write" || n == "send") {
    r.result = api.write(fd, static_cast<std::uint64_t>(number_arg(c, 2)));
    r.blocks = !nonblocking && r.result.error == apps::Errno::Again;
  } else if (n == "read" || n == "recv") {
    r.result = api.read(fd, static_cast<std::uint64_t>(number_arg(c, 2)));
    r.blocks = !nonblocking && r.result.error == apps::Errno::Again;
  } else if (n == "close") {
    r.result = api.close(fd);
  } else if (n == "shutdown") {
    using How = apps::SocketApi::Shutdown;
    const Argument& how = c.args[1];
    r.result = api.shutdown(fd, has_symbol(how, "SHUT_RDWR") ? How::Both
                                : has_symbol(how, "SHUT_RD") ? How::Read
                                                             : How::Write);
  }
  return r;
}

std::optional<apps::CallResult> poll_syscall(apps::SocketApi& api, const Syscall& c) {
  const int fd = fd_of(c);
  apps::CallResult r;
  if (c.name == "connect") return api.connect_status(fd);
  if (c.name == "accept")
    r = api.accept(fd);
  else if (c.name == "read" || c.name == "recv")
    r = api.read(fd, static_cast<std::uint64_t>(number_arg(c, 2)));
  else if (c.name == "write" || c.name == "send")
    r = api.write(fd, static_cast<std::uint64_t>(number_arg(c, 2)));
  if (r.error == apps::Errno::Again) return std::nullopt;
  return r;
}

std::optional<std::string> result_mismatch(const Syscall& c, const apps::CallResult& got,
                                           std::optional<std::int64_t> option_value) {
  const auto text = [](const apps::CallResult& r) {
    return r.error == apps::Errno::Ok ? std::to_string(r.value)
                                      : "-1 " + std::string(apps::errno_name(r.error));
  };
  const std::string expected =
      c.errno_name ? std::to_string(c.result) + " " + *c.errno_name : std::to_string(c.result);
  const bool same = got.error == apps::Errno::Ok
                        ? !c.errno_name && got.value == c.result
                        : c.errno_name && apps::errno_from_name(*c.errno_name) == got.error;
  if (!same) return "expected " + expected + ", the model returned " + text(got);
  if (c.name == "getsockopt" && option_value) {
    const std::optional<std::int64_t> want = list_value(c.args[3]);
    if (want && *want != *option_value)
      return "expected the option's value [" + std::to_string(*want) + "], the model gave [" +
             std::to_string(*option_value) + "]";
  }
  return std::nullopt;
}

}  // namespace synlab::drill
