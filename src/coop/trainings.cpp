#include "coop/trainings.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "coop/books.h"
#include "registry/population.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::WriteResult;

namespace {

Status CheckSoum(const Context& ctx, int32_t soum) {
  const geo::Unit* u = ctx.geography->Find(soum);
  if (u && !u->is_aimag_level()) return Status::Ok();
  return Status::InvalidArgument(
      "soum " + std::to_string(soum) +
          ": expected the 5-digit code of a soum or district",
      "soum_code");
}

bool SameTraining(const Training& a, const Training& b) {
  return a.topic == b.topic && a.title == b.title &&
         a.soum_code == b.soum_code && a.place == b.place &&
         a.starts_on == b.starts_on && a.ends_on == b.ends_on &&
         a.trainer == b.trainer;
}

Result<Business> BusinessActedOn(store::Session& session, const Actor& actor,
                                 const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(Business b, FindBusiness(session, code));
  MALCHIN_RETURN_IF_ERROR(CheckActsOver(
      actor, store::AreaFilter::FromCode(b.soum_code), "business " + b.code));
  return b;
}

internal::Owner SeedOf(const Business& b) {
  return internal::Owner{Book::kSeed, b.id, b.code, b.soum_code};
}

}  // namespace

Result<Training> CreateTraining(store::Session& session, const Context& ctx,
                                const Actor& actor, Training t) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(t.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(t.title, "title", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(t.place, "place", 200, true));
  MALCHIN_RETURN_IF_ERROR(CheckText(t.trainer, "trainer", 200, true));
  MALCHIN_RETURN_IF_ERROR(CheckSoum(ctx, t.soum_code));
  if (t.ends_on < t.starts_on) {
    return Status::InvalidArgument(
        "a training ending on " + t.ends_on.ToString() +
            " before it starts on " + t.starts_on.ToString(),
        "ends_on");
  }
  MALCHIN_RETURN_IF_ERROR(
      CheckActsOver(actor, store::AreaFilter::FromCode(t.soum_code),
                    "soum " + std::to_string(t.soum_code)));
  return WriteResult<Training>(session, [&]() -> Result<Training> {
    auto& repo = session.Get<TrainingRepository>();
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindTraining(t.code));
    if (existing) {
      if (SameTraining(*existing, t)) return std::move(*existing);
      return Status::AlreadyExists("training " + t.code +
                                   " exists with other details");
    }
    Training out = t;
    out.created_by = actor.username;
    out.created_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        out.id, repo.InsertTraining(out, out.created_by, out.created_at));
    nlohmann::ordered_json j = {{"code", out.code},
                                {"topic", TrainingTopicName(out.topic)},
                                {"title", out.title},
                                {"soum_code", out.soum_code},
                                {"starts_on", out.starts_on.ToString()},
                                {"ends_on", out.ends_on.ToString()}};
    MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.training",
                                        "coop_training", out.code, j.dump()));
    return out;
  });
}

Result<Training> FindTraining(store::Session& session,
                              const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto t, session.Get<TrainingRepository>().FindTraining(code));
  if (!t) return Status::NotFound("no training '" + code + "' in your area");
  return std::move(*t);
}

Result<std::vector<Training>> Trainings(store::Session& session) {
  return session.Get<TrainingRepository>().Trainings();
}

Result<AttendanceResult> RecordAttendance(
    store::Session& session, const Actor& actor, const std::string& code,
    const std::vector<std::string>& register_nos, bool completed) {
  if (register_nos.empty() || register_nos.size() > 2000) {
    return Status::InvalidArgument("expected 1 to 2000 register numbers",
                                   "register_nos");
  }
  return WriteResult<AttendanceResult>(
      session, [&]() -> Result<AttendanceResult> {
        auto& repo = session.Get<TrainingRepository>();
        MALCHIN_ASSIGN_OR_RETURN(Training t, FindTraining(session, code));
        MALCHIN_RETURN_IF_ERROR(
            CheckActsOver(actor, store::AreaFilter::FromCode(t.soum_code),
                          "training " + t.code));
        MALCHIN_ASSIGN_OR_RETURN(std::vector<Attendance> before,
                                 repo.AttendanceOf(t.id));
        std::set<std::string> seen;
        for (const Attendance& a : before) seen.insert(a.register_no);
        AttendanceResult out;
        const std::string now = session.clock().NowIso();
        for (const std::string& raw : register_nos) {
          MALCHIN_ASSIGN_OR_RETURN(PersonRef p,
                                   internal::ActivePerson(session, raw));
          if (!seen.insert(p.register_no).second) {
            ++out.already;
            continue;
          }
          MALCHIN_RETURN_IF_ERROR(repo.InsertAttendance(t.id, p.pid, completed,
                                                        actor.username, now));
          nlohmann::ordered_json j = {{"training", t.code},
                                      {"completed", completed}};
          MALCHIN_RETURN_IF_ERROR(
              AuditChange(session, actor, "coop.training.attend",
                          "coop_training", t.code, j.dump(), p.register_no));
          ++out.added;
        }
        return out;
      });
}

Result<std::vector<Attendance>> AttendanceOf(store::Session& session,
                                             const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(Training t, FindTraining(session, code));
  return session.Get<TrainingRepository>().AttendanceOf(t.id);
}

Result<std::vector<Attendance>> TrainingsOf(store::Session& session,
                                            const std::string& register_no) {
  return session.Get<TrainingRepository>().TrainingsOf(register_no);
}

Result<Business> RegisterBusiness(store::Session& session, const Context& ctx,
                                  const Actor& actor, Business b) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(b.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(b.name, "name", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(b.sector, "sector", 100, true));
  MALCHIN_RETURN_IF_ERROR(CheckSoum(ctx, b.soum_code));
  MALCHIN_RETURN_IF_ERROR(
      CheckActsOver(actor, store::AreaFilter::FromCode(b.soum_code),
                    "soum " + std::to_string(b.soum_code)));
  return WriteResult<Business>(session, [&]() -> Result<Business> {
    auto& repo = session.Get<TrainingRepository>();
    MALCHIN_ASSIGN_OR_RETURN(
        PersonRef owner, internal::ActivePerson(session, b.owner_register_no));
    int64_t training_id = 0;
    if (!b.training_code.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(Training t,
                               FindTraining(session, b.training_code));
      MALCHIN_ASSIGN_OR_RETURN(std::vector<Attendance> went,
                               repo.TrainingsOf(owner.register_no));
      bool attended = false;
      for (const Attendance& a : went) attended |= a.training_code == t.code;
      if (!attended) {
        return Status::FailedPrecondition(owner.register_no +
                                          " did not attend training " + t.code);
      }
      training_id = t.id;
    }
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindBusiness(b.code));
    if (existing) {
      if (existing->name == b.name && existing->sector == b.sector &&
          existing->soum_code == b.soum_code &&
          existing->started_on == b.started_on &&
          existing->owner_register_no == owner.register_no &&
          existing->training_code == b.training_code) {
        return std::move(*existing);
      }
      return Status::AlreadyExists("business " + b.code +
                                   " exists with other details");
    }
    Business out = b;
    out.owner_register_no = owner.register_no;
    out.owner_name = owner.name;
    out.created_by = actor.username;
    out.created_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        out.id, repo.InsertBusiness(out, owner.pid, training_id, out.created_by,
                                    out.created_at));
    nlohmann::ordered_json j = {{"code", out.code},
                                {"name", out.name},
                                {"sector", out.sector},
                                {"soum_code", out.soum_code},
                                {"started_on", out.started_on.ToString()},
                                {"training", out.training_code}};
    MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.business",
                                        "coop_business", out.code, j.dump(),
                                        owner.register_no));
    return out;
  });
}

Result<std::vector<Business>> Businesses(store::Session& session) {
  return session.Get<TrainingRepository>().Businesses();
}

Result<Business> FindBusiness(store::Session& session,
                              const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(
      auto b, session.Get<TrainingRepository>().FindBusiness(code));
  if (!b) return Status::NotFound("no business '" + code + "' in your area");
  return std::move(*b);
}

Result<Recorded> RecordSeed(store::Session& session, const Actor& actor,
                            const std::string& business_code, EntryKind kind,
                            Date on, int64_t amount, const std::string& note,
                            const std::string& client_key) {
  if (kind != EntryKind::kGrant && kind != EntryKind::kRepayment) {
    return Status::InvalidArgument("kind: expected grant or repayment", "kind");
  }
  if (amount <= 0) {
    return Status::InvalidArgument(
        "amount " + std::to_string(amount) + ": expected more than 0 MNT",
        "amount");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(note, "note", 500, true));
  return WriteResult<Recorded>(session, [&]() -> Result<Recorded> {
    MALCHIN_ASSIGN_OR_RETURN(Business b,
                             BusinessActedOn(session, actor, business_code));
    LedgerEntry e;
    e.on = on;
    e.kind = kind;
    e.amount = kind == EntryKind::kGrant ? amount : -amount;
    e.note = note;
    e.client_key = client_key;
    return internal::AppendToBook(session, actor, SeedOf(b), std::move(e), 0);
  });
}

Result<Recorded> ReverseSeed(store::Session& session, const Actor& actor,
                             const std::string& business_code, int64_t entry_id,
                             Date on, const std::string& reason,
                             const std::string& client_key) {
  return WriteResult<Recorded>(session, [&]() -> Result<Recorded> {
    MALCHIN_ASSIGN_OR_RETURN(Business b,
                             BusinessActedOn(session, actor, business_code));
    return internal::ReverseInBook(session, actor, SeedOf(b), entry_id, on,
                                   reason, client_key,
                                   {EntryKind::kGrant, EntryKind::kRepayment});
  });
}

Result<Statement> SeedStatement(store::Session& session,
                                const std::string& business_code, Date from,
                                Date to) {
  MALCHIN_ASSIGN_OR_RETURN(Business b, FindBusiness(session, business_code));
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<LedgerEntry> entries,
      session.Get<Repository>().Entries(Book::kSeed, b.id));
  return internal::StatementOf(b.code, entries, from, to, "");
}

Result<std::vector<StatsCell>> Statistics(store::Session& session,
                                          const store::AreaFilter& area,
                                          Date as_of) {
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<StatsRow> rows,
      session.Get<TrainingRepository>().StatsRows(area, as_of));
  std::map<std::tuple<int32_t, int, int>, StatsCell> cells;
  for (const StatsRow& r : rows) {
    const int band =
        registry::AgeBandOf(std::max(0, Date::FromDays(r.born).AgeOn(as_of)));
    StatsCell& c = cells[{r.soum_code, static_cast<int>(r.sex), band}];
    c.soum_code = r.soum_code;
    c.sex = r.sex;
    c.age_band = band;
    int64_t* counts[] = {&c.members, &c.trainees, &c.business_owners,
                         &c.in_kind_recipients};
    int64_t* disabled[] = {&c.members_with_disability,
                           &c.trainees_with_disability,
                           &c.business_owners_with_disability,
                           &c.in_kind_recipients_with_disability};
    if (r.kind >= 0 && r.kind < 4) {
      *counts[r.kind] += r.count;
      *disabled[r.kind] += r.with_disability;
    }
  }
  std::vector<StatsCell> out;
  out.reserve(cells.size());
  for (auto& [key, cell] : cells) out.push_back(cell);
  return out;
}

}  // namespace malchin::coop
