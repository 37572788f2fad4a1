// CDF of handshake times: one staircase per sweep point, the model's staircase over each.
#include <QLineSeries>
#include <QLogValueAxis>

#include <algorithm>
#include <cmath>

#include "viz/chart_style.hpp"
#include "viz/charts.hpp"

namespace synlab::viz {
namespace {

// A step function through (time, F) steps, from x_min (F = 0) to x_max.
QLineSeries* staircase(const std::vector<CdfStep>& steps, double x_min, double x_max) {
  auto* line = new QLineSeries();
  double f = 0;
  line->append(x_min, 0);
  for (const CdfStep& s : steps) {
    if (s.time_s > x_max) break;
    line->append(s.time_s, f);
    line->append(s.time_s, s.fraction);
    f = s.fraction;
  }
  line->append(x_max, f);
  return line;
}

}  // namespace

void draw_cdfs(PlotCanvas& canvas, const std::vector<CdfPanel>& panels, const QString& title) {
  const int count = static_cast<int>(panels.size());
  if (count > 1) canvas.set_title(title);
  std::vector<QChart*> charts;
  for (int k = 0; k < count; ++k) {
    const CdfPanel& panel = panels[static_cast<std::size_t>(k)];
    QChart* chart = canvas.add_chart(k, count);
    style_chart(chart, count == 1 ? title : qstr(panel.title));
    charts.push_back(chart);
    double t_min = 1e300;
    double t_max = 0;
    for (const CdfCurve& c : panel.curves)
      if (!c.steps.empty()) {
        t_min = std::min(t_min, c.steps.front().time_s);
        t_max = std::max(t_max, c.steps.back().time_s);
      }
    if (t_max <= 0) t_min = 0.01, t_max = 1;
    const double x_min = std::pow(10, std::floor(std::log10(t_min * 0.8)));
    const double x_max = std::pow(10, std::ceil(std::log10(t_max * 1.25)));
    auto* x = new QLogValueAxis();
    style_axis(x, "handshake time (s), log scale");
    x->setBase(10);
    x->setRange(x_min, x_max);
    x->setLabelFormat("%g");
    x->setMinorTickCount(8);
    x->setMinorGridLineColor(QColor(240, 240, 240));
    auto* y = value_axis("fraction of connections established by then", 0, 1.04);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(0.1);
    y->setLabelFormat("%.1f");
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (std::size_t i = 0; i < panel.curves.size(); ++i) {
      const CdfCurve& c = panel.curves[i];
      auto* measured = staircase(c.steps, x_min, x_max);
      measured->setPen(series_pen(i, 2.4));
      measured->setName(qstr(panel.labels[i]) + ", n = " + QString::number(c.connections));
      attach(chart, measured, x, y);
      if (i >= panel.models.size() || !panel.models[i]) continue;
      auto* model = staircase(*panel.models[i], x_min, x_max);
      QPen pen(series_color(i));
      pen.setWidthF(1.2);
      pen.setStyle(Qt::DashLine);
      model->setPen(pen);
      model->setOpacity(0.85);
      attach(chart, model, x, y);
      if (i == 0) {
        model->setName("thin dashed: " + qstr(panel.model_label));
      } else {
        hide_from_legend(chart, model);
      }
    }
  }
  canvas.layout();
  for (QChart* chart : charts) place_legend_inside(chart, Qt::BottomRightCorner);
  // Each measured curve named on its first step too, so that it reads without colour.
  for (std::size_t k = 0; k < panels.size(); ++k) {
    QChart* chart = charts[k];
    const auto series = chart->series();
    std::vector<QRectF> taken;
    for (std::size_t i = 0; i < panels[k].curves.size(); ++i) {
      const CdfCurve& c = panels[k].curves[i];
      if (c.steps.empty() || c.steps.front().fraction >= 0.999) continue;
      const QPointF at = chart->mapToScene(chart->mapToPosition(
          QPointF(c.steps.front().time_s * 1.12, c.steps.front().fraction), series.front()));
      auto* item = add_text(canvas.scene(), qstr(panels[k].labels[i]), at + QPointF(0, -9),
                            Anchor::Left, 9, series_color(i));
      const QRectF box = item->sceneBoundingRect();
      if (std::any_of(taken.begin(), taken.end(),
                      [&](const QRectF& r) { return r.intersects(box); })) {
        canvas.scene().removeItem(item);
        delete item;
        continue;
      }
      taken.push_back(box);
    }
  }
}

}  // namespace synlab::viz
