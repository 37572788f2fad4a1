// PlotCanvas: rendering a scene of charts to PNG or SVG (plot_canvas.hpp).
#include "viz/plot_canvas.hpp"

#include <QApplication>
#include <QBuffer>
#include <QByteArray>
#include <QFont>
#include <QGraphicsLayout>
#include <QGraphicsSimpleTextItem>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "viz/viz_error.hpp"

namespace synlab::viz {

PlotCanvas::PlotCanvas(int width, int height) : width_(width), height_(height) {
  scene_.setSceneRect(0, 0, width, height);
  scene_.setBackgroundBrush(Qt::white);
}

QChart* PlotCanvas::add_chart(int index, int count, int per_row) {
  auto* chart = new QChart();  // the scene owns it
  scene_.addItem(chart);
  const int columns = per_row > 0 && per_row < count ? per_row : count;
  const int rows = (count + columns - 1) / columns;
  const double w = static_cast<double>(width_) / columns;
  const double h = (height_ - top_ - bottom_) / rows;
  chart->setGeometry(QRectF(w * (index % columns), top_ + h * (index / columns), w, h));
  chart->setBackgroundRoundness(0);
  chart->setAnimationOptions(QChart::NoAnimation);
  charts_.push_back(chart);
  return chart;
}

void PlotCanvas::set_title(const QString& title) {
  auto* item = scene_.addSimpleText(title);
  QFont font;
  font.setPointSize(13);
  font.setBold(true);
  item->setFont(font);
  item->setBrush(QColor(60, 60, 60));
  const QRectF box = item->boundingRect();
  item->setPos((width_ - box.width()) / 2, 14);
  top_ = box.height() + 18;
}

void PlotCanvas::layout() {
  for (QChart* chart : charts_) {
    const QRectF geometry = chart->geometry();
    chart->layout()->invalidate();
    chart->layout()->activate();
    chart->setGeometry(geometry);
  }
  QApplication::processEvents();
}

namespace {

// Writes `bytes` into `path`, every write checked. nullopt once written, else why not (the
// errno's text; empty when the stream set none).
std::optional<std::string> write_bytes(const std::filesystem::path& path, const QByteArray& bytes) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.constData(), bytes.size());
  out.close();
  if (out) return std::nullopt;
  return errno != 0 ? std::strerror(errno) : "";
}

}  // namespace

// Every write checked: a full disk leaves the image that was there before (or none) and no
// temporary, never a truncated file. Symbolic links are followed to the file they name (made if
// missing), and stay links; a loop of links is an error, as opening it would be. The file's
// permissions are kept. What is not a regular file (/dev/null, a FIFO) is written in place.
void write_image_file(const std::filesystem::path& asked, const QByteArray& bytes) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto failed = [&](const std::string& why) {
    return ImageWriteError(asked.string() + ": cannot be written" +
                           (why.empty() ? std::string() : " (" + why + ")"));
  };
  if (const fs::file_status s = fs::status(asked, ec);
      fs::exists(s) && !fs::is_regular_file(s) && !fs::is_directory(s)) {
    // Not a regular file (a device such as /dev/null, a FIFO), which a rename would replace:
    // written into.
    if (const auto why = write_bytes(asked, bytes)) throw failed(*why);
    return;
  }
  // The file the links name, link by link as open() follows them (a dangling one's target is
  // made), giving up as it does after 40.
  fs::path path = asked;
  for (int links = 0; fs::is_symlink(path, ec); ++links) {
    if (links == 40)
      throw failed(std::make_error_code(std::errc::too_many_symbolic_link_levels).message());
    const fs::path named = fs::read_symlink(path, ec);
    if (ec) throw failed(ec.message());
    path = named.is_absolute() ? named : path.parent_path() / named;
  }
  // A short name (a long image name would make it too long), made unique beyond the process id,
  // which repeats across containers sharing a folder, by the clock.
  std::string hidden = ".synlab-image-";
  hidden += std::to_string(::getpid());
  hidden += '-';
  hidden += std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  const fs::path temporary = path.parent_path() / hidden;
  if (const auto why = write_bytes(temporary, bytes)) {
    fs::remove(temporary, ec);
    throw failed(*why);
  }
  if (const fs::file_status old = fs::status(path, ec); fs::is_regular_file(old))
    fs::permissions(temporary, old.permissions(), ec);  // a mode the user chose stays
  fs::rename(temporary, path, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(temporary, ec);
    throw failed(why);
  }
}

void PlotCanvas::save(const std::filesystem::path& path, ImageFormat format,
                      const QString& title) const {
  if (format == ImageFormat::Png) {
    // Opaque (RGB32): a white page has no transparency to store. With ARGB32 every PNG carried
    // an alpha channel of 255s, which made the files 10% larger and a lab's ladder 20% slower
    // to write (libpng and zlib took half of `synlab plot`'s time), for the same pixels.
    QImage image(width_, height_, QImage::Format_RGB32);
    image.fill(Qt::white);
    {
      QPainter painter(&image);
      painter.setRenderHint(QPainter::Antialiasing);
      painter.setRenderHint(QPainter::TextAntialiasing);
      scene_.render(&painter, QRectF(0, 0, width_, height_), scene_.sceneRect());
    }
    QBuffer png;
    png.open(QIODevice::WriteOnly);
    if (!image.save(&png, "PNG")) throw VizError(path.string() + ": cannot be encoded");
    write_image_file(path, png.data());
    return;
  }
  // Drawn into memory, then written and checked: QSvgGenerator does not report a full disk.
  QBuffer buffer;
  buffer.open(QIODevice::WriteOnly);
  QSvgGenerator svg;
  svg.setOutputDevice(&buffer);
  svg.setSize(QSize(width_, height_));
  svg.setViewBox(QRect(0, 0, width_, height_));
  svg.setTitle(title);
  svg.setDescription("synlab plot");
  {
    QPainter painter;
    if (!painter.begin(&svg)) throw VizError(path.string() + ": cannot be written");
    painter.setRenderHint(QPainter::Antialiasing);
    scene_.render(&painter, QRectF(0, 0, width_, height_), scene_.sceneRect());
    painter.end();
  }
  write_image_file(path, buffer.data());
}

}  // namespace synlab::viz
