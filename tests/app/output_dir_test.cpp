// OutputDir (app/output_dir.hpp): the folders a run creates above OUTDIR go again when the run
// ends without output, unless something else came into them; a committed output keeps them.
#include "app/output_dir.hpp"

#include "tests/app/fresh_directory.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace synlab::app {
namespace {

namespace fs = std::filesystem;

TEST_CASE("an output that is never committed takes the folders it made with it") {
  const fs::path base = test::fresh_directory("synlab-output-dir-test");
  {
    const OutputDir dir(base / "new" / "deeper" / "out");
    CHECK(dir.created_parents() == 2);  // new and new/deeper; out itself is made by commit()
    CHECK(fs::is_directory(base / "new" / "deeper"));
  }
  CHECK(!fs::exists(base / "new"));
  CHECK(fs::is_directory(base));  // it was there before
  fs::remove_all(base);
}

TEST_CASE("a made folder that something else came into stays") {
  const fs::path base = test::fresh_directory("synlab-output-dir-test");
  {
    const OutputDir dir(base / "new" / "deeper" / "out");
    std::ofstream(base / "new" / "notes.txt") << "the user's\n";
  }
  CHECK(!fs::exists(base / "new" / "deeper"));
  CHECK(fs::exists(base / "new" / "notes.txt"));
  fs::remove_all(base);
}

TEST_CASE("folders that were there are not counted, and a committed output keeps its parents") {
  const fs::path base = test::fresh_directory("synlab-output-dir-test");
  fs::create_directories(base / "there");
  {
    OutputDir dir(base / "there" / "out");
    CHECK(dir.created_parents() == 0);
  }
  CHECK(fs::is_directory(base / "there"));
  {
    OutputDir dir(base / "made" / "out");
    CHECK(dir.created_parents() == 1);
    dir.commit();
  }
  CHECK(fs::is_directory(base / "made" / "out"));
  fs::remove_all(base);
}

// -o afile/sub, afile a file: the command's mistake (exit 2, OutputRefused) as for an OUTDIR that
// is a file; it was a failure to write (exit 3, "cannot create").
TEST_CASE("a file where a folder of OUTDIR's path must be is refused, and nothing is made") {
  const fs::path base = test::fresh_directory("synlab-output-dir-test");
  std::ofstream(base / "afile") << "the user's\n";
  for (const fs::path& target : {base / "afile" / "sub", base / "afile" / "a" / "b" / "out"}) {
    CAPTURE(target);
    try {
      const OutputDir dir(target);
      FAIL("accepted");
    } catch (const OutputRefused& e) {
      CHECK(std::string(e.what()) == "output directory " + target.string() + ": " +
                                         (base / "afile").string() + " is not a directory");
    }
  }
  CHECK(fs::is_regular_file(base / "afile"));
  fs::remove_all(base);
}

}  // namespace
}  // namespace synlab::app
