// Deadlines passing (escalation, a system job) and measuring (counts and
// the CSV export), both over every case of an area.
#include <nlohmann/json.hpp>

#include "auth/roles.h"
#include "csv/csv.h"
#include "grievance/service.h"
#include "grievance/workflow.h"
#include "registry/population.h"
#include "store/audit.h"

namespace malchin::grievance {
namespace {

using nlohmann::json;

std::string OptDate(const std::optional<Date>& d) {
  return d ? d->ToString() : "";
}

// Counts and exports are for roles with read_grievance_stats.
Status MayCount(const store::Caller& caller) {
  auto role = auth::ParseRole(caller.role);
  if (role.ok() && auth::Allows(*role, auth::Permission::kReadGrievanceStats)) {
    return Status::Ok();
  }
  return Status::PermissionDenied(
      "complaint counts need the "
      "read_grievance_stats permission; " +
      caller.actor + " has not");
}

}  // namespace

Result<EscalationReport> Service::Escalate() {
  if (!session_.caller().area.national()) {
    return Status::PermissionDenied(
        "escalation runs over the whole country, as a system job");
  }
  EscalationReport report;
  report.on = Today();
  // Every open case, whoever may see it: the job moves deadlines and shows
  // nothing.
  Repository::SystemJobScope all(repo_);
  std::vector<Case> due;
  CaseQuery q;
  q.open_only = true;
  q.page_size = 500;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(CasePage page, repo_.ListCases(q));
    for (Case& c : page.items) {
      ++report.checked;
      MALCHIN_ASSIGN_OR_RETURN(auto e,
                               EscalationDue(c, report.on, *ctx_.params));
      if (e) due.push_back(std::move(c));
    }
    if (page.items.size() < static_cast<size_t>(q.page_size)) break;
    q.after_id = page.items.back().id;
  }
  for (const Case& c : due) {
    Level to = Level::kAimag;
    auto changed = Change(
        c.id, 0, "grievance.escalate",
        [&](Case& now, CaseEvent& e, json& detail) -> Status {
          // Decided again under the case's lock: it may have moved since.
          MALCHIN_ASSIGN_OR_RETURN(auto esc,
                                   EscalationDue(now, report.on, *ctx_.params));
          if (!esc) return Status::Ok();
          to = esc->to;
          e.kind = EventKind::kEscalated;
          e.text = std::string(LevelName(now.level)) + " -> " +
                   std::string(LevelName(esc->to)) + " (" + esc->reason + ")";
          detail = {{"from_level", LevelName(now.level)},
                    {"reason", esc->reason}};
          now.level = esc->to;
          now.escalated_on = report.on;
          now.assigned_to.clear();
          return Status::Ok();
        });
    MALCHIN_RETURN_IF_ERROR(changed.status());
    if (changed->level != c.level) {
      ++report.escalated;
      ++(to == Level::kNational ? report.to_national : report.to_aimag);
    }
  }
  return report;
}

Result<Stats> Service::Measure(const StatsQuery& query) {
  MALCHIN_RETURN_IF_ERROR(MayCount(session_.caller()));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<CaseFact> facts,
                           repo_.Facts(query.facts));
  return Aggregate(facts, query.by, query.as_of.value_or(Today()));
}

Result<std::string> Service::ExportCsv(const FactQuery& query) {
  MALCHIN_RETURN_IF_ERROR(MayCount(session_.caller()));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<CaseFact> facts, repo_.Facts(query));
  std::vector<std::vector<std::string>> rows;
  int64_t confidential = 0;  // Rows of confidential cases shown in full.
  rows.push_back({"reference", "received_on", "channel", "category",
                  "confidential", "state", "level", "soum_code", "sex",
                  "age_band", "acknowledge_by", "acknowledged_on", "resolve_by",
                  "decided_on", "closed_on"});
  for (const CaseFact& f : facts) {
    if (f.masked) {
      // Counted, never described: the month it came and where.
      rows.push_back({"", f.received_on.ToString().substr(0, 7), "",
                      "confidential", "1", std::string(CaseStateName(f.state)),
                      "", std::to_string(f.header.soum_code), "", "", "", "",
                      "", "", ""});
      continue;
    }
    confidential += f.header.confidential;
    std::string band = "unknown";
    if (f.birth_year > 0 && f.birth_year <= f.received_on.year()) {
      band = std::string(registry::AgeBandName(
          registry::AgeBandOf(f.received_on.year() - f.birth_year)));
    }
    rows.push_back(
        {MakeReference(f.received_on.year(), f.header.id),
         f.received_on.ToString(),
         f.channel ? std::string(ChannelName(*f.channel)) : "", f.category,
         f.header.confidential ? "1" : "0", std::string(CaseStateName(f.state)),
         std::string(LevelName(f.level)), std::to_string(f.header.soum_code),
         f.sex ? std::string(registry::SexCode(*f.sex)) : "", band,
         f.acknowledge_by.ToString(), OptDate(f.acknowledged_on),
         f.resolve_by.ToString(), OptDate(f.decided_on), OptDate(f.closed_on)});
  }
  std::string out;
  for (const auto& r : rows) {
    csv::AppendRow(&out, std::vector<std::string_view>(r.begin(), r.end()));
  }
  if (confidential > 0) {
    // Like every read of a confidential case, but one entry for the file.
    MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
      store::AuditEntry e;
      e.action = "grievance.read";
      e.entity_type = "file";
      e.entity_id = "grievance_export";
      e.after_json = json({{"what", "export"},
                           {"confidential", confidential},
                           {"area", session_.Scope(query.area)
                                        .value_or(session_.caller().area)
                                        .ToString()}})
                         .dump();
      return session_.Audit(std::move(e)).status();
    }));
  }
  return out;
}

}  // namespace malchin::grievance
