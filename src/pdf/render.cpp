// tally-pdf.so: the invoice document (E1) laid out on A4 with cairo and pango
// (cairo embeds subsets of the fonts it uses), and for Factur-X (E3) made
// PDF/A-3B by qpdf: the CII XML embedded as factur-x.xml (AFRelationship
// /Data, listed in the catalog's /AF), the Factur-X XMP metadata and an sRGB
// output intent.
//
// Nothing here sees an amount: the text arrives formatted (DocumentText of
// tally/document.hpp). Coordinates are whole points (1/72 in) and pango units
// (PANGO_SCALE per point), handed to cairo, which takes them as it wants.
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include "pdf/plugin.h"

namespace {

using Json = nlohmann::json;

// A4 in points, and the page's margins.
constexpr int kPageWidthPoints = 595;
constexpr int kPageHeightPoints = 842;
constexpr int kMarginPoints = 50;
constexpr int kBodyWidthPoints = kPageWidthPoints - 2 * kMarginPoints;

struct Font {
  int size_points = 9;
  bool bold = false;
};

// The text as laid out: the spaces inside an amount ("1 234,56 €", "10 000,00")
// become no-break spaces, so that a line never breaks within one.
std::string unbreakable(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool digit_before = i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9';
    const bool digit_after = i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9';
    const bool euro_after = text.compare(i + 1, 3, "\xE2\x82\xAC") == 0;
    if (text[i] == ' ' && digit_before && (digit_after || euro_after)) out += "\xC2\xA0";
    else out.push_back(text[i]);
  }
  return out;
}

// The page being written and where the next block goes.
class Page {
 public:
  explicit Page(cairo_t* cr) : cr_(cr) {}

  // The height in points of `text` set in a box `width_points` wide.
  int measure(const std::string& text, int width_points, Font font) const {
    PangoLayout* layout = make(text, width_points, font, PANGO_ALIGN_LEFT);
    const int h = height_points(layout);
    g_object_unref(layout);
    return h;
  }

  // Draws `text` with its top-left corner at (x, y) points; returns its height.
  int draw(const std::string& text, int x_points, int y_points, int width_points, Font font,
           PangoAlignment align = PANGO_ALIGN_LEFT) {
    PangoLayout* layout = make(text, width_points, font, align);
    cairo_move_to(cr_, x_points, y_points);
    pango_cairo_show_layout(cr_, layout);
    const int h = height_points(layout);
    g_object_unref(layout);
    return h;
  }

  void rule(int x_points, int y_points, int width_points) {
    cairo_set_line_width(cr_, 1);
    cairo_move_to(cr_, x_points, y_points);
    cairo_line_to(cr_, x_points + width_points, y_points);
    cairo_stroke(cr_);
  }

  // Starts a new page when `height_points` does not fit below y.
  void ensure(int height_points) {
    if (y + height_points <= kPageHeightPoints - kMarginPoints) return;
    cairo_show_page(cr_);
    y = kMarginPoints;
  }

  int y = kMarginPoints;

 private:
  PangoLayout* make(const std::string& text, int width_points, Font font, PangoAlignment align) const {
    PangoLayout* layout = pango_cairo_create_layout(cr_);
    PangoFontDescription* desc = pango_font_description_new();
    pango_font_description_set_family(desc, "DejaVu Sans");
    pango_font_description_set_size(desc, font.size_points * PANGO_SCALE);
    pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, desc);
    pango_font_description_free(desc);
    pango_layout_set_width(layout, width_points * PANGO_SCALE);
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align);
    const std::string shown = unbreakable(text);
    pango_layout_set_text(layout, shown.c_str(), -1);
    return layout;
  }
  static int height_points(PangoLayout* layout) {
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    return (h + PANGO_SCALE - 1) / PANGO_SCALE;
  }

  cairo_t* cr_;
};

std::vector<std::string> strings(const Json& j) { return j.get<std::vector<std::string>>(); }

// The columns of the lines' table: x and width in points; the first is text,
// the others numbers set right.
struct Column {
  int x_points, width_points;
};
constexpr Column kColumns[] = {{50, 165}, {218, 62}, {283, 100}, {386, 74}, {463, 82}};

void table_row(Page& page, const std::vector<std::string>& cells, Font font) {
  int h = 0;
  for (std::size_t i = 0; i < cells.size() && i < std::size(kColumns); ++i)
    h = std::max(h, page.measure(cells[i], kColumns[i].width_points, font));
  page.ensure(h + 6);
  for (std::size_t i = 0; i < cells.size() && i < std::size(kColumns); ++i)
    page.draw(cells[i], kColumns[i].x_points, page.y + 3, kColumns[i].width_points, font,
              i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
  page.y += h + 6;
  page.rule(kMarginPoints, page.y, kBodyWidthPoints);
}

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The document as a PDF laid out by cairo and pango.
std::string layout_pdf(const Json& doc) {
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(append, &pdf, kPageWidthPoints, kPageHeightPoints);
  const std::string title = doc.at("title").get<std::string>() + " " + doc.at("number").get<std::string>();
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "tally");
  cairo_t* cr = cairo_create(surface);
  cairo_set_source_rgb(cr, 0, 0, 0);
  Page page(cr);

  // Seller on the left, title and dates on the right.
  const auto seller = strings(doc.at("seller"));
  int left = page.y;
  for (std::size_t i = 0; i < seller.size(); ++i)
    left += page.draw(seller[i], kMarginPoints, left, 275, Font{i == 0 ? 11 : 7, i == 0}) + 1;
  int right = page.y;
  right += page.draw(doc.at("title").get<std::string>(), 330, right, 215, Font{20, true}) + 4;
  for (const auto& h : doc.at("header"))
    right += page.draw(h.at(0).get<std::string>() + " : " + h.at(1).get<std::string>(), 330, right, 215,
                       Font{9, false}) + 2;
  page.y = std::max(left, right) + 20;

  // The customer.
  int buyer_y = page.y;
  buyer_y += page.draw("CLIENT", 330, buyer_y, 215, Font{8, true}) + 2;
  const auto buyer = strings(doc.at("buyer"));
  for (std::size_t i = 0; i < buyer.size(); ++i)
    buyer_y += page.draw(buyer[i], 330, buyer_y, 215, Font{i == 0 ? 10 : 8, i == 0}) + 1;
  page.y = buyer_y + 24;

  // The lines.
  page.rule(kMarginPoints, page.y, kBodyWidthPoints);
  table_row(page, strings(doc.at("columns")), Font{8, true});
  for (const auto& row : doc.at("rows")) table_row(page, strings(row), Font{9, false});
  page.y += 12;

  // Totals, right-hand side.
  for (const auto& t : doc.at("totals")) {
    const std::string label = t.at(0).get<std::string>();
    const bool last = &t == &doc.at("totals").back();
    const Font font{9, last};
    const int h = std::max(page.measure(label, 160, font), page.measure(t.at(1).get<std::string>(), 80, font));
    page.ensure(h + 4);
    page.draw(label, 300, page.y, 160, font);
    page.draw(t.at(1).get<std::string>(), 465, page.y, 80, font, PANGO_ALIGN_RIGHT);
    page.y += h + 4;
  }
  page.y += 20;

  // Mentions and bank details.
  auto mentions = strings(doc.at("mentions"));
  mentions.push_back(doc.at("bank").get<std::string>());
  for (const auto& m : mentions) {
    const int h = page.measure(m, kBodyWidthPoints, Font{8, false});
    page.ensure(h + 3);
    page.y += page.draw(m, kMarginPoints, page.y, kBodyWidthPoints, Font{8, false}) + 3;
  }

  cairo_show_page(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("cairo could not write the PDF: ") + cairo_status_to_string(status));
  return pdf;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// The XMP packet of a Factur-X 1.0 PDF/A-3B: PDF/A identification, the
// document's title, producer and dates (equal to the Info dictionary's), the
// Factur-X properties and the PDF/A extension schema that declares them.
std::string facturx_xmp(const std::string& title, const std::string& producer, const std::string& when) {
  const std::string fx = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";
  std::string x;
  x += "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n";
  x += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n";
  x += " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n"
       "   <pdfaid:part>3</pdfaid:part>\n   <pdfaid:conformance>B</pdfaid:conformance>\n  </rdf:Description>\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n"
       "   <dc:format>application/pdf</dc:format>\n"
       "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_escape(title) +
       "</rdf:li></rdf:Alt></dc:title>\n  </rdf:Description>\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n   <pdf:Producer>" +
       xml_escape(producer) + "</pdf:Producer>\n  </rdf:Description>\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n"
       "   <xmp:CreatorTool>tally</xmp:CreatorTool>\n   <xmp:CreateDate>" + when +
       "</xmp:CreateDate>\n   <xmp:ModifyDate>" + when + "</xmp:ModifyDate>\n  </rdf:Description>\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:fx=\"" + fx + "\">\n"
       "   <fx:DocumentType>INVOICE</fx:DocumentType>\n"
       "   <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>\n"
       "   <fx:Version>1.0</fx:Version>\n"
       "   <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>\n  </rdf:Description>\n";
  x += "  <rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
       "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" "
       "xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
       "   <pdfaExtension:schemas>\n    <rdf:Bag>\n     <rdf:li rdf:parseType=\"Resource\">\n"
       "      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\n"
       "      <pdfaSchema:namespaceURI>" + fx + "</pdfaSchema:namespaceURI>\n"
       "      <pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
       "      <pdfaSchema:property>\n       <rdf:Seq>\n";
  const char* props[][2] = {
      {"DocumentFileName", "The name of the embedded XML document"},
      {"DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"},
      {"Version", "The actual version of the standard applying to the embedded XML document"},
      {"ConformanceLevel", "The conformance level of the embedded XML document"},
  };
  for (const auto& p : props)
    x += std::string("        <rdf:li rdf:parseType=\"Resource\">\n") + "         <pdfaProperty:name>" + p[0] +
         "</pdfaProperty:name>\n         <pdfaProperty:valueType>Text</pdfaProperty:valueType>\n"
         "         <pdfaProperty:category>external</pdfaProperty:category>\n"
         "         <pdfaProperty:description>" + p[1] + "</pdfaProperty:description>\n        </rdf:li>\n";
  x += "       </rdf:Seq>\n      </pdfaSchema:property>\n     </rdf:li>\n    </rdf:Bag>\n"
       "   </pdfaExtension:schemas>\n  </rdf:Description>\n";
  x += " </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
  return x;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the sRGB ICC profile '" + path + "'");
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// E3: the PDF made PDF/A-3B Factur-X by qpdf.
std::string facturx(const std::string& pdf_in, const Json& doc, const std::string& xml, const std::string& icc_path) {
  using OH = QPDFObjectHandle;
  const std::string icc = read_file(icc_path);
  QPDF pdf;
  pdf.processMemoryFile("invoice.pdf", pdf_in.data(), pdf_in.size());
  OH root = pdf.getRoot();
  // The issue date, as the PDF and XMP dates of the document: the same
  // document exported twice is the same file.
  const std::string day = doc.at("date").get<std::string>();  // YYYY-MM-DD
  const std::string ymd = day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2);
  const std::string pdf_date = "D:" + ymd + "000000Z";
  const std::string xmp_date = day + "T00:00:00Z";
  const std::string title = doc.at("title").get<std::string>() + " " + doc.at("number").get<std::string>();
  const std::string producer = "tally " + doc.value("version", std::string());

  // The attachment: factur-x.xml, text/xml, AFRelationship /Data.
  auto ef = QPDFEFStreamObjectHelper::createEFStream(pdf, xml);
  ef.setSubtype("text/xml");
  ef.setModDate(pdf_date);
  ef.setCreationDate(pdf_date);
  auto fs = QPDFFileSpecObjectHelper::createFileSpec(pdf, "factur-x.xml", ef);
  fs.setDescription("Factur-X EN 16931 invoice (UN/CEFACT CII D16B)");
  fs.getObjectHandle().replaceKey("/AFRelationship", OH::newName("/Data"));
  QPDFEmbeddedFileDocumentHelper(pdf).replaceEmbeddedFile("factur-x.xml", fs);
  root.replaceKey("/AF", OH::newArray(std::vector<OH>{fs.getObjectHandle()}));

  // XMP metadata, uncompressed.
  OH meta = pdf.newStream(facturx_xmp(title, producer, xmp_date));
  meta.getDict().replaceKey("/Type", OH::newName("/Metadata"));
  meta.getDict().replaceKey("/Subtype", OH::newName("/XML"));
  root.replaceKey("/Metadata", meta);

  // The Info dictionary, equal to the XMP.
  OH info = pdf.makeIndirectObject(OH::newDictionary());
  info.replaceKey("/Title", OH::newUnicodeString(title));
  info.replaceKey("/Producer", OH::newUnicodeString(producer));
  info.replaceKey("/Creator", OH::newUnicodeString("tally"));
  info.replaceKey("/CreationDate", OH::newString(pdf_date));
  info.replaceKey("/ModDate", OH::newString(pdf_date));
  pdf.getTrailer().replaceKey("/Info", info);

  // The sRGB output intent (PDF/A: device colours need one).
  OH profile = pdf.newStream(icc);
  profile.getDict().replaceKey("/N", OH::newInteger(3));
  OH intent = OH::newDictionary();
  intent.replaceKey("/Type", OH::newName("/OutputIntent"));
  intent.replaceKey("/S", OH::newName("/GTS_PDFA1"));
  intent.replaceKey("/OutputConditionIdentifier", OH::newString("sRGB IEC61966-2.1"));
  intent.replaceKey("/Info", OH::newString("sRGB IEC61966-2.1"));
  intent.replaceKey("/DestOutputProfile", profile);
  root.replaceKey("/OutputIntents", OH::newArray(std::vector<OH>{pdf.makeIndirectObject(intent)}));

  QPDFWriter w(pdf);
  w.setOutputMemory();
  w.setDeterministicID(true);
  w.setObjectStreamMode(qpdf_o_disable);
  w.setMinimumPDFVersion("1.7");
  w.write();
  auto buf = w.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buf->getBuffer()), buf->getSize());
}

char* copy(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) {
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = '\0';
  }
  return p;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) int tally_pdf_render(const char* doc_json, size_t doc_size,
                                                                        const char* xml, size_t xml_size,
                                                                        const char* icc_path, TallyPdfResult* out) {
  out->data = nullptr;
  out->size = 0;
  out->error = nullptr;
  try {
    const Json doc = Json::parse(std::string(doc_json, doc_size));
    std::string pdf = layout_pdf(doc);
    if (xml) pdf = facturx(pdf, doc, std::string(xml, xml_size), icc_path ? icc_path : "");
    out->data = copy(pdf);
    out->size = pdf.size();
    if (!out->data) throw std::bad_alloc();
    return 0;
  } catch (const std::exception& e) {
    out->error = copy(e.what());
  } catch (...) {
    out->error = copy("unknown failure");
  }
  return 1;
}

extern "C" __attribute__((visibility("default"))) void tally_pdf_free(TallyPdfResult* out) {
  std::free(out->data);
  std::free(out->error);
  out->data = nullptr;
  out->error = nullptr;
}
