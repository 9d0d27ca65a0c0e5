// SQLite implementation of coop::Repository (migration 0016): persons as
// the capability sees them, cooperatives, memberships, the ledgers and the
// feed reserves.
#include "backends/sqlite/coop_sql.h"

namespace malchin::backends::sqlite {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kCoopColumns =
    "c.id, c.code, c.name, c.type, c.soum_code, c.bag, c.registration_no, "
    "c.registered_on, c.created_by, c.created_at";

Result<Cooperative> ReadCoop(Stmt& s) {
  Cooperative c;
  c.id = s.Int(0);
  c.code = Text(s, 1);
  c.name = Text(s, 2);
  MALCHIN_ASSIGN_OR_RETURN(c.type, ParseGroupType(s.Text(3)));
  c.soum_code = static_cast<int32_t>(s.Int(4));
  c.bag = Text(s, 5);
  c.registration_no = Text(s, 6);
  c.registered_on = OptDate(s, 7);
  c.created_by = Text(s, 8);
  c.created_at = Text(s, 9);
  return c;
}

// A summary's counts on ?3 (date), after the cooperative's columns.
constexpr const char* kSummaryColumns =
    ", (SELECT count(*) FROM coop_members m WHERE m.coop_id = c.id AND "
    "m.joined_on <= ?3 AND (m.left_on IS NULL OR m.left_on >= ?3)), "
    "(SELECT count(DISTINCT p.hh) FROM coop_members m JOIN persons p ON "
    "p.pid = m.pid WHERE m.coop_id = c.id AND m.joined_on <= ?3 AND "
    "(m.left_on IS NULL OR m.left_on >= ?3)), "
    "(SELECT coalesce(sum(l.amount), 0) FROM coop_ledger l WHERE l.book = "
    "'fund' AND l.owner_id = c.id AND l.on_date <= ?3)";

Result<CoopSummary> ReadSummary(Stmt& s) {
  CoopSummary out;
  MALCHIN_ASSIGN_OR_RETURN(out.coop, ReadCoop(s));
  out.members = s.Int(10);
  out.households = s.Int(11);
  out.fund_balance = s.Int(12);
  return out;
}

constexpr const char* kMemberSelect =
    "SELECT m.id, c.code, c.name, p.register_no, h.id, "
    "p.father_name || ' ' || p.given_name, p.sex, p.born, h.soum_code, "
    "m.role, m.joined_on, m.left_on, m.leave_reason, m.recorded_by "
    "FROM coop_members m JOIN coop_cooperatives c ON c.id = m.coop_id "
    "JOIN persons p ON p.pid = m.pid JOIN households h ON h.hh = p.hh ";

Result<Membership> ReadMember(Stmt& s) {
  Membership m;
  m.id = s.Int(0);
  m.coop_code = Text(s, 1);
  m.coop_name = Text(s, 2);
  m.register_no = Text(s, 3);
  m.household_id = Text(s, 4);
  m.name = Text(s, 5);
  m.sex = SexOf(s, 6);
  m.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(7)));
  m.soum_code = static_cast<int32_t>(s.Int(8));
  MALCHIN_ASSIGN_OR_RETURN(m.role, ParseMemberRole(s.Text(9)));
  m.joined_on = DateOf(s, 10);
  m.left_on = OptDate(s, 11);
  m.leave_reason = Text(s, 12);
  m.recorded_by = Text(s, 13);
  return m;
}

constexpr const char* kEntrySelect =
    "SELECT l.id, l.book, CASE l.book WHEN 'fund' THEN (SELECT code FROM "
    "coop_cooperatives WHERE id = l.owner_id) ELSE (SELECT code FROM "
    "coop_businesses WHERE id = l.owner_id) END, l.on_date, l.kind, "
    "l.amount, coalesce((SELECT register_no FROM persons WHERE pid = "
    "l.pid), ''), l.method, l.in_kind_item, l.in_kind_quantity, "
    "l.in_kind_unit_price, l.in_kind_price_from, l.in_kind_price_source, "
    "coalesce(l.line_id, 0), coalesce(l.remittance_id, 0), "
    "coalesce(l.reverses, 0), l.note, l.actor, l.recorded_at, "
    "coalesce(l.client_key, '') FROM coop_ledger l ";

Result<LedgerEntry> ReadEntry(Stmt& s) {
  LedgerEntry e;
  e.id = s.Int(0);
  e.book = s.Text(1) == "seed" ? Book::kSeed : Book::kFund;
  e.owner = Text(s, 2);
  e.on = DateOf(s, 3);
  MALCHIN_ASSIGN_OR_RETURN(e.kind, ParseEntryKind(s.Text(4)));
  e.amount = s.Int(5);
  e.register_no = Text(s, 6);
  if (!s.Text(7).empty()) {
    MALCHIN_ASSIGN_OR_RETURN(e.method, ParseMethod(s.Text(7)));
  }
  if (!s.IsNull(8)) {
    e.in_kind = InKindValue{Text(s, 8), s.Real(9), s.Int(10), OptDate(s, 11),
                            Text(s, 12)};
  }
  e.line_id = s.Int(13);
  e.remittance_id = s.Int(14);
  e.reverses = s.Int(15);
  e.note = Text(s, 16);
  e.actor = Text(s, 17);
  e.recorded_at = Text(s, 18);
  e.client_key = Text(s, 19);
  return e;
}

constexpr const char* kWarehouseSelect =
    "SELECT w.id, w.code, w.name, coalesce((SELECT code FROM "
    "coop_cooperatives WHERE id = w.coop_id), ''), w.soum_code, w.bag, "
    "w.capacity_kg, w.created_by, w.created_at FROM coop_warehouses w ";

Result<Warehouse> ReadWarehouse(Stmt& s) {
  Warehouse w;
  w.id = s.Int(0);
  w.code = Text(s, 1);
  w.name = Text(s, 2);
  w.coop_code = Text(s, 3);
  w.soum_code = static_cast<int32_t>(s.Int(4));
  w.bag = Text(s, 5);
  w.capacity_kg = s.Int(6);
  w.created_by = Text(s, 7);
  w.created_at = Text(s, 8);
  return w;
}

constexpr const char* kMovementSelect =
    "SELECT m.id, w.code, m.on_date, m.feed, m.kind, m.kg, "
    "coalesce((SELECT id FROM households WHERE hh = m.hh), ''), "
    "coalesce(m.line_id, 0), coalesce(m.reverses, 0), m.note, m.actor, "
    "m.recorded_at, coalesce(m.client_key, '') FROM coop_feed_movements m "
    "JOIN coop_warehouses w ON w.id = m.warehouse_id ";

Result<FeedMovement> ReadMovement(Stmt& s) {
  FeedMovement m;
  m.id = s.Int(0);
  m.warehouse = Text(s, 1);
  m.on = DateOf(s, 2);
  MALCHIN_ASSIGN_OR_RETURN(m.feed, ParseFeedType(s.Text(3)));
  MALCHIN_ASSIGN_OR_RETURN(m.kind, ParseMovementKind(s.Text(4)));
  m.kg = s.Int(5);
  m.household_id = Text(s, 6);
  m.line_id = s.Int(7);
  m.reverses = s.Int(8);
  m.note = Text(s, 9);
  m.actor = Text(s, 10);
  m.recorded_at = Text(s, 11);
  m.client_key = Text(s, 12);
  return m;
}

class SqliteCoopRepository final : public coop::Repository {
 public:
  explicit SqliteCoopRepository(SqliteSession& s) : s_(s) {}

  Result<std::optional<PersonRef>> FindPerson(
      std::string_view register_no) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.person",
                        std::string("SELECT ") + kPersonColumns +
                            " FROM persons p JOIN households h ON h.hh = "
                            "p.hh WHERE p.register_no = ?1 AND " +
                            area.sql,
                        &area));
    st->Bind(1, register_no);
    return FirstRow<PersonRef>(
        *st, [](Stmt& s) -> Result<PersonRef> { return ReadPerson(s); });
  }

  Result<std::vector<PersonRef>> HouseholdMembers(
      std::string_view household_id) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.household_members",
             std::string("SELECT ") + kPersonColumns +
                 " FROM persons p JOIN households h ON h.hh = p.hh WHERE "
                 "h.id = ?1 AND p.deactivated_on IS NULL AND "
                 "h.deactivated_on IS NULL AND " +
                 area.sql + " ORDER BY p.relation <> 'head', p.born, p.pid",
             &area));
    st->Bind(1, household_id);
    std::vector<PersonRef> out;
    MALCHIN_RETURN_IF_ERROR(ForRows(*st, [&](Stmt& s) {
      out.push_back(ReadPerson(s));
      return Status::Ok();
    }));
    return out;
  }

  Result<int64_t> InsertCooperative(const Cooperative& c,
                                    std::string_view actor,
                                    std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.insert",
             "INSERT INTO coop_cooperatives (code, name, type, soum_code, "
             "bag, registration_no, registered_on, created_by, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    st->Bind(1, c.code).Bind(2, c.name).Bind(3, GroupTypeName(c.type));
    st->Bind(4, c.soum_code).Bind(5, c.bag).Bind(6, c.registration_no);
    if (c.registered_on) {
      st->Bind(7, c.registered_on->ToString());
    } else {
      st->BindNull(7);
    }
    st->Bind(8, actor).Bind(9, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<Cooperative>> FindCooperative(
      std::string_view code) override {
    AreaClause area = s_.Area({}, "c.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.find",
                        std::string("SELECT ") + kCoopColumns +
                            " FROM coop_cooperatives c WHERE c.code = ?1 "
                            "AND " +
                            area.sql,
                        &area));
    st->Bind(1, code);
    return FirstRow<Cooperative>(*st, ReadCoop);
  }

  Result<CoopPage> ListCooperatives(const CoopQuery& q, Date as_of) override {
    AreaClause area = s_.Area({}, "c.soum_code");
    const std::string where =
        " FROM coop_cooperatives c WHERE (?1 = 0 OR c.soum_code = ?1) AND "
        "(?2 = '' OR instr(c.name, ?2) > 0 OR instr(c.code, lower(?2)) > 0 "
        "OR (malchin_name_key(?2) <> '' AND instr(malchin_name_key(c.name), "
        "malchin_name_key(?2)) > 0)) AND ";
    CoopPage page;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * count,
        Prep(s_, "coop.count", "SELECT count(*)" + where + area.sql, &area));
    count->Bind(1, q.soum_code).Bind(2, q.text);
    MALCHIN_RETURN_IF_ERROR(ForRows(*count, [&](Stmt& s) {
      page.total = s.Int(0);
      return Status::Ok();
    }));
    const int size = std::clamp(q.page_size, 1, 500);
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.list",
             std::string("SELECT ") + kCoopColumns + kSummaryColumns + where +
                 "?4 >= 0 AND ?5 >= 0 AND " + area.sql +
                 " ORDER BY c.soum_code, c.code LIMIT ?4 OFFSET ?5",
             &area));
    st->Bind(1, q.soum_code).Bind(2, q.text).Bind(3, as_of.ToString());
    st->Bind(4, size).Bind(
        5, static_cast<int64_t>(std::max(q.page, 1) - 1) * size);
    MALCHIN_ASSIGN_OR_RETURN(page.items, All<CoopSummary>(*st, ReadSummary));
    return page;
  }

  Result<std::vector<CoopSummary>> CooperativesIn(
      const std::vector<int32_t>& soums, Date as_of) override {
    AreaClause area = s_.Area({}, "c.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.in_soums",
             std::string("SELECT ") + kCoopColumns + kSummaryColumns +
                 " FROM coop_cooperatives c WHERE c.soum_code IN (SELECT "
                 "value FROM json_each(?1)) AND ?2 = ?2 AND " +
                 area.sql + " ORDER BY c.soum_code, c.code",
             &area));
    st->Bind(1, JsonInts(soums)).Bind(2, 0).Bind(3, as_of.ToString());
    return All<CoopSummary>(*st, ReadSummary);
  }

  Result<int64_t> InsertMembership(int64_t coop_id, int64_t pid,
                                   MemberRole role, Date joined_on,
                                   std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.member_insert",
                        "INSERT INTO coop_members (coop_id, pid, role, "
                        "joined_on, recorded_by) VALUES (?1, ?2, ?3, ?4, ?5)"));
    st->Bind(1, coop_id).Bind(2, pid).Bind(3, MemberRoleName(role));
    st->Bind(4, joined_on.ToString()).Bind(5, actor);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Status EndMembership(int64_t id, Date left_on,
                       std::string_view reason) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.member_end",
                        "UPDATE coop_members SET left_on = ?2, leave_reason "
                        "= ?3 WHERE id = ?1 AND left_on IS NULL"));
    st->Bind(1, id).Bind(2, left_on.ToString()).Bind(3, reason);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    if (s_.db().Changes() != 1) {
      return Status::FailedPrecondition("membership " + std::to_string(id) +
                                        " is not open");
    }
    return Status::Ok();
  }

  Result<std::vector<Membership>> Members(int64_t coop_id) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.members",
             std::string(kMemberSelect) + "WHERE m.coop_id = ?1 AND " +
                 area.sql + " ORDER BY m.joined_on, m.id",
             &area));
    st->Bind(1, coop_id);
    return All<Membership>(*st, ReadMember);
  }

  Result<std::vector<Membership>> MembershipsOf(
      std::string_view register_no) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.memberships_of",
             std::string(kMemberSelect) + "WHERE p.register_no = ?1 AND " +
                 area.sql + " ORDER BY m.joined_on, m.id",
             &area));
    st->Bind(1, register_no);
    return All<Membership>(*st, ReadMember);
  }

  Result<std::vector<std::string>> MemberHouseholds(int64_t coop_id,
                                                    Date on) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.member_households",
             "SELECT DISTINCT h.id FROM coop_members m JOIN persons p ON "
             "p.pid = m.pid JOIN households h ON h.hh = p.hh WHERE "
             "m.coop_id = ?1 AND m.joined_on <= ?2 AND (m.left_on IS NULL "
             "OR m.left_on >= ?2) AND " +
                 area.sql + " ORDER BY h.id",
             &area));
    st->Bind(1, coop_id).Bind(2, on.ToString());
    std::vector<std::string> out;
    MALCHIN_RETURN_IF_ERROR(ForRows(*st, [&](Stmt& s) {
      out.push_back(Text(s, 0));
      return Status::Ok();
    }));
    return out;
  }

  Result<int64_t> AppendEntry(const LedgerEntry& e, int64_t owner_id,
                              int32_t soum_code, int64_t pid,
                              std::string_view actor,
                              std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.entry_insert",
             "INSERT INTO coop_ledger (book, owner_id, soum_code, on_date, "
             "kind, amount, pid, method, in_kind_item, in_kind_quantity, "
             "in_kind_unit_price, in_kind_price_from, in_kind_price_source, "
             "line_id, remittance_id, reverses, note, actor, recorded_at, "
             "client_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
             "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"));
    st->Bind(1, BookName(e.book)).Bind(2, owner_id).Bind(3, soum_code);
    st->Bind(4, e.on.ToString()).Bind(5, EntryKindName(e.kind));
    st->Bind(6, e.amount);
    BindId(*st, 7, pid);
    st->Bind(8, MethodName(e.method));
    if (e.in_kind) {
      st->Bind(9, e.in_kind->item).Bind(10, e.in_kind->quantity);
      st->Bind(11, e.in_kind->unit_price);
      if (e.in_kind->price_from) {
        st->Bind(12, e.in_kind->price_from->ToString());
      } else {
        st->BindNull(12);
      }
      st->Bind(13, e.in_kind->price_source);
    } else {
      for (int i = 9; i <= 13; ++i) st->BindNull(i);
    }
    BindId(*st, 14, e.line_id);
    BindId(*st, 15, e.remittance_id);
    BindId(*st, 16, e.reverses);
    st->Bind(17, e.note).Bind(18, actor).Bind(19, at);
    BindOptText(*st, 20, e.client_key);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::vector<LedgerEntry>> Entries(Book book,
                                           int64_t owner_id) override {
    AreaClause area = s_.Area({}, "l.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.entries",
                        std::string(kEntrySelect) +
                            "WHERE l.book = ?1 AND l.owner_id = ?2 AND " +
                            area.sql + " ORDER BY l.on_date, l.id",
                        &area));
    st->Bind(1, BookName(book)).Bind(2, owner_id);
    return All<LedgerEntry>(*st, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntry(Book book, int64_t owner_id,
                                               int64_t id) override {
    AreaClause area = s_.Area({}, "l.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.entry",
                        std::string(kEntrySelect) +
                            "WHERE l.book = ?1 AND l.owner_id = ?2 AND l.id "
                            "= ?3 AND " +
                            area.sql,
                        &area));
    st->Bind(1, BookName(book)).Bind(2, owner_id).Bind(3, id);
    return FirstRow<LedgerEntry>(*st, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      std::string_view actor, std::string_view key) override {
    AreaClause area = s_.Area({}, "l.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.entry_key",
             std::string(kEntrySelect) +
                 "WHERE l.actor = ?1 AND l.client_key = ?2 AND " + area.sql,
             &area));
    st->Bind(1, actor).Bind(2, key);
    return FirstRow<LedgerEntry>(*st, ReadEntry);
  }

  Result<int64_t> Balance(Book book, int64_t owner_id, Date as_of) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.balance",
                        "SELECT coalesce(sum(amount), 0) FROM coop_ledger "
                        "WHERE book = ?1 AND owner_id = ?2 AND on_date <= ?3"));
    st->Bind(1, BookName(book)).Bind(2, owner_id).Bind(3, as_of.ToString());
    int64_t sum = 0;
    MALCHIN_RETURN_IF_ERROR(ForRows(*st, [&](Stmt& s) {
      sum = s.Int(0);
      return Status::Ok();
    }));
    return sum;
  }

  Result<int64_t> InsertWarehouse(const Warehouse& w, int64_t coop_id,
                                  std::string_view actor,
                                  std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.warehouse_insert",
                        "INSERT INTO coop_warehouses (code, name, coop_id, "
                        "soum_code, bag, capacity_kg, created_by, "
                        "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    st->Bind(1, w.code).Bind(2, w.name);
    BindId(*st, 3, coop_id);
    st->Bind(4, w.soum_code).Bind(5, w.bag).Bind(6, w.capacity_kg);
    st->Bind(7, actor).Bind(8, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<Warehouse>> FindWarehouse(
      std::string_view code) override {
    AreaClause area = s_.Area({}, "w.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(Stmt * st,
                             Prep(s_, "coop.warehouse",
                                  std::string(kWarehouseSelect) +
                                      "WHERE w.code = ?1 AND " + area.sql,
                                  &area));
    st->Bind(1, code);
    return FirstRow<Warehouse>(*st, ReadWarehouse);
  }

  Result<std::vector<Warehouse>> Warehouses(
      const std::vector<int32_t>& soums) override {
    AreaClause area = s_.Area({}, "w.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.warehouses",
             std::string(kWarehouseSelect) +
                 "WHERE (?1 = '[]' OR w.soum_code IN (SELECT value FROM "
                 "json_each(?1))) AND " +
                 area.sql + " ORDER BY w.soum_code, w.code",
             &area));
    st->Bind(1, JsonInts(soums));
    return All<Warehouse>(*st, ReadWarehouse);
  }

  Result<int64_t> AppendMovement(const FeedMovement& m, int64_t warehouse_id,
                                 std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.movement_insert",
             "INSERT INTO coop_feed_movements (warehouse_id, on_date, feed, "
             "kind, kg, hh, line_id, reverses, note, actor, recorded_at, "
             "client_key) VALUES (?1, ?2, ?3, ?4, ?5, (SELECT hh FROM "
             "households WHERE id = ?6), ?7, ?8, ?9, ?10, ?11, ?12)"));
    st->Bind(1, warehouse_id).Bind(2, m.on.ToString());
    st->Bind(3, FeedTypeName(m.feed)).Bind(4, MovementKindName(m.kind));
    st->Bind(5, m.kg);
    BindOptText(*st, 6, m.household_id);
    BindId(*st, 7, m.line_id);
    BindId(*st, 8, m.reverses);
    st->Bind(9, m.note).Bind(10, actor).Bind(11, at);
    BindOptText(*st, 12, m.client_key);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::vector<FeedMovement>> Movements(int64_t warehouse_id) override {
    AreaClause area = s_.Area({}, "w.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.movements",
             std::string(kMovementSelect) + "WHERE m.warehouse_id = ?1 AND " +
                 area.sql + " ORDER BY m.on_date, m.id",
             &area));
    st->Bind(1, warehouse_id);
    return All<FeedMovement>(*st, ReadMovement);
  }

  Result<std::optional<FeedMovement>> FindMovementByClientKey(
      std::string_view actor, std::string_view key) override {
    AreaClause area = s_.Area({}, "w.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.movement_key",
             std::string(kMovementSelect) +
                 "WHERE m.actor = ?1 AND m.client_key = ?2 AND " + area.sql,
             &area));
    st->Bind(1, actor).Bind(2, key);
    return FirstRow<FeedMovement>(*st, ReadMovement);
  }

  Result<FeedStock> Stock(int64_t warehouse_id, Date as_of) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.stock",
             "SELECT coalesce(sum(CASE WHEN feed = 'hay' THEN kg END), 0), "
             "coalesce(sum(CASE WHEN feed = 'fodder' THEN kg END), 0) FROM "
             "coop_feed_movements WHERE warehouse_id = ?1 AND on_date <= ?2"));
    st->Bind(1, warehouse_id).Bind(2, as_of.ToString());
    FeedStock out;
    MALCHIN_RETURN_IF_ERROR(ForRows(*st, [&](Stmt& s) {
      out.hay_kg = s.Int(0);
      out.fodder_kg = s.Int(1);
      return Status::Ok();
    }));
    return out;
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterCoopRepositories(Factories* f) {
  f->Add<coop::Repository, SqliteCoopRepository>();
}

}  // namespace malchin::backends::sqlite
