// second_document_line (app/yaml_documents.hpp): YAML 1.2 §9.1's markers, read from the text.
#include "app/yaml_documents.hpp"

#include <doctest/doctest.h>

using synlab::app::second_document_line;

TEST_CASE("one document: a leading ---, a closing ..., comments and blank lines after it") {
  CHECK_FALSE(second_document_line("a: 1\nb: 2\n"));
  CHECK_FALSE(second_document_line("# c\n---\na: 1\n...\n"));
  CHECK_FALSE(second_document_line("--- {a: 1}\n"));
  CHECK_FALSE(second_document_line("a: 1\n---\n# only a comment\n\n"));
  CHECK_FALSE(second_document_line("a: |\n  ---x\n  text\n"));  // not at the line's start
  CHECK_FALSE(second_document_line("a: ----\n---b: 1\n"));      // '---b' is no marker
  CHECK_FALSE(second_document_line(""));
}

TEST_CASE("a second document: its --- line, or the content after a ...") {
  CHECK(second_document_line("a: 1\n---\nb: 2\n") == 2u);
  CHECK(second_document_line("a: 1\n--- {b: 2}\n") == 2u);
  CHECK(second_document_line("a: 1\n---\n# c\nb: [unclosed\n") == 2u);  // broken: still found
  CHECK(second_document_line("---\na: 1\n---\r\nb: 2\r\n") == 3u);
  CHECK(second_document_line("a: 1\n...\nb: 2\n") == 3u);
  CHECK(second_document_line("a: 1\n...\n---\nb: 2\n") == 3u);
}
