// Feeds seeds and random mutations of them through the same entry points as
// the libFuzzer targets (fuzz/), so a plain GCC build in CI exercises them
// briefly (and under ASan/UBSan in the sanitizer build).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "api/fuzz/fuzz_inputs.h"

namespace malchin::api::fuzz {
namespace {

std::string Mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> op(0, 5), byte(0, 255);
  int n = 1 + static_cast<int>(rng() % 8);
  for (int i = 0; i < n; ++i) {
    size_t at = s.empty() ? 0 : rng() % s.size();
    switch (op(rng)) {
      case 0:
        if (!s.empty()) s[at] = static_cast<char>(byte(rng));
        break;
      case 1:
        s.insert(at, 1, static_cast<char>(byte(rng)));
        break;
      case 2:
        if (!s.empty()) s.erase(at, 1 + rng() % 4);
        break;
      case 3:
        s.insert(at, s.substr(at, rng() % 16));
        break;
      case 4:
        s.insert(at, std::string(1 + rng() % 40, "[{\",:\\\n"[rng() % 7]));
        break;
      default:
        if (!s.empty()) s.resize(rng() % s.size());
    }
  }
  return s;
}

void Replay(const std::vector<std::string>& seeds,
            void (*target)(const uint8_t*, size_t), int rounds) {
  std::mt19937 rng(20261129);
  for (const auto& s : seeds) {
    target(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  for (int i = 0; i < rounds; ++i) {
    std::string m = Mutate(seeds[rng() % seeds.size()], rng);
    target(reinterpret_cast<const uint8_t*>(m.data()), m.size());
  }
}

TEST(FuzzReplayTest, RequestDecoding) {
  std::vector<std::string> seeds = {
      "",
      "{}",
      R"({"household":{"household_id":"T1","soum_code":18140,"herder":true,"sheep":10,"lat":48.5},"members":[{"register_no":"ИЗ85120320","father_name":"Бат","given_name":"Сараа","sex":"F","birth_date":"1985-12-03","relation":"head"}]})",
      R"({"register_no":"ИЗ85120320","father_name":"Бат","given_name":"Сараа","sex":"F","birth_date":"1985-12-03","relation":"head","disability":false})",
      "/api/v1/households?q=%D0%91%D0%B0%D1%82&page=2&soum=18140",
      std::string(64, 'a'),
      "\xff\xfe{\"a\":1}",
      std::string(200, '[')};
  Replay(seeds, &DecodeRequest, 20000);
}

TEST(FuzzReplayTest, CsvImport) {
  std::string hh =
      "household_id,soum_code,bag,current_soum_code,herder,camels,horses,"
      "cattle,sheep,goats,cooperative,phone,lat,lon\n"
      "T1,18140,1,18140,1,0,2,3,100,20,,99112233,48.5,98.1\n";
  std::string p =
      "register_no,household_id,family_name,father_name,given_name,sex,"
      "birth_date,relation,disability,herder,phone,bank_account\n"
      "ИЗ85120320,T1,Боржигин,Бат,Сараа,F,1985-12-03,head,0,1,99112233,\n";
  std::vector<std::string> seeds = {
      hh + std::string(1, '\0') + p, "\xEF\xBB\xBF" + hh + std::string(1, '\0'),
      std::string(1, '\0') + p, "\"a\"\"b\",\"\n\0x"};
  Replay(seeds, &ImportCsv, 1500);
}

}  // namespace
}  // namespace malchin::api::fuzz
