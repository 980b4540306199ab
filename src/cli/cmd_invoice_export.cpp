// tally invoice export NUMBER... | --period YYYY-MM  --as html|pdf|cii|facturx [-o FILE | --dir DIR] [--force]
#include <filesystem>
#include <map>

#include "cli/options.hpp"
#include "cli/pdf.hpp"
#include "cli/views.hpp"
#include "tally/document.hpp"
#include "tally/errors.hpp"
#include "tally/files.hpp"

namespace tally::cli {
namespace {

enum class As { html, pdf, cii, facturx };

As parse_as(const std::string& text) {
  if (text == "html") return As::html;
  if (text == "pdf") return As::pdf;
  if (text == "cii") return As::cii;
  if (text == "facturx") return As::facturx;
  throw usage_error("invalid --as '{}': expected html, pdf, cii or facturx", text);
}

const char* extension(As as) {
  switch (as) {
    case As::html: return "html";
    case As::cii: return "xml";
    default: return "pdf";
  }
}

struct ExportOpts {
  std::vector<std::string> numbers;
  std::optional<std::string> period, output, dir;
  std::string as;
  bool force = false;
};

std::string missing_list(const std::vector<std::string>& keys) {
  std::string list;
  for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
  return list;
}

Output run_export(Context& ctx, const ExportOpts& o) {
  const As as = parse_as(o.as);
  if (o.numbers.empty() == !o.period)
    throw usage_error("invoice export needs invoice NUMBERs or --period YYYY-MM (one of the two)");
  if (o.output && o.dir) throw usage_error("invoice export takes -o FILE or --dir DIR, not both");
  if (o.output && o.numbers.size() != 1)
    throw usage_error("-o names the file of one document; for {} use --dir DIR",
                      o.period ? "--period" : fmt::format("{} documents", o.numbers.size()));
  const std::optional<Date> month = o.period ? std::optional<Date>(parse_month(*o.period)) : std::nullopt;
  if (o.dir && o.dir->empty()) throw usage_error("invalid --dir '': expected a folder");
  Ledger& ledger = ctx.reader();
  const Date d = ctx.as_of();

  std::vector<Invoice> docs;
  if (month) {
    InvoiceFilter f;
    f.issued = Period{month_first(*month), month_last(*month)};
    each_invoice(ledger, f, d, [&](const Invoice& i) { docs.push_back(i); });
    if (docs.empty()) throw not_found("no invoice or credit note issued in {}", *o.period);
  } else {
    for (const auto& n : o.numbers) docs.push_back(find_invoice(ledger, n, d));  // unknown: exit 3
  }

  // E2: the seller's identity in force on each issue date must be complete.
  std::map<std::string, BuyerIdentity> buyers;
  std::vector<InvoiceDocument> built;
  for (const auto& inv : docs) {
    const SellerIdentity seller = seller_at(ledger, inv.issue_date);
    if (const auto missing = missing_seller_keys(seller); !missing.empty())
      throw refused("E2", "the seller's identity on {} ({}) lacks {}: set them with 'tally seller set KEY VALUE "
                          "--effective DATE'",
                    format_date(inv.issue_date), inv.number, missing_list(missing));
    if (!buyers.count(inv.customer)) buyers.emplace(inv.customer, customer_identity(ledger, inv.customer));
    std::optional<Date> cited;
    if (!inv.cites.empty()) cited = find_invoice(ledger, inv.cites, d).issue_date;
    built.push_back(invoice_document(inv, seller, buyers.at(inv.customer), policy_at(ledger, inv.issue_date), cited));
  }

  const std::string dir = o.dir.value_or(".");
  OutputFiles files(ledger.path(), o.force);
  Output out;
  out.json = Json{{"as_of", format_date(d)}, {"as", o.as}, {"documents", Json::array()}};
  Table t{"", {"number", "kind", "path"}, {}};
  for (std::size_t i = 0; i < built.size(); ++i) {
    const InvoiceDocument& doc = built[i];
    const std::string path = o.output ? *o.output
                                      : (std::filesystem::path(dir) / (doc.number + "." + extension(as))).string();
    files.check(path);
    std::string content;
    switch (as) {
      case As::cii: content = cii_xml(doc); break;
      case As::html: content = document_html(document_text(doc)); break;
      case As::pdf: content = render_pdf(document_text(doc), doc.issue_date, std::nullopt); break;
      case As::facturx: content = render_pdf(document_text(doc), doc.issue_date, cii_xml(doc)); break;
    }
    if (!ctx.g.dry_run) files.stage(path, content);
    const std::string kind = docs[i].credit_note ? "credit-note" : std::string(to_string(docs[i].kind));
    out.json["documents"].push_back(Json{{"number", doc.number}, {"kind", kind}, {"path", path},
                                         {"written", !ctx.g.dry_run}});
    t.rows.push_back({doc.number, kind, path});
  }
  files.commit();  // all or nothing
  out.tables.push_back(t);
  out.lines.push_back(fmt::format("{} document(s) {} as {}", built.size(), ctx.g.dry_run ? "would be written" : "written",
                                  o.as));
  return out;
}

}  // namespace

void setup_invoice_export(CLI::App& invoice, Context& ctx, Action& action) {
  auto o = std::make_shared<ExportOpts>();
  auto* cmd = invoice.add_subcommand("export", "write invoices and credit notes as documents (E1, E3)");
  cmd->add_option("NUMBER", o->numbers, "invoice or credit note numbers (F2026-000001, AV2026-000001)");
  cmd->add_option("--period", o->period, "every invoice and credit note issued in that month, YYYY-MM");
  choice(cmd->add_option("--as", o->as,
                         "the document: html, pdf, cii (EN 16931 XML) or facturx (PDF/A-3 with the XML)")
             ->required(),
         {"html", "pdf", "cii", "facturx"});
  cmd->add_option("-o,--output", o->output, "the file of one document");
  cmd->add_option("--dir", o->dir, "the folder of the documents, named NUMBER.html|.pdf|.xml (default: .)");
  cmd->add_flag("--force", o->force, "replace files that exist (never a link, a device or the ledger)");
  example(cmd, "tally invoice export F2026-000001 --as facturx -o F2026-000001.pdf");
  on_parse(cmd, ctx, action, o, run_export);
}

}  // namespace tally::cli
