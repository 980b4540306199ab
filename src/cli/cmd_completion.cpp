// tally completion bash|zsh|fish: the completion scripts, generated from the
// App tree the parser uses (its commands, options and the enumerations of
// options.hpp), so they cannot drift from what the parser accepts; and the
// hidden `tally __complete customers|invoices|grid` they call for values that
// live in the ledger.
#include <map>
#include <set>

#include "cli/options.hpp"
#include "cli/services.hpp"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

// How the value of an option (or a positional argument) completes.
struct Values {
  std::string mode;                 // "list", "customers", "invoices", "grid", "file", "dir", "none"
  std::vector<std::string> list{};  // mode "list"
};

Values values_of(const CLI::Option* o, const CLI::App* at) {
  if (const auto* c = choices_of(o)) {
    Values v{"list", *c};
    if (const auto* more = offered_under(at, o->get_name())) v.list.insert(v.list.end(), more->begin(), more->end());
    return v;
  }
  const std::string kind = o->get_type_name();
  if (kind == "CODE") return {"customers"};
  if (kind == "NUMBER") return {"invoices"};
  if (kind == "ITEM") return {"grid"};
  if (kind == "FILE") return {"file"};
  if (kind == "DIR") return {"dir"};
  return {"none"};
}

bool takes_value(const CLI::Option* o) { return o->nonpositional() && o->get_items_expected_min() > 0; }
bool repeatable(const CLI::Option* o) { return o->get_items_expected_max() > 1; }

std::string joined(const std::vector<std::string>& v, const char* sep = " ") {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// The option's names as typed: "-o --output".
std::vector<std::string> names_of(const CLI::Option* o) {
  std::vector<std::string> out;
  for (const auto& s : o->get_snames()) out.push_back("-" + s);
  for (const auto& l : o->get_lnames()) out.push_back("--" + l);
  return out;
}

// One command of the tree: its path (" invoice create"; "" for the top level).
struct Node {
  std::string path;
  const CLI::App* app;
};

void walk(const CLI::App* app, const std::string& path, std::vector<Node>& out) {
  out.push_back({path, app});
  for (const CLI::App* sub : visible_commands(app)) walk(sub, path + " " + sub->get_name(), out);
}

// What every script needs, computed once from the tree.
struct Model {
  const CLI::App* root;
  std::vector<Node> nodes;
  std::set<std::string> value_options;  // every option name that takes a value, to skip it and its value
  // The shared case list: "PATTERN" -> mode and values, for an option after
  // which the cursor stands ("$path|$prev"), then for positional arguments
  // ("$path#$n"), most specific first.
  std::vector<std::pair<std::string, Values>> cases;
};

Model model_of(const CLI::App* root) {
  Model m{root, {}, {}, {}};
  walk(root, "", m.nodes);
  const auto globals = root->get_options();
  for (const Node& n : m.nodes)
    for (const CLI::Option* o : n.app->get_options())
      if (takes_value(o))
        for (const auto& name : names_of(o)) m.value_options.insert(name);
  // Options of each command, then the global options under a command that
  // offers more of them (report close --format html), then the global ones.
  for (const Node& n : m.nodes) {
    if (n.app == root) continue;
    for (const CLI::Option* o : n.app->get_options())
      if (takes_value(o))
        for (const auto& name : names_of(o)) m.cases.push_back({"\"" + n.path + "|" + name + "\"", values_of(o, n.app)});
    for (const CLI::Option* g : globals)
      if (offered_under(n.app, g->get_name()) != nullptr)
        for (const auto& name : names_of(g)) m.cases.push_back({"\"" + n.path + "|" + name + "\"", values_of(g, n.app)});
  }
  for (const CLI::Option* g : globals)
    if (takes_value(g))
      for (const auto& name : names_of(g)) m.cases.push_back({"*\"|" + name + "\"", values_of(g, root)});
  // Positional arguments: by position after the command words.
  for (const Node& n : m.nodes) {
    int i = 0;
    for (const CLI::Option* o : n.app->get_options()) {
      if (o->nonpositional()) continue;
      Values v = values_of(o, n.app);
      if (n.app->get_name() == "help" && n.app->get_parent() == root) {
        v = {"list", {}};
        for (const CLI::App* sub : visible_commands(root)) v.list.push_back(sub->get_name());
      }
      m.cases.push_back({"\"" + n.path + "#" + std::to_string(i) + "\"" + (repeatable(o) ? "*" : ""), v});
      ++i;
    }
  }
  return m;
}

// The command words and options of each command, for the case on "$cmdpath".
std::string words_cases(const Model& m, const char* indent) {
  std::string out;
  for (const Node& n : m.nodes) {
    std::vector<std::string> cmds, opts;
    for (const CLI::App* sub : visible_commands(n.app)) cmds.push_back(sub->get_name());
    for (const CLI::Option* o : n.app->get_options())
      if (o->nonpositional())
        for (const auto& name : o->get_lnames()) opts.push_back("--" + name);
    if (n.app != m.root)
      for (const CLI::Option* o : m.root->get_options())
        for (const auto& name : o->get_lnames()) opts.push_back("--" + name);
    out += fmt::format("{}\"{}\") cmds=\"{}\"; opts=\"{}\" ;;\n", indent, n.path, joined(cmds), joined(opts));
  }
  return out;
}

// The value cases, as `PATTERN) mode=M; vals="..." ;;`: the same lines in the
// bash and zsh scripts (tests/cli/test_completion.sh reads them).
std::string value_cases(const Model& m, const char* indent, bool positional) {
  std::string out;
  for (const auto& [pattern, v] : m.cases)
    if ((pattern.find('#') != std::string::npos) == positional)
      out += fmt::format("{}{}) mode={}; vals=\"{}\" ;;\n", indent, pattern, v.mode, joined(v.list));
  return out;
}

std::string path_patterns(const Model& m) {
  std::string out;
  for (const Node& n : m.nodes)
    if (n.app != m.root) out += (out.empty() ? "" : "|") + ("\"" + n.path + "\"");
  return out;
}

std::string value_option_pattern(const Model& m) {
  std::string out;
  for (const auto& name : m.value_options)
    if (name != "--db") out += (out.empty() ? "" : "|") + name;
  return out;
}

// Both scripts find the command path the same way: the words before the
// cursor, options and their values skipped, each word that extends a known
// path taken, the others counted as positional arguments ($npos); --db is
// kept to read the same ledger.
std::string bash_script(const Model& m) {
  return fmt::format(R"sh(# bash completion for tally (generated by 'tally completion bash': do not edit)
_tally() {{
  local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="" cmdpath="" cmds="" opts="" mode="" vals="" w i npos=0
  local -a db=()
  [ "$COMP_CWORD" -gt 0 ] && prev="${{COMP_WORDS[COMP_CWORD-1]}}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="${{COMP_WORDS[i]}}"
    case "$w" in
      --db) db=(--db "${{COMP_WORDS[i+1]}}"); ((i++)); continue ;;
      --db=*) db=("$w"); continue ;;
      -*=*) continue ;;
      {}) ((i++)); continue ;;
      -*) continue ;;
    esac
    case "$cmdpath $w" in
      {}) cmdpath="$cmdpath $w" ;;
      *) ((npos++)) ;;
    esac
  done
  case "$cmdpath|$prev" in
{}  esac
  if [ -z "$mode" ] && [[ "$cur" != -* ]]; then
    case "$cmdpath#$npos" in
{}    esac
  fi
  if [ -z "$mode" ]; then
    case "$cmdpath" in
{}    esac
    if [[ "$cur" == -* ]]; then vals="$opts"; else vals="$cmds"; fi
  fi
  case "$mode" in
    customers|invoices|grid) vals=$("${{COMP_WORDS[0]}}" "${{db[@]}}" __complete "$mode" 2>/dev/null) ;;
    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
    dir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")); return ;;
    none) COMPREPLY=(); return ;;
  esac
  COMPREPLY=($(compgen -W "$vals" -- "$cur"))
}}
complete -F _tally tally
)sh",
                     value_option_pattern(m), path_patterns(m), value_cases(m, "    ", false),
                     value_cases(m, "      ", true), words_cases(m, "      "));
}

std::string zsh_script(const Model& m) {
  return fmt::format(R"sh(#compdef tally
# zsh completion for tally (generated by 'tally completion zsh': do not edit)
_tally() {{
  local cur="${{words[CURRENT]}}" prev="${{words[CURRENT-1]}}" cmdpath="" cmds="" opts="" mode="" vals="" w
  local -i i npos=0
  local -a db
  for ((i = 2; i < CURRENT; i++)); do
    w="${{words[i]}}"
    case "$w" in
      --db) db=(--db "${{words[i+1]}}"); ((i++)); continue ;;
      --db=*) db=("$w"); continue ;;
      -*=*) continue ;;
      ({})) ((i++)); continue ;;
      -*) continue ;;
    esac
    case "$cmdpath $w" in
      ({})) cmdpath="$cmdpath $w" ;;
      *) ((npos++)) ;;
    esac
  done
  case "$cmdpath|$prev" in
{}  esac
  if [[ -z "$mode" && "$cur" != -* ]]; then
    case "$cmdpath#$npos" in
{}    esac
  fi
  if [[ -z "$mode" ]]; then
    case "$cmdpath" in
{}    esac
    if [[ "$cur" == -* ]]; then vals="$opts"; else vals="$cmds"; fi
  fi
  case "$mode" in
    customers|invoices|grid) compadd -- ${{(f)"$(${{words[1]}} $db __complete $mode 2>/dev/null)"}} ;;
    file) _files ;;
    dir) _files -/ ;;
    none) return 1 ;;
    *) compadd -- ${{=vals}} ;;
  esac
}}
_tally "$@"
)sh",
                     value_option_pattern(m), path_patterns(m), value_cases(m, "    ", false),
                     value_cases(m, "      ", true), words_cases(m, "      "));
}

// fish: one `complete` line per command word and per option, conditioned on
// the command path (__tally_at), each option's values from the same model.
std::string fish_script(const Model& m) {
  auto quoted = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) {
      if (c == '\'' || c == '\\') out += '\\';
      out += c;
    }
    return out + "'";
  };
  auto values_args = [](const Values& v) -> std::string {
    if (v.mode == "list") return "-x -a '" + joined(v.list) + "'";
    if (v.mode == "customers" || v.mode == "invoices" || v.mode == "grid")
      return "-x -a '(__tally_complete " + v.mode + ")'";
    if (v.mode == "file") return "-r -F";
    if (v.mode == "dir") return "-x -a '(__fish_complete_directories)'";
    return "-x";
  };
  std::string paths;
  for (const Node& n : m.nodes)
    if (n.app != m.root) paths += " " + quoted(n.path);
  std::string skip;
  for (const auto& name : m.value_options) skip += " " + name;
  std::string out = fmt::format(R"sh(# fish completion for tally (generated by 'tally completion fish': do not edit)
function __tally_path
    set -l p ''
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if contains -- $w{}
            set skip 1
            continue
        end
        if string match -q -- '-*' $w
            continue
        end
        if contains -- "$p $w"{}
            set p "$p $w"
        end
    end
    echo $p
end
function __tally_at
    set -l p (__tally_path)
    test "$p" = "$argv[1]"
end
function __tally_complete
    set -l words (commandline -opc)
    set -l db
    set -l i (contains -i -- --db $words)
    and set db --db $words[(math $i + 1)]
    $words[1] $db __complete $argv[1] 2>/dev/null
end
complete -c tally -f
)sh",
                                skip, paths);
  const CLI::Option* help = m.root->get_option_no_throw("--help");
  for (const Node& n : m.nodes) {
    const std::string at = "-n '__tally_at \"" + n.path + "\"'";
    for (const CLI::App* sub : visible_commands(n.app))
      out += fmt::format("complete -c tally {} -a {} -d {}\n", at, sub->get_name(), quoted(sub->get_description()));
    for (const CLI::Option* o : n.app->get_options()) {
      if (o == help) continue;
      std::string names;
      for (const auto& s : o->get_snames()) names += " -s " + s;
      for (const auto& l : o->get_lnames()) names += " -l " + l;
      const std::string cond = n.app == m.root ? "" : at + " ";
      if (!o->nonpositional()) {
        Values v = values_of(o, n.app);
        if (v.mode == "list" || v.mode == "customers" || v.mode == "invoices" || v.mode == "grid")
          out += fmt::format("complete -c tally {} {}\n", at,
                             v.mode == "list" ? "-a '" + joined(v.list) + "'" : "-a '(__tally_complete " + v.mode + ")'");
        else if (v.mode == "file")
          out += fmt::format("complete -c tally {} -F\n", at);
        continue;
      }
      const std::string args = takes_value(o) ? " " + values_args(values_of(o, n.app)) : "";
      out += fmt::format("complete -c tally {}{}{} -d {}\n", cond, names.substr(1), args, quoted(o->get_description()));
    }
    for (const CLI::Option* g : m.root->get_options())
      if (const auto* more = offered_under(n.app, g->get_name()))
        out += fmt::format("complete -c tally {} -l {} -x -a '{}'\n", at, g->get_lnames().front(), joined(*more));
  }
  // help COMMAND: the commands.
  std::string top;
  for (const CLI::App* sub : visible_commands(m.root)) top += (top.empty() ? "" : " ") + sub->get_name();
  out += fmt::format("complete -c tally -n '__tally_at \" help\"' -a '{}'\n", top);
  return out;
}

}  // namespace

void setup_completion(CLI::App& cmd, Context& ctx, Action& action) {
  struct Opts {
    std::string shell;
    const CLI::App* root = nullptr;
  };
  auto o = std::make_shared<Opts>();
  o->root = cmd.get_parent();
  choice(cmd.add_option("SHELL", o->shell, "the shell")->required(), {"bash", "zsh", "fish"});
  example(&cmd, "tally completion bash > ~/.local/share/bash-completion/completions/tally");
  example(&cmd, "tally completion zsh -o ~/.zfunc/_tally    (with fpath+=~/.zfunc before compinit)");
  example(&cmd, "tally completion fish -o ~/.config/fish/completions/tally.fish");
  on_parse(&cmd, ctx, action, o, [](Context&, const Opts& o) {
    const Model m = model_of(o.root);
    Output out;
    out.raw = o.shell == "bash" ? bash_script(m) : o.shell == "zsh" ? zsh_script(m) : fish_script(m);
    return out;
  });
}

// tally __complete customers|invoices|grid: one value per line for the
// completion scripts. It reads the ledger read-only and prints nothing, exit
// 0, on any error (no ledger, busy, a bad --grid): a completion must never
// write to the terminal nor wait.
void setup_complete(CLI::App& cmd, Context& ctx, Action& action) {
  struct Opts {
    std::string what;
  };
  auto o = std::make_shared<Opts>();
  cmd.add_option("WHAT", o->what, "customers, invoices (open ones) or grid")->required();
  on_parse(&cmd, ctx, action, o, [](Context& ctx, const Opts& o) {
    Output out;
    out.raw = "";
    try {
      ctx.g.format = "table";
      ctx.g.as_of.clear();
      std::string text;
      if (o.what == "customers") {
        for (const Customer& c : list_customers(ctx.reader())) text += c.code + "\n";
      } else if (o.what == "invoices") {
        for (const char* status : {"open", "partially-paid"}) {
          InvoiceFilter f;
          f.status = status;
          each_invoice(ctx.reader(), f, ctx.as_of(), [&text](const Invoice& i) { text += i.number + "\n"; });
        }
      } else if (o.what == "grid") {
        std::string source = ctx.g.grid;
        if (source.empty()) {
          try {
            source = policy_at(ctx.reader(), ctx.as_of()).services_grid;
          } catch (const std::exception&) {
            source = "builtin";
          }
        }
        for (const GridItem& i : read_grid(source).items) text += i.code + "\n";
        text += "blocking-bug\n";
      }
      out.raw = text;
    } catch (const std::exception&) {
    }
    return out;
  });
}

}  // namespace tally::cli
