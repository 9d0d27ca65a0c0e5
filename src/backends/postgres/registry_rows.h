// Rows of the register on PostgreSQL (schema: migration 0001), private to
// this engine's registry repository (registry_repository.cpp,
// registry_search.cpp, registry_bulk.cpp): the column lists, their readers
// and parameters, reading a large result in batches through a cursor, and
// the bulk loader.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "backends/postgres/session.h"
#include "registry/repository.h"

namespace malchin::backends::postgres {

// The household columns ReadHousehold reads, over households h.
inline constexpr std::string_view kHouseholdColumns =
    "h.id, h.soum_code, h.bag, h.current_soum_code, h.herder, h.camels, "
    "h.horses, h.cattle, h.sheep, h.goats, h.cooperative, h.phone, h.lat, "
    "h.lon, h.deactivated_on, h.deactivation_reason";

// The person columns ReadPerson reads, over persons p joined to households
// h (the household's id).
inline constexpr std::string_view kPersonColumns =
    "p.register_no, h.id, p.family_name, p.father_name, p.given_name, p.sex, "
    "p.born, p.relation, p.disability, p.herder, p.phone, p.bank_account, "
    "p.deactivated_on, p.deactivation_reason";

registry::Household ReadHousehold(const pqxx::row& row);
registry::Person ReadPerson(const pqxx::row& row);

// A household's stored fields after its id, in the order of the columns
// soum_code, bag, current_soum_code, herder, camels, horses, cattle, sheep,
// goats, cooperative, phone, lat, lon (13 values).
std::vector<PgValue> HouseholdFields(const registry::Household& h);
// A person's stored fields after register_no, hh and aimag_code: the
// columns family_name, father_name, given_name, sex, born, relation,
// disability, herder, phone, bank_account (10 values). `born` is days since
// 1970-01-01.
std::vector<PgValue> PersonFields(const registry::Person& p);

// Runs the SELECT `sql` (parameters `params`) as the statement `name` and
// calls `fn` on each row in order, reading the rows through a cursor in
// batches, so a result of millions of rows is never held whole. Inside one
// Read (it joins the caller's transaction, which then runs without JIT
// compilation to its end). Stops at and returns the first error of `fn`.
Status ForEachRow(PgSession& s, const std::string& name, const std::string& sql,
                  const std::vector<PgValue>& params,
                  const std::function<Status(const pqxx::row&)>& fn);

// registry::Repository::LoadRoster: the active register in `area` (scoped
// by the session), households in row id order, persons in row id order,
// streamed into the columns of the roster as they come.
Result<registry::Roster> LoadPgRoster(PgSession& s,
                                      const store::AreaFilter& area);

// The bulk loader of an empty register (registry::BulkLoader), writing in
// `tx`. REQUIRES: a national caller (registry::Repository checked); `tx`
// holds the register's tables locked and they are empty; `s` outlives the
// loader.
Result<std::unique_ptr<registry::BulkLoader>> BeginPgBulkLoad(
    PgSession& s, std::unique_ptr<store::Session::HeldWrite> tx);

}  // namespace malchin::backends::postgres
