// U1: Easter, the French public holidays, working days and update targets.
// Every expected date below was typed by hand from a calendar, not computed.
#include <catch2/catch.hpp>

#include "tally/errors.hpp"
#include "tally/workdays.hpp"
#include "unit/fixtures.hpp"

using tally::test::d;

using namespace tally;

TEST_CASE("U1: Easter Sunday by the anonymous Gregorian algorithm", "[workdays][U1]") {
  static const struct {
    int year;
    const char* easter;
  } cases[] = {
      {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
      {2028, "2028-04-16"}, {2029, "2029-04-01"}, {2030, "2030-04-21"},
      {2008, "2008-03-23"},  // early: Ascension falls on 1 May
      {2038, "2038-04-25"},  // the latest possible day
      {2285, "2285-03-22"},  // the earliest possible day
  };
  for (const auto& c : cases) {
    INFO(c.year);
    CHECK(format_date(easter_sunday(c.year)) == c.easter);
  }
}

TEST_CASE("U1: the 11 French public holidays of 2024-2030", "[workdays][U1]") {
  // Easter Monday = Easter + 1, Ascension = Easter + 39, Whit Monday = Easter + 50,
  // from the Easter table above, e.g. 2026: Easter 04-05 -> 04-06, 05-14, 05-25.
  static const struct {
    int year;
    const char* days[11];  // MM-DD, in date order
  } cases[] = {
      // Easter 03-31: Monday 04-01, Ascension 03-31 + 39 = 05-09, Whit Monday 05-20.
      {2024, {"01-01", "04-01", "05-01", "05-08", "05-09", "05-20", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 04-20: Monday 04-21, Ascension 05-29, Whit Monday 06-09.
      {2025, {"01-01", "04-21", "05-01", "05-08", "05-29", "06-09", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 04-05: Monday 04-06, Ascension 05-14, Whit Monday 05-25.
      {2026, {"01-01", "04-06", "05-01", "05-08", "05-14", "05-25", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 03-28: Monday 03-29, Ascension 05-06 (before 8 May), Whit Monday 05-17.
      {2027, {"01-01", "03-29", "05-01", "05-06", "05-08", "05-17", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 04-16: Monday 04-17, Ascension 05-25, Whit Monday 06-05.
      {2028, {"01-01", "04-17", "05-01", "05-08", "05-25", "06-05", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 04-01: Monday 04-02, Ascension 05-10, Whit Monday 05-21.
      {2029, {"01-01", "04-02", "05-01", "05-08", "05-10", "05-21", "07-14", "08-15", "11-01", "11-11", "12-25"}},
      // Easter 04-21: Monday 04-22, Ascension 05-30, Whit Monday 06-10.
      {2030, {"01-01", "04-22", "05-01", "05-08", "05-30", "06-10", "07-14", "08-15", "11-01", "11-11", "12-25"}},
  };
  for (const auto& c : cases) {
    INFO(c.year);
    const auto hs = french_holidays(c.year);
    REQUIRE(hs.size() == 11);
    for (std::size_t i = 0; i < 11; ++i) {
      INFO(c.days[i]);
      CHECK(format_date(hs[i].date) == std::to_string(c.year) + "-" + c.days[i]);
      CHECK_FALSE(is_working_day(hs[i].date));
    }
  }
  const auto h2026 = french_holidays(2026);
  const char* names[] = {"New Year's Day", "Easter Monday",  "Labour Day",   "Victory in Europe Day",
                         "Ascension Day",  "Whit Monday",    "Bastille Day", "Assumption Day",
                         "All Saints' Day", "Armistice Day", "Christmas Day"};
  for (std::size_t i = 0; i < 11; ++i) CHECK(h2026[i].name == names[i]);
}

TEST_CASE("U1: two holidays on one day are one entry", "[workdays][U1]") {
  // 2008: Easter 03-23 + 39 = 05-01, Ascension on Labour Day: 10 days off.
  const auto hs = french_holidays(2008);
  REQUIRE(hs.size() == 10);
  CHECK(format_date(hs[2].date) == "2008-05-01");
  CHECK(hs[2].name == "Labour Day / Ascension Day");
}

TEST_CASE("U1: working days are Monday to Friday except holidays", "[workdays][U1]") {
  CHECK(is_working_day(d("2026-04-30")));        // Thursday
  CHECK_FALSE(is_working_day(d("2026-05-01")));  // Friday, Labour Day
  CHECK_FALSE(is_working_day(d("2026-05-02")));  // Saturday
  CHECK_FALSE(is_working_day(d("2026-05-03")));  // Sunday
  CHECK(is_working_day(d("2026-05-04")));        // Monday
  CHECK_FALSE(is_working_day(d("2026-07-14")));  // Tuesday, Bastille Day
  CHECK(is_working_day(d("2026-12-24")));        // Thursday, not a holiday
}

static std::vector<std::string> dates_of(const std::vector<Holiday>& hs) {
  std::vector<std::string> out;
  for (const auto& h : hs) out.push_back(format_date(h.date));
  return out;
}

TEST_CASE("U1: 15 working days across May", "[workdays][U1]") {
  // From Thursday 2026-04-30, counting from the next day:
  //   Fri 05-01 Labour Day; Sat-Sun 02-03; Mon-Thu 04..07 = 1..4; Fri 05-08 VE Day;
  //   Sat-Sun 09-10; Mon-Wed 11..13 = 5..7; Thu 05-14 Ascension; Fri 15 = 8;
  //   Sat-Sun 16-17; Mon-Fri 18..22 = 9..13; Sat-Sun 23-24; Mon 05-25 Whit Monday;
  //   Tue 26 = 14; Wed 27 = 15.
  // 27 days = 15 working + 8 weekend + 4 holidays.
  const WorkingDays w = add_working_days(d("2026-04-30"), 15);
  CHECK(format_date(w.target) == "2026-05-27");
  CHECK(dates_of(w.holidays_skipped) ==
        std::vector<std::string>{"2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25"});
  CHECK(w.holidays_skipped[2].name == "Ascension Day");
  CHECK(w.weekend_days_skipped == 8);
}

TEST_CASE("U1: 15 working days across the year end", "[workdays][U1]") {
  // From Friday 2026-12-18: Sat-Sun 19-20; Mon-Thu 21..24 = 1..4; Fri 25 Christmas;
  //   Sat-Sun 26-27; Mon-Thu 28..31 = 5..8; Fri 2027-01-01 New Year; Sat-Sun 2-3;
  //   Mon-Fri 4..8 = 9..13; Sat-Sun 9-10; Mon 11 = 14; Tue 12 = 15.
  // 25 days = 15 working + 8 weekend + 2 holidays.
  const WorkingDays w = add_working_days(d("2026-12-18"), 15);
  CHECK(format_date(w.target) == "2027-01-12");
  CHECK(dates_of(w.holidays_skipped) == std::vector<std::string>{"2026-12-25", "2027-01-01"});
  CHECK(w.weekend_days_skipped == 8);
}

TEST_CASE("U1: counting starts the day after, weekend holidays count as weekend", "[workdays][U1]") {
  // n = 0: the day itself, nothing skipped.
  const WorkingDays zero = add_working_days(d("2026-05-02"), 0);
  CHECK(format_date(zero.target) == "2026-05-02");
  CHECK(zero.weekend_days_skipped == 0);
  // From Saturday 2026-05-02: Sunday 03 skipped, Monday 04 is the first.
  const WorkingDays sat = add_working_days(d("2026-05-02"), 1);
  CHECK(format_date(sat.target) == "2026-05-04");
  CHECK(sat.weekend_days_skipped == 1);
  // 15 August 2026 is a Saturday: skipped as weekend, not listed as a holiday.
  const WorkingDays aug = add_working_days(d("2026-08-14"), 1);
  CHECK(format_date(aug.target) == "2026-08-17");
  CHECK(aug.weekend_days_skipped == 2);
  CHECK(aug.holidays_skipped.empty());
}

TEST_CASE("U1: every day skipped is a weekend day or a listed holiday", "[workdays][U1]") {
  for (Date from = d("2024-01-01"); from <= d("2030-12-31"); from += date::days{1}) {
    const WorkingDays w = add_working_days(from, 15);
    INFO(format_date(from));
    REQUIRE(days_between(from, w.target) ==
            15 + w.weekend_days_skipped + static_cast<int>(w.holidays_skipped.size()));
    REQUIRE(is_working_day(w.target));
  }
}

TEST_CASE("U1: update targets", "[workdays][U1]") {
  Policy p;
  // Bug: the day it is resolved, even a Saturday.
  SlaTarget bug = sla_target(UpdateType::bug, d("2026-05-02"), p);
  CHECK(format_date(bug.target) == "2026-05-02");
  CHECK(bug.working_days == 0);
  CHECK(bug.rule == "U1");
  // Evolution: 15 working days (see "across May").
  SlaTarget evo = sla_target(UpdateType::evolution, d("2026-04-30"), p);
  CHECK(format_date(evo.target) == "2026-05-27");
  CHECK(evo.working_days == 15);
  CHECK(evo.holidays_skipped.size() == 4);
  CHECK(evo.weekend_days_skipped == 8);
  // Feature: one calendar month at the earliest, clamped (L2): 31 Jan -> 28 Feb.
  SlaTarget feat = sla_target(UpdateType::feature, d("2026-01-31"), p);
  CHECK(format_date(feat.target) == "2026-02-28");
  CHECK_FALSE(feat.working_days.has_value());
  CHECK(feat.holidays_skipped.empty());
  // Other policy values: 5 working days from Thu 2026-04-30: Fri 1 May off,
  // Mon-Thu 4..7 = 1..4, Fri 8 May off, Mon 11 = 5.
  p.evolution_working_days = 5;
  CHECK(format_date(sla_target(UpdateType::evolution, d("2026-04-30"), p).target) == "2026-05-11");
  // 2 months from 2026-03-31 -> 2026-05-31.
  p.feature_min_months = 2;
  CHECK(format_date(sla_target(UpdateType::feature, d("2026-03-31"), p).target) == "2026-05-31");
}

TEST_CASE("U1: update types parse strictly", "[workdays][U1]") {
  CHECK(parse_update_type("evolution") == UpdateType::evolution);
  for (const char* bad : {"Bug", "", "features", "hotfix"}) {
    INFO(bad);
    try {
      parse_update_type(bad);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::usage);
      CHECK(std::string(e.what()).find("bug, evolution or feature") != std::string::npos);
    }
  }
}
