// ChartStyle: the look shared by every plot: a palette that stays apart in grayscale because
// each series also gets its own dash pattern and marker shape, fonts, axes, overlay text.
#pragma once

#include <QAbstractSeries>
#include <QChart>
#include <QColor>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QPen>
#include <QScatterSeries>
#include <QString>
#include <QValueAxis>

#include <cstddef>
#include <string>

namespace synlab::viz {

QColor series_color(std::size_t index);  // Okabe-Ito, colour-blind safe
Qt::PenStyle series_dash(std::size_t index);
QScatterSeries::MarkerShape series_marker(std::size_t index);
QPen series_pen(std::size_t index, double width = 2.0);

// Title, fonts, legend (at the bottom, markers drawn like their series), white background.
void style_chart(QChart* chart, const QString& title);
// A linear axis with a title (units in it) and readable fonts.
QValueAxis* value_axis(const QString& title, double min, double max);
void style_axis(QAbstractAxis* axis, const QString& title);
// Adds `series` to `chart` on the given axes.
void attach(QChart* chart, QAbstractSeries* series, QAbstractAxis* x, QAbstractAxis* y);
void hide_from_legend(QChart* chart, QAbstractSeries* series);

// Moves the legend into a corner of the plot area (where the data leave room), one entry per
// line on a white box. Call after PlotCanvas::layout().
void place_legend_inside(QChart* chart, Qt::Corner corner);

enum class Anchor { Left, Center, Right };
// Text placed in the scene with its vertical centre at `at` and horizontal anchor as given.
QGraphicsSimpleTextItem* add_text(QGraphicsScene& scene, const QString& text, QPointF at,
                                  Anchor anchor, int point_size = 10, QColor color = Qt::black,
                                  bool bold = false);

// "1.02" for 1.020000000: seconds with up to 6 decimals, trailing zeros removed.
QString format_seconds(double seconds);
QString qstr(const std::string& s);

}  // namespace synlab::viz
