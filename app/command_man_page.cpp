// The manual page synlab(1) (see command_man_page.hpp).
#include "app/command_man_page.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "app/command_line.hpp"
#include "app/version.hpp"

namespace synlab::app {
namespace {

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  while (true) {
    const std::size_t at = text.find(separator, from);
    parts.emplace_back(text.substr(from, at == std::string_view::npos ? at : at - from));
    if (at == std::string_view::npos) return parts;
    from = at + separator.size();
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// A paragraph of running text (roff fills it).
void write_prose(std::ostream& out, std::string_view text) {
  for (const std::string& line : split(trim(text), "\n"))
    if (!trim(line).empty()) out << roff_escape(trim(line)) << "\n";
}

// A footer as --help prints it: paragraphs apart by blank lines; a paragraph whose first line
// ends in ':' ("Examples:") is a heading over lines kept as they are.
void write_footer(std::ostream& out, std::string_view footer) {
  for (const std::string& paragraph : split(trim(footer), "\n\n")) {
    if (trim(paragraph).empty()) continue;
    const std::vector<std::string> lines = split(trim(paragraph), "\n");
    out << ".PP\n";
    if (lines.size() > 1 && lines.front().back() == ':') {
      out << roff_escape(lines.front()) << "\n.RS\n.nf\n";
      for (std::size_t i = 1; i < lines.size(); ++i) out << roff_escape(trim(lines[i])) << "\n";
      out << ".fi\n.RE\n";
    } else {
      write_prose(out, paragraph);
    }
  }
}

// "\fB\-o\fR, \fB\-\-outdir\fR \fIOUTDIR\fR"
std::string option_head(const CLI::Option& option) {
  std::string head;
  for (const std::string& s : option.get_snames())
    head += (head.empty() ? "" : ", ") + std::string("\\fB") + roff_escape("-" + s) + "\\fR";
  for (const std::string& l : option.get_lnames())
    head += (head.empty() ? "" : ", ") + std::string("\\fB") + roff_escape("--" + l) + "\\fR";
  if (!takes_value(option)) return head;  // a flag
  const std::vector<std::string> values = option_values(option);
  std::string value = option_type(option);
  if (!values.empty()) {
    value.clear();
    for (const std::string& v : values) value += (value.empty() ? "" : "|") + v;
  }
  head += (head.empty() ? "" : " ") + std::string("\\fI") + roff_escape(value) + "\\fR";
  return head;
}

// A positional's name in the synopsis: SCENARIO, [OUTDIR...]
std::string positional_word(const CLI::Option& option) {
  std::string word = option.get_name(true);
  std::transform(word.begin(), word.end(), word.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  std::string out = "\\fI" + roff_escape(word) + "\\fR";
  if (option.get_items_expected_max() > 1) out += "...";
  return option.get_required() ? out : "[" + out + "]";
}

bool hidden(const CLI::App& sub) {
  return sub.get_group().empty();
}

std::vector<const CLI::App*> commands_in_order(const CLI::App& app) {
  std::vector<const CLI::App*> commands = app.get_subcommands({});
  std::stable_partition(commands.begin(), commands.end(),
                        [](const CLI::App* sub) { return !hidden(*sub); });
  return commands;
}

std::string synopsis_of(const CLI::App& app, const CLI::App& sub) {
  std::string line = "\\fB" + roff_escape(app.get_name() + " " + sub.get_name()) + "\\fR";
  for (const CLI::Option* option : sub.get_options())
    if (option->get_positional() && !option->nonpositional())
      line += " " + positional_word(*option);
  return line + " [\\fIoptions\\fR]";
}

void write_options(std::ostream& out, const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    out << ".TP\n";
    if (option->get_positional() && !option->nonpositional())
      out << positional_word(*option) << "\n";
    else
      out << option_head(*option) << "\n";
    std::string text = option->get_description();
    const std::string fallback = option->get_default_str();
    if (!fallback.empty() && takes_value(*option)) text += " (default: " + fallback + ")";
    write_prose(out, text);
  }
}

}  // namespace

std::string roff_escape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((i == 0 || text[i - 1] == '\n') && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\')
      out += "\\e";
    else if (c == '-')
      out += "\\-";
    else
      out += c;
  }
  return out;
}

std::string man_page(const CLI::App& app) {
  std::ostringstream out;
  std::string name = app.get_name();
  std::string upper = name;
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // NAME: the description's first clause, after "synlab: " and before a parenthesis.
  const std::string first_line = split(app.get_description(), "\n").front();
  std::string_view summary = first_line;
  if (summary.starts_with(name + ": ")) summary.remove_prefix(name.size() + 2);
  summary = trim(summary.substr(0, summary.find(" (")));
  while (!summary.empty() && (summary.back() == ',' || summary.back() == '.'))
    summary.remove_suffix(1);

  out << ".\\\" " << name << "(1), generated from the command line by `" << name
      << " man`; do not edit.\n"
      << ".TH " << upper << " 1 \"\" \"" << name << " " << version << "\" \"User Commands\"\n"
      << ".SH NAME\n"
      << roff_escape(name) << " \\- " << roff_escape(summary) << "\n"
      << ".SH SYNOPSIS\n";
  bool first = true;
  for (const CLI::App* sub : commands_in_order(app)) {
    if (hidden(*sub)) continue;
    if (!first) out << ".br\n";
    first = false;
    out << synopsis_of(app, *sub) << "\n";
  }
  out << ".br\n"
      << "\\fB" << roff_escape(name) << "\\fR [\\fIcommand\\fR] \\fB\\-\\-help\\fR\n"
      << ".br\n"
      << "\\fB" << roff_escape(name) << " \\-\\-version\\fR\n"
      << ".SH DESCRIPTION\n";
  write_prose(out, app.get_description());
  out << ".SH OPTIONS\n";
  write_options(out, app);
  out << ".SH COMMANDS\n";
  for (const CLI::App* sub : commands_in_order(app)) {
    out << ".SS \"" << roff_escape(name + " " + sub->get_name()) << "\"\n"
        << synopsis_of(app, *sub) << "\n"
        << ".PP\n";
    write_prose(out, sub->get_description() +
                         (hidden(*sub) ? std::string(" (not listed by --help).") : "."));
    write_options(out, *sub);
    write_footer(out, sub->get_footer());
  }
  // The top-level footer: its "Exit codes:" paragraph is EXIT STATUS, the rest EXAMPLES.
  std::string examples;
  std::string exit_status;
  for (const std::string& paragraph : split(trim(app.get_footer()), "\n\n"))
    (trim(paragraph).starts_with("Exit codes:") ? exit_status : examples) += paragraph + "\n\n";
  out << ".SH EXAMPLES\n";
  write_footer(out, examples);
  out << ".SH \"EXIT STATUS\"\n";
  write_footer(out, exit_status);
  out << ".SH FILES\n"
      << ".TP\n.I share/bash\\-completion/completions/" << roff_escape(name) << "\n"
      << "The bash completion script (\\fB" << roff_escape(name)
      << " completion bash\\fR), as \\fBcmake \\-\\-install\\fR puts it under its prefix.\n"
      << ".TP\n.I share/man/man1/" << roff_escape(name) << ".1\n"
      << "This page (\\fB" << roff_escape(name) << " man\\fR).\n"
      << ".SH \"SEE ALSO\"\n"
      << "In the source tree:\n";
  for (std::size_t i = 0; i < std::size(man_page_docs); ++i)
    out << ".I " << roff_escape(man_page_docs[i])
        << (i + 1 < std::size(man_page_docs) ? "\n.br\n" : "\n");
  return out.str();
}

}  // namespace synlab::app
