// gather_bench: what gathering a sweep's runs on rank 0 costs per run (issue 16): the bytes of
// one run's RunRecord, the time to encode and decode it, to park its rows in a staging file and
// append them to connections.csv, and, when started by mpirun with 2 ranks, to carry it from
// rank 1 to rank 0 (MPI_Send, MPI_Iprobe + MPI_Recv), beside the time the run itself takes.
// Usage: gather_bench [--connections N] [--messages K] [--quick]
//        mpirun -np 2 gather_bench ...   (the message timing; rank 1 only sends)
// The MPI module is not beside gather_bench: unless SYNLAB_MPI_MODULE names one, it takes the
// build's (a benchmark of the build tree, never installed).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "app/csv_writers.hpp"
#include "app/mpi_world.hpp"
#include "app/run_record.hpp"
#include "app/scenario_loader.hpp"
#include "app/simulation.hpp"

using namespace synlab::app;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t connections = 10'000;
  int messages = 200;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--connections") == 0 && i + 1 < argc)
      connections = std::stoull(argv[++i]);
    else if (std::strcmp(argv[i], "--messages") == 0 && i + 1 < argc)
      messages = std::stoi(argv[++i]);
    else if (std::strcmp(argv[i], "--quick") == 0) {
      connections = 100;
      messages = 5;
    }
  }
  // One run of the lab sweep's kind: one connection per 10 ms over a 50 ms link with 10% loss.
  const std::string text =
      "name: gather-bench\nseed: 1\nnodes: [client, server]\nlinks:\n"
      "  wan: {between: [client, server], delay: 50ms, loss: 0.1}\n"
      "apps:\n  - {listen: server:80, backlog: 4096}\n"
      "  - {connect: client -> server:80, count: " +
      std::to_string(connections) + ", interval: 10ms}\n";
  const Scenario scenario = load_scenario(parse_scenario_text(text, "gather-bench.yaml"));

  std::unique_ptr<MpiWorld> world;
  if (MpiWorld::launched_size() > 1 && MpiWorld::built_in()) {
#ifdef SYNLAB_BUILD_MPI_MODULE
    ::setenv("SYNLAB_MPI_MODULE", SYNLAB_BUILD_MPI_MODULE, 0);  // the user's choice stays
#endif
    try {
      world = std::make_unique<MpiWorld>();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "gather_bench: %s\n", e.what());
      return 2;
    }
  }
  const bool root = world == nullptr || world->rank() == 0;

  auto t0 = Clock::now();
  std::ostringstream rows;
  ConnectionsCsv csv(rows, scenario, 0, 0);
  RunSetup setup;
  setup.connections = &csv;
  const RunResult run = simulate(scenario, setup);
  csv.flush();
  const double run_s = since(t0);
  const std::string rows_text = rows.str();

  const int loops = std::max(1, messages);
  std::string record;
  t0 = Clock::now();
  for (int i = 0; i < loops; ++i) {
    record.clear();
    encode_run_record(run, rows_text, record);
  }
  const double encode_s = since(t0) / loops;
  t0 = Clock::now();
  std::size_t check = 0;
  for (int i = 0; i < loops; ++i) check += decode_run_record(record).connections_csv.size();
  const double decode_s = since(t0) / loops;

  // Rank 0's file work per received run: its rows parked in staging, then appended.
  const auto dir =
      std::filesystem::temp_directory_path() / ("gather-bench-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  t0 = Clock::now();
  {
    std::ofstream out(dir / "connections.csv", std::ios::binary);
    for (int i = 0; i < loops; ++i) {
      {
        std::ofstream chunk(dir / ".run.csv", std::ios::binary);
        chunk << rows_text;
      }
      std::ifstream chunk(dir / ".run.csv", std::ios::binary);
      out << chunk.rdbuf();
      chunk.close();
      std::filesystem::remove(dir / ".run.csv");
    }
  }
  const double files_s = since(t0) / loops;
  std::filesystem::remove_all(dir);

  double message_s = 0;
  if (world && world->size() >= 2) {
    if (world->rank() == 1) {
      for (int i = 0; i < loops; ++i) world->send(MpiWorld::Kind::Record, record);
    } else if (world->rank() == 0) {
      int got = 0;
      Clock::time_point first{};
      while (got < loops) {
        if (auto m = world->poll()) {
          if (got == 0) first = Clock::now();
          check += m->bytes.size();
          ++got;
        }
      }
      // From the first message's arrival to the last's: loops - 1 messages, back to back.
      message_s = loops > 1 ? since(first) / (loops - 1) : 0;
    }
  }
  if (root) {
    std::printf(
        "gather_bench: one run of %llu connections (10%% loss), %s\n",
        static_cast<unsigned long long>(run.connections_opened),
        world ? "rank 1 -> rank 0 over MPI" : "without MPI (mpirun -np 2 adds the message)");
    std::printf("  %-40s %12.3f ms\n", "the run itself (simulate)", run_s * 1e3);
    std::printf("  %-40s %12zu bytes (%.1f per connection)\n", "connections.csv rows",
                rows_text.size(),
                static_cast<double>(rows_text.size()) / static_cast<double>(connections));
    std::printf("  %-40s %12zu bytes (%.1f per connection)\n", "RunRecord (rows + tally + result)",
                record.size(),
                static_cast<double>(record.size()) / static_cast<double>(connections));
    std::printf("  %-40s %12.3f ms\n", "encode", encode_s * 1e3);
    std::printf("  %-40s %12.3f ms\n", "decode", decode_s * 1e3);
    std::printf("  %-40s %12.3f ms\n", "staging file + append to connections.csv", files_s * 1e3);
    if (message_s > 0)
      std::printf("  %-40s %12.3f ms (%.0f MB/s)\n", "MPI message, rank 1 -> rank 0",
                  message_s * 1e3, static_cast<double>(record.size()) / message_s / 1e6);
    const double gather_s = decode_s + files_s + message_s;
    std::printf("  %-40s %12.3f ms = %.2f%% of the run\n", "rank 0's share per run (dec+files+msg)",
                gather_s * 1e3, 100 * gather_s / run_s);
  }
  return check == 0 ? 1 : 0;
}
