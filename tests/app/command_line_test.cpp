// The bash completion and the man page are generated from the command line's App tree (issue
// 14): walking that tree, every command and every option name, and every value of a fixed set,
// must appear in the command's branch of the completion script and in its man page subsection.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "app/command_completion.hpp"
#include "app/command_line.hpp"
#include "app/command_man_page.hpp"

namespace synlab::app {
namespace {

// `word` in `text` between separators of a shell word list or case pattern (' ', '\'', '|',
// ')', '(' or a line break), or of roff bold/italic ("\fB--kind\fR").
bool has_word(std::string_view text, std::string_view word) {
  const auto separator = [](char c) {
    return c == ' ' || c == '\'' || c == '|' || c == ')' || c == '(' || c == '\n' || c == '{' ||
           c == '}' || c == ',' || c == '.';
  };
  for (std::size_t at = text.find(word); at != std::string_view::npos;
       at = text.find(word, at + 1)) {
    const bool before =
        at == 0 || separator(text[at - 1]) ||
        (at >= 2 && (text.substr(at - 2, 2) == "fB" || text.substr(at - 2, 2) == "fI"));
    const std::size_t end = at + word.size();
    const bool after = end == text.size() || separator(text[end]) || text[end] == '\\';
    if (before && after) return true;
  }
  return false;
}

// The text from `start` to `stop` (or the end).
std::string_view between(std::string_view text, std::string_view start, std::string_view stop) {
  const std::size_t at = text.find(start);
  if (at == std::string_view::npos) return {};
  const std::size_t end = text.find(stop, at + start.size());
  return text.substr(at, end == std::string_view::npos ? end : end - at);
}

}  // namespace

TEST_CASE("completion and man page: every command, option and fixed value of the App tree") {
  const CommandLine line;
  const std::string script = bash_completion(line.app);
  const std::string page = man_page(line.app);
  const std::string_view top_words = between(script, "  if ((at == 0)); then", "\n  fi\n");
  const std::string_view top_options = between(page, ".SH OPTIONS\n", "\n.SH ");
  REQUIRE(!top_words.empty());
  REQUIRE(!top_options.empty());
  for (const CLI::Option* option : line.app.get_options()) {
    for (const std::string& l : option->get_lnames()) {
      CAPTURE(l);
      CHECK(has_word(top_words, "--" + l));
      CHECK(has_word(top_options, roff_escape("--" + l)));
    }
  }
  for (const CLI::App* sub : line.app.get_subcommands({})) {
    const std::string& name = sub->get_name();
    CAPTURE(name);
    // --help lists the visible commands; the completion offers them after `synlab`.
    if (!sub->get_group().empty()) CHECK(has_word(top_words, name));
    const std::string_view branch = between(script, "\n    " + name + ")\n", "\n    ;;\n");
    const std::string_view section =
        between(page, ".SS \"synlab " + roff_escape(name) + "\"\n", "\n.S");
    REQUIRE(!branch.empty());
    REQUIRE(!section.empty());
    CHECK(section.find(roff_escape(sub->get_description())) != std::string_view::npos);
    for (const CLI::Option* option : sub->get_options()) {
      CAPTURE(option->get_name());
      if (!option->get_description().empty())  // its help text (its first line, as roff fills)
        CHECK(section.find(roff_escape(option->get_description().substr(0, 30))) !=
              std::string_view::npos);
      for (const std::string& s : option->get_snames()) {
        CHECK(has_word(branch, "-" + s));
        CHECK(has_word(section, roff_escape("-" + s)));
      }
      for (const std::string& l : option->get_lnames()) {
        CHECK(has_word(branch, "--" + l));
        CHECK(has_word(section, roff_escape("--" + l)));
      }
      for (const std::string& v : option_values(*option)) {
        CAPTURE(v);
        CHECK(has_word(branch, v));
        CHECK(has_word(section, roff_escape(v)));
      }
    }
  }
}

TEST_CASE("the fixed values of plot --kind and drill --profile, read from the App tree") {
  const CommandLine line;
  // docs/plots.md: the kinds, and "all".
  CHECK(option_values(*line.plot_cli->get_option("--kind")) ==
        std::vector<std::string>{"ladder", "timeseq", "timing", "cdf", "all"});
  CHECK(option_values(*line.plot_cli->get_option("--format")) ==
        std::vector<std::string>{"png", "svg"});
  // models/tcp/profile.hpp: the five presets.
  CHECK(option_values(*line.drill_cli->get_option("--profile")) ==
        std::vector<std::string>{"linux", "linux-classic", "rfc6298", "classic", "rfc793"});
  CHECK(option_values(*line.plot_cli->get_option("--conn")).empty());  // any number
  CHECK(option_type(*line.run_cli->get_option("scenario")) == scenario_type);
  CHECK(option_type(*line.plot_cli->get_option("outdir")) == outdir_type);
}

TEST_CASE("option values: CLI::IsMember and CLI::CheckedTransformer sets") {
  CLI::App app;
  std::string a;
  std::string b;
  int c = 0;
  app.add_option("--a", a)->check(CLI::IsMember({"x", "y"}));
  app.add_option("--b", b)->transform(
      CLI::CheckedTransformer(std::map<std::string, std::string>{{"p", "1"}, {"q", "2"}}));
  app.add_option("--c", c)->check(CLI::Range(0, 9));
  CHECK(option_values(*app.get_option("--a")) == std::vector<std::string>{"x", "y"});
  const std::vector<std::string> b_values = option_values(*app.get_option("--b"));
  CHECK(std::find(b_values.begin(), b_values.end(), "p") != b_values.end());
  CHECK(std::find(b_values.begin(), b_values.end(), "q") != b_values.end());
  CHECK(option_values(*app.get_option("--c")).empty());  // a range is no fixed set
  // A new option shows up in the completion and the page without other code.
  app.name("toy");
  CHECK(has_word(bash_completion(app), "--a"));
  CHECK(has_word(man_page(app), roff_escape("--b")));
}

TEST_CASE("man page: sections in order, EXIT STATUS is --help's exit-code text") {
  const CommandLine line;
  const std::string page = man_page(line.app);
  std::size_t at = 0;
  for (const std::string_view section :
       {".TH SYNLAB 1", ".SH NAME\nsynlab \\- a discrete", ".SH SYNOPSIS", ".SH DESCRIPTION",
        ".SH OPTIONS", ".SH COMMANDS", ".SH EXAMPLES", ".SH \"EXIT STATUS\"", ".SH FILES",
        ".SH \"SEE ALSO\""}) {
    CAPTURE(section);
    const std::size_t found = page.find(section, at);
    REQUIRE(found != std::string::npos);
    at = found;
  }
  // commands.hpp: 0 success, 1 an expectation failed, 2 bad input, 3 an output failed.
  const std::string_view exit_status = between(page, ".SH \"EXIT STATUS\"", ".SH FILES");
  CHECK(exit_status.find("Exit codes: 0 success, 1 an expectation failed, 2 bad input, 3 an") !=
        std::string_view::npos);
  CHECK(line.app.get_footer().find("Exit codes: 0 success, 1 an expectation failed, 2 bad input") !=
        std::string::npos);
}

TEST_CASE("roff_escape: backslash, hyphen, a line's leading dot or quote") {
  CHECK(roff_escape("--kind") == "\\-\\-kind");
  CHECK(roff_escape("a\\b") == "a\\eb");
  CHECK(roff_escape(".x\n'y z.w") == "\\&.x\n\\&'y z.w");
}

}  // namespace synlab::app
