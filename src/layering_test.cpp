// The architecture, checked: storage engines stay inside src/backends, the
// store contract knows no capability, and only the composition (api, cli)
// and tests reach for an engine.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace malchin {
namespace {

namespace fs = std::filesystem;

struct Include {
  std::string file;  // Relative to src/.
  std::string header;
};

// The header an #include line names (<h> or "h"), or "" for any other
// line. (Parsed by hand: std::regex trips GCC 12's maybe-uninitialized
// warning under the sanitizers.)
std::string IncludedHeader(const std::string& line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string::npos || line[i] != '#') return "";
  i = line.find_first_not_of(" \t", i + 1);
  if (i == std::string::npos || line.compare(i, 7, "include") != 0) return "";
  i = line.find_first_not_of(" \t", i + 7);
  if (i == std::string::npos || (line[i] != '<' && line[i] != '"')) return "";
  const size_t end = line.find(line[i] == '<' ? '>' : '"', i + 1);
  if (end == std::string::npos || end == i + 1) return "";
  return line.substr(i + 1, end - i - 1);
}

std::vector<Include> AllIncludes() {
  std::vector<Include> out;
  const fs::path src = fs::path(MALCHIN_SOURCE_DIR) / "src";
  for (const auto& e : fs::recursive_directory_iterator(src)) {
    if (!e.is_regular_file()) continue;
    std::string ext = e.path().extension().string();
    if (ext != ".cpp" && ext != ".h" && ext != ".in") continue;
    std::ifstream in(e.path());
    std::string line;
    while (std::getline(in, line)) {
      std::string header = IncludedHeader(line);
      if (!header.empty()) {
        out.push_back({fs::relative(e.path(), src).string(), header});
      }
    }
  }
  return out;
}

bool Under(const std::string& file, const std::string& dir) {
  return file.rfind(dir + "/", 0) == 0;
}

bool IsTest(const std::string& file) {
  return file.find("_test.cpp") != std::string::npos ||
         file.find("test_server") != std::string::npos ||
         file.find("test_fixture") != std::string::npos ||
         file.find("/fuzz/") != std::string::npos;
}

TEST(LayeringTest, EngineHeadersStayInsideTheBackends) {
  auto includes = AllIncludes();
  ASSERT_GT(includes.size(), 100u);
  for (const Include& i : includes) {
    bool engine = i.header == "sqlite3.h" || i.header.rfind("pqxx/", 0) == 0 ||
                  i.header == "libpq-fe.h";
    if (engine) {
      EXPECT_TRUE(Under(i.file, "backends"))
          << i.file << " includes the engine header " << i.header;
    }
  }
}

TEST(LayeringTest, OnlyTheCompositionAndTestsReachTheBackends) {
  for (const Include& i : AllIncludes()) {
    if (i.header.rfind("backends/", 0) != 0) continue;
    bool allowed = Under(i.file, "backends") || Under(i.file, "api") ||
                   Under(i.file, "cli") || IsTest(i.file);
    EXPECT_TRUE(allowed) << i.file << " includes " << i.header
                         << ": capabilities receive sessions, they never "
                            "open engines";
    if (Under(i.file, "api") || Under(i.file, "cli")) {
      bool engine_private = i.header.rfind("backends/sqlite/", 0) == 0 ||
                            i.header.rfind("backends/postgres/", 0) == 0;
      EXPECT_FALSE(engine_private && !IsTest(i.file))
          << i.file << " includes " << i.header
          << ": the composition opens databases through backends/open.h";
    }
  }
}

TEST(LayeringTest, TheStoreContractKnowsNoCapability) {
  for (const Include& i : AllIncludes()) {
    if (!Under(i.file, "store")) continue;
    // Only the project's own headers (src/<folder>/...) are judged.
    size_t slash = i.header.find('/');
    if (slash == std::string::npos) continue;
    const fs::path folder =
        fs::path(MALCHIN_SOURCE_DIR) / "src" / i.header.substr(0, slash);
    if (!fs::is_directory(folder)) continue;
    bool ok =
        i.header.rfind("store/", 0) == 0 || i.header.rfind("core/", 0) == 0;
    EXPECT_TRUE(ok) << i.file << " includes " << i.header;
  }
}

}  // namespace
}  // namespace malchin
