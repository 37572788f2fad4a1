// Ladder label placement (issue 14: labels never overlap). Two situations where they did: the
// server's two SYN/ACKs of one instant (synack-lost), and a SYN and a SYN/ACK lost crossing at
// one instant (lab 6, shared ticks). Whatever the scale, no two label boxes may meet, and no
// label may meet a drop's cross or an arrow other than its own (a drop's label, not even its
// own), nor a text kept clear.
#include "viz/ladder_labels.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "viz/ladder_labels_check.hpp"
#include "viz/ladder_labels_fixture.hpp"

namespace viz = synlab::viz;
using viz::PixelPoint;
using viz::PixelQuad;
using viz::test::check_no_overlap;
using viz::test::rect;

namespace {

// About DejaVu Sans at 10 pt on a 96 dpi canvas: 7.2 px a character (8.2 bold), 16 px a line.
viz::TextSize measure(const std::string& text, bool bold) {
  return {static_cast<double>(text.size()) * (bold ? 8.2 : 7.2), 16};
}

// The boxes the labels would have with nothing moved: each arrow's midway along it, 1 px above;
// each drop's to the far side of its cross.
std::vector<PixelQuad> naive_boxes(const viz::Ladder& l, const viz::LadderPixels& px) {
  std::vector<PixelQuad> boxes;
  for (const viz::LadderArrow& a : l.arrows) {
    const PixelPoint p1 = px.at(a.x_from, a.y_from);
    const PixelPoint p2 = px.at(a.x_to, a.y_to);
    double r = std::atan2(p2.y - p1.y, p2.x - p1.x);
    if (r > std::numbers::pi / 2) r -= std::numbers::pi;
    if (r < -std::numbers::pi / 2) r += std::numbers::pi;
    const viz::TextSize size = measure(viz::ladder_arrow_text(a), false);
    const PixelPoint mid{(p1.x + p2.x) / 2, (p1.y + p2.y) / 2};
    const auto map = [&](double u, double v) {
      return PixelPoint{mid.x + u * std::cos(r) - v * std::sin(r),
                        mid.y + u * std::sin(r) + v * std::cos(r)};
    };
    const double w = size.width / 2;
    const double top = -size.height - 1;
    boxes.push_back({map(-w, top), map(w, top), map(w, -1), map(-w, -1)});
    if (a.dropped) {
      const viz::TextSize d = measure("dropped: " + a.drop_reason, true);
      const double left = a.x_to >= a.x_from ? p2.x + 12 : p2.x - 12 - d.width;
      boxes.push_back(rect(left, p2.y - d.height / 2, d.width, d.height));
    }
  }
  return boxes;
}

std::size_t overlapping_pairs(const std::vector<PixelQuad>& boxes) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < boxes.size(); ++i)
    for (std::size_t j = i + 1; j < boxes.size(); ++j) n += viz::quads_overlap(boxes[i], boxes[j]);
  return n;
}

}  // namespace

TEST_CASE("geometry: convex quads and segments meet or not") {
  const PixelQuad a = rect(0, 0, 10, 10);
  CHECK(viz::quads_overlap(a, rect(5, 5, 10, 10)));
  CHECK(viz::quads_overlap(a, rect(2, 2, 2, 2)));   // inside
  CHECK(viz::quads_overlap(a, rect(10, 0, 5, 5)));  // touching counts
  CHECK_FALSE(viz::quads_overlap(a, rect(10.5, 0, 5, 5)));
  // A diamond whose bounding box meets the square's but which does not: |x-20| + |y-5| <= 10
  // stays right of x = 10.
  const PixelQuad diamond{PixelPoint{20, -5}, PixelPoint{30, 5}, PixelPoint{20, 15},
                          PixelPoint{10.5, 5}};
  CHECK_FALSE(viz::quads_overlap(a, diamond));
  CHECK(viz::quad_meets_segment(a, {-5, 5}, {15, 5}));  // through
  CHECK(viz::quad_meets_segment(a, {2, 2}, {3, 3}));    // inside
  CHECK_FALSE(viz::quad_meets_segment(a, {12, 0}, {20, 10}));
  CHECK_FALSE(viz::quad_meets_segment(a, {-5, 5}, {-1, 5}));      // short of it, along its line
  CHECK_FALSE(viz::quad_meets_segment(a, {1, 20.5}, {20.5, 1}));  // past the corner: x+y = 21.5
}

TEST_CASE("labels of the server's two SYN/ACKs of one instant do not overlap (synack-lost)") {
  const auto packets = viz::CsvTable::parse(viz::test::synack_lost_packets, "packets.csv");
  const auto states = viz::CsvTable::parse(viz::test::synack_lost_states, "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1);
  // The situation: two SYN/ACKs leave the server at 1.010 s (RFC 6298 (5.4) timer and the
  // reply to the retransmitted SYN), both retransmissions.
  std::size_t at_1010 = 0;
  for (const viz::LadderArrow& a : l.arrows)
    at_1010 += a.from_axis == 1 && std::abs(a.send_time_s - 1.01) < 1e-9 && a.retransmission;
  REQUIRE(at_1010 == 2);
  // The chart's scale at 1200x800 (45 px a unit), and tighter and looser ones.
  for (const double unit : {45.0, 30.0, 60.0}) {
    CAPTURE(unit);
    const viz::LadderPixels px{450, 400, 100, unit};
    if (unit == 45.0) CHECK(overlapping_pairs(naive_boxes(l, px)) > 0);  // without the layout
    check_no_overlap(l, px, {}, measure);
  }
}

TEST_CASE("labels of two drops crossing at one instant do not overlap (lab 6, shared ticks)") {
  const auto packets = viz::CsvTable::parse(viz::test::lab6_conn1_packets, "packets.csv");
  const auto states = viz::CsvTable::parse(viz::test::lab6_conn1_states, "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1);
  // The situation: the client's SYN and the server's SYN/ACK both sent at 1.028962 s and lost.
  std::size_t crossing = 0;
  for (const viz::LadderArrow& a : l.arrows)
    crossing += a.dropped && std::abs(a.send_time_s - 1.028961831) < 1e-9;
  REQUIRE(crossing == 2);
  // Notes of the idle gaps, as the chart writes them: kept clear too.
  std::vector<PixelQuad> notes;
  for (const double unit : {40.0, 25.0, 60.0}) {
    CAPTURE(unit);
    const viz::LadderPixels px{450, 400, 100, unit};
    notes.clear();
    for (const viz::LadderGap& g : l.gaps) {
      const PixelPoint mid = px.at(0.5, (g.y_from + g.y_to) / 2);
      notes.push_back(rect(mid.x - 100, mid.y - 8, 200, 16));
    }
    if (unit == 40.0) CHECK(overlapping_pairs(naive_boxes(l, px)) > 0);  // without the layout
    check_no_overlap(l, px, notes, measure);
  }
}

TEST_CASE("a label with no room beside its arrow still finds a free spot, with a leader") {
  // Ten arrows of one instant, all from axis 0 to 1 and 2 px apart: no label fits beside any.
  viz::Ladder l;
  l.axes = {"client", "server"};
  for (int i = 0; i < 10; ++i) {
    viz::LadderArrow a;
    a.from_axis = 0;
    a.to_axis = 1;
    a.x_to = 1;
    a.y_from = i * 0.05;
    a.y_to = 1 + i * 0.05;
    a.label = "SYN seq=" + std::to_string(i);
    l.arrows.push_back(a);
  }
  const viz::LadderPixels px{100, 400, 100, 40};
  check_no_overlap(l, px, {}, measure);
  const auto labels = viz::place_ladder_labels(l, px, measure);
  CHECK(std::any_of(labels.begin(), labels.end(), [](const auto& x) { return x.leader; }));
}

TEST_CASE("every label of a crowded ladder lies inside the image (lab 3, every SYN/ACK lost)") {
  const auto packets = viz::CsvTable::parse(viz::test::lab3_all_lost_packets, "packets.csv");
  const auto states = viz::CsvTable::parse(viz::test::lab3_all_lost_states, "states.csv");
  const viz::Ladder l = viz::build_ladder(packets, &states, 1);
  // The situation: 11 SYNs and 21 SYN/ACKs (docs/linux-reference.md case e), all of the
  // SYN/ACKs lost, several of them sent at the instant of a SYN.
  REQUIRE(l.arrows.size() == 32);
  // The image and the plot area in it, about as ladder_chart.cpp lays them out (the title, the
  // time axis and the legend around the plot area): at the default height for this ladder, at
  // the 1200x800 of an explicit --size, and narrower.
  for (const auto& [width, height] :
       {std::pair{1200.0, 1070.0}, {1200.0, 800.0}, {900.0, 1070.0}}) {
    CAPTURE(width);
    CAPTURE(height);
    const viz::PixelRect image{0, 0, width, height};
    const viz::PixelRect plot{110, 50, width - 30, height - 70};
    // The chart's axes: x from -0.8 to 1.8 (two lifelines, at 0 and 1), y from
    // top = -max(1.1, 0.08 y_max) to y_max + 0.9, over the plot area.
    const double x_per_axis = (plot.right - plot.left) / 2.6;
    const double y_top = -std::max(1.1, 0.08 * l.y_max);
    const double y_per_unit = (plot.bottom - plot.top) / (l.y_max + 0.9 - y_top);
    const viz::LadderPixels px{plot.left + 0.8 * x_per_axis, x_per_axis,
                               plot.top - y_top * y_per_unit, y_per_unit};
    check_no_overlap(l, px, {}, measure, {plot, image});
  }
}

TEST_CASE("a retransmission's label has a brief form, for want of room beside its arrow") {
  viz::LadderArrow a;
  a.label = "SYN, ACK seq=0 ack=1";
  CHECK(viz::ladder_arrow_text(a, true) == "SYN, ACK seq=0 ack=1");  // not a retransmission
  a.retransmission = true;
  a.retransmission_cause = "reply to the retransmitted SYN";
  CHECK(viz::ladder_arrow_text(a) ==
        "SYN, ACK seq=0 ack=1 (retransmission: reply to the retransmitted SYN)");
  CHECK(viz::ladder_arrow_text(a, true) == "SYN, ACK seq=0 ack=1 (resent: reply to resent SYN)");
  a.retransmission_cause = "timer, 8 s";
  CHECK(viz::ladder_arrow_text(a, true) == "SYN, ACK seq=0 ack=1 (resent: timer, 8 s)");
  a.retransmission_cause.clear();
  CHECK(viz::ladder_arrow_text(a, true) == "SYN, ACK seq=0 ack=1 (resent)");
}
