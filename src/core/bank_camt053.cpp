// ISO 20022 camt.053.001.02 to camt.053.001.08 (BankToCustomerStatement), read
// with libxml2. Elements are matched by local name, so every version's
// namespace reads the same; the differences handled are 001.08's Sts/Cd
// (plain Sts before) and RltdPties/Dbtr/Pty/Nm (Dbtr/Nm before), and 001.02's
// TxDtls/AmtDtls/TxAmt/Amt (TxDtls/Amt from 001.03).
//
// Safety: no network (XML_PARSE_NONET), no DTD loading, no entity substitution
// (XML_PARSE_NOENT is not set) and any DOCTYPE refused before parsing, so no
// external entity and no entity expansion ("billion laughs") can happen; the
// input is capped at kMaxStatementBytes.
#include <algorithm>
#include <cstring>
#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "core/bank_internal.hpp"
#include "tally/errors.hpp"

namespace tally::bank {
namespace {

using detail::quote;

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.0";

bool named(const xmlNode* n, std::string_view name) {
  return n != nullptr && n->type == XML_ELEMENT_NODE &&
         std::string_view(reinterpret_cast<const char*>(n->name)) == name;
}

const xmlNode* child(const xmlNode* n, std::string_view name) {
  if (n == nullptr) return nullptr;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next)
    if (named(c, name)) return c;
  return nullptr;
}

std::vector<const xmlNode*> children(const xmlNode* n, std::string_view name) {
  std::vector<const xmlNode*> out;
  if (n == nullptr) return out;
  for (const xmlNode* c = n->children; c != nullptr; c = c->next)
    if (named(c, name)) out.push_back(c);
  return out;
}

// The element at a path of local names below n, or nullptr.
const xmlNode* at(const xmlNode* n, std::initializer_list<std::string_view> path) {
  for (auto p : path) n = child(n, p);
  return n;
}

std::string text(const xmlNode* n) {
  if (n == nullptr) return {};
  xmlChar* c = xmlNodeGetContent(n);
  if (c == nullptr) return {};
  std::string s = detail::clean_text(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return s;
}

std::string attr(const xmlNode* n, const char* name) {
  xmlChar* c = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (c == nullptr) return {};
  std::string s = detail::clean_text(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return s;
}

std::string where(const xmlNode* n) {
  return fmt::format("CAMT.053 line {} <{}>", xmlGetLineNo(n), reinterpret_cast<const char*>(n->name));
}

const xmlNode* required(const xmlNode* parent, std::string_view name) {
  const xmlNode* c = child(parent, name);
  if (c == nullptr)
    throw usage_error("{}: no <{}>: expected one", where(parent), name);
  return c;
}

// <Dt>YYYY-MM-DD</Dt> or <DtTm>YYYY-MM-DDThh:mm:ss...</DtTm> below n.
Date date_of(const xmlNode* n) {
  const xmlNode* d = child(n, "Dt");
  if (d == nullptr) d = child(n, "DtTm");
  if (d == nullptr) throw usage_error("{}: no <Dt> or <DtTm>: expected a date", where(n));
  const std::string t = text(d);
  int v[3] = {0, 0, 0};
  const std::size_t pos[3][2] = {{0, 4}, {5, 2}, {8, 2}};
  bool ok = t.size() >= 10 && t[4] == '-' && t[7] == '-' && (t.size() == 10 || t[10] == 'T');
  for (int f = 0; f < 3 && ok; ++f)
    for (std::size_t k = pos[f][0]; k < pos[f][0] + pos[f][1]; ++k) {
      if (t[k] < '0' || t[k] > '9') ok = false;
      else v[f] = v[f] * 10 + (t[k] - '0');
    }
  if (!ok) throw usage_error("{}: invalid date {}: expected YYYY-MM-DD", where(d), quote(t));
  return detail::make_date(v[0], v[1], v[2], t, where(d), "YYYY-MM-DD");
}

Direction direction_of(const xmlNode* parent) {
  const xmlNode* n = required(parent, "CdtDbtInd");
  const std::string t = text(n);
  if (t == "CRDT") return Direction::credit;
  if (t == "DBIT") return Direction::debit;
  throw usage_error("{}: {}: expected CRDT or DBIT", where(n), quote(t));
}

Cents amount_of(const xmlNode* amt) {
  return detail::parse_decimal_amount(text(amt), false, where(amt));
}

struct Code {
  std::string code;
  Method means = Method::other;
};

// BkTxCd: Domn/Cd, Domn/Fmly/Cd, Domn/Fmly/SubFmlyCd, else Prtry/Cd (a French
// bank's CFONB operation code when Prtry/Issr names CFONB).
std::optional<Code> code_of(const xmlNode* bk) {
  if (bk == nullptr) return std::nullopt;
  if (const xmlNode* domn = child(bk, "Domn")) {
    const std::string d = text(child(domn, "Cd"));
    const std::string f = text(at(domn, {"Fmly", "Cd"}));
    const std::string sf = text(at(domn, {"Fmly", "SubFmlyCd"}));
    return Code{d + "/" + f + "/" + sf, means_of_iso(d, f, sf)};
  }
  if (const xmlNode* prtry = child(bk, "Prtry")) {
    const std::string c = text(child(prtry, "Cd"));
    const std::string issuer = text(child(prtry, "Issr"));
    const bool cfonb = issuer.find("CFONB") != std::string::npos;
    return Code{"PRTRY:" + c, cfonb ? means_of_cfonb(c) : Method::other};
  }
  return std::nullopt;
}

// The details of one transaction (TxDtls) into e.
void read_details(const xmlNode* tx, Entry& e) {
  if (tx == nullptr) return;
  const std::string e2e = text(at(tx, {"Refs", "EndToEndId"}));
  if (e2e != "NOTPROVIDED") e.end_to_end_id = e2e;
  if (const xmlNode* rmt = child(tx, "RmtInf")) {
    std::string ustrd;
    for (const xmlNode* u : children(rmt, "Ustrd")) {
      const std::string t = text(u);
      if (t.empty()) continue;
      if (!ustrd.empty()) ustrd += ' ';
      ustrd += t;
    }
    if (!ustrd.empty()) e.remittance = ustrd;
    for (const xmlNode* strd : children(rmt, "Strd")) {
      const std::string ref = text(at(strd, {"CdtrRefInf", "Ref"}));
      if (!ref.empty()) {
        e.creditor_reference = ref;
        break;
      }
    }
  }
  if (const xmlNode* parties = child(tx, "RltdPties")) {
    const xmlNode* dbtr = child(parties, "Dbtr");
    std::string name = text(child(dbtr, "Nm"));
    if (name.empty()) name = text(at(dbtr, {"Pty", "Nm"}));
    if (!name.empty()) e.payer_name = name;
    const std::string iban = text(at(parties, {"DbtrAcct", "Id", "IBAN"}));
    if (!iban.empty()) e.payer_iban = iban;
  }
  if (auto c = code_of(child(tx, "BkTxCd"))) {
    e.bank_code = c->code;
    e.means = c->means;
  }
}

// The entries of one <Ntry> into `out`: none when not booked, one per
// transaction for a batch (checked to add up before any is given).
void read_entry(const xmlNode* ntry, const std::string& currency, std::vector<Entry>& out) {
  const xmlNode* sts = required(ntry, "Sts");
  std::string status = text(child(sts, "Cd"));  // 001.08
  if (status.empty()) status = text(sts);
  if (status != "BOOK") return;  // pending or information only: not in the closing balance

  Entry base;
  base.line = static_cast<int>(xmlGetLineNo(ntry));
  const xmlNode* amt = required(ntry, "Amt");
  base.amount = amount_of(amt);
  const std::string ccy = attr(amt, "Ccy");
  if (!currency.empty() && !ccy.empty() && ccy != currency)
    throw usage_error("{}: amount in {} in a statement in {}: expected {}", where(amt), quote(ccy), currency,
                      currency);
  base.direction = direction_of(ntry);
  const std::string rvsl = text(child(ntry, "RvslInd"));
  base.reversal = rvsl == "true" || rvsl == "1";
  base.booking_date = date_of(required(ntry, "BookgDt"));
  if (const xmlNode* val = child(ntry, "ValDt")) base.value_date = date_of(val);
  const std::string ref = text(child(ntry, "AcctSvcrRef"));
  if (auto c = code_of(child(ntry, "BkTxCd"))) {
    base.bank_code = c->code;
    base.means = c->means;
  }
  base.remittance = text(child(ntry, "AddtlNtryInf"));

  std::vector<const xmlNode*> txs;
  for (const xmlNode* d : children(ntry, "NtryDtls"))
    for (const xmlNode* tx : children(d, "TxDtls")) txs.push_back(tx);

  if (txs.size() <= 1) {
    base.reference = ref;
    read_details(txs.empty() ? nullptr : txs.front(), base);
    out.push_back(std::move(base));
    return;
  }
  // A batch booked as one entry: one Entry per transaction, whose amounts
  // must add up to the booked one.
  Cents sum = 0;
  int k = 0;
  for (const xmlNode* tx : txs) {
    Entry e = base;
    e.line = static_cast<int>(xmlGetLineNo(tx));
    const xmlNode* tamt = child(tx, "Amt");
    if (tamt == nullptr) tamt = at(tx, {"AmtDtls", "TxAmt", "Amt"});
    if (tamt == nullptr)
      throw usage_error("{}: a transaction of the batch entry on line {} has no <Amt> (nor AmtDtls/TxAmt/Amt): "
                        "expected one per transaction to split the batch",
                        where(tx), base.line);
    const std::string tccy = attr(tamt, "Ccy");
    if (!ccy.empty() && !tccy.empty() && tccy != ccy)
      throw usage_error("{}: transaction amount in {} in an entry in {}: expected {}", where(tamt), quote(tccy),
                        ccy, ccy);
    e.amount = amount_of(tamt);
    if (child(tx, "CdtDbtInd") != nullptr) e.direction = direction_of(tx);
    e.reference = ref.empty() ? std::string() : fmt::format("{}/{}", ref, ++k);
    read_details(tx, e);
    sum += e.signed_amount();
    out.push_back(std::move(e));
  }
  if (sum != base.signed_amount())
    throw usage_error("CAMT.053 line {} <Ntry>: its {} transactions add up to {}, but the entry is booked for {}: "
                      "expected the same amount",
                      base.line, txs.size(), format_amount(sum), format_amount(base.signed_amount()));
}

// <Acct>: the account and its currency.
void read_account(const xmlNode* acct, Statement& s) {
  s.account = text(at(acct, {"Id", "IBAN"}));
  if (s.account.empty()) s.account = text(at(acct, {"Id", "Othr", "Id"}));
  s.currency = text(child(acct, "Ccy"));
}

// One <Bal>: OPBD and CLBD into s, PRCD into prcd; other types ignored.
void read_balance(const xmlNode* bal, Statement& s, std::optional<Balance>& prcd) {
  const std::string type = text(at(bal, {"Tp", "CdOrPrtry", "Cd"}));
  if (type != "OPBD" && type != "PRCD" && type != "CLBD") return;
  const xmlNode* amt = required(bal, "Amt");
  const std::string ccy = attr(amt, "Ccy");
  if (s.currency.empty()) s.currency = ccy;
  if (!ccy.empty() && ccy != s.currency)
    throw usage_error("{}: balance in {} in a statement in {}: expected {}", where(amt), quote(ccy), s.currency,
                      s.currency);
  const Cents a = amount_of(amt);
  Balance b{direction_of(bal) == Direction::credit ? a : -a, std::nullopt};
  if (const xmlNode* dt = child(bal, "Dt")) b.date = date_of(dt);
  if (type == "OPBD") s.opening = b;
  else if (type == "PRCD") prcd = b;
  else s.closing = b;
}

// libxml2 reports some errors (encoding conversion) through its generic error
// function whatever XML_PARSE_NOERROR says: silenced while tally parses, so the
// message tally throws is the only one the user sees.
extern "C" void silent_xml_error(void*, const char*, ...) {}

class SilenceXmlErrors {
 public:
  SilenceXmlErrors() : func_(xmlGenericError), ctx_(xmlGenericErrorContext) {
    xmlSetGenericErrorFunc(nullptr, silent_xml_error);
  }
  ~SilenceXmlErrors() { xmlSetGenericErrorFunc(ctx_, func_); }
  SilenceXmlErrors(const SilenceXmlErrors&) = delete;
  SilenceXmlErrors& operator=(const SilenceXmlErrors&) = delete;

 private:
  xmlGenericErrorFunc func_;
  void* ctx_;
};

// The bytes of a ByteSource as libxml2 reads them: counted against
// kMaxStatementBytes and scanned for "<!DOCTYPE" (also across two reads)
// before libxml2 sees them, so that a DTD is refused before it is parsed.
struct Input {
  const ByteSource* source = nullptr;
  std::size_t total = 0;
  bool too_big = false;
  bool doctype = false;
  std::exception_ptr error;  // thrown by the source
  std::string tail;          // the last bytes given, for a "<!DOCTYPE" across two reads

  // What is left of the source, counted (the size error names the whole).
  void drain() {
    char buf[64 * 1024];
    try {
      while (std::size_t n = (*source)(buf, sizeof buf)) total += n;
    } catch (...) {
      if (!error) error = std::current_exception();
    }
  }
};

constexpr std::string_view kDoctype = "<!DOCTYPE";

extern "C" int read_input(void* context, char* buffer, int len) {
  auto* in = static_cast<Input*>(context);
  if (in->too_big || in->doctype || in->error || len <= 0) return -1;
  try {
    const std::size_t n = (*in->source)(buffer, static_cast<std::size_t>(len));
    in->total += n;
    if (in->total > kMaxStatementBytes) {
      in->too_big = true;
      return -1;
    }
    const std::string_view got(buffer, n);
    std::string seam = in->tail;
    seam.append(got.substr(0, kDoctype.size() - 1));
    if (seam.find(kDoctype) != std::string::npos || got.find(kDoctype) != std::string_view::npos) {
      in->doctype = true;
      return -1;
    }
    in->tail.append(got.substr(got.size() - std::min(got.size(), kDoctype.size() - 1)));
    if (in->tail.size() > kDoctype.size() - 1) in->tail.erase(0, in->tail.size() - (kDoctype.size() - 1));
    return static_cast<int>(n);
  } catch (...) {
    in->error = std::current_exception();
    return -1;
  }
}

// The last error libxml2 reported while reading (as xmlCtxtGetLastError).
struct XmlErrorSeen {
  int line = 0;
  std::string message;
  bool any = false;
};

extern "C" void keep_xml_error(void* arg, xmlErrorPtr err) {
  if (err == nullptr || err->level < XML_ERR_ERROR) return;
  auto* seen = static_cast<XmlErrorSeen*>(arg);
  seen->any = true;
  seen->line = err->line;
  seen->message = err->message ? detail::clean_text(err->message) : std::string();
}

struct ReaderFree {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};

std::string_view local_name(xmlTextReader* r) {
  const xmlChar* n = xmlTextReaderConstLocalName(r);
  return n ? std::string_view(reinterpret_cast<const char*>(n)) : std::string_view();
}

// The walk through a CAMT.053 document, one reader node at a time.
class Walk {
 public:
  explicit Walk(StatementSink& sink) : sink_(sink) {}

  // The reader is on an element (empty: no end element follows); returns
  // true when its subtree is to be skipped (xmlTextReaderNext).
  bool element(xmlTextReader* r, bool empty) {
    const int depth = xmlTextReaderDepth(r);
    const std::string_view name = local_name(r);
    const xmlNode* node = xmlTextReaderCurrentNode(r);
    const int line = node ? static_cast<int>(xmlGetLineNo(node)) : 0;
    if (depth == 0) {
      const xmlChar* uri = xmlTextReaderConstNamespaceUri(r);
      const std::string ns = uri ? reinterpret_cast<const char*>(uri) : "";
      const bool camt = ns.size() == kNamespacePrefix.size() + 1 &&
                        ns.compare(0, kNamespacePrefix.size(), kNamespacePrefix) == 0 && ns.back() >= '2' &&
                        ns.back() <= '8';
      if (name != "Document" || !camt)
        throw usage_error("CAMT.053: root element <{}> in namespace {}: expected <Document> in "
                          "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 to .08",
                          name, quote(ns));
      root_line_ = line;
      return false;
    }
    if (depth == 1) {
      if (name != "BkToCstmrStmt" || msg_line_ != 0) return true;  // the first one, as read_camt053 always did
      msg_line_ = line;
      in_msg_ = true;
      if (empty) end_message();
      return false;
    }
    if (!in_msg_) return true;
    if (depth == 2) {
      if (name != "Stmt") return true;
      s_ = Statement{};
      s_.format = Format::camt053;
      s_.line = line;
      in_stmt_ = true;
      started_ = false;
      acct_ = false;
      id_ = false;
      prcd_.reset();
      numbering_ = detail::ReferenceNumbering{};
      pending_ = nullptr;
      if (empty) end_statement();
      return false;
    }
    if (depth != 3 || !in_stmt_) return true;
    if (name == "Ntry") {
      start_entries();
      const xmlNode* ntry = xmlTextReaderExpand(r);
      if (ntry == nullptr) return true;  // malformed: the reader says where
      entries_.clear();
      read_entry(ntry, s_.currency, entries_);
      for (Entry& e : entries_) {
        if (pending_) break;  // the statement is refused: its other entries are only checked
        try {
          numbering_.finish(s_, e);
        } catch (const Error&) {
          pending_ = std::current_exception();  // as finish_references: after the statement's entries
          break;
        }
        sink_.entry(s_, std::move(e));
      }
      return true;
    }
    if (name == "Id" || name == "Acct" || name == "Bal") {
      if ((name == "Id" && id_) || (name == "Acct" && acct_)) return true;  // the first one, as before
      if (started_)
        throw usage_error("CAMT.053 line {} <{}>: after the statement's entries: expected it before the first "
                          "<Ntry> (the ISO 20022 order)",
                          line, name);
      const xmlNode* n = xmlTextReaderExpand(r);
      if (n == nullptr) return true;
      if (name == "Id") {
        id_ = true;
        s_.id = text(n);
      } else if (name == "Acct") {
        acct_ = true;
        read_account(n, s_);
      } else {
        require_account();
        read_balance(n, s_, prcd_);
      }
    }
    return true;
  }

  // The reader is on an end element.
  void end_element(xmlTextReader* r) {
    const int depth = xmlTextReaderDepth(r);
    if (depth == 2 && in_stmt_) end_statement();
    else if (depth == 1 && in_msg_) end_message();
  }

  // After the whole document was read without an error.
  void finish() const {
    if (root_line_ == 0) return;  // not reached: libxml2 reports an empty document
    if (msg_line_ == 0)
      throw usage_error("CAMT.053 line {} <Document>: no <BkToCstmrStmt>: expected one", root_line_);
  }

 private:
  void require_account() const {
    if (!acct_) throw usage_error("CAMT.053 line {} <Stmt>: no <Acct>: expected one", s_.line);
  }
  void start_entries() {
    if (started_) return;
    require_account();
    if (!s_.opening) s_.opening = prcd_;
    started_ = true;
    sink_.begin(s_);
  }
  void end_statement() {
    start_entries();
    in_stmt_ = false;
    if (pending_) std::rethrow_exception(pending_);
    sink_.end(s_);
    ++statements_;
  }
  void end_message() {
    in_msg_ = false;
    if (statements_ == 0)
      throw usage_error("CAMT.053 line {} <BkToCstmrStmt>: no <Stmt>: expected at least one statement", msg_line_);
  }

  StatementSink& sink_;
  int root_line_ = 0;
  int msg_line_ = 0;
  bool in_msg_ = false;
  bool in_stmt_ = false;
  bool started_ = false;  // begin() given: the header is complete
  bool acct_ = false;
  bool id_ = false;
  std::size_t statements_ = 0;
  Statement s_;
  std::optional<Balance> prcd_;
  detail::ReferenceNumbering numbering_;
  std::exception_ptr pending_;  // a reference too long: thrown at the statement's end
  std::vector<Entry> entries_;
};

// A sink that keeps every statement whole (read_camt053 of bytes).
class Collect final : public StatementSink {
 public:
  explicit Collect(std::vector<Statement>& out) : out_(out) {}
  void begin(const Statement& s) override { out_.push_back(s); }
  void entry(const Statement&, Entry&& e) override { out_.back().entries.push_back(std::move(e)); }
  void end(const Statement&) override {}

 private:
  std::vector<Statement>& out_;
};

}  // namespace

void read_camt053(const ByteSource& source, StatementSink& sink) {
  xmlInitParser();
  const SilenceXmlErrors silence;
  Input in;
  in.source = &source;
  XmlErrorSeen seen;
  std::unique_ptr<xmlTextReader, ReaderFree> reader(
      xmlReaderForIO(read_input, nullptr, &in, "statement.xml", nullptr,
                     XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES));
  int ret = -1;
  Walk walk(sink);
  std::exception_ptr first;  // the first error of the content: thrown once the XML is known well-formed
  if (reader) {
    xmlTextReaderSetStructuredErrorHandler(reader.get(), keep_xml_error, &seen);
    bool skip = false;
    for (;;) {
      ret = skip ? xmlTextReaderNext(reader.get()) : xmlTextReaderRead(reader.get());
      skip = false;
      if (ret != 1) break;
      if (first) {
        skip = xmlTextReaderNodeType(reader.get()) == XML_READER_TYPE_ELEMENT;  // only the XML is checked now
        continue;
      }
      try {
        const int type = xmlTextReaderNodeType(reader.get());
        if (type == XML_READER_TYPE_ELEMENT) {
          const bool empty = xmlTextReaderIsEmptyElement(reader.get()) == 1;
          skip = walk.element(reader.get(), empty) && !empty;
        } else if (type == XML_READER_TYPE_END_ELEMENT) {
          walk.end_element(reader.get());
        }
      } catch (const Error&) {
        first = std::current_exception();
      }
    }
  }
  if (in.error) std::rethrow_exception(in.error);
  if (in.too_big || in.doctype) {
    in.drain();  // the size error names the whole, and comes first
    if (in.error) std::rethrow_exception(in.error);
    if (in.total > kMaxStatementBytes)
      throw usage_error("CAMT.053 statement of {} bytes: expected at most {} bytes", in.total, kMaxStatementBytes);
    throw usage_error("CAMT.053: the document has a DOCTYPE: expected a plain ISO 20022 XML document (no DTD, no "
                      "entities)");
  }
  if (!reader) throw Error(ExitCode::internal, "CAMT.053: out of memory creating the XML parser");
  if (ret != 0)
    throw usage_error("CAMT.053 line {}: malformed XML ({}): expected a well-formed ISO 20022 document", seen.line,
                      seen.any && !seen.message.empty() ? seen.message : std::string("not XML"));
  if (first) std::rethrow_exception(first);
  walk.finish();
}

std::vector<Statement> read_camt053(std::string_view bytes) {
  detail::check_size(bytes, "CAMT.053");
  std::size_t at = 0;
  const ByteSource source = [&](char* buf, std::size_t size) {
    const std::size_t n = std::min(size, bytes.size() - at);
    std::memcpy(buf, bytes.data() + at, n);
    at += n;
    return n;
  };
  std::vector<Statement> out;
  Collect collect(out);
  read_camt053(source, collect);
  return out;
}

}  // namespace tally::bank
