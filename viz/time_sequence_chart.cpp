// The time-sequence graph (Stevens style): sequence numbers against time, ACKs, drops.
#include <QLineSeries>
#include <QScatterSeries>

#include <algorithm>
#include <cmath>

#include "viz/chart_style.hpp"
#include "viz/charts.hpp"

namespace synlab::viz {

void draw_time_sequence(PlotCanvas& canvas, const TimeSequence& ts, const QString& title) {
  QChart* chart = canvas.add_chart();
  style_chart(chart, title);
  double t_min = 1e300;
  double t_max = -1e300;
  double s_min = 1e300;
  double s_max = -1e300;
  for (const auto* series :
       {&ts.sent, &ts.retransmitted, &ts.dropped, &ts.acks, &ts.acks_dropped, &ts.acked})
    for (const TimeSeqPoint& p : *series) {
      t_min = std::min(t_min, p.time_s);
      t_max = std::max(t_max, p.time_s);
      s_min = std::min(s_min, p.seq);
      s_max = std::max(s_max, p.seq + p.len);
    }
  // Time from the connection's first packet (at 0). A margin below 0 keeps the first marks
  // whole (Qt clips series at the plot area); it is narrower than a tick interval, so no
  // negative time is labelled.
  const double t_span = std::max(t_max - t_min, 0.01);
  const double t_raw = t_span / 8;
  const double t_decade = std::pow(10, std::floor(std::log10(t_raw)));
  const double t_tick = t_raw <= t_decade       ? t_decade
                        : t_raw <= 2 * t_decade ? 2 * t_decade
                        : t_raw <= 5 * t_decade ? 5 * t_decade
                                                : 10 * t_decade;
  const double t_pad = 0.04 * t_span;
  QString x_title = "time since the connection's first packet (s)";
  if (ts.start_s > 0) x_title += ", which left at " + format_seconds(ts.start_s) + " s";
  auto* x = value_axis(x_title, t_min - t_pad, t_max + 3 * t_pad + 0.12 * t_span);
  x->setTickType(QValueAxis::TicksDynamic);
  x->setTickAnchor(0);
  x->setTickInterval(t_tick);
  const int t_decimals = std::max(0, static_cast<int>(-std::floor(std::log10(t_tick) + 1e-9)));
  x->setLabelFormat(QString("%.%1f").arg(t_decimals));
  // Ticks at 1, 2 or 5 times a power of ten; a little room above and below the marks.
  const double span = std::max(1.0, s_max - s_min);
  const double raw = span / 8;
  const double decade = std::pow(10, std::floor(std::log10(raw)));
  const double tick = std::max(1.0, raw <= decade       ? decade
                                    : raw <= 2 * decade ? 2 * decade
                                    : raw <= 5 * decade ? 5 * decade
                                                        : 10 * decade);
  const double s_pad = std::max(0.6, 0.06 * span);
  auto* y = value_axis(
      "relative sequence number, " + qstr(ts.sender) + " to " + qstr(ts.receiver) + " (bytes)",
      s_min - s_pad, s_max + s_pad);
  y->setTickType(QValueAxis::TicksDynamic);
  y->setTickAnchor(0);
  y->setTickInterval(tick);
  y->setLabelFormat("%d");
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);

  // Stevens: a data segment is a vertical bar over the bytes it carries, [seq, seq + len].
  for (const auto& [points, color] :
       {std::pair{&ts.sent, QColor(Qt::black)}, std::pair{&ts.retransmitted, series_color(1)},
        std::pair{&ts.dropped, series_color(2)}})
    for (const TimeSeqPoint& p : *points) {
      if (p.len <= 0) continue;
      auto* bar = new QLineSeries();
      bar->append(p.time_s, p.seq);
      bar->append(p.time_s, p.seq + p.len);
      QPen pen(color);
      pen.setWidthF(2);
      bar->setPen(pen);
      attach(chart, bar, x, y);
      hide_from_legend(chart, bar);
    }

  // What the sender has had acknowledged so far: a staircase rising only when an ACK arrives.
  auto* ack_line = new QLineSeries();
  for (std::size_t i = 0; i < ts.acked.size(); ++i) {
    if (i > 0) ack_line->append(ts.acked[i].time_s, ts.acked[i - 1].seq);
    ack_line->append(ts.acked[i].time_s, ts.acked[i].seq);
  }
  if (!ts.acked.empty()) ack_line->append(x->max(), ts.acked.back().seq);
  QPen ack_pen(series_color(3));
  ack_pen.setWidthF(1.8);
  ack_pen.setStyle(Qt::DashLine);
  ack_line->setPen(ack_pen);
  ack_line->setName("acknowledged so far: the highest ACK number to reach " + qstr(ts.sender));
  attach(chart, ack_line, x, y);

  struct Kind {
    const std::vector<TimeSeqPoint>* points;
    QString name;
    QScatterSeries::MarkerShape shape;
    QColor color;
    double size;
    bool hollow;
  };
  const Kind kinds[] = {
      {&ts.sent, "segment sent by " + qstr(ts.sender), QScatterSeries::MarkerShapeCircle, Qt::black,
       11, false},
      {&ts.retransmitted, "retransmission", QScatterSeries::MarkerShapeTriangle, series_color(1),
       14, false},
      {&ts.dropped, "dropped", QScatterSeries::MarkerShapeStar, series_color(2), 18, false},
      {&ts.acks, "ACK sent by " + qstr(ts.receiver), QScatterSeries::MarkerShapeRectangle,
       series_color(3), 10, true},
      {&ts.acks_dropped, "ACK from " + qstr(ts.receiver) + " dropped",
       QScatterSeries::MarkerShapeStar, series_color(3), 18, true},
  };
  for (const Kind& k : kinds) {
    if (k.points->empty()) continue;
    auto* s = new QScatterSeries();
    s->setName(k.name);
    s->setMarkerShape(k.shape);
    s->setMarkerSize(k.size);
    s->setColor(k.hollow ? QColor(Qt::white) : k.color);
    s->setBorderColor(k.color);
    QPen border(k.color);
    border.setWidthF(2);
    s->setPen(border);
    for (const TimeSeqPoint& p : *k.points) s->append(p.time_s, p.seq);
    attach(chart, s, x, y);
  }
  canvas.layout();

  // Label each mark when there are few (a handshake has a handful).
  std::size_t count = 0;
  for (const Kind& k : kinds) count += k.points->size();
  if (count > 40) return;
  // Each label goes to the first free place near its mark (above for the sender's segments,
  // below for drops and ACKs); one that finds none is left out rather than overprinted.
  std::vector<QRectF> taken;
  int kind_index = 0;
  for (const Kind& k : kinds) {
    const double side = kind_index < 2 ? -1 : 1;
    for (const TimeSeqPoint& p : *k.points) {
      const QPointF at = chart->mapToScene(chart->mapToPosition(QPointF(p.time_s, p.seq)));
      for (int step = 0; step < 6; ++step) {
        const QPointF where = at + QPointF(10, side * (14 + 15 * step));
        auto* item = add_text(canvas.scene(), qstr(p.label), where, Anchor::Left, 9, k.color);
        const QRectF box = item->sceneBoundingRect();
        const bool clash = std::any_of(taken.begin(), taken.end(),
                                       [&](const QRectF& r) { return r.intersects(box); });
        if (!clash && chart->plotArea().translated(chart->pos()).contains(box)) {
          taken.push_back(box);
          break;
        }
        canvas.scene().removeItem(item);
        delete item;
      }
    }
    ++kind_index;
  }
}

}  // namespace synlab::viz
