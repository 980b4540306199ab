// Issuing documents as pure decisions: chronological numbering (I2) and what
// a credit note may credit (I3). The ledger loads the snapshot (the series'
// last document, the invoice and the credit notes citing it), calls these and
// writes. No I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/money.hpp"

namespace tally {

// I2: a document of a series (invoices F, credit notes AV) may be issued on
// `issue` when it is neither before `last_issued`, the issue date of the
// highest number of the same series and calendar year (none: the first of
// the year), nor after `business_date`. Throws Error(refused, "I2") naming
// the date and the bound otherwise.
void check_chronology(bool credit_note, Date issue, std::optional<Date> last_issued, Date business_date);

// I2 with P2: the issue date of a document whose date follows from an event
// rather than from a person (a fee invoice is dated its payment's date): the
// event's date `wanted`, or the series' `last_issued` when `wanted` is before
// it, the earliest date that keeps the series chronological.
Date chronological_date(Date wanted, std::optional<Date> last_issued);

// I3: an invoice as crediting needs it, on the day of the credit note.
struct CreditSnapshot {
  std::string number;
  bool credit_note = false;  // a credit note cannot itself be credited
  Date issue_date;
  Cents total_ttc = 0;
  Cents balance = 0;       // TTC not yet paid nor credited, all movements counted
  Cents credited_ttc = 0;  // TTC of every credit note citing it (those paid back as credit too)
  // Per VAT rate (basis points): the HT of its lines minus the HT of the lines
  // of the credit notes citing it.
  std::map<std::int64_t, Cents> uncredited_ht;
  // A credit note citing it has a line of another rule than S3 (a person's
  // void or partial credit, I3), not only standby reductions.
  bool credited_by_hand = false;

  // The TTC still creditable: total_ttc - credited_ttc.
  Cents uncredited_ttc() const { return total_ttc - credited_ttc; }
};

// I3, P3: a credit note allowed, and where its amount goes.
struct CreditDecision {
  Cents ttc = 0;                 // the credit note's total
  Cents applied = 0;             // lowers the invoice's balance: min(balance, ttc)
  Cents to_customer_credit = 0;  // the rest, already paid, becomes customer credit (P3)
  // K3: the credit note's VAT minus M3's VAT of its lines. Not 0 only for a
  // note that leaves no HT of its invoice uncredited: it carries exactly the
  // VAT left (per-note rounding of earlier partial notes may have left a cent
  // more or less), so that a void always credits the whole invoice. Stored in
  // the note's VAT; readers get its per-rate VAT from stored_totals().
  Cents vat_adjust = 0;
  std::string rule = "I3";
  std::string why;
};

// P3, P5, L1: a change to an invoice's balance recorded with its own date
// (an allocation, the reversal that undid one, a credit note's applied part):
// delta < 0 lowers what is owed.
struct BalanceMove {
  Date date;
  Cents delta = 0;
};

// Part of a payment settling an invoice on `date`.
struct Settlement {
  Date date;
  Cents amount = 0;
};

// P3 with P5: how a payment (or credit note) dated `from` settles an invoice
// without its balance ever going below zero on a day of the record. `balance`
// is the invoice's balance with every move counted; `later` the moves dated
// after `from` (any order). A payment recorded after a reversal, or a credit
// note recorded after a payment since reversed, may be dated on days the
// invoice was settled: it settles at once only the lowest balance still ahead
// of it, and each later rise of that lowest balance (the day a reversal
// reopened the invoice) when it happens, up to `amount`. Empty when `from`
// leaves nothing to settle. The amounts sum to min(amount, balance).
std::vector<Settlement> settlement_schedule(Cents balance, const std::vector<BalanceMove>& later, Date from,
                                            Cents amount);

// What can be settled on `from` itself: the lowest balance from `from` on
// (the first step of settlement_schedule, 0 when none), what a credit note
// dated `from` may lower.
Cents lowest_balance_ahead(Cents balance, const std::vector<BalanceMove>& later, Date from);

// I3: decides a credit note of `lines` (positive HT amounts) dated `date` on
// the invoice of `inv`. Throws Error(refused, "I3") when inv is a credit note,
// when `date` is before its issue date, or when the note credits more than
// remains uncredited (the HT of a VAT rate or the TTC); Error(usage) when it
// credits nothing. K3: a note crediting all the HT left at every rate credits
// all the TTC left (vat_adjust, at most a cent per rate).
CreditDecision decide_credit(const CreditSnapshot& inv, const std::vector<InvoiceLine>& lines, Date date);

// I3: the lines of a full credit note (void): every line as issued when
// nothing was credited yet, else one line per VAT rate for what remains
// uncredited (decide_credit then credits the VAT left to the cent, K3).
// Throws Error(conflict) when nothing remains (already void),
// Error(refused, "I3") for a credit note.
std::vector<InvoiceLine> void_lines(const CreditSnapshot& inv, const std::vector<InvoiceLine>& issued_lines);

// I3: the line of a partial credit note of `amount_ht` at the VAT rate that
// remains uncredited. Throws Error(usage) for an amount <= 0,
// Error(refused, "I3") for a credit note, above what remains uncredited, or
// when several VAT rates remain (ambiguous: void it, or credit it rate by rate
// is not offered).
InvoiceLine partial_credit_line(const CreditSnapshot& inv, Cents amount_ht, const std::string& description);

// I5: a billing run for `month` may run from its first day on.
void check_billing_month(Date month, Date today);

// I2: the number of the document after `last_seq` in its series and year,
// F2026-000001 or AV2026-000001. Refused when the year's 999999 are issued.
std::string next_number(bool credit_note, int year, std::int64_t last_seq);

}  // namespace tally
