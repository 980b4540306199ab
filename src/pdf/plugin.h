/* The C interface of tally's PDF module (tally-pdf.so, src/pdf/render.cpp):
   the invoice document laid out with cairo and pango, and for Factur-X made
   PDF/A-3B with its CII XML embedded by qpdf. The tally binary loads the module
   with dlopen only when a PDF is asked for, so that its other commands do not
   load cairo, pango, qpdf and their dependencies at start-up. Only plain bytes
   cross this interface (no C++ object, no exception). */
#ifndef TALLY_PDF_PLUGIN_H
#define TALLY_PDF_PLUGIN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a call returns: the PDF, or an error message (UTF-8); both owned by the
   module, released by tally_pdf_free. */
typedef struct TallyPdfResult {
  char* data;
  size_t size;
  char* error;
} TallyPdfResult;

/* Renders the document described by `doc_json` (DocumentText of
   tally/document.hpp as JSON, plus "date" and "lang"). With `xml` non-null, the
   result is a Factur-X PDF/A-3B with `xml` embedded as factur-x.xml and the
   sRGB profile read from `icc_path`. Returns 0 on success; otherwise
   out->error says why. */
typedef int (*tally_pdf_render_fn)(const char* doc_json, size_t doc_size, const char* xml, size_t xml_size,
                                   const char* icc_path, TallyPdfResult* out);
typedef void (*tally_pdf_free_fn)(TallyPdfResult* out);

#define TALLY_PDF_RENDER "tally_pdf_render"
#define TALLY_PDF_FREE "tally_pdf_free"

#ifdef __cplusplus
}
#endif

#endif
