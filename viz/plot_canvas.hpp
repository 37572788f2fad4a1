// PlotCanvas: one image of a given size holding one or more Qt charts side by side, with extra
// drawing (labels, arrowheads) placed over them, saved as PNG (QImage) or SVG (QSvgGenerator).
// Needs a live QtSession.
#pragma once

#include <QByteArray>
#include <QChart>
#include <QGraphicsScene>
#include <QPointF>
#include <QString>

#include <filesystem>
#include <vector>

namespace synlab::viz {

enum class ImageFormat { Png, Svg };

class PlotCanvas {
 public:
  PlotCanvas(int width, int height);

  // A new chart filling the canvas, or panel `index` of `count` in rows of `per_row` (0: all
  // in one row), below the canvas title and above the reserved bottom strip. Owned by the
  // canvas.
  QChart* add_chart(int index = 0, int count = 1, int per_row = 0);
  // A title over all panels; call before add_chart().
  void set_title(const QString& title);
  // Keeps a strip of this height free at the bottom (e.g. for a shared legend); call before
  // add_chart().
  void reserve_bottom(double height) { bottom_ = height; }
  // Lays the charts out so that QChart::mapToPosition() gives scene coordinates; call before
  // adding overlay items.
  void layout();
  QGraphicsScene& scene() { return scene_; }
  int width() const { return width_; }
  int height() const { return height_; }

  // Writes the image; throws VizError if the file cannot be written.
  void save(const std::filesystem::path& path, ImageFormat format, const QString& title) const;

 private:
  int width_;
  int height_;
  mutable QGraphicsScene scene_;
  std::vector<QChart*> charts_;
  double top_ = 0;     // height taken by the canvas title
  double bottom_ = 0;  // height kept free at the bottom
};

// Writes `bytes` (an encoded image) into `path` whole or not at all: beside it under a hidden
// temporary name, then renamed over it; a symbolic link is written through. Throws
// ImageWriteError, naming `path`, when it cannot (a full disk, a missing folder).
void write_image_file(const std::filesystem::path& path, const QByteArray& bytes);

}  // namespace synlab::viz
