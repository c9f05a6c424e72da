#pragma once
// Private: picking rows of a table (the CSV view in rank order, a cut of a synthetic layer).
#include <cstddef>
#include <vector>

#include "infogap/table.hpp"

namespace infogap::detail {

/// The given rows of `table`, in the given order: every column (type, flag, NULL mask) and, when
/// the table has one, the geometry.
Table take_rows(const Table& table, const std::vector<std::size_t>& rows);

}  // namespace infogap::detail
