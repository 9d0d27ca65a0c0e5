// Plan approval: maker-checker, the area of the beneficiaries, beneficiaries
// already covered by a plan of the same event and programme (left out
// unless the approver accepts them, with a reason), the frozen snapshot and
// overlap flagging, in one transaction under the plan's lock.
#include <algorithm>
#include <unordered_set>

#include "response/transfers.h"

namespace malchin::response {
namespace {

// Two periods overlap when each starts on or before the other ends.
bool PeriodsOverlap(const PlanRecord& plan, const PlanPeriod& other) {
  return other.starts_on <= plan.ends_on && plan.starts_on <= other.ends_on;
}

// Internal (a bug in the selection) if a choice is out of the roster, has
// no positive amount, or repeats a person; PermissionDenied if a
// beneficiary is registered outside `area`. Fills the approval's counts.
Status CheckChoices(const PlanRecord& plan, const Roster& roster,
                    const std::vector<SnapshotChoice>& chosen,
                    const AreaFilter& area, PlanApproval* out) {
  const registry::Population& pop = roster.population;
  const int32_t n = static_cast<int32_t>(pop.persons());
  std::unordered_set<int32_t> households, persons;
  int64_t total = 0;
  for (const SnapshotChoice& c : chosen) {
    if (c.person < 0 || c.person >= n || c.payee < 0 || c.payee >= n ||
        c.amount <= 0) {
      return Status::Internal("plan " + plan.code +
                              ": a chosen beneficiary is out of range");
    }
    int32_t h = pop.household[c.person];
    if (!area.Matches(pop.soum_code[h])) {
      return Status::PermissionDenied(
          "plan " + plan.code + " pays beneficiaries in soum " +
          std::to_string(pop.soum_code[h]) +
          ", outside your area; a national officer must approve it");
    }
    if (!persons.insert(c.person).second) {
      return Status::Internal("snapshot of " + plan.code +
                              ": a person was chosen twice");
    }
    households.insert(h);
    total += c.amount;
  }
  out->beneficiaries = static_cast<int64_t>(chosen.size());
  out->households = static_cast<int64_t>(households.size());
  out->amount_per_installment = total;
  return Status::Ok();
}

// Fills each choice's age band on the cut-off and its household's head, for
// the payment report.
void AddReportFacts(const PlanRecord& plan, const Roster& roster,
                    std::vector<SnapshotChoice>& chosen) {
  const registry::Population& pop = roster.population;
  std::vector<int32_t> head(pop.households(), -1);
  for (size_t p = 0; p < pop.persons(); ++p) {
    int32_t h = pop.household[p];
    if (head[h] < 0 &&
        pop.relation[p] == static_cast<uint8_t>(registry::Relation::kHead)) {
      head[h] = static_cast<int32_t>(p);
    }
  }
  for (SnapshotChoice& c : chosen) {
    int age = Date::FromDays(pop.birth_days[c.person]).AgeOn(plan.cutoff_on);
    c.age_band = registry::AgeBandOf(std::max(age, 0));
    c.head = head[pop.household[c.person]];
  }
}

std::string OverlapJson(const PlanApproval& a) {
  if (!a.overlap_choice) return "null";
  return "{\"choice\":\"" + std::string(Name(*a.overlap_choice)) +
         "\",\"persons\":" + std::to_string(a.overlap_count) +
         ",\"reason\":" + JsonString(a.overlap_reason) + "}";
}

}  // namespace

Result<std::vector<PlanPeriod>> Transfers::SamePurposePlans(
    const PlanRecord& plan) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<PlanPeriod> sharing,
                           rows_.ApprovedPlansSharing(plan));
  std::vector<PlanPeriod> out;
  for (PlanPeriod& p : sharing) {
    if (p.event_code == plan.event_code &&
        p.programme_code == plan.programme_code) {
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<std::vector<std::pair<std::string, int64_t>>> Transfers::AlreadyCovered(
    const PlanRecord& plan, const Roster& roster,
    const std::vector<SnapshotChoice>& chosen) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<PlanPeriod> same,
                           SamePurposePlans(plan));
  std::unordered_set<int64_t> mine;
  for (const SnapshotChoice& c : chosen) {
    mine.insert(roster.person_row[c.person]);
  }
  std::vector<std::pair<std::string, int64_t>> out;
  for (const PlanPeriod& p : same) {
    MALCHIN_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                             rows_.PersonIdsIn({p.id}));
    int64_t n = std::count_if(ids.begin(), ids.end(),
                              [&](int64_t id) { return mine.count(id) > 0; });
    if (n > 0) out.emplace_back(p.code, n);
  }
  return out;
}

Result<PlanRecord> Transfers::ApprovePlan(std::string_view plan_code,
                                          std::string_view actor,
                                          const AreaFilter& requested,
                                          const Selector& select, bool* created,
                                          const OverlapDecision& overlap) {
  if (overlap.choice == OverlapChoice::kAccept && overlap.reason.empty()) {
    return Status::InvalidArgument(
        "overlap accept: expected the reason why persons already paid by a "
        "plan of the same event and programme are paid again",
        "reason");
  }
  const AreaFilter area = session_.Visible(requested);
  PlanRecord out;
  bool wrote = false;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    wrote = false;
    MALCHIN_RETURN_IF_ERROR(session_.Lock("plan:" + std::string(plan_code)));
    MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
    if (plan.status == PlanStatus::kApproved) {
      out = std::move(plan);
      return Status::Ok();
    }
    if (plan.prepared_by == actor) {
      return Status::PermissionDenied(
          "plan " + plan.code + " was prepared by " + std::string(actor) +
          "; another officer must approve it (maker-checker)");
    }
    MALCHIN_ASSIGN_OR_RETURN(PlanApproval approval,
                             FreezeSnapshot(plan, area, select, overlap));
    MALCHIN_ASSIGN_OR_RETURN(approval.overlaps, FlagOverlaps(plan));
    approval.approved_by = actor;
    approval.approved_at = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(bool marked,
                             rows_.MarkPlanApproved(plan.id, approval));
    if (!marked) return Status::Internal("plan " + plan.code + " changed");
    MALCHIN_RETURN_IF_ERROR(
        Audit(actor, "plan.approve", "plan", plan.code,
              "{\"beneficiaries\":" + std::to_string(approval.beneficiaries) +
                  ",\"households\":" + std::to_string(approval.households) +
                  ",\"amount_per_installment\":" +
                  std::to_string(approval.amount_per_installment) +
                  ",\"overlaps\":" + std::to_string(approval.overlaps) +
                  ",\"already_covered\":" + OverlapJson(approval) + "}"));
    MALCHIN_ASSIGN_OR_RETURN(out, RequirePlan(plan_code));
    wrote = true;
    return Status::Ok();
  }));
  if (created) *created = wrote;
  return out;
}

Result<PlanApproval> Transfers::FreezeSnapshot(const PlanRecord& plan,
                                               const AreaFilter& area,
                                               const Selector& select,
                                               const OverlapDecision& overlap) {
  // The whole register: beneficiaries outside the approver's area are
  // refused, not silently left out.
  store::SystemScope national(session_);
  MALCHIN_ASSIGN_OR_RETURN(Roster roster,
                           session_.Get<registry::Repository>().LoadRoster({}));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<SnapshotChoice> chosen, select(roster));
  PlanApproval approval;
  // Persons already in an approved plan of the same event and programme
  // (serialized with other approvals of the event: FlagOverlaps' lock).
  MALCHIN_RETURN_IF_ERROR(session_.Lock("overlaps:event:" + plan.event_code));
  MALCHIN_ASSIGN_OR_RETURN(std::vector<PlanPeriod> same,
                           SamePurposePlans(plan));
  if (!same.empty()) {
    std::vector<int64_t> ids_of;
    for (const PlanPeriod& p : same) ids_of.push_back(p.id);
    MALCHIN_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                             rows_.PersonIdsIn(ids_of));
    std::unordered_set<int64_t> covered(ids.begin(), ids.end());
    auto is_covered = [&](const SnapshotChoice& c) {
      return c.person >= 0 &&
             c.person < static_cast<int32_t>(roster.person_row.size()) &&
             covered.count(roster.person_row[c.person]) > 0;
    };
    approval.overlap_choice = overlap.choice;
    approval.overlap_count =
        std::count_if(chosen.begin(), chosen.end(), is_covered);
    if (overlap.choice == OverlapChoice::kExclude) {
      chosen.erase(std::remove_if(chosen.begin(), chosen.end(), is_covered),
                   chosen.end());
    } else {
      approval.overlap_reason = overlap.reason;
    }
  }
  MALCHIN_RETURN_IF_ERROR(CheckChoices(plan, roster, chosen, area, &approval));
  AddReportFacts(plan, roster, chosen);
  MALCHIN_ASSIGN_OR_RETURN(int64_t written,
                           rows_.InsertSnapshot(plan.id, roster, chosen));
  if (written != static_cast<int64_t>(chosen.size())) {
    return Status::Internal(
        "snapshot of " + plan.code + ": " +
        std::to_string(static_cast<int64_t>(chosen.size()) - written) +
        " chosen person(s) vanished");
  }
  return approval;
}

// Flags the snapshot persons of `plan` also in an approved plan of the same
// event or programme whose period overlaps. Two approvals of plans of one
// event (or programme) serialize here, so the later one sees the earlier.
// Returns how many persons are flagged.
Result<int64_t> Transfers::FlagOverlaps(const PlanRecord& plan) {
  MALCHIN_RETURN_IF_ERROR(session_.Lock("overlaps:event:" + plan.event_code));
  if (plan.programme_code) {
    MALCHIN_RETURN_IF_ERROR(
        session_.Lock("overlaps:programme:" + *plan.programme_code));
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<PlanPeriod> others,
                           rows_.ApprovedPlansSharing(plan));
  bool any = false;
  for (const PlanPeriod& other : others) {
    if (!PeriodsOverlap(plan, other)) continue;
    MALCHIN_RETURN_IF_ERROR(rows_.InsertOverlaps(plan.id, other.id));
    any = true;
  }
  if (!any) return int64_t{0};
  return rows_.CountOverlapPersons(plan.id);
}

}  // namespace malchin::response
