// PostgreSQL implementation of coop::TrainingRepository (migration 0013):
// trainings, attendance, businesses and the raw counts of the statistics.
#include "backends/postgres/coop_pg.h"

namespace malchin::backends::postgres {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kTrainingSelect =
    "SELECT t.id, t.code, t.topic, t.title, t.soum_code, t.place, "
    "t.starts_on, t.ends_on, t.trainer, t.created_by, t.created_at, "
    "(SELECT count(*) FROM coop_attendance a WHERE a.training_id = t.id) "
    "FROM coop_trainings t ";

Result<Training> ReadTraining(const pqxx::row& r) {
  Training t;
  t.id = PgInt(r[0]);
  t.code = PgText(r[1]);
  MALCHIN_ASSIGN_OR_RETURN(t.topic, ParseTrainingTopic(PgText(r[2])));
  t.title = PgText(r[3]);
  t.soum_code = static_cast<int32_t>(PgInt(r[4]));
  t.place = PgText(r[5]);
  t.starts_on = PgDate(r[6]);
  t.ends_on = PgDate(r[7]);
  t.trainer = PgText(r[8]);
  t.created_by = PgText(r[9]);
  t.created_at = PgText(r[10]);
  t.attendees = PgInt(r[11]);
  return t;
}

constexpr const char* kAttendanceSelect =
    "SELECT t.code, p.register_no, p.father_name || ' ' || p.given_name, "
    "p.sex, p.born, h.soum_code, a.completed, a.recorded_by FROM "
    "coop_attendance a JOIN coop_trainings t ON t.id = a.training_id JOIN "
    "persons p ON p.pid = a.pid JOIN households h ON h.hh = p.hh ";

Result<Attendance> ReadAttendance(const pqxx::row& r) {
  Attendance a;
  a.training_code = PgText(r[0]);
  a.register_no = PgText(r[1]);
  a.name = PgText(r[2]);
  a.sex = SexOf(r[3]);
  a.birth_date = Date::FromDays(static_cast<int32_t>(PgInt(r[4])));
  a.soum_code = static_cast<int32_t>(PgInt(r[5]));
  a.completed = PgBool(r[6]);
  a.recorded_by = PgText(r[7]);
  return a;
}

constexpr const char* kBusinessSelect =
    "SELECT b.id, b.code, b.name, b.sector, b.soum_code, b.started_on, "
    "p.register_no, p.father_name || ' ' || p.given_name, "
    "coalesce(t.code, ''), b.created_by, b.created_at, (SELECT "
    "coalesce(sum(l.amount), 0)::bigint FROM coop_ledger l WHERE l.book = "
    "'seed' AND l.owner_id = b.id) FROM coop_businesses b JOIN persons p ON "
    "p.pid = b.owner_pid LEFT JOIN coop_trainings t ON t.id = b.training_id ";

Result<Business> ReadBusiness(const pqxx::row& r) {
  Business b;
  b.id = PgInt(r[0]);
  b.code = PgText(r[1]);
  b.name = PgText(r[2]);
  b.sector = PgText(r[3]);
  b.soum_code = static_cast<int32_t>(PgInt(r[4]));
  b.started_on = PgDate(r[5]);
  b.owner_register_no = PgText(r[6]);
  b.owner_name = PgText(r[7]);
  b.training_code = PgText(r[8]);
  b.created_by = PgText(r[9]);
  b.created_at = PgText(r[10]);
  b.seed_balance = PgInt(r[11]);
  return b;
}

class PgTrainingRepository final : public coop::TrainingRepository {
 public:
  explicit PgTrainingRepository(PgSession& s) : s_(s) {}

  Result<int64_t> InsertTraining(const Training& t, std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.training_insert",
                    "INSERT INTO coop_trainings (code, topic, title, "
                    "soum_code, place, starts_on, ends_on, trainer, "
                    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "$7, $8, $9, $10) RETURNING id",
                    t.code, TrainingTopicName(t.topic), t.title, t.soum_code,
                    t.place, t.starts_on, t.ends_on, t.trainer, actor, at));
    return ReturnedId(r);
  }

  Result<std::optional<Training>> FindTraining(std::string_view code) override {
    PgArea a = s_.Area({}, "t.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                             s_.Prepared("coop.training" + a.key,
                                         std::string(kTrainingSelect) +
                                             "WHERE t.code = $1 AND " + a.sql,
                                         code, a.value));
    return First<Training>(r, ReadTraining);
  }

  Result<std::vector<Training>> Trainings() override {
    PgArea a = s_.Area({}, "t.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.trainings" + a.key,
                    std::string(kTrainingSelect) + "WHERE " + a.sql +
                        " ORDER BY t.starts_on DESC, t.code",
                    a.value));
    return All<Training>(r, ReadTraining);
  }

  Status InsertAttendance(int64_t training_id, int64_t pid, bool completed,
                          std::string_view actor,
                          std::string_view at) override {
    return s_
        .Prepared("coop.attendance_insert",
                  "INSERT INTO coop_attendance (training_id, pid, completed, "
                  "recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5)",
                  training_id, pid, completed, actor, at)
        .status();
  }

  Result<std::vector<Attendance>> AttendanceOf(int64_t training_id) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                             s_.Prepared("coop.attendance" + a.key,
                                         std::string(kAttendanceSelect) +
                                             "WHERE a.training_id = $1 AND " +
                                             a.sql + " ORDER BY p.register_no",
                                         training_id, a.value));
    return All<Attendance>(r, ReadAttendance);
  }

  Result<std::vector<Attendance>> TrainingsOf(
      std::string_view register_no) override {
    PgArea a = s_.Area({}, "h.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.trainings_of" + a.key,
                                    std::string(kAttendanceSelect) +
                                        "WHERE p.register_no = $1 AND " +
                                        a.sql + " ORDER BY t.starts_on, t.code",
                                    register_no, a.value));
    return All<Attendance>(r, ReadAttendance);
  }

  Result<int64_t> InsertBusiness(const Business& b, int64_t owner_pid,
                                 int64_t training_id, std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("coop.business_insert",
                    "INSERT INTO coop_businesses (code, name, sector, "
                    "soum_code, started_on, owner_pid, training_id, "
                    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                    "$7, $8, $9) RETURNING id",
                    b.code, b.name, b.sector, b.soum_code, b.started_on,
                    owner_pid, Id(training_id), actor, at));
    return ReturnedId(r);
  }

  Result<std::optional<Business>> FindBusiness(std::string_view code) override {
    PgArea a = s_.Area({}, "b.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                             s_.Prepared("coop.business" + a.key,
                                         std::string(kBusinessSelect) +
                                             "WHERE b.code = $1 AND " + a.sql,
                                         code, a.value));
    return First<Business>(r, ReadBusiness);
  }

  Result<std::vector<Business>> Businesses() override {
    PgArea a = s_.Area({}, "b.soum_code", 1);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.businesses" + a.key,
                                    std::string(kBusinessSelect) + "WHERE " +
                                        a.sql + " ORDER BY b.code",
                                    a.value));
    return All<Business>(r, ReadBusiness);
  }

  Result<std::vector<StatsRow>> StatsRows(const AreaFilter& requested,
                                          Date as_of) override {
    PgArea m = s_.Area(requested, "h.soum_code", 2);
    PgArea t = s_.Area(requested, "h.soum_code", 3);
    PgArea b = s_.Area(requested, "b.soum_code", 4);
    PgArea l = s_.Area(requested, "l.soum_code", 5);
    const std::string sql =
        "SELECT 0, h.soum_code, p.sex, p.born, count(DISTINCT p.pid), "
        "count(DISTINCT CASE WHEN p.disability THEN "
        "p.pid END) FROM "
        "coop_members m JOIN persons p ON p.pid = m.pid JOIN households h ON "
        "h.hh = p.hh WHERE m.joined_on <= $1::date AND (m.left_on IS NULL "
        "OR m.left_on >= $1::date) AND " +
        m.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 1, h.soum_code, p.sex, p.born, count(DISTINCT p.pid), "
        "count(DISTINCT CASE WHEN p.disability THEN "
        "p.pid END) FROM "
        "coop_attendance a JOIN coop_trainings t ON t.id = a.training_id "
        "JOIN persons p ON p.pid = a.pid JOIN households h ON h.hh = p.hh "
        "WHERE t.starts_on <= $1::date AND " +
        t.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 2, b.soum_code, p.sex, p.born, count(*), count(CASE WHEN "
        "p.disability THEN 1 END) FROM coop_businesses "
        "b JOIN persons p ON p.pid = b.owner_pid WHERE b.started_on <= "
        "$1::date AND " +
        b.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 3, l.soum_code, l.sex, l.born, count(DISTINCT x.hh), "
        "count(DISTINCT CASE WHEN "
        "p.disability THEN x.hh END) FROM coop_deliveries x JOIN coop_lines l "
        "ON l.id = x.line_id JOIN coop_distributions d ON d.id = "
        "l.distribution_id JOIN persons p ON p.pid = l.payee_pid WHERE d.kind "
        "= 'in_kind' AND "
        "x.delivered_on <= $1::date AND " +
        l.sql + " GROUP BY 1, 2, 3, 4";
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("coop.stats" + m.key, sql, as_of, m.value,
                                    t.value, b.value, l.value));
    std::vector<StatsRow> out;
    out.reserve(r.size());
    for (const pqxx::row& row : r) {
      out.push_back({static_cast<int>(PgInt(row[0])),
                     static_cast<int32_t>(PgInt(row[1])), SexOf(row[2]),
                     static_cast<int32_t>(PgInt(row[3])), PgInt(row[4]),
                     PgInt(row[5])});
    }
    return out;
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterCoopTrainingRepositories(PgFactories* f) {
  f->Add<coop::TrainingRepository>(
      [](PgSession& s) { return std::make_unique<PgTrainingRepository>(s); });
}

}  // namespace malchin::backends::postgres
