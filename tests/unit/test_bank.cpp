// Bank statement readers and B1/B3 (issue 21): CAMT.053, CFONB 120, OFX 1 and
// 2, CSV with rules, format detection, the B1 reconciliation.
//
// Expected values are read by hand from the sample files (each says where), or
// computed by hand. The real-world samples are read from ../shared/samples/bank
// (SOURCE.md there); those tests are skipped, with a warning, when ../shared is
// absent. Our own samples are in tests/data/bank/.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/bank_internal.hpp"
#include "tally/bank.hpp"
#include "tally/errors.hpp"
#include "unit/fixtures.hpp"

using namespace tally;
using namespace tally::bank;
using tally::test::code_of;
using tally::test::d;

namespace {

namespace fs = std::filesystem;

// The project's source tree: $TALLY_SOURCE_DIR, else two levels above this file.
fs::path source_dir() {
  if (const char* env = std::getenv("TALLY_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string own(const char* name) { return slurp(source_dir() / "tests" / "data" / "bank" / name); }

// A sample of ../shared/samples/bank, or nullopt (and a warning) when ../shared is absent.
std::optional<std::string> shared(const char* rel) {
  const fs::path p = source_dir().parent_path() / "shared" / "samples" / "bank" / rel;
  if (!fs::exists(p)) {
    WARN("skipped: " << p.string() << " is absent (../shared holds the real-world samples)");
    return std::nullopt;
  }
  return slurp(p);
}

// The message of the Error f throws with code c.
std::string error_of(ExitCode c, const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    CHECK(e.code() == c);
    return e.what();
  }
  FAIL("no error thrown");
  return {};
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("bank: formats by name and from content", "[bank]") {
  CHECK(parse_format("camt053") == Format::camt053);
  CHECK(parse_format("cfonb120") == Format::cfonb120);
  CHECK(parse_format("ofx") == Format::ofx);
  CHECK(parse_format("csv") == Format::csv);
  CHECK(code_of([] { parse_format("mt940"); }) == ExitCode::usage);

  CHECK(detect_format(own("camt053-v02.xml")) == Format::camt053);
  CHECK(detect_format(own("camt053-v08.xml")) == Format::camt053);
  CHECK(detect_format(own("two-accounts.cfonb120")) == Format::cfonb120);
  CHECK(detect_format(own("sgml-v102.ofx")) == Format::ofx);
  CHECK(detect_format(own("xml-v211.ofx")) == Format::ofx);
  CHECK(detect_format(own("fr-bank.csv")) == Format::csv);
  CHECK(detect_format("date,amount,reference,label\n2026-03-02,10.00,R1,F2026-000001\n") == Format::csv);
  CHECK(detect_format("<OFX>\n<SIGNONMSGSRSV1>") == Format::ofx);
  // CFONB records may follow each other without line breaks.
  CHECK(detect_format("01" + std::string(118, ' ') + "07" + std::string(118, ' ')) == Format::cfonb120);

  if (auto s = shared("camt053/oca-test-camt053-no-ntry")) CHECK(detect_format(*s) == Format::camt053);
  if (auto s = shared("camt053/oca-test-camt053-txdtls")) CHECK(detect_format(*s) == Format::camt053);
  if (auto s = shared("ofx/oca-test_ofx.ofx")) CHECK(detect_format(*s) == Format::ofx);
  if (auto s = shared("cfonb120/pennylane-example.txt")) CHECK(detect_format(*s) == Format::cfonb120);
  if (auto s = shared("cfonb120/silarhi-simple-test.txt")) CHECK(detect_format(*s) == Format::cfonb120);
  if (auto s = shared("cfonb120/akretion-bank_statement.cfo")) CHECK(detect_format(*s) == Format::cfonb120);
}

TEST_CASE("bank: B3 means of the bank transaction codes", "[bank][B3]") {
  struct Case {
    const char* d;
    const char* f;
    Method m;
  };
  static const Case iso[] = {
      {"PMNT", "RCDT", Method::transfer}, {"PMNT", "ICDT", Method::transfer}, {"PMNT", "RDDT", Method::sepa},
      {"PMNT", "IDDT", Method::sepa},     {"PMNT", "CCRD", Method::card},     {"PMNT", "MCRD", Method::card},
      {"PMNT", "RCHQ", Method::other},    {"ACMT", "MDOP", Method::other},    {"", "", Method::other},
  };
  for (const auto& c : iso) CHECK(means_of_iso(c.d, c.f, "") == c.m);
  // CFONB codes: 05 virements reçus, 06 émis, C2 virement instantané reçu,
  // A1 prélèvements SEPA émis, B1 domiciliés, 30 factures cartes remises,
  // 02 remises de chèques, 62 commissions, A3 prélèvement SEPA rejeté.
  static const std::pair<const char*, Method> cfonb[] = {
      {"05", Method::transfer}, {"06", Method::transfer}, {"C2", Method::transfer}, {"A1", Method::sepa},
      {"B1", Method::sepa},     {"30", Method::card},     {"02", Method::other},    {"62", Method::other},
      {"A3", Method::other},
  };
  for (const auto& [code, m] : cfonb) CHECK(means_of_cfonb(code) == m);
  CHECK(means_of_ofx("CREDIT") == Method::transfer);
  CHECK(means_of_ofx("DIRECTDEP") == Method::transfer);
  CHECK(means_of_ofx("DIRECTDEBIT") == Method::sepa);
  CHECK(means_of_ofx("POS") == Method::card);
  CHECK(means_of_ofx("CHECK") == Method::other);
}

TEST_CASE("bank: CAMT.053 real samples (OCA)", "[bank][camt053]") {
  SECTION("a batch entry with two transaction details is split into two entries") {
    auto text = shared("camt053/oca-test-camt053-txdtls");
    if (!text) return;
    const auto st = read_camt053(*text);
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    // Read by hand: Stmt/Id, Acct/Id/IBAN, the OPBD and CLBD balances (CHF).
    CHECK(s.id == "20170323123456789012345");
    CHECK(s.account == "CH1111000000123456789");
    CHECK(s.currency == "CHF");
    REQUIRE(s.opening);
    CHECK(s.opening->amount == 7596015);
    CHECK(s.opening->date == d("2017-03-22"));
    REQUIRE(s.closing);
    CHECK(s.closing->amount == 7944315);
    CHECK(s.closing->date == d("2017-03-23"));
    // One Ntry of 3483.00 holding two TxDtls of 2187.00 and 1296.00.
    REQUIRE(s.entries.size() == 2);
    const bank::Entry& a = s.entries[0];
    const bank::Entry& b = s.entries[1];
    CHECK(a.amount == 218700);
    CHECK(b.amount == 129600);
    CHECK(a.direction == Direction::credit);
    CHECK(a.booking_date == d("2017-03-22"));
    CHECK(a.value_date == d("2017-03-23"));
    CHECK(a.reference == "20170323001234567891234567891234/1");
    CHECK(b.reference == "20170323001234567891234567891234/2");
    CHECK_FALSE(a.reference_is_hash);
    CHECK(a.payer_name == "Banque Cantonale Vaudoise");
    CHECK(a.payer_iban == "CH2222000000123456789");
    CHECK(b.payer_iban == "CH3333000000123456789");
    CHECK(a.creditor_reference == "302388292000011111111111111");
    CHECK(b.creditor_reference == "302388292000022222222222222");
    CHECK(a.bank_code == "PMNT/RCDT/AUTT");  // the TxDtls' own code
    CHECK(a.means == Method::transfer);
    // No Ustrd: the entry's AddtlNtryInf is the remittance.
    CHECK(a.remittance ==
          "CRÉDIT GROUPÉ BVR TRAITEMENT DU 22.03.2017 NUMÉRO CLIENT 01-70884-3 PAQUET ID: 123456CHCAFEBABE");
    // 75960.15 + 2187.00 + 1296.00 = 79443.15
    const Reconciliation r = reconcile(s);
    CHECK(r.checked);
    CHECK(r.count == 2);
    CHECK(r.credits == 2);
    CHECK(r.credit_total == 348300);
    CHECK(r.debits_skipped == 0);
  }
  SECTION("a statement without entries imports nothing and says so") {
    auto text = shared("camt053/oca-test-camt053-no-ntry");
    if (!text) return;
    const auto st = read_camt053(*text);
    REQUIRE(st.size() == 1);
    CHECK(st[0].id == "1234Test/1");
    CHECK(st[0].account == "NL77ABNA0574908765");
    CHECK(st[0].entries.empty());
    CHECK(st[0].opening->amount == 152076);
    CHECK(st[0].closing->amount == 152076);
    const Reconciliation r = reconcile(st[0]);
    CHECK(r.empty);
    CHECK(r.checked);
    CHECK(r.count == 0);
    CHECK(contains(r.note, "nothing to import"));
  }
}

TEST_CASE("bank: CAMT.053 001.02 and 001.08 (own samples)", "[bank][camt053]") {
  SECTION("001.02: single details, a debit without reference, a batch with AmtDtls") {
    const auto st = read_camt053(own("camt053-v02.xml"));
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    CHECK(s.format == Format::camt053);
    CHECK(s.id == "STMT-2026-03-04");
    CHECK(s.account == "FR7630006000011234567890189");
    CHECK(s.currency == "EUR");
    REQUIRE(s.entries.size() == 4);
    const bank::Entry& e1 = s.entries[0];
    CHECK(e1.amount == 120000);
    CHECK(e1.direction == Direction::credit);
    CHECK(e1.booking_date == d("2026-03-02"));
    CHECK(e1.value_date == d("2026-03-03"));
    CHECK(e1.reference == "BQ-20260302-0001");
    CHECK(e1.end_to_end_id == "E2E-F2026-000001");
    CHECK(e1.payer_name == "ACME SAS");
    CHECK(e1.payer_iban == "FR1420041010050500013M02606");
    CHECK(e1.remittance == "FACTURE F2026-000001 ACME & FILS");  // two Ustrd, &amp; decoded
    CHECK(e1.bank_code == "PMNT/RCDT/ESCT");
    CHECK(e1.means == Method::transfer);
    const bank::Entry& e2 = s.entries[1];
    CHECK(e2.direction == Direction::debit);
    CHECK(e2.amount == 4550);
    CHECK(e2.means == Method::card);
    CHECK(e2.reference_is_hash);
    CHECK(e2.reference.rfind("sha256:", 0) == 0);
    CHECK(e2.reference.size() == 7 + 32);
    CHECK(e2.remittance == "CB LIBRAIRIE DU CENTRE");
    CHECK_FALSE(e2.value_date);
    const bank::Entry& e3 = s.entries[2];
    const bank::Entry& e4 = s.entries[3];
    CHECK(e3.amount == 20000);
    CHECK(e4.amount == 15000);
    CHECK(e3.reference == "BQ-20260304-0002/1");
    CHECK(e4.reference == "BQ-20260304-0002/2");
    CHECK(e3.means == Method::sepa);
    CHECK(e3.payer_name == "GLOBEX SA");
    CHECK(e3.remittance == "F2026-000002");
    CHECK(e3.end_to_end_id == "E2E-GLOBEX");
    CHECK(e4.end_to_end_id.empty());  // NOTPROVIDED
    CHECK(e4.creditor_reference == "RF18F2026000003");
    // 1000.00 + 1200.00 - 45.50 + 200.00 + 150.00 = 2504.50
    const Reconciliation r = reconcile(s);
    CHECK(r.checked);
    CHECK(r.credits == 3);
    CHECK(r.credit_total == 155000);
    CHECK(r.debits_skipped == 1);
    CHECK(r.debit_total == 4550);
    CHECK(r.opening == 100000);
    CHECK(r.closing == 250450);
  }
  SECTION("001.08: Sts/Cd, PRCD as opening, DtTm, Dbtr/Pty, a pending entry left out, a CFONB Prtry code") {
    const auto st = read_camt053(own("camt053-v08.xml"));
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    CHECK(s.account == "00012345678");  // Acct/Id/Othr/Id
    CHECK(s.currency == "EUR");         // from the balances
    CHECK(s.opening->amount == 250450);
    CHECK(s.closing->amount == 202450);
    CHECK(s.closing->date == d("2026-03-05"));
    REQUIRE(s.entries.size() == 2);
    CHECK(s.entries[0].booking_date == d("2026-03-05"));
    CHECK(s.entries[0].payer_name == "ACME SAS");
    CHECK(s.entries[0].reference == "V8-1");
    CHECK(s.entries[0].remittance == "F2026-000004");
    CHECK(s.entries[1].bank_code == "PRTRY:06");
    CHECK(s.entries[1].means == Method::transfer);
    CHECK(s.entries[1].direction == Direction::debit);
    // 2504.50 + 500.00 - 980.00 = 2024.50
    CHECK(reconcile(s).checked);
  }
}

TEST_CASE("bank: B1 refuses a statement that does not reconcile, naming the gap", "[bank][B1]") {
  const auto st = read_camt053(own("camt053-unbalanced.xml"));
  REQUIRE(st.size() == 1);
  CHECK(st[0].opening->amount == -10000);  // 100.00 DBIT
  Error caught(ExitCode::ok, "");
  try {
    reconcile(st[0]);
    FAIL("reconciled");
  } catch (const Error& e) {
    caught = e;
  }
  CHECK(caught.code() == ExitCode::refused);
  CHECK(caught.rule() == "B1");
  const std::string m = caught.what();
  // -100.00 + 300.00 = 200.00; the file says 210.00.
  CHECK(contains(m, "STMT-GAP"));
  CHECK(contains(m, "= 200.00"));
  CHECK(contains(m, "closing balance is 210.00"));
  CHECK(contains(m, "gap 10.00"));
}

TEST_CASE("bank: CFONB 120 real samples", "[bank][cfonb120]") {
  SECTION("pennylane: two statements, two accounts, 05 complements") {
    auto text = shared("cfonb120/pennylane-example.txt");
    if (!text) return;
    const auto st = read_cfonb120(*text);
    REQUIRE(st.size() == 2);
    const bank::Statement& s = st[0];
    CHECK(s.format == Format::cfonb120);
    CHECK(s.account == "98765432100");
    CHECK(s.currency == "EUR");
    // Line 1: "0000000001904}" = -190.40 on 15/05/19; line 21: "0000000002412J" = -241.21.
    CHECK(s.opening->amount == -19040);
    CHECK(s.opening->date == d("2019-05-15"));
    CHECK(s.closing->amount == -24121);
    CHECK(s.closing->date == d("2019-05-16"));
    REQUIRE(s.entries.size() == 3);
    const bank::Entry& a = s.entries[0];  // line 3 and its complements on lines 4-15
    CHECK(a.line == 3);
    CHECK(a.amount == 3221);        // "0000000000322J" = -32.21
    CHECK(a.direction == Direction::debit);
    CHECK(a.bank_code == "B1");
    CHECK(a.means == Method::sepa);
    CHECK(a.booking_date == d("2019-05-16"));
    CHECK(a.value_date == d("2019-05-16"));
    CHECK(a.remittance == "PRLV SEPA TEST CABINET MENSUEAUHTR13133 MENSUEAUHTR13DUP");  // 04 label + LIB
    CHECK(a.payer_name == "INTERNET SFR");       // NPY
    CHECK(a.reference == "REFERENCE");           // REF (the 04's reference zone is blank)
    CHECK(a.end_to_end_id == "OTHER REFERENCE"); // RCN, first 35 characters
    const bank::Entry& b = s.entries[1];               // line 16
    CHECK(b.amount == 1070);                     // "0000000000107}" = -10.70
    CHECK(b.reference == "REFERENCE#2");         // positions 105-120, given again in the statement
    CHECK(b.remittance == "VIR SEPA DEMONSTRATION");
    CHECK(b.payer_name == "ELEC ERDF");
    const bank::Entry& c = s.entries[2];               // line 19: commission, code 62
    CHECK(c.amount == 790);
    CHECK(c.means == Method::other);
    CHECK(c.booking_date == d("2019-05-15"));
    CHECK(c.reference_is_hash);
    // -190.40 - 32.21 - 10.70 - 7.90 = -241.21
    const Reconciliation r = reconcile(s);
    CHECK(r.checked);
    CHECK(r.debits_skipped == 3);
    CHECK(r.credits == 0);

    const bank::Statement& t = st[1];
    CHECK(t.account == "00123456789");
    CHECK(t.opening->amount == -24121);
    CHECK(t.closing->amount == -16372);  // "0000000001637K"
    REQUIRE(t.entries.size() == 3);
    CHECK(t.entries[0].amount == 9749);  // "0000000000974I" = +97.49
    CHECK(t.entries[0].direction == Direction::credit);
    CHECK(t.entries[0].bank_code == "A3");
    CHECK(t.entries[0].remittance == "PRLV SEPA GROUPAMA CEN P051928612 22793301700040");
    // -241.21 + 97.49 - 12.10 - 7.90 = -163.72
    CHECK(reconcile(t).checked);
  }
  SECTION("silarhi: an empty statement (01 and 07 only)") {
    auto text = shared("cfonb120/silarhi-simple-test.txt");
    if (!text) return;
    const auto st = read_cfonb120(*text);
    REQUIRE(st.size() == 1);
    CHECK(st[0].account == "00012345603");
    CHECK(st[0].opening->amount == 1669565);  // "0000000166956E" = +16695.65
    CHECK(st[0].opening->date == d("2020-04-03"));
    CHECK(st[0].closing->amount == 1669565);
    CHECK(st[0].closing->date == d("2020-04-06"));
    const Reconciliation r = reconcile(st[0]);
    CHECK(r.empty);
    CHECK(r.checked);
  }
  SECTION("akretion: blank decimals in the balances, and a statement that does not reconcile") {
    auto text = shared("cfonb120/akretion-bank_statement.cfo");
    if (!text) return;
    const auto st = read_cfonb120(*text);
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    CHECK(s.account == "0000888899H");
    CHECK(s.currency == "EUR");  // from the 04 records (blank in 01 and 07)
    CHECK(s.opening->amount == 8);        // "0000000000000H" = +0.08 read with 2 decimals
    CHECK(s.closing->amount == 1187114);  // "0000000118711D" = +11871.14
    REQUIRE(s.entries.size() == 4);
    // "…20000}" -2000.00, "…10000}" -1000.00, "…40000{" +4000.00, "…30000}" -3000.00
    CHECK(s.entries[0].signed_amount() == -200000);
    CHECK(s.entries[1].signed_amount() == -100000);
    CHECK(s.entries[2].signed_amount() == 400000);
    CHECK(s.entries[3].signed_amount() == -300000);
    CHECK(s.entries[0].bank_code == "21");
    CHECK(s.entries[0].means == Method::transfer);
    CHECK(s.entries[0].booking_date == d("2011-08-21"));
    CHECK(s.entries[0].value_date == d("2011-09-23"));
    CHECK(s.entries[0].remittance == "LCL20000000142");
    // 0.08 - 2000.00 = -1999.92 computed, 11871.14 stated: gap 13871.06.
    const std::string m = error_of(ExitCode::refused, [&] { reconcile(s); });
    CHECK(contains(m, "B1:"));
    CHECK(contains(m, "= -1999.92"));
    CHECK(contains(m, "gap 13871.06"));
  }
}

TEST_CASE("bank: CFONB 120 own sample and malformed records", "[bank][cfonb120]") {
  const std::string text = own("two-accounts.cfonb120");
  const auto st = read_cfonb120(text);
  REQUIRE(st.size() == 2);
  CHECK(st[0].account == "00012345678");
  CHECK(st[0].opening->amount == 100000);
  CHECK(st[0].closing->amount == 215450);
  REQUIRE(st[0].entries.size() == 2);
  const bank::Entry& e = st[0].entries[0];
  CHECK(e.amount == 120000);
  CHECK(e.direction == Direction::credit);
  CHECK(e.bank_code == "05");
  CHECK(e.means == Method::transfer);
  CHECK(e.payer_name == "ACME SAS");
  CHECK(e.remittance == "VIR SEPA ACME SAS FACTURE F2026-000001");
  CHECK(e.end_to_end_id == "E2E-0001");
  CHECK(e.value_date == d("2026-03-03"));
  CHECK(e.reference_is_hash);
  CHECK(st[0].entries[1].reference == "BQREF-0002");
  CHECK(st[0].entries[1].means == Method::sepa);
  CHECK(reconcile(st[0]).checked);  // 1000.00 + 1200.00 - 45.50 = 2154.50
  CHECK(st[1].account == "00098765432");
  CHECK(st[1].opening->amount == -2000);
  REQUIRE(st[1].entries.size() == 1);
  CHECK(st[1].entries[0].amount == 10025);
  CHECK(st[1].entries[0].means == Method::card);
  CHECK_FALSE(st[1].entries[0].value_date);  // "000000"
  CHECK(reconcile(st[1]).checked);  // -20.00 + 100.25 = 80.25

  // The same records without line breaks read the same.
  std::string packed;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto nl = text.find("\r\n", pos);
    const std::string line = text.substr(pos, nl - pos);
    pos = nl + 2;
    packed += line;
  }
  const auto again = read_cfonb120(packed);
  REQUIRE(again.size() == 2);
  CHECK(again[0].entries[0].reference == st[0].entries[0].reference);  // the hash is stable

  SECTION("a short record") {
    std::string bad = text;
    bad.erase(bad.find("\r\n") - 1, 1);  // line 1 loses its last character
    const std::string m = error_of(ExitCode::usage, [&] { read_cfonb120(bad); });
    CHECK(contains(m, "line 1"));
    CHECK(contains(m, "119 characters: expected 120"));
  }
  SECTION("a bad amount") {
    std::string bad = text;
    bad[120 + 2 + 90 + 5] = 'X';  // line 2, inside positions 91-104
    const std::string m = error_of(ExitCode::usage, [&] { read_cfonb120(bad); });
    CHECK(contains(m, "line 2"));
    CHECK(contains(m, "invalid amount"));
  }
  SECTION("a bad sign character") {
    std::string bad = text;
    bad[120 + 2 + 103] = '#';
    CHECK(contains(error_of(ExitCode::usage, [&] { read_cfonb120(bad); }), "positions 91-104"));
  }
  SECTION("a statement without its new balance (truncated)") {
    const std::string bad = text.substr(0, 6 * 122);  // lines 1-6
    CHECK(contains(error_of(ExitCode::usage, [&] { read_cfonb120(bad); }), "no new-balance record 07"));
  }
  SECTION("a movement of another account") {
    std::string bad = text;
    bad.replace(122 + 21, 11, "00000000001");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_cfonb120(bad); }), "expected the same account"));
  }
  SECTION("an unknown record code") {
    std::string bad = text;
    bad.replace(122, 2, "03");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_cfonb120(bad); }), "expected 01, 04, 05 or 07"));
  }
  SECTION("an impossible date") {
    std::string bad = text;
    bad.replace(122 + 34, 6, "310226");  // 31 February
    CHECK(contains(error_of(ExitCode::usage, [&] { read_cfonb120(bad); }), "invalid date '310226'"));
  }
}

TEST_CASE("bank: OFX real samples (OCA)", "[bank][ofx]") {
  auto text = shared("ofx/oca-test_ofx.ofx");
  if (!text) return;
  const auto st = read_ofx(*text);
  REQUIRE(st.size() == 2);  // the bank statement and the credit card one
  const bank::Statement& s = st[0];
  CHECK(s.format == Format::ofx);
  CHECK(s.account == "123456");
  CHECK(s.currency == "USD");
  CHECK_FALSE(s.opening);
  REQUIRE(s.closing);
  CHECK(s.closing->amount == 215656);  // LEDGERBAL 2156.56
  REQUIRE(s.entries.size() == 4);      // one STMTTRN in each of four BANKTRANLISTs
  CHECK(s.entries[0].payer_name == "Agrolait");
  CHECK(s.entries[0].booking_date == d("2013-08-24"));
  CHECK(s.entries[0].amount == 8000);
  CHECK(s.entries[0].direction == Direction::debit);
  CHECK(s.entries[0].reference == "219378");
  CHECK(s.entries[0].bank_code == "POS");
  CHECK(s.entries[0].means == Method::card);
  // SOURCE.md: 2516.56 at start = 2156.56 + 80 + 90 + 100 + 90, derived (OFX has no opening balance).
  const Reconciliation r = reconcile(s);
  CHECK_FALSE(r.checked);
  CHECK(r.opening == 251656);
  CHECK(r.closing == 215656);
  CHECK(r.debits_skipped == 4);
  CHECK(r.credits == 0);
  CHECK(contains(r.note, "no opening balance"));
  CHECK(st[1].account == "123412341234");
  CHECK(st[1].closing->amount == -56200);
  CHECK(reconcile(st[1]).empty);

  if (auto iban = shared("ofx/oca-test_ofx_iban.ofx")) CHECK(read_ofx(*iban).at(0).account == "12345678901");
}

TEST_CASE("bank: OFX 1 (SGML) and OFX 2 (XML), own samples", "[bank][ofx]") {
  SECTION("SGML: leaves without end tags, a comma amount, Latin-1 text, an entity") {
    const auto st = read_ofx(own("sgml-v102.ofx"));
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    CHECK(s.account == "00012345678");
    CHECK(s.currency == "EUR");
    REQUIRE(s.entries.size() == 2);
    CHECK(s.entries[0].amount == 120000);
    CHECK(s.entries[0].direction == Direction::credit);
    CHECK(s.entries[0].means == Method::transfer);
    CHECK(s.entries[0].value_date == d("2026-03-06"));
    CHECK(s.entries[0].reference == "OFX1-0001");
    CHECK(s.entries[0].payer_name == "ACME SAS");
    CHECK(s.entries[0].remittance == "VIR SEPA F2026-000001 R\xC3\xA8GLEMENT");  // 0xE8 in the file
    CHECK(s.entries[1].amount == 4550);
    CHECK(s.entries[1].direction == Direction::debit);
    CHECK(s.entries[1].booking_date == d("2026-03-06"));
    CHECK(s.entries[1].payer_name == "LIBRAIRIE & CIE");
    CHECK(s.entries[1].remittance == "LIBRAIRIE & CIE");  // no MEMO: the NAME
    // 3154.50 - 1200.00 + 45.50 = 2000.00 derived at the start.
    CHECK(reconcile(s).opening == 200000);
  }
  SECTION("SGML: a leaf without a value is an empty leaf") {
    const std::string sgml =
        "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR\n<BANKACCTFROM><ACCTID>42\n"
        "</BANKACCTFROM><BANKTRANLIST><STMTTRN><TRNTYPE>CREDIT\n<MEMO>\n<DTPOSTED>20260305\n<TRNAMT>10.00\n"
        "<FITID>A1\n<NAME>X\n</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>10.00\n</LEDGERBAL></STMTRS>"
        "</STMTTRNRS></BANKMSGSRSV1></OFX>\n";
    const auto st = read_ofx(sgml);
    REQUIRE(st.at(0).entries.size() == 1);
    CHECK(st[0].entries[0].reference == "A1");
    CHECK(st[0].entries[0].amount == 1000);
    CHECK(st[0].entries[0].remittance == "X");
  }
  SECTION("XML: end tags, an empty MEMO, a transaction without FITID") {
    const auto st = read_ofx(own("xml-v211.ofx"));
    REQUIRE(st.size() == 1);
    const bank::Statement& s = st[0];
    CHECK(s.account == "FR7630004000010001234567890");
    REQUIRE(s.entries.size() == 3);
    CHECK(s.entries[0].remittance == "F2026-000002 <mars>");
    CHECK(s.entries[0].means == Method::transfer);
    CHECK(s.entries[1].means == Method::sepa);
    CHECK(s.entries[1].remittance == "ASSURANCE");
    CHECK(s.entries[2].reference_is_hash);
    CHECK(s.entries[2].amount == 25025);
    // 750.25 - 600.00 + 100.00 - 250.25 = 0.00
    CHECK(reconcile(s).opening == 0);
  }
  SECTION("malformed OFX") {
    const std::string xml = own("xml-v211.ofx");
    const std::string truncated = xml.substr(0, xml.find("</BANKTRANLIST>"));
    CHECK(contains(error_of(ExitCode::usage, [&] { read_ofx(truncated); }), "truncated"));
    std::string bad_amount = xml;
    bad_amount.replace(bad_amount.find("600.00"), 6, "6O0.00");
    const std::string m = error_of(ExitCode::usage, [&] { read_ofx(bad_amount); });
    CHECK(contains(m, "TRNAMT"));
    CHECK(contains(m, "'6O0.00'"));
    std::string bad_date = xml;
    bad_date.replace(bad_date.find("20260302"), 8, "20260230");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_ofx(bad_date); }), "invalid date '20260230'"));
    CHECK(contains(error_of(ExitCode::usage, [] { read_ofx("<OFX><STMTRS></BANKTRANLIST></STMTRS></OFX>"); }),
                   "end tag </BANKTRANLIST> without its start tag"));
    CHECK(code_of([] { read_ofx("no ofx here"); }) == ExitCode::usage);
    CHECK(code_of([] { read_ofx("<OFX></OFX>"); }) == ExitCode::usage);  // no statement
  }
}

TEST_CASE("bank: CSV with a rules file", "[bank][bank-csv]") {
  const CsvRules rules = parse_csv_rules(slurp(source_dir() / "data" / "bank-rules" / "fr-bank.rules"));
  CHECK(rules.separator == ';');
  CHECK(rules.skip == 1);
  CHECK(rules.decimal_mark == ',');
  CHECK(rules.date_format == "%d/%m/%Y");
  CHECK(rules.fields == std::vector<std::string>{"date", "date2", "description", "amount-out", "amount-in"});

  const auto st = read_bank_csv(own("fr-bank.csv"), rules);
  REQUIRE(st.size() == 1);
  const bank::Statement& s = st[0];
  CHECK(s.format == Format::csv);
  CHECK(s.currency == "EUR");
  REQUIRE(s.entries.size() == 3);
  CHECK(s.entries[0].line == 2);
  CHECK(s.entries[0].amount == 120000);  // "1 200,00"
  CHECK(s.entries[0].direction == Direction::credit);
  CHECK(s.entries[0].booking_date == d("2026-03-02"));
  CHECK(s.entries[0].remittance == "VIR SEPA ACME SAS F2026-000001");
  CHECK(s.entries[0].means == Method::transfer);
  CHECK(s.entries[1].amount == 4550);  // "-45,50" in the debit column
  CHECK(s.entries[1].direction == Direction::debit);
  CHECK(s.entries[2].remittance == "PRLV SEPA GLOBEX; F2026-000002");  // quoted separator
  CHECK(s.entries[2].value_date == d("2026-03-05"));
  for (const bank::Entry& e : s.entries) CHECK(e.reference_is_hash);
  CHECK(s.entries[0].reference != s.entries[2].reference);
  const Reconciliation r = reconcile(s);
  CHECK_FALSE(r.checked);
  CHECK(r.credits == 2);
  CHECK(r.credit_total == 155000);
  CHECK(r.debits_skipped == 1);
  CHECK(contains(r.note, "no balances"));

  // A CSV goes through read_statements only with rules.
  CHECK(read_statements(own("fr-bank.csv"), std::nullopt, &rules).at(0).entries.size() == 3);
  CHECK(code_of([] { read_statements(own("fr-bank.csv"), std::nullopt); }) == ExitCode::usage);

  SECTION("text that is not UTF-8 is read as Windows-1252") {
    // 0x80 euro sign, 0x92 right single quote, 0xE9 e acute, 0x9C oe ligature.
    const auto s3 = read_bank_csv("h\n02/03/2026;;REGL\x92T 12\x80 CAF\xC9 \x9Cuvre;;12,00\n", rules);
    CHECK(s3.at(0).entries.at(0).remittance == "REGL\u2019T 12\u20AC CAF\u00C9 \u0153uvre");
  }
  SECTION("one signed amount column, a reference column, identical lines") {
    const CsvRules r2 = parse_csv_rules(
        "# comment\nfields date, amount, description, code\ndate-format %Y-%m-%d\nsign credit-positive\n");
    const auto s2 = read_bank_csv("2026-03-02,10.00,A,\n2026-03-02,10.00,A,\n2026-03-03,-2.5,B,REF-9\n", r2);
    REQUIRE(s2.at(0).entries.size() == 3);
    // Two identical lines: two different hash references (occurrence 1 and 2).
    CHECK(s2[0].entries[0].reference != s2[0].entries[1].reference);
    CHECK(s2[0].entries[0].reference == hash_entry(s2[0], s2[0].entries[0], 1));
    CHECK(s2[0].entries[1].reference == hash_entry(s2[0], s2[0].entries[1], 2));
    CHECK(s2[0].entries[2].reference == "REF-9");
    // A bank reference given twice in one statement: the second gets "#2".
    const auto s4 = read_bank_csv("2026-03-02,10.00,A,R1\n2026-03-03,11.00,B,R1\n", r2);
    CHECK(s4.at(0).entries.at(0).reference == "R1");
    CHECK(s4.at(0).entries.at(1).reference == "R1#2");
    CHECK_FALSE(s4.at(0).entries.at(1).reference_is_hash);
    for (const bank::Entry& e : s4[0].entries) CHECK_NOTHROW(check_ref(e.reference));
    // A reference too long for P4 is refused, naming its line.
    const std::string long_ref = "2026-03-02,10.00,A," + std::string(121, 'R') + "\n";
    CHECK(contains(error_of(ExitCode::usage, [&] { read_bank_csv(long_ref, r2); }), "csv line 1: bank reference"));
    CHECK(s2[0].entries[2].signed_amount() == -250);
    const CsvRules r3 = parse_csv_rules("fields date, amount\nsign debit-positive\n");
    CHECK(read_bank_csv("2026-03-02,10.00\n", r3).at(0).entries.at(0).direction == Direction::debit);
  }
  SECTION("malformed rules name the line") {
    CHECK(contains(error_of(ExitCode::usage, [] { parse_csv_rules("separator ;\nif FOO\n"); }), "rules line 2"));
    CHECK(contains(error_of(ExitCode::usage, [] { parse_csv_rules("fields amount, description\n"); }),
                   "no date column"));
    CHECK(contains(error_of(ExitCode::usage, [] { parse_csv_rules("fields date, amount-in\n"); }),
                   "both amount-in and amount-out"));
    CHECK(code_of([] { parse_csv_rules("separator #\nfields date, amount\n"); }) == ExitCode::usage);
    CHECK(code_of([] { parse_csv_rules("date-format %d/%m\nfields date, amount\n"); }) == ExitCode::usage);
    CHECK(code_of([] { parse_csv_rules("skip 1\n"); }) == ExitCode::usage);  // no fields
  }
  SECTION("malformed lines name the line, the column and the value") {
    std::string m = error_of(ExitCode::usage, [&] { read_bank_csv("h\n02/03/2026;;x;;12,345\n", rules); });
    CHECK(contains(m, "CSV line 2 column 5 (amount-in)"));
    CHECK(contains(m, "'12,345'"));
    m = error_of(ExitCode::usage, [&] { read_bank_csv("h\n02/03/2026;;x;1,00;2,00\n", rules); });
    CHECK(contains(m, "both a credit and a debit"));
    m = error_of(ExitCode::usage, [&] { read_bank_csv("h\n2026-03-02;;x;;2,00\n", rules); });
    CHECK(contains(m, "invalid date '2026-03-02'"));
    m = error_of(ExitCode::usage, [&] { read_bank_csv("h\n02/03/2026;;x\n", rules); });
    CHECK(contains(m, "3 columns: expected at least 5"));
    CHECK(code_of([&] { read_bank_csv("h\n02/03/2026;;x;;1.200.000,00\n", rules); }) == ExitCode::ok);
    CHECK(code_of([&] { read_bank_csv("h\n02/03/2026;;x;;12 34,00\n", rules); }) == ExitCode::usage);
    CHECK(code_of([&] { read_bank_csv("h\n02/03/2026;;\"x;;1,00\n", rules); }) == ExitCode::usage);
  }
}

TEST_CASE("bank: malformed and hostile XML is a usage error", "[bank][camt053]") {
  const std::string v02 = own("camt053-v02.xml");
  SECTION("truncated XML") {
    const std::string m = error_of(ExitCode::usage, [&] { read_camt053(v02.substr(0, v02.size() / 2)); });
    CHECK(contains(m, "malformed XML"));
  }
  SECTION("a DOCTYPE (entity expansion) is refused before parsing") {
    const std::string bomb =
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
        "\"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">&lol2;</Document>";
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(bomb); }), "DOCTYPE"));
  }
  SECTION("another message or version") {
    std::string camt052 = v02;
    camt052.replace(camt052.find("xsd:camt.053.001.02") + 4, 15, "camt.052.001.02");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(camt052); }), "expected <Document> in"));
    for (char v = '2'; v <= '8'; ++v) {  // every version from 001.02 to 001.08 reads the same
      std::string other = v02;
      other[other.find("xsd:camt.053.001.02") + 4 + 14] = v;
      CHECK(read_camt053(other).at(0).entries.size() == 4);
    }
    std::string v09 = v02;
    v09.replace(v09.find("xsd:camt.053.001.02") + 4, 15, "camt.053.001.09");
    CHECK(code_of([&] { read_camt053(v09); }) == ExitCode::usage);
  }
  SECTION("a bad amount, a bad indicator, a batch that does not add up") {
    std::string bad = v02;
    bad.replace(bad.find(">1200.00<"), 9, ">12O0.00<");
    std::string m = error_of(ExitCode::usage, [&] { read_camt053(bad); });
    CHECK(contains(m, "<Amt>"));
    CHECK(contains(m, "'12O0.00'"));
    bad = v02;
    bad.replace(bad.find("<CdtDbtInd>DBIT"), 15, "<CdtDbtInd>DEBT");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(bad); }), "expected CRDT or DBIT"));
    bad = v02;
    bad.replace(bad.find(">150.00<"), 8, ">151.00<");
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(bad); }), "add up to 351.00"));
  }
  SECTION("an oversized input") {
    const std::string big(kMaxStatementBytes + 1, ' ');
    CHECK(code_of([&] { read_camt053(big); }) == ExitCode::usage);
    CHECK(code_of([&] { read_cfonb120(big); }) == ExitCode::usage);
  }
}

namespace {

// A camt.053.001.02 statement of n booked credits of 1.00 each (references
// R1..Rn, one entry per line from line 4), opening 0.00, closing n.00; entry
// number `bad` (1-based, 0 for none) has the amount "1,O0".
std::string camt_of(int n, int bad = 0) {
  std::string s =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>S1</Id>"
      "<Acct><Id><IBAN>FR7630006000011234567890189</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
      "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>"
      "<Dt><Dt>2026-03-01</Dt></Dt></Bal>" +
      fmt::format("<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{}.00</Amt>"
                  "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-31</Dt></Dt></Bal>\n",
                  n);
  for (int k = 1; k <= n; ++k)
    s += fmt::format("<Ntry><Amt Ccy=\"EUR\">{}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
                     "<BookgDt><Dt>2026-03-02</Dt></BookgDt><AcctSvcrRef>R{}</AcctSvcrRef>"
                     "<AddtlNtryInf>payment number {} of a long statement read one entry at a time</AddtlNtryInf>"
                     "</Ntry>\n",
                     k == bad ? "1,O0" : "1.00", k, k);
  return s + "</Stmt></BkToCstmrStmt></Document>\n";
}

// Records what a streaming reader gives, and how far into the file it was.
class Recorder final : public bank::StatementSink {
 public:
  explicit Recorder(const std::size_t& read) : read_(read) {}
  void begin(const bank::Statement& s) override {
    begun.push_back(s.id);
    CHECK(s.entries.empty());
  }
  void entry(const bank::Statement&, bank::Entry&& e) override {
    lines.push_back(e.line);
    refs.push_back(e.reference);
    read_at.push_back(read_);
  }
  void end(const bank::Statement& s) override { ended.push_back(s.id); }
  std::vector<std::string> begun, ended, refs;
  std::vector<int> lines;
  std::vector<std::size_t> read_at;  // bytes the reader had taken when each entry came

 private:
  const std::size_t& read_;
};

}  // namespace

TEST_CASE("bank: CAMT.053 is read one entry at a time", "[bank][camt053][stream]") {
  // 5000 entries of about 250 bytes: 1.2 MB, read by the reader in small
  // pieces; each entry must reach the sink long before the file's end.
  const int n = 5000;
  const std::string text = camt_of(n);
  std::size_t at = 0;
  const ByteSource source = [&](char* buf, std::size_t size) {
    const std::size_t k = std::min({size, text.size() - at, std::size_t{4096}});
    std::memcpy(buf, text.data() + at, k);
    at += k;
    return k;
  };
  SECTION("entries come in file order, each while the file is still being read") {
    Recorder rec(at);
    read_camt053(source, rec);
    REQUIRE(rec.lines.size() == static_cast<std::size_t>(n));
    CHECK(rec.begun == std::vector<std::string>{"S1"});
    CHECK(rec.ended == std::vector<std::string>{"S1"});
    CHECK(rec.lines.front() == 4);  // the first <Ntry> is on line 4 (camt_of)
    CHECK(rec.lines.back() == 4 + n - 1);
    CHECK(rec.refs[41] == "R42");
    // The first entry came after at most a few pieces of 4 KiB, the middle one
    // around the middle of the file: the reader holds no more than it reads.
    CHECK(rec.read_at.front() < 64 * 1024);
    CHECK(rec.read_at[n / 2] < text.size() / 2 + 64 * 1024);
    CHECK(rec.read_at[n / 2] > text.size() / 2 - 64 * 1024);
  }
  SECTION("an error of the last entry names its line, after the others were given") {
    const std::string bad = camt_of(n, n);
    at = 0;
    const ByteSource bad_source = [&](char* buf, std::size_t size) {
      const std::size_t k = std::min(size, bad.size() - at);
      std::memcpy(buf, bad.data() + at, k);
      at += k;
      return k;
    };
    Recorder rec(at);
    const std::string m = error_of(ExitCode::usage, [&] { read_camt053(bad_source, rec); });
    CHECK(m == fmt::format("CAMT.053 line {} <Amt>: invalid amount '1,O0': expected digits with at most 2 "
                           "decimals after '.' or ',' (further decimals only if zero), at most 1000000000.00",
                           4 + n - 1));
    CHECK(rec.lines.size() == static_cast<std::size_t>(n - 1));
    CHECK(rec.ended.empty());
  }
  SECTION("a malformed end wins over an earlier entry's error, as with the whole document") {
    std::string bad = camt_of(3, 2);
    bad.resize(bad.size() - 12);  // "</Document>\n" cut
    at = 0;
    const ByteSource bad_source = [&](char* buf, std::size_t size) {
      const std::size_t k = std::min(size, bad.size() - at);
      std::memcpy(buf, bad.data() + at, k);
      at += k;
      return k;
    };
    Recorder rec(at);
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(bad_source, rec); }), "malformed XML"));
    CHECK(contains(error_of(ExitCode::usage, [&] { read_camt053(bad); }), "malformed XML"));
  }
  SECTION("the same statements as the whole-file reading") {
    const auto st = read_camt053(camt_of(3));
    REQUIRE(st.size() == 1);
    REQUIRE(st[0].entries.size() == 3);
    CHECK(st[0].closing->amount == 300);
    CHECK(reconcile(st[0]).checked);
  }
}

TEST_CASE("bank: repeated references are numbered in a stream as in a whole statement", "[bank][stream]") {
  bank::Statement s;
  s.format = Format::camt053;
  s.account = "FR76";
  for (const char* ref : {"A", "B", "A", "", "A", ""}) {
    bank::Entry e;
    e.reference = ref;
    e.amount = 100;
    s.entries.push_back(e);
  }
  detail::ReferenceNumbering numbering;
  std::vector<std::string> streamed;
  for (bank::Entry e : s.entries) {
    numbering.finish(s, e);
    streamed.push_back(e.reference);
  }
  // Two identical entries without a reference: occurrences 1 and 2 of the hash.
  const std::string h1 = hash_entry(s, s.entries[3], 1), h2 = hash_entry(s, s.entries[3], 2);
  CHECK(streamed == std::vector<std::string>{"A", "B", "A#2", h1, "A#3", h2});
  detail::Occurrences many;
  for (int k = 0; k < 10000; ++k) CHECK(many.add(std::to_string(k)) == 1);
  for (int k = 0; k < 10000; k += 999) CHECK(many.add(std::to_string(k)) == 2);
}
