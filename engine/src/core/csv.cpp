#include "core/csv.hpp"

#include <charconv>
#include <cmath>

#include "core/atomic_file.hpp"
#include "infogap/csv.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {

namespace {

/// The first characters a spreadsheet would run as a formula.
bool formula_start(char c) {
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

}  // namespace

std::string csv_text_value(std::string_view field) {
  if (field.size() >= 2 && field.front() == '\'' && formula_start(field[1])) field.remove_prefix(1);
  return std::string(field);
}

std::string csv_text_field(std::string_view text) {
  std::string cell;
  cell.reserve(text.size() + 3);
  if (!text.empty() && formula_start(text.front()))
    cell += '\'';  // OWASP: shown as text by spreadsheets, not evaluated
  cell += text;
  const bool quote = cell.find_first_of(",\"\r\n") != std::string::npos ||
                     (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) return cell;
  std::string out = "\"";
  for (const char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string csv_number(double value, int decimals) {
  if (std::isnan(value)) return {};
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  std::string s(buf, res.ptr);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

CsvWriter::CsvWriter(const std::vector<std::string>& header) : m_columns(header.size()) {
  for (const auto& name : header) text(name);
  end_row();
}

void CsvWriter::separator() {
  if (m_cells++ > 0) m_out += ',';
}

CsvWriter& CsvWriter::text(std::string_view value) {
  separator();
  m_out += csv_text_field(value);
  return *this;
}

CsvWriter& CsvWriter::number(std::string_view formatted) {
  separator();
  m_out += formatted;
  return *this;
}

CsvWriter& CsvWriter::null() {
  separator();
  return *this;
}

void CsvWriter::end_row() {
  if (m_cells != m_columns)
    throw Error(ErrorCode::internal, "CSV row with " + std::to_string(m_cells) + " cells under a header of " +
                                         std::to_string(m_columns) + " columns");
  m_out += '\n';
  m_cells = 0;
}

void CsvWriter::write(const std::string& path) const {
  write_file_atomic(path, m_out);
}

void write_csv(const Table& table, const std::string& path, const CsvFormat& format) {
  std::vector<std::string> names;
  std::vector<int> decimals;
  for (const Column& c : table.columns) {
    names.push_back(c.name);
    const auto it = format.decimals.find(c.name);
    decimals.push_back(c.type == ColumnType::real && it != format.decimals.end() ? it->second : -1);
  }
  CsvWriter csv(names);
  const std::size_t rows = table.rows();
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < table.columns.size(); ++k) {
      const Column& c = table.columns[k];
      if (c.is_null(r)) {
        csv.null();
      } else if (c.type == ColumnType::text) {
        csv.text(c.texts[r]);
      } else if (decimals[k] >= 0) {
        csv.number(csv_number(c.reals[r], decimals[k]));
      } else {
        csv.number(c.as_text(r));
      }
    }
    csv.end_row();
  }
  csv.write(path);
}

}  // namespace infogap::detail

namespace infogap {

std::string csv_text_field(std::string_view text) {
  return detail::csv_text_field(text);
}

}  // namespace infogap
