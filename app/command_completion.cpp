// The bash completion script (see command_completion.hpp).
#include "app/command_completion.hpp"

#include <sstream>
#include <vector>

#include "app/command_line.hpp"

namespace synlab::app {
namespace {

// The completion of a value of this option (a bash command, or "" for a value to type).
std::string value_action(const CLI::Option& option) {
  const std::vector<std::string> values = option_values(option);
  if (!values.empty()) {
    std::string words;
    for (const std::string& v : values) words += (words.empty() ? "" : " ") + v;
    return "_synlab_words '" + words + "'";
  }
  const std::string type = option_type(option);
  if (type == scenario_type) return "_synlab_files yaml";
  if (type == script_type) return "_synlab_files pkt";
  if (type == outdir_type || type == dir_type) return "_synlab_dirs";
  if (type == file_type) return "_synlab_files ''";
  return "";
}

std::string names_of(const CLI::Option& option) {
  std::string names;
  for (const std::string& s : option.get_snames()) names += (names.empty() ? "-" : " -") + s;
  for (const std::string& l : option.get_lnames()) names += (names.empty() ? "--" : " --") + l;
  return names;
}

// `names` with '|' between them, as a case pattern.
std::string pattern_of(const std::string& names) {
  std::string out = names;
  for (char& c : out)
    if (c == ' ') c = '|';
  return out;
}

// The case branch completing the words after command `sub`.
void write_command(std::ostream& out, const CLI::App& sub) {
  std::string all_names;
  std::string valued;   // "|-o|--outdir|": options that take a value
  std::string to_type;  // those whose value is neither a fixed set nor a file
  std::vector<std::string> positionals;
  out << "    " << sub.get_name() << ")\n";
  out << "      case $prev in\n";
  for (const CLI::Option* option : sub.get_options()) {
    if (option->get_positional() && !option->nonpositional()) {
      positionals.push_back(value_action(*option));
      continue;
    }
    const std::string names = names_of(*option);
    all_names += (all_names.empty() ? "" : " ") + names;
    if (!takes_value(*option)) continue;  // a flag
    valued += "|" + pattern_of(names);
    const std::string action = value_action(*option);
    if (action.empty()) {
      to_type += (to_type.empty() ? "" : "|") + pattern_of(names);
      continue;
    }
    out << "        " << pattern_of(names) << ")\n";
    out << "          " << action << "\n";
    out << "          return ;;\n";
  }
  if (!to_type.empty()) out << "        " << to_type << ") return ;;  # a value to type\n";
  out << "      esac\n";
  out << "      if [[ $cur == -* ]]; then\n";
  out << "        _synlab_words '" << all_names << "'\n";
  out << "        return\n";
  out << "      fi\n";
  // Which positional the cursor is on: the words since the command that are neither options
  // nor an option's value.
  out << "      local n=0 valued='" << valued << "|'\n";
  out << "      for ((i = at + 1; i < COMP_CWORD; i++)); do\n";
  out << "        if [[ ${COMP_WORDS[i]} == -* ]]; then\n";
  out << "          if [[ $valued == *\"|${COMP_WORDS[i]}|\"* ]]; then\n";
  out << "            ((i++))\n";
  out << "            [[ ${COMP_WORDS[i]} == = ]] && ((i++))\n";
  out << "          fi\n";
  out << "        elif [[ ${COMP_WORDS[i]} != = ]]; then\n";
  out << "          ((n++))\n";
  out << "        fi\n";
  out << "      done\n";
  if (!positionals.empty()) {
    out << "      case $n in\n";
    for (std::size_t i = 0; i < positionals.size(); ++i) {
      // The last positional takes the words after it too (merge's shards, report's second).
      out << "        " << (i + 1 == positionals.size() ? "*" : std::to_string(i)) << ")\n";
      out << "          " << (positionals[i].empty() ? ":" : positionals[i]) << " ;;\n";
    }
    out << "      esac\n";
  }
  out << "    ;;\n";
}

}  // namespace

std::string bash_completion(const CLI::App& app) {
  std::ostringstream out;
  const std::string name = app.get_name();
  out << "# bash completion for " << name << ", generated from its command line by `" << name
      << " completion bash`\n"
         "# (do not edit). To enable it: source <("
      << name
      << " completion bash)\n"
         "\n"
         "# The words of $1 that start with $cur.\n"
         "_synlab_words() {\n"
         "  local IFS=$' \\t\\n'\n"
         "  COMPREPLY=($(compgen -W \"$1\" -- \"$cur\"))\n"
         "}\n"
         "\n"
         "# Directories.\n"
         "_synlab_dirs() {\n"
         "  local IFS=$'\\n'\n"
         "  compopt -o filenames 2>/dev/null\n"
         "  COMPREPLY=($(compgen -d -- \"$cur\"))\n"
         "}\n"
         "\n"
         "# Files ending in .$1 (any file if $1 is empty), and directories to look in.\n"
         "_synlab_files() {\n"
         "  local IFS=$'\\n'\n"
         "  compopt -o filenames 2>/dev/null\n"
         "  if [[ -n $1 ]]; then\n"
         "    COMPREPLY=($(compgen -f -X \"!*.$1\" -- \"$cur\") $(compgen -d -- \"$cur\"))\n"
         "  else\n"
         "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
         "  fi\n"
         "}\n"
         "\n"
         "_synlab() {\n"
         "  COMPREPLY=()\n"
         "  local cur=${COMP_WORDS[COMP_CWORD]} prev='' i at=0\n"
         "  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
         "  # --option=VALUE: bash splits the words at '=' (COMP_WORDBREAKS).\n"
         "  if [[ $cur == = ]]; then\n"
         "    cur=''\n"
         "  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then\n"
         "    prev=${COMP_WORDS[COMP_CWORD - 2]}\n"
         "  fi\n"
         "  # The command: the first word that is not an option.\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    if [[ ${COMP_WORDS[i]} != -* ]]; then\n"
         "      at=$i\n"
         "      break\n"
         "    fi\n"
         "  done\n"
         "  if ((at == 0)); then\n"
         "    if [[ $cur == -* ]]; then\n";
  std::string top_options;
  for (const CLI::Option* option : app.get_options())
    top_options += (top_options.empty() ? "" : " ") + names_of(*option);
  std::string commands;
  for (const CLI::App* sub : app.get_subcommands({}))  // those --help lists
    if (!sub->get_group().empty()) commands += (commands.empty() ? "" : " ") + sub->get_name();
  out << "      _synlab_words '" << top_options << "'\n"
      << "    else\n"
      << "      _synlab_words '" << commands << "'\n"
      << "    fi\n"
      << "    return\n"
      << "  fi\n"
      << "  case ${COMP_WORDS[at]} in\n";
  for (const CLI::App* sub : app.get_subcommands({})) write_command(out, *sub);
  out << "  esac\n"
      << "}\n"
      << "\n"
      << "complete -F _synlab " << name << "\n";
  return out.str();
}

}  // namespace synlab::app
