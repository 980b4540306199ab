// The table of commands: the listing of `tally --help` comes from here.
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
      {"suspense", "assign a suspense line to an invoice or dismiss it (B2)", setup_suspense},
      {"verify", "check the integrity of the ledger and its journal", setup_verify},
      {"backup", "a consistent copy of the ledger while others write", setup_backup},
      {"completion", "print the bash completion script", setup_completion},
  };
  return table;
}

}  // namespace tally::cli
