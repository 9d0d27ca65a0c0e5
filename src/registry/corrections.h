// Register correction proposals: the register's maker-checker for edits
// that come from outside an officer's own editing (a complaint's
// resolution, docs/grievance.md "Fixes"; docs in docs/grievance.md,
// "Register corrections").
//
// One officer proposes field changes to a household or one of its members,
// each as {field, from, to} where `from` is the value stored when proposing.
// Another officer approves it: the household and its members are re-read,
// every `from` must still be the stored value (else kConflict: propose
// again), and the changes go through registry::Repository::UpdateHousehold,
// the register's normal write path (its area checks, version and audit), in
// the approval's transaction. Or the checker rejects it, or the proposer
// withdraws it. The proposer can never decide their own proposal: a rule
// here and a CHECK constraint of both schemas.
//
// Fields: of a person family_name, father_name, given_name, sex (F/M),
// birth_date (YYYY-MM-DD), relation, disability, herder (0/1), phone,
// bank_account; of a household bag, current_soum_code, herder, cooperative,
// phone, camels, horses, cattle, sheep, goats. A register number is never
// corrected here (it is the person's identity).
//
// Area: a proposal is in the area of its household's soum (recorded when
// proposed); reads and decisions see the caller's area only.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "registry/model.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::registry {

enum class CorrectionState { kPending, kApplied, kRejected, kWithdrawn };
std::string_view CorrectionStateName(CorrectionState s);  // pending, ...
Result<CorrectionState> ParseCorrectionState(std::string_view s);

struct FieldChange {
  std::string field;
  std::string from;  // As stored when proposed ("" for an empty field).
  std::string to;
  bool operator==(const FieldChange&) const = default;
};

struct CorrectionProposal {
  int64_t id = 0;
  std::string household_id;
  std::string register_no;  // The member corrected; empty: the household.
  int32_t soum_code = 0;    // The household's, when proposed.
  std::vector<FieldChange> changes;
  std::string reason;
  std::string source;  // Where it comes from, e.g. "grievance G-2026-00042".
  std::string proposed_by;
  std::string proposed_at;
  CorrectionState state = CorrectionState::kPending;
  std::string decided_by;
  std::string decided_at;
  std::string decision_note;
  // An officer who may never decide it (approve or reject): the officer the
  // complaint behind it is about (docs/grievance.md "Fixes"). Kept out of
  // CorrectionJson: it is not shown to anyone.
  std::string barred_checker;
  bool operator==(const CorrectionProposal&) const = default;
};

// The engine's storage of proposals (src/backends/<engine>/
// register_correction_repository.cpp). Data only; reads are area-scoped by
// the session (a proposal outside the area does not exist).
class CorrectionRepository : public store::Repository {
 public:
  virtual Result<int64_t> Insert(const CorrectionProposal& p) = 0;
  virtual Result<std::optional<CorrectionProposal>> Find(int64_t id) = 0;
  // Proposals of the area (narrowed by `area`), in `state` if given,
  // newest first, at most `limit` (1..500).
  virtual Result<std::vector<CorrectionProposal>> List(
      const store::AreaFilter& area, std::optional<CorrectionState> state,
      int limit) = 0;
  // Moves a pending proposal to `to`. FailedPrecondition if it is not
  // pending any more; the schema refuses decided_by == proposed_by.
  virtual Status Decide(int64_t id, CorrectionState to,
                        std::string_view decided_by,
                        std::string_view decided_at, std::string_view note) = 0;
};

// The value of `field` of the household, or of `person` when given, as the
// text a FieldChange holds. InvalidArgument for a field that cannot be
// corrected.
Result<std::string> FieldValue(const Household& h, const Person* person,
                               std::string_view field);
// Sets `field` to `value` (parsed). InvalidArgument naming the field and
// the value when it does not parse.
Status SetField(Household* h, Person* person, const FieldChange& change);

// --- The maker-checker (owns its transactions) -----------------------------
// Records a proposal by the session's caller. NotFound if the household
// (or the member) is not in the caller's area; InvalidArgument for no
// change, an unknown field, a `from` that is not the stored value, a `to`
// equal to it, or a record the change would make invalid (the register's
// validation rules, as of `today`). Audited (register.correction.propose).
Result<CorrectionProposal> ProposeCorrection(store::Session& session,
                                             CorrectionProposal proposal,
                                             const geo::Geography& geo,
                                             Date today);
// Applies a pending proposal as the session's caller (see above):
// PermissionDenied for the proposer; NotFound outside the area;
// FailedPrecondition when it is not pending; kConflict when the record
// changed since; PermissionDenied for its barred checker too. Audited
// (register.correction.approve) with the register's own entries of the
// update.
Result<CorrectionProposal> ApproveCorrection(store::Session& session,
                                             int64_t id,
                                             const std::string& note,
                                             const geo::Geography& geo,
                                             Date today);
// Rejects it (another officer, with a note; never its barred checker) or
// withdraws it (its proposer). Audited.
Result<CorrectionProposal> RejectCorrection(store::Session& session, int64_t id,
                                            const std::string& note);

std::string CorrectionJson(const CorrectionProposal& p);

}  // namespace malchin::registry
