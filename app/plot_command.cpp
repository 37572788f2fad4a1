// `synlab plot` (see commands.hpp and docs/plots.md): draws a saved run's plots from its files.
#include <cctype>
#include <charconv>
#include <filesystem>
#include <functional>
#include <new>
#include <ostream>
#include <string>
#include <string_view>

#include "app/commands.hpp"
#include "app/handshake_timers.hpp"
#include "app/output_file.hpp"
#include "app/plot_module.hpp"
#include "app/plot_options.hpp"
#include "viz/plot_writer.hpp"
#include "viz/viz_error.hpp"

namespace synlab::app {
namespace {

// "1200x800" -> {1200, 800}; nullopt if malformed.
std::optional<std::pair<int, int>> parse_size(std::string_view text) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) return std::nullopt;
  int w = 0;
  int h = 0;
  const auto [pw, ew] = std::from_chars(text.data(), text.data() + x, w);
  const auto [ph, eh] = std::from_chars(text.data() + x + 1, text.data() + text.size(), h);
  if (ew != std::errc{} || pw != text.data() + x || eh != std::errc{} ||
      ph != text.data() + text.size())
    return std::nullopt;
  return std::pair{w, h};
}

}  // namespace

std::optional<viz::PlotOptions> parse_plot_options(const PlotOptions& o, std::ostream& err) {
  viz::PlotOptions options;
  if (o.kind != "all") {
    const auto kind = viz::parse_plot_kind(o.kind);
    if (!kind) {
      err << "synlab: error: --kind: unknown plot kind '" << o.kind
          << "' (ladder, timeseq, timing, cdf or all)\n";
      return std::nullopt;
    }
    options.kinds.push_back(*kind);
  }
  // The format: --format, or the -o file's extension, or png. A file named .svg holding PNG
  // bytes (or the reverse) would not open as what it says it is: refused.
  std::string format = o.format;
  if (format != "" && format != "png" && format != "svg") {
    err << "synlab: error: --format: expected png or svg, got '" << o.format << "'\n";
    return std::nullopt;
  }
  std::string extension = std::filesystem::path(o.output).extension().string();
  for (char& c : extension) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (extension == ".png" || extension == ".svg") {
    if (format.empty()) {
      format = extension.substr(1);
    } else if (format != extension.substr(1)) {
      err << "synlab: error: -o " << o.output << ": the name says " << extension.substr(1)
          << ", --format says " << format << "; make them agree\n";
      return std::nullopt;
    }
  }
  options.format = format == "svg" ? viz::PlotFormat::Svg : viz::PlotFormat::Png;
  const auto size = parse_size(o.size.empty() ? "1200x800" : o.size);
  if (!size) {
    err << "synlab: error: --size: expected WIDTHxHEIGHT in pixels, such as 1200x800, got '"
        << o.size << "'\n";
    return std::nullopt;
  }
  options.width = size->first;
  options.height = size->second;
  options.fixed_size = !o.size.empty();
  if (o.conn == 0) {
    err << "synlab: error: --conn: connections are numbered from 1\n";
    return std::nullopt;
  }
  options.conn = o.conn;
  if (o.x != "swept" && o.x != "effective-loss") {
    err << "synlab: error: --x: expected swept or effective-loss, got '" << o.x << "'\n";
    return std::nullopt;
  }
  options.effective_loss = o.x == "effective-loss";
  // An option of one kind given with --kind naming another would do nothing: refused.
  const auto drawn = [&](viz::PlotKind k) {
    return options.kinds.empty() || options.kinds.front() == k;
  };
  if (options.effective_loss && !drawn(viz::PlotKind::Timing)) {
    err << "synlab: error: --x effective-loss is the timing plot's axis: give --kind timing (or "
           "all)\n";
    return std::nullopt;
  }
  if (o.ccdf && !drawn(viz::PlotKind::Cdf)) {
    err << "synlab: error: --ccdf draws the cdf plot's complement: give --kind cdf (or all)\n";
    return std::nullopt;
  }
  if (!o.output.empty()) {
    if (options.kinds.size() != 1) {
      err << "synlab: error: -o: a file is for a single plot: give --kind too\n";
      return std::nullopt;
    }
    if (const std::optional<std::string> folder = names_folder(o.output, "plot.png")) {
      err << "synlab: error: " << *folder << "\n";
      return std::nullopt;
    }
    options.output = o.output;
  }
  options.ccdf = o.ccdf;
  return options;
}

int report_plot_errors(std::ostream& err, const std::function<int()>& draw) {
  try {
    return draw();
  } catch (const PlotModuleError& e) {  // the installation's or the system's, not the run's
    err << "synlab: failed: " << e.what() << "\n";
    return exit_failure;
  } catch (const viz::ImageWriteError& e) {  // the files are fine; the image has nowhere to go
    err << "synlab: error: " << e.what() << "\n";
    return exit_output_failed;
  } catch (const viz::VizError& e) {
    err << "synlab: error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const std::bad_alloc&) {
    err << "synlab: failed: " << out_of_memory_reading << "\n";
    return exit_failure;
  } catch (const std::exception& e) {
    err << "synlab: failed: " << e.what() << "\n";
    return exit_failure;
  }
}

int plot_command(const PlotOptions& o, std::ostream& out, std::ostream& err) {
  const auto parsed = parse_plot_options(o, err);
  if (!parsed) return exit_bad_input;
  const viz::PlotOptions& options = *parsed;
  return report_plot_errors(err, [&] {
    const PlotSession qt;
    const viz::PlotReport report = qt.write_plots(o.outdir, o.outdir, options, &preset_timers);
    for (const std::string& why : report.skipped) err << "synlab: note: skipped: " << why << "\n";
    if (report.written.empty()) {
      err << "synlab: error: " << o.outdir << ": nothing to plot\n";
      return exit_bad_input;
    }
    // Said on standard error for what is not a file (-o /dev/stdout, a FIFO): the line must
    // not land in the image's stream.
    for (const auto& file : report.written) {
      std::error_code ec;
      (std::filesystem::is_regular_file(file, ec) ? out : err) << "wrote " << file.string() << "\n";
    }
    return exit_ok;
  });
}

}  // namespace synlab::app
