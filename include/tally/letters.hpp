// The letters tally writes for customers: the late-payment notice (L7) and the
// cancellation balance statement (C3). Each is rendered from a mustache
// template kept as data (data/templates/NAME.LANG.mustache, compiled in:
// builtin_data()), in French by default or in English, with the seller's
// identity (E2) in its letterhead. French letters write dates and amounts the
// French way ("1er mars 2026", "1 234,56 €") and no English word of the ledger
// (stage codes, cycle names). Text from the ledger is escaped for the output
// (markdown_escape or escape_control, tally/text.hpp).
#pragma once

#include <string>
#include <string_view>

#include "tally/cancellation.hpp"
#include "tally/einvoice.hpp"
#include "tally/late.hpp"

namespace tally {

enum class Lang { fr, en };

// "fr" or "en"; throws Error(usage) naming the value and the accepted ones.
Lang parse_lang(std::string_view text);
std::string_view to_string(Lang lang);

// L7: the late-payment notice: the invoices and amounts, interest and
// indemnity, the current stage, the dates of the next stages and the contact
// (phone, e-mail). Plain text, or Markdown when `markdown`.
std::string late_notice(const Notice& n, const SellerIdentity& seller, Lang lang, bool markdown);

// C3: the balance statement as a letter (Markdown, readable as plain text):
// the customer, the letter's reference and reception date, the effective
// date of each subscription, the lines and the total.
struct StatementLetter {
  Customer customer;
  Date letter_date;
  std::string letter_ref;
  std::vector<Subscription> subscriptions;  // each with its end_date (effective)
  Statement statement;
  SellerIdentity seller;  // in force on the statement's date
  Lang lang = Lang::fr;
  bool draft = false;  // a dry-run preview: marked as such
};
std::string statement_letter(const StatementLetter& letter);

}  // namespace tally
