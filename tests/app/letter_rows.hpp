// Rows for RowBuffer's tests (csv_writers_test, direct_file_test): each of one letter, the next
// row's letter the next in the alphabet, so that a row lost, cut or out of order shows.
#pragma once

#include <cstddef>
#include <string>

#include "app/csv_writers.hpp"

namespace synlab::test {

// Writes a row of `n` times `letter`, given more room than it takes (`most`) as the writers do;
// appends it with its line end to `expected` and moves `letter` on (z wraps to a).
inline void put_letter_row(app::RowBuffer& rows, std::size_t n, char& letter,
                           std::string& expected) {
  const char c = letter;
  rows.row(n + 20, [&](char* p) {
    for (std::size_t i = 0; i < n; ++i) *p++ = c;
    return p;
  });
  expected += std::string(n, c) + '\n';
  letter = letter == 'z' ? 'a' : static_cast<char>(letter + 1);
}

}  // namespace synlab::test
