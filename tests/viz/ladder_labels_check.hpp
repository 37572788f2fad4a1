// The promise of place_ladder_labels (viz/ladder_labels.hpp), checked on a ladder drawn at a
// scale: every label placed, no two meeting, none on a drop's cross, on a text kept clear, or on
// an arrow other than its own (a drop's label, or one moved away from its arrow: not even its
// own), and, given areas, none outside the last (the image). Shared by ladder_labels_test.cpp and
// render_test.cpp (the chart's fonts).
#pragma once

#include <doctest/doctest.h>

#include <vector>

#include "viz/ladder_labels.hpp"

namespace synlab::viz::test {

using viz::PixelPoint;
using viz::PixelQuad;

inline PixelQuad rect(double left, double top, double width, double height) {
  return {PixelPoint{left, top}, PixelPoint{left + width, top},
          PixelPoint{left + width, top + height}, PixelPoint{left, top + height}};
}

// Every check of the layout's promise, on `l` drawn at `px`; with `areas`, each label wholly
// inside the last (the image).
inline void check_no_overlap(const viz::Ladder& l, const viz::LadderPixels& px,
                             const std::vector<PixelQuad>& fixed, const viz::MeasureText& measure,
                             const std::vector<viz::PixelRect>& areas = {}) {
  const std::vector<viz::LadderLabel> labels =
      viz::place_ladder_labels(l, px, measure, fixed, areas);
  std::size_t drops = 0;
  for (const viz::LadderArrow& a : l.arrows) drops += a.dropped;
  REQUIRE(labels.size() == l.arrows.size() + drops);  // every arrow's label, every drop's
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const viz::LadderLabel& label = labels[i];
    CAPTURE(label.text);
    for (std::size_t j = i + 1; j < labels.size(); ++j) {
      CAPTURE(labels[j].text);
      CHECK_FALSE(viz::quads_overlap(label.box, labels[j].box));
    }
    for (std::size_t k = 0; k < l.arrows.size(); ++k) {
      const viz::LadderArrow& a = l.arrows[k];
      CAPTURE(k);
      if (k != label.arrow || label.drop || label.leader)  // moved away: clear of its own too
        CHECK_FALSE(
            viz::quad_meets_segment(label.box, px.at(a.x_from, a.y_from), px.at(a.x_to, a.y_to)));
      if (a.dropped) {
        const PixelPoint c = px.at(a.x_to, a.y_to);
        const double h = viz::drop_cross_half_px;
        CHECK_FALSE(viz::quads_overlap(label.box, rect(c.x - h, c.y - h, 2 * h, 2 * h)));
      }
    }
    for (const PixelQuad& f : fixed) CHECK_FALSE(viz::quads_overlap(label.box, f));
    if (!areas.empty())
      for (const PixelPoint& p : label.box) {
        const viz::PixelRect& bound = areas.back();
        CAPTURE(p.x);
        CAPTURE(p.y);
        CHECK(p.x >= bound.left);
        CHECK(p.x <= bound.right);
        CHECK(p.y >= bound.top);
        CHECK(p.y <= bound.bottom);
      }
  }
}

}  // namespace synlab::viz::test
