#pragma once
/// @file table.hpp  A column table with optional point/polygon geometry (as WKB): the currency
/// between readers, the engine areas, writers and the Python bindings.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace infogap {

/// Type of a column.
enum class ColumnType : std::uint8_t { integer, real, text };

/// One column: values of one type plus a null mask (true = NULL).
struct Column {
  std::string name;
  ColumnType type = ColumnType::text;
  std::vector<std::int64_t> ints;  ///< used when type == integer
  std::vector<double> reals;       ///< used when type == real
  std::vector<std::string> texts;  ///< used when type == text
  std::vector<bool> null;          ///< one per row; empty = no NULLs
  bool flag = false;               ///< an integer column of 0/1 flags (files keep the integer; Python shows bool)
  /// Number of rows.
  std::size_t size() const noexcept;
  /// Whether row i is NULL.
  bool is_null(std::size_t i) const noexcept { return !null.empty() && null[i]; }
  /// Value of row i as text ("" for NULL; reals with up to 17 significant digits).
  std::string as_text(std::size_t i) const;
  /// Value of row i as a number (NaN for NULL or non-numeric text).
  double as_real(std::size_t i) const;
};

/// Geometry kinds a table may carry.
enum class GeometryKind : std::uint8_t { none, point, polygon, multipolygon, linestring };

/// A table of columns of equal length, plus optional geometry (ISO WKB, one per row; empty = NULL).
struct Table {
  std::vector<Column> columns;
  GeometryKind geometry_kind = GeometryKind::none;
  std::vector<std::vector<std::uint8_t>> wkb;  ///< one per row when geometry_kind != none
  std::vector<std::int64_t> fid;               ///< source feature ids (reader output); may be empty

  /// Number of rows (0 when there are no columns and no geometry).
  std::size_t rows() const noexcept;
  /// Index of a column or nullopt.
  std::optional<std::size_t> find(const std::string& name) const;
  /// Column by name; throws InvalidInput if absent.
  const Column& column(const std::string& name) const;

  /// Appends an integer / real / text column (values moved in). NULL masks optional.
  Column& add_integer(std::string name, std::vector<std::int64_t> values, std::vector<bool> null = {});
  Column& add_real(std::string name, std::vector<double> values, std::vector<bool> null = {});
  Column& add_text(std::string name, std::vector<std::string> values, std::vector<bool> null = {});
  /// Appends an integer column of 0/1 flags (Column::flag set).
  Column& add_flags(std::string name, const std::vector<std::uint8_t>& values);
};

}  // namespace infogap
