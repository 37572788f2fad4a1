// Golden traces (STYLE §10): whole TcpRecord traces in the one text form, compared line by line
// with tests/models/tcp/goldens/*.trace. Goldens change only through the explicit update
// command (`cmake --build --preset release --target update_goldens`), and each diff is reviewed
// against the RFC or the reference; the '#' header of each file derives the expected times.
#include <doctest/doctest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "models/tcp/profile.hpp"
#include "tests/models/tcp/test_network.hpp"

namespace synlab::tcp {
namespace {

using namespace std::chrono_literals;
using sim::at;

std::string golden_path(const std::string& name) {
  return std::string(SYNLAB_SOURCE_DIR) + "/tests/models/tcp/goldens/" + name + ".trace";
}

void check_golden(const std::string& name, const std::vector<std::string>& lines) {
  const std::string path = golden_path(name);
  std::vector<std::string> header;
  std::vector<std::string> expected;
  {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("#"))
        header.push_back(line);
      else if (!line.empty())
        expected.push_back(line);
    }
  }
  const char* update = std::getenv("SYNLAB_UPDATE_GOLDENS");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream out(path);
    for (const auto& h : header) out << h << '\n';
    for (const auto& l : lines) out << l << '\n';
    MESSAGE("updated " << path);
    return;
  }
  CAPTURE(path);
  CHECK(lines == expected);
}

std::vector<std::string> all_lines(const test::TestNetwork& net) {
  std::vector<std::string> out;
  for (const auto& r : net.sink.records) out.push_back(to_text(r));
  return out;
}

TEST_CASE("golden: linux, the first SYN lost (reference case a)") {
  test::TestNetwork net(10us);
  net.add_client_and_listener(linux_profile(), linux_profile());
  net.drop("client", "server", 1);
  (void)net.host("client").connect(net.address("server", 80));
  net.scheduler.run();
  check_golden("linux_first_syn_lost", all_lines(net));
}

TEST_CASE("golden: rfc6298, request, response and normal close") {
  test::TestNetwork net(10ms);
  net.add_client_and_listener(rfc6298_profile(), rfc6298_profile(), 100, 300);
  net.on_notification([&net](TcpHost& h, ConnId id, Notification n) {
    if (h.name() == "client" && n == Notification::Established)
      REQUIRE(h.send(id, 100) == UserError::Ok);
    if (h.name() == "server" && n == Notification::Established) (void)h.accept(80);
    if (h.name() == "server" && n == Notification::DataReceived)
      REQUIRE(h.send(id, 2000) == UserError::Ok);
    if (h.name() == "client" && n == Notification::DataReceived &&
        h.endpoint(id)->bytes_received() == 2000)
      REQUIRE(h.close(id) == UserError::Ok);
    if (h.name() == "server" && n == Notification::PeerClosed)
      REQUIRE(h.close(id) == UserError::Ok);
    (void)net;
  });
  (void)net.host("client").connect(net.address("server", 80));
  net.scheduler.run();
  check_golden("rfc6298_request_response_close", all_lines(net));
}

}  // namespace
}  // namespace synlab::tcp
