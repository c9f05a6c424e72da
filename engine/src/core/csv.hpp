#pragma once
// Private: the one CSV writer of the engine (hamlet_gaps.csv, <group>_gaps.csv, proposed_sites.csv,
// rejects.csv, fields.csv). UTF-8 (no byte order mark), LF line ends, RFC 4180 quoting, NULL = empty
// field, written atomically (core/atomic_file).
//
// Spreadsheet formulas are neutralised (OWASP "CSV injection"): a text cell whose first character is
// = + - @ tab or CR gets a leading apostrophe, so Excel or LibreOffice shows `=HYPERLINK(…)` as text
// instead of running it. Number cells are written as given: -3 stays -3.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "infogap/table.hpp"

namespace infogap::detail {

/// A text cell as a CSV field: formula-neutralised (leading `'` before = + - @ tab CR), then quoted
/// when it holds a comma, a double quote, CR or LF, or starts or ends with a space (quotes doubled).
std::string csv_text_field(std::string_view text);

/// The text of a field as read back from such a file (the CSV quoting already undone by the
/// reader): without the apostrophe csv_text_field put before = + - @ tab CR.
std::string csv_text_value(std::string_view field);

/// Text of a real with at most `decimals` digits after the point, correctly rounded to the
/// nearest, in fixed notation (never 3.6e+07) and without trailing zeros: (36000000, 0) →
/// "36000000", (0.123456, 4) → "0.1235", (0.5, 4) → "0.5", (-0.00001, 2) → "0". NaN → "".
std::string csv_number(double value, int decimals);

/// Builds one CSV file row by row; write() puts it in place atomically.
class CsvWriter {
 public:
  /// A row of column names (text cells).
  explicit CsvWriter(const std::vector<std::string>& header);
  /// Appends a text cell (neutralised and quoted as csv_text_field).
  CsvWriter& text(std::string_view value);
  /// Appends a number already formatted (digits, sign, point, exponent): written unchanged.
  CsvWriter& number(std::string_view formatted);
  /// Appends a NULL (an empty field).
  CsvWriter& null();
  /// Ends the current row. @throws Error(internal) if it has a different number of cells than the header
  void end_row();
  /// The file's text so far.
  const std::string& str() const noexcept { return m_out; }
  /// Writes the file atomically. @throws IoError naming the file
  void write(const std::string& path) const;

 private:
  void separator();
  std::string m_out;
  std::size_t m_columns = 0;
  std::size_t m_cells = 0;  ///< cells in the current row
};

/// How write_csv formats a table's real columns.
struct CsvFormat {
  /// Column name → digits after the point (csv_number). Real columns not named here are written in
  /// their shortest round-trip form (Column::as_text).
  std::map<std::string, int> decimals;
};

/// Writes a table (its columns; the geometry is not written): integer and real columns as number
/// cells, text columns as text cells, NULL as an empty field. @throws IoError naming the file
void write_csv(const Table& table, const std::string& path, const CsvFormat& format = {});

}  // namespace infogap::detail
