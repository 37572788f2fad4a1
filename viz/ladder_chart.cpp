// The ladder (sequence) diagram: lifelines, arrows, arrowheads, drop crosses, labels, states.
#include <QCategoryAxis>
#include <QGraphicsLineItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPolygonF>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <set>

#include "viz/chart_style.hpp"
#include "viz/charts.hpp"
#include "viz/ladder_labels.hpp"

namespace synlab::viz {
namespace {

enum class ArrowKind { Segment, Retransmission, Dropped };

ArrowKind kind_of(const LadderArrow& a) {
  if (a.dropped) return ArrowKind::Dropped;
  return a.retransmission ? ArrowKind::Retransmission : ArrowKind::Segment;
}

QPen arrow_pen(ArrowKind kind) {
  QPen pen;
  pen.setWidthF(2.2);
  switch (kind) {
    case ArrowKind::Segment:
      pen.setColor(Qt::black);
      break;
    case ArrowKind::Retransmission:
      pen.setColor(series_color(1));
      pen.setStyle(Qt::DashLine);
      break;
    case ArrowKind::Dropped:
      pen.setColor(series_color(2));
      pen.setStyle(Qt::DotLine);
      pen.setWidthF(2.8);
      break;
  }
  return pen;
}

QString legend_name(ArrowKind kind) {
  switch (kind) {
    case ArrowKind::Segment:
      return "segment (send time to arrival time)";
    case ArrowKind::Retransmission:
      return "retransmission";
    case ArrowKind::Dropped:
      return "dropped (stops midway, x)";
  }
  return {};
}

}  // namespace

void draw_ladder(PlotCanvas& canvas, const Ladder& l, const QString& title) {
  QChart* chart = canvas.add_chart();
  style_chart(chart, title);
  const double last_axis = static_cast<double>(l.axes.size()) - 1;
  auto* x = value_axis("", -0.8, last_axis + 0.8);
  x->setVisible(false);
  auto* y = new QCategoryAxis();
  style_axis(y, "time (s), idle gaps shortened");
  y->setReverse(true);
  const double top = -std::max(1.1, 0.08 * l.y_max);  // room for the node names
  const double bottom = l.y_max + 0.9;
  y->setRange(top, bottom);
  y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
  // One label per event time, skipping those that would overlap the previous one.
  std::set<QString> used;
  double last_label = -1e9;
  for (const LadderTimeMark& m : l.time_marks) {
    const QString text = format_seconds(m.time_s);
    if (m.y - last_label < 0.45 || used.count(text) != 0) continue;
    y->append(text, m.y);
    used.insert(text);
    last_label = m.y;
  }
  chart->addAxis(x, Qt::AlignBottom);
  chart->addAxis(y, Qt::AlignLeft);

  std::vector<QLineSeries*> lifelines;
  for (std::size_t i = 0; i < l.axes.size(); ++i) {
    auto* line = new QLineSeries();
    line->append(static_cast<double>(i), top * 0.55);
    line->append(static_cast<double>(i), bottom - 0.2);
    QPen pen(QColor(160, 160, 160));
    pen.setWidthF(4);
    line->setPen(pen);
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    hide_from_legend(chart, line);
    lifelines.push_back(line);
  }
  std::vector<QLineSeries*> arrow_series;
  std::set<ArrowKind> in_legend;
  for (const LadderArrow& a : l.arrows) {
    auto* line = new QLineSeries();
    line->append(a.x_from, a.y_from);
    line->append(a.x_to, a.y_to);
    const ArrowKind kind = kind_of(a);
    line->setPen(arrow_pen(kind));
    line->setName(legend_name(kind));
    chart->addSeries(line);
    line->attachAxis(x);
    line->attachAxis(y);
    if (!in_legend.insert(kind).second) hide_from_legend(chart, line);
    arrow_series.push_back(line);
  }
  canvas.layout();

  QGraphicsScene& scene = canvas.scene();
  auto to_scene = [&](double ax, double ay) {
    return chart->mapToScene(chart->mapToPosition(QPointF(ax, ay), lifelines.front()));
  };

  // What the arrows' labels must keep clear of, drawn first: the node names, the idle gaps'
  // marks and notes, the states and the connect() bracket.
  std::vector<PixelQuad> kept_clear;
  const auto quad_of = [](const QRectF& r) {
    return PixelQuad{PixelPoint{r.left(), r.top()}, PixelPoint{r.right(), r.top()},
                     PixelPoint{r.right(), r.bottom()}, PixelPoint{r.left(), r.bottom()}};
  };
  // Node names above the lifelines.
  for (std::size_t i = 0; i < l.axes.size(); ++i)
    kept_clear.push_back(
        quad_of(add_text(scene, qstr(l.axes[i]), to_scene(static_cast<double>(i), top * 0.78),
                         Anchor::Center, 13, Qt::black, true)
                    ->sceneBoundingRect()));

  // Idle gaps.
  for (const LadderGap& g : l.gaps) {
    const double mid = (g.y_from + g.y_to) / 2;
    for (std::size_t i = 0; i < l.axes.size(); ++i) {
      const QPointF p = to_scene(static_cast<double>(i), mid);
      scene.addRect(QRectF(p.x() - 9, p.y() - 5, 18, 10), QPen(Qt::NoPen), QBrush(Qt::white))
          ->setZValue(6);
      QPen mark(QColor(90, 90, 90));
      mark.setWidthF(1.6);
      scene.addLine(QLineF(p + QPointF(-10, -1), p + QPointF(10, -7)), mark)->setZValue(7);
      scene.addLine(QLineF(p + QPointF(-10, 7), p + QPointF(10, 1)), mark)->setZValue(7);
      kept_clear.push_back(quad_of(QRectF(p.x() - 10, p.y() - 7, 20, 14)));
    }
    const QRectF note =
        add_text(scene, "... " + format_seconds(g.skipped_s) + " s with no event ...",
                 to_scene(last_axis / 2, mid), Anchor::Center, 10, QColor(90, 90, 90))
            ->sceneBoundingRect();
    kept_clear.push_back(quad_of(note));
  }

  // States beside the axes (before the labels, which keep clear of them): left of the first, right
  // of the others; a label that would overlap the one above it on the same axis moves down.
  std::vector<double> free_from(l.axes.size(), -1e300);  // scene y below the last label
  for (const LadderStateLabel& s : l.states) {
    QString text;
    for (const std::string& st : s.states) text += (text.isEmpty() ? "" : " → ") + qstr(st);
    const QPointF p = to_scene(static_cast<double>(s.axis), s.y);
    const bool left = s.axis == 0 && l.axes.size() > 1;
    auto* item = add_text(scene, text, p + QPointF(left ? -10 : 10, 0),
                          left ? Anchor::Right : Anchor::Left, 10, QColor(0, 90, 50), true);
    const double overlap = free_from[s.axis] - item->sceneBoundingRect().top();
    if (overlap > 0) item->moveBy(0, overlap);
    const QRectF box = item->sceneBoundingRect().adjusted(-3, -1, 3, 1);
    free_from[s.axis] = box.bottom() + 3;
    auto* back = scene.addRect(box, QPen(QColor(0, 120, 70)), QBrush(QColor(235, 247, 238)));
    back->setZValue(9);
    kept_clear.push_back(quad_of(box));
  }

  // From the first SYN to connect() returning: a bracket left of the client's lifeline.
  if (l.connect_time && l.connect_time->y_to > l.connect_time->y_from) {
    const LadderSpan& c = *l.connect_time;
    const QPointF a = to_scene(-0.62, c.y_from);
    const QPointF b = to_scene(-0.62, c.y_to);
    QPen pen(QColor(110, 60, 150));
    pen.setWidthF(1.8);
    for (const QLineF& line :
         {QLineF(a, b), QLineF(a, a + QPointF(8, 0)), QLineF(b, b + QPointF(8, 0))})
      scene.addLine(line, pen)->setZValue(8);
    auto* item =
        scene.addSimpleText("connect() returned after " + format_seconds(c.seconds) + " s");
    QFont font;
    font.setPointSize(10);
    font.setBold(true);
    item->setFont(font);
    item->setBrush(pen.color());
    item->setZValue(10);
    const QRectF box = item->boundingRect();
    QTransform t;  // along the bracket, reading upwards
    t.translate(a.x() - 6, (a.y() + b.y()) / 2);
    t.rotate(-90);
    t.translate(-box.width() / 2, -box.height());
    item->setTransform(t);
    kept_clear.push_back(
        quad_of(item->sceneBoundingRect().united(QRectF(a, b).adjusted(0, 0, 8, 0))));
  }

  // Arrowheads and drop crosses.
  for (const LadderArrow& a : l.arrows) {
    const QPointF p1 = to_scene(a.x_from, a.y_from);
    const QPointF p2 = to_scene(a.x_to, a.y_to);
    const QPen pen = arrow_pen(kind_of(a));
    if (a.dropped) {
      QPen cross = pen;
      cross.setStyle(Qt::SolidLine);
      cross.setWidthF(3);
      const double r = drop_cross_half_px;
      scene.addLine(QLineF(p2 + QPointF(-r, -r), p2 + QPointF(r, r)), cross)->setZValue(5);
      scene.addLine(QLineF(p2 + QPointF(-r, r), p2 + QPointF(r, -r)), cross)->setZValue(5);
    } else {
      const double angle = std::atan2(p2.y() - p1.y(), p2.x() - p1.x());
      const double size = 11;
      QPolygonF head;
      head << p2 << p2 - QPointF(size * std::cos(angle - 0.4), size * std::sin(angle - 0.4))
           << p2 - QPointF(size * std::cos(angle + 0.4), size * std::sin(angle + 0.4));
      QPen outline(pen.color());
      scene.addPolygon(head, outline, QBrush(pen.color()))->setZValue(5);
    }
  }

  // The labels, where place_ladder_labels puts them (no two overlap, none lies on another
  // arrow), measured in the fonts they are drawn in.
  const auto label_font = [](bool bold) {
    QFont font;
    font.setPointSize(10);
    font.setBold(bold);
    return font;
  };
  const MeasureText measure = [&](const std::string& text, bool bold) {
    QGraphicsSimpleTextItem item(qstr(text));
    item.setFont(label_font(bold));
    const QRectF box = item.boundingRect();
    return TextSize{box.width(), box.height()};
  };
  // In the plot area (a ladder too crowded for that puts the last labels outside it: a larger
  // --size gives them room), never outside the image.
  const QRectF plot = chart->mapRectToScene(chart->plotArea());
  const QRectF image = scene.sceneRect();
  // Outside the plot area, the title above it, the time axis left of it and the legend below it
  // are kept clear too (2 px short of the plot area, which a label's box may touch).
  kept_clear.push_back(
      quad_of(QRectF(QPointF(image.left(), image.top()), QPointF(image.right(), plot.top() - 2))));
  kept_clear.push_back(quad_of(
      QRectF(QPointF(image.left(), image.top()), QPointF(plot.left() - 2, image.bottom()))));
  kept_clear.push_back(quad_of(chart->legend()->sceneBoundingRect()));
  const std::vector<PixelRect> areas{{plot.left(), plot.top(), plot.right(), plot.bottom()},
                                     {image.left(), image.top(), image.right(), image.bottom()}};
  const QPointF origin = to_scene(0, 0);
  const LadderPixels pixels{origin.x(), to_scene(1, 0).x() - origin.x(), origin.y(),
                            to_scene(0, 1).y() - origin.y()};
  for (const LadderLabel& label : place_ladder_labels(l, pixels, measure, kept_clear, areas)) {
    const LadderArrow& a = l.arrows[label.arrow];
    const ArrowKind kind = kind_of(a);
    auto* item = scene.addSimpleText(qstr(label.text));
    item->setFont(label_font(label.bold));
    item->setBrush(kind == ArrowKind::Segment ? QColor(Qt::black) : arrow_pen(kind).color());
    item->setZValue(10);
    QTransform t;
    t.translate(label.origin.x, label.origin.y);
    t.rotate(label.degrees);
    item->setTransform(t);
    if (label.leader) {  // from its arrow (or cross) to the nearest point of the text's box
      const QRectF box = t.mapRect(item->boundingRect());
      const QPointF from(label.anchor.x, label.anchor.y);
      const QPointF to(std::clamp(from.x(), box.left(), box.right()),
                       std::clamp(from.y(), box.top(), box.bottom()));
      QPen leader(item->brush().color());
      leader.setWidthF(1);
      leader.setStyle(Qt::DotLine);
      scene.addLine(QLineF(from, to), leader)->setZValue(9);
    }
    if (label.drop) continue;
    // `synlab view`: hovering over the label shows the segment's fields.
    item->setToolTip(
        qstr("packet " + std::to_string(a.packet_id) + ": " + a.label + "\n" + l.axes[a.from_axis] +
             " -> " + l.axes[a.to_axis] + "\nsent at ") +
        format_seconds(a.send_time_s) +
        (a.dropped ? qstr(" s, dropped (" + a.drop_reason + ") at ") : QString(" s, arrived at ")) +
        format_seconds(a.end_time_s) + " s" +
        (a.retransmission ? "\nretransmission: " + qstr(a.retransmission_cause) : QString()));
  }
}

}  // namespace synlab::viz
