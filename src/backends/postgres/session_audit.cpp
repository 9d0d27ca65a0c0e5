// The audit trail's engine primitives (store/session.h) on PostgreSQL.
//
// Appenders are serialized by an advisory transaction lock: AuditHead takes
// pg_advisory_xact_lock(kLockClass, kLockAuditChain) and then reads the
// chain's end in a second statement. Writes run at READ COMMITTED, where
// each statement sees what was committed when it started, and a lock is
// released only after its transaction's commit is visible: so the head read
// after the lock is the latest entry, and no other transaction appends
// until this one ends. The chain never forks, and never has a gap (seq is
// the head's + 1; the primary key refuses a duplicate).
#include <algorithm>

#include "backends/postgres/session.h"

namespace malchin::backends::postgres {
namespace {

// ForEachAudit reads the chain in pages of this many entries.
constexpr int kAuditPage = 1000;

}  // namespace

store::AuditRecord AuditRecordOf(const pqxx::row& row) {
  store::AuditRecord r;
  r.seq = PgInt(row[0]);
  r.at = PgText(row[1]);
  r.actor = PgText(row[2]);
  r.action = PgText(row[3]);
  r.entity_type = PgText(row[4]);
  r.entity_id = PgText(row[5]);
  r.register_no = PgOptText(row[6]);
  r.before_json = PgOptText(row[7]);
  r.after_json = PgOptText(row[8]);
  r.prev_hash = PgText(row[9]);
  r.hash = PgText(row[10]);
  return r;
}

Result<std::optional<std::pair<int64_t, std::string>>> PgSession::AuditHead() {
  using Head = std::optional<std::pair<int64_t, std::string>>;
  MALCHIN_RETURN_IF_ERROR(Prepared("malchin.audit_lock",
                                   "SELECT pg_advisory_xact_lock($1, $2)",
                                   kLockClass, kLockAuditChain)
                              .status());
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Prepared("malchin.audit_head",
               "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  if (r.empty()) return Head();
  return Head(std::make_pair(PgInt(r[0][0]), PgText(r[0][1])));
}

Status PgSession::InsertAudit(const store::AuditRecord& a) {
  return Prepared("malchin.audit_insert",
                  "INSERT INTO audit_log (" + std::string(kAuditColumns) +
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                      "$11)",
                  a.seq, a.at, a.actor, a.action, a.entity_type, a.entity_id,
                  a.register_no, a.before_json, a.after_json, a.prev_hash,
                  a.hash)
      .status();
}

Status PgSession::ForEachAudit(
    const std::function<void(const store::AuditRecord&)>& fn) {
  const std::string sql = "SELECT " + std::string(kAuditColumns) +
                          " FROM audit_log WHERE seq > $1 ORDER BY seq "
                          "LIMIT " +
                          std::to_string(kAuditPage);
  int64_t after = 0;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result page,
                             Prepared("malchin.audit_page", sql, after));
    for (const pqxx::row& row : page) {
      store::AuditRecord r = AuditRecordOf(row);
      after = r.seq;
      fn(r);
    }
    if (page.size() < static_cast<size_t>(kAuditPage)) return Status::Ok();
  }
}

void PgSession::AddAuditArea(const store::AreaFilter& area, std::string* where,
                             std::string* name,
                             std::vector<PgValue>* params) const {
  // An officer's account area as a soum-like code (an aimag's code * 100:
  // inside the aimag, equal to no soum; national 0 matches nothing).
  const int n = static_cast<int>(params->size()) + 1;
  PgArea people = Area(area, "h.soum_code", n);
  PgArea officers =
      Area(area,
           "(CASE WHEN u.area_code < 1000 THEN u.area_code * 100 ELSE "
           "u.area_code END)",
           n);
  params->push_back(ToPg(people.value));
  *name += people.key;
  *where +=
      " AND (register_no IN (SELECT p.register_no FROM persons p JOIN "
      "households h ON h.hh = p.hh WHERE " +
      people.sql +
      ") OR (entity_type = 'household' AND entity_id IN (SELECT h.id FROM "
      "households h WHERE " +
      people.sql + ")) OR actor IN (SELECT u.username FROM users u WHERE " +
      officers.sql + "))";
}

Result<std::vector<store::AuditRecord>> PgSession::ListAudit(
    const store::AuditQuery& q) {
  // One statement per combination of filters, numbered in order.
  std::vector<PgValue> params = {ToPg(q.after_seq)};
  std::string where = "seq > $1";
  std::string name = "malchin.audit_list.";
  auto add = [&](bool on, const std::string& value, std::string_view cond) {
    name.push_back(on ? '1' : '0');
    if (!on) return;
    params.push_back(value);
    std::string c(cond);
    const std::string p = "$" + std::to_string(params.size());
    for (size_t at = c.find('?'); at != std::string::npos; at = c.find('?')) {
      c.replace(at, 1, p);
    }
    where += " AND " + c;
  };
  add(!q.actor.empty(), q.actor, "actor = ?");
  add(!q.register_no.empty(), q.register_no, "register_no = ?");
  // "entity_type <> 'person'" repeats audit_entity's condition so that the
  // partial index serves this term.
  add(!q.household_id.empty(), q.household_id,
      "((entity_type = 'household' AND entity_type <> 'person' AND "
      "entity_id = ?) OR register_no IN (SELECT p.register_no FROM persons "
      "p JOIN households h ON h.hh = p.hh WHERE h.id = ?))");
  add(!q.from.empty(), q.from, "at >= ?");
  add(!q.to.empty(), q.to, "at <= ?");
  const bool below = q.newest_first && q.before_seq > 0;
  add(below, std::to_string(q.before_seq), "seq < ?::bigint");
  add(!q.action.empty(), q.action,
      "(action = ? OR starts_with(action, ? || '.'))");
  if (!q.area.national()) AddAuditArea(q.area, &where, &name, &params);
  params.push_back(ToPg(std::clamp(q.limit, 1, 1000)));
  name += q.newest_first ? "d" : "a";
  MALCHIN_ASSIGN_OR_RETURN(
      pqxx::result r,
      Execute(name,
              "SELECT " + std::string(kAuditColumns) +
                  " FROM audit_log WHERE " + where + " ORDER BY seq" +
                  (q.newest_first ? " DESC" : "") + " LIMIT $" +
                  std::to_string(params.size()),
              params));
  std::vector<store::AuditRecord> out;
  out.reserve(r.size());
  for (const pqxx::row& row : r) out.push_back(AuditRecordOf(row));
  return out;
}

}  // namespace malchin::backends::postgres
