// Test support: the 2019-20 Zavkhan dzud pilot's register, event and plans
// (pilot_test.cpp, engines_test.cpp). The register is the demo register of
// Zavkhan (src/demo, seed 1, scale 1), loaded in bulk into an empty
// database; the officers are "maker" and "checker", national.
#pragma once

#include <vector>

#include "auth/accounts.h"
#include "demo/generator.h"
#include "geo/geography.h"
#include "registry/repository.h"
#include "response/model.h"
#include "store/session.h"

namespace malchin::response::pilot {

inline Date D(const char* s) { return *Date::Parse(s); }

// Loads the register and creates the two officers. Returns the number of
// persons aged 0-17 the generator made.
inline Result<int64_t> LoadZavkhan(store::Session& session,
                                   const geo::Geography& geo) {
  MALCHIN_ASSIGN_OR_RETURN(auto loader,
                           session.Get<registry::Repository>().BeginBulkLoad());
  demo::Options o;
  o.seed = 1;
  o.aimags = {181};
  demo::Sink sink{
      [&](const registry::Household& h) { return loader->AddHousehold(h); },
      [&](const registry::Person& p) { return loader->AddPerson(p); }};
  MALCHIN_ASSIGN_OR_RETURN(auto summary, demo::Generate(geo, o, sink));
  MALCHIN_RETURN_IF_ERROR(loader->Finish());
  for (const char* name : {"maker", "checker"}) {
    auth::UserRecord u;
    u.username = name;
    u.password_hash = "x";
    u.role = "national_officer";
    u.created_at = u.updated_at = "2026-11-29T00:00:00Z";
    MALCHIN_RETURN_IF_ERROR(
        session.Get<auth::AccountRepository>().CreateUser(u).status());
  }
  return summary.children_0_17;
}

// The event: the four phase-1 soums very high, the other soums of Zavkhan
// except Uliastai high.
inline ShockEventRecord ZavkhanDzud(const geo::Geography& geo) {
  ShockEventRecord e;
  e.code = "zavkhan-dzud-2019";
  e.type = "dzud";
  e.name = "Zavkhan dzud 2019-20";
  e.source = "NAMEM dzud risk map";
  e.reference = "Zavkhan emergency commission";
  e.declared_on = e.starts_on = D("2019-12-01");
  e.ends_on = D("2020-04-30");
  for (const geo::Unit* u : geo.SoumsOf(181)) {
    if (u->code == 18101) continue;
    bool phase1 = u->code == 18110 || u->code == 18125 || u->code == 18140 ||
                  u->code == 18149;
    e.soums.push_back(
        {u->code, phase1 ? Severity::kVeryHigh : Severity::kHigh});
  }
  return e;
}

// The April 2020 COVID-19 relief event (national).
inline ShockEventRecord Covid() {
  ShockEventRecord e;
  e.code = "covid-2020";
  e.type = "epidemic";
  e.name = "COVID-19 economic relief";
  e.source = "Parliament resolution";
  e.reference = "Law on COVID-19 prevention (2020-04-29)";
  e.declared_on = e.starts_on = D("2020-04-01");
  return e;
}

// A Child Money top-up of the dzud event, ending with the month of its
// last installment.
inline PlanRecord Plan(const char* code, const char* rule, const char* amount,
                       const char* cutoff, std::vector<const char*> due) {
  PlanRecord p;
  p.code = code;
  p.event_code = "zavkhan-dzud-2019";
  p.programme_code = "child_money";
  p.kind = PlanKind::kVertical;
  p.name = code;
  p.eligibility = rule;
  p.amount = amount;
  p.unit = Unit::kPerson;
  p.cutoff_on = p.starts_on = D(cutoff);
  for (const char* d : due) {
    p.installments.push_back(
        {static_cast<int>(p.installments.size() + 1), D(d)});
  }
  Date last = p.installments.back().due_on;
  p.ends_on = Date::FromYmd(last.year(), last.month(),
                            Date::DaysInMonth(last.year(), last.month()));
  return p;
}

// The three plans: phase 1, phase 2 and the April top-up.
inline std::vector<PlanRecord> PilotPlans() {
  PlanRecord topup = Plan("child-money-topup-2020-04", "true",
                          "param(\"child_money.monthly\") - 20000",
                          "2020-04-01", {"2020-04-20"});
  topup.event_code = "covid-2020";
  return {Plan("zavkhan-phase1", "age < 6 and event.severity == very_high",
               "40000", "2019-12-01", {"2019-12-20"}),
          Plan("zavkhan-phase2", "age < 6 and event.severity >= high", "20000",
               "2020-02-01", {"2020-02-15", "2020-03-16", "2020-04-15"}),
          topup};
}

// What each plan's approval does with children already in an approved plan
// of the same event and programme: phase 2 pays phase 1's children again on
// purpose (the real pilot did), so its approval accepts them explicitly with
// that reason; the others keep the default (leave them out).
inline OverlapDecision PilotOverlap(const std::string& plan_code) {
  if (plan_code != "zavkhan-phase2") return {};
  return {OverlapChoice::kAccept,
          "the pilot's phase 2 pays phase 1's children again on purpose: "
          "three more installments as the dzud went on"};
}

}  // namespace malchin::response::pilot
