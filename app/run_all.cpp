// RunAll (see run_all.hpp).
#include "app/run_all.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>
#include <system_error>
#include <thread>

#include "app/csv_writers.hpp"
#include "app/expectations.hpp"
#include "app/held_rows.hpp"
#include "app/huge_pages.hpp"
#include "app/interrupt_cleanup.hpp"
#include "app/output_dir.hpp"
#include "app/run_outputs.hpp"
#include "app/run_record.hpp"

namespace synlab::app {
namespace {

// The connection ids a run keeps in memory: the table's (a single run) and the expectations'.
std::vector<std::uint64_t> kept_ids(const Scenario& base, bool single) {
  std::vector<std::uint64_t> keep;
  if (single)
    for (std::uint64_t id = 1; id <= table_rows; ++id) keep.push_back(id);
  for (const Expectation& e : base.expect)
    if (e.kind == Expectation::Kind::Connection) keep.push_back(e.conn);
  std::sort(keep.begin(), keep.end());
  keep.erase(std::unique(keep.begin(), keep.end()), keep.end());
  return keep;
}

// Passes each record on and counts it, for the progress bar. The shared count is raised once
// per `batch` records and for the rest when this is destroyed: an atomic add per record (a
// locked instruction, which waits for every pending store) cost about 2% of a run.
class Counted final : public apps::ConnectionSink {
 public:
  static constexpr std::uint64_t batch = 256;
  Counted(apps::ConnectionSink& next, std::atomic<std::uint64_t>& count)
      : next_(&next), count_(&count) {}
  Counted(const Counted&) = delete;
  Counted& operator=(const Counted&) = delete;
  ~Counted() override { publish(); }
  void on_connection(const apps::ConnectionRecord& r) override {
    next_->on_connection(r);
    if (++unpublished_ == batch) publish();
  }

 private:
  void publish() noexcept {
    count_->fetch_add(unpublished_, std::memory_order_relaxed);
    unpublished_ = 0;
  }
  apps::ConnectionSink* next_;
  std::atomic<std::uint64_t>* count_;
  std::uint64_t unpublished_ = 0;
};

}  // namespace

RunAll::RunAll(const std::vector<Scenario>& points, std::uint64_t repeat,
               std::vector<std::size_t> mine, std::filesystem::path scratch, Direct direct,
               MpiWorld* world)
    : points_(points),
      repeat_(repeat),
      total_(points.size() * repeat),
      mine_(std::move(mine)),
      scratch_(std::move(scratch)),
      direct_(direct),
      world_(world),
      sender_(world != nullptr && world->rank() != 0),
      filters_(packet_filters(points.front())),
      keep_(kept_ids(points.front(), total_ == 1)),
      connections_total_(0),
      results_(total_),
      held_(total_),
      done_(total_, false),
      baton_(world_ == nullptr && direct_.connections != nullptr && total_ > 1) {
  if (world_ != nullptr)
    for (std::size_t i = 0; i < total_; ++i)
      connections_total_ += points_[i / repeat_].connections();
  else
    for (const std::size_t i : mine_) connections_total_ += points_[i / repeat_].connections();
}

void RunAll::run(unsigned jobs, bool progress, std::ostream& err, const Take& take) {
  const auto threads = static_cast<unsigned>(std::min<std::size_t>(jobs, mine_.size()));
  std::vector<std::thread> pool;
  pool.reserve(threads);
  prefer_large_heaps();
  use_huge_pages_for_this_thread();  // the gathering's
  for (unsigned t = 0; t < threads; ++t) {
    try {
      pool.emplace_back([this] { work(); });
    } catch (const std::system_error& e) {  // EAGAIN: no room for its stack, or a thread limit
      threads_refused_ = e.code().message();
      break;
    }
  }
  threads_started_ = static_cast<unsigned>(pool.size());
  try {
    if (pool.empty()) work();  // the runs here, then their results as ever
    if (sender_)
      send_all();
    else
      gather(progress, err, take);
  } catch (...) {
    stop(std::current_exception());
  }
  for (std::thread& t : pool) t.join();
  if (failure_) std::rethrow_exception(failure_);
}

void RunAll::rows_failed() const {
  throw OutputError("writing " + (scratch_ / "connections.csv").string() + " failed (disk full?)");
}

std::filesystem::path RunAll::chunk(std::size_t i) const {
  return scratch_ / (".run-" + std::to_string(i) + ".csv");
}

void RunAll::work() {
  use_huge_pages_for_this_thread();
  try {
    for (std::size_t k; (k = next_.fetch_add(1)) < mine_.size();) {
      if (world_ != nullptr && k == 1 && world_->test_fault() == MpiWorld::Fault::Kill)
        ::raise(SIGKILL);
      if (world_ != nullptr && k == 1 && world_->test_fault() == MpiWorld::Fault::Fail)
        throw std::runtime_error("a failure injected by SYNLAB_MPI_TEST_FAULT");
      simulate_one(mine_[k]);
    }
  } catch (...) {
    stop(std::current_exception());
  }
}

void RunAll::simulate_one(std::size_t i) {
  const std::uint64_t point = i / repeat_;
  const std::uint64_t replication = i % repeat_;
  RunSetup setup;
  setup.point = point;
  setup.replication = replication;
  setup.packet_counts = filters_;
  setup.keep = keep_;
  RunResult result;
  if (total_ == 1) {  // only ever on rank 0 (or alone)
    ConnectionsCsv rows(*direct_.connections, points_[point], point, replication,
                        direct_.formatting, direct_.formatting);
    Counted counted(rows, connections_done_);
    setup.connections = &counted;
    setup.pcap_dir = direct_.pcap_dir;
    setup.packets_csv = direct_.packets;
    setup.states_csv = direct_.states;
    setup.trace_formatting = direct_.formatting;
    result = simulate(points_[point], setup);
    rows.flush();
  } else if (sender_) {
    std::ostringstream text;
    ConnectionsCsv rows(text, points_[point], point, replication);
    Counted counted(rows, connections_done_);
    setup.connections = &counted;
    result = simulate(points_[point], setup);
    rows.flush();
    if (world_->test_fault() == MpiWorld::Fault::Hosts)
      result.hosts.emplace_back();  // a run that does not fit its scenario (tests/app/mpi_test.sh)
    std::string record;
    encode_run_record(result, text.view(), record);
    const std::lock_guard lock(mutex_);
    outbox_.push_back(std::move(record));
    ++finished_;
    ready_.notify_one();
    return;
  } else {
    HeldRows* rows_held = nullptr;
    {
      const std::lock_guard lock(mutex_);
      held_[i] = std::make_unique<HeldRows>(chunk(i), held_budget_);
      rows_held = held_[i].get();
      // The earliest run not gathered yet writes into connections.csv itself (HeldRows): the
      // runs before it are all there. (Else the gathering hands it over when they are.)
      if (baton_ && taken_ < mine_.size() && mine_[taken_] == i)
        rows_held->go_direct(*direct_.connections, nullptr, 0);  // nothing held yet
    }
    std::ostream file(rows_held);
    ConnectionsCsv rows(file, points_[point], point, replication, Consumer::Inline,
                        direct_.sweep_writing);
    Counted counted(rows, connections_done_);
    setup.connections = &counted;
    result = simulate(points_[point], setup);
    rows.flush();
    if (!file.flush() || !rows_held->finish()) rows_failed();
  }
  const std::lock_guard lock(mutex_);
  results_[i] = std::move(result);
  done_[i] = true;
  ++finished_;
  ready_.notify_one();
}

void RunAll::stop(std::exception_ptr e) {
  const std::lock_guard lock(mutex_);
  if (!failure_) failure_ = std::move(e);
  next_.store(mine_.size());
  ready_.notify_one();
}

// Another rank's run: its rows wait their turn as this process's own runs' do (HeldRows).
void RunAll::receive(MpiWorld::Message&& m) {
  const std::string rank = "rank " + std::to_string(m.from);
  if (m.kind == MpiWorld::Kind::Failure) throw RemoteRunError(rank + ": " + m.bytes);
  RunRecord record;
  try {
    record = decode_run_record(m.bytes);
  } catch (const RunRecordError& e) {
    throw RemoteRunError(rank + " sent a damaged run: " + e.what());
  }
  const RunResult& r = record.result;
  const std::size_t i = r.point * repeat_ + r.replication;
  bool taken = true;
  if (r.point < points_.size() && r.replication < repeat_) {
    const std::lock_guard lock(mutex_);
    taken = done_[i];
  }
  if (taken) throw RemoteRunError(rank + " sent a run that was not its own");
  if (r.hosts.size() != points_[r.point].nodes.size())
    throw RemoteRunError(rank + " sent a damaged run: its hosts do not fit the scenario");
  auto held = std::make_unique<HeldRows>(chunk(i), held_budget_);
  const auto size = static_cast<std::streamsize>(record.connections_csv.size());
  if (held->sputn(record.connections_csv.data(), size) != size || !held->finish()) rows_failed();
  connections_done_.fetch_add(r.connections_opened, std::memory_order_relaxed);
  const std::lock_guard lock(mutex_);
  held_[i] = std::move(held);
  results_[i] = std::move(record.result);
  done_[i] = true;
}

// Takes the runs in order as they finish (and, with MPI, as they arrive).
void RunAll::gather(bool progress, std::ostream& err, const Take& take) {
  const auto start = std::chrono::steady_clock::now();
  auto last_drawn = start;
  bool shown = false;
  std::vector<std::size_t> wanted;
  if (world_ != nullptr)
    for (std::size_t i = 0; i < total_; ++i) wanted.push_back(i);
  else
    wanted = mine_;
  // Waiting for another rank, the main thread looks for its messages every millisecond.
  const auto wait =
      world_ != nullptr ? std::chrono::milliseconds(1) : std::chrono::milliseconds(100);
  // Whether run i is done (false: a run failed).
  const auto arrived = [&](std::size_t i, std::size_t taken) {
    for (;;) {
      if (world_ != nullptr)
        while (auto m = world_->poll()) receive(std::move(*m));
      {
        std::unique_lock lock(mutex_);
        if (!failure_ && !done_[i]) ready_.wait_for(lock, wait);
        if (failure_) return false;
        if (done_[i]) return true;
      }
      const auto now = std::chrono::steady_clock::now();
      if (progress && now - last_drawn >= std::chrono::milliseconds(100)) {
        last_drawn = now;
        progress_line_shown(true);  // before it is drawn: a signal may come while it is
        shown = show(err, start, taken) || shown;
      }
    }
  };
  // A run's rows in a file are read back in blocks of 1 MiB: with the file stream's own 8 KiB,
  // copying them into connections.csv took two system calls per 8 KiB (25 ms for 250,000 rows).
  // (A single run has written its rows itself.)
  std::vector<char> block(total_ > 1 ? std::size_t{1} << 20 : 0);
  for (std::size_t taken = 0; taken < wanted.size(); ++taken) {
    const std::size_t i = wanted[taken];
    if (!arrived(i, taken)) break;
    std::unique_ptr<HeldRows> held;
    {
      const std::lock_guard lock(mutex_);
      held = std::move(held_[i]);
    }
    std::istringstream none;
    std::unique_ptr<std::istream> rows = held ? held->read(block.data(), block.size()) : nullptr;
    if (held && rows == nullptr)
      throw OutputError("reading back a run's rows from " + scratch_.string() + " failed");
    take(i, results_[i], rows ? *rows : none);
    rows.reset();
    held.reset();  // its file, if any, goes now
    results_[i] = RunResult{};
    // The baton: the next run's rows, held so far, go into connections.csv now, and the rest
    // as that run writes them.
    HeldRows* next = nullptr;
    {
      const std::lock_guard lock(mutex_);
      taken_ = taken + 1;
      if (baton_ && taken_ < mine_.size()) next = held_[mine_[taken_]].get();
    }
    if (next != nullptr && !next->go_direct(*direct_.connections, block.data(), block.size()))
      rows_failed();
  }
  if (shown) err << "\r" << std::string(90, ' ') << "\r" << std::flush;
  progress_line_shown(false);
}

// An MPI rank other than 0: sends each finished run to rank 0.
void RunAll::send_all() {
  for (;;) {
    std::vector<std::string> batch;
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return !outbox_.empty() || finished_ == mine_.size() || failure_; });
      if (failure_) return;
      batch.swap(outbox_);
      last = finished_ == mine_.size();
    }
    for (const std::string& b : batch) world_->send(MpiWorld::Kind::Record, b);
    if (last) return;
  }
}

// After a second, a bar with the connections done (or, without any, the runs) and the time
// left; true if drawn.
bool RunAll::show(std::ostream& err, std::chrono::steady_clock::time_point start,
                  std::size_t runs_done) const {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (elapsed < 1.0) return false;
  const bool by_connection = connections_total_ > 0;
  const std::uint64_t total =
      by_connection ? connections_total_ : (world_ != nullptr ? total_ : mine_.size());
  const std::uint64_t done =
      std::min(total, by_connection ? connections_done_.load(std::memory_order_relaxed)
                                    : std::uint64_t{runs_done});
  const double share = static_cast<double>(done) / static_cast<double>(total);
  const int width = 30;
  const int filled = static_cast<int>(width * share);
  err << "\r[" << std::string(static_cast<std::size_t>(filled), '#')
      << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total
      << (by_connection ? " connections" : " runs");
  if (done > 0)
    err << ", about " << static_cast<int>(elapsed * (1 - share) / share + 0.5) << " s left";
  err << "   " << std::flush;
  return true;
}

}  // namespace synlab::app
