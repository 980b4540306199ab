# The books of the export tests (test_export_fec.sh, test_export_journal.sh):
# two customers, documents and payments of every kind an entry can come from.
# Sourced after lib.sh; the amounts are worked by hand where they are asserted.
books_scenario() {
  ok init
  ok --as-of 2026-01-01 seller set siren 552120222 --effective 2026-01-01
  ok customer add acme --name "ACME SAS"
  ok customer add globex --name "Globex | Société; SA"
  # F2026-000001 acme 1000.00 HT + 200.00 VAT = 1200.00; F2026-000002 globex 500.00 + 100.00 = 600.00.
  ok --as-of 2026-01-10 invoice create --customer acme --kind services --amount 1000
  ok --as-of 2026-01-15 invoice create --customer globex --kind setup --amount 500
  # Payment 1: acme pays F1 by card: fee 2 % x 1200.00 = 24.00 HT + 4.80 VAT = 28.80 (F2026-000003, P2);
  # 1200.00 + 28.80 = 1228.80 received.
  ok --as-of 2026-01-20 pay F2026-000001 --method card
  # Payment 2: globex 700.00 by transfer on a set-up (no fee): 600.00 settles F2, 100.00 becomes credit (P3).
  ok --as-of 2026-02-01 pay F2026-000002 --method transfer --amount 700
  # AV2026-000001: 100.00 HT + 20.00 = 120.00 on the paid F1: all of it to acme's credit.
  ok --as-of 2026-02-10 invoice credit F2026-000001 --amount 100 --reason "outage"
  # F2026-000004 acme 250.00 + 50.00 = 300.00; payment 3 settles 120.00 of it from acme's credit (OD).
  ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 250
  ok --as-of 2026-03-02 pay F2026-000004 --from-credit
  # Payment 2 returned on 2026-03-05 (P5): F2 reopens (600.00), globex's 100.00 credit is taken back.
  ok --as-of 2026-03-05 payment reverse 2 --reason "returned" --date 2026-03-05
  # F2 (due 2026-02-14) is late on 2026-03-31: a penalty invoice F2026-000005 (L4 interest + L5 40.00).
  ok --as-of 2026-03-31 overdue --apply
}
