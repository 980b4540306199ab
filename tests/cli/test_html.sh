# End-to-end: report close --format html (issue 7) rendered by headless
# Chromium: the page loads with nothing from the network, and its DOM holds the
# figures and the SVG aging chart with one bar per bucket, heights proportional
# to the amounts. Chromium is Debian's `chromium` (./build.sh test installs it);
# the test installs it when missing and it can, and skips only when it cannot.
. "$(dirname "$0")/lib.sh"

ok init
ok customer add acme --name "ACME SAS"
# 1000.00 HT + 20 % = 1200.00 TTC issued 2026-01-01, due 2026-01-31; 500.00 HT = 600.00 issued 2026-03-01, due 03-31.
ok --as-of 2026-01-01 invoice create --customer acme --kind services --amount 1000
ok --as-of 2026-03-01 invoice create --customer acme --kind services --amount 500
ok --as-of 2026-04-01 report close --month 2026-03 --lock
ok --as-of 2026-04-01 --format html report close --month 2026-03
printf '%s\n' "$OUT" > "$WORK/close.html"

# Self-contained: no script, no external resource (the only URL is the SVG namespace).
expect_eq "no script" "$(grep -ci '<script' "$WORK/close.html")" "0"
expect_eq "no external reference" "$(grep -oiE '(src|href)=|url\(|@import' "$WORK/close.html" | wc -l)" "0"
expect_eq "only the SVG namespace URL" "$(grep -oE 'https?://[^" ]+' "$WORK/close.html" | sort -u)" "http://www.w3.org/2000/svg"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ] && [ "$(id -u)" -eq 0 ] && command -v apt-get > /dev/null; then
  echo "test_html: installing Debian's chromium for the rendering test" >&2
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium ||
    { DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium; }
  } < /dev/null > "$WORK/apt.log" 2>&1
  CHROMIUM=$(command -v chromium || true)
fi
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
        self.stack = []
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.stack.append(tag)
        if tag == "svg" and "chart" in a.get("class", ""): self.svg += 1
        if tag == "rect" and a.get("class") == "bar":
            self.bars.append((a["data-bucket"], a["data-amount"], a["height"]))
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag: pass
    def handle_data(self, data):
        if not self.stack: return
        if self.stack[-1] == "td": self.cells.append(data.strip())
        if self.stack[-1] == "title" and "svg" not in self.stack: self.title += data
        if self.stack[-1] == "h1": self.h1 += data

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print("title=" + p.title.strip())
print("h1=" + p.h1.strip())
print("svg=%d" % p.svg)
print("bars=" + " ".join("%s:%s:%s" % b for b in p.bars))
print("cells=" + "|".join(p.cells))
PY
field() { sed -n "s/^$1=//p" "$WORK/dom.txt"; }
expect_eq "page title" "$(field title)" "Month-end close 2026-03"
expect_eq "heading" "$(field h1)" "Month-end close 2026-03"
expect_eq "one chart" "$(field svg)" "1"
expect_eq "bars" "$(field bars)" \
  "not_due:600.00:90 late_0_1:0.00:0 late_1_2:0.00:0 late_2_6:1200.00:180 late_6_plus:0.00:0"
# Figures: March's invoice 500.00 HT, 100.00 VAT, 600.00 TTC; the aging row of acme and its total 1800.00.
expect_contains "invoiced services row" "$(field cells)" "services|1|500.00|100.00|600.00"
expect_contains "aging row" "$(field cells)" "acme|600.00|0.00|0.00|1200.00|0.00|1800.00"
expect_contains "aging total row" "$(field cells)" "TOTAL|600.00|0.00|0.00|1200.00|0.00|1800.00"
expect_contains "lock state" "$(cat "$WORK/dom.html")" "locked"

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
