// The insurance ledger's own rules around the engine's data access: who may
// be written about, idempotency keys, what a reversal may reverse, and the
// audit entries of every write (insurance/repository.h). Each public write
// is one Write of the session: decided and written together, or not at all.
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "insurance/repository.h"
#include "insurance/statement_json.h"

namespace malchin::insurance {
namespace {

std::string ActorOf(const ChangeContext& context) {
  return context.actor.empty() ? "system" : context.actor;
}

std::string EntryJson(const LedgerEntry& e) {
  nlohmann::ordered_json j = {{"id", e.id},
                              {"register_no", e.register_no},
                              {"scheme", InsuranceSchemeName(e.scheme)},
                              {"first_month", e.first_month},
                              {"months", e.months},
                              {"paid_on", e.paid_on.ToString()},
                              {"amount", e.amount},
                              {"due", e.due},
                              {"income_base", e.income_base},
                              {"method", PaymentMethodName(e.method)},
                              {"payer", e.payer},
                              {"remittance_id", e.remittance_id},
                              {"reverses", e.reverses},
                              {"note", e.note}};
  if (e.in_kind) {
    j["in_kind"] = insurance::InKindJson<nlohmann::ordered_json>(*e.in_kind);
  }
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RemittanceJson(const Remittance& r, int64_t id) {
  nlohmann::ordered_json j = {{"id", id},
                              {"payer", r.payer},
                              {"paid_on", r.paid_on.ToString()},
                              {"amount", r.amount},
                              {"allocated", r.allocated},
                              {"unallocated", r.unallocated},
                              {"method", PaymentMethodName(r.method)},
                              {"note", r.note}};
  return j.dump();
}

store::AuditEntry Audited(std::string actor, std::string action,
                          std::string entity_type, int64_t id,
                          std::string now) {
  store::AuditEntry a;
  a.actor = std::move(actor);
  a.action = std::move(action);
  a.entity_type = std::move(entity_type);
  a.entity_id = std::to_string(id);
  a.at = std::move(now);
  return a;
}

// The idempotency key's message, as the API reports it (409).
Status KeyUsed(const std::string& key, const std::string& by,
               const char* what) {
  return Status::AlreadyExists("idempotency key '" + key +
                               "' was already used by " + by + " for another " +
                               what);
}

Status Reversed(int64_t entry_id) {
  return Status::AlreadyExists("entry " + std::to_string(entry_id) +
                               " has already been reversed");
}

// One lock per (kind, actor, key): two app servers taking the same key at
// once decide one after the other.
std::string KeyLock(const char* kind, const std::string& actor,
                    const std::string& key) {
  return std::string("insurance.") + kind + ":" + actor + "\n" + key;
}

}  // namespace

Status CheckReversible(const LedgerEntry& entry) {
  if (KindOf(entry) == EntryKind::kPayment) return Status::Ok();
  return Status::FailedPrecondition(
      "entry " + std::to_string(entry.id) + " is itself a reversal (of " +
      std::to_string(entry.reverses) + "); record a new payment instead");
}

Result<int64_t> Repository::WritablePerson(const AreaFilter& area,
                                           const std::string& rn) {
  MALCHIN_ASSIGN_OR_RETURN(std::optional<PersonKey> p, LocatePerson(rn));
  if (!p) return Status::NotFound("no person with register number " + rn);
  if (!area.Matches(p->soum_code)) {
    return Status::PermissionDenied("person " + rn + " is registered in soum " +
                                    std::to_string(p->soum_code) +
                                    ", outside the area you may change");
  }
  if (!p->active) {
    return Status::NotFound("person " + rn +
                            " is deactivated; insurance entries are only "
                            "recorded for active persons");
  }
  return p->pid;
}

Status Repository::CheckEntry(const AreaFilter& area, const std::string& actor,
                              const LedgerEntry& e) {
  if (!e.client_key.empty()) {
    MALCHIN_RETURN_IF_ERROR(
        session_.Lock(KeyLock("entry_key", actor, e.client_key)));
    store::SystemScope all(session_);  // Keys are the actor's, everywhere.
    MALCHIN_ASSIGN_OR_RETURN(auto used,
                             FindEntryByClientKey({}, actor, e.client_key));
    if (used) return KeyUsed(e.client_key, actor, "payment");
  }
  if (KindOf(e) == EntryKind::kPayment) return Status::Ok();
  const std::string id = std::to_string(e.reverses);
  MALCHIN_RETURN_IF_ERROR(session_.Lock("insurance.reversal:" + id));
  MALCHIN_ASSIGN_OR_RETURN(auto original, FindEntry(area, e.reverses));
  if (!original) {
    return Status::NotFound("no insurance entry " + id + " in the area");
  }
  MALCHIN_RETURN_IF_ERROR(CheckReversible(*original));
  if (original->register_no != e.register_no || original->scheme != e.scheme) {
    return Status::InvalidArgument(
        "a reversal of entry " + id + " must be about " +
            original->register_no + " (" +
            std::string(InsuranceSchemeName(original->scheme)) + "), not " +
            e.register_no + " (" + std::string(InsuranceSchemeName(e.scheme)) +
            ")",
        "reverses");
  }
  if (e.amount > 0) {
    return Status::InvalidArgument("amount " + std::to_string(e.amount) +
                                       " of a reversal of entry " + id +
                                       ": expected 0 or less MNT",
                                   "amount");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto reversal, ReversalOf(e.reverses));
  if (reversal) return Reversed(e.reverses);
  return Status::Ok();
}

Result<int64_t> Repository::WriteRemittance(const Remittance& r,
                                            const std::string& actor,
                                            const std::string& now) {
  if (!r.client_key.empty()) {
    MALCHIN_RETURN_IF_ERROR(
        session_.Lock(KeyLock("remittance_key", actor, r.client_key)));
    MALCHIN_ASSIGN_OR_RETURN(auto used,
                             FindRemittanceByClientKey(actor, r.client_key));
    if (used) return KeyUsed(r.client_key, actor, "remittance");
  }
  Remittance row = r;
  row.actor = actor;
  auto id = InsertRemittance(row, now);
  if (!id.ok()) return id.status().WithContext("remittance from " + r.payer);
  if (!*id) return KeyUsed(r.client_key, actor, "remittance");
  store::AuditEntry a =
      Audited(actor, "insurance.remittance", "insurance_remittance", **id, now);
  a.after_json = RemittanceJson(r, **id);
  MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
  return **id;
}

Result<int64_t> Repository::WriteEntry(int64_t pid, const LedgerEntry& e) {
  auto id = InsertEntry(pid, e);
  if (!id.ok()) {
    return id.status().WithContext("insurance entry for " + e.register_no);
  }
  if (!*id) {
    // The database's uniqueness refused what the checks let through.
    if (KindOf(e) == EntryKind::kReversal) {
      MALCHIN_ASSIGN_OR_RETURN(auto reversal, ReversalOf(e.reverses));
      if (reversal) return Reversed(e.reverses);
    }
    return KeyUsed(e.client_key, e.actor, "payment");
  }
  store::AuditEntry a = Audited(
      e.actor,
      KindOf(e) == EntryKind::kReversal ? "insurance.reverse" : "insurance.pay",
      "insurance_entry", **id, e.recorded_at);
  a.register_no = e.register_no;
  LedgerEntry written = e;
  written.id = **id;
  a.after_json = EntryJson(written);
  MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
  return **id;
}

Result<std::vector<int64_t>> Repository::Append(
    const AreaFilter& requested, const std::optional<Remittance>& remittance,
    const std::vector<LedgerEntry>& entries,
    const std::vector<CoverageUpdate>& coverage, const ChangeContext& context) {
  const AreaFilter area = session_.Visible(requested);
  const std::string actor = ActorOf(context);
  std::vector<int64_t> ids;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    ids.clear();
    const std::string now = session_.clock().NowIso();
    std::unordered_map<std::string, int64_t> pids;
    auto resolve = [&](const std::string& rn) -> Status {
      if (pids.count(rn)) return Status::Ok();
      MALCHIN_ASSIGN_OR_RETURN(pids[rn], WritablePerson(area, rn));
      return Status::Ok();
    };
    for (const auto& e : entries)
      MALCHIN_RETURN_IF_ERROR(resolve(e.register_no));
    for (const auto& c : coverage)
      MALCHIN_RETURN_IF_ERROR(resolve(c.register_no));
    for (const auto& e : entries) {
      MALCHIN_RETURN_IF_ERROR(CheckEntry(area, actor, e));
    }
    int64_t remittance_id = 0;
    if (remittance) {
      MALCHIN_ASSIGN_OR_RETURN(remittance_id,
                               WriteRemittance(*remittance, actor, now));
    }
    for (LedgerEntry e : entries) {
      if (remittance) e.remittance_id = remittance_id;
      e.recorded_at = now;
      e.actor = actor;
      MALCHIN_ASSIGN_OR_RETURN(int64_t id,
                               WriteEntry(pids.at(e.register_no), e));
      ids.push_back(id);
    }
    for (const auto& c : coverage) {
      MALCHIN_RETURN_IF_ERROR(
          ReplaceCoverage(pids.at(c.register_no), c.scheme, c.spans));
    }
    return Status::Ok();
  }));
  return ids;
}

Status Repository::AddServiceCredit(const AreaFilter& requested,
                                    const ServiceCredit& c,
                                    const ChangeContext& context) {
  const AreaFilter area = session_.Visible(requested);
  const std::string actor = ActorOf(context);
  return session_.Write([&]() -> Status {
    const std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(int64_t pid, WritablePerson(area, c.register_no));
    auto id = InsertServiceCredit(pid, c, now, actor);
    if (!id.ok()) {
      return id.status().WithContext("service credit for " + c.register_no);
    }
    store::AuditEntry a = Audited(actor, "insurance.service_credit",
                                  "insurance_service_credit", *id, now);
    a.register_no = c.register_no;
    a.after_json = nlohmann::json({{"months", c.months},
                                   {"herding_months", c.herding_months},
                                   {"until_month", c.until_month},
                                   {"average_income", c.average_income},
                                   {"source", c.source}})
                       .dump();
    return session_.Audit(a).status();
  });
}

Result<int64_t> Repository::AddVisit(const AreaFilter& requested,
                                     const Visit& v,
                                     const ChangeContext& context) {
  const AreaFilter area = session_.Visible(requested);
  const std::string actor = ActorOf(context);
  Visit row = v;
  if (row.officer.empty()) row.officer = actor;
  int64_t id = 0;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    const std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(int64_t pid, WritablePerson(area, v.register_no));
    if (!v.client_key.empty()) {
      MALCHIN_RETURN_IF_ERROR(
          session_.Lock(KeyLock("visit_key", row.officer, v.client_key)));
      store::SystemScope all(session_);  // Keys are the officer's.
      MALCHIN_ASSIGN_OR_RETURN(
          auto used, FindVisitByClientKey({}, row.officer, v.client_key));
      if (used) return KeyUsed(v.client_key, row.officer, "visit");
    }
    auto inserted = InsertVisit(pid, row, now);
    if (!inserted.ok()) {
      return inserted.status().WithContext("visit to " + v.register_no);
    }
    if (!*inserted) return KeyUsed(v.client_key, row.officer, "visit");
    id = **inserted;
    store::AuditEntry a =
        Audited(actor, "insurance.visit", "insurance_visit", id, now);
    a.register_no = v.register_no;
    a.after_json =
        nlohmann::json({{"visited_on", v.visited_on.ToString()},
                        {"outcome", VisitOutcomeName(v.outcome)},
                        {"officer", row.officer},
                        {"note", v.note}})
            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return session_.Audit(a).status();
  }));
  return id;
}

Status Repository::Seed(const InsuranceSnapshot& snap, const SeedRows& rows,
                        const ChangeContext& context) {
  const std::string actor = ActorOf(context);
  auto check = [&](const std::vector<int32_t>& persons) -> Status {
    for (int32_t p : persons) {
      if (p < 0 || static_cast<size_t>(p) >= snap.persons()) {
        return Status::InvalidArgument("seed row refers to person index " +
                                       std::to_string(p) +
                                       " outside the snapshot");
      }
    }
    return Status::Ok();
  };
  if (rows.entry_person.size() != rows.entries.size() ||
      rows.coverage_person.size() != rows.coverage.size() ||
      rows.credit_person.size() != rows.credits.size()) {
    return Status::InvalidArgument(
        "seed rows: one person index per entry, coverage update and credit "
        "expected");
  }
  return session_.Write([&]() -> Status {
    const std::string now = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(bool empty, LedgerIsEmpty());
    if (!empty) {
      return Status::FailedPrecondition(
          "the insurance ledger is not empty; demo histories are only "
          "written into an empty ledger");
    }
    MALCHIN_RETURN_IF_ERROR(check(rows.entry_person));
    MALCHIN_RETURN_IF_ERROR(check(rows.coverage_person));
    MALCHIN_RETURN_IF_ERROR(check(rows.credit_person));
    MALCHIN_RETURN_IF_ERROR(InsertSeedRows(snap, rows, now, actor));
    store::AuditEntry a;
    a.actor = actor;
    a.action = "insurance.seed_demo";
    a.entity_type = "insurance_ledger";
    a.entity_id = "demo";
    a.after_json = nlohmann::json({{"entries", rows.entries.size()},
                                   {"coverage_updates", rows.coverage.size()},
                                   {"service_credits", rows.credits.size()},
                                   {"source", context.source}})
                       .dump();
    a.at = now;
    return session_.Audit(a).status();
  });
}

}  // namespace malchin::insurance
