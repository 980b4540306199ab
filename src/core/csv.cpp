// A strict RFC 4180 CSV reader: text in, records and line-numbered errors out.
#include <fmt/format.h>

#include "tally/import.hpp"
#include "tally/text.hpp"

namespace tally {
namespace {

// Why a field cannot be accepted: not UTF-8, or a control character other than
// tab (and CR, LF, which only a quoted field may hold); "" when it is fine.
std::string field_problem(std::string_view field, std::size_t number) {
  for (std::size_t i = 0; i < field.size();) {
    const auto c = static_cast<unsigned char>(field[i]);
    if (c < 0x20 && c != '\t' && c != '\r' && c != '\n')
      return fmt::format("field {} holds a control character (byte 0x{:02X})", number, c);
    const std::size_t len = utf8_length(field, i);
    if (len == 0) return fmt::format("field {} is not UTF-8 text: save the file as UTF-8", number);
    i += len;
  }
  return "";
}

class Reader {
 public:
  explicit Reader(std::string_view text) : s_(text) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
  }

  void read(const CsvRecordSink& on_record, const CsvErrorSink& on_error) {
    while (i_ < s_.size()) {
      if (skip_line_break()) continue;  // an empty line
      const int start = line_;
      const std::size_t from = i_;
      CsvRecord rec{start, {}};
      std::string error = read_record(rec.fields);
      if (const std::size_t bytes = record_bytes(from); error.empty() && bytes > kMaxCsvLineBytes) {
        error = fmt::format("line longer than {} KiB ({} bytes): a record is at most {} bytes", kMaxCsvLineBytes / 1024,
                            bytes, kMaxCsvLineBytes);
      }
      if (error.empty()) {
        for (std::size_t k = 0; k < rec.fields.size() && error.empty(); ++k)
          error = field_problem(rec.fields[k], k + 1);
      }
      if (error.empty()) on_record(std::move(rec));
      else on_error({error_line_ ? error_line_ : start, std::move(error)});
      error_line_ = 0;
    }
  }

 private:
  // The bytes of the record read from `from` up to the cursor, its line break
  // not counted.
  std::size_t record_bytes(std::size_t from) const {
    std::size_t end = i_;
    if (end > from && s_[end - 1] == '\n') --end;
    if (end > from && s_[end - 1] == '\r') --end;
    return end - from;
  }

  // Consumes a CRLF or LF at the cursor; false if there is none.
  bool skip_line_break() {
    if (s_[i_] == '\n') {
      ++i_;
      ++line_;
      return true;
    }
    if (s_[i_] == '\r' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') {
      i_ += 2;
      ++line_;
      return true;
    }
    return false;
  }

  // After an error: skips the rest of the physical line.
  void skip_to_next_line() {
    while (i_ < s_.size() && s_[i_] != '\n') ++i_;
    if (i_ < s_.size()) {
      ++i_;
      ++line_;
    }
  }

  // Reads one record's fields up to and including its line break; returns the
  // error ("" for none), the cursor then being on the next line.
  std::string read_record(std::vector<std::string>& fields) {
    for (;;) {
      std::string field;
      if (i_ < s_.size() && s_[i_] == '"') {
        if (std::string e = read_quoted(field); !e.empty()) return e;
      } else {
        while (i_ < s_.size() && s_[i_] != ',' && s_[i_] != '\n' && s_[i_] != '\r') {
          if (s_[i_] == '"') {
            skip_to_next_line();
            return fmt::format("field {} has a quote but does not start with one: quote the whole field and "
                               "double its quotes (\"a \"\"b\"\"\")",
                               fields.size() + 1);
          }
          field += s_[i_++];
        }
      }
      fields.push_back(std::move(field));
      if (i_ >= s_.size()) return "";
      if (s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (skip_line_break()) return "";
      const bool lone_cr = s_[i_] == '\r';
      skip_to_next_line();
      return lone_cr ? fmt::format("a carriage return (CR) not followed by a line feed after field {}", fields.size())
                     : fmt::format("text after the closing quote of field {}: expected ',' or the end of the line",
                                   fields.size());
    }
  }

  // A quoted field, the cursor on its opening quote; leaves it after the closing one.
  std::string read_quoted(std::string& field) {
    const int opened = line_;
    ++i_;
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        if (i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
          field += '"';
          i_ += 2;
          continue;
        }
        ++i_;
        return "";
      }
      if (c == '\n') ++line_;
      field += c;
      ++i_;
    }
    error_line_ = opened;
    return "a quoted field opened on this line is never closed (missing '\"')";
  }

  std::string_view s_;
  std::size_t i_ = 0;
  int line_ = 1;
  int error_line_ = 0;  // the line an error belongs to when not the record's first
};

}  // namespace

void read_csv(std::string_view text, const CsvRecordSink& on_record, const CsvErrorSink& on_error) {
  Reader(text).read(on_record, on_error);
}

CsvDocument parse_csv(std::string_view text) {
  CsvDocument doc;
  read_csv(
      text, [&](CsvRecord&& r) { doc.records.push_back(std::move(r)); },
      [&](LineError&& e) { doc.errors.push_back(std::move(e)); });
  return doc;
}

}  // namespace tally
