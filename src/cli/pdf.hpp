// The PDF module (src/pdf, tally-pdf.so), loaded on first use: the tally
// binary does not link cairo, pango or qpdf, so its start-up stays cheap.
#pragma once

#include <optional>
#include <string>

#include "tally/document.hpp"

namespace tally::cli {

// E1/E3: the document as a PDF; with `facturx_xml`, a Factur-X PDF/A-3B that
// embeds it as factur-x.xml. `issue_date` dates the PDF's metadata. Throws
// Error(internal) naming the module or profile it could not use.
std::string render_pdf(const DocumentText& text, Date issue_date, const std::optional<std::string>& facturx_xml);

}  // namespace tally::cli
