// The accountant's books (A1, A2): balanced entries (debit = credit) built from
// the ledger's documents and payments, written as the French FEC (LPF art.
// A47 A-1) or as an hledger journal, and the VAT due by rate (A1). Pure: plain
// values in, entries and text out; src/ledger reads the rows and calls these.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tally/billing.hpp"
#include "tally/calendar.hpp"
#include "tally/einvoice.hpp"
#include "tally/records.hpp"
#include "tally/kinds.hpp"
#include "tally/money.hpp"
#include "tally/payments.hpp"
#include "tally/policy.hpp"

namespace tally {

// ---- Entries (A2) ----

// The journals of the export: sales (VE: invoices and credit notes), bank
// (BQ: payments and their reversals), miscellaneous (OD: settlements from
// customer credit, which move no money) and opening balances (AN).
enum class Journal { sales, bank, misc, opening };
std::string_view journal_code(Journal j);   // "VE", "BQ", "OD", "AN"
std::string_view journal_label(Journal j);  // "Ventes", "Banque", ...

// What an amount is booked on; the chart of accounts (Policy's account_*
// parameters) gives each its number.
enum class Account {
  receivable,       // 411 + the customer as auxiliary account
  customer_credit,  // 4191 + the customer: overpayments and credit-note excess (P3)
  revenue,          // 706, per invoice kind in the hledger journal
  vat,              // 44571, one sub-account per rate
  bank,             // 512
  interest,         // 7631: late-payment interest (L4)
  indemnity,        // 7588: recovery indemnity (L5)
  retained,         // 110: the result of the periods before the export (opening entry)
};

struct Posting {
  Account account = Account::receivable;
  Cents debit = 0;   // exactly one of debit and credit is above 0
  Cents credit = 0;
  Rate vat_rate;                              // vat: the rate
  InvoiceKind kind = InvoiceKind::services;   // revenue: the kind of the document
  std::string customer;                       // receivable, customer_credit: the code
  std::string customer_name;
};

struct Entry {
  Journal journal = Journal::sales;
  Date date;
  std::string piece;   // the document number, or "P<id>" for a payment
  Date piece_date;
  std::string label;   // one line
  std::vector<Posting> postings;
  Cents debit() const;
  Cents credit() const;
};

// One line of a document as it bears on the books.
struct BookedLine {
  Cents amount_ht = 0;
  Rate vat_rate;
  std::string rule;  // "L4", "L5" on penalty invoices: interest or indemnity
};

// An invoice or a credit note, as the ledger stores it.
struct DocumentFacts {
  std::string number;
  bool credit_note = false;
  InvoiceKind kind = InvoiceKind::services;
  Date issue_date;
  std::string customer, customer_name;
  std::string cites;  // credit note: the invoice it corrects
  std::vector<BookedLine> lines;
  Cents total_ttc = 0;  // as stored
  Cents applied = 0;    // credit note: the part applied to the invoice it cites
};

// A2, the sales journal: an invoice debits the customer's receivable with its
// total incl. VAT and credits revenue (interest L4 / indemnity L5 for a
// penalty invoice, no VAT: M4) with its HT, and VAT per rate (M2: VAT of each
// rate rounded on the rate's HT, M3). A credit note is the reverse: revenue
// and VAT debited; the receivable credited with the part applied to the
// invoice, customer credit with the rest (P3). Postings of 0.00 are left out.
// Throws Error(internal) naming the document when its lines do not add up to
// its stored total, or a credit note applied more than its total.
Entry document_entry(const DocumentFacts& d);

// A payment as the ledger stores it.
struct PaymentFacts {
  std::int64_t id = 0;
  Method method = Method::transfer;
  Date date;
  std::string customer, customer_name;
  std::string invoice;  // the invoice named when paying
  std::string ref;      // external reference, "" for none
  Cents amount = 0;     // what arrived (or, for credit, what was used)
  Cents allocated = 0;  // what its allocations settled (invoice and fee, P2/P3)
  std::optional<Date> reversed_on;
};

// A2, the bank journal: money received debits the bank with the amount and
// credits the customer's receivable with what it settled (the invoice and
// the fee it triggered, P2) and customer credit with the rest (P3). A
// settlement from customer credit (method credit) moves no money: OD, customer
// credit debited, receivable credited. Throws Error(internal) naming the
// payment when it settled more than its amount.
Entry payment_entry(const PaymentFacts& p);

// P5: the reverse of payment_entry, dated p.reversed_on. REQUIRES: p.reversed_on.
Entry reversal_entry(const PaymentFacts& p);

// ---- The chart of accounts and the FEC (A2) ----

// The FEC's account number and label of a posting under the policy's chart:
// VAT has one sub-account per rate, account_vat followed by the rate in basis
// points on 4 digits (20 % under 44571: "445712000").
std::string account_number(const Posting& p, const Policy& policy);
std::string account_label(const Posting& p);  // "Clients", "TVA collectée 20,00 %"

// The 18 fields of LPF art. A47 A-1, in order, '|'-separated: the header line.
inline constexpr std::string_view kFecHeader =
    "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|"
    "PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise";
inline constexpr std::size_t kFecFields = 18;

// AAAAMMJJ: 2026-01-31 -> "20260131".
std::string fec_date(Date d);
// Decimal comma, no thousands separator: 123456 -> "1234,56", 0 -> "0,00".
std::string fec_amount(Cents c);
// A text field: '|' becomes '/', tabs and line breaks a space (one field per
// column whatever the text holds); `empty` when nothing is left.
std::string fec_text(std::string_view s, std::string_view empty = "");
// UTF-8 to ISO 8859-15 (A47 A-1 III: ASCII, ISO 8859-15 or EBCDIC): what
// Latin-9 cannot hold, and invalid UTF-8, becomes '?'.
std::string to_latin9(std::string_view utf8);

// The FEC lines of one entry numbered `number` (EcritureNum), validated on
// its own date (ValidDate), each ending with "\r\n", in UTF-8 (the writer
// converts): one line per posting, Debit and Credit both written.
std::string fec_lines(const Entry& e, std::int64_t number, const Policy& policy);

// ---- The hledger journal ----

// The hledger account of a posting: assets:bank, assets:receivables:CODE,
// liabilities:customer-credit:CODE, revenue:KIND, revenue:penalties:interest,
// revenue:penalties:indemnity, liabilities:vat:RATE ("20", "5.5"),
// equity:retained-earnings.
std::string ledger_account(const Posting& p);

// One hledger transaction: "DATE * (PIECE) LABEL" then one posting per line,
// amounts with 2 decimals and " EUR", debit positive, credit negative.
std::string ledger_transaction(const Entry& e);

// ---- Opening balances ----

// Sums entries by account (and customer, rate, kind) so that the entries
// before an export's first day can be carried in as one opening entry.
class OpeningBalances {
 public:
  void add(const Entry& e);
  // The opening entry on `date` (journal AN): every balance-sheet account with
  // its balance, and the revenue of the earlier periods as retained earnings.
  // nullopt when nothing is carried.
  std::optional<Entry> entry(Date date) const;

 private:
  struct Key {
    Account account;
    std::int64_t rate_bp;
    int kind;
    std::string customer;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Balance {
    Cents amount = 0;  // debit - credit
    std::string customer_name;
  };
  std::map<Key, Balance> balances_;  // one per account: bounded by the customers, not the entries
};

// ---- VAT due (A1) ----

// VAT of one rate: the taxable base (HT) and the VAT.
struct VatAmounts {
  Rate rate;
  Cents base = 0;
  Cents vat = 0;
};

// A1: the share of VAT in `received` paid on a document whose composition by
// rate is `by_rate` (HT and VAT of each rate, as invoice_totals gives them)
// and whose total is `ttc`, after `prior` was already paid on it: the share
// of everything paid so far less the share of what was paid before, so that
// the shares of several partial payments add up to the document's VAT to the
// cent. The share of an amount x: per rate, VAT = x x VAT of the rate / ttc,
// rounded half away from zero (M3); x is split between the rates in
// proportion of their totals incl. VAT (the last rate takes what the rounding
// left) and the base is that part less its VAT: base + VAT of all rates is x.
// A negative `received` (a reversal) gives the opposite shares. Rates with no
// HT are left out. REQUIRES: ttc > 0.
std::vector<VatAmounts> vat_share(Cents received, const std::vector<VatBucket>& by_rate, Cents ttc, Cents prior = 0);

// Adds `a` into `into`, keeping it ordered by rate.
void add_vat(std::vector<VatAmounts>& into, const VatAmounts& a);

// The line of the CA3 return (form 3310-CA3) for the taxable base and VAT of
// a rate of metropolitan France: 20 % "08", 10 % "9B", 5.5 % "09"; "" for
// any other rate (to be reported by hand).
std::string_view ca3_line(Rate rate);

// ---- From the ledger (src/ledger/accounting.cpp) ----

// What an export of [first, last] holds.
struct ExportTotals {
  Date first, last;
  std::int64_t entries = 0;  // the opening entry included
  std::int64_t lines = 0;    // postings
  Cents debit = 0, credit = 0;
  bool opening = false;      // an opening entry carries the balances of the days before `first`
};

// A1: the VAT of a month.
struct VatReport {
  Date month;             // first day
  Date end;               // the last day counted: the month's last day, or as_of if earlier
  bool complete = false;  // the month had ended on as_of
  VatRegime regime = VatRegime::receipts;  // the seller's, in force on `end` (E2)
  std::vector<VatAmounts> by_rate;         // ordered by rate
  VatAmounts total;                        // rate unused
  // receipts: what the shares were taken on
  Cents received = 0;         // allocations dated in the month (payments and credit used)
  Cents reversed = 0;         // allocations reversed in the month (P5)
  Cents credited_paid = 0;    // credit notes of the month on a paid part (became customer credit)
  // debits: what was invoiced
  Cents invoiced_ttc = 0;     // invoices issued in the month
  Cents credit_notes_ttc = 0; // credit notes issued in the month
};

}  // namespace tally
