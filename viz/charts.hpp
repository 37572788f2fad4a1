// Charts: the four plots drawn with Qt Charts onto a PlotCanvas from the data layer's types
// (ladder, time-sequence, timing under loss, CDF). Only drawing: no file reading here.
#pragma once

#include <QString>

#include <optional>
#include <string>
#include <vector>

#include "viz/cdf_data.hpp"
#include "viz/ladder.hpp"
#include "viz/model_curve.hpp"
#include "viz/plot_canvas.hpp"
#include "viz/time_sequence.hpp"
#include "viz/timing_data.hpp"

namespace synlab::viz {

void draw_ladder(PlotCanvas& canvas, const Ladder& ladder, const QString& title);

void draw_time_sequence(PlotCanvas& canvas, const TimeSequence& ts, const QString& title);

// The analytic curves drawn over one timing series (either may be empty).
struct TimingOverlay {
  std::string cardwell_label;  // e.g. "Cardwell et al., Ts = 1 s (linux)"
  std::vector<ModelPoint> cardwell;
  std::string schedule_label;  // e.g. "model with linux's SYN schedule"
  std::vector<ModelPoint> schedule;
};

// `overlays` has one entry per series of `data` (or is empty).
void draw_timing(PlotCanvas& canvas, const TimingData& data,
                 const std::vector<TimingOverlay>& overlays, const QString& title);

struct CdfPanel {
  std::string title;  // e.g. "tcp.profile=linux"
  std::vector<CdfCurve> curves;
  std::vector<std::string> labels;                          // one per curve, e.g. "loss 0.1"
  std::vector<std::optional<std::vector<CdfStep>>> models;  // one per curve
  std::string model_label;                                  // e.g. "model (Ts = 1 s, doubling)"
};

// One chart per panel, at most four to a row, all on the same time range, with one legend
// below them. `ccdf`: 1 - F(t) on a log axis (the tail) instead of F(t).
void draw_cdfs(PlotCanvas& canvas, const std::vector<CdfPanel>& panels, const QString& title,
               bool ccdf = false);

}  // namespace synlab::viz
