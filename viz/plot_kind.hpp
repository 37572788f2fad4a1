// PlotKind: the plots synlab draws (docs/plots.md), and their names as the command line,
// scenario files (outputs.plots) and messages write them.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace synlab::viz {

enum class PlotKind : std::uint8_t { Ladder, Timeseq, Timing, Cdf };

// In the order messages list them.
inline constexpr PlotKind all_plot_kinds[] = {PlotKind::Ladder, PlotKind::Timeseq, PlotKind::Timing,
                                              PlotKind::Cdf};

constexpr std::string_view to_string(PlotKind kind) {
  switch (kind) {
    case PlotKind::Ladder:
      return "ladder";
    case PlotKind::Timeseq:
      return "timeseq";
    case PlotKind::Timing:
      return "timing";
    case PlotKind::Cdf:
      return "cdf";
  }
  return "";
}

// "ladder" -> PlotKind::Ladder; nullopt for a name that is no kind.
constexpr std::optional<PlotKind> parse_plot_kind(std::string_view name) {
  for (const PlotKind k : all_plot_kinds)
    if (to_string(k) == name) return k;
  return std::nullopt;
}

}  // namespace synlab::viz
