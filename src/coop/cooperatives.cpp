#include "coop/cooperatives.h"

#include <nlohmann/json.hpp>

#include "coop/books.h"
#include "registry/register_number.h"

namespace malchin::coop {

using internal::AuditChange;
using internal::CoopActedOn;
using internal::CooperativeOf;
using internal::WriteResult;

namespace {

bool SameRegistration(const Cooperative& a, const Cooperative& b) {
  return a.name == b.name && a.type == b.type && a.soum_code == b.soum_code &&
         a.bag == b.bag && a.registration_no == b.registration_no &&
         a.registered_on == b.registered_on;
}

Status Validate(const Context& ctx, const Cooperative& c) {
  MALCHIN_RETURN_IF_ERROR(CheckCode(c.code, "code"));
  MALCHIN_RETURN_IF_ERROR(CheckText(c.name, "name", 200));
  MALCHIN_RETURN_IF_ERROR(CheckText(c.bag, "bag", 100, true));
  MALCHIN_RETURN_IF_ERROR(
      CheckText(c.registration_no, "registration_no", 50, true));
  const geo::Unit* u = ctx.geography->Find(c.soum_code);
  if (!u || u->is_aimag_level()) {
    return Status::InvalidArgument(
        "soum " + std::to_string(c.soum_code) +
            ": expected the 5-digit code of a soum or district",
        "soum_code");
  }
  return Status::Ok();
}

// The open membership of a person in a cooperative, or NotFound.
Result<Membership> OpenMembership(store::Session& session,
                                  const std::string& coop_code,
                                  const std::string& rn) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Membership> ms,
                           session.Get<Repository>().MembershipsOf(rn));
  for (Membership& m : ms) {
    if (m.coop_code == coop_code && !m.left_on) return std::move(m);
  }
  return Status::NotFound(rn + " is not a member of " + coop_code);
}

// Opens a membership and audits it. REQUIRES: inside Write.
Result<Membership> Open(store::Session& session, const Actor& actor,
                        const Cooperative& c, const PersonRef& p,
                        MemberRole role, Date from) {
  auto& repo = session.Get<Repository>();
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t id,
      repo.InsertMembership(c.id, p.pid, role, from, actor.username));
  Membership m;
  m.id = id;
  m.coop_code = c.code;
  m.coop_name = c.name;
  m.register_no = p.register_no;
  m.household_id = p.household_id;
  m.name = p.name;
  m.sex = p.sex;
  m.birth_date = p.birth_date;
  m.soum_code = p.soum_code;
  m.role = role;
  m.joined_on = from;
  m.recorded_by = actor.username;
  MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.member.join",
                                      "coop_member", std::to_string(id),
                                      internal::AuditJson(m), p.register_no));
  return m;
}

// Closes a membership and audits it. REQUIRES: inside Write.
Status Close(store::Session& session, const Actor& actor, Membership& m,
             Date last_day, const std::string& reason) {
  MALCHIN_RETURN_IF_ERROR(
      session.Get<Repository>().EndMembership(m.id, last_day, reason));
  m.left_on = last_day;
  m.leave_reason = reason;
  return AuditChange(session, actor, "coop.member.leave", "coop_member",
                     std::to_string(m.id), internal::AuditJson(m),
                     m.register_no);
}

}  // namespace

Result<Cooperative> RegisterCooperative(store::Session& session,
                                        const Context& ctx, const Actor& actor,
                                        Cooperative c) {
  MALCHIN_RETURN_IF_ERROR(Validate(ctx, c));
  MALCHIN_RETURN_IF_ERROR(
      CheckActsOver(actor, store::AreaFilter::FromCode(c.soum_code),
                    "soum " + std::to_string(c.soum_code)));
  return WriteResult<Cooperative>(session, [&]() -> Result<Cooperative> {
    auto& repo = session.Get<Repository>();
    MALCHIN_ASSIGN_OR_RETURN(auto existing, repo.FindCooperative(c.code));
    if (existing) {
      if (SameRegistration(*existing, c)) return std::move(*existing);
      return Status::AlreadyExists("cooperative " + c.code +
                                   " is registered with other details (" +
                                   existing->name + ")");
    }
    Cooperative out = c;
    out.created_by = actor.username;
    out.created_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(
        out.id, repo.InsertCooperative(out, out.created_by, out.created_at));
    MALCHIN_RETURN_IF_ERROR(AuditChange(session, actor, "coop.register",
                                        "cooperative", out.code,
                                        internal::AuditJson(out)));
    return out;
  });
}

Result<Cooperative> FindCooperative(store::Session& session,
                                    const std::string& code) {
  return CooperativeOf(session, code);
}

Result<CoopPage> ListCooperatives(store::Session& session,
                                  const CoopQuery& query, Date as_of) {
  return session.Get<Repository>().ListCooperatives(query, as_of);
}

Result<Membership> Join(store::Session& session, const Actor& actor,
                        const JoinRequest& r) {
  return WriteResult<Membership>(session, [&]() -> Result<Membership> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, r.coop_code));
    MALCHIN_ASSIGN_OR_RETURN(PersonRef p,
                             internal::ActivePerson(session, r.register_no));
    if (c.registered_on && r.joined_on < *c.registered_on) {
      return Status::FailedPrecondition(
          p.register_no + " cannot join " + c.code + " on " +
          r.joined_on.ToString() + ", before its registration on " +
          c.registered_on->ToString());
    }
    if (OpenMembership(session, c.code, p.register_no).ok()) {
      return Status::AlreadyExists(p.register_no + " is already a member of " +
                                   c.code + " / аль хэдийн гишүүн");
    }
    return Open(session, actor, c, p, r.role, r.joined_on);
  });
}

Result<Membership> Leave(store::Session& session, const Actor& actor,
                         const std::string& coop_code,
                         const std::string& register_no, Date left_on,
                         const std::string& reason) {
  MALCHIN_RETURN_IF_ERROR(CheckText(reason, "reason", 500));
  const std::string rn = registry::NormalizeRegisterNumber(register_no);
  return WriteResult<Membership>(session, [&]() -> Result<Membership> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, coop_code));
    MALCHIN_ASSIGN_OR_RETURN(Membership m, OpenMembership(session, c.code, rn));
    if (left_on < m.joined_on) {
      return Status::InvalidArgument("leaving on " + left_on.ToString() +
                                         ", before joining on " +
                                         m.joined_on.ToString(),
                                     "left_on");
    }
    MALCHIN_RETURN_IF_ERROR(Close(session, actor, m, left_on, reason));
    return m;
  });
}

Result<Membership> ChangeRole(store::Session& session, const Actor& actor,
                              const std::string& coop_code,
                              const std::string& register_no, MemberRole role,
                              Date from) {
  const std::string rn = registry::NormalizeRegisterNumber(register_no);
  return WriteResult<Membership>(session, [&]() -> Result<Membership> {
    MALCHIN_ASSIGN_OR_RETURN(Cooperative c,
                             CoopActedOn(session, actor, coop_code));
    MALCHIN_ASSIGN_OR_RETURN(Membership m, OpenMembership(session, c.code, rn));
    if (m.role == role) {
      return Status::FailedPrecondition(rn + " is already " +
                                        std::string(MemberRoleName(role)) +
                                        " of " + c.code);
    }
    if (from <= m.joined_on) {
      return Status::InvalidArgument(
          "a new role from " + from.ToString() + ": expected a day after " +
              m.joined_on.ToString() + ", when the membership began",
          "from");
    }
    MALCHIN_ASSIGN_OR_RETURN(PersonRef p, internal::ActivePerson(session, rn));
    MALCHIN_RETURN_IF_ERROR(
        Close(session, actor, m, from.AddDays(-1),
              "role changed to " + std::string(MemberRoleName(role))));
    return Open(session, actor, c, p, role, from);
  });
}

Result<std::vector<Membership>> Members(store::Session& session,
                                        const std::string& coop_code,
                                        std::optional<Date> on) {
  MALCHIN_ASSIGN_OR_RETURN(Cooperative c, CooperativeOf(session, coop_code));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Membership> all,
                           session.Get<Repository>().Members(c.id));
  if (!on) return all;
  std::vector<Membership> out;
  for (Membership& m : all) {
    if (m.ActiveOn(*on)) out.push_back(std::move(m));
  }
  return out;
}

Result<std::vector<Membership>> MembershipsOf(store::Session& session,
                                              const std::string& register_no) {
  return session.Get<Repository>().MembershipsOf(
      registry::NormalizeRegisterNumber(register_no));
}

}  // namespace malchin::coop
