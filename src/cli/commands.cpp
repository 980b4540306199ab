// The table of commands and the global options: the listing of `tally
// --help` comes from here.
#include "cli/cli.hpp"
#include "cli/options.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

void setup_init(CLI::App&, Context&, Action&);
void setup_customer(CLI::App&, Context&, Action&);
void setup_subscription(CLI::App&, Context&, Action&);
void setup_invoice(CLI::App&, Context&, Action&);
void setup_pay(CLI::App&, Context&, Action&);
void setup_payment(CLI::App&, Context&, Action&);
void setup_overdue(CLI::App&, Context&, Action&);
void setup_standby(CLI::App&, Context&, Action&);
void setup_cancel(CLI::App&, Context&, Action&);
void setup_status(CLI::App&, Context&, Action&);
void setup_quote(CLI::App&, Context&, Action&);
void setup_sla(CLI::App&, Context&, Action&);
void setup_policy(CLI::App&, Context&, Action&);
void setup_seller(CLI::App&, Context&, Action&);
void setup_report(CLI::App&, Context&, Action&);
void setup_import(CLI::App&, Context&, Action&);
void setup_export(CLI::App&, Context&, Action&);
void setup_suspense(CLI::App&, Context&, Action&);
void setup_verify(CLI::App&, Context&, Action&);
void setup_backup(CLI::App&, Context&, Action&);
void setup_completion(CLI::App&, Context&, Action&);
void setup_complete(CLI::App&, Context&, Action&);  // cmd_completion.cpp: the hidden __complete

namespace {

// tally help [COMMAND...]: the help of that command (help.cpp), exit 0.
void setup_help(CLI::App& cmd, Context& ctx, Action& action) {
  struct Opts {
    std::vector<std::string> words;
    const CLI::App* root = nullptr;
  };
  auto o = std::make_shared<Opts>();
  o->root = cmd.get_parent();
  cmd.add_option("COMMAND", o->words, "the command words (none: the top level)");
  example(&cmd, "tally help invoice create");
  on_parse(&cmd, ctx, action, o, [](Context&, const Opts& o) {
    const CLI::App* at = o.root;
    std::string typed;
    for (const auto& w : o.words) {
      const CLI::App* next = nullptr;
      for (const CLI::App* sub : visible_commands(at))
        if (sub->get_name() == w) next = sub;
      if (next == nullptr) {
        std::string known;
        for (const CLI::App* sub : visible_commands(at)) known += (known.empty() ? "" : ", ") + sub->get_name();
        if (known.empty())
          throw usage_error("unknown command '{}{}': '{}' has no commands", typed, w, typed.substr(0, typed.size() - 1));
        throw usage_error("unknown command '{}{}': expected one of {}", typed, w, known);
      }
      typed += w + " ";
      at = next;
    }
    Output out;
    out.raw = help_text(at);
    return out;
  });
}

}  // namespace

const std::vector<Command>& commands() {
  static const std::vector<Command> table = {
      {"init", "create the ledger (refuses to overwrite one)", setup_init},
      {"customer", "add, list, show customers and set their identity", setup_customer},
      {"subscription", "add and list subscriptions", setup_subscription},
      {"invoice", "create, bill a month, list, show and void invoices", setup_invoice},
      {"pay", "record a payment against an invoice", setup_pay},
      {"payment", "list and reverse payments", setup_payment},
      {"overdue", "late invoices, interest, indemnities and stages", setup_overdue},
      {"standby", "put a platform to sleep, end or list standbys", setup_standby},
      {"cancel", "cancel a subscription on a registered letter", setup_cancel},
      {"status", "a customer's stage, standby, capabilities and balance", setup_status},
      {"quote", "price a feature request or an intervention", setup_quote},
      {"sla", "the update target date of a bug, evolution or feature", setup_sla},
      {"policy", "show or version the policy parameters", setup_policy},
      {"seller", "show or version the seller's identity on documents (E2)", setup_seller},
      {"report", "aging, balances, suspense and the month-end close", setup_report},
      {"import", "import a bank statement of payments", setup_import},
      {"export", "the accountant's books: the FEC and an hledger journal (A2)", setup_export},
      {"suspense", "assign a suspense line to an invoice or dismiss it (B2)", setup_suspense},
      {"verify", "check the integrity of the ledger and its journal", setup_verify},
      {"backup", "a consistent copy of the ledger while others write", setup_backup},
      {"help", "help on tally or on a command: tally help invoice create", setup_help},
      {"completion", "print the completion script of bash, zsh or fish", setup_completion},
  };
  return table;
}

void build_app(CLI::App& app, Context& ctx, Action& action) {
  app.formatter(help_formatter());  // before any subcommand: each inherits it
  app.set_version_flag("--version", std::string("tally ") + TALLY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default(false);
  app.add_option("--db", ctx.g.db, "the SQLite ledger")
      ->envname("TALLY_DB")
      ->default_str("$XDG_DATA_HOME/tally/ledger.db");
  app.add_option("--as-of", ctx.g.as_of, "business date every rule is evaluated at")
      ->envname("TALLY_AS_OF")
      ->default_str("today");
  // Checked by Context::format (html only under report close); the values
  // here are those offered and shown.
  offer(app.add_option("--format", ctx.g.format, "output for people (table) or scripts (json, csv)")
            ->envname("TALLY_FORMAT")
            ->default_str("table"),
        {"table", "json", "csv"});
  choice(app.add_option("--color", ctx.g.color,
                        "colour on a terminal: auto (not when NO_COLOR is set, TERM=dumb or stdout is not a "
                        "terminal), always or never")
             ->default_str("auto"),
         {"auto", "always", "never"});
  app.add_flag("--no-color", ctx.g.no_color, "never colour the output (as --color never, or NO_COLOR)");
  app.add_option("-o,--output", ctx.g.output, "write what the command prints to FILE, a new file unless --force");
  app.add_flag("--force", ctx.g.force, "with -o: replace FILE if it exists (never a link, a device or the ledger)");
  app.add_flag("--dry-run", ctx.g.dry_run, "compute and print what a writing command would do, write nothing");
  app.add_flag("-q,--quiet", ctx.g.quiet, "print nothing on success in table format");
  app.add_option("--grid", ctx.g.grid, "services grid CSV for quote and invoice create --item")
      ->default_str("the policy's");
  for (const char* e : {"tally init", "tally customer add acme --name 'ACME SAS'",
                        "tally --as-of 2026-03-01 invoice run --period 2026-03", "tally --format json overdue",
                        "tally help invoice create"})
    add_example(&app, e);

  for (const Command& c : commands()) c.setup(*app.add_subcommand(c.name, c.summary), ctx, action);
  setup_complete(*app.add_subcommand("__complete", "values for the completion scripts")->group(""), ctx, action);
  name_value_kinds(app);
}

}  // namespace tally::cli
