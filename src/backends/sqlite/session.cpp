// The SQLite engine: connections, transactions, the audit rows and meta.
#include "backends/sqlite/session.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace malchin::backends::sqlite {

void RegisterAllRepositories(Factories* f);  // all_repositories.cpp

const Factories::Make* Factories::Find(std::type_index t) const {
  auto it = table_.find(t);
  return it == table_.end() ? nullptr : &it->second;
}

const Factories& Factories::All() {
  static const Factories kAll = [] {
    Factories f;
    RegisterAllRepositories(&f);
    return f;
  }();
  return kAll;
}

AreaClause AreaSql(const std::optional<store::AreaFilter>& area,
                   std::string_view column) {
  std::string col(column);
  if (!area) return {"0", "#0", 0};
  if (area->soum_code) return {col + " = :area", "#s", area->soum_code};
  if (area->aimag_code) {
    return {"(" + col + " BETWEEN :area * 100 AND :area * 100 + 99)", "#a",
            area->aimag_code};
  }
  return {"1", "#n", 0};
}

SqliteSession::SqliteSession(std::unique_ptr<Db> db, std::string key)
    : db_(std::move(db)), key_(std::move(key)) {}

AreaClause SqliteSession::Area(const store::AreaFilter& requested,
                               std::string_view soum_column) const {
  return AreaSql(Scope(requested), soum_column);
}

Result<Stmt*> SqliteSession::Prepared(const std::string& name,
                                      std::string_view sql) {
  auto it = prepared_.find(name);
  if (it != prepared_.end()) return &it->second;
  MALCHIN_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(sql));
  return &prepared_.emplace(name, std::move(s)).first->second;
}

Status SqliteSession::Begin(bool write) {
  // BEGIN IMMEDIATE takes the database's one write lock at once: two
  // writers (threads, processes) serialize here, never deadlock later.
  return db_->Exec(write ? "BEGIN IMMEDIATE" : "BEGIN");
}

Status SqliteSession::Commit() {
  Status s = db_->Exec("COMMIT");
  if (!s.ok()) Rollback();
  return s;
}

void SqliteSession::Rollback() {
  if (!sqlite3_get_autocommit(db_->raw())) {
    (void)db_->Exec("ROLLBACK");
  }
}

Status SqliteSession::Lock(std::string_view) {
  // A write transaction already holds the database's only write lock.
  if (!in_write()) return Status::Internal("Lock outside a write");
  return Status::Ok();
}

Result<std::optional<std::pair<int64_t, std::string>>>
SqliteSession::AuditHead() {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * last,
      Prepared("audit_last",
               "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  MALCHIN_ASSIGN_OR_RETURN(bool row, last->Step());
  if (!row) return std::optional<std::pair<int64_t, std::string>>();
  auto head = std::make_pair(last->Int(0), std::string(last->Text(1)));
  last->Reset();
  return std::optional<std::pair<int64_t, std::string>>(std::move(head));
}

Status SqliteSession::InsertAudit(const store::AuditRecord& r) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * ins,
      Prepared("audit_ins",
               "INSERT INTO audit_log (seq, at, actor, action, entity_type, "
               "entity_id, register_no, before_json, after_json, prev_hash, "
               "hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  return ins->Bind(1, r.seq)
      .Bind(2, std::string_view(r.at))
      .Bind(3, std::string_view(r.actor))
      .Bind(4, std::string_view(r.action))
      .Bind(5, std::string_view(r.entity_type))
      .Bind(6, std::string_view(r.entity_id))
      .Bind(7, r.register_no)
      .Bind(8, r.before_json)
      .Bind(9, r.after_json)
      .Bind(10, std::string_view(r.prev_hash))
      .Bind(11, std::string_view(r.hash))
      .Run();
}

namespace {

std::optional<std::string> OptText(const Stmt& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return std::string(q.Text(col));
}

store::AuditRecord ReadAudit(const Stmt& q) {
  store::AuditRecord r;
  r.seq = q.Int(0);
  r.at = q.Text(1);
  r.actor = q.Text(2);
  r.action = q.Text(3);
  r.entity_type = q.Text(4);
  r.entity_id = q.Text(5);
  r.register_no = OptText(q, 6);
  r.before_json = OptText(q, 7);
  r.after_json = OptText(q, 8);
  r.prev_hash = q.Text(9);
  r.hash = q.Text(10);
  return r;
}

constexpr const char* kAuditColumns =
    "seq, at, actor, action, entity_type, entity_id, register_no, "
    "before_json, after_json, prev_hash, hash";

}  // namespace

Status SqliteSession::ForEachAudit(
    const std::function<void(const store::AuditRecord&)>& fn) {
  MALCHIN_ASSIGN_OR_RETURN(Stmt q,
                           db_->Prepare(std::string("SELECT ") + kAuditColumns +
                                        " FROM audit_log ORDER BY seq"));
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return Status::Ok();
    fn(ReadAudit(q));
  }
}

namespace {

// An officer's account area as a soum-like code, so that the area clause
// matches it: an aimag (3 digits) becomes its code * 100, inside the aimag
// and equal to no soum; national (0) matches nothing.
constexpr std::string_view kOfficerArea =
    "(CASE WHEN u.area_code < 1000 THEN u.area_code * 100 ELSE u.area_code "
    "END)";

}  // namespace

Result<std::vector<store::AuditRecord>> SqliteSession::ListAudit(
    const store::AuditQuery& q) {
  std::string where = "seq > ?1";
  if (!q.actor.empty()) where += " AND actor = ?2";
  if (!q.register_no.empty()) where += " AND register_no = ?3";
  if (!q.household_id.empty()) {
    // "entity_type <> 'person'" repeats the partial index's condition
    // (migration 11) so that SQLite uses audit_entity for this term.
    where +=
        " AND ((entity_type = 'household' AND entity_type <> 'person' AND "
        "entity_id = ?4) OR "
        "register_no IN (SELECT p.register_no FROM persons p JOIN "
        "households h ON h.hh = p.hh WHERE h.id = ?4))";
  }
  if (!q.from.empty()) where += " AND at >= ?5";
  if (!q.to.empty()) where += " AND at <= ?6";
  if (q.newest_first && q.before_seq > 0) where += " AND seq < ?8";
  if (!q.action.empty()) {
    where +=
        " AND (action = ?9 OR substr(action, 1, length(?9) + 1) = ?9 || '.')";
  }
  AreaClause people = Area(q.area, "h.soum_code");
  AreaClause officers = Area(q.area, kOfficerArea);
  if (!q.area.national()) {
    where +=
        " AND (register_no IN (SELECT p.register_no FROM persons p JOIN "
        "households h ON h.hh = p.hh WHERE " +
        people.sql +
        ") OR (entity_type = 'household' AND entity_id IN (SELECT h.id "
        "FROM households h WHERE " +
        people.sql + ")) OR actor IN (SELECT u.username FROM users u WHERE " +
        officers.sql + "))";
  }
  // One prepared statement per combination of filters.
  std::string name = "audit_list:";
  for (bool b :
       {!q.actor.empty(), !q.register_no.empty(), !q.household_id.empty(),
        !q.from.empty(), !q.to.empty(), q.newest_first,
        q.newest_first && q.before_seq > 0, !q.action.empty()}) {
    name += b ? '1' : '0';
  }
  if (!q.area.national()) name += people.key;
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * prepared,
      Prepared(name, std::string("SELECT ") + kAuditColumns +
                         " FROM audit_log WHERE " + where + " ORDER BY seq" +
                         (q.newest_first ? " DESC" : "") + " LIMIT :limit"));
  Stmt& s = *prepared;
  s.Bind(1, q.after_seq);
  if (!q.actor.empty()) s.Bind(2, std::string_view(q.actor));
  if (!q.register_no.empty()) s.Bind(3, std::string_view(q.register_no));
  if (!q.household_id.empty()) s.Bind(4, std::string_view(q.household_id));
  if (!q.from.empty()) s.Bind(5, std::string_view(q.from));
  if (!q.to.empty()) s.Bind(6, std::string_view(q.to));
  // Named: the area clause's :area takes the next free number, which a
  // numbered parameter after it would share.
  s.BindNamed(":limit", static_cast<int64_t>(std::clamp(q.limit, 1, 1000)));
  if (q.newest_first && q.before_seq > 0) s.Bind(8, q.before_seq);
  if (!q.action.empty()) s.Bind(9, std::string_view(q.action));
  if (!q.area.national()) people.Bind(s);
  std::vector<store::AuditRecord> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(ReadAudit(s));
  }
  return out;
}

Result<std::optional<std::string>> SqliteSession::GetMeta(
    std::string_view key) {
  MALCHIN_ASSIGN_OR_RETURN(
      Stmt * s, Prepared("meta_get", "SELECT value FROM meta WHERE key = ?1"));
  s->Bind(1, key);
  MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<std::string>();
  std::string v(s->Text(0));
  s->Reset();
  return std::optional<std::string>(std::move(v));
}

Status SqliteSession::SetMeta(std::string_view key, std::string_view value) {
  return Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        Prepared("meta_set",
                 "INSERT INTO meta (key, value) VALUES (?1, ?2) ON "
                 "CONFLICT (key) DO UPDATE SET value = excluded.value"));
    return s->Bind(1, key).Bind(2, value).Run();
  });
}

std::unique_ptr<store::Repository> SqliteSession::MakeRepository(
    std::type_index type) {
  const Factories::Make* make = Factories::All().Find(type);
  if (make == nullptr) {
    std::cerr << "malchin: the SQLite backend has no repository for "
              << type.name() << "\n";
    std::abort();
  }
  return (*make)(*this);
}

}  // namespace malchin::backends::sqlite
