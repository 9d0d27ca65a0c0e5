// SQLite implementation of coop::TrainingRepository (migration 0016):
// trainings, attendance, businesses and the raw counts of the statistics.
#include "backends/sqlite/coop_sql.h"

namespace malchin::backends::sqlite {
namespace {

using namespace coop;
using namespace coopsql;

constexpr const char* kTrainingSelect =
    "SELECT t.id, t.code, t.topic, t.title, t.soum_code, t.place, "
    "t.starts_on, t.ends_on, t.trainer, t.created_by, t.created_at, "
    "(SELECT count(*) FROM coop_attendance a WHERE a.training_id = t.id) "
    "FROM coop_trainings t ";

Result<Training> ReadTraining(Stmt& s) {
  Training t;
  t.id = s.Int(0);
  t.code = Text(s, 1);
  MALCHIN_ASSIGN_OR_RETURN(t.topic, ParseTrainingTopic(s.Text(2)));
  t.title = Text(s, 3);
  t.soum_code = static_cast<int32_t>(s.Int(4));
  t.place = Text(s, 5);
  t.starts_on = DateOf(s, 6);
  t.ends_on = DateOf(s, 7);
  t.trainer = Text(s, 8);
  t.created_by = Text(s, 9);
  t.created_at = Text(s, 10);
  t.attendees = s.Int(11);
  return t;
}

constexpr const char* kAttendanceSelect =
    "SELECT t.code, p.register_no, p.father_name || ' ' || p.given_name, "
    "p.sex, p.born, h.soum_code, a.completed, a.recorded_by FROM "
    "coop_attendance a JOIN coop_trainings t ON t.id = a.training_id JOIN "
    "persons p ON p.pid = a.pid JOIN households h ON h.hh = p.hh ";

Result<Attendance> ReadAttendance(Stmt& s) {
  Attendance a;
  a.training_code = Text(s, 0);
  a.register_no = Text(s, 1);
  a.name = Text(s, 2);
  a.sex = SexOf(s, 3);
  a.birth_date = Date::FromDays(static_cast<int32_t>(s.Int(4)));
  a.soum_code = static_cast<int32_t>(s.Int(5));
  a.completed = s.Int(6) != 0;
  a.recorded_by = Text(s, 7);
  return a;
}

constexpr const char* kBusinessSelect =
    "SELECT b.id, b.code, b.name, b.sector, b.soum_code, b.started_on, "
    "p.register_no, p.father_name || ' ' || p.given_name, "
    "coalesce(t.code, ''), b.created_by, b.created_at, (SELECT "
    "coalesce(sum(l.amount), 0) FROM coop_ledger l WHERE l.book = 'seed' "
    "AND l.owner_id = b.id) FROM coop_businesses b JOIN persons p ON "
    "p.pid = b.owner_pid LEFT JOIN coop_trainings t ON t.id = b.training_id ";

Result<Business> ReadBusiness(Stmt& s) {
  Business b;
  b.id = s.Int(0);
  b.code = Text(s, 1);
  b.name = Text(s, 2);
  b.sector = Text(s, 3);
  b.soum_code = static_cast<int32_t>(s.Int(4));
  b.started_on = DateOf(s, 5);
  b.owner_register_no = Text(s, 6);
  b.owner_name = Text(s, 7);
  b.training_code = Text(s, 8);
  b.created_by = Text(s, 9);
  b.created_at = Text(s, 10);
  b.seed_balance = s.Int(11);
  return b;
}

class SqliteTrainingRepository final : public coop::TrainingRepository {
 public:
  explicit SqliteTrainingRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> InsertTraining(const Training& t, std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.training_insert",
             "INSERT INTO coop_trainings (code, topic, title, soum_code, "
             "place, starts_on, ends_on, trainer, created_by, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    st->Bind(1, t.code).Bind(2, TrainingTopicName(t.topic)).Bind(3, t.title);
    st->Bind(4, t.soum_code).Bind(5, t.place);
    st->Bind(6, t.starts_on.ToString()).Bind(7, t.ends_on.ToString());
    st->Bind(8, t.trainer).Bind(9, actor).Bind(10, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<Training>> FindTraining(std::string_view code) override {
    AreaClause area = s_.Area({}, "t.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.training",
             std::string(kTrainingSelect) + "WHERE t.code = ?1 AND " + area.sql,
             &area));
    st->Bind(1, code);
    return FirstRow<Training>(*st, ReadTraining);
  }

  Result<std::vector<Training>> Trainings() override {
    AreaClause area = s_.Area({}, "t.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.trainings",
                        std::string(kTrainingSelect) + "WHERE " + area.sql +
                            " ORDER BY t.starts_on DESC, t.code",
                        &area));
    return All<Training>(*st, ReadTraining);
  }

  Status InsertAttendance(int64_t training_id, int64_t pid, bool completed,
                          std::string_view actor,
                          std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.attendance_insert",
                        "INSERT INTO coop_attendance (training_id, pid, "
                        "completed, recorded_by, recorded_at) VALUES (?1, "
                        "?2, ?3, ?4, ?5)"));
    st->Bind(1, training_id).Bind(2, pid).Bind(3, completed ? 1 : 0);
    st->Bind(4, actor).Bind(5, at);
    return st->Run();
  }

  Result<std::vector<Attendance>> AttendanceOf(int64_t training_id) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.attendance",
             std::string(kAttendanceSelect) + "WHERE a.training_id = ?1 AND " +
                 area.sql + " ORDER BY p.register_no",
             &area));
    st->Bind(1, training_id);
    return All<Attendance>(*st, ReadAttendance);
  }

  Result<std::vector<Attendance>> TrainingsOf(
      std::string_view register_no) override {
    AreaClause area = s_.Area();
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.trainings_of",
             std::string(kAttendanceSelect) + "WHERE p.register_no = ?1 AND " +
                 area.sql + " ORDER BY t.starts_on, t.code",
             &area));
    st->Bind(1, register_no);
    return All<Attendance>(*st, ReadAttendance);
  }

  Result<int64_t> InsertBusiness(const Business& b, int64_t owner_pid,
                                 int64_t training_id, std::string_view actor,
                                 std::string_view at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.business_insert",
             "INSERT INTO coop_businesses (code, name, sector, soum_code, "
             "started_on, owner_pid, training_id, created_by, created_at) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    st->Bind(1, b.code).Bind(2, b.name).Bind(3, b.sector);
    st->Bind(4, b.soum_code).Bind(5, b.started_on.ToString());
    st->Bind(6, owner_pid);
    BindId(*st, 7, training_id);
    st->Bind(8, actor).Bind(9, at);
    MALCHIN_RETURN_IF_ERROR(st->Run());
    return sqlite3_last_insert_rowid(s_.db().raw());
  }

  Result<std::optional<Business>> FindBusiness(std::string_view code) override {
    AreaClause area = s_.Area({}, "b.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st,
        Prep(s_, "coop.business",
             std::string(kBusinessSelect) + "WHERE b.code = ?1 AND " + area.sql,
             &area));
    st->Bind(1, code);
    return FirstRow<Business>(*st, ReadBusiness);
  }

  Result<std::vector<Business>> Businesses() override {
    AreaClause area = s_.Area({}, "b.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * st, Prep(s_, "coop.businesses",
                        std::string(kBusinessSelect) + "WHERE " + area.sql +
                            " ORDER BY b.code",
                        &area));
    return All<Business>(*st, ReadBusiness);
  }

  Result<std::vector<StatsRow>> StatsRows(const AreaFilter& requested,
                                          Date as_of) override {
    // One named :area serves every part (the same soum or aimag).
    AreaClause h = s_.Area(requested, "h.soum_code");
    AreaClause b = s_.Area(requested, "b.soum_code");
    AreaClause l = s_.Area(requested, "l.soum_code");
    const std::string sql =
        "SELECT 0, h.soum_code, p.sex, p.born, count(DISTINCT p.pid), "
        "count(DISTINCT CASE WHEN p.disability THEN "
        "p.pid END) FROM "
        "coop_members m JOIN persons p ON p.pid = m.pid JOIN households h ON "
        "h.hh = p.hh WHERE m.joined_on <= ?1 AND (m.left_on IS NULL OR "
        "m.left_on >= ?1) AND " +
        h.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 1, h.soum_code, p.sex, p.born, count(DISTINCT p.pid), "
        "count(DISTINCT CASE WHEN p.disability THEN "
        "p.pid END) FROM "
        "coop_attendance a JOIN coop_trainings t ON t.id = a.training_id "
        "JOIN persons p ON p.pid = a.pid JOIN households h ON h.hh = p.hh "
        "WHERE t.starts_on <= ?1 AND " +
        h.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 2, b.soum_code, p.sex, p.born, count(*), count(CASE WHEN "
        "p.disability THEN 1 END) FROM coop_businesses "
        "b JOIN persons p ON p.pid = b.owner_pid WHERE b.started_on <= ?1 "
        "AND " +
        b.sql +
        " GROUP BY 1, 2, 3, 4 UNION ALL "
        "SELECT 3, l.soum_code, l.sex, l.born, count(DISTINCT x.hh), "
        "count(DISTINCT CASE WHEN "
        "p.disability THEN x.hh END) FROM coop_deliveries x JOIN coop_lines l "
        "ON l.id = x.line_id JOIN coop_distributions d ON d.id = "
        "l.distribution_id JOIN persons p ON p.pid = l.payee_pid WHERE d.kind "
        "= 'in_kind' AND "
        "x.delivered_on <= ?1 AND " +
        l.sql + " GROUP BY 1, 2, 3, 4";
    MALCHIN_ASSIGN_OR_RETURN(Stmt * st, Prep(s_, "coop.stats", sql, &h));
    st->Bind(1, as_of.ToString());
    std::vector<StatsRow> out;
    MALCHIN_RETURN_IF_ERROR(ForRows(*st, [&](Stmt& s) {
      out.push_back({static_cast<int>(s.Int(0)), static_cast<int32_t>(s.Int(1)),
                     SexOf(s, 2), static_cast<int32_t>(s.Int(3)), s.Int(4),
                     s.Int(5)});
      return Status::Ok();
    }));
    return out;
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterCoopTrainingRepositories(Factories* f) {
  f->Add<coop::TrainingRepository, SqliteTrainingRepository>();
}

}  // namespace malchin::backends::sqlite
