// ChartStyle: palette, pens, fonts and overlay text (chart_style.hpp).
#include "viz/chart_style.hpp"

#include <QFont>
#include <QFontMetricsF>
#include <QGraphicsLayout>
#include <QLegend>
#include <QLegendMarker>

#include <algorithm>
#include <array>
#include <cstdio>

namespace synlab::viz {

QColor series_color(std::size_t index) {
  static constexpr std::array<QRgb, 7> palette{0x000000, 0x0072B2, 0xD55E00, 0x009E73,
                                               0xCC79A7, 0xE69F00, 0x56B4E9};
  return QColor::fromRgb(palette[index % palette.size()]);
}

Qt::PenStyle series_dash(std::size_t index) {
  static constexpr std::array<Qt::PenStyle, 5> dashes{Qt::SolidLine, Qt::DashLine, Qt::DotLine,
                                                      Qt::DashDotLine, Qt::DashDotDotLine};
  return dashes[index % dashes.size()];
}

QScatterSeries::MarkerShape series_marker(std::size_t index) {
  static constexpr std::array<QScatterSeries::MarkerShape, 6> shapes{
      QScatterSeries::MarkerShapeCircle,   QScatterSeries::MarkerShapeRectangle,
      QScatterSeries::MarkerShapeTriangle, QScatterSeries::MarkerShapeStar,
      QScatterSeries::MarkerShapePentagon, QScatterSeries::MarkerShapeRotatedRectangle};
  return shapes[index % shapes.size()];
}

QPen series_pen(std::size_t index, double width) {
  QPen pen(series_color(index));
  pen.setWidthF(width);
  pen.setStyle(series_dash(index));
  return pen;
}

void style_chart(QChart* chart, const QString& title) {
  chart->setTheme(QChart::ChartThemeLight);  // first: a theme resets fonts and brushes
  QFont title_font;
  title_font.setPointSize(13);
  title_font.setBold(true);
  chart->setTitleFont(title_font);
  chart->setTitle(title);
  chart->setBackgroundBrush(Qt::white);
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
  QFont legend_font;
  legend_font.setPointSize(10);
  chart->legend()->setFont(legend_font);
}

void style_axis(QAbstractAxis* axis, const QString& title) {
  QFont label_font;
  label_font.setPointSize(10);
  axis->setLabelsFont(label_font);
  QFont title_font;
  title_font.setPointSize(11);
  axis->setTitleFont(title_font);
  axis->setTitleText(title);
  axis->setLabelsColor(Qt::black);
  axis->setTitleBrush(Qt::black);
  QPen grid(QColor(225, 225, 225));
  axis->setGridLinePen(grid);
}

QValueAxis* value_axis(const QString& title, double min, double max) {
  auto* axis = new QValueAxis();
  style_axis(axis, title);
  axis->setRange(min, max);
  return axis;
}

void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y) {
  chart->addSeries(series);
  series->attachAxis(x);
  series->attachAxis(y);
}

void hide_from_legend(QChart* chart, QAbstractSeries* series) {
  for (QLegendMarker* m : chart->legend()->markers(series)) m->setVisible(false);
}

void place_legend_inside(QChart* chart, Qt::Corner corner) {
  QLegend* legend = chart->legend();
  legend->setAlignment(Qt::AlignLeft);  // one entry per line
  legend->detachFromChart();
  // The plot area grows into the room the legend left.
  const QRectF geometry = chart->geometry();
  chart->layout()->invalidate();
  chart->layout()->activate();
  chart->setGeometry(geometry);
  legend->setBackgroundVisible(true);
  legend->setBrush(QColor(255, 255, 255, 235));
  legend->setPen(QPen(QColor(170, 170, 170)));
  // A detached legend lays its entries out in columns as tall as its geometry, so size it for
  // one entry per line.
  const QFontMetricsF metrics(legend->font());
  double text_width = 0;
  int entries = 0;
  for (QLegendMarker* m : legend->markers()) {
    if (!m->isVisible()) continue;
    text_width = std::max(text_width, metrics.horizontalAdvance(m->label()));
    ++entries;
  }
  const QSizeF size(text_width + 60, entries * (metrics.height() + 11) + 24);
  const QRectF plot = chart->plotArea();
  const double margin = 12;
  const double w = std::min(size.width() + 8, plot.width() - 2 * margin);
  const double h = std::min(size.height() + 4, plot.height() - 2 * margin);
  const bool left = corner == Qt::TopLeftCorner || corner == Qt::BottomLeftCorner;
  const bool top = corner == Qt::TopLeftCorner || corner == Qt::TopRightCorner;
  legend->setGeometry(QRectF(left ? plot.left() + margin : plot.right() - margin - w,
                             top ? plot.top() + margin : plot.bottom() - margin - h, w, h));
  legend->update();
}

QGraphicsSimpleTextItem* add_text(QGraphicsScene& scene, const QString& text, QPointF at,
                                  Anchor anchor, int point_size, QColor color, bool bold) {
  auto* item = scene.addSimpleText(text);
  QFont font;
  font.setPointSize(point_size);
  font.setBold(bold);
  item->setFont(font);
  item->setBrush(color);
  item->setZValue(10);
  const QRectF box = item->boundingRect();
  double x = at.x();
  if (anchor == Anchor::Center) x -= box.width() / 2;
  if (anchor == Anchor::Right) x -= box.width();
  item->setPos(x, at.y() - box.height() / 2);
  return item;
}

QString format_seconds(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6f", seconds);
  std::string s = buffer;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return QString::fromStdString(s);
}

QString qstr(const std::string& s) {
  return QString::fromStdString(s);
}

}  // namespace synlab::viz
