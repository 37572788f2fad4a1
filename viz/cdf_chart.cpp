// CDF of handshake times: one staircase per sweep point, the model's staircase over each, panels
// on one time range in rows of at most four, and one legend below them, outside the data.
#include <QGraphicsLineItem>
#include <QLineSeries>
#include <QLogValueAxis>

#include <algorithm>
#include <cmath>

#include "viz/chart_style.hpp"
#include "viz/charts.hpp"

namespace synlab::viz {
namespace {

constexpr int max_per_row = 4;  // wider rows make panels too narrow to read

// A step function through (time, F) steps, from x_min (F = 0) to x_max; with `ccdf`, through
// (time, 1 - F), never below `floor` (a log axis has no 0).
QLineSeries* staircase(const std::vector<CdfStep>& steps, double x_min, double x_max, bool ccdf,
                       double floor) {
  auto* line = new QLineSeries();
  auto y = [&](double f) { return ccdf ? std::max(1 - f, floor) : f; };
  double f = 0;
  line->append(x_min, y(0));
  for (const CdfStep& s : steps) {
    if (s.time_s > x_max) break;
    line->append(s.time_s, y(f));
    line->append(s.time_s, y(s.fraction));
    f = s.fraction;
  }
  line->append(x_max, y(f));
  return line;
}

// A legend entry drawn on the scene: a line sample in `pen`, then its label.
double legend_entry(QGraphicsScene& scene, QPointF at, const QPen& pen, const QString& label) {
  auto* sample = scene.addLine(at.x(), at.y(), at.x() + 34, at.y(), pen);
  sample->setZValue(10);
  auto* text = add_text(scene, label, QPointF(at.x() + 40, at.y()), Anchor::Left, 10);
  return 40 + text->boundingRect().width() + 24;
}

}  // namespace

void draw_cdfs(PlotCanvas& canvas, const std::vector<CdfPanel>& panels, const QString& title,
               bool ccdf) {
  const int count = static_cast<int>(panels.size());
  const int per_row = std::min(count, max_per_row);
  // The shared legend: one entry per curve of the fullest panel, three to a row, then one row
  // per distinct model (a panel per profile has one each).
  std::size_t curves = 0;
  const CdfPanel* fullest = nullptr;
  std::vector<std::string> models;
  for (const CdfPanel& p : panels) {
    if (fullest == nullptr || p.curves.size() > curves) fullest = &p, curves = p.curves.size();
    const bool has_model =
        std::any_of(p.models.begin(), p.models.end(), [](const auto& m) { return m.has_value(); });
    if (has_model && std::find(models.begin(), models.end(), p.model_label) == models.end())
      models.push_back(p.model_label);
  }
  const int legend_rows = static_cast<int>((curves + 2) / 3 + models.size());
  canvas.set_title(title);
  canvas.reserve_bottom(legend_rows * 22.0 + 16);

  // One time range for every panel, so that their curves compare by eye.
  double t_min = 1e300;
  double t_max = 0;
  double f_min = 1;  // the smallest positive 1 - F, for the CCDF's floor
  for (const CdfPanel& panel : panels)
    for (const CdfCurve& c : panel.curves) {
      if (c.steps.empty()) continue;
      t_min = std::min(t_min, c.steps.front().time_s);
      t_max = std::max(t_max, c.steps.back().time_s);
      for (const CdfStep& s : c.steps)
        if (1 - s.fraction > 1e-12) f_min = std::min(f_min, 1 - s.fraction);
    }
  if (t_max <= 0) t_min = 0.01, t_max = 1;
  const double x_min = std::pow(10, std::floor(std::log10(t_min * 0.8)));
  const double x_max = std::pow(10, std::ceil(std::log10(t_max * 1.25)));
  const double floor = std::pow(10, std::floor(std::log10(f_min)) - 1);

  std::vector<QChart*> charts;
  for (int k = 0; k < count; ++k) {
    const CdfPanel& panel = panels[static_cast<std::size_t>(k)];
    QChart* chart = canvas.add_chart(k, count, per_row);
    // The whole title, one parameter to a line (QChart titles are HTML), rather than elided.
    QString panel_title = panel.title.empty() ? QString("all connections") : qstr(panel.title);
    if (count > 2) panel_title.replace(", ", "<br>");
    style_chart(chart, panel_title);
    QFont panel_font = chart->titleFont();  // the canvas title is the big one
    panel_font.setPointSize(count > 2 ? 10 : 12);
    chart->setTitleFont(panel_font);
    chart->legend()->hide();
    charts.push_back(chart);
    auto* x = new QLogValueAxis();
    const bool narrow = per_row > 2;
    style_axis(x, narrow ? "time (s), log scale" : "handshake time (s), log scale");
    x->setBase(10);
    x->setRange(x_min, x_max);
    x->setLabelFormat("%g");
    x->setMinorTickCount(8);
    x->setMinorGridLineColor(QColor(240, 240, 240));
    QAbstractAxis* y_axis = nullptr;
    if (ccdf) {
      auto* y = new QLogValueAxis();
      style_axis(y, narrow ? "not yet established" : "fraction not yet established (log)");
      y->setBase(10);
      y->setRange(floor, 1.2);
      y->setLabelFormat("%g");
      y_axis = y;
    } else {
      auto* y = value_axis(
          narrow ? "fraction established" : "fraction of connections established by then", 0, 1.04);
      y->setTickType(QValueAxis::TicksDynamic);
      y->setTickAnchor(0);
      y->setTickInterval(0.1);
      y->setLabelFormat("%.1f");
      y_axis = y;
    }
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y_axis, Qt::AlignLeft);
    for (std::size_t i = 0; i < panel.curves.size(); ++i) {
      const CdfCurve& c = panel.curves[i];
      auto* measured = staircase(c.steps, x_min, x_max, ccdf, floor);
      measured->setPen(series_pen(i, 2.4));
      measured->setName(qstr(panel.labels[i]) + ", n = " + QString::number(c.connections));
      attach(chart, measured, x, y_axis);
      if (i >= panel.models.size() || !panel.models[i]) continue;
      auto* model = staircase(*panel.models[i], x_min, x_max, ccdf, floor);
      QPen pen(series_color(i));
      pen.setWidthF(1.2);
      pen.setStyle(Qt::DashLine);
      model->setPen(pen);
      model->setOpacity(0.85);
      model->setName(qstr(panel.model_label));
      attach(chart, model, x, y_axis);
    }
  }
  canvas.layout();

  // The legend, below the panels: the curves by label (the same colours and dashes in every
  // panel), then the model's thin dashed staircase.
  QGraphicsScene& scene = canvas.scene();
  const double row_height = 22;
  double y = canvas.height() - legend_rows * row_height - 4;
  for (std::size_t i = 0; fullest != nullptr && i < fullest->curves.size(); ++i) {
    const double x = 24 + static_cast<double>(i % 3) * (canvas.width() - 48) / 3.0;
    (void)legend_entry(scene, QPointF(x, y), series_pen(i, 2.4), qstr(fullest->labels[i]));
    if (i % 3 == 2 || i + 1 == fullest->curves.size()) y += row_height;
  }
  QPen dashed(QColor(60, 60, 60));
  dashed.setWidthF(1.2);
  dashed.setStyle(Qt::DashLine);
  for (const std::string& label : models) {
    (void)legend_entry(scene, QPointF(24, y), dashed,
                       "thin dashed, in each curve's colour: " + qstr(label));
    y += row_height;
  }
}

}  // namespace synlab::viz
