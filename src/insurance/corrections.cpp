#include "insurance/corrections.h"

#include <nlohmann/json.hpp>

#include "insurance/ledger_service.h"
#include "insurance/repository.h"

namespace malchin::insurance {
namespace {

using nlohmann::json;

constexpr std::string_view kStates[] = {"pending", "applied", "rejected",
                                        "withdrawn"};

Status Audit(store::Session& session, const std::string& action,
             const CorrectionRequest& r) {
  store::AuditEntry e;
  e.action = action;
  e.entity_type = "insurance_correction";
  e.entity_id = std::to_string(r.id);
  e.register_no = r.register_no;
  e.after_json = CorrectionJson(r);
  return session.Audit(std::move(e)).status();
}

Result<CorrectionRequest> Pending(CorrectionRepository& repo, int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(auto r, repo.Find(id));
  if (!r) {
    return Status::NotFound("insurance correction " + std::to_string(id) +
                            " does not exist");
  }
  if (r->state != CorrectionState::kPending) {
    return Status::FailedPrecondition(
        "insurance correction " + std::to_string(id) + " is already " +
        std::string(CorrectionStateName(r->state)));
  }
  return std::move(*r);
}

// PermissionDenied when `actor` is the request's barred checker (the
// officer the complaint behind it is about). The message does not say why:
// it would tell them of the complaint.
Status MayDecide(const CorrectionRequest& r, const std::string& actor) {
  if (r.barred_checker.empty() || r.barred_checker != actor) {
    return Status::Ok();
  }
  return Status::PermissionDenied("insurance correction " +
                                  std::to_string(r.id) +
                                  " is decided by "
                                  "another officer; " +
                                  actor + " may not");
}

}  // namespace

std::string_view CorrectionStateName(CorrectionState s) {
  return kStates[static_cast<int>(s)];
}

Result<CorrectionState> ParseCorrectionState(std::string_view s) {
  for (int i = 0; i < 4; ++i) {
    if (kStates[i] == s) return static_cast<CorrectionState>(i);
  }
  return Status::InvalidArgument(
      "state '" + std::string(s) +
          "': expected pending, applied, rejected or withdrawn",
      "state");
}

Result<CorrectionRequest> RequestCorrection(store::Session& session,
                                            int64_t entry_id,
                                            const std::string& reason,
                                            const std::string& source,
                                            const std::string& barred_checker) {
  if (reason.empty() || reason.size() > 2000) {
    return Status::InvalidArgument("reason: expected why (1-2000 bytes)",
                                   "reason");
  }
  CorrectionRequest r;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    auto& ledger = session.Get<Repository>();
    MALCHIN_ASSIGN_OR_RETURN(auto entry, ledger.FindEntry({}, entry_id));
    if (!entry) {
      return Status::NotFound("no insurance entry " + std::to_string(entry_id) +
                              " in the area");
    }
    if (entry->reverses != 0) {
      return Status::FailedPrecondition(
          "entry " + std::to_string(entry_id) +
          " is itself a reversal; record a new payment instead");
    }
    MALCHIN_ASSIGN_OR_RETURN(auto all, ledger.Entries({}, entry->register_no));
    for (const LedgerEntry& e : all) {
      if (e.reverses == entry_id) {
        return Status::FailedPrecondition("entry " + std::to_string(entry_id) +
                                          " was reversed by entry " +
                                          std::to_string(e.id));
      }
    }
    MALCHIN_ASSIGN_OR_RETURN(auto person,
                             ledger.FindPerson({}, entry->register_no));
    r = CorrectionRequest{};
    r.entry_id = entry_id;
    r.register_no = entry->register_no;
    r.soum_code = person ? person->soum_code : 0;
    r.reason = reason;
    r.source = source;
    r.barred_checker = barred_checker;
    r.requested_by = session.caller().actor;
    r.requested_at = session.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(r.id,
                             session.Get<CorrectionRepository>().Insert(r));
    return Audit(session, "insurance.correction.request", r);
  }));
  return r;
}

Result<CorrectionRequest> ApproveCorrection(store::Session& session,
                                            const params::ParameterSet& p,
                                            int64_t id, const std::string& note,
                                            Date on) {
  CorrectionRequest out;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock("insurance.correction:" + std::to_string(id)));
    auto& requests = session.Get<CorrectionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(CorrectionRequest r, Pending(requests, id));
    const std::string& actor = session.caller().actor;
    if (r.requested_by == actor) {
      return Status::PermissionDenied(
          "insurance correction " + std::to_string(id) + " was requested by " +
          actor + "; another officer approves it (maker-checker)");
    }
    MALCHIN_RETURN_IF_ERROR(MayDecide(r, actor));
    MALCHIN_ASSIGN_OR_RETURN(
        PaymentReceipt receipt,
        ReverseEntry(session.Get<Repository>(), p, {}, r.entry_id, on,
                     "correction " + std::to_string(id) + ": " + r.reason,
                     {actor, "insurance correction " + std::to_string(id)}));
    r.state = CorrectionState::kApplied;
    r.decided_by = actor;
    r.decided_at = session.clock().NowIso();
    r.decision_note = note;
    r.reversal_entry_id = receipt.entry_id;
    MALCHIN_RETURN_IF_ERROR(requests.Decide(id, r.state, actor, r.decided_at,
                                            note, r.reversal_entry_id));
    MALCHIN_RETURN_IF_ERROR(Audit(session, "insurance.correction.approve", r));
    out = std::move(r);
    return Status::Ok();
  }));
  return out;
}

Result<CorrectionRequest> RejectCorrection(store::Session& session, int64_t id,
                                           const std::string& note) {
  CorrectionRequest out;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(
        session.Lock("insurance.correction:" + std::to_string(id)));
    auto& requests = session.Get<CorrectionRepository>();
    MALCHIN_ASSIGN_OR_RETURN(CorrectionRequest r, Pending(requests, id));
    const std::string& actor = session.caller().actor;
    bool own = r.requested_by == actor;
    if (!own) MALCHIN_RETURN_IF_ERROR(MayDecide(r, actor));
    if (!own && note.empty()) {
      return Status::InvalidArgument("a rejection needs a note saying why",
                                     "note");
    }
    r.state = own ? CorrectionState::kWithdrawn : CorrectionState::kRejected;
    r.decided_by = actor;
    r.decided_at = session.clock().NowIso();
    r.decision_note = note;
    MALCHIN_RETURN_IF_ERROR(
        requests.Decide(id, r.state, actor, r.decided_at, note, 0));
    MALCHIN_RETURN_IF_ERROR(Audit(
        session,
        own ? "insurance.correction.withdraw" : "insurance.correction.reject",
        r));
    out = std::move(r);
    return Status::Ok();
  }));
  return out;
}

std::string CorrectionJson(const CorrectionRequest& r) {
  json j = {{"id", r.id},
            {"entry_id", r.entry_id},
            {"register_no", r.register_no},
            {"soum_code", r.soum_code},
            {"reason", r.reason},
            {"source", r.source},
            {"requested_by", r.requested_by},
            {"requested_at", r.requested_at},
            {"state", CorrectionStateName(r.state)},
            {"decided_by", r.decided_by},
            {"decided_at", r.decided_at},
            {"decision_note", r.decision_note},
            {"reversal_entry_id", r.reversal_entry_id}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace malchin::insurance
