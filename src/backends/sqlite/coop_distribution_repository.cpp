// SQLite implementation of coop::DistributionRepository (migration 0016):
// the in-kind catalogue, distributions, their frozen lines and deliveries.
#include "backends/sqlite/coop_sql.h"

namespace malchin::backends::sqlite {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kItemSelect =
    "SELECT id, code, name_en, name_mn, unit, unit_value, created_by, "
    "created_at FROM coop_items ";

Result<InKindItem> ReadItem(Stmt& s) {
  return InKindItem{s.Int(0),   Text(s, 1), Text(s, 2), Text(s, 3),
                    Text(s, 4), s.Int(5),   Text(s, 6), Text(s, 7)};
}

constexpr const char* kDistributionSelect =
    "SELECT d.id, d.code, d.kind, d.name, coalesce(c.code, ''), "
    "coalesce(w.code, ''), CASE d.kind WHEN 'in_kind' THEN i.code WHEN "
    "'feed' THEN d.feed ELSE '' END, d.event_code, d.area_code, "
    "d.eligibility, d.quantity, d.cutoff_on, d.decision, d.status, "
    "d.prepared_by, d.prepared_at, coalesce(d.approved_by, ''), "
    "coalesce(d.approved_at, ''), d.households, d.total_quantity, "
    "d.total_value, (SELECT count(*) FROM coop_deliveries x WHERE "
    "x.distribution_id = d.id) FROM coop_distributions d LEFT JOIN "
    "coop_cooperatives c ON c.id = d.coop_id LEFT JOIN coop_warehouses w ON "
    "w.id = d.warehouse_id LEFT JOIN coop_items i ON i.id = d.item_id ";

Result<Distribution> ReadDistribution(Stmt& s) {
  Distribution d;
  d.id = s.Int(0);
  d.code = Text(s, 1);
  MALCHIN_ASSIGN_OR_RETURN(d.kind, ParseDistributionKind(s.Text(2)));
  d.name = Text(s, 3);
  d.coop_code = Text(s, 4);
  d.warehouse_code = Text(s, 5);
  d.item = Text(s, 6);
  d.event_code = Text(s, 7);
  d.area_code = static_cast<int32_t>(s.Int(8));
  d.eligibility = Text(s, 9);
  d.quantity = Text(s, 10);
  d.cutoff_on = DateOf(s, 11);
  d.decision = Text(s, 12);
  d.status = s.Text(13) == "approved" ? DistributionStatus::kApproved
                                      : DistributionStatus::kPrepared;
  d.prepared_by = Text(s, 14);
  d.prepared_at = Text(s, 15);
  d.approved_by = Text(s, 16);
  d.approved_at = Text(s, 17);
  d.households = s.Int(18);
  d.total_quantity = s.Int(19);
  d.total_value = s.Int(20);
  d.delivered = s.Int(21);
  return d;
}

constexpr const char* kLineSelect =
    "SELECT l.id, h.id, l.soum_code, p.register_no, "
    "p.father_name || ' ' || p.given_name, l.sex, l.born, l.quantity, "
    "l.value, x.id, x.delivered_on, rp.register_no, "
    "rp.father_name || ' ' || rp.given_name, x.confirmed_by, "
    "x.confirmed_at, x.note, coalesce(x.client_key, '') "
    "FROM coop_lines l JOIN households h ON h.hh = l.hh "
    "JOIN persons p ON p.pid = l.payee_pid "
    "LEFT JOIN coop_deliveries x ON x.line_id = l.id "
    "LEFT JOIN persons rp ON rp.pid = x.received_pid ";

Result<DistributionLine> ReadLine(Stmt& s) {
  DistributionLine l;
  l.id = s.Int(0);
  l.household_id = Text(s, 1);
  l.soum_code = static_cast<int32_t>(s.Int(2));
  l.payee_register_no = Text(s, 3);
  l.payee_name = Text(s, 4);
  l.payee_sex = SexOf(s, 5);
  l.payee_birth_date = Date::FromDays(static_cast<int32_t>(s.Int(6)));
  l.quantity = s.Int(7);
  l.value = s.Int(8);
  if (!s.IsNull(9)) {
    Delivery d;
    d.id = s.Int(9);
    d.line_id = l.id;
    d.delivered_on = DateOf(s, 10);
    d.received_by = Text(s, 11);
    d.received_name = Text(s, 12);
    d.confirmed_by = Text(s, 13);
    d.confirmed_at = Text(s, 14);
    d.note = Text(s, 15);
    d.client_key = Text(s, 16);
    l.delivery = std::move(d);
  }
  return l;
}

class SqliteDistributionRepository final : public coop::DistributionRepository {
 public:
  explicit SqliteDistributionRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> InsertItem(const InKindItem& item, std::string_view actor,
                             std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.item_insert",
                        "INSERT INTO coop_items (code, name_en, name_mn, "
                        "unit, unit_value, created_by, created_at) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    st->Bind(1, item.code).Bind(2, item.name_en).Bind(3, item.name_mn);
    st->Bind(4, item.unit).Bind(5, item.unit_value).Bind(6, actor);
    st->Bind(7, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<InKindItem>> FindItem(std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.item", std::string(kItemSelect) + "WHERE code = ?1"));
    st->Bind(1, code);
    return FirstRow<InKindItem>(*st, ReadItem);
  }

  Result<std::vector<InKindItem>> Items() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.items", std::string(kItemSelect) + "ORDER BY code"));
    return All<InKindItem>(*st, ReadItem);
  }

  Result<int64_t> InsertDistribution(const Distribution& d, int64_t coop_id,
                                     int64_t warehouse_id, int64_t item_id,
                                     std::string_view actor,
                                     std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.distribution_insert",
             "INSERT INTO coop_distributions (code, kind, name, coop_id, "
             "warehouse_id, item_id, feed, event_code, area_code, "
             "eligibility, quantity, cutoff_on, decision, status, "
             "prepared_by, prepared_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
             "?8, ?9, ?10, ?11, ?12, ?13, 'prepared', ?14, ?15)"));
    st->Bind(1, d.code).Bind(2, DistributionKindName(d.kind)).Bind(3, d.name);
    BindId(*st, 4, coop_id);
    BindId(*st, 5, warehouse_id);
    BindId(*st, 6, item_id);
    BindOptText(*st, 7,
                d.kind == DistributionKind::kFeed ? d.item : std::string());
    st->Bind(8, d.event_code).Bind(9, d.area_code).Bind(10, d.eligibility);
    st->Bind(11, d.quantity).Bind(12, d.cutoff_on.ToString());
    st->Bind(13, d.decision).Bind(14, actor).Bind(15, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<Distribution>> FindDistribution(
      std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * st, Prep(s_, "coop.distribution",
                                             std::string(kDistributionSelect) +
                                                 "WHERE d.code = ?1"));
    st->Bind(1, code);
    return FirstRow<Distribution>(*st, ReadDistribution);
  }

  Result<std::vector<Distribution>> Distributions(
      std::optional<DistributionKind> kind) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.distributions",
                        std::string(kDistributionSelect) +
                            "WHERE ?1 = '' OR d.kind = ?1 ORDER BY d.id DESC"));
    st->Bind(1, kind ? DistributionKindName(*kind) : std::string_view(""));
    return All<Distribution>(*st, ReadDistribution);
  }

  Status Approve(int64_t id, std::string_view approver, std::string_view at,
                 const std::vector<NewLine>& lines, int64_t total_quantity,
                 int64_t total_value) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * ins,
        Prep(s_, "coop.line_insert",
             "INSERT INTO coop_lines (distribution_id, hh, payee_pid, "
             "soum_code, sex, born, quantity, value) VALUES (?1, (SELECT hh "
             "FROM households WHERE id = ?2), ?3, ?4, ?5, ?6, ?7, ?8)"));
    for (const NewLine& l : lines) {
      ins->Bind(1, id).Bind(2, l.household_id).Bind(3, l.payee_pid);
      ins->Bind(4, l.soum_code).Bind(5, SexLetter(l.payee_sex));
      ins->Bind(6, l.payee_birth_date.days()).Bind(7, l.quantity);
      ins->Bind(8, l.value);
      MALCHIN_RETURN_IF_ERROR(ins->Run());
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.distribution_approve",
             "UPDATE coop_distributions SET status = 'approved', "
             "approved_by = ?2, approved_at = ?3, households = ?4, "
             "total_quantity = ?5, total_value = ?6 WHERE id = ?1 AND "
             "status = 'prepared'"));
    st->Bind(1, id).Bind(2, approver).Bind(3, at);
    st->Bind(4, static_cast<int64_t>(lines.size())).Bind(5, total_quantity);
    st->Bind(6, total_value);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    if (s_.db().Changes() != 1) {
      return Status::FailedPrecondition("distribution " + std::to_string(id) +
                                        " is not prepared");
    }
    return Status::Ok();
  }

  Result<LinePage> Lines(int64_t distribution_id, bool undelivered_only,
                         int64_t offset, int64_t limit) override {
    AreaClause area = s_.Area({}, "l.soum_code");
    const std::string where =
        "WHERE l.distribution_id = ?1 AND (?2 = 0 OR x.id IS NULL) AND ";
    LinePage page;
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * count,
        Prep(s_, "coop.lines_count",
             "SELECT count(*) FROM coop_lines l LEFT JOIN coop_deliveries x "
             "ON x.line_id = l.id " +
                 where + area.sql,
             &area));
    count->Bind(1, distribution_id).Bind(2, undelivered_only ? 1 : 0);
    MALCHIN_RETURN_IF_ERROR(ForRows(*count, [&](Stmt& s) {
      page.total = s.Int(0);
      return Status::Ok();
    }));
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.lines",
             std::string(kLineSelect) + where + "?3 >= 0 AND ?4 >= 0 AND " +
                 area.sql + " ORDER BY h.id LIMIT ?3 OFFSET ?4",
             &area));
    st->Bind(1, distribution_id).Bind(2, undelivered_only ? 1 : 0);
    st->Bind(3, limit).Bind(4, offset);
    MALCHIN_ASSIGN_OR_RETURN(page.items, All<DistributionLine>(*st, ReadLine));
    return page;
  }

  Result<std::optional<DistributionLine>> FindLine(
      int64_t distribution_id, std::string_view household_id) override {
    AreaClause area = s_.Area({}, "l.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.line",
             std::string(kLineSelect) +
                 "WHERE l.distribution_id = ?1 AND h.id = ?2 AND " + area.sql,
             &area));
    st->Bind(1, distribution_id).Bind(2, household_id);
    return FirstRow<DistributionLine>(*st, ReadLine);
  }

  Result<int64_t> InsertDelivery(int64_t distribution_id, int64_t line_id,
                                 const Delivery& d, int64_t received_pid,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.delivery_insert",
             "INSERT INTO coop_deliveries (line_id, distribution_id, hh, "
             "delivered_on, received_pid, confirmed_by, confirmed_at, note, "
             "client_key) VALUES (?1, ?2, (SELECT hh FROM coop_lines WHERE "
             "id = ?1), ?3, ?4, ?5, ?6, ?7, ?8)"));
    st->Bind(1, line_id).Bind(2, distribution_id);
    st->Bind(3, d.delivered_on.ToString()).Bind(4, received_pid);
    st->Bind(5, d.confirmed_by).Bind(6, at).Bind(7, d.note);
    BindOptText(*st, 8, d.client_key);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<std::pair<std::string, Delivery>>>
  FindDeliveryByClientKey(std::string_view actor,
                          std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.delivery_key",
             "SELECT h.id, x.id, x.line_id, x.delivered_on, rp.register_no, "
             "rp.father_name || ' ' || rp.given_name, x.confirmed_by, "
             "x.confirmed_at, x.note, x.client_key FROM coop_deliveries x "
             "JOIN households h ON h.hh = x.hh JOIN persons rp ON rp.pid = "
             "x.received_pid WHERE x.confirmed_by = ?1 AND x.client_key = "
             "?2"));
    st->Bind(1, actor).Bind(2, key);
    using Found = std::pair<std::string, Delivery>;
    return FirstRow<Found>(*st, [](Stmt& s) -> Result<Found> {
      Delivery d{s.Int(1),   s.Int(2),   DateOf(s, 3), Text(s, 4), Text(s, 5),
                 Text(s, 6), Text(s, 7), Text(s, 8),   Text(s, 9)};
      return Found(Text(s, 0), std::move(d));
    });
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterCoopDistributionRepositories(Factories* f) {
  f->Add<coop::DistributionRepository, SqliteDistributionRepository>();
}

}  // namespace malchin::backends::sqlite
