// PostgreSQL implementation of coop::Repository (migration 0013): persons
// as the capability sees them, cooperatives, memberships, the ledgers and
// the feed reserves. The SQL is SQLite's (coop_repository.cpp there) in
// PostgreSQL's dialect; the area clause is always the last parameter.
#include <algorithm>

#include "backends/postgres/coop_pg.h"

namespace malchin::backends::postgres {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kCoopColumns =
    "c.id, c.code, c.name, c.type, c.soum_code, c.bag, c.registration_no, "
    "c.registered_on, c.created_by, c.created_at";

Result<Cooperative> ReadCoop(const pqxx::row& r) {
  Cooperative c;
  c.id = PgInt(r[0]);
  c.code = PgText(r[1]);
  c.name = PgText(r[2]);
  MALCHIN_ASSIGN_OR_RETURN(c.type, ParseGroupType(PgText(r[3])));
  c.soum_code = static_cast<int32_t>(PgInt(r[4]));
  c.bag = PgText(r[5]);
  c.registration_no = PgText(r[6]);
  c.registered_on = PgOptDate(r[7]);
  c.created_by = PgText(r[8]);
  c.created_at = PgText(r[9]);
  return c;
}

// A summary's counts on $3 (a date), after the cooperative's columns.
constexpr const char* kSummaryColumns =
    ", (SELECT count(*) FROM coop_members m WHERE m.coop_id = c.id AND "
    "m.joined_on <= $3::date AND (m.left_on IS NULL OR m.left_on >= "
    "$3::date)), (SELECT count(DISTINCT p.hh) FROM coop_members m JOIN "
    "persons p ON p.pid = m.pid WHERE m.coop_id = c.id AND m.joined_on <= "
    "$3::date AND (m.left_on IS NULL OR m.left_on >= $3::date)), (SELECT "
    "coalesce(sum(l.amount), 0)::bigint FROM coop_ledger l WHERE l.book = "
    "'fund' AND l.owner_id = c.id AND l.on_date <= $3::date)";

Result<CoopSummary> ReadSummary(const pqxx::row& r) {
  CoopSummary out;
  MALCHIN_ASSIGN_OR_RETURN(out.coop, ReadCoop(r));
  out.members = PgInt(r[10]);
  out.households = PgInt(r[11]);
  out.fund_balance = PgInt(r[12]);
  return out;
}

constexpr const char* kMemberSelect =
    "SELECT m.id, c.code, c.name, p.register_no, h.id, "
    "p.father_name || ' ' || p.given_name, p.sex, p.born, h.soum_code, "
    "m.role, m.joined_on, m.left_on, m.leave_reason, m.recorded_by "
    "FROM coop_members m JOIN coop_cooperatives c ON c.id = m.coop_id "
    "JOIN persons p ON p.pid = m.pid JOIN households h ON h.hh = p.hh ";

Result<Membership> ReadMember(const pqxx::row& r) {
  Membership m;
  m.id = PgInt(r[0]);
  m.coop_code = PgText(r[1]);
  m.coop_name = PgText(r[2]);
  m.register_no = PgText(r[3]);
  m.household_id = PgText(r[4]);
  m.name = PgText(r[5]);
  m.sex = SexOf(r[6]);
  m.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(r[7])));
  m.soum_code = static_cast<int32_t>(PgInt(r[8]));
  MALCHIN_ASSIGN_OR_RETURN(m.role, ParseMemberRole(PgText(r[9])));
  m.joined_on = PgDate(r[10]);
  m.left_on = PgOptDate(r[11]);
  m.leave_reason = PgText(r[12]);
  m.recorded_by = PgText(r[13]);
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

Result<LedgerEntry> ReadEntry(const pqxx::row& r) {
  LedgerEntry e;
  e.id = PgInt(r[0]);
  e.book = PgText(r[1]) == "seed" ? Book::kSeed : Book::kFund;
  e.owner = PgText(r[2]);
  e.on = PgDate(r[3]);
  MALCHIN_ASSIGN_OR_RETURN(e.kind, ParseEntryKind(PgText(r[4])));
  e.amount = PgInt(r[5]);
  e.register_no = PgText(r[6]);
  if (std::string m = PgText(r[7]); !m.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(e.method, ParseMethod(m));
  }
  if (!r[8].is_null()) {
    e.in_kind = InKindValue{PgText(r[8]), PgReal(r[9]), PgInt(r[10]),
                            PgOptDate(r[11]), PgText(r[12])};
  }
  e.line_id = PgInt(r[13]);
  e.remittance_id = PgInt(r[14]);
  e.reverses = PgInt(r[15]);
  e.note = PgText(r[16]);
  e.actor = PgText(r[17]);
  e.recorded_at = PgText(r[18]);
  e.client_key = PgText(r[19]);
  return e;
}

constexpr const char* kWarehouseSelect =
    "SELECT w.id, w.code, w.name, coalesce((SELECT code FROM "
    "coop_cooperatives WHERE id = w.coop_id), ''), w.soum_code, w.bag, "
    "w.capacity_kg, w.created_by, w.created_at FROM coop_warehouses w ";

Result<Warehouse> ReadWarehouse(const pqxx::row& r) {
  Warehouse w;
  w.id = PgInt(r[0]);
  w.code = PgText(r[1]);
  w.name = PgText(r[2]);
  w.coop_code = PgText(r[3]);
  w.soum_code = static_cast<int32_t>(PgInt(r[4]));
  w.bag = PgText(r[5]);
  w.capacity_kg = PgInt(r[6]);
  w.created_by = PgText(r[7]);
  w.created_at = PgText(r[8]);
  return w;
}

constexpr const char* kMovementSelect =
    "SELECT m.id, w.code, m.on_date, m.feed, m.kind, m.kg, "
    "coalesce((SELECT id FROM households WHERE hh = m.hh), ''), "
    "coalesce(m.line_id, 0), coalesce(m.reverses, 0), m.note, m.actor, "
    "m.recorded_at, coalesce(m.client_key, '') FROM coop_feed_movements m "
    "JOIN coop_warehouses w ON w.id = m.warehouse_id ";

Result<FeedMovement> ReadMovement(const pqxx::row& r) {
  FeedMovement m;
  m.id = PgInt(r[0]);
  m.warehouse = PgText(r[1]);
  m.on = PgDate(r[2]);
  MALCHIN_ASSIGN_OR_RETURN(m.feed, ParseFeedType(PgText(r[3])));
  MALCHIN_ASSIGN_OR_RETURN(m.kind, ParseMovementKind(PgText(r[4])));
  m.kg = PgInt(r[5]);
  m.household_id = PgText(r[6]);
  m.line_id = PgInt(r[7]);
  m.reverses = PgInt(r[8]);
  m.note = PgText(r[9]);
  m.actor = PgText(r[10]);
  m.recorded_at = PgText(r[11]);
  m.client_key = PgText(r[12]);
  return m;
}

class PgCoopRepository final : public coop::Repository {
 public:
  explicit PgCoopRepository(PgSession& s) : s_(s) {}

  Result<std::optional<PersonRef>> FindPerson(
      std::string_view register_no) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.person" + a.key,
                    std::string("SELECT ") + kPersonColumns +
                        " FROM persons p JOIN households h ON h.hh = p.hh "
                        "WHERE p.register_no = $1 AND " +
                        a.sql,
                    register_no, a.value));
    return First<PersonRef>(r, ReadPerson);
  }

  Result<std::vector<PersonRef>> HouseholdMembers(
      std::string_view household_id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.household_members" + a.key,
                    std::string("SELECT ") + kPersonColumns +
                        " FROM persons p JOIN households h ON h.hh = p.hh "
                        "WHERE h.id = $1 AND p.deactivated_on IS NULL AND "
                        "h.deactivated_on IS NULL AND " +
                        a.sql + " ORDER BY p.relation <> 'head', p.born, p.pid",
                    household_id, a.value));
    return All<PersonRef>(r, ReadPerson);
  }

  Result<int64_t> InsertCooperative(const Cooperative& c,
                                    std::string_view actor,
                                    std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.insert",
                    "INSERT INTO coop_cooperatives (code, name, type, "
                    "soum_code, bag, registration_no, registered_on, "
                    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "$7, $8, $9) RETURNING id",
                    c.code, c.name, GroupTypeName(c.type), c.soum_code, c.bag,
                    c.registration_no, OptDateText(c.registered_on), actor,
                    at));
    return ReturnedId(r);
  }

  Result<std::optional<Cooperative>> FindCooperative(
      std::string_view code) override {
    PgArea a = s_.Area({}, "c.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.find" + a.key,
                    std::string("SELECT ") + kCoopColumns +
                        " FROM coop_cooperatives c WHERE c.code = $1 AND " +
                        a.sql,
                    code, a.value));
    return First<Cooperative>(r, ReadCoop);
  }

  Result<CoopPage> ListCooperatives(const CoopQuery& q, Date as_of) override {
    const std::string where =
        " FROM coop_cooperatives c WHERE ($1::integer = 0 OR c.soum_code = "
        "$1) AND ($2::text = '' OR strpos(c.name, $2) > 0 OR strpos(c.code, "
        "lower($2)) > 0 OR (malchin_name_key($2) <> '' AND "
        "strpos(malchin_name_key(c.name), malchin_name_key($2)) > 0)) AND ";
    CoopPage page;
    PgArea ca = s_.Area({}, "c.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result count,
        s_.Prepared("coop.count" + ca.key, "SELECT count(*)" + where + ca.sql,
                    q.soum_code, q.text, ca.value));
    page.total = count.empty() ? 0 : PgInt(count[0][0]);
    const int size = std::clamp(q.page_size, 1, 500);
    PgArea a = s_.Area({}, "c.soum_code", 6);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "coop.list" + a.key,
            std::string("SELECT ") + kCoopColumns + kSummaryColumns + where +
                a.sql + " ORDER BY c.soum_code, c.code LIMIT $4 OFFSET $5",
            q.soum_code, q.text, as_of, size,
            static_cast<int64_t>(std::max(q.page, 1) - 1) * size, a.value));
    MALCHIN_ASSIGN_OR_RETURN(page.items, All<CoopSummary>(r, ReadSummary));
    return page;
  }

  Result<std::vector<CoopSummary>> CooperativesIn(
      const std::vector<int32_t>& soums, Date as_of) override {
    PgArea a = s_.Area({}, "c.soum_code", 4);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.in_soums" + a.key,
                    std::string("SELECT ") + kCoopColumns + kSummaryColumns +
                        " FROM coop_cooperatives c WHERE c.soum_code = "
                        "ANY($1::integer[]) AND $2::integer = 0 AND " +
                        a.sql + " ORDER BY c.soum_code, c.code",
                    IntArray(soums), 0, as_of, a.value));
    return All<CoopSummary>(r, ReadSummary);
  }

  Result<int64_t> InsertMembership(int64_t coop_id, int64_t pid,
                                   MemberRole role, Date joined_on,
                                   std::string_view actor) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.member_insert",
                    "INSERT INTO coop_members (coop_id, pid, role, "
                    "joined_on, recorded_by) VALUES ($1, $2, $3, $4, $5) "
                    "RETURNING id",
                    coop_id, pid, MemberRoleName(role), joined_on, actor));
    return ReturnedId(r);
  }

  Status EndMembership(int64_t id, Date left_on,
                       std::string_view reason) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.member_end",
                    "UPDATE coop_members SET left_on = $2, leave_reason = $3 "
                    "WHERE id = $1 AND left_on IS NULL RETURNING id",
                    id, left_on, reason));
    if (r.size() != 1) {
      return Status::FailedPrecondition("membership " + std::to_string(id) +
                                        " is not open");
    }
    return Status::Ok();
  }

  Result<std::vector<Membership>> Members(int64_t coop_id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.members" + a.key,
                    std::string(kMemberSelect) + "WHERE m.coop_id = $1 AND " +
                        a.sql + " ORDER BY m.joined_on, m.id",
                    coop_id, a.value));
    return All<Membership>(r, ReadMember);
  }

  Result<std::vector<Membership>> MembershipsOf(
      std::string_view register_no) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.memberships_of" + a.key,
                                    std::string(kMemberSelect) +
                                        "WHERE p.register_no = $1 AND " +
                                        a.sql + " ORDER BY m.joined_on, m.id",
                                    register_no, a.value));
    return All<Membership>(r, ReadMember);
  }

  Result<std::vector<std::string>> MemberHouseholds(int64_t coop_id,
                                                    Date on) override {
    PgArea a = s_.Area({}, "h.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.member_households" + a.key,
                    "SELECT DISTINCT h.id FROM coop_members m JOIN persons p "
                    "ON p.pid = m.pid JOIN households h ON h.hh = p.hh WHERE "
                    "m.coop_id = $1 AND m.joined_on <= $2::date AND "
                    "(m.left_on IS NULL OR m.left_on >= $2::date) AND " +
                        a.sql + " ORDER BY h.id",
                    coop_id, on, a.value));
    std::vector<std::string> out;
    for (const pqxx::row& row : r) out.push_back(PgText(row[0]));
    return out;
  }

  Result<int64_t> AppendEntry(const LedgerEntry& e, int64_t owner_id,
                              int32_t soum_code, int64_t pid,
                              std::string_view actor,
                              std::string_view at) override {
    const InKindValue* k = e.in_kind ? &*e.in_kind : nullptr;
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "coop.entry_insert",
            "INSERT INTO coop_ledger (book, owner_id, soum_code, on_date, "
            "kind, amount, pid, method, in_kind_item, in_kind_quantity, "
            "in_kind_unit_price, in_kind_price_from, in_kind_price_source, "
            "line_id, remittance_id, reverses, note, actor, recorded_at, "
            "client_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
            "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20) RETURNING id",
            BookName(e.book), owner_id, soum_code, e.on, EntryKindName(e.kind),
            e.amount, Id(pid), MethodName(e.method),
            k ? OptText(k->item) : std::nullopt,
            k ? std::optional<double>(k->quantity) : std::nullopt,
            k ? std::optional<int64_t>(k->unit_price) : std::nullopt,
            k ? OptDateText(k->price_from) : std::nullopt,
            k ? std::optional<std::string>(k->price_source) : std::nullopt,
            Id(e.line_id), Id(e.remittance_id), Id(e.reverses), e.note, actor,
            at, OptText(e.client_key)));
    return ReturnedId(r);
  }

  Result<std::vector<LedgerEntry>> Entries(Book book,
                                           int64_t owner_id) override {
    PgArea a = s_.Area({}, "l.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.entries" + a.key,
                    std::string(kEntrySelect) +
                        "WHERE l.book = $1 AND l.owner_id = $2 AND " + a.sql +
                        " ORDER BY l.on_date, l.id",
                    BookName(book), owner_id, a.value));
    return All<LedgerEntry>(r, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntry(Book book, int64_t owner_id,
                                               int64_t id) override {
    PgArea a = s_.Area({}, "l.soum_code", 4);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.entry" + a.key,
                    std::string(kEntrySelect) +
                        "WHERE l.book = $1 AND l.owner_id = $2 AND l.id = $3 "
                        "AND " +
                        a.sql,
                    BookName(book), owner_id, id, a.value));
    return First<LedgerEntry>(r, ReadEntry);
  }

  Result<std::optional<LedgerEntry>> FindEntryByClientKey(
      std::string_view actor, std::string_view key) override {
    PgArea a = s_.Area({}, "l.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.entry_key" + a.key,
                    std::string(kEntrySelect) +
                        "WHERE l.actor = $1 AND l.client_key = $2 AND " + a.sql,
                    actor, key, a.value));
    return First<LedgerEntry>(r, ReadEntry);
  }

  Result<int64_t> Balance(Book book, int64_t owner_id, Date as_of) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.balance",
                    "SELECT coalesce(sum(amount), 0)::bigint FROM coop_ledger "
                    "WHERE book = $1 AND owner_id = $2 AND on_date <= $3",
                    BookName(book), owner_id, as_of));
    return r.empty() ? 0 : PgInt(r[0][0]);
  }

  Result<int64_t> InsertWarehouse(const Warehouse& w, int64_t coop_id,
                                  std::string_view actor,
                                  std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.warehouse_insert",
                    "INSERT INTO coop_warehouses (code, name, coop_id, "
                    "soum_code, bag, capacity_kg, created_by, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                    w.code, w.name, Id(coop_id), w.soum_code, w.bag,
                    w.capacity_kg, actor, at));
    return ReturnedId(r);
  }

  Result<std::optional<Warehouse>> FindWarehouse(
      std::string_view code) override {
    PgArea a = s_.Area({}, "w.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                             s_.Prepared("coop.warehouse" + a.key,
                                         std::string(kWarehouseSelect) +
                                             "WHERE w.code = $1 AND " + a.sql,
                                         code, a.value));
    return First<Warehouse>(r, ReadWarehouse);
  }

  Result<std::vector<Warehouse>> Warehouses(
      const std::vector<int32_t>& soums) override {
    PgArea a = s_.Area({}, "w.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.warehouses" + a.key,
                    std::string(kWarehouseSelect) +
                        "WHERE (cardinality($1::integer[]) = 0 OR "
                        "w.soum_code = ANY($1::integer[])) AND " +
                        a.sql + " ORDER BY w.soum_code, w.code",
                    IntArray(soums), a.value));
    return All<Warehouse>(r, ReadWarehouse);
  }

  Result<int64_t> AppendMovement(const FeedMovement& m, int64_t warehouse_id,
                                 std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.movement_insert",
                    "INSERT INTO coop_feed_movements (warehouse_id, on_date, "
                    "feed, kind, kg, hh, line_id, reverses, note, actor, "
                    "recorded_at, client_key) VALUES ($1, $2, $3, $4, $5, "
                    "(SELECT hh FROM households WHERE id = $6), $7, $8, $9, "
                    "$10, $11, $12) RETURNING id",
                    warehouse_id, m.on, FeedTypeName(m.feed),
                    MovementKindName(m.kind), m.kg, OptText(m.household_id),
                    Id(m.line_id), Id(m.reverses), m.note, actor, at,
                    OptText(m.client_key)));
    return ReturnedId(r);
  }

  Result<std::vector<FeedMovement>> Movements(int64_t warehouse_id) override {
    PgArea a = s_.Area({}, "w.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.movements" + a.key,
                                    std::string(kMovementSelect) +
                                        "WHERE m.warehouse_id = $1 AND " +
                                        a.sql + " ORDER BY m.on_date, m.id",
                                    warehouse_id, a.value));
    return All<FeedMovement>(r, ReadMovement);
  }

  Result<std::optional<FeedMovement>> FindMovementByClientKey(
      std::string_view actor, std::string_view key) override {
    PgArea a = s_.Area({}, "w.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.movement_key" + a.key,
                    std::string(kMovementSelect) +
                        "WHERE m.actor = $1 AND m.client_key = $2 AND " + a.sql,
                    actor, key, a.value));
    return First<FeedMovement>(r, ReadMovement);
  }

  Result<FeedStock> Stock(int64_t warehouse_id, Date as_of) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.stock",
                    "SELECT coalesce(sum(kg) FILTER (WHERE feed = 'hay'), "
                    "0)::bigint, coalesce(sum(kg) FILTER (WHERE feed = "
                    "'fodder'), 0)::bigint FROM coop_feed_movements WHERE "
                    "warehouse_id = $1 AND on_date <= $2",
                    warehouse_id, as_of));
    FeedStock out;
    if (!r.empty()) {
      out.hay_kg = PgInt(r[0][0]);
      out.fodder_kg = PgInt(r[0][1]);
    }
    return out;
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterCoopRepositories(PgFactories* f) {
  f->Add<coop::Repository>(
      [](PgSession& s) { return std::make_unique<PgCoopRepository>(s); });
}

}  // namespace malchin::backends::postgres
