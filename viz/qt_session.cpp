// QtSession: a headless QApplication (qt_session.hpp).
#include "viz/qt_session.hpp"

#include "viz/viz_error.hpp"

#include <QApplication>

#include <cstdio>
#include <cstdlib>

namespace synlab::viz {
namespace {

// Qt's own chatter (e.g. "QStandardPaths: XDG_RUNTIME_DIR not set" on a headless machine) is
// not for synlab's users; critical and fatal messages still reach stderr.
void quiet_qt_messages(QtMsgType type, const QMessageLogContext&, const QString& message) {
  if (type == QtCriticalMsg || type == QtFatalMsg)
    std::fprintf(stderr, "Qt: %s\n", message.toLocal8Bit().constData());
}

// QApplication keeps references to argc and argv for its whole life.
int qt_argc = 1;
char qt_name[] = "synlab";
char* qt_argv[] = {qt_name, nullptr};
}  // namespace

QtSession::QtSession(Mode mode) {
  if (QCoreApplication::instance() != nullptr) return;
  const bool platform_chosen = std::getenv("QT_QPA_PLATFORM") != nullptr;
  if (mode == Mode::Headless && !platform_chosen) ::setenv("QT_QPA_PLATFORM", "offscreen", 0);
  if (mode == Mode::Window && !platform_chosen && std::getenv("DISPLAY") == nullptr &&
      std::getenv("WAYLAND_DISPLAY") == nullptr)
    throw VizError(
        "no display (DISPLAY is not set): 'synlab view' opens a window; use 'synlab plot' to "
        "write image files, or 'synlab view --screenshot FILE.png'");
  if (std::getenv("SYNLAB_QT_MESSAGES") == nullptr) qInstallMessageHandler(quiet_qt_messages);
  app_ = std::make_unique<QApplication>(qt_argc, qt_argv);
}

QtSession::~QtSession() = default;

}  // namespace synlab::viz
