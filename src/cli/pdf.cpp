// Loads tally-pdf.so with dlopen, once, when a PDF is asked for.
#include "cli/pdf.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "cli/cli.hpp"
#include "pdf/plugin.h"
#include "tally/errors.hpp"

namespace tally::cli {
namespace {

struct Module {
  tally_pdf_render_fn render = nullptr;
  tally_pdf_free_fn free = nullptr;
};

// Where the module may be: $TALLY_PDF_MODULE, beside the running binary (the
// build tree), then the installed library folder.
std::vector<std::string> module_candidates() {
  std::vector<std::string> out;
  if (const char* p = std::getenv("TALLY_PDF_MODULE"); p && *p) return {p};
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) out.push_back((exe.parent_path() / "tally-pdf.so").string());
  out.push_back(std::string(TALLY_PDF_MODULE_DIR) + "/tally-pdf.so");
  return out;
}

const Module& module() {
  static const Module m = [] {
    std::string tried;
    for (const auto& path : module_candidates()) {
      if (void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
        Module found;
        found.render = reinterpret_cast<tally_pdf_render_fn>(dlsym(h, TALLY_PDF_RENDER));
        found.free = reinterpret_cast<tally_pdf_free_fn>(dlsym(h, TALLY_PDF_FREE));
        if (found.render && found.free) return found;
        tried += fmt::format("{}{}: not tally's PDF module", tried.empty() ? "" : "; ", path);
        continue;
      }
      const char* why = dlerror();
      tried += fmt::format("{}{}", tried.empty() ? "" : "; ", why ? why : path);
    }
    throw Error(ExitCode::internal, fmt::format("cannot load tally's PDF module (cairo, pango, qpdf): {}", tried));
  }();
  return m;
}

// The sRGB profile of Factur-X's output intent: $TALLY_ICC_PROFILE, else
// Debian's colord-data.
std::string icc_profile() {
  if (const char* p = std::getenv("TALLY_ICC_PROFILE"); p && *p) return p;
  return "/usr/share/color/icc/colord/sRGB.icc";
}

}  // namespace

std::string render_pdf(const DocumentText& t, Date issue_date, const std::optional<std::string>& facturx_xml) {
  Json doc{{"title", t.title},     {"number", t.number},   {"header", t.header}, {"seller", t.seller},
           {"buyer", t.buyer},     {"columns", t.columns}, {"rows", t.rows},     {"totals", t.totals},
           {"mentions", t.mentions}, {"bank", t.bank},     {"date", format_date(issue_date)},
           {"version", TALLY_VERSION}};
  const std::string json = doc.dump();
  std::string icc;
  if (facturx_xml) {
    icc = icc_profile();
    if (access(icc.c_str(), R_OK) != 0)
      throw Error(ExitCode::internal,
                  fmt::format("cannot read the sRGB ICC profile '{}' of Factur-X's output intent: install Debian's "
                              "colord-data or set TALLY_ICC_PROFILE",
                              icc));
  }
  const Module& m = module();
  TallyPdfResult r{};
  const int rc = m.render(json.data(), json.size(), facturx_xml ? facturx_xml->data() : nullptr,
                          facturx_xml ? facturx_xml->size() : 0, facturx_xml ? icc.c_str() : nullptr, &r);
  std::string pdf;
  std::string error;
  if (rc == 0) pdf.assign(r.data, r.size);
  else error = r.error ? r.error : "unknown failure";
  m.free(&r);
  if (rc != 0) throw Error(ExitCode::internal, fmt::format("cannot write the PDF of {}: {}", t.number, error));
  return pdf;
}

}  // namespace tally::cli
