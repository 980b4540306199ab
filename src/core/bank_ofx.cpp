// OFX 1.x (SGML: leaf elements have no end tag) and 2.x (XML) bank and credit
// card statements, read with one tolerant tag reader: aggregates must be
// closed, a leaf's end tag is optional. Each STMTRS or CCSTMTRS is a
// statement: CURDEF, BANKACCTFROM or CCACCTFROM/ACCTID, the STMTTRN of its
// BANKTRANLISTs, LEDGERBAL/BALAMT and DTASOF as the closing balance. OFX
// states no opening balance: reconcile() derives it from the closing one.
#include <algorithm>
#include <memory>
#include <vector>

#include "core/bank_internal.hpp"
#include "tally/errors.hpp"

namespace tally::bank {
namespace {

using detail::quote;
using detail::trim;

struct Node {
  std::string name;
  std::string value;  // a leaf's text (entities decoded); "" for an aggregate
  int line = 0;
  std::vector<std::unique_ptr<Node>> children;

  const Node* child(std::string_view n) const {
    for (const auto& c : children)
      if (c->name == n) return c.get();
    return nullptr;
  }
  std::string text(std::string_view n) const {
    const Node* c = child(n);
    return c ? c->value : std::string();
  }
};

std::string decode_entities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const auto semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    std::string rep;
    if (ent == "amp") rep = "&";
    else if (ent == "lt") rep = "<";
    else if (ent == "gt") rep = ">";
    else if (ent == "quot") rep = "\"";
    else if (ent == "apos") rep = "'";
    else if (ent.size() > 1 && ent[0] == '#') {
      unsigned long cp = 0;
      bool ok = true;
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      for (std::size_t k = hex ? 2 : 1; k < ent.size() && ok; ++k) {
        const char c = ent[k];
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        ok = d >= 0 && cp < 0x110000;
        cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(d < 0 ? 0 : d);
      }
      if (ok && cp > 0 && cp < 0x110000 && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        if (cp < 0x80) {
          rep += static_cast<char>(cp);
        } else if (cp < 0x800) {
          rep += static_cast<char>(0xC0 | (cp >> 6));
          rep += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
          rep += static_cast<char>(0xE0 | (cp >> 12));
          rep += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          rep += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
          rep += static_cast<char>(0xF0 | (cp >> 18));
          rep += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
          rep += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
          rep += static_cast<char>(0x80 | (cp & 0x3F));
        }
      }
    }
    if (rep.empty()) {
      out += s[i];
      continue;
    }
    out += rep;
    i = semi;
  }
  return out;
}

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {
    for (std::size_t i = 0; i < s_.size(); ++i)
      if (s_[i] == '\n') newlines_.push_back(i);
  }

  int line_at(std::size_t pos) const {
    return static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), pos) - newlines_.begin()) + 1;
  }

  // Reads the <OFX> element that starts at `start`.
  std::unique_ptr<Node> parse(std::size_t start) {
    auto root = std::make_unique<Node>();
    root->name = "#root";
    std::vector<Node*> stack{root.get()};
    std::size_t pos = start;
    while (true) {
      while (pos < s_.size() && (s_[pos] == ' ' || s_[pos] == '\t' || s_[pos] == '\r' || s_[pos] == '\n')) ++pos;
      if (stack.size() == 1 && !root->children.empty()) break;  // </OFX> read
      if (pos >= s_.size()) {
        const Node* open = stack.back();
        throw usage_error("OFX line {}: the file ends inside <{}> opened on line {}: expected </{}> (truncated "
                          "file?)",
                          line_at(s_.size()), open->name, open->line, open->name);
      }
      if (s_[pos] != '<')
        throw usage_error("OFX line {}: text {} between elements: expected a tag", line_at(pos),
                          quote(s_.substr(pos, s_.find('<', pos) - pos)));
      if (s_.compare(pos, 4, "<!--") == 0) {
        pos = skip_past(pos, "-->");
        continue;
      }
      if (s_.compare(pos, 2, "<?") == 0) {
        pos = skip_past(pos, "?>");
        continue;
      }
      const auto gt = s_.find('>', pos);
      if (gt == std::string_view::npos)
        throw usage_error("OFX line {}: unterminated tag: expected '>'", line_at(pos));
      const bool closing = s_[pos + 1] == '/';
      const std::string name(trim(s_.substr(pos + (closing ? 2 : 1), gt - pos - (closing ? 2 : 1))));
      if (name.empty() || name.find_first_of(" <\t\r\n/") != std::string::npos)
        throw usage_error("OFX line {}: malformed tag {}: expected <NAME> or </NAME>", line_at(pos),
                          quote(s_.substr(pos, gt - pos + 1)));
      const int line = line_at(pos);
      pos = gt + 1;
      if (closing) {
        std::size_t k = stack.size() - 1;
        while (k > 0 && stack[k]->name != name) --k;
        if (k == 0) throw usage_error("OFX line {}: end tag </{}> without its start tag", line, name);
        // SGML: an element left open above it was an empty leaf ("<MEMO>"
        // with no value) read as an aggregate: what it swallowed goes back to
        // its parent, in file order.
        while (stack.size() - 1 > k) {
          Node* leaf = stack.back();
          stack.pop_back();
          for (auto& c : leaf->children) stack.back()->children.push_back(std::move(c));
          leaf->children.clear();
        }
        stack.pop_back();
        continue;
      }
      if (stack.size() == 1 && name != "OFX")
        throw usage_error("OFX line {}: element <{}>: expected <OFX>", line, name);
      auto node = std::make_unique<Node>();
      node->name = name;
      node->line = line;
      const auto lt = s_.find('<', pos);
      const std::string_view raw = s_.substr(pos, lt == std::string_view::npos ? std::string_view::npos : lt - pos);
      const std::string end_tag = "</" + name + ">";
      const bool empty_leaf = lt != std::string_view::npos && s_.compare(lt, end_tag.size(), end_tag) == 0;
      Node* raw_node = node.get();
      stack.back()->children.push_back(std::move(node));
      if (!trim(raw).empty() || empty_leaf) {
        raw_node->value = detail::clean_text(decode_entities(trim(raw)));
        pos = lt == std::string_view::npos ? s_.size() : lt;
        if (empty_leaf || s_.compare(pos, end_tag.size(), end_tag) == 0) pos += end_tag.size();
      } else {
        stack.push_back(raw_node);
      }
    }
    return std::move(root->children.front());
  }

 private:
  std::size_t skip_past(std::size_t pos, std::string_view end) const {
    const auto e = s_.find(end, pos);
    if (e == std::string_view::npos)
      throw usage_error("OFX line {}: unterminated {}: expected '{}'", line_at(pos), quote(s_.substr(pos, 4)), end);
    return e + end.size();
  }

  std::string_view s_;
  std::vector<std::size_t> newlines_;
};

void find_all(const Node& n, std::string_view a, std::string_view b, std::vector<const Node*>& out) {
  for (const auto& c : n.children) {
    if (c->name == a || c->name == b) out.push_back(c.get());
    else find_all(*c, a, b, out);
  }
}

std::string where(const Node& n) { return fmt::format("OFX line {} <{}>", n.line, n.name); }

const Node& required(const Node& parent, std::string_view name) {
  const Node* c = parent.child(name);
  if (c == nullptr || c->value.empty())
    throw usage_error("OFX line {}: <{}> has no <{}>: expected one", parent.line, parent.name, name);
  return *c;
}

// YYYYMMDD, then an optional time and zone that are ignored.
Date ofx_date(const Node& n) {
  const std::string& t = n.value;
  int v[3] = {0, 0, 0};
  const int widths[3] = {4, 2, 2};
  std::size_t i = 0;
  for (int f = 0; f < 3; ++f) {
    for (int k = 0; k < widths[f]; ++k, ++i) {
      if (i >= t.size() || t[i] < '0' || t[i] > '9')
        throw usage_error("{}: invalid date {}: expected YYYYMMDD[HHMMSS[.XXX]][[zone]]", where(n), quote(t));
      v[f] = v[f] * 10 + (t[i] - '0');
    }
  }
  if (i < t.size() && !(t[i] >= '0' && t[i] <= '9') && t[i] != '.' && t[i] != '[')
    throw usage_error("{}: invalid date {}: expected YYYYMMDD[HHMMSS[.XXX]][[zone]]", where(n), quote(t));
  return detail::make_date(v[0], v[1], v[2], t, where(n), "YYYYMMDD");
}

}  // namespace

std::vector<Statement> read_ofx(std::string_view bytes) {
  detail::check_size(bytes, "OFX");
  Reader reader(bytes);
  std::size_t start = std::string_view::npos;
  for (std::size_t p = bytes.find("<OFX"); p != std::string_view::npos; p = bytes.find("<OFX", p + 1)) {
    if (p + 4 < bytes.size() && (bytes[p + 4] == '>' || bytes[p + 4] == ' ')) {
      start = p;
      break;
    }
  }
  if (start == std::string_view::npos) throw usage_error("OFX: no <OFX> element: expected an OFX 1.x or 2.x file");
  const std::unique_ptr<Node> ofx = reader.parse(start);

  std::vector<const Node*> rs;
  find_all(*ofx, "STMTRS", "CCSTMTRS", rs);
  if (rs.empty()) throw usage_error("OFX: no <STMTRS> or <CCSTMTRS>: expected a bank or credit card statement");
  std::vector<Statement> out;
  for (const Node* r : rs) {
    Statement s;
    s.format = Format::ofx;
    s.line = r->line;
    s.currency = r->text("CURDEF");
    const Node* acct = r->child(r->name == "STMTRS" ? "BANKACCTFROM" : "CCACCTFROM");
    if (acct == nullptr)
      throw usage_error("{}: no <{}>: expected the account", where(*r),
                        r->name == "STMTRS" ? "BANKACCTFROM" : "CCACCTFROM");
    s.account = required(*acct, "ACCTID").value;
    for (const auto& list : r->children) {
      if (list->name != "BANKTRANLIST") continue;
      for (const auto& t : list->children) {
        if (t->name != "STMTTRN") continue;
        Entry e;
        e.line = t->line;
        e.bank_code = required(*t, "TRNTYPE").value;
        e.means = means_of_ofx(e.bank_code);
        e.booking_date = ofx_date(required(*t, "DTPOSTED"));
        if (const Node* avail = t->child("DTAVAIL"); avail && !avail->value.empty()) e.value_date = ofx_date(*avail);
        const Node& amt = required(*t, "TRNAMT");
        const Cents a = detail::parse_decimal_amount(amt.value, true, where(amt));
        e.amount = a < 0 ? -a : a;
        e.direction = a < 0 ? Direction::debit : Direction::credit;
        e.reference = t->text("FITID");
        std::string name = t->text("NAME");
        if (name.empty())
          if (const Node* payee = t->child("PAYEE")) name = payee->text("NAME");
        e.payer_name = name;
        e.remittance = t->text("MEMO").empty() ? name : t->text("MEMO");
        s.entries.push_back(std::move(e));
      }
    }
    if (const Node* bal = r->child("LEDGERBAL")) {
      const Node& amt = required(*bal, "BALAMT");
      Balance b{detail::parse_decimal_amount(amt.value, true, where(amt)), std::nullopt};
      if (const Node* asof = bal->child("DTASOF"); asof && !asof->value.empty()) b.date = ofx_date(*asof);
      s.closing = b;
    }
    detail::finish_references(s);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace tally::bank
