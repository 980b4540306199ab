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
#include <memory>
#include <vector>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

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

void read_entry(const xmlNode* ntry, const std::string& currency, Statement& s) {
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
    s.entries.push_back(std::move(base));
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
    s.entries.push_back(std::move(e));
  }
  if (sum != base.signed_amount())
    throw usage_error("CAMT.053 line {} <Ntry>: its {} transactions add up to {}, but the entry is booked for {}: "
                      "expected the same amount",
                      base.line, txs.size(), format_amount(sum), format_amount(base.signed_amount()));
}

Statement read_statement(const xmlNode* stmt) {
  Statement s;
  s.format = Format::camt053;
  s.line = static_cast<int>(xmlGetLineNo(stmt));
  s.id = text(child(stmt, "Id"));
  const xmlNode* acct = required(stmt, "Acct");
  s.account = text(at(acct, {"Id", "IBAN"}));
  if (s.account.empty()) s.account = text(at(acct, {"Id", "Othr", "Id"}));
  s.currency = text(child(acct, "Ccy"));
  std::optional<Balance> prcd;
  for (const xmlNode* bal : children(stmt, "Bal")) {
    const std::string type = text(at(bal, {"Tp", "CdOrPrtry", "Cd"}));
    if (type != "OPBD" && type != "PRCD" && type != "CLBD") continue;
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
  if (!s.opening) s.opening = prcd;
  for (const xmlNode* ntry : children(stmt, "Ntry")) read_entry(ntry, s.currency, s);
  detail::finish_references(s);
  return s;
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

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};

}  // namespace

std::vector<Statement> read_camt053(std::string_view bytes) {
  detail::check_size(bytes, "CAMT.053");
  if (bytes.find("<!DOCTYPE") != std::string_view::npos)
    throw usage_error("CAMT.053: the document has a DOCTYPE: expected a plain ISO 20022 XML document (no DTD, no "
                      "entities)");
  xmlInitParser();
  const SilenceXmlErrors silence;
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) throw Error(ExitCode::internal, "CAMT.053: out of memory creating the XML parser");
  std::unique_ptr<xmlDoc, DocFree> doc(
      xmlCtxtReadMemory(ctxt.get(), bytes.data(), static_cast<int>(bytes.size()), "statement.xml", nullptr,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES));
  if (!doc) {
    const xmlError* err = xmlCtxtGetLastError(ctxt.get());
    const std::string msg = err && err->message ? detail::clean_text(err->message) : std::string("not XML");
    throw usage_error("CAMT.053 line {}: malformed XML ({}): expected a well-formed ISO 20022 document",
                      err ? err->line : 0, msg);
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  const std::string ns = root && root->ns && root->ns->href ? reinterpret_cast<const char*>(root->ns->href) : "";
  const bool camt = ns.size() == kNamespacePrefix.size() + 1 && ns.compare(0, kNamespacePrefix.size(), kNamespacePrefix) == 0 &&
                    ns.back() >= '2' && ns.back() <= '8';
  if (!named(root, "Document") || !camt)
    throw usage_error("CAMT.053: root element <{}> in namespace {}: expected <Document> in "
                      "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02 to .08",
                      root ? reinterpret_cast<const char*>(root->name) : "", quote(ns));
  const xmlNode* msg = required(root, "BkToCstmrStmt");
  std::vector<Statement> out;
  for (const xmlNode* stmt : children(msg, "Stmt")) out.push_back(read_statement(stmt));
  if (out.empty()) throw usage_error("{}: no <Stmt>: expected at least one statement", where(msg));
  return out;
}

}  // namespace tally::bank
