// The PostgreSQL schema's own rules: the name key function, append-only and
// frozen tables, the register version, the aimag columns, the constraints
// that protect money.
#include <gtest/gtest.h>

#include <random>

#include "backends/postgres/test_fixture.h"
#include "core/text.h"

namespace malchin::backends::postgres {
namespace {

using SchemaTest = PgTest;

// A household A1 (hh 1) in soum 18140 with one person (pid 1).
void AddHousehold(PgTest& t, PgSession& s) {
  (void)t;
  Result<pqxx::result> r = s.ExecuteOnce(
      "INSERT INTO households (hh, id, soum_code, current_soum_code, herder) "
      "VALUES (1, 'A1', 18140, 18140, true); INSERT INTO persons (pid, hh, "
      "aimag_code, register_no, father_name, given_name, sex, born, "
      "relation, disability, herder) VALUES (1, 1, 181, 'ИЗ85120320', "
      "'Бат', 'Болд', 'M', 5000, 'head', false, true)");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

std::string SqlKey(PgSession& s, const std::string& name) {
  auto r = s.Prepared("test.name_key", "SELECT malchin_name_key($1)", name);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? PgText((*r)[0][0]) : "<error>";
}

TEST_F(SchemaTest, TheSqlNameKeyIsTheCppNameKey) {
  auto s = Session();
  for (const char* name :
       {"Батбаяр",
        "Batbayar",
        "BATBAIAR",
        "Хонгорзул",
        "Khongorzul",
        "Hongorzul",
        "Өлзий",
        "Ulzii",
        "Olzii",
        "Ёндон",
        "Цэцэг-Очир",
        "Шинэбаяр",
        "Щука",
        "Ъъ",
        "Эрдэнэ",
        "Юлий",
        "Яаран",
        "Bö ü Ö Ü",
        "hkh",
        "khh",
        "kkh",
        "qh",
        "kqh",
        "Qwerty",
        "",
        "123 !?",
        "АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ",
        "абвгдеёжзийклмноөпрстуүфхцчшщъыьэюя",
        "aabbccddeeffgghhiijjkkllmmnnooppqqrrssttuuvvwwxxyyzz",
        "Ааааа Ннн Ээ Лл Ууу"}) {
    EXPECT_EQ(SqlKey(*s, name), text::NameKey(name)) << name;
  }
  // Random names from the letters that matter, where the steps interact.
  const std::vector<std::string> pieces = {
      "а", "Б", "х", "Х", "к", "h", "H", "k", "K", "y", "Y", "o", "O", "ө", "Ү",
      "у", "w", "q", "ц", "ё", "я", "ю", "ы", "ь", "ъ", "й", "э", "е", "ö", "Ü",
      "é", " ", "-", "s", "ш", "щ", "ч", "z", "i", "u", "1",
      // Repeated letters of each of the squeeze's three groups.
      "a", "bb", "Н", "н", "nn", "L", "л", "tt", "Т", "rr", "g", "v"};
  std::mt19937 rng(20250307);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, 12);
  for (int i = 0; i < 400; ++i) {
    std::string name;
    for (int n = length(rng); n > 0; --n) name += pieces[piece(rng)];
    ASSERT_EQ(SqlKey(*s, name), text::NameKey(name)) << name;
  }
}

TEST_F(SchemaTest, AppendOnlyAndFrozenTablesRefuseChanges) {
  auto s = Session();
  struct Refusal {
    const char* sql;
    const char* says;
  };
  for (const Refusal& r : std::vector<Refusal>{
           {"UPDATE insurance_entries SET note = ''", "append-only"},
           {"DELETE FROM insurance_remittances", "append-only"},
           {"TRUNCATE insurance_service_credits", "append-only"},
           {"DELETE FROM insurance_visits", "append-only"},
           {"UPDATE response_entitlements SET amount = 1", "frozen"},
           {"DELETE FROM response_entitlements", "never deleted"},
           {"UPDATE response_payroll_lines SET amount = 1", "never changed"},
           {"DELETE FROM response_payroll_lines", "never deleted"},
           {"TRUNCATE response_payments", "never deleted"},
           {"DELETE FROM rima_scores", "never deleted"}}) {
    Result<pqxx::result> res = s->ExecuteOnce(r.sql);
    EXPECT_EQ(res.status().code(), StatusCode::kFailedPrecondition) << r.sql;
    EXPECT_NE(res.status().message().find(r.says), std::string::npos)
        << r.sql << ": " << res.status().message();
  }
  // Payment statuses and scores do change.
  EXPECT_TRUE(
      s->ExecuteOnce("UPDATE response_payments SET status = 'paid'").ok());
  EXPECT_TRUE(s->ExecuteOnce("UPDATE rima_scores SET quintile = 1").ok());
}

TEST_F(SchemaTest, TheRegisterVersionMovesWithEveryCommittedChange) {
  auto s = Session();
  auto version = [&] {
    return One(*s, "SELECT changes || ':' || token FROM register_version");
  };
  std::string v0 = version();
  AddHousehold(*this, *s);
  std::string v1 = version();
  EXPECT_NE(v1, v0);
  Sql(*s, "UPDATE persons SET phone = '99112233' WHERE pid = 1");
  std::string v2 = version();
  EXPECT_NE(v2, v1);
  // A rolled-back change, and a change elsewhere, leave it.
  EXPECT_FALSE(s->Write([&]() -> Status {
                  Sql(*s, "UPDATE households SET bag = '2'");
                  return Status::Conflict("undo");
                }).ok());
  Sql(*s, "INSERT INTO meta VALUES ('k', 'v')");
  EXPECT_EQ(version(), v2);
  // One statement, one change, however many rows.
  Sql(*s, "UPDATE persons SET herder = false");
  EXPECT_EQ(One(*s, "SELECT changes FROM register_version"),
            std::to_string(std::stoll(v2.substr(0, v2.find(':'))) + 1));
}

// An import writes a statement per row in one transaction: the version
// moves once for all of them (migration 7), and the transaction knows it
// changed the register.
TEST_F(SchemaTest, TheRegisterVersionMovesOncePerTransaction) {
  auto s = Session();
  AddHousehold(*this, *s);
  std::string before = One(*s, "SELECT changes FROM register_version");
  ASSERT_TRUE(s->Write([&]() -> Status {
                 EXPECT_EQ(One(*s,
                               "SELECT current_setting("
                               "'malchin.register_changed', true) IS NOT "
                               "DISTINCT FROM 'on'"),
                           "f");
                 for (int i = 0; i < 50; ++i) {
                   Sql(*s, "UPDATE persons SET phone = '" + std::to_string(i) +
                               "' WHERE pid = 1");
                 }
                 EXPECT_EQ(One(*s,
                               "SELECT current_setting("
                               "'malchin.register_changed', true)"),
                           "on");
                 return Status::Ok();
               }).ok());
  EXPECT_EQ(One(*s, "SELECT changes FROM register_version"),
            std::to_string(std::stoll(before) + 1));
  // The mark ends with its transaction.
  EXPECT_EQ(One(*s,
                "SELECT coalesce(current_setting("
                "'malchin.register_changed', true), '')"),
            "");
}

TEST_F(SchemaTest, PersonsFollowTheirHouseholdsAimag) {
  auto s = Session();
  AddHousehold(*this, *s);
  Sql(*s, "UPDATE households SET soum_code = 18225 WHERE hh = 1");
  EXPECT_EQ(One(*s, "SELECT aimag_code FROM households WHERE hh = 1"), "182");
  EXPECT_EQ(One(*s, "SELECT aimag_code FROM persons WHERE pid = 1"), "182");
  Result<pqxx::result> wrong =
      s->ExecuteOnce("UPDATE persons SET aimag_code = 181 WHERE pid = 1");
  EXPECT_EQ(wrong.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(One(*s, "SELECT birth_date FROM persons WHERE pid = 1"),
            "1983-09-10");  // born 5000 days after 1970-01-01.
}

TEST_F(SchemaTest, MoneyIsProtectedByConstraints) {
  auto s = Session();
  AddHousehold(*this, *s);
  Sql(*s,
      "INSERT INTO response_events (id, code, type, name, source, reference, "
      "declared_on, starts_on, created_by, created_at) VALUES (1, 'E1', "
      "'dzud', 'Dzud', 'NEMA', 'r', '2025-01-10', '2025-01-10', 'a', 't'); "
      "INSERT INTO response_plans (id, code, event_id, kind, name, "
      "eligibility, amount, unit, cap_order, cutoff_on, starts_on, ends_on, "
      "status, prepared_by, prepared_at) VALUES (1, 'P1', 1, 'horizontal', "
      "'P', 'true', '100000', 'person', 'proportional', '2025-01-10', "
      "'2025-02-01', '2025-04-30', 'prepared', 'bold', 't'); INSERT INTO "
      "response_installments VALUES (1, 1, '2025-02-01'); INSERT INTO "
      "response_entitlements (id, plan_id, register_no, household_id, "
      "soum_code, sex, birth_date, disability, amount, payee_register_no, "
      "payee_name, account) VALUES (1, 1, 'ИЗ85120320', 'A1', 18140, 'M', "
      "'1983-09-10', false, 100000, 'ИЗ85120320', 'Болд', '5001'); INSERT "
      "INTO response_payrolls (id, plan_id, installment, status, "
      "generated_by, generated_at, lines, amount) VALUES (1, 1, 1, "
      "'generated', 'bold', 't', 1, 100000); INSERT INTO "
      "response_payroll_lines (payroll_id, plan_id, entitlement_id, "
      "aimag_code, installment, amount) VALUES (1, 1, 1, 181, 1, 100000)");
  auto code = [&](const std::string& sql) {
    return s->ExecuteOnce(sql).status().code();
  };
  // One line per beneficiary and installment.
  EXPECT_EQ(code("INSERT INTO response_payroll_lines (payroll_id, plan_id, "
                 "entitlement_id, aimag_code, installment, amount) VALUES "
                 "(1, 1, 1, 181, 1, 5)"),
            StatusCode::kAlreadyExists);
  // A line carries its entitlement's aimag.
  EXPECT_EQ(code("INSERT INTO response_payroll_lines (payroll_id, plan_id, "
                 "entitlement_id, aimag_code, installment, amount) VALUES "
                 "(1, 1, 1, 182, 2, 5)"),
            StatusCode::kFailedPrecondition);
  // Maker-checker, in the database.
  EXPECT_EQ(code("UPDATE response_plans SET status = 'approved', "
                 "approved_by = 'bold'"),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(code("UPDATE response_payrolls SET approved_by = 'bold'"),
            StatusCode::kFailedPrecondition);
  // A reversal may be recorded once.
  Sql(*s,
      "INSERT INTO insurance_entries (pid, aimag_code, scheme, first_month, "
      "months, paid_on, amount, due, method, recorded_at, actor) VALUES (1, "
      "181, 'social', 24300, 1, '2025-01-05', 19800, 19800, 'cash', 't', "
      "'a')");
  const std::string reversal =
      "INSERT INTO insurance_entries (pid, aimag_code, scheme, first_month, "
      "months, paid_on, amount, due, method, reverses, recorded_at, actor) "
      "SELECT 1, 181, 'social', 24300, 1, '2025-01-06', -19800, 0, 'cash', "
      "id, 't', 'a' FROM insurance_entries WHERE amount > 0";
  EXPECT_EQ(code(reversal), StatusCode::kOk);
  EXPECT_EQ(code(reversal), StatusCode::kAlreadyExists);
  // A remittance's allocation adds up.
  EXPECT_EQ(code("INSERT INTO insurance_remittances (payer, paid_on, amount, "
                 "allocated, unallocated, method, recorded_at, actor) "
                 "VALUES ('coop', '2025-01-05', 100, 60, 30, 'bank', 't', "
                 "'a')"),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace malchin::backends::postgres
