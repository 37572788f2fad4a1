// QtSession: a headless QApplication (qt_session.hpp).
#include "viz/qt_session.hpp"

#include "viz/viz_error.hpp"

#include <QApplication>

#include <clocale>
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
  // QCoreApplication's constructor calls setlocale(LC_ALL, "") on Unix, taking the user's locale
  // for the C library too. Under a decimal-comma locale (de_DE, fr_FR ...) every printf and
  // strtod of the process would then write and read "0,1" for 0.1: the run's summary table, the
  // report's figures and the plots' legends would change with the user's locale, and numbers read
  // back from files would be cut at the point. Qt's own text goes through QLocale, not this.
  std::setlocale(LC_NUMERIC, "C");
}

QtSession::~QtSession() = default;

}  // namespace synlab::viz
