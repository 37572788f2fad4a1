// Rendering, headless (QT_QPA_PLATFORM=offscreen): every plot kind is written as PNG and SVG at
// the requested size, is not blank, and the SVG holds the expected labels.
#include <QColor>
#include <QFont>
#include <QGraphicsSimpleTextItem>
#include <QImage>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/support/temp_dir.hpp"
#include "viz/ladder_labels.hpp"
#include "viz/ladder_labels_check.hpp"
#include "viz/ladder_labels_fixture.hpp"
#include "viz/plot_writer.hpp"
#include "viz/qt_session.hpp"
#include "viz/run_files_fixture.hpp"
#include "viz/viz_error.hpp"

namespace fs = std::filesystem;
namespace viz = synlab::viz;

namespace {

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A temporary run directory: the fixture's single run, or a two-profile loss sweep.
using RunDir = synlab::test::TempDir;

const char* connections_header =
    "point,replication,conn,client,client_port,server,server_port,open_time,"
    "client_established,server_established,handshake_time,syns_sent,synacks_sent,outcome\n";

void write_single_run(const fs::path& dir) {
  write_file(dir / "packets.csv", viz::test::first_syn_lost_packets);
  write_file(dir / "states.csv", viz::test::first_syn_lost_states);
  write_file(dir / "connections.csv",
             std::string(connections_header) +
                 "0,0,1,client,40000,server,80,0,1.02,1.03,1.02,2,1,established\n");
  write_file(dir / "summary.json",
             R"({"scenario": {"name": "first-syn-lost"}, "seed": 1, "repeat": 1,
                 "points": [{"point": 0, "parameters": {}}]})");
}

void write_sweep(const fs::path& dir) {
  write_file(dir / "sweep.csv",
             "point,links.wan.loss,tcp.profile,runs,n,established,timeouts,refused,mean,median,"
             "p95,max,ci95_low,ci95_high\n"
             "0,0,linux,2,4,4,0,0,0.1,0.1,0.1,0.1,0.1,0.1\n"
             "1,0,classic,2,4,4,0,0,0.1,0.1,0.1,0.1,0.1,0.1\n"
             "2,0.2,linux,2,4,4,0,0,0.6,0.6,1.1,1.1,0.2,1.0\n"
             "3,0.2,classic,2,5,4,1,0,1.6,1.6,3.1,3.1,0.4,2.8\n");
  std::string conns = connections_header;
  for (int point = 0; point < 4; ++point)
    for (int conn = 1; conn <= 4; ++conn) {
      const double t = point < 2 || conn <= 2 ? 0.1 : (point == 2 ? 1.1 : 3.1);
      conns += std::to_string(point) + ",0," + std::to_string(conn) + ",c,1,s,80,0," +
               std::to_string(t) + ",0," + std::to_string(t) + ",1,1,established\n";
    }
  write_file(dir / "connections.csv", conns);
  write_file(dir / "summary.json",
             R"({"scenario": {"name": "lab"}, "seed": 2, "repeat": 2, "points": [
                 {"point": 0, "parameters": {"links.wan.loss": "0", "tcp.profile": "linux"},
                  "loss_both_ways": 0},
                 {"point": 1, "parameters": {"links.wan.loss": "0", "tcp.profile": "classic"},
                  "loss_both_ways": 0},
                 {"point": 2, "parameters": {"links.wan.loss": "0.2", "tcp.profile": "linux"},
                  "loss_both_ways": 0.2},
                 {"point": 3, "parameters": {"links.wan.loss": "0.2", "tcp.profile": "classic"},
                  "loss_both_ways": 0.2}
               ]})");
}

// Profile timers as the overlays would get them from app/ (doubling from 1 s or 3 s).
std::optional<viz::TcpTimers> test_timers(const std::string& profile) {
  if (profile == "linux")
    return viz::TcpTimers{"linux", 1, {0, 1, 2, 3, 4, 5, 7}, {0, 1, 3, 7}, std::nullopt};
  if (profile == "classic")
    return viz::TcpTimers{"classic", 3, {0, 3, 9, 21}, {0, 3, 9}, std::nullopt};
  return std::nullopt;
}

// Variance of the gray level over every pixel: 0 for a blank image.
double gray_variance(const QImage& image) {
  double sum = 0;
  double sum2 = 0;
  const double n = static_cast<double>(image.width()) * image.height();
  for (int y = 0; y < image.height(); ++y)
    for (int x = 0; x < image.width(); ++x) {
      const double g = qGray(image.pixel(x, y));
      sum += g;
      sum2 += g * g;
    }
  const double mean = sum / n;
  return sum2 / n - mean * mean;
}

}  // namespace

TEST_CASE("PNG: each plot at the requested size and not blank") {
  const viz::QtSession qt;
  RunDir single("render-single");
  write_single_run(single.path);
  RunDir sweep("render-sweep");
  write_sweep(sweep.path);
  viz::PlotOptions o;
  o.width = 900;
  o.height = 700;
  const auto a = viz::write_plots(single.path, single.path, o, test_timers);
  const auto b = viz::write_plots(sweep.path, sweep.path, o, test_timers);
  // ladder and timeseq; no sweep.csv for timing, and "all" leaves out the CDF of a single
  // connection (one step: nothing to read).
  CHECK(a.written.size() == 2);
  REQUIRE(a.skipped.size() == 2);
  CHECK(a.skipped[1].find("cdf plot of a single connection") != std::string::npos);
  CHECK(b.written.size() == 2);    // timing, cdf; no packets.csv for ladder and timeseq
  o.kinds = {viz::PlotKind::Cdf};  // asked for by name, it is drawn
  CHECK(viz::write_plots(single.path, single.path, o, test_timers).written.size() == 1);
  for (const auto& [dir, name] : {std::pair{single.path, "ladder"},
                                  std::pair{single.path, "timeseq"}, std::pair{single.path, "cdf"},
                                  std::pair{sweep.path, "timing"}, std::pair{sweep.path, "cdf"}}) {
    CAPTURE(name);
    const QImage image(QString::fromStdString((dir / (std::string(name) + ".png")).string()));
    REQUIRE_FALSE(image.isNull());
    CHECK(image.width() == 900);
    CHECK(image.height() == 700);
    // Drawn on an opaque white page: the file has no alpha channel to store (PNG colour type 2,
    // RGB, not 6, RGBA: a quarter less to filter and compress, the same pixels).
    CHECK_FALSE(image.hasAlphaChannel());
    // A white page with a few thin lines has a gray variance of a few hundred; a blank one 0.
    CHECK(gray_variance(image) > 100);
  }
}

TEST_CASE("SVG: the requested size and the expected labels") {
  const viz::QtSession qt;
  RunDir single("render-svg-single");
  write_single_run(single.path);
  RunDir sweep("render-svg-sweep");
  write_sweep(sweep.path);
  viz::PlotOptions o;
  o.format = viz::PlotFormat::Svg;
  (void)viz::write_plots(single.path, single.path, o, test_timers);
  (void)viz::write_plots(sweep.path, sweep.path, o, test_timers);
  const std::string ladder = read_file(single.path / "ladder.svg");
  CHECK(ladder.find("width=\"1200") != std::string::npos);  // the default 1200x800
  CHECK(ladder.find("height=\"800") != std::string::npos);
  for (const char* label :
       {"SYN seq=0", "SYN, ACK seq=0 ack=1", "dropped: scripted", "(retransmission: timer, 1 s)",
        "connect() returned after 1.02 s", "SYN-SENT", "ESTABLISHED", "client", "server",
        "time (s), idle gaps shortened", "first-syn-lost"}) {
    CAPTURE(label);
    CHECK(ladder.find(label) != std::string::npos);
  }
  const std::string timeseq = read_file(single.path / "timeseq.svg");
  CHECK(timeseq.find("relative sequence number") != std::string::npos);
  CHECK(timeseq.find("time since the connection's first packet (s)") != std::string::npos);
  CHECK(timeseq.find("acknowledged so far: the highest ACK number to reach client") !=
        std::string::npos);
  const std::string timing = read_file(sweep.path / "timing.svg");
  for (const char* label :
       {"links.wan.loss (probability)", "mean handshake time (s)", "tcp.profile=linux",
        "tcp.profile=classic", "Cardwell et al.",
        // The lines joining the means have a legend entry; the CI is over connections.
        "tcp.profile=linux: line joining the measured means",
        "95% confidence interval over connections (not runs)",
        "95% confidence intervals over connections"}) {
    CAPTURE(label);
    CHECK(timing.find(label) != std::string::npos);
  }
  // Point 3 (0.2, classic) lost 1 of its 5 connections: counted on the plot.
  CHECK(timing.find("1 of 5 timed out") != std::string::npos);
  const std::string cdf = read_file(sweep.path / "cdf.svg");
  CHECK(cdf.find("handshake time (s), log scale") != std::string::npos);
  CHECK(cdf.find("links.wan.loss=0.2") != std::string::npos);
  // The model follows the profile's schedule (test_timers: linux SYNs at 0, 1, 2, 3, 4, 5, 7).
  CHECK(cdf.find("linux model: SYNs resent at 1, 2, 3, 4, 5, 7 s") != std::string::npos);
  o.kinds = {viz::PlotKind::Cdf};
  o.ccdf = true;
  (void)viz::write_plots(sweep.path, sweep.path, o, test_timers);
  const std::string ccdf = read_file(sweep.path / "ccdf.svg");  // beside cdf.svg
  CHECK(ccdf.find("CCDF of handshake times") != std::string::npos);
  CHECK(ccdf.find("fraction not yet established (log)") != std::string::npos);
}

TEST_CASE("the models are drawn only where the swept loss is the one link's, both ways") {
  // A sweep of links.wan.loss beside loss on another link (or of one direction): a real run
  // writes no loss_both_ways at the points where another loss adds to the swept one, and the
  // model, which takes the swept value as the path's whole loss, would not be the run's.
  const viz::QtSession qt;
  RunDir sweep("render-svg-model-not-the-path");
  write_sweep(sweep.path);
  std::string summary = read_file(sweep.path / "summary.json");
  for (const std::string value : {"0", "0.2"})
    for (std::size_t at; (at = summary.find(",\n                  \"loss_both_ways\": " + value)) !=
                         std::string::npos;)
      summary.erase(at, summary.find('}', at) - at);
  REQUIRE(summary.find("loss_both_ways") == std::string::npos);
  write_file(sweep.path / "summary.json", summary);
  viz::PlotOptions o;
  o.format = viz::PlotFormat::Svg;
  (void)viz::write_plots(sweep.path, sweep.path, o, test_timers);
  const std::string timing = read_file(sweep.path / "timing.svg");
  CHECK(timing.find("tcp.profile=linux") != std::string::npos);  // the measured means
  CHECK(timing.find("Cardwell et al.") == std::string::npos);
  const std::string cdf = read_file(sweep.path / "cdf.svg");
  CHECK(cdf.find("links.wan.loss=0.2") != std::string::npos);
  CHECK(cdf.find("linux model: SYNs resent at") == std::string::npos);
}

TEST_CASE("plots a run cannot make are errors that say why") {
  const viz::QtSession qt;
  RunDir single("render-errors");
  write_single_run(single.path);
  viz::PlotOptions o;
  o.kinds = {viz::PlotKind::Timing};
  CHECK_THROWS_AS(viz::write_plots(single.path, single.path, o, test_timers), viz::VizError);
  CHECK_THROWS_AS(viz::write_plots(single.path / "missing", single.path, {}, test_timers),
                  viz::VizError);
  o.kinds = {viz::PlotKind::Ladder};
  o.width = 20;
  CHECK_THROWS_AS(viz::write_plots(single.path, single.path, o, test_timers), viz::VizError);
}

TEST_CASE("ladder labels measured in the chart's fonts do not overlap (issue 14)") {
  const viz::QtSession qt;
  // As ladder_chart.cpp measures them: 10 pt, bold for a drop's label.
  const viz::MeasureText measure = [](const std::string& text, bool bold) {
    QGraphicsSimpleTextItem item(QString::fromStdString(text));
    QFont font;
    font.setPointSize(10);
    font.setBold(bold);
    item.setFont(font);
    return viz::TextSize{item.boundingRect().width(), item.boundingRect().height()};
  };
  CHECK(measure("dropped: loss", true).width > measure("dropped: loss", false).width);
  const struct {
    const char* name;
    const char* packets;
    const char* states;
  } runs[] = {{"synack-lost", viz::test::synack_lost_packets, viz::test::synack_lost_states},
              {"lab 6 connection 1", viz::test::lab6_conn1_packets, viz::test::lab6_conn1_states}};
  for (const auto& run : runs) {
    CAPTURE(run.name);
    const auto packets = viz::CsvTable::parse(run.packets, "packets.csv");
    const auto states = viz::CsvTable::parse(run.states, "states.csv");
    const viz::Ladder l = viz::build_ladder(packets, &states, 1);
    for (const double unit : {25.0, 40.0, 45.0, 60.0}) {
      CAPTURE(unit);
      viz::test::check_no_overlap(l, {450, 400, 100, unit}, {}, measure);
    }
  }
}
