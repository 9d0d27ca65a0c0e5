#include "backends/postgres/registry_rows.h"

namespace malchin::backends::postgres {
namespace {

// Rows per FETCH of ForEachRow: large enough that round trips do not
// count, small enough that a batch is a few megabytes.
constexpr int kFetchRows = 20000;

std::optional<registry::Deactivation> ReadDeactivation(const pqxx::row& row,
                                                       int col) {
  if (row[col].is_null()) return std::nullopt;
  return registry::Deactivation{PgDate(row[col]), PgText(row[col + 1])};
}

// The cursor of statement `name`: its name, quoted (statement names hold
// no double quote).
std::string CursorName(const std::string& name) { return '"' + name + '"'; }

}  // namespace

registry::Household ReadHousehold(const pqxx::row& row) {
  registry::Household h;
  h.id = PgText(row[0]);
  h.soum_code = static_cast<int32_t>(PgInt(row[1]));
  h.bag = PgText(row[2]);
  h.current_soum_code = static_cast<int32_t>(PgInt(row[3]));
  h.herder = PgBool(row[4]);
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    h.herd.head[i] = static_cast<int32_t>(PgInt(row[5 + i]));
  }
  h.cooperative = PgText(row[10]);
  h.phone = PgText(row[11]);
  h.lat = PgOptReal(row[12]);
  h.lon = PgOptReal(row[13]);
  h.deactivated = ReadDeactivation(row, 14);
  return h;
}

registry::Person ReadPerson(const pqxx::row& row) {
  registry::Person p;
  p.register_no = PgText(row[0]);
  p.household_id = PgText(row[1]);
  p.family_name = PgText(row[2]);
  p.father_name = PgText(row[3]);
  p.given_name = PgText(row[4]);
  p.sex = PgText(row[5]) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
  p.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(row[6])));
  auto rel = registry::ParseRelation(PgText(row[7]));
  if (rel.ok()) p.relation = *rel;
  p.disability = PgBool(row[8]);
  p.herder = PgBool(row[9]);
  p.phone = PgText(row[10]);
  p.bank_account = PgText(row[11]);
  p.deactivated = ReadDeactivation(row, 12);
  return p;
}

std::vector<PgValue> HouseholdFields(const registry::Household& h) {
  std::vector<PgValue> v = {ToPg(h.soum_code), ToPg(h.bag),
                            ToPg(h.current_soum_code), ToPg(h.herder)};
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    v.push_back(ToPg(h.herd.head[i]));
  }
  v.push_back(ToPg(h.cooperative));
  v.push_back(ToPg(h.phone));
  v.push_back(ToPg(h.lat));
  v.push_back(ToPg(h.lon));
  return v;
}

std::vector<PgValue> PersonFields(const registry::Person& p) {
  return {ToPg(p.family_name),
          ToPg(p.father_name),
          ToPg(p.given_name),
          ToPg(registry::SexCode(p.sex)),
          ToPg(p.birth_date.days()),
          ToPg(registry::RelationName(p.relation)),
          ToPg(p.disability),
          ToPg(p.herder),
          ToPg(p.phone),
          ToPg(p.bank_account)};
}

Status ForEachRow(PgSession& s, const std::string& name, const std::string& sql,
                  const std::vector<PgValue>& params,
                  const std::function<Status(const pqxx::row&)>& fn) {
  const std::string cursor = CursorName(name);
  return s.Read([&]() -> Status {
    // Compiling the plan's expressions (JIT) costs seconds and gains
    // nothing on rows that are only passed on, in order. For the rest of
    // the transaction.
    MALCHIN_RETURN_IF_ERROR(
        s.Prepared("registry.jit_off", "SELECT set_config('jit', 'off', true)")
            .status());
    MALCHIN_RETURN_IF_ERROR(
        s.Execute(name, "DECLARE " + cursor + " NO SCROLL CURSOR FOR " + sql,
                  params)
            .status());
    Status status = Status::Ok();
    for (bool more = true; more && status.ok();) {
      Result<pqxx::result> batch = s.Prepared(
          name + ".fetch",
          "FETCH FORWARD " + std::to_string(kFetchRows) + " FROM " + cursor);
      if (!batch.ok()) return batch.status();
      for (const pqxx::row& row : *batch) {
        status = fn(row);
        if (!status.ok()) break;
      }
      more = static_cast<int>(batch->size()) == kFetchRows;
    }
    // Closed also when `fn` stopped early: the caller's transaction may go
    // on, and the cursor's name is this statement's.
    Status closed = s.Prepared(name + ".close", "CLOSE " + cursor).status();
    MALCHIN_RETURN_IF_ERROR(status);
    return closed;
  });
}

}  // namespace malchin::backends::postgres
