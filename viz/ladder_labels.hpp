// LadderLabels: where a ladder diagram's texts go, in the chart's pixels: each arrow's label
// along its arrow (rotated with it, never upside down) and each drop's "dropped: REASON" beside
// its cross, so that no two labels overlap and no label lies on another arrow. Pure geometry:
// the chart measures the texts with its fonts and draws the labels where this puts them.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "viz/ladder.hpp"

namespace synlab::viz {

struct PixelPoint {
  double x = 0;
  double y = 0;
};

struct PixelRect {
  double left = 0;
  double top = 0;
  double right = 0;
  double bottom = 0;
};

// A rectangle, possibly rotated: its corners in order around it.
using PixelQuad = std::array<PixelPoint, 4>;

// Ladder coordinates (x: axis index, y: ladder units) to pixels, as the chart's axes map them
// (both linear).
struct LadderPixels {
  double x0 = 0;  // pixel x of axis 0
  double x_per_axis = 1;
  double y0 = 0;  // pixel y of ladder y = 0
  double y_per_unit = 1;
  PixelPoint at(double x, double y) const { return {x0 + x * x_per_axis, y0 + y * y_per_unit}; }
};

struct TextSize {
  double width = 0;
  double height = 0;
};
// The size of `text` drawn in the label font (bold for a drop's label), in pixels.
using MeasureText = std::function<TextSize(const std::string& text, bool bold)>;

struct LadderLabel {
  std::size_t arrow = 0;  // index into Ladder::arrows
  bool drop = false;      // "dropped: REASON" at the arrow's end, rather than the arrow's label
  std::string text;
  bool bold = false;
  PixelPoint origin;   // the text's top-left corner; the text is rotated about it
  double degrees = 0;  // clockwise, as QTransform::rotate on a y-down scene
  PixelQuad box;       // where the text is: origin, then clockwise
  // No spot beside its arrow or cross was free: the label is nearby, unrotated, and a leader
  // line joins it to `anchor` (the arrow's middle, or the cross).
  bool leader = false;
  PixelPoint anchor;
};

// "SYN seq=0", with " (retransmission: timer, 1 s)" for a retransmission; `brief`, for want of
// room beside the arrow: " (resent: timer, 1 s)", " (resent: reply to resent SYN)".
std::string ladder_arrow_text(const LadderArrow& arrow, bool brief = false);

// Every label of `ladder`: the drops' first (they belong by their crosses), then the arrows'.
// Each takes the first free spot of its preferred ones: a drop's beside its cross (on the far
// side from the sender, the near side, under, over); an arrow's along the arrow, 1 px above it
// then below it, midway then at other points along it, between its lifelines then anywhere,
// and then a retransmission's again with its brief text (ladder_arrow_text).
// A spot is free when the label's box, grown by `margin_px`, meets no label already placed, no
// drop cross, no `fixed` box (other texts already drawn: the idle gaps' notes and marks, the
// states beside the lifelines, the chart's frame) and no arrow but its own (a drop's label not
// even its own). With no free spot there, the label goes unrotated, with a leader line to the
// arrow's middle (or the cross), to the nearest free spot on rings around it, else on a fine
// grid over the area; in full, else (an arrow's) with its brief text.
// `areas`: where labels may go, in order of preference (the plot area, then the whole image):
// the spots beside an arrow or cross must be in the first; a displaced label tries each in
// turn. No label goes outside the last: one for which it has no free spot at all goes level
// with its anchor, inside it, over others. With no areas, the rings reach past every obstacle
// (all lie in one bounded rectangle), so each label is placed, no two overlap and none lies on
// another arrow.
std::vector<LadderLabel> place_ladder_labels(const Ladder& ladder, const LadderPixels& pixels,
                                             const MeasureText& measure,
                                             const std::vector<PixelQuad>& fixed = {},
                                             const std::vector<PixelRect>& areas = {},
                                             double margin_px = 1);

// Half the side of the square a drop's cross is drawn in.
inline constexpr double drop_cross_half_px = 7;

// Whether two convex polygons (or a polygon and a segment: two points) share a point.
bool convex_overlap(const std::vector<PixelPoint>& a, const std::vector<PixelPoint>& b);
bool quads_overlap(const PixelQuad& a, const PixelQuad& b);
bool quad_meets_segment(const PixelQuad& q, PixelPoint from, PixelPoint to);

}  // namespace synlab::viz
