// Feeds the test data and random mutations of it through the fuzz entry
// points (fuzz/), so the plain GCC build in CI exercises them briefly (and
// under ASan/UBSan in the sanitizer build). Mutations come from the
// portable generator: the same inputs on every machine.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/random.h"
#include "csv/csv.h"
#include "pdm/fuzz/fuzz_inputs.h"

namespace malchin::pdm::fuzz {
namespace {

std::string Mutate(std::string s, Xoshiro256& rng) {
  const int n = 1 + static_cast<int>(rng.UniformBelow(8));
  for (int i = 0; i < n; ++i) {
    const size_t at = s.empty() ? 0 : rng.UniformBelow(s.size());
    switch (rng.UniformBelow(6)) {
      case 0:
        if (!s.empty()) s[at] = static_cast<char>(rng.UniformBelow(256));
        break;
      case 1:
        s.insert(at, 1, static_cast<char>(rng.UniformBelow(256)));
        break;
      case 2:
        if (!s.empty()) s.erase(at, 1 + rng.UniformBelow(4));
        break;
      case 3:
        s.insert(at, s.substr(at, rng.UniformBelow(64)));
        break;
      case 4:
        s.insert(at, std::string(1 + rng.UniformBelow(40),
                                 ";,\"\n\r{[<>/ "[rng.UniformBelow(11)]));
        break;
      default:
        if (!s.empty()) s.resize(rng.UniformBelow(s.size()));
    }
  }
  return s;
}

void Replay(const std::vector<std::string>& seeds,
            void (*target)(const uint8_t*, size_t), int rounds) {
  Xoshiro256 rng(20250312);
  for (const auto& s : seeds) {
    target(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  for (int i = 0; i < rounds; ++i) {
    const std::string m = Mutate(seeds[rng.UniformBelow(seeds.size())], rng);
    target(reinterpret_cast<const uint8_t*>(m.data()), m.size());
  }
}

std::string TestData(const std::string& name) {
  auto text = csv::ReadFile(std::string(MALCHIN_SOURCE_DIR) +
                            "/src/pdm/testdata/" + name);
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

TEST(FuzzReplay, KoboCsv) {
  Replay({TestData("kobo_semicolon.csv"), TestData("kobo_comma.csv"),
          "_uuid,respondent\nu1,HH001\n"},
         KoboCsv, 400);
}

TEST(FuzzReplay, KoboJson) {
  Replay(
      {TestData("kobo_api.json"),
       R"({"results":[{"_uuid":"u","respondent":"HH001","consent":"yes"}]})"},
      KoboJson, 400);
}

TEST(FuzzReplay, XlsFormSheet) {
  Replay(
      {R"(<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>type</t></is></c><c r="B1" t="inlineStr"><is><t>name</t></is></c><c r="C1" t="inlineStr"><is><t>label</t></is></c><c r="D1" t="inlineStr"><is><t>relevant</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>integer</t></is></c><c r="B2" t="inlineStr"><is><t>n</t></is></c><c r="C2" t="inlineStr"><is><t>N</t></is></c><c r="D2" t="inlineStr"><is><t>${n} &gt; 2 and not(selected(., 'a'))</t></is></c></row></sheetData></worksheet>)",
       R"(<sst><si><t>a</t></si><si><r><t>b</t></r></si></sst>)"},
      XlsFormSheet, 400);
}

}  // namespace
}  // namespace malchin::pdm::fuzz
