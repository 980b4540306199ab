// Invoicing rules as pure functions: VAT (M2, M3), due dates (I4), billing
// cycles (I5). No I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/calendar.hpp"
#include "tally/kinds.hpp"
#include "tally/money.hpp"
#include "tally/policy.hpp"

namespace tally {

// I5: billing cycles.
enum class Cycle { monthly, quarterly, annual };

std::string_view to_string(Cycle c);
// Parse the command-line spelling; throw Error(usage) naming the accepted values.
Cycle parse_cycle(std::string_view text);

// True for a code of the ledger (customers, services grid items):
// [a-z0-9][a-z0-9-]*, at most 64 characters.
bool is_valid_code(std::string_view code);

// One line of an invoice or credit note. Amounts HT; qty in hundredths.
struct InvoiceLine {
  std::string description;
  std::int64_t qty = 100;       // hundredths of a unit: 100 is 1
  Cents unit_ht = 0;
  Cents amount_ht = 0;          // line_amount(qty, unit_ht) unless set by a rule
  Rate vat_rate;
  std::string rule;             // the rule ID that produced the line ("I5", "P2"...)
  std::string item;             // services grid code, if any
};

// qty (hundredths) x unit price, rounded half away from zero (M3).
Cents line_amount(std::int64_t qty, Cents unit_ht);

struct VatBucket {
  Rate rate;
  Cents ht = 0;
  Cents vat = 0;
};

struct Totals {
  Cents ht = 0;
  Cents vat = 0;
  Cents ttc = 0;
  std::vector<VatBucket> by_rate;  // ordered by rate
};

// M2/M3: VAT computed per invoice on the HT total of each rate, each rounded to
// the cent half away from zero.
Totals invoice_totals(const std::vector<InvoiceLine>& lines);

// K3 (I3 with M3): the totals of a stored document whose VAT is `stored_vat`.
// M3 rounds the VAT of each rate of each document; a credit note that
// completes the crediting of its invoice carries instead exactly the VAT its
// invoice has left uncredited (decide_credit), which may differ from M3 by a
// cent or so. That difference is put on the document's last (highest) rate.
// Every other document has stored_vat == invoice_totals(lines).vat and gets
// exactly invoice_totals(lines).
Totals stored_totals(const std::vector<InvoiceLine>& lines, Cents stored_vat);
// The same on a document's buckets already summed by rate, each with M3's
// VAT: puts stored_vat minus their VAT on the last bucket.
void apply_stored_vat(std::vector<VatBucket>& by_rate, Cents stored_vat);

// I4: the due date, issue date plus the payment terms.
Date due_date(Date issue, int terms_days);

// I4: throws Error(refused) when terms exceed the legal cap, Error(usage) when negative.
void check_terms(int terms_days, const Policy& policy);

// I5: months in a cycle (1, 3, 12).
int cycle_months(Cycle c);

// A billing period, both days inclusive.
struct Period {
  Date first;
  Date last;
  friend bool operator==(const Period&, const Period&) = default;
};

// I5: the cycle of a subscription started on `start` that begins in the month
// holding `month`, if any. Cycles start on start + k cycles (L2 clamping from the
// start day) and end the day before the next one.
std::optional<Period> cycle_starting_in(Date start, Cycle cycle, Date month);

// I5: the cycle holding day d (d >= start).
Period cycle_containing(Date start, Cycle cycle, Date d);

// I5 (with S3 and C4): the lines of a subscription invoice for one cycle.
// The licence is amount_ht_per_month x months of the cycle; days after
// `end_date` (cancellation, C4) are not billed, and days in a standby period
// are billed at policy.standby_rate (S3), both by day of the cycle.
std::vector<InvoiceLine> subscription_cycle_lines(Cents amount_ht_per_month, Cycle cycle, Period period,
                                                  std::optional<Date> end_date, Rate vat_rate,
                                                  const std::vector<Period>& standbys, const Policy& policy);

}  // namespace tally
