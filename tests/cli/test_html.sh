# End-to-end: report close --format html (issue 7) rendered by headless
# Chromium: the page loads with nothing from the network, and its DOM holds the
# figures and the SVG aging chart with one bar per bucket, heights proportional
# to the amounts. Chromium is Debian's `chromium` (./build.sh test installs it);
# the test installs it when missing and it can, and skips only when it cannot.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
# acme: 1000.00 HT + 20 % = 1200.00 TTC issued 2026-01-01, due 2026-01-31; 500.00 HT = 600.00 issued 2026-03-01,
# due 03-31.
ok customer add zeta --name "Zeta SA"
ok --as-of 2026-01-01 invoice create --customer acme --kind services --amount 1000
# zeta: 100.00 + 20.00 = 120.00 on 2026-02-01, paid by transfer on 2026-02-10 (services: no fee): February's cash.
ok --as-of 2026-02-01 invoice create --customer zeta --kind services --amount 100
ok --as-of 2026-02-10 pay F2026-000002 --method transfer
ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 500
ok --as-of 2026-04-01 report close --month 2026-03 --lock
ok --as-of 2026-04-01 --format html report close --month 2026-03
printf '%s\n' "$OUT" > "$WORK/close.html"

# Self-contained: no script, no external resource (the only URL is the SVG namespace).
expect_eq "no script" "$(grep -ci '<script' "$WORK/close.html")" "0"
expect_eq "no external reference" "$(grep -oiE '(src|href)=|url\(|@import' "$WORK/close.html" | wc -l)" "0"
expect_eq "only the SVG namespace URL" "$(grep -oE 'https?://[^" ]+' "$WORK/close.html" | sort -u)" "http://www.w3.org/2000/svg"

CHROMIUM=$(command -v chromium-browser || debian_tool chromium chromium)
if [ -z "$CHROMIUM" ]; then
  echo "test_html: SKIPPED the rendering checks: chromium is not installed and cannot be installed here" \
    "(install Debian's chromium package, or run ./build.sh test as root)" >&2
  finish
  exit $?
fi

# chromium FLAGS...: headless, no sandbox (root), no network, a throw-away profile.
chromium_run() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$(mktemp -d "$WORK/profile.XXXX")" "$@" 2>> "$WORK/chromium.log"
}

chromium_run --dump-dom "file://$WORK/close.html" > "$WORK/dom.html"
CHECKS=$((CHECKS + 1))
[ -s "$WORK/dom.html" ] || fail "chromium rendered nothing: $(tail -5 "$WORK/chromium.log")"

# The DOM as the browser built it, read with Python's HTML parser.
# Aging on 2026-03-31: not_due 600.00, late_2_6 1200.00 (31 Jan + 2 months = 31 Mar), the rest 0.00:
# the tallest bar (1200.00) is 180 high, 600.00 is 180 x 600 / 1200 = 90.
python3 - "$WORK/dom.html" > "$WORK/dom.txt" <<'PY'
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.bars, self.cells, self.svg, self.title, self.h1 = [], [], 0, "", ""
        self.cash, self.signoff, self.lang, self.footer = [], False, "", ""
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "svg" and "chart" in a.get("class", ""): self.svg += 1
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append((a["data-bucket"], a["data-amount"], a["height"]))
        if tag == "rect" and a.get("class") == "cash-bar":
            self.cash.append((a["data-month"], a["data-amount"], a["height"]))
        if tag == "table" and a.get("id") == "sign-off": self.signoff = True
        if tag == "html": self.lang = a.get("lang", "")
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
    def handle_data(self, data):
        if not self.stack: return
        if self.stack[-1] == "td": self.cells.append(data.strip())
        if self.stack[-1] == "title" and "svg" not in self.stack: self.title += data
        if self.stack[-1] == "h1": self.h1 += data
        if self.stack[-1] == "footer": self.footer += data

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("title=" + p.title.strip())
print("h1=" + p.h1.strip())
print("svg=%d" % p.svg)
print("bars=" + " ".join("%s:%s:%s" % b for b in p.bars))
print("cash=" + " ".join("%s:%s:%s" % b for b in p.cash))
print("signoff=%s" % p.signoff)
print("lang=" + p.lang)
print("footer=" + " ".join(p.footer.split()))
print("cells=" + "|".join(p.cells))
PY
field() { sed -n "s/^$1=//p" "$WORK/dom.txt"; }
# French labels by default.
expect_eq "page title" "$(field title)" "Clôture mensuelle 2026-03"
expect_eq "heading" "$(field h1)" "Clôture mensuelle 2026-03"
expect_eq "lang" "$(field lang)" "fr"
expect_eq "two charts" "$(field svg)" "2"
expect_eq "bars" "$(field bars)" \
  "not_due:600.00:90 late_0_1:0.00:0 late_1_2:0.00:0 late_2_6:1200.00:180 late_6_plus:0.00:0"
# Cash by month, April 2025 to March 2026: zeta's 120.00 in February, the only (so the tallest: 180) bar.
expect_eq "cash bars" "$(field cash)" "2025-04:0.00:0 2025-05:0.00:0 2025-06:0.00:0 2025-07:0.00:0 2025-08:0.00:0 \
2025-09:0.00:0 2025-10:0.00:0 2025-11:0.00:0 2025-12:0.00:0 2026-01:0.00:0 2026-02:120.00:180 2026-03:0.00:0"
# Figures: March's invoice 500.00 HT, 100.00 VAT, 600.00 TTC; the aging row of acme and its total 1800.00.
expect_contains "invoiced services row" "$(field cells)" "prestations|1|500.00|100.00|600.00"
# Receivables: 1200.00 on 2026-02-28 (zeta paid) + 600.00 invoiced - 0 - 0 + 0 = 1800.00 = the closing balance.
expect_contains "roll-forward" "$(field cells)" "= solde de clôture calculé|1800.00|solde de clôture au 2026-03-31|1800.00|écart|0.00"
expect_contains "suspense" "$(field cells)" "0|0.00"
expect_eq "sign-off" "$(field signoff)" "True"
expect_contains "time and version" "$(field footer)" "Établi par tally $("$TALLY" --version | awk '{print $2}') le 20"
expect_contains "aging row" "$(field cells)" "acme|600.00|0.00|0.00|1200.00|0.00|1800.00"
expect_contains "aging total row" "$(field cells)" "TOTAL|600.00|0.00|0.00|1200.00|0.00|1800.00"
expect_contains "lock state" "$(cat "$WORK/dom.html")" "verrouillé"
# --lang en: the English labels.
ok --as-of 2026-04-01 --format html report close --month 2026-03 --lang en
expect_contains "English" "$OUT" "<h1>Month-end close 2026-03</h1>"
expect_contains "English cash chart" "$OUT" "Cash received by month"
expect_exit 2 --as-of 2026-04-01 --format html report close --month 2026-03 --lang de

# A screenshot: the page paints (a PNG of some size).
chromium_run --screenshot="$WORK/close.png" --window-size=1100,1400 --hide-scrollbars "file://$WORK/close.html" > /dev/null
CHECKS=$((CHECKS + 1))
if [ "$(head -c 8 "$WORK/close.png" 2> /dev/null | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
  fail "no PNG screenshot: $(tail -5 "$WORK/chromium.log")"
elif [ "$(stat -c %s "$WORK/close.png")" -lt 20000 ]; then
  fail "the screenshot is nearly empty ($(stat -c %s "$WORK/close.png") bytes)"
fi
if [ -n "${TALLY_KEEP_SCREENSHOT:-}" ]; then cp "$WORK/close.png" "$TALLY_KEEP_SCREENSHOT"; fi

finish
