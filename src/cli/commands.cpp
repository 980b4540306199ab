// The table of commands and the global options: the listing of `tally
// --help` comes from here.
#include "cli/cli.hpp"

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
      {"completion", "print the bash completion script", setup_completion},
  };
  return table;
}

void build_app(CLI::App& app, Context& ctx, Action& action) {
  app.set_version_flag("--version", std::string("tally ") + TALLY_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.option_defaults()->always_capture_default(false);
  app.add_option("--db", ctx.g.db, "the SQLite ledger (default $XDG_DATA_HOME/tally/ledger.db)")->envname("TALLY_DB");
  app.add_option("--as-of", ctx.g.as_of, "business date YYYY-MM-DD every rule is evaluated at (default today)")
      ->envname("TALLY_AS_OF");
  app.add_option("--format", ctx.g.format, "output: table, json or csv (default table; html for report close)")->envname("TALLY_FORMAT");
  app.add_flag("--dry-run", ctx.g.dry_run, "compute and print what a writing command would do, write nothing");
  app.add_flag("-q,--quiet", ctx.g.quiet, "print nothing on success in table format");
  app.add_flag("--no-color", ctx.g.no_color, "never colour the output (also NO_COLOR)");
  app.add_option("--grid", ctx.g.grid, "services grid CSV for quote and invoice create --item (default: policy)");
  app.footer("\nExamples:\n  tally init\n  tally customer add acme --name 'ACME SAS'\n"
             "  tally --as-of 2026-03-01 invoice run --period 2026-03\n  tally --format json overdue\n\n"
             "Exit codes: 0 done, 1 internal, 2 usage, 3 not found, 4 refused by the policy, 5 conflict, "
             "6 ledger busy, 7 integrity.");

  for (const Command& c : commands()) c.setup(*app.add_subcommand(c.name, c.summary), ctx, action);
}

}  // namespace tally::cli
