#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "backends/testing/test_database.h"
#include "csv/csv.h"
#include "exchange/exchange.h"

namespace malchin::exchange {
namespace {

namespace fs = std::filesystem;

const char* kHouseholds =
    "household_id,soum_code,bag,current_soum_code,herder,camels,horses,"
    "cattle,sheep,goats,cooperative,phone,lat,lon\n"
    "H1,18140,2,18140,1,3,12,20,250,180,\"Хөх тал, хоршоо\",99112233,"
    "48.7563,98.2831\n"
    "H2,18125,1,18110,1,0,5,8,90,60,,,,\n"
    "H3,51101,,,0,0,0,0,0,0,,88001122,,\n";

const char* kPersonsHeader =
    "register_no,household_id,family_name,father_name,given_name,sex,"
    "birth_date,relation,disability,herder,phone,bank_account\n";
const char* kPersons =
    "ИЗ85120320,H1,Боржигин,Батбаяр,Оюунчимэг,F,1985-12-03,head,0,1,"
    "99112233,5001234567\n"
    "ИЗ83051215,H1,Боржигин,Дорж,Батбаяр,M,1983-05-12,spouse,0,1,,\n"
    "ИЗ15220111,H1,Боржигин,Батбаяр,Тэмүүлэн,M,2015-02-01,child,1,0,,\n"
    "ИБ70010142,H2,Тайчууд,Цэрэн,Сүрэн,F,1970-01-01,head,0,1,,\n"
    "УБ99123151,H3,,Ганбат,Болд,M,1999-12-31,head,0,0,,1234567890\n";

class ExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("malchin_exchange_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = Open();
    ASSERT_NE(store_, nullptr);
    geo_ = *geo::Geography::Load();
  }
  void TearDown() override {
    stores_.clear();
    fs::remove_all(dir_);
  }
  // The register of a fresh database.
  registry::Repository* Open() {
    auto s = backends::testing::OpenTestStore();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (!s.ok()) return nullptr;
    stores_.push_back(std::move(*s));
    return &stores_.back().session->Get<registry::Repository>();
  }
  int64_t Active(bool persons) {
    auto c = store_->CountActive();
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return !c.ok() ? -1 : persons ? c->persons : c->households;
  }
  ImportReport Import(registry::Repository& s, const std::string& hh,
                      const std::string& p, ImportOptions opt = {}) {
    opt.today = *Date::Parse("2020-01-01");
    auto r = ImportRegister(s, *geo_, {"households.csv", hh},
                            {"persons.csv", p}, opt);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return *r;
  }
  static std::string Slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::string Errors(const ImportReport& r) {
    std::string s;
    for (const auto& e : r.errors) s += e.ToString() + "\n";
    return s;
  }

  fs::path dir_;
  std::vector<backends::testing::TestStore> stores_;
  registry::Repository* store_ = nullptr;
  std::shared_ptr<const geo::Geography> geo_;
};

TEST_F(ExchangeTest, ImportsAndReimportChangesNothing) {
  auto r = Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons);
  ASSERT_TRUE(r.errors.empty()) << Errors(r);
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.counts.households_inserted, 3);
  EXPECT_EQ(r.counts.persons_inserted, 5);
  auto again =
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons);
  EXPECT_EQ(again.counts, (registry::WriteCounts{0, 0, 3, 0, 0, 5}));
  auto h = store_->FindHousehold("H3");
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ((*h)->current_soum_code, 51101);  // Defaults to soum_code.
  EXPECT_EQ((*store_->FindHousehold("H1"))->cooperative, "Хөх тал, хоршоо");
}

// The progress a job reports: every pass, then the rows as they are
// written, never going back, ending at 100%.
TEST_F(ExchangeTest, ReportsProgressThroughEveryPass) {
  std::vector<std::pair<double, std::string>> seen;
  ImportOptions opt;
  opt.progress = [&](double f, const std::string& phase) {
    seen.emplace_back(f, phase);
  };
  auto r =
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons, opt);
  ASSERT_TRUE(r.written) << Errors(r);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front(),
            std::make_pair(0.0, std::string("checking households")));
  EXPECT_EQ(seen.back(), std::make_pair(1.0, std::string("done")));
  std::vector<std::string> phases;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (i > 0) {
      EXPECT_GE(seen[i].first, seen[i - 1].first) << seen[i].second;
    }
    phases.push_back(seen[i].second);
  }
  EXPECT_EQ(phases, (std::vector<std::string>{
                        "checking households", "checking persons",
                        "looking for possible duplicates", "writing households",
                        "writing households: 0 of 3 rows",
                        "writing persons: 0 of 5 rows", "committing", "done"}));
  // A failed import ends where it stopped: never at "done".
  seen.clear();
  auto bad = Import(*store_, kHouseholds,
                    std::string(kPersonsHeader) + "not,a,valid,row\n", opt);
  EXPECT_FALSE(bad.written);
  ASSERT_FALSE(seen.empty());
  EXPECT_NE(seen.back().second, "done");
}

TEST_F(ExchangeTest, ExportImportRoundTripsExactly) {
  ASSERT_TRUE(
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons)
          .written);
  auto c = ExportRegister(*store_, {}, (dir_ / "out1").string());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->households, 3);
  EXPECT_EQ(c->persons, 5);
  auto fresh = Open();
  ASSERT_NE(fresh, nullptr);
  auto r = Import(*fresh, Slurp(dir_ / "out1/households.csv"),
                  Slurp(dir_ / "out1/persons.csv"));
  ASSERT_TRUE(r.errors.empty()) << Errors(r);
  ASSERT_TRUE(ExportRegister(*fresh, {}, (dir_ / "out2").string()).ok());
  EXPECT_EQ(Slurp(dir_ / "out1/households.csv"),
            Slurp(dir_ / "out2/households.csv"));
  EXPECT_EQ(Slurp(dir_ / "out1/persons.csv"), Slurp(dir_ / "out2/persons.csv"));
  // Exporting one soum contains only it.
  auto one = ExportRegister(*store_, {0, 18125}, (dir_ / "soum").string());
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->households, 1);
  EXPECT_EQ(one->persons, 1);
  EXPECT_EQ(Slurp(dir_ / "soum/persons.csv").find("ИЗ85120320"),
            std::string::npos);
}

TEST_F(ExchangeTest, EveryBadRowIsReportedAndNothingIsWritten) {
  std::string persons = std::string(kPersonsHeader) + kPersons +
                        // line 7: wrong sex code and date disagreeing
                        "ИЗ85120321,H1,Боржигин,Батбаяр,Сараа,X,1985-12-04,"
                        "child,0,0,,\n"
                        // line 8: Latin name, bad flag, bad relation
                        "ИЗ10220220,H2,,Bat,Saraa,F,2010-02-02,cousin,2,0,,\n"
                        // line 9: unknown household, bad phone
                        "ИЗ11220220,H9,,Бат,Сараа,F,2011-02-02,child,0,0,12,\n"
                        // line 10: register number disagrees with sex
                        "ИЗ12220220,H2,,Бат,Сараа,M,2012-02-02,child,0,0,,\n";
  std::string households = std::string(kHouseholds) +
                           // line 5: not a soum, negative sheep
                           "H4,181,,,1,0,0,0,-5,0,,,,\n";
  auto r = Import(*store_, households, persons);
  EXPECT_FALSE(r.written);
  EXPECT_EQ(Active(true), 0);
  EXPECT_EQ(Active(false), 0);
  std::string all = Errors(r);
  for (const char* expected :
       {"persons.csv line 7, sex: 'X' - expected F or M",
        "persons.csv line 8, given_name: 'Saraa'",
        "persons.csv line 8, disability: '2' - expected 0 or 1",
        "persons.csv line 8, relation: 'cousin'",
        "persons.csv line 9, household_id: 'H9'",
        "persons.csv line 9, phone: '12'",
        "persons.csv line 10, register_no: 'ИЗ12220220' - expected register "
        "number ИЗ12220220 encodes sex female",
        "households.csv line 5, soum_code: '181'",
        "households.csv line 5, sheep: '-5'"}) {
    EXPECT_NE(all.find(expected), std::string::npos)
        << "missing: " << expected << "\nin:\n"
        << all;
  }
  EXPECT_EQ(r.rejected_persons, 4);
  EXPECT_EQ(r.rejected_households, 1);
}

TEST_F(ExchangeTest, KeepValidWritesGoodRowsAndARejectsFolder) {
  std::string persons = std::string(kPersonsHeader) + kPersons +
                        "ИЗ10220220,H2,,Bat,Saraa,F,2010-02-02,child,0,0,,\n";
  ImportOptions opt;
  opt.keep_valid = true;
  opt.rejects_dir = (dir_ / "rejects").string();
  auto r = Import(*store_, kHouseholds, persons, opt);
  EXPECT_TRUE(r.written);
  EXPECT_EQ(r.counts.persons_inserted, 5);
  EXPECT_EQ(r.rejected_persons, 1);
  std::string rejects = Slurp(dir_ / "rejects/persons.csv");
  EXPECT_NE(rejects.find("ИЗ10220220"), std::string::npos);
  EXPECT_NE(rejects.find(",error\n"), std::string::npos);
  EXPECT_NE(Slurp(dir_ / "rejects/errors.csv").find("given_name"),
            std::string::npos);
}

TEST_F(ExchangeTest, FileLevelProblemsAreClearErrors) {
  std::string p = std::string(kPersonsHeader) + kPersons;
  // CP1251 bytes for "Бат".
  auto cp1251 = Import(*store_, kHouseholds,
                       std::string(kPersonsHeader) +
                           "ИЗ85120320,H1,,\xC1\xE0\xF2,x,F,1985-12-03,head,0,"
                           "0,,\n");
  ASSERT_EQ(cp1251.errors.size(), 1u);
  EXPECT_NE(cp1251.errors[0].ToString().find("not UTF-8"), std::string::npos);
  EXPECT_NE(cp1251.errors[0].ToString().find("line 2"), std::string::npos);

  auto empty = Import(*store_, "", p);
  ASSERT_EQ(empty.errors.size(), 1u);
  EXPECT_NE(empty.errors[0].ToString().find("empty"), std::string::npos);

  auto truncated = Import(*store_, kHouseholds, p + "ИЗ90010122,H1,\"Боржиги");
  ASSERT_FALSE(truncated.errors.empty());
  EXPECT_NE(truncated.errors[0].ToString().find("ends inside a quoted field"),
            std::string::npos);

  auto huge = Import(*store_, kHouseholds,
                     p + "ИЗ90010122,H1," + std::string(100000, 'x') + "\n");
  ASSERT_FALSE(huge.errors.empty());
  EXPECT_NE(huge.errors[0].ToString().find("longer than"), std::string::npos);

  auto missing = Import(*store_, "household_id,herder\nH1,1\n", p);
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_NE(missing.errors[0].ToString().find("missing required column(s): "
                                              "soum_code"),
            std::string::npos);
  EXPECT_EQ(Active(false), 0);
}

TEST_F(ExchangeTest, ExtraColumnsAndAnyOrderAndBom) {
  std::string hh =
      "\xEF\xBB\xBFnote,herder,soum_code,household_id\nhello,1,18140,H1\n";
  std::string p =
      "given_name,father_name,register_no,household_id,sex,birth_date,"
      "relation\nОюунчимэг,Батбаяр,ИЗ85120320,H1,F,1985-12-03,head\n";
  auto r = Import(*store_, hh, p);
  ASSERT_TRUE(r.errors.empty()) << Errors(r);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("'note'"), std::string::npos);
  EXPECT_EQ(r.counts.persons_inserted, 1);
}

TEST_F(ExchangeTest, DuplicatesAreReportedNeverMerged) {
  ASSERT_TRUE(
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons)
          .written);
  // Same register number twice: an error on both rows.
  std::string twice = std::string(kPersonsHeader) +
                      "ИЗ10220220,H2,,Бат,Сараа,F,2010-02-02,child,0,0,,\n"
                      "ИЗ10220220,H2,,Бат,Сараа,F,2010-02-02,child,0,0,,\n";
  auto r1 = Import(*store_, kHouseholds, twice);
  EXPECT_FALSE(r1.written);
  EXPECT_EQ(r1.rejected_persons, 2);
  ASSERT_FALSE(r1.duplicates.empty());
  EXPECT_EQ(r1.duplicates[0].kind, Duplicate::Kind::kRegisterNumberTwiceInFile);
  // The head of H1 again, under another number with a Latin-variant name:
  // reported for review against the stored person.
  std::string again = std::string(kPersonsHeader) +
                      "ИЕ85120320,H2,,Батбаяр,Оюунчимэг,F,1985-12-03,"
                      "sibling,0,0,,\n";
  auto r2 = Import(*store_, kHouseholds, again);
  ASSERT_TRUE(r2.errors.empty()) << Errors(r2);
  ASSERT_EQ(r2.duplicates.size(), 1u);
  EXPECT_EQ(r2.duplicates[0].kind, Duplicate::Kind::kNameAndBirthInRegister);
  EXPECT_EQ(r2.duplicates[0].other_register_no, "ИЗ85120320");
  EXPECT_EQ(Active(true), 6);  // Not merged.
}

TEST_F(ExchangeTest, OneHeadPerHousehold) {
  std::string p = std::string(kPersonsHeader) + kPersons +
                  "ИЗ90010122,H1,,Бат,Дорж,F,1990-01-01,head,0,0,,\n";
  auto r = Import(*store_, kHouseholds, p);
  EXPECT_FALSE(r.written);
  EXPECT_NE(Errors(r).find("one head per household"), std::string::npos);
  ASSERT_TRUE(
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons)
          .written);
  // A new head for a stored household whose head stays: refused.
  auto r2 = Import(*store_, kHouseholds,
                   std::string(kPersonsHeader) +
                       "ИЗ90010122,H1,,Бат,Дорж,F,1990-01-01,head,0,0,,\n");
  EXPECT_FALSE(r2.written);
  EXPECT_NE(Errors(r2).find("already has head ИЗ85120320 in the register"),
            std::string::npos);
}

TEST_F(ExchangeTest, AMoveIsAnUpdate) {
  ASSERT_TRUE(
      Import(*store_, kHouseholds, std::string(kPersonsHeader) + kPersons)
          .written);
  auto r = Import(*store_, kHouseholds,
                  std::string(kPersonsHeader) +
                      "ИЗ15220111,H2,Боржигин,Батбаяр,Тэмүүлэн,M,2015-02-01,"
                      "grandchild,1,0,,\n");
  ASSERT_TRUE(r.errors.empty()) << Errors(r);
  EXPECT_EQ(r.counts.persons_updated, 1);
  EXPECT_EQ(r.counts.persons_inserted, 0);
  EXPECT_EQ((*store_->FindPerson("ИЗ15220111"))->household_id, "H2");
}

// Files given by path are streamed from disk and give the same report and
// the same register as the same content in memory, errors included.
TEST_F(ExchangeTest, StreamingFromFilesMatchesInMemory) {
  auto write = [&](const std::string& name, const std::string& data) {
    std::ofstream(dir_ / name, std::ios::binary) << data;
    return (dir_ / name).string();
  };
  std::string bad_persons =
      std::string(kPersonsHeader) + kPersons +
      "ИЗ85120321,H1,Боржигин,Батбаяр,Сараа,X,1985-12-04,child,0,0,,\n"
      "ИЗ90010122,H1,,Бат,Дорж,F,1990-01-01,head,0,0,,\n"
      "ИЗ10220220,H2,,Бат,Сараа,F,2010-02-02,child,0,0,,\n"
      "ИЗ10220220,H2,,Бат,Сараа,F,2010-02-02,child,0,0,,\n"
      "ИЗ11220220,H9,,Бат,Сараа,F,2011-02-02,child,0,0,,\n"
      "ИЕ85120320,H2,,Батбаяр,Оюунчимэг,F,1985-12-03,sibling,0,0,,\n";
  std::string hh_path = write("households.csv", kHouseholds);
  std::string p_path = write("persons.csv", bad_persons);
  ImportOptions opt;
  opt.today = *Date::Parse("2020-01-01");
  auto mem = ImportRegister(*store_, *geo_, {"households.csv", kHouseholds},
                            {"persons.csv", bad_persons}, opt);
  auto disk = ImportRegister(*store_, *geo_, {"households.csv", "", hh_path},
                             {"persons.csv", "", p_path}, opt);
  ASSERT_TRUE(mem.ok() && disk.ok());
  EXPECT_FALSE(disk->written);
  EXPECT_EQ(Errors(*disk), Errors(*mem));
  EXPECT_FALSE(disk->errors.empty());
  ASSERT_EQ(disk->duplicates.size(), mem->duplicates.size());
  for (size_t i = 0; i < disk->duplicates.size(); ++i) {
    EXPECT_EQ(disk->duplicates[i].ToString(), mem->duplicates[i].ToString());
  }
  // The register number twice and the same name and birth date as line 2
  // (line 12) are both listed.
  EXPECT_EQ(disk->duplicates.size(), 2u);
  EXPECT_EQ(disk->rejected_persons, mem->rejected_persons);
  EXPECT_EQ(Active(true), 0);
  // Keep-valid from disk: valid rows written, rejects from the files.
  opt.keep_valid = true;
  opt.rejects_dir = (dir_ / "rejects").string();
  auto kept = ImportRegister(*store_, *geo_, {"households.csv", "", hh_path},
                             {"persons.csv", "", p_path}, opt);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_TRUE(kept->written);
  EXPECT_EQ(kept->counts.persons_inserted, 6);
  std::string rejects = Slurp(dir_ / "rejects/persons.csv");
  EXPECT_NE(rejects.find("ИЗ11220220"), std::string::npos);
  EXPECT_NE(rejects.find("ИЗ10220220"), std::string::npos);
  EXPECT_EQ(rejects.find("ИЕ85120320"), std::string::npos);
  // A clean re-import from disk changes nothing.
  auto again = ImportRegister(
      *store_, *geo_, {"households.csv", "", hh_path},
      {"persons.csv", "",
       write("p2.csv", std::string(kPersonsHeader) + kPersons)},
      ImportOptions{false, "", *Date::Parse("2020-01-01"), "cli", {}});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->errors.empty()) << Errors(*again);
  EXPECT_EQ(again->counts, (registry::WriteCounts{0, 0, 3, 0, 0, 5}));
  // A file that is not there is a clear error.
  auto missing = ImportRegister(*store_, *geo_, {"households.csv", "", hh_path},
                                {"persons.csv", "", p_path + ".nope"}, opt);
  ASSERT_TRUE(missing.ok());
  ASSERT_FALSE(missing->errors.empty());
  EXPECT_NE(missing->errors[0].ToString().find("cannot open"),
            std::string::npos);
}

}  // namespace
}  // namespace malchin::exchange
