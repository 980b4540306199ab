// The command line's words for the hints of libtally's errors: libtally
// names values (the business date, the letter's reference); how to give them
// on this command line is said here, once.
#include "cli/cli.hpp"
#include "tally/errors.hpp"

namespace tally::cli {

std::string hint_text(Hint h) {
  switch (h) {
    case Hint::none: return {};
    case Hint::as_of: return "--as-of";
    case Hint::force: return "or --force to replace it";
    case Hint::init: return "run 'tally init', or pass --db PATH / set TALLY_DB";
    case Hint::seller_set: return "tally seller set KEY VALUE --effective DATE";
    case Hint::quote_feature: return "quote it with 'tally quote feature --days N'";
    case Hint::from_credit: return "settle from customer credit with 'tally pay NUMBER --from-credit'";
    case Hint::detail: return "--detail 'cheque 123', 'cash'...";
    case Hint::reason: return "--reason 'returned SEPA debit', 'chargeback'";
    case Hint::overdue_report: return "run 'tally overdue' without --apply to evaluate an earlier date";
    case Hint::letter_ref: return "--letter-ref, e.g. 1A12345678901";
    case Hint::letter_date: return "--letter-date";
    case Hint::requested: return "--requested";
    case Hint::month: return "--month";
    case Hint::until: return "--until";
    case Hint::standby_list: return "see 'tally standby list --customer CODE'";
    case Hint::name: return "--name";
    case Hint::invoice_lines: return "--amount or --item";
    case Hint::customer_list: return "see 'tally customer list'";
    case Hint::invoice_list: return "see 'tally invoice list'";
    case Hint::payment_list: return "see 'tally payment list'";
    case Hint::subscription_list: return "see 'tally subscription list'";
    case Hint::suspense_report: return "see 'tally report suspense'";
  }
  return {};
}

std::string message_of(const Error& e) {
  const std::string hint = hint_text(e.hint());
  return hint.empty() ? std::string(e.what()) : fmt::format("{} ({})", e.what(), hint);
}

}  // namespace tally::cli
