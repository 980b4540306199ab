// The value kinds and enumerations of options (options.hpp): the parser's
// check, help and completion read them from here.
#include "cli/options.hpp"

#include <map>

#include "tally/errors.hpp"

namespace tally::cli {
namespace {

// Options live as long as the App of main(): keyed by address.
std::map<const CLI::Option*, std::vector<std::string>>& registry() {
  static std::map<const CLI::Option*, std::vector<std::string>> r;
  return r;
}

std::map<std::pair<const CLI::App*, std::string>, std::vector<std::string>>& extras() {
  static std::map<std::pair<const CLI::App*, std::string>, std::vector<std::string>> r;
  return r;
}

std::map<const CLI::App*, std::vector<std::string>>& example_registry() {
  static std::map<const CLI::App*, std::vector<std::string>> r;
  return r;
}

// "a, b or c"
std::string either(const std::vector<std::string>& values) {
  std::string s;
  for (std::size_t i = 0; i < values.size(); ++i)
    s += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
  return s;
}

// The kind of an option's value by its long name (without "--"), for the
// options CLI11 left typed TEXT. One table for every command: the same name
// means the same kind everywhere (an exception is typed where it is declared,
// e.g. import payments --from, an enumeration).
const std::map<std::string, std::string>& kinds_by_name() {
  static const std::map<std::string, std::string> kinds = {
      {"db", "FILE"},          {"grid", "FILE"},         {"output", "FILE"},         {"statement", "FILE"},
      {"rules", "FILE"},       {"anchors", "FILE"},      {"notices", "DIR"},         {"dir", "DIR"},
      {"as-of", "DATE"},       {"date", "DATE"},         {"from", "DATE"},           {"to", "DATE"},
      {"until", "DATE"},       {"start", "DATE"},        {"requested", "DATE"},      {"letter-date", "DATE"},
      {"effective", "DATE"},   {"amount", "AMOUNT"},     {"customer", "CODE"},       {"invoice", "NUMBER"},
      {"period", "PERIOD"},    {"month", "PERIOD"},      {"year", "YEAR"},           {"terms", "DAYS"},
      {"days", "DAYS"},        {"commitment-months", "MONTHS"}, {"notice-months", "MONTHS"},
      {"qty", "QTY"},          {"vat-rate", "PERCENT"},  {"item", "ITEM"},           {"anchor", "ID:HASH"},
      {"email", "EMAIL"},
  };
  return kinds;
}

bool untyped(const std::string& type) { return type.empty() || type == "TEXT" || type == "INT" || type == "UINT"; }

}  // namespace

CLI::Option* choice(CLI::Option* o, std::vector<std::string> values, std::string hint) {
  const std::string name = o->get_name();
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : "|") + v;
  auto accepted = values;
  o->check(CLI::Validator(
      [name, accepted, hint](std::string& value) -> std::string {
        for (const auto& v : accepted)
          if (v == value) return {};
        throw usage_error("invalid {} '{}': {}expected {}", name, value, hint.empty() ? "" : hint + "; ",
                          either(accepted));
      },
      "", "choice"));
  o->type_name(joined);
  registry()[o] = std::move(values);
  return o;
}

CLI::Option* offer(CLI::Option* o, std::vector<std::string> values) {
  std::string joined;
  for (const auto& v : values) joined += (joined.empty() ? "" : "|") + v;
  o->type_name(joined);
  registry()[o] = std::move(values);
  return o;
}

const std::vector<std::string>* choices_of(const CLI::Option* o) {
  const auto it = registry().find(o);
  return it == registry().end() ? nullptr : &it->second;
}

void offer_under(const CLI::App* app, const std::string& name, std::vector<std::string> values) {
  extras()[{app, name}] = std::move(values);
}

const std::vector<std::string>* offered_under(const CLI::App* app, const std::string& name) {
  const auto it = extras().find({app, name});
  return it == extras().end() ? nullptr : &it->second;
}

void name_value_kinds(CLI::App& app) {
  for (CLI::Option* o : app.get_options()) {
    if (o->get_items_expected_min() == 0 && o->nonpositional()) continue;  // a flag
    if (choices_of(o) != nullptr || !untyped(o->get_type_name())) continue;
    if (!o->nonpositional()) {
      o->type_name(o->get_name());  // CODE, NUMBER, FILE, KEY, VALUE...
      continue;
    }
    const auto& names = o->get_lnames();
    const auto it = names.empty() ? kinds_by_name().end() : kinds_by_name().find(names.front());
    o->type_name(it != kinds_by_name().end() ? it->second : "TEXT");
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) name_value_kinds(*sub);
}

std::string kind_legend(const std::string& kind) {
  static const std::map<std::string, std::string> legend = {
      {"DATE", "a day, YYYY-MM-DD (2026-01-31)"},
      {"AMOUNT", "euros with at most two decimals, '.' for the decimal point (1500, 1499.90)"},
      {"CODE", "a customer code: lowercase letters, digits, '-' (acme)"},
      {"NUMBER", "an invoice or credit note number (F2026-000001, AV2026-000001)"},
      {"PERIOD", "a month, YYYY-MM (2026-03)"},
      {"YEAR", "a year, YYYY (2026)"},
      {"FILE", "a path to a file"},
      {"DIR", "a path to a folder"},
      {"DAYS", "a whole number of days"},
      {"MONTHS", "a whole number of months"},
      {"QTY", "a quantity, at most two decimals (2.5)"},
      {"PERCENT", "a rate in %, at most two decimals (20, 5.5)"},
      {"ITEM", "a code of the services grid in use (tally policy show; --grid)"},
      {"TEXT", "free text"},
  };
  const auto it = legend.find(kind);
  return it == legend.end() ? "" : it->second;
}

const std::vector<std::string>& examples_of(const CLI::App* app) {
  static const std::vector<std::string> none;
  const auto it = example_registry().find(app);
  return it == example_registry().end() ? none : it->second;
}

void add_example(const CLI::App* app, std::string text) { example_registry()[app].push_back(std::move(text)); }

std::vector<const CLI::App*> visible_commands(const CLI::App* app) {
  std::vector<const CLI::App*> out;
  for (const CLI::App* sub : app->get_subcommands([](const CLI::App*) { return true; }))
    if (!sub->get_group().empty()) out.push_back(sub);
  return out;
}

}  // namespace tally::cli
