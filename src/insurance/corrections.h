// Insurance correction requests: the ledger's correction path (a reversing
// entry, ledger_service.h ReverseEntry) behind a second officer's approval,
// for corrections that come from outside the recording officer's own work
// (a complaint's resolution, docs/grievance.md "Fixes").
//
// One officer requests the reversal of an entry, with a reason; another
// approves it, and the approval reverses the entry (and recomputes the
// person's coverage) in the same transaction, through ReverseEntry with its
// own checks and audit. Or the checker rejects it, or the requester
// withdraws it. The requester never decides their own request: a rule here
// and a CHECK constraint of both schemas; at most one request per entry is
// pending at a time (a unique index of both schemas).
//
// Area: a request is in the area of its person's household soum (recorded
// when requested); reads and decisions see the caller's area only.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::insurance {

enum class CorrectionState { kPending, kApplied, kRejected, kWithdrawn };
std::string_view CorrectionStateName(CorrectionState s);  // pending, ...
Result<CorrectionState> ParseCorrectionState(std::string_view s);

struct CorrectionRequest {
  int64_t id = 0;
  int64_t entry_id = 0;  // The ledger entry to reverse.
  std::string register_no;
  int32_t soum_code = 0;
  std::string reason;
  std::string source;  // E.g. "grievance G-2026-00042".
  std::string requested_by;
  std::string requested_at;
  CorrectionState state = CorrectionState::kPending;
  std::string decided_by;
  std::string decided_at;
  std::string decision_note;
  int64_t reversal_entry_id = 0;  // Once applied.
  // An officer who may never decide it (approve or reject): the officer the
  // complaint behind it is about (docs/grievance.md "Fixes"). Kept out of
  // CorrectionJson: it is not shown to anyone.
  std::string barred_checker;
  bool operator==(const CorrectionRequest&) const = default;
};

// The engine's storage of requests (src/backends/<engine>/
// insurance_correction_repository.cpp). Data only; reads are area-scoped by
// the session.
class CorrectionRepository : public store::Repository {
 public:
  // AlreadyExists if the entry has a pending request.
  virtual Result<int64_t> Insert(const CorrectionRequest& r) = 0;
  virtual Result<std::optional<CorrectionRequest>> Find(int64_t id) = 0;
  virtual Result<std::vector<CorrectionRequest>> List(
      const store::AreaFilter& area, std::optional<CorrectionState> state,
      int limit) = 0;
  // Moves a pending request to `to` (with the reversal's entry id when
  // applied). FailedPrecondition if it is not pending any more.
  virtual Status Decide(int64_t id, CorrectionState to,
                        std::string_view decided_by,
                        std::string_view decided_at, std::string_view note,
                        int64_t reversal_entry_id) = 0;
};

// Records a request by the session's caller to reverse `entry_id`.
// NotFound if there is no such entry in the caller's area;
// FailedPrecondition if it is a reversal or already reversed;
// AlreadyExists if a request for it is pending. Audited. `barred_checker`:
// see CorrectionRequest (empty: none).
Result<CorrectionRequest> RequestCorrection(
    store::Session& session, int64_t entry_id, const std::string& reason,
    const std::string& source, const std::string& barred_checker = "");
// Approves a pending request as the session's caller and reverses the
// entry on `on`: PermissionDenied for the requester and its barred
// checker; NotFound outside the area; FailedPrecondition when not pending.
// Audited.
Result<CorrectionRequest> ApproveCorrection(store::Session& session,
                                            const params::ParameterSet& p,
                                            int64_t id, const std::string& note,
                                            Date on);
// Rejects it (another officer, with a note; never its barred checker) or
// withdraws it (its requester). Audited.
Result<CorrectionRequest> RejectCorrection(store::Session& session, int64_t id,
                                           const std::string& note);

std::string CorrectionJson(const CorrectionRequest& r);

}  // namespace malchin::insurance
