// PlotWindow: a QTabWidget of zoomable views over the plots' scenes (plot_window.hpp).
#include "viz/plot_window.hpp"

#include <QApplication>
#include <QBuffer>
#include <QGraphicsView>
#include <QPixmap>
#include <QTabWidget>
#include <QWheelEvent>

#include <memory>
#include <vector>

#include "viz/chart_style.hpp"
#include "viz/plot_canvas.hpp"
#include "viz/viz_error.hpp"

namespace synlab::viz {
namespace {

class ZoomView : public QGraphicsView {
 public:
  explicit ZoomView(QGraphicsScene* scene) : QGraphicsView(scene) {
    setDragMode(QGraphicsView::ScrollHandDrag);
    setRenderHint(QPainter::Antialiasing);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
  }

 protected:
  void wheelEvent(QWheelEvent* event) override {
    const double factor = event->angleDelta().y() > 0 ? 1.15 : 1 / 1.15;
    scale(factor, factor);
    event->accept();
  }
};

}  // namespace

int show_plot_window(const std::filesystem::path& run_dir, const PlotOptions& options,
                     const TimersLookup& timers,
                     const std::optional<std::filesystem::path>& screenshot, PlotReport& report) {
  std::vector<std::unique_ptr<PlotCanvas>> canvases;  // outlive the views
  QTabWidget tabs;
  report = draw_plots(run_dir, options, timers,
                      [&](PlotKind kind, std::unique_ptr<PlotCanvas> canvas, const std::string&) {
                        auto* view = new ZoomView(&canvas->scene());  // the tabs own it
                        tabs.addTab(view, qstr(std::string(to_string(kind))));
                        canvases.push_back(std::move(canvas));
                        return std::optional<std::filesystem::path>{};
                      });
  if (canvases.empty()) throw VizError(run_dir.string() + ": nothing to plot");
  tabs.setWindowTitle(qstr("synlab view " + run_dir.string()));
  tabs.resize(options.width + 40, options.height + 70);
  tabs.show();
  if (!screenshot) return QApplication::exec();
  QApplication::processEvents();
  // Encoded in memory, then written as plot's images are (whole or not at all; exit code 3).
  QBuffer png;
  png.open(QIODevice::WriteOnly);
  if (!tabs.grab().save(&png, "PNG")) throw VizError(screenshot->string() + ": cannot be encoded");
  write_image_file(*screenshot, png.data());
  report.written.push_back(*screenshot);
  return 0;
}

}  // namespace synlab::viz
