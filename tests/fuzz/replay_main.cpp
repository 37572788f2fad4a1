// Replays files through a fuzz harness's LLVMFuzzerTestOneInput, as libFuzzer does when given
// files: the regression folder runs as an ordinary test in every build (g++ included). A
// crash, a sanitizer report or an escaping exception fails it. Usage: replay FILE|DIR...
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::printf("replay %s (%zu bytes)\n", file.string().c_str(), bytes.size());
  std::fflush(stdout);
  (void)LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t files = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path arg = argv[i];
    if (std::filesystem::is_directory(arg)) {
      std::vector<std::filesystem::path> sorted;  // in name order: the same run every time
      for (const auto& entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file()) sorted.push_back(entry.path());
      std::sort(sorted.begin(), sorted.end());
      for (const auto& f : sorted) replay(f), ++files;
    } else {
      replay(arg);
      ++files;
    }
  }
  std::printf("replayed %zu files\n", files);
  return files > 0 ? 0 : 1;
}
