// Transfers: programmes, shock events and plan creation (idempotent by
// code), and the helpers every step shares. Approval is in approval.cpp,
// payrolls and payments in payroll.cpp, bank results in reconcile.cpp.
#include "response/transfers.h"

#include <algorithm>
#include <cstdio>

namespace malchin::response {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::vector<EventSoum> BySoum(std::vector<EventSoum> soums) {
  std::sort(soums.begin(), soums.end(),
            [](const EventSoum& a, const EventSoum& b) {
              return a.soum_code < b.soum_code;
            });
  return soums;
}

bool SameEvent(const ShockEventRecord& a, const ShockEventRecord& b) {
  return a.type == b.type && a.name == b.name && a.source == b.source &&
         a.reference == b.reference && a.declared_on == b.declared_on &&
         a.starts_on == b.starts_on && a.ends_on == b.ends_on &&
         BySoum(a.soums) == BySoum(b.soums);
}

bool SamePlan(const PlanRecord& a, const PlanRecord& b) {
  return a.event_code == b.event_code && a.programme_code == b.programme_code &&
         a.kind == b.kind && a.name == b.name &&
         a.eligibility == b.eligibility && a.amount == b.amount &&
         a.unit == b.unit && a.cap_per_household == b.cap_per_household &&
         a.cap_order == b.cap_order && a.cutoff_on == b.cutoff_on &&
         a.starts_on == b.starts_on && a.ends_on == b.ends_on &&
         a.installments == b.installments &&
         a.schedule_reason == b.schedule_reason;
}

// The id of the record `code`, or NotFound pointing at `hint`.
Result<int64_t> Require(Result<std::optional<int64_t>> id, const char* what,
                        std::string_view code, const char* hint) {
  MALCHIN_RETURN_IF_ERROR(id.status());
  if (!*id) {
    return Status::NotFound(std::string("no ") + what + " " + Quoted(code) +
                            " (see " + hint + ")");
  }
  return **id;
}

}  // namespace

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

Transfers::Transfers(store::Session& session)
    : session_(session), rows_(session.Get<Repository>()) {}

Status Transfers::Audit(std::string_view actor, std::string action,
                        std::string type, std::string_view id,
                        std::string after) {
  store::AuditEntry e;
  e.actor = actor;
  e.action = std::move(action);
  e.entity_type = std::move(type);
  e.entity_id = id;
  e.after_json = std::move(after);
  return session_.Audit(e).status();
}

Result<PlanRecord> Transfers::RequirePlan(std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, rows_.FindPlan(code));
  if (!p) {
    return Status::NotFound("no plan " + Quoted(code) +
                            " (create it with malchin plan create)");
  }
  return std::move(*p);
}

Result<PayrollRecord> Transfers::RequirePayroll(std::string_view plan_code,
                                                int installment) {
  MALCHIN_ASSIGN_OR_RETURN(auto p, rows_.FindPayroll(plan_code, installment));
  if (!p) {
    MALCHIN_RETURN_IF_ERROR(RequirePlan(plan_code).status());
    return Status::NotFound("no payroll for installment " +
                            std::to_string(installment) + " of plan " +
                            std::string(plan_code) +
                            " (generate it with malchin payroll generate)");
  }
  return std::move(*p);
}

Result<ProgrammeRecord> Transfers::EnsureProgramme(const ProgrammeRecord& p,
                                                   std::string_view actor) {
  ProgrammeRecord out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("programme:" + p.code));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, rows_.FindProgramme(p.code));
    if (existing) {
      ProgrammeRecord want = p;
      want.id = existing->id;
      if (!(want == *existing)) {
        return Status::AlreadyExists("programme " + Quoted(p.code) +
                                     " exists with other rules");
      }
      out = *existing;
      return Status::Ok();
    }
    out = p;
    MALCHIN_ASSIGN_OR_RETURN(
        out.id, rows_.InsertProgramme(p, session_.clock().NowIso()));
    return Audit(actor, "programme.create", "programme", p.code,
                 "{\"eligibility\":" + JsonString(p.eligibility) + "}");
  }));
  return out;
}

Result<std::optional<ProgrammeRecord>> Transfers::FindProgramme(
    std::string_view code) {
  return rows_.FindProgramme(code);
}

Result<ShockEventRecord> Transfers::CreateEvent(const ShockEventRecord& e,
                                                std::string_view actor,
                                                bool* created) {
  ShockEventRecord out;
  bool wrote = false;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    wrote = false;
    MALCHIN_RETURN_IF_ERROR(session_.Lock("event:" + e.code));
    MALCHIN_ASSIGN_OR_RETURN(auto existing,
                             rows_.FindEvent(e.code, AreaFilter{}));
    if (existing) {
      if (!SameEvent(*existing, e)) {
        return Status::AlreadyExists(
            "event " + Quoted(e.code) +
            " exists with other details (see malchin event show --event " +
            e.code + ")");
      }
      out = std::move(*existing);
      return Status::Ok();
    }
    out = e;
    out.created_by = actor;
    out.soums = BySoum(e.soums);
    MALCHIN_ASSIGN_OR_RETURN(out.id,
                             rows_.InsertEvent(out, session_.clock().NowIso()));
    MALCHIN_RETURN_IF_ERROR(rows_.UpsertEventSoums(out.id, e.soums).status());
    wrote = true;
    return Audit(actor, "event.create", "event", e.code,
                 "{\"type\":" + JsonString(e.type) +
                     ",\"soums\":" + std::to_string(e.soums.size()) + "}");
  }));
  if (created) *created = wrote;
  return out;
}

Result<int64_t> Transfers::SetEventSoums(std::string_view event_code,
                                         const std::vector<EventSoum>& soums,
                                         std::string_view actor) {
  int64_t changed = 0;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session_.Lock("event:" + std::string(event_code)));
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t id, Require(rows_.EventId(event_code), "event", event_code,
                            "malchin event create"));
    MALCHIN_ASSIGN_OR_RETURN(changed, rows_.UpsertEventSoums(id, soums));
    if (changed == 0) return Status::Ok();  // Nothing to record.
    return Audit(actor, "event.soums", "event", event_code,
                 "{\"rows\":" + std::to_string(soums.size()) +
                     ",\"changed\":" + std::to_string(changed) + "}");
  }));
  return changed;
}

Result<std::optional<ShockEventRecord>> Transfers::FindEvent(
    std::string_view code, const AreaFilter& area) {
  return rows_.FindEvent(code, area);
}

Result<PlanRecord> Transfers::CreatePlan(const PlanRecord& p,
                                         std::string_view actor,
                                         bool* created) {
  PlanRecord out;
  bool wrote = false;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    wrote = false;
    MALCHIN_RETURN_IF_ERROR(session_.Lock("plan:" + p.code));
    MALCHIN_ASSIGN_OR_RETURN(auto existing, rows_.FindPlan(p.code));
    if (existing) {
      if (!SamePlan(*existing, p)) {
        return Status::AlreadyExists(
            "plan " + Quoted(p.code) +
            " exists with other details (see malchin plan show --plan " +
            p.code + ")");
      }
      out = std::move(*existing);
      return Status::Ok();
    }
    MALCHIN_ASSIGN_OR_RETURN(int64_t event_id,
                             Require(rows_.EventId(p.event_code), "event",
                                     p.event_code, "malchin event create"));
    std::optional<int64_t> programme_id;
    if (p.programme_code) {
      MALCHIN_ASSIGN_OR_RETURN(
          programme_id,
          Require(rows_.ProgrammeId(*p.programme_code), "programme",
                  *p.programme_code, "the programme list"));
    }
    PlanRecord row = p;
    row.status = PlanStatus::kPrepared;
    row.prepared_by = actor;
    row.prepared_at = session_.clock().NowIso();
    MALCHIN_RETURN_IF_ERROR(
        rows_.InsertPlan(row, event_id, programme_id).status());
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "plan.create", "plan", p.code,
              "{\"event\":" + JsonString(p.event_code) +
                  ",\"eligibility\":" + JsonString(p.eligibility) +
                  ",\"amount\":" + JsonString(p.amount) + ",\"installments\":" +
                  std::to_string(p.installments.size()) + "}"));
    MALCHIN_ASSIGN_OR_RETURN(out, RequirePlan(p.code));
    wrote = true;
    return Status::Ok();
  }));
  if (created) *created = wrote;
  return out;
}

Result<std::optional<PlanRecord>> Transfers::FindPlan(std::string_view code) {
  return rows_.FindPlan(code);
}

Result<std::vector<std::pair<std::string, int64_t>>> Transfers::Snapshot(
    std::string_view plan_code, const AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  return rows_.Snapshot(plan.id, area);
}

Result<std::vector<std::pair<std::string, std::string>>> Transfers::Overlaps(
    std::string_view plan_code) {
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  return rows_.Overlaps(plan.id);
}

Result<std::optional<PayrollRecord>> Transfers::FindPayroll(
    std::string_view plan_code, int installment) {
  return rows_.FindPayroll(plan_code, installment);
}

}  // namespace malchin::response
