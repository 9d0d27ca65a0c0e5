// PostgreSQL implementation of coop::DistributionRepository (migration
// 0007): the in-kind catalogue, distributions, their frozen lines and
// deliveries.
#include "backends/postgres/coop_pg.h"

namespace malchin::backends::postgres {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kItemSelect =
    "SELECT id, code, name_en, name_mn, unit, unit_value, created_by, "
    "created_at FROM coop_items ";

Result<InKindItem> ReadItem(const pqxx::row& r) {
  return InKindItem{PgInt(r[0]),  PgText(r[1]), PgText(r[2]), PgText(r[3]),
                    PgText(r[4]), PgInt(r[5]),  PgText(r[6]), PgText(r[7])};
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

Result<Distribution> ReadDistribution(const pqxx::row& r) {
  Distribution d;
  d.id = PgInt(r[0]);
  d.code = PgText(r[1]);
  MALCHIN_ASSIGN_OR_RETURN(d.kind, ParseDistributionKind(PgText(r[2])));
  d.name = PgText(r[3]);
  d.coop_code = PgText(r[4]);
  d.warehouse_code = PgText(r[5]);
  d.item = PgText(r[6]);
  d.event_code = PgText(r[7]);
  d.area_code = static_cast<int32_t>(PgInt(r[8]));
  d.eligibility = PgText(r[9]);
  d.quantity = PgText(r[10]);
  d.cutoff_on = PgDate(r[11]);
  d.decision = PgText(r[12]);
  d.status = PgText(r[13]) == "approved" ? DistributionStatus::kApproved
                                         : DistributionStatus::kPrepared;
  d.prepared_by = PgText(r[14]);
  d.prepared_at = PgText(r[15]);
  d.approved_by = PgText(r[16]);
  d.approved_at = PgText(r[17]);
  d.households = PgInt(r[18]);
  d.total_quantity = PgInt(r[19]);
  d.total_value = PgInt(r[20]);
  d.delivered = PgInt(r[21]);
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

Result<DistributionLine> ReadLine(const pqxx::row& r) {
  DistributionLine l;
  l.id = PgInt(r[0]);
  l.household_id = PgText(r[1]);
  l.soum_code = static_cast<int32_t>(PgInt(r[2]));
  l.payee_register_no = PgText(r[3]);
  l.payee_name = PgText(r[4]);
  l.payee_sex = SexOf(r[5]);
  l.payee_birth_date = Date::FromDays(static_cast<int32_t>(PgInt(r[6])));
  l.quantity = PgInt(r[7]);
  l.value = PgInt(r[8]);
  if (!r[9].is_null()) {
    Delivery d;
    d.id = PgInt(r[9]);
    d.line_id = l.id;
    d.delivered_on = PgDate(r[10]);
    d.received_by = PgText(r[11]);
    d.received_name = PgText(r[12]);
    d.confirmed_by = PgText(r[13]);
    d.confirmed_at = PgText(r[14]);
    d.note = PgText(r[15]);
    d.client_key = PgText(r[16]);
    l.delivery = std::move(d);
  }
  return l;
}

using Found = std::pair<std::string, Delivery>;
Result<Found> ReadFoundDelivery(const pqxx::row& r) {
  Delivery d{PgInt(r[1]),  PgInt(r[2]),  PgDate(r[3]),
             PgText(r[4]), PgText(r[5]), PgText(r[6]),
             PgText(r[7]), PgText(r[8]), PgText(r[9])};
  return Found(PgText(r[0]), std::move(d));
}

class PgDistributionRepository final : public coop::DistributionRepository {
 public:
  explicit PgDistributionRepository(PgSession& s) : s_(s) {}

  Result<int64_t> InsertItem(const InKindItem& item, std::string_view actor,
                             std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.item_insert",
                    "INSERT INTO coop_items (code, name_en, name_mn, unit, "
                    "unit_value, created_by, created_at) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7) RETURNING id",
                    item.code, item.name_en, item.name_mn, item.unit,
                    item.unit_value, actor, at));
    return ReturnedId(r);
  }

  Result<std::optional<InKindItem>> FindItem(std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.item", std::string(kItemSelect) + "WHERE code = $1",
                    code));
    return First<InKindItem>(r, ReadItem);
  }

  Result<std::vector<InKindItem>> Items() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.items", std::string(kItemSelect) + "ORDER BY code"));
    return All<InKindItem>(r, ReadItem);
  }

  Result<int64_t> InsertDistribution(const Distribution& d, int64_t coop_id,
                                     int64_t warehouse_id, int64_t item_id,
                                     std::string_view actor,
                                     std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "coop.distribution_insert",
            "INSERT INTO coop_distributions (code, kind, name, coop_id, "
            "warehouse_id, item_id, feed, event_code, area_code, eligibility, "
            "quantity, cutoff_on, decision, status, prepared_by, prepared_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
            "'prepared', $14, $15) RETURNING id",
            d.code, DistributionKindName(d.kind), d.name, Id(coop_id),
            Id(warehouse_id), Id(item_id),
            d.kind == DistributionKind::kFeed ? OptText(d.item) : std::nullopt,
            d.event_code, d.area_code, d.eligibility, d.quantity, d.cutoff_on,
            d.decision, actor, at));
    return ReturnedId(r);
  }

  Result<std::optional<Distribution>> FindDistribution(
      std::string_view code) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.distribution",
                    std::string(kDistributionSelect) + "WHERE d.code = $1",
                    code));
    return First<Distribution>(r, ReadDistribution);
  }

  Result<std::vector<Distribution>> Distributions(
      std::optional<DistributionKind> kind) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.distributions",
                    std::string(kDistributionSelect) +
                        "WHERE $1::text = '' OR d.kind = $1 ORDER BY d.id DESC",
                    kind ? DistributionKindName(*kind) : std::string_view("")));
    return All<Distribution>(r, ReadDistribution);
  }

  Status Approve(int64_t id, std::string_view approver, std::string_view at,
                 const std::vector<NewLine>& lines, int64_t total_quantity,
                 int64_t total_value) override {
    for (const NewLine& l : lines) {
      MALCHIN_RETURN_IF_ERROR(
          s_.Prepared("coop.line_insert",
                      "INSERT INTO coop_lines (distribution_id, hh, "
                      "payee_pid, soum_code, sex, born, quantity, value) "
                      "VALUES ($1, (SELECT hh FROM households WHERE id = $2), "
                      "$3, $4, $5, $6, $7, $8)",
                      id, l.household_id, l.payee_pid, l.soum_code,
                      SexLetter(l.payee_sex), l.payee_birth_date.days(),
                      l.quantity, l.value)
              .status());
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.distribution_approve",
                    "UPDATE coop_distributions SET status = 'approved', "
                    "approved_by = $2, approved_at = $3, households = $4, "
                    "total_quantity = $5, total_value = $6 WHERE id = $1 AND "
                    "status = 'prepared' RETURNING id",
                    id, approver, at, static_cast<int64_t>(lines.size()),
                    total_quantity, total_value));
    if (r.size() != 1) {
      return Status::FailedPrecondition("distribution " + std::to_string(id) +
                                        " is not prepared");
    }
    return Status::Ok();
  }

  Result<LinePage> Lines(int64_t distribution_id, bool undelivered_only,
                         int64_t offset, int64_t limit) override {
    const std::string where =
        "WHERE l.distribution_id = $1 AND ($2::integer = 0 OR x.id IS NULL) "
        "AND ";
    LinePage page;
    PgArea ca = s_.Area({}, "l.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result count,
        s_.Prepared("coop.lines_count" + ca.key,
                    "SELECT count(*) FROM coop_lines l LEFT JOIN "
                    "coop_deliveries x ON x.line_id = l.id " +
                        where + ca.sql,
                    distribution_id, undelivered_only ? 1 : 0, ca.value));
    page.total = count.empty() ? 0 : PgInt(count[0][0]);
    PgArea a = s_.Area({}, "l.soum_code", 5);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.lines" + a.key,
                                    std::string(kLineSelect) + where + a.sql +
                                        " ORDER BY h.id LIMIT $3 OFFSET $4",
                                    distribution_id, undelivered_only ? 1 : 0,
                                    limit, offset, a.value));
    MALCHIN_ASSIGN_OR_RETURN(page.items, All<DistributionLine>(r, ReadLine));
    return page;
  }

  Result<std::optional<DistributionLine>> FindLine(
      int64_t distribution_id, std::string_view household_id) override {
    PgArea a = s_.Area({}, "l.soum_code", 3);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.line" + a.key,
                    std::string(kLineSelect) +
                        "WHERE l.distribution_id = $1 AND h.id = $2 AND " +
                        a.sql,
                    distribution_id, household_id, a.value));
    return First<DistributionLine>(r, ReadLine);
  }

  Result<int64_t> InsertDelivery(int64_t distribution_id, int64_t line_id,
                                 const Delivery& d, int64_t received_pid,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.delivery_insert",
                    "INSERT INTO coop_deliveries (line_id, distribution_id, "
                    "hh, delivered_on, received_pid, confirmed_by, "
                    "confirmed_at, note, client_key) VALUES ($1, $2, (SELECT "
                    "hh FROM coop_lines WHERE id = $1), $3, $4, $5, $6, $7, "
                    "$8) RETURNING id",
                    line_id, distribution_id, d.delivered_on, received_pid,
                    d.confirmed_by, at, d.note, OptText(d.client_key)));
    return ReturnedId(r);
  }

  Result<std::optional<Found>> FindDeliveryByClientKey(
      std::string_view actor, std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.delivery_key",
                    "SELECT h.id, x.id, x.line_id, x.delivered_on, "
                    "rp.register_no, rp.father_name || ' ' || rp.given_name, "
                    "x.confirmed_by, x.confirmed_at, x.note, x.client_key "
                    "FROM coop_deliveries x JOIN households h ON h.hh = x.hh "
                    "JOIN persons rp ON rp.pid = x.received_pid WHERE "
                    "x.confirmed_by = $1 AND x.client_key = $2",
                    actor, key));
    return First<Found>(r, ReadFoundDelivery);
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterCoopDistributionRepositories(PgFactories* f) {
  f->Add<coop::DistributionRepository>([](PgSession& s) {
    return std::make_unique<PgDistributionRepository>(s);
  });
}

}  // namespace malchin::backends::postgres
