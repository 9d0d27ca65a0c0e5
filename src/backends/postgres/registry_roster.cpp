// The register as rules see it (registry::Roster) on PostgreSQL: two
// cursors on one snapshot, each row going straight into the roster's
// columns (no row objects in between).
#include <limits>

#include "backends/postgres/registry_rows.h"

namespace malchin::backends::postgres {
namespace {

std::string_view View(const pqxx::field& f) { return {f.c_str(), f.size()}; }

}  // namespace

Result<registry::Roster> LoadPgRoster(PgSession& s,
                                      const store::AreaFilter& area) {
  registry::Roster r;
  registry::Population& pop = r.population;
  // Households by row id; persons refer to them by row id.
  std::vector<int32_t> index_of_row;
  PgArea a = s.Area(area, "h.soum_code", 1);
  // The whole country's persons need no condition on their households
  // (those outside the area or inactive are skipped below); a part of it
  // is found through its households.
  const bool national = a.key == "#n";
  std::vector<PgValue> person_params;
  std::string in_area;
  if (!national) {
    in_area =
        " AND p.hh IN (SELECT h.hh FROM households h WHERE h.deactivated_on "
        "IS NULL AND " +
        a.sql + ")";
    person_params.push_back(ToPg(a.value));
  }
  MALCHIN_RETURN_IF_ERROR(s.Read([&]() -> Status {
    r = registry::Roster();  // The body may run again.
    index_of_row.clear();
    registry::Household h;
    MALCHIN_RETURN_IF_ERROR(ForEachRow(
        s, "registry.roster_households" + a.key,
        "SELECT h.hh, h.id, h.soum_code, h.current_soum_code, h.herder, "
        "h.camels, h.horses, h.cattle, h.sheep, h.goats FROM households h "
        "WHERE h.deactivated_on IS NULL AND " +
            a.sql + " ORDER BY h.hh",
        {ToPg(a.value)}, [&](const pqxx::row& row) -> Status {
          int64_t id = PgInt(row[0]);
          if (id < 0 || id > std::numeric_limits<int32_t>::max()) {
            return Status::DataLoss("household row id " + std::to_string(id) +
                                    " is out of range");
          }
          if (id >= static_cast<int64_t>(index_of_row.size())) {
            index_of_row.resize(id + 1, -1);
          }
          index_of_row[id] = static_cast<int32_t>(pop.households());
          h.id = View(row[1]);
          h.soum_code = static_cast<int32_t>(PgInt(row[2]));
          h.current_soum_code = static_cast<int32_t>(PgInt(row[3]));
          h.herder = PgBool(row[4]);
          for (int i = 0; i < registry::kSpeciesCount; ++i) {
            h.herd.head[i] = static_cast<int32_t>(PgInt(row[5 + i]));
          }
          pop.AddHousehold(h);
          return Status::Ok();
        }));
    registry::Person p;
    return ForEachRow(
        s, "registry.roster_persons" + a.key,
        "SELECT p.pid, p.hh, p.sex, p.born, p.relation, p.disability, "
        "p.herder, p.bank_account <> '' FROM persons p WHERE "
        "p.deactivated_on IS NULL" +
            in_area + " ORDER BY p.pid",
        person_params, [&](const pqxx::row& row) -> Status {
          int64_t hh = PgInt(row[1]);
          if (hh < 0 || hh >= static_cast<int64_t>(index_of_row.size()) ||
              index_of_row[hh] < 0) {
            return Status::Ok();  // Outside the area or inactive household.
          }
          p.sex = View(row[2]) == "M" ? registry::Sex::kMale
                                      : registry::Sex::kFemale;
          p.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(row[3])));
          auto rel = registry::ParseRelation(View(row[4]));
          p.relation = rel.ok() ? *rel : registry::Relation::kOther;
          p.disability = PgBool(row[5]);
          p.herder = PgBool(row[6]);
          pop.AddPerson(p, index_of_row[hh]);
          r.person_row.push_back(PgInt(row[0]));
          r.has_account.push_back(PgBool(row[7]));
          return Status::Ok();
        });
  }));
  return r;
}

}  // namespace malchin::backends::postgres
