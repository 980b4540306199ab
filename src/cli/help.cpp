// Help for people: `tally --help`, `tally help [COMMAND...]`, a command's
// --help and `tally` alone all print help_text, made from the same App tree
// the parser uses: each value's kind (options.hpp), its accepted values, its
// default, the global options, the exit codes and the command's examples.
#include <set>

#include <fmt/format.h>

#include "cli/cli.hpp"
#include "cli/options.hpp"

namespace tally::cli {
namespace {

const CLI::App* root_of(const CLI::App* app) {
  while (app->get_parent() != nullptr) app = app->get_parent();
  return app;
}

// "tally invoice create"
std::string path_of(const CLI::App* app) {
  std::string path;
  for (; app->get_parent() != nullptr; app = app->get_parent()) path = " " + app->get_name() + path;
  return "tally" + path;
}

bool is_flag(const CLI::Option* o) { return o->nonpositional() && o->get_items_expected_min() == 0; }
bool repeatable(const CLI::Option* o) { return o->get_items_expected_max() > 1 || o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll; }

// "--kind setup|services|subscription", "-o,--output FILE", "--urgent"
std::string label(const CLI::Option* o) {
  if (!o->nonpositional()) return o->get_name();
  std::string names = o->get_name(false, true);
  if (is_flag(o)) return names;
  return names + " " + o->get_type_name();
}

std::string details(const CLI::Option* o) {
  std::string d = o->get_description();
  if (o->get_required()) d += " (required)";
  if (repeatable(o) && o->nonpositional() && d.find("repeatable") == std::string::npos) d += " (repeatable)";
  if (!o->get_default_str().empty()) d += " [default: " + o->get_default_str() + "]";
  if (!o->get_envname().empty()) d += " [env: " + o->get_envname() + "]";
  return d;
}

// Two columns: the labels padded to one width (at most 30), the text beside
// them or, for a longer label, on the next line.
std::string columns(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::size_t w = 0;
  for (const auto& [l, _] : rows)
    if (l.size() <= 30) w = std::max(w, l.size());
  std::string out;
  for (const auto& [l, text] : rows) {
    if (l.size() > w) out += "  " + l + "\n  " + std::string(w, ' ') + "  " + text + "\n";
    else out += "  " + l + std::string(w - l.size(), ' ') + "  " + text + "\n";
  }
  return out;
}

std::vector<const CLI::Option*> options_of(const CLI::App* app, bool positional) {
  std::vector<const CLI::Option*> out;
  for (const CLI::Option* o : app->get_options())
    if (o->nonpositional() != positional) out.push_back(o);
  return out;
}

std::string options_section(const std::string& title, const std::vector<const CLI::Option*>& opts,
                            std::set<std::string>& kinds) {
  if (opts.empty()) return "";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const CLI::Option* o : opts) {
    rows.emplace_back(label(o), details(o));
    if (!is_flag(o) && choices_of(o) == nullptr) kinds.insert(o->get_type_name());
  }
  return "\n" + title + ":\n" + columns(rows);
}

// The examples of `app`, else the first of each command under it.
std::vector<std::string> examples(const CLI::App* app) {
  std::vector<std::string> out = examples_of(app);
  if (!out.empty()) return out;
  for (const CLI::App* sub : visible_commands(app)) {
    const auto more = examples(sub);
    if (!more.empty()) out.push_back(more.front());
  }
  return out;
}

constexpr const char* kExitCodes =
    "Exit codes: 0 done, 1 internal or I/O failure, 2 usage (a bad value or option), 3 not found,\n"
    "4 refused by the policy, 5 conflict, 6 ledger busy, 7 integrity check failed.\n";

}  // namespace

std::string help_text(const CLI::App* app) {
  const CLI::App* root = root_of(app);
  const bool top = app == root;
  const auto commands = visible_commands(app);
  const bool group = !commands.empty();
  const std::string path = path_of(app);
  std::string out = top ? app->get_description() + "\n" : path + ": " + app->get_description() + "\n";

  // Usage: the command words, its positional arguments, its required options.
  std::string usage = "\nUsage: tally [GLOBAL OPTIONS]" + path.substr(5);
  if (group) {
    usage += " COMMAND [ARGS]";
  } else {
    for (const CLI::Option* o : options_of(app, true)) {
      const std::string arg = o->get_name() + (repeatable(o) ? "..." : "");
      usage += " " + (o->get_required() ? arg : "[" + arg + "]");
    }
    for (const CLI::Option* o : options_of(app, false))
      if (o->get_required()) usage += " " + label(o);
    if (!top) usage += " [OPTIONS]";
  }
  out += usage + "\n";

  std::set<std::string> kinds;
  if (group) {
    std::vector<std::pair<std::string, std::string>> rows;
    for (const CLI::App* sub : commands) rows.emplace_back(sub->get_name(), sub->get_description());
    out += "\nCommands:\n" + columns(rows);
  }
  if (!top) {
    std::vector<std::pair<std::string, std::string>> args;
    for (const CLI::Option* o : options_of(app, true)) {
      args.emplace_back(o->get_name(), details(o));
      const std::string k = o->get_type_name();
      if (choices_of(o) == nullptr) kinds.insert(k);
    }
    if (!args.empty()) out += "\nArguments:\n" + columns(args);
    std::vector<const CLI::Option*> own;
    for (const CLI::Option* o : options_of(app, false))
      if (o->get_name() != "--help") own.push_back(o);
    out += options_section("Options", own, kinds);
    // A global option offering more values here (report close --format html).
    for (const CLI::Option* g : options_of(root, false))
      if (const auto* more = offered_under(app, g->get_name())) {
        std::string values;
        for (const auto& v : *more) values += (values.empty() ? "" : ", ") + v;
        out += fmt::format("  {} also accepts {} here\n", g->get_name(), values);
      }
  }
  if (!group || top) out += options_section("Global options (before or after the command)", options_of(root, false), kinds);

  std::string legend;
  for (const auto& k : kinds)
    if (const std::string l = kind_legend(k); !l.empty()) legend += fmt::format("  {:<8}  {}\n", k, l);
  if (!legend.empty()) out += "\nValues:\n" + legend;

  const auto ex = examples(app);
  if (!ex.empty()) {
    out += ex.size() == 1 ? "\nExample:\n" : "\nExamples:\n";
    for (const auto& e : ex) out += "  " + e + "\n";
  }
  if (group) out += fmt::format("\nRun 'tally help{} COMMAND' for the options of a command.\n", path.substr(5));
  if (!group || top) out += "\n" + std::string(kExitCodes);
  return out;
}

namespace {
class HelpFormatter : public CLI::FormatterBase {
 public:
  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override { return help_text(app); }
};
}  // namespace

std::shared_ptr<CLI::FormatterBase> help_formatter() { return std::make_shared<HelpFormatter>(); }

}  // namespace tally::cli
