// Handshake time under loss: measured means with 95% CI error bars per series, and the
// analytic model's curves over them.
#include <QLineSeries>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

#include "viz/chart_style.hpp"
#include "viz/charts.hpp"

namespace synlab::viz {

void draw_timing(PlotCanvas& canvas, const TimingData& data,
                 const std::vector<TimingOverlay>& overlays, const QString& title) {
  QChart* chart = canvas.add_chart();
  style_chart(chart, title);
  double max_x = 0;
  double max_time = 0;
  for (const TimingSeries& s : data.series)
    for (const TimingPoint& p : s.points) {
      max_x = std::max(max_x, p.x);
      max_time = std::max({max_time, p.mean_s, p.ci95_high_s.value_or(0)});
    }
  for (const TimingOverlay& o : overlays)
    for (const auto* curve : {&o.cardwell, &o.schedule})
      for (const ModelPoint& m : *curve) max_time = std::max(max_time, m.time_s);
  if (max_x <= 0) max_x = 0.1;
  auto* x = value_axis(qstr(data.axis.label()), 0, max_x * 1.05);
  x->setTickType(QValueAxis::TicksDynamic);
  x->setTickAnchor(0);
  // About 8 ticks at 1, 2 or 5 times a power of ten, whatever the swept value's range.
  const double raw = max_x / 8;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / magnitude;
  const double interval = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
  x->setTickInterval(interval);
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(interval) + 1e-9)));
  x->setLabelFormat(QString("%.%1f").arg(decimals));
  auto* y = value_axis("mean handshake time (s), connect() to established", 0, max_time * 1.08);
  y->applyNiceNumbers();
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);

  const double cap = max_x * 0.008;  // half the width of an error bar's caps
  for (std::size_t i = 0; i < data.series.size(); ++i) {
    const TimingSeries& s = data.series[i];
    const QColor color = series_color(i);
    auto* line = new QLineSeries();
    QPen pen(color);
    pen.setWidthF(1.5);
    line->setPen(pen);
    line->setName(qstr(s.label) + ": line joining the measured means");
    auto* marks = new QScatterSeries();
    marks->setName(qstr(s.label) +
                   ": measured mean, 95% confidence interval over connections (not runs)");
    marks->setMarkerShape(series_marker(i));
    marks->setMarkerSize(12);
    marks->setColor(color);
    marks->setBorderColor(color);
    for (const TimingPoint& p : s.points) {
      line->append(p.x, p.mean_s);
      marks->append(p.x, p.mean_s);
      if (!p.ci95_low_s || !p.ci95_high_s || *p.ci95_high_s <= *p.ci95_low_s) continue;
      QPen bar_pen(color);
      bar_pen.setWidthF(1.8);
      for (const auto& [a, b] :
           {std::pair{QPointF(p.x, *p.ci95_low_s), QPointF(p.x, *p.ci95_high_s)},
            std::pair{QPointF(p.x - cap, *p.ci95_low_s), QPointF(p.x + cap, *p.ci95_low_s)},
            std::pair{QPointF(p.x - cap, *p.ci95_high_s), QPointF(p.x + cap, *p.ci95_high_s)}}) {
        auto* bar = new QLineSeries();
        bar->append(a);
        bar->append(b);
        bar->setPen(bar_pen);
        attach(chart, bar, x, y);
        hide_from_legend(chart, bar);
      }
    }
    attach(chart, line, x, y);
    attach(chart, marks, x, y);
    if (i >= overlays.size()) continue;
    const TimingOverlay& o = overlays[i];
    const std::pair<const std::vector<ModelPoint>*, Qt::PenStyle> curves[] = {
        {&o.cardwell, Qt::DashLine}, {&o.schedule, Qt::DotLine}};
    for (const auto& [curve, style] : curves) {
      if (curve->empty()) continue;
      auto* model = new QLineSeries();
      model->setName(qstr(curve == &o.cardwell ? o.cardwell_label : o.schedule_label));
      QPen model_pen(color);
      model_pen.setWidthF(2.2);
      model_pen.setStyle(style);
      model->setPen(model_pen);
      for (const ModelPoint& m : *curve) model->append(m.loss, m.time_s);
      attach(chart, model, x, y);
    }
  }
  canvas.layout();
  place_legend_inside(chart, Qt::TopLeftCorner);
  // The connections that timed out are not in the mean: say how many beside each point.
  QAbstractSeries* any = chart->series().isEmpty() ? nullptr : chart->series().front();
  std::uint64_t timed_out = 0;
  for (std::size_t i = 0; i < data.series.size() && any != nullptr; ++i)
    for (const TimingPoint& p : data.series[i].points) {
      if (p.timeouts == 0) continue;
      timed_out += p.timeouts;
      // Right of the point, or left of it in the last fifth of the axis (kept inside).
      const bool right = p.x < 0.8 * max_x;
      const QPointF at = chart->mapToScene(chart->mapToPosition(QPointF(p.x, p.mean_s), any)) +
                         QPointF(right ? 14 : -14, 14);
      add_text(canvas.scene(),
               QString::number(p.timeouts) + " of " + QString::number(p.connections) + " timed out",
               at, right ? Anchor::Left : Anchor::Right, 8, series_color(i));
    }
  if (timed_out > 0) {
    const QRectF plot = chart->plotArea();
    add_text(canvas.scene(),
             "\"k of n timed out\": connections that never established, left out of the mean and "
             "its interval",
             chart->mapToScene(QPointF(plot.right(), plot.bottom() - 10)), Anchor::Right, 8,
             QColor(80, 80, 80));
  }
}

}  // namespace synlab::viz
