// Placing a ladder diagram's labels without overlaps (see ladder_labels.hpp).
#include "viz/ladder_labels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace synlab::viz {
namespace {

// A rectangle of `size` whose local frame is rotated by `degrees` about `anchor`, its local
// top-left at (left, top), grown by `grow` on each side.
PixelQuad quad_at(PixelPoint anchor, double degrees, double left, double top, TextSize size,
                  double grow) {
  const double r = degrees * std::numbers::pi / 180;
  const double c = std::cos(r);
  const double s = std::sin(r);
  const auto map = [&](double u, double v) {
    return PixelPoint{anchor.x + u * c - v * s, anchor.y + u * s + v * c};
  };
  const double l = left - grow;
  const double t = top - grow;
  const double rr = left + size.width + grow;
  const double b = top + size.height + grow;
  return {map(l, t), map(rr, t), map(rr, b), map(l, b)};
}

struct Bounds {
  double left = std::numeric_limits<double>::infinity();
  double top = std::numeric_limits<double>::infinity();
  double right = -std::numeric_limits<double>::infinity();
  double bottom = -std::numeric_limits<double>::infinity();
  void add(PixelPoint p) {
    left = std::min(left, p.x);
    right = std::max(right, p.x);
    top = std::min(top, p.y);
    bottom = std::max(bottom, p.y);
  }
  double diagonal() const { return std::hypot(right - left, bottom - top); }
};

// What a label must keep clear of, indexed by a grid of square cells: each arrow and each quad is
// listed in every cell its bounding box meets, so free() tests only what lies near the quad it
// is asked about, not every arrow and label of the ladder (a ladder of 700 arrows took 25 s).
struct Obstacles {
  struct Segment {
    std::size_t arrow;
    PixelPoint from;
    PixelPoint to;
  };
  std::vector<Segment> segments;     // every arrow
  std::vector<PixelQuad> fixed;      // drop crosses, texts kept clear, the labels placed so far
  std::vector<Bounds> fixed_bounds;  // each one's bounding box, to skip the far ones fast
  Bounds bounds;                     // holds all of the above

  void add_segment(std::size_t arrow, PixelPoint from, PixelPoint to) {
    Bounds b;
    b.add(from), b.add(to), bounds.add(from), bounds.add(to);
    index(b, static_cast<std::uint32_t>(segments.size()) * 2);
    segments.push_back({arrow, from, to});
  }
  void add(const PixelQuad& q) {
    Bounds b;
    for (const PixelPoint& p : q) b.add(p), bounds.add(p);
    index(b, static_cast<std::uint32_t>(fixed.size()) * 2 + 1);
    fixed.push_back(q);
    fixed_bounds.push_back(b);
  }
  // `own`: the arrow whose segment the quad may touch (none for a drop's label).
  bool free(const PixelQuad& q, std::optional<std::size_t> own) const {
    Bounds qb;
    for (const PixelPoint& p : q) qb.add(p);
    ++query_;
    bool clear = true;
    each_cell(qb, [&](const std::vector<std::uint32_t>& items) {
      for (const std::uint32_t item : items) {
        std::uint64_t& seen = item % 2 == 0 ? segment_seen_[item / 2] : fixed_seen_[item / 2];
        if (seen == query_) continue;  // met in another cell already
        seen = query_;
        if (item % 2 == 0) {
          const Segment& s = segments[item / 2];
          if (std::max(s.from.x, s.to.x) < qb.left || qb.right < std::min(s.from.x, s.to.x) ||
              std::max(s.from.y, s.to.y) < qb.top || qb.bottom < std::min(s.from.y, s.to.y))
            continue;  // their bounding boxes are apart
          if (s.arrow != own && quad_meets_segment(q, s.from, s.to)) return clear = false;
        } else {
          const Bounds& b = fixed_bounds[item / 2];
          if (b.right < qb.left || qb.right < b.left || b.bottom < qb.top || qb.bottom < b.top)
            continue;
          if (quads_overlap(fixed[item / 2], q)) return clear = false;
        }
      }
      return true;
    });
    return clear;
  }

 private:
  static constexpr double cell = 64;  // pixels: a few labels' height, a label's width or two
  // Cells up to 2^30 from the origin (farther coordinates share the edge cells: only slower).
  static std::int64_t cell_of(double v) {
    constexpr double edge = 1 << 30;
    return static_cast<std::int64_t>(std::clamp(std::floor(v / cell), -edge, edge));
  }
  // An item over more cells than this is tested by every query instead (an arrow drawn
  // millions of pixels tall would otherwise fill memory with cells).
  static constexpr std::int64_t most_cells = 4096;
  static std::int64_t key(std::int64_t cx, std::int64_t cy) {
    return cx * 0x100000000LL + (cy & 0xffffffffLL);
  }
  // Calls `visit` with the items of each cell `b` meets, while it returns true.
  template <class Visit>
  void each_cell(const Bounds& b, Visit&& visit) const {
    if (!(b.left <= b.right && b.top <= b.bottom)) return;
    if (!visit(wide_)) return;
    for (std::int64_t cx = cell_of(b.left); cx <= cell_of(b.right); ++cx)
      for (std::int64_t cy = cell_of(b.top); cy <= cell_of(b.bottom); ++cy)
        if (const auto it = cells_.find(key(cx, cy)); it != cells_.end() && !visit(it->second))
          return;
  }
  // Lists `item` (2 x segment, or 2 x fixed + 1) in the cells of `b`.
  void index(const Bounds& b, std::uint32_t item) {
    if (item % 2 == 0)
      segment_seen_.push_back(0);
    else
      fixed_seen_.push_back(0);
    if (!std::isfinite(b.left) || !std::isfinite(b.right) || !std::isfinite(b.top) ||
        !std::isfinite(b.bottom))
      return;
    if ((cell_of(b.right) - cell_of(b.left) + 1) * (cell_of(b.bottom) - cell_of(b.top) + 1) >
        most_cells) {
      wide_.push_back(item);
      return;
    }
    for (std::int64_t cx = cell_of(b.left); cx <= cell_of(b.right); ++cx)
      for (std::int64_t cy = cell_of(b.top); cy <= cell_of(b.bottom); ++cy)
        cells_[key(cx, cy)].push_back(item);
  }
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> cells_;
  std::vector<std::uint32_t> wide_;  // items over more than most_cells
  // The query each item was last tested in (free() is const: a cache of its own work).
  mutable std::vector<std::uint64_t> segment_seen_;
  mutable std::vector<std::uint64_t> fixed_seen_;
  mutable std::uint64_t query_ = 0;
};

// (min, max) of the polygon's projection on `axis`.
std::pair<double, double> project(std::span<const PixelPoint> poly, PixelPoint axis) {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -lo;
  for (const PixelPoint& p : poly) {
    const double d = p.x * axis.x + p.y * axis.y;
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  return {lo, hi};
}

// Whether some edge normal of `a` separates a and b. (Spans, not vectors: free() asks this
// millions of times for a large ladder, and a vector is an allocation each.)
bool separated_by_edges_of(std::span<const PixelPoint> a, std::span<const PixelPoint> b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const PixelPoint p = a[i];
    const PixelPoint q = a[(i + 1) % a.size()];
    const PixelPoint normal{q.y - p.y, p.x - q.x};
    if (normal.x == 0 && normal.y == 0) continue;
    const auto [a_lo, a_hi] = project(a, normal);
    const auto [b_lo, b_hi] = project(b, normal);
    if (a_hi < b_lo || b_hi < a_lo) return true;
  }
  return false;
}

// The separating axis theorem: convex shapes are apart iff an edge normal of one separates
// their projections (a segment's own direction is covered by its normal and the other's).
bool convex_apart(std::span<const PixelPoint> a, std::span<const PixelPoint> b) {
  return separated_by_edges_of(a, b) || separated_by_edges_of(b, a);
}

}  // namespace

bool convex_overlap(const std::vector<PixelPoint>& a, const std::vector<PixelPoint>& b) {
  return !convex_apart(a, b);
}

bool quads_overlap(const PixelQuad& a, const PixelQuad& b) {
  return !convex_apart(a, b);
}

bool quad_meets_segment(const PixelQuad& q, PixelPoint from, PixelPoint to) {
  // A segment's "polygon" of two points: its one edge normal is the segment's normal; the
  // segment's direction must be tried too (a segment ending short of the box along it).
  const std::array<PixelPoint, 2> seg{from, to};
  if (convex_apart(q, seg)) return false;
  const PixelPoint along{to.x - from.x, to.y - from.y};
  const auto [s_lo, s_hi] = project(seg, along);
  const auto [q_lo, q_hi] = project(q, along);
  return !(s_hi < q_lo || q_hi < s_lo);
}

std::string ladder_arrow_text(const LadderArrow& a, bool brief) {
  std::string text = a.label;
  if (!a.retransmission) return text;
  std::string cause = a.retransmission_cause;
  const std::string retransmitted = "the retransmitted ";
  if (const auto at = cause.find(retransmitted); brief && at != std::string::npos)
    cause.replace(at, retransmitted.size(), "resent ");
  return text + (brief ? " (resent" : " (retransmission") + (cause.empty() ? "" : ": " + cause) +
         ")";
}

namespace {

// The offsets (i * dx, j * dy) whose distance from the origin is in (from, to], nearest first,
// where a step up or down counts five times a step along: sideways first, since a move up or
// down takes the label toward another instant's arrows.
std::vector<std::pair<double, double>> offsets_within(double from, double to, double dx,
                                                      double dy) {
  constexpr double vertical_weight = 5;
  const auto distance = [](double x, double y) { return std::hypot(x, vertical_weight * y); };
  std::vector<std::pair<double, double>> out;
  const int ni = static_cast<int>(to / dx);
  const int nj = static_cast<int>(to / (vertical_weight * dy));
  for (int i = -ni; i <= ni; ++i)
    for (int j = -nj; j <= nj; ++j) {
      const double d = distance(i * dx, j * dy);
      if (d > from && d <= to) out.emplace_back(i * dx, j * dy);
    }
  std::stable_sort(out.begin(), out.end(), [&](const auto& p, const auto& q) {
    return distance(p.first, p.second) < distance(q.first, q.second);
  });
  return out;
}

}  // namespace

std::vector<LadderLabel> place_ladder_labels(const Ladder& ladder, const LadderPixels& px,
                                             const MeasureText& measure,
                                             const std::vector<PixelQuad>& fixed,
                                             const std::vector<PixelRect>& areas, double margin) {
  Obstacles obstacles;
  for (const PixelQuad& q : fixed) obstacles.add(q);
  for (std::size_t i = 0; i < ladder.arrows.size(); ++i) {
    const LadderArrow& a = ladder.arrows[i];
    const PixelPoint from = px.at(a.x_from, a.y_from);
    const PixelPoint to = px.at(a.x_to, a.y_to);
    obstacles.add_segment(i, from, to);
    if (a.dropped)
      obstacles.add(quad_at(to, 0, -drop_cross_half_px, -drop_cross_half_px,
                            {2 * drop_cross_half_px, 2 * drop_cross_half_px}, 0));
  }
  std::vector<LadderLabel> labels;
  const PixelRect* first_area = areas.empty() ? nullptr : &areas.front();
  // Tries the text's box at (left, top) in the frame rotated by `degrees` about `anchor`; keeps
  // it if free (the box grown by `margin` meets nothing: the labels are kept exact, so two are
  // at least `margin` apart), within `inside` if set, and within `area` if not null.
  const auto try_place = [&](LadderLabel& label, PixelPoint anchor, double left, double top,
                             TextSize size, std::optional<std::size_t> own,
                             const std::function<bool(const PixelQuad&)>& inside,
                             const PixelRect* within_area) {
    if (!obstacles.free(quad_at(anchor, label.degrees, left, top, size, margin), own)) return false;
    const PixelQuad box = quad_at(anchor, label.degrees, left, top, size, 0);
    if (inside && !inside(box)) return false;
    if (within_area != nullptr && !std::all_of(box.begin(), box.end(), [&](const PixelPoint& p) {
          return p.x >= within_area->left && p.x <= within_area->right && p.y >= within_area->top &&
                 p.y <= within_area->bottom;
        }))
      return false;
    label.origin = box[0];
    label.box = box;
    obstacles.add(box);
    labels.push_back(label);
    return true;
  };
  // When no spot next to the anchor is free: the text unrotated, with a leader line back to the
  // anchor, within each area in turn: at the nearest free point of a grid around the anchor in
  // ever wider rings, else of a fine grid over the whole area. No label goes outside the last
  // area (the image): one with no free spot in it goes level with the anchor, over others.
  // With no areas, on the rings anywhere: every obstacle lies in one rectangle, and the anchor
  // too; a box whose middle is further from the anchor than that rectangle's diagonal plus the
  // box's own size is outside it, hence free. The rings reach that far (sideways, the grid's
  // points go as far as the ring), so they end with a free spot.
  // `brief`: a shorter text to try after `label.text` in each area, if not empty.
  const auto displace = [&](LadderLabel& label, PixelPoint anchor, TextSize size,
                            const std::string& brief) {
    label.degrees = 0;
    label.leader = true;
    label.anchor = anchor;
    const std::string full = label.text;
    const TextSize full_size = size;
    double far = obstacles.bounds.diagonal() + size.width + size.height + 2 * margin;
    if (!std::isfinite(far)) far = size.width + size.height;  // nothing to keep clear of
    // Rings twice as wide each time, on a grid twice as coarse: about a hundred spots a ring.
    const auto rings = [&](const PixelRect* in) {
      for (double from = -1, to = 64, step = 8; from <= far; from = to, to *= 2, step *= 2)
        for (const auto& [x, y] : offsets_within(from, to, step, step / 2))
          if (try_place(label, anchor, x - size.width / 2, y - size.height / 2, size, std::nullopt,
                        {}, in))
            return true;
      return false;
    };
    // Unbounded: not reached (see above); that far below the anchor nothing is in the way.
    double left = -size.width / 2;
    double top = far;
    // The rings reach only a fifth as far up or down as sideways, and sideways they soon leave
    // an area: then every spot of the area on a grid of 8 by 2 px, the nearest to the anchor
    // first.
    const auto grid = [&](const PixelRect& in) {
      const double lowest = in.top - anchor.y;  // the box's top, from the anchor
      const double highest = in.bottom - anchor.y - size.height;
      const double leftmost = in.left - anchor.x;  // the box's left, from the anchor
      const double rightmost = in.right - anchor.x - size.width;
      // For want of a free spot: the text level with the anchor, inside the area (a text wider
      // than the area flush with its left edge), over others.
      left = std::max(leftmost, std::min(-size.width / 2, rightmost));
      top = std::max(lowest, std::min(-size.height / 2, highest));
      struct Spot {
        double distance;  // of the box's middle from the anchor
        double x;
        double y;
      };
      std::vector<Spot> spots;
      for (double x = leftmost; x <= rightmost; x += 8)
        for (double y = lowest; y <= highest; y += 2)
          spots.push_back({std::hypot(x + size.width / 2, y + size.height / 2), x, y});
      std::stable_sort(spots.begin(), spots.end(),
                       [](const Spot& p, const Spot& q) { return p.distance < q.distance; });
      for (const Spot& spot : spots)
        if (try_place(label, anchor, spot.x, spot.y, size, std::nullopt, {}, &in)) return true;
      return false;
    };
    // Within each area in turn (the rings, then the grid); with no areas, anywhere.
    for (const PixelRect& in : areas) {
      label.text = full;
      size = full_size;
      if (rings(&in) || grid(in)) return;
      if (brief.empty()) continue;
      label.text = brief;
      size = measure(brief, label.bold);
      if (rings(&in) || grid(in)) return;
    }
    // (No free spot in the last area: the last text tried, where its grid left it.)
    if (areas.empty() && rings(nullptr)) return;
    const PixelQuad box = quad_at(anchor, 0, left, top, size, 0);
    label.origin = box[0];
    label.box = box;
    obstacles.add(box);
    labels.push_back(label);
  };

  // The drops' labels: beside the cross, on the far side from the arrow's sender, else on the
  // near side, under or over the cross; else displaced.
  for (std::size_t i = 0; i < ladder.arrows.size(); ++i) {
    const LadderArrow& a = ladder.arrows[i];
    if (!a.dropped) continue;
    LadderLabel label;
    label.arrow = i;
    label.drop = true;
    label.text = "dropped: " + a.drop_reason;
    label.bold = true;
    const TextSize size = measure(label.text, true);
    const PixelPoint cross = px.at(a.x_to, a.y_to);
    const double gap = drop_cross_half_px + 5;
    const bool rightwards = a.x_to >= a.x_from;
    const double far_left = rightwards ? gap : -gap - size.width;
    const double near_left = rightwards ? -gap - size.width : gap;
    const std::pair<double, double> spots[] = {{far_left, -size.height / 2},
                                               {near_left, -size.height / 2},
                                               {-size.width / 2, gap},
                                               {-size.width / 2, -gap - size.height}};
    const bool placed = std::any_of(std::begin(spots), std::end(spots), [&](const auto& spot) {
      return try_place(label, cross, spot.first, spot.second, size, std::nullopt, {}, first_area);
    });
    if (!placed) displace(label, cross, size, {});
  }

  // The arrows' labels, along their arrows; else displaced from the middle of the arrow.
  for (std::size_t i = 0; i < ladder.arrows.size(); ++i) {
    const LadderArrow& a = ladder.arrows[i];
    LadderLabel label;
    label.arrow = i;
    label.text = ladder_arrow_text(a);
    const TextSize size = measure(label.text, false);
    const PixelPoint p1 = px.at(a.x_from, a.y_from);
    const PixelPoint p2 = px.at(a.x_to, a.y_to);
    double degrees = std::atan2(p2.y - p1.y, p2.x - p1.x) * 180 / std::numbers::pi;
    if (degrees > 90) degrees -= 180;  // never upside down
    if (degrees < -90) degrees += 180;
    label.degrees = degrees;
    // Between the arrow's lifelines, give or take 4 px.
    const double left_px = px.at(static_cast<double>(std::min(a.from_axis, a.to_axis)), 0).x - 4;
    const double right_px = px.at(static_cast<double>(std::max(a.from_axis, a.to_axis)), 0).x + 4;
    const auto inside = [&](const PixelQuad& q) {
      return std::all_of(q.begin(), q.end(),
                         [&](const PixelPoint& p) { return p.x >= left_px && p.x <= right_px; });
    };
    const auto anchor_at = [&](double t) {
      return PixelPoint{p1.x + (p2.x - p1.x) * t, p1.y + (p2.y - p1.y) * t};
    };
    const auto beside = [&](TextSize text_size) {
      // Where along the arrow the label's middle goes (a fraction of its length), then the
      // label flush with the arrow's start or its end (for a label longer than a short arrow).
      const double length = std::hypot(p2.x - p1.x, p2.y - p1.y);
      const double half = length > 0 ? (text_size.width / 2 + 4) / length : 0.5;
      const bool reversed = p2.x < p1.x;  // the text reads from p2 to p1
      const double start = reversed ? 1 - half : half;
      const double end = reversed ? half : 1 - half;
      const double spots[] = {0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6, start, end};
      // Above the arrow (1 px over it, in the text's frame), then below it: first between the
      // lifelines, then anywhere.
      for (const bool need_inside : {true, false})
        for (const bool below : {false, true})
          for (const double t : spots)
            if (try_place(label, anchor_at(t), -text_size.width / 2,
                          below ? 1 : -text_size.height - 1, text_size, i,
                          need_inside ? inside : std::function<bool(const PixelQuad&)>(),
                          first_area))
              return true;
      return false;
    };
    bool placed = beside(size);
    // No room beside it: a retransmission's label shortened ("resent"), beside it.
    const std::string brief = ladder_arrow_text(a, true);
    const bool has_brief = brief != label.text;
    if (!placed && has_brief) {
      const std::string full = label.text;
      label.text = brief;
      placed = beside(measure(brief, false));
      if (!placed) label.text = full;
    }
    // Unrotated, it is no longer beside its arrow: it must keep clear of that one too. In full
    // if there is room in the area, else shortened.
    if (!placed) displace(label, anchor_at(0.5), size, has_brief ? brief : std::string());
  }
  return labels;
}

}  // namespace synlab::viz
