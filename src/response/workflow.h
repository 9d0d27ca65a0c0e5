// Workflow: every step of a shock response, from the event to the bank's
// results, as the CLI and the API run them.
//
//   Context ctx = *Context::Embedded();          // Parameters, soums, banks.
//   Workflow w(session, ctx);                    // A store::Session.
//   w.CreateEvent(event, "maker");
//   w.ImportEventSoums("zavkhan-2019", "soums.csv", csv_text, "maker");
//   w.CreatePlan(plan, "maker");                 // Checked and compiled.
//   w.Preview("phase1", {});                     // Nothing is written.
//   w.ApprovePlan("phase1", "checker");          // Frozen snapshot.
//   w.GeneratePayroll("phase1", 1, "maker");
//   w.ApprovePayroll("phase1", 1, "checker");
//   w.Export("phase1", 1, "maker", "out/");      // Bank files.
//   w.Reconcile("khan-result.csv", text, "maker");
//
// Actors are user names of the register's accounts (auth::AccountRepository):
// NotFound if there is no such user, PermissionDenied if the account is
// disabled or its role may not run transfers (national_officer, aimag_officer
// and soum_officer may; an admin manages accounts, not payments; analysts and
// auditors only read). An aimag or soum officer sees and approves only their
// area (the account's area_code). Maker-checker: the user who prepared a plan
// or generated a payroll cannot approve it, and a plan is approved before any
// of its payrolls exists. Every step is idempotent and writes in one
// transaction with its audit entry (response/transfers.h).
//
// Thread-safety: one Workflow per thread (it uses the thread's Store).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "geo/geography.h"
#include "params/parameters.h"
#include "response/banks.h"
#include "response/frame_cache.h"
#include "response/payees.h"
#include "response/payments.h"
#include "response/repository.h"
#include "response/transfers.h"
#include "rules/evaluator.h"

namespace malchin::response {

struct Context {
  std::shared_ptr<const params::ParameterSet> parameters;
  std::shared_ptr<const geo::Geography> geography;
  BankTable banks;
  PayeeOrder payees;  // Who receives a child's payment (payees.csv).
  int threads = 0;    // For previews and selection; 0 = hardware.
  // Previews reuse the register's frame from here while the register is
  // unchanged (frame_cache.h); null: every preview loads the register.
  std::shared_ptr<FrameCache> frames;
  // The shipped parameters, soum list, bank table and payee order (and the
  // process-wide frame cache).
  static Result<Context> Embedded();
};

// A user allowed to run transfers, and the part of the country they see.
struct Actor {
  std::string username;
  std::string role;
  store::AreaFilter area;
};

// Why one person is or is not a beneficiary of a plan (Workflow::Explain).
struct PlanExplanation {
  std::string register_no;
  std::string household_id;
  Date cutoff_on;  // The date eligibility is judged on.
  bool beneficiary = false;
  std::optional<int64_t> amount;  // MNT per installment, if a beneficiary.
  std::string text;  // One step a line; members named by register number.
};

struct ExportResult {
  response::IssueResult issue;     // What this run issued (maybe nothing).
  std::vector<PaymentFile> files;  // The files of the batch written.
};

class Workflow {
 public:
  // REQUIRES: `session` and `context` outlive the Workflow. Each step sets
  // the session's caller to the acting user (their area scopes every read).
  Workflow(store::Session& session, const Context& context)
      : session_(session), response_(session), ctx_(context) {}

  // The steps without the account checks (for reads and tests).
  Transfers& transfers() { return response_; }

  Result<Actor> ResolveActor(std::string_view username);

  // Called at each step of the long operations (ApprovePlan, Export) with
  // the fraction done (0..1) and the step, for a job's progress bar.
  using ProgressFn = std::function<void(double, const std::string&)>;
  void SetProgress(ProgressFn progress) { progress_ = std::move(progress); }

  Result<response::ShockEventRecord> CreateEvent(
      response::ShockEventRecord event, std::string_view user,
      bool* created = nullptr);
  // Reads a soum file (event_soums.h) and sets those severities.
  // Returns how many soums were added or changed.
  Result<int64_t> ImportEventSoums(std::string_view event_code,
                                   std::string_view file_name,
                                   std::string_view data,
                                   std::string_view user);
  // Checks the plan (ValidatePlan, and ValidateSchedule against its
  // event), makes sure its programme exists (built-in ones are created on
  // first use), compiles its rule and stores it as prepared.
  Result<response::PlanRecord> CreatePlan(response::PlanRecord plan,
                                          std::string_view user,
                                          bool* created = nullptr);

  // Beneficiaries and cost of `plan` (stored or not) over the register in
  // `area`, without writing anything.
  Result<rules::Preview> Preview(const response::PlanRecord& plan,
                                 const store::AreaFilter& area);
  Result<rules::Preview> PreviewStored(std::string_view plan_code,
                                       const store::AreaFilter& area);

  // `created` (if given): whether this call wrote (Transfers). `overlap`:
  // what to do with beneficiaries already in an approved plan of the same
  // event and programme (left out by default; Transfers::ApprovePlan).
  Result<response::PlanRecord> ApprovePlan(
      std::string_view plan_code, std::string_view user,
      bool* created = nullptr, const response::OverlapDecision& overlap = {});
  // Before approving: how many of those the plan would pay now are already
  // in each approved plan of the same event and programme (by plan code).
  // Reads the whole register; writes nothing.
  Result<std::vector<std::pair<std::string, int64_t>>> AlreadyCovered(
      std::string_view plan_code, std::string_view user);
  Result<response::PayrollRecord> GeneratePayroll(std::string_view plan_code,
                                                  int installment,
                                                  std::string_view user,
                                                  bool* created = nullptr);
  Result<response::PayrollRecord> ApprovePayroll(std::string_view plan_code,
                                                 int installment,
                                                 std::string_view user);
  // Issues what Transfers::IssuePayments allows (lines never sent, and
  // failed/returned payments an officer decided to re-issue or whose payee
  // changed; never a held, cancelled, flagged or awaiting one) and writes
  // that batch's files into `dir`. If there is nothing new to issue, writes
  // the latest batch's files again (identical bytes).
  Result<ExportResult> Export(std::string_view plan_code, int installment,
                              std::string_view user, const std::string& dir);
  Result<response::ReconcileCounts> Reconcile(std::string_view file_name,
                                              std::string_view data,
                                              std::string_view user);
  // Like Reconcile, for the result file of one payroll: InvalidArgument
  // (file:line, every such row) if a reference is not a payment of that
  // plan's installment, and nothing is changed.
  Result<response::ReconcileCounts> ReconcilePayroll(std::string_view plan_code,
                                                     int installment,
                                                     std::string_view file_name,
                                                     std::string_view data,
                                                     std::string_view user);

  // Why the person `register_no` is or is not a beneficiary of the plan.
  // An approved plan pays its frozen list: the answer is read from it
  // (the amount and payee frozen at approval; whether the person has been
  // deactivated since, in which case the payroll flags the payment), never
  // from the register as it is now. A prepared plan is explained on its
  // cut-off date over the register as it is now (rules never look beyond a
  // person's household and the event, so the household alone gives the
  // answer). The person is read in the session's caller area: NotFound if
  // absent there; for a prepared plan, FailedPrecondition if deactivated.
  // Writes nothing.
  Result<PlanExplanation> Explain(
      std::string_view plan_code, std::string_view register_no,
      rules::Language language = rules::Language::kEnglish);

  // --- Payments as cases (Transfers::RequestAction, DecideAction) --------
  // Requests an action on a payment as `user`, in their area. For a payee
  // change, the new payee is a person of the register (in the user's area,
  // active) and the account is the one given, else theirs in the register;
  // InvalidArgument (field "account") if it routes to no bank.
  Result<response::PaymentAction> RequestAction(
      response::Transfers::CaseRequest request, std::string_view user);
  Result<response::PaymentAction> DecideAction(std::string_view plan_code,
                                               int64_t action_id, bool confirm,
                                               std::string_view note,
                                               std::string_view user);
  // The follow-up list of a payroll in `area` (routing with the bank table).
  Result<std::vector<response::FollowUpItem>> FollowUp(
      std::string_view plan_code, int installment,
      const store::AreaFilter& area);

 private:
  // The approval's choice of beneficiaries for `plan`.
  Result<Transfers::Selector> SelectorFor(const response::PlanRecord& plan);
  Result<PlanExplanation> ExplainFrozen(const response::PlanRecord& plan,
                                        std::string_view register_no,
                                        rules::Language language);
  Result<std::optional<response::ProgrammeRecord>> ProgrammeOf(
      const response::PlanRecord& plan);
  Result<response::ShockEventRecord> EventOf(const response::PlanRecord& plan);

  store::Session& session_;
  Transfers response_;
  const Context& ctx_;
  ProgressFn progress_;
  void Progress(double fraction, const std::string& step) {
    if (progress_) progress_(fraction, step);
  }
};

}  // namespace malchin::response
