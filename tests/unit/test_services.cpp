// D1-D3: the services grid and the prices of features and interventions.
// Prices come from the test grid below, so expected amounts do not depend on
// the shipped example prices.
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/services.hpp"

using namespace tally;

static const char* kGrid =
    "code,label,unit,price_ht\n"
    "feature-day,Feature development,day,800.00\n"
    "data-modification,Manual modification of data,hour,90.00\n"
    "operation-support,Support on the management of an operation,hour,90\n"
    "data-extraction,Specific data extraction,request,250.00\n"
    "reporting,Reporting,request,300.00\n"
    "data-recovery,Data recovery,request,500.00\n"
    "urgent-intervention,Urgent intervention,hour,150.00\n";

static ServicesGrid grid() { return parse_services_grid(kGrid, "test.csv"); }

TEST_CASE("D3: a grid parses with comments, BOM, CRLF and quoted fields", "[services][D3]") {
  const ServicesGrid g = parse_services_grid(
      "\xEF\xBB\xBF# a comment before the header\r\n"
      "\r\n"
      "\"code\",\"label\",\"unit\",\"price_ht\"\r\n"
      "reporting,\"Reporting, monthly \"\"pack\"\"\",request,\"90,5\"\r\n"
      "# a comment between items\n"
      "   \n"
      "feature-day,Feature development,day,0\n",
      "mine.csv");
  CHECK(g.source == "mine.csv");
  CHECK_FALSE(g.example_prices);
  REQUIRE(g.items.size() == 2);
  CHECK(g.items[0].code == "reporting");
  CHECK(g.items[0].label == "Reporting, monthly \"pack\"");
  CHECK(g.items[0].unit == "request");
  CHECK(g.items[0].price_ht == 9050);  // "90,5" -> 90.50 (M1)
  CHECK(g.items[1].price_ht == 0);
  REQUIRE(g.find("feature-day") != nullptr);
  CHECK(g.find("feature-day")->unit == "day");
  CHECK(g.find("nothing") == nullptr);
}

TEST_CASE("D3: the builtin grid holds the policy's services, marked as examples", "[services][D3]") {
  const ServicesGrid g = parse_services_grid(builtin_services_grid(), "builtin");
  CHECK(g.example_prices);
  for (const char* code : {"feature-day", "data-modification", "operation-support", "data-extraction", "reporting",
                           "data-recovery", "urgent-intervention"}) {
    INFO(code);
    CHECK(g.find(code) != nullptr);
  }
  CHECK(g.find("feature-day")->unit == "day");
  CHECK(intervention_types(g) ==
        "data-modification, operation-support, data-extraction, reporting, data-recovery, urgent-intervention "
        "or blocking-bug");
}

TEST_CASE("D3: a malformed grid is refused with file, line and reason", "[services][D3]") {
  static const struct {
    const char* text;
    const char* message;  // the start of the error message
  } cases[] = {
      {"", "grid bad.csv: empty (no header"},
      {"# only a comment\n\n", "grid bad.csv: empty (no header"},
      {"code,label,price_ht,unit\nx,X,day,1\n", "grid bad.csv line 1: expected the header 'code,label,unit,price_ht'"},
      {"# c\ncode;label;unit;price_ht\n", "grid bad.csv line 2: expected the header"},
      {"code,label,unit,price_ht\n", "grid bad.csv: no items after the header"},
      {"code,label,unit,price_ht\nx,X,day\n", "grid bad.csv line 2: expected 4 columns (code,label,unit,price_ht), got 3"},
      {"code,label,unit,price_ht\nx,X,day,1,2\n", "grid bad.csv line 2: expected 4 columns (code,label,unit,price_ht), got 5"},
      {"code,label,unit,price_ht\n,X,day,1\n", "grid bad.csv line 2: empty code"},
      {"code,label,unit,price_ht\nFeature_Day,X,day,1\n", "grid bad.csv line 2: invalid code 'Feature_Day'"},
      {"code,label,unit,price_ht\n-x,X,day,1\n", "grid bad.csv line 2: invalid code '-x'"},
      {"code,label,unit,price_ht\nblocking-bug,X,request,1\n", "grid bad.csv line 2: code 'blocking-bug' is reserved"},
      {"code,label,unit,price_ht\nx,X,day,1\n\ny,Y,day,1\nx,Again,day,2\n",
       "grid bad.csv line 5: duplicate code 'x' (first defined on line 2)"},
      {"code,label,unit,price_ht\nx,,day,1\n", "grid bad.csv line 2: empty label for code 'x'"},
      {"code,label,unit,price_ht\nx,X,week,1\n", "grid bad.csv line 2: invalid unit 'week': expected hour, day or request"},
      {"code,label,unit,price_ht\nx,X,Day,1\n", "grid bad.csv line 2: invalid unit 'Day'"},
      {"code,label,unit,price_ht\nx,X,day,12.345\n", "grid bad.csv line 2: invalid price_ht '12.345'"},
      {"code,label,unit,price_ht\nx,X,day,-5\n", "grid bad.csv line 2: invalid price_ht '-5'"},
      {"code,label,unit,price_ht\nx,X,day,1 000\n", "grid bad.csv line 2: invalid price_ht '1 000'"},
      {"code,label,unit,price_ht\nx,X,day,\n", "grid bad.csv line 2: invalid price_ht ''"},
      {"code,label,unit,price_ht\nx,X,day,1e3\n", "grid bad.csv line 2: invalid price_ht '1e3'"},
      {"code,label,unit,price_ht\nx,X,day,1000000000.01\n", "grid bad.csv line 2: invalid price_ht '1000000000.01'"},
      {"code,label,unit,price_ht\nx,\"X,day,1\n", "grid bad.csv line 2: malformed quoted field"},
      {"code,label,unit,price_ht\nx,\"X\"Y,day,1\n", "grid bad.csv line 2: malformed quoted field"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    try {
      parse_services_grid(c.text, "bad.csv");
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
      CHECK_THAT(e.what(), Catch::StartsWith(c.message));
    }
  }
}

TEST_CASE("D1: every feature quote case", "[services][D1]") {
  static const struct {
    const char* days;
    bool roadmap, urgent;
    Cents gross, amount;
    std::int64_t discount_bp;
    const char* why;
  } cases[] = {
      // 2.5 days x 800.00 = 2000.00 in every case.
      {"2.5", true, false, 200000, 0, 10000, "feature on the roadmap: free"},
      // 50 % of 2000.00 = 1000.00 off.
      {"2.5", true, true, 200000, 100000, 5000, "urgent feature on the roadmap: 50.00 % discount on the grid price"},
      {"2.5", false, false, 200000, 200000, 0, "feature not on the roadmap: full grid price"},
      {"2.5", false, true, 200000, 200000, 0, "feature not on the roadmap: full grid price (urgency gives no discount)"},
      // 0.33 x 800.00 = 264.00; 50 % = 132.00.
      {"0.33", true, true, 26400, 13200, 5000, "urgent feature on the roadmap: 50.00 % discount on the grid price"},
  };
  const ServicesGrid g = grid();
  const Policy p;
  for (const auto& c : cases) {
    INFO(c.days << " roadmap " << c.roadmap << " urgent " << c.urgent);
    const Quote q = quote_feature(g, parse_quantity(c.days), c.roadmap, c.urgent, p);
    CHECK(q.item.code == "feature-day");
    CHECK(q.item.price_ht == 80000);
    CHECK(q.gross_ht == c.gross);
    CHECK(q.discount.bp == c.discount_bp);
    CHECK(q.decision.amount == c.amount);
    CHECK(q.decision.rule == "D1");
    CHECK(q.decision.why == c.why);
  }
}

TEST_CASE("D1: the urgent discount is a policy parameter, rounded half away from zero", "[services][D1][M3]") {
  const ServicesGrid odd = parse_services_grid("code,label,unit,price_ht\nfeature-day,F,day,100.01\n", "odd.csv");
  Policy p;
  // 1 day x 100.01; discount 50 % = 50.005 -> 50.01 (M3), billed 100.01 - 50.01 = 50.00.
  Quote q = quote_feature(odd, 100, true, true, p);
  CHECK(q.gross_ht == 10001);
  CHECK(q.decision.amount == 5000);
  // 1.5 days x 100.01 = 150.015 -> 150.02 (M3).
  CHECK(quote_feature(odd, 150, false, false, p).decision.amount == 15002);
  // 30 %: 3 days x 800.00 = 2400.00, 30 % = 720.00 off, 1680.00 billed.
  p.urgent_discount = percent(30);
  q = quote_feature(grid(), 300, true, true, p);
  CHECK(q.decision.amount == 168000);
  CHECK(q.decision.why == "urgent feature on the roadmap: 30.00 % discount on the grid price");
  // A grid without feature-day cannot price a feature.
  const ServicesGrid none = parse_services_grid("code,label,unit,price_ht\nreporting,R,request,1\n", "none.csv");
  CHECK_THROWS_WITH(quote_feature(none, 100, false, false, p), Catch::Contains("'feature-day'"));
}

TEST_CASE("D2: every intervention quote case", "[services][D2]") {
  static const struct {
    const char* type;
    const char* qty;
    bool urgent;
    Cents amount;
    const char* why;
  } cases[] = {
      {"data-modification", "2.5", false, 22500, "billable intervention: billed at grid price"},  // 2.5 x 90.00
      {"data-modification", "2.5", true, 22500, "urgent intervention: billed at grid price"},     // same price
      {"operation-support", "1", false, 9000, "billable intervention: billed at grid price"},     // 1 x 90.00
      {"data-extraction", "1", false, 25000, "billable intervention: billed at grid price"},      // 1 x 250.00
      {"reporting", "2", true, 60000, "urgent intervention: billed at grid price"},               // 2 x 300.00
      {"data-recovery", "1", false, 50000, "billable intervention: billed at grid price"},        // 1 x 500.00
      {"urgent-intervention", "1.5", true, 22500, "urgent intervention: billed at grid price"},   // 1.5 x 150.00
      {"blocking-bug", "3", false, 0, "bug blocking the use of the platform: never billed"},
      {"blocking-bug", "1", true, 0, "bug blocking the use of the platform: never billed, even when urgent"},
  };
  const ServicesGrid g = grid();
  for (const auto& c : cases) {
    INFO(c.type << " x " << c.qty << " urgent " << c.urgent);
    const Quote q = quote_intervention(g, c.type, parse_quantity(c.qty), c.urgent);
    CHECK(q.item.code == c.type);
    CHECK(q.gross_ht == c.amount);
    CHECK(q.decision.amount == c.amount);
    CHECK(q.decision.rule == "D2");
    CHECK(q.decision.why == c.why);
  }
}

TEST_CASE("D2: feature-day and unknown types are refused, naming what is accepted", "[services][D2]") {
  const ServicesGrid g = grid();
  try {
    quote_intervention(g, "feature-day", 100, false);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK_THAT(e.what(), Catch::Contains("feature development, priced by rule D1"));
    CHECK(e.hint() == Hint::quote_feature);  // the CLI says how: tally quote feature
  }
  try {
    quote_intervention(g, "bug-fix", 100, false);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    CHECK_THAT(e.what(), Catch::Contains("'bug-fix' in grid test.csv") && Catch::Contains("or blocking-bug"));
  }
}

TEST_CASE("D1/D2: quote_item routes by code and invoice_line bills the quote", "[services][D1][D2]") {
  const ServicesGrid g = grid();
  const Policy p;
  // feature-day goes through D1: 2 days on the roadmap, urgent: 1600.00 - 50 % = 800.00.
  const Quote f = quote_item(g, "feature-day", 200, true, true, p);
  CHECK(f.decision.rule == "D1");
  CHECK(f.decision.amount == 80000);
  const InvoiceLine l = invoice_line(f, percent(20));
  CHECK(l.item == "feature-day");
  CHECK(l.qty == 200);
  CHECK(l.unit_ht == 80000);
  CHECK(l.amount_ht == 80000);
  CHECK(l.vat_rate == percent(20));
  CHECK(l.rule == "D1");
  CHECK(l.description == "Feature development (urgent feature on the roadmap: 50.00 % discount on the grid price)");
  // Another code goes through D2; --roadmap changes nothing there.
  const Quote x = quote_item(g, "data-extraction", 100, true, false, p);
  CHECK(x.decision.rule == "D2");
  CHECK(x.decision.amount == 25000);
  CHECK(invoice_line(quote_item(g, "blocking-bug", 100, false, true, p), percent(20)).amount_ht == 0);
  // An unknown code names feature-day and the intervention types.
  CHECK_THROWS_WITH(quote_item(g, "nope", 100, false, false, p),
                    Catch::Contains("expected feature-day, data-modification") && Catch::Contains("or blocking-bug"));
}
