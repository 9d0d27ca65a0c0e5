// The coop conformance tests' register, written with raw SQL so that it
// needs no other capability's repository: households H1 (18140), H2
// (18140, two persons) and H3 (18125), each with a head.
#pragma once

#include <string>

#include "backends/testing/test_database.h"
#include "coop/repository.h"
#include "registry/register_number.h"

namespace malchin::conformance {

struct CoopRegister {
  // Register numbers and the store's person ids.
  std::string h1_head, h2_head, h2_spouse, h3_head;
  int64_t h1_head_pid = 1001, h2_head_pid = 1002, h2_spouse_pid = 1003,
          h3_head_pid = 1004;
};

// Writes the register above into `db` (`engine`'s dialect).
inline Status WriteCoopRegister(backends::testing::TestDatabase& db,
                                store::Engine engine, CoopRegister* out) {
  auto rn = [](const char* birth, registry::Sex sex, int serial) {
    return registry::MakeRegisterNumber("ИЗ", *Date::Parse(birth), sex, serial,
                                        0);
  };
  out->h1_head = rn("1985-12-03", registry::Sex::kFemale, 1);
  out->h2_head = rn("1995-02-10", registry::Sex::kMale, 2);
  out->h2_spouse = rn("1996-07-01", registry::Sex::kFemale, 3);
  out->h3_head = rn("1990-03-15", registry::Sex::kFemale, 4);
  const bool pg = engine == store::Engine::kPostgres;
  std::string sql =
      "INSERT INTO households (hh, id, soum_code, current_soum_code, herder, "
      "sheep) VALUES (101, 'H1', 18140, 18140, TRUE, 150), (102, 'H2', "
      "18140, 18140, TRUE, 100), (103, 'H3', 18125, 18125, TRUE, 80);";
  struct P {
    int64_t pid, hh;
    const std::string& rn;
    const char* sex;
    const char* birth;
    const char* relation;
  };
  const P persons[] = {
      {out->h1_head_pid, 101, out->h1_head, "F", "1985-12-03", "head"},
      {out->h2_head_pid, 102, out->h2_head, "M", "1995-02-10", "head"},
      {out->h2_spouse_pid, 102, out->h2_spouse, "F", "1996-07-01", "spouse"},
      {out->h3_head_pid, 103, out->h3_head, "F", "1990-03-15", "head"}};
  for (const P& p : persons) {
    sql += std::string("INSERT INTO persons (pid, hh, ") +
           (pg ? "aimag_code, " : "") +
           "register_no, father_name, given_name, sex, born, relation, "
           "disability, herder) VALUES (" +
           std::to_string(p.pid) + ", " + std::to_string(p.hh) + ", " +
           (pg ? "181, " : "") + "'" + p.rn + "', 'Бат', 'Сүх', '" + p.sex +
           "', " + std::to_string(Date::Parse(p.birth)->days()) + ", '" +
           p.relation + "', FALSE, TRUE);";
  }
  return backends::testing::ExecRawSql(db, sql);
}

}  // namespace malchin::conformance
