// What help and completion know about an option beyond CLI11: the kind of its
// value (DATE, AMOUNT, CODE...) and, for an enumeration, the values the
// parser accepts. One place, read by the parser's check, by help and by the
// completion scripts, so none of them can drift from the others.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace tally::cli {

// Makes `o` an enumeration: the parser refuses any other value with
// "invalid --kind 'x': expected a, b or c" (exit 2; `hint`, if any, is added),
// help lists the values and completion offers exactly them. Returns `o`.
CLI::Option* choice(CLI::Option* o, std::vector<std::string> values, std::string hint = {});

// Registers the values help shows and completion offers for an option whose
// check is written elsewhere (--format: Context::format). Returns `o`.
CLI::Option* offer(CLI::Option* o, std::vector<std::string> values);

// The values of an option made an enumeration by choice(); nullptr otherwise.
const std::vector<std::string>* choices_of(const CLI::Option* o);

// Values offered for option `name` (a global one) under command `app` only, on
// top of its own: `--format html` under report close. The parser's check
// accepts them there (Context::format).
void offer_under(const CLI::App* app, const std::string& name, std::vector<std::string> values);
const std::vector<std::string>* offered_under(const CLI::App* app, const std::string& name);

// The kinds of values, by option name, for every option still typed TEXT
// (CLI11's default), over the whole tree: --date DATE, --customer CODE,
// --invoice NUMBER, --amount AMOUNT, --period PERIOD, --db FILE... Positional
// arguments are typed by their name (CODE, NUMBER, FILE...).
void name_value_kinds(CLI::App& app);

// The legend of a value kind ("" for none): "DATE  a day, YYYY-MM-DD (2026-01-31)".
std::string kind_legend(const std::string& kind);

// Examples of a command, shown by help (example() in cli.hpp adds them).
const std::vector<std::string>& examples_of(const CLI::App* app);
void add_example(const CLI::App* app, std::string text);

// The commands a user sees under `app`: not the hidden ones (`__complete`).
std::vector<const CLI::App*> visible_commands(const CLI::App* app);

// The help text of `app` (a command, a group of commands or the top level):
// help.cpp, also what --help prints.
std::string help_text(const CLI::App* app);

// The formatter that makes --help print help_text.
std::shared_ptr<CLI::FormatterBase> help_formatter();

}  // namespace tally::cli
