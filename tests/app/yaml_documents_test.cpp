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

// YAML 1.2 §7.3.1 (double quotes: \ escapes) and §7.3.2 (single quotes: '' is one quote).
TEST_CASE("a quoted scalar closes, or runs to the end of the text") {
  using synlab::app::quote_closes;
  CHECK(quote_closes(R"(name: "abc")", 6));
  CHECK(quote_closes("name: 'abc'", 6));
  CHECK(quote_closes("a: \"x\ny\"\n", 3));  // over two lines: still closed
  CHECK(quote_closes(R"(a: "x\"y")", 3));   // \" is not the end; the last " is
  CHECK(quote_closes(R"(a: "x\\")", 3));    // \\ is one backslash: the " after it ends
  CHECK(quote_closes("a: 'it''s'", 3));     // '' is one quote
  CHECK_FALSE(quote_closes("name: \"p6\nnodes: [a]\n", 6));
  CHECK_FALSE(quote_closes(R"(a: "x\")", 3));  // the only " after it is escaped
  CHECK_FALSE(quote_closes("a: 'it''s", 3));   // '' is a quote inside, not the end
  CHECK_FALSE(quote_closes("a: '", 3));
  CHECK_FALSE(quote_closes("", 0));
}
