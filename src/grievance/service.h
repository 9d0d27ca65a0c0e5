// grievance::Service: every rule of grievance redress, on one store::Session
// acting for its caller (docs/grievance.md). It owns the transactions: each
// change is one Session::Write that locks the case ("grievance:<id>"),
// re-reads it, decides, writes and appends to the audit trail, or changes
// nothing. Who may see and handle a case is grievance/visibility.h's rule:
// whoever may see a case may work on it; anyone else gets NotFound.
//
//   grievance::Service g(session, context);
//   auto receipt = g.Intake(request);          // Any channel.
//   g.Move(receipt->id, Action::kAcknowledge); // Letter (and SMS) rendered.
//   g.Escalate();                              // A job: deadlines passed.
//
// Time comes from the session's clock (session.clock()): tests move a
// FakeClock. Messages are English for the log and the API; what a
// complainant reads (letters, SMS) is Mongolian (grievance/data/letters.json,
// channel's sms_templates.json).
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "channel/templates.h"
#include "core/date.h"
#include "core/status.h"
#include "geo/geography.h"
#include "grievance/batch.h"
#include "grievance/catalogue.h"
#include "grievance/model.h"
#include "grievance/repository.h"
#include "grievance/stats.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::grievance {

// What the service reads besides the database: shared, immutable.
struct Context {
  std::shared_ptr<const params::ParameterSet> params;
  std::shared_ptr<const geo::Geography> geo;
  std::shared_ptr<const channel::TemplateCatalogue> sms;      // Shipped SMS.
  std::shared_ptr<const channel::TemplateCatalogue> letters;  // letters.json
  // The shipped parameters, geography, SMS templates and letters.
  static Result<Context> Embedded();
};

struct IntakeRequest {
  Channel channel = Channel::kOffice;
  std::string category;
  int32_t soum_code = 0;
  Complainant complainant;  // register_no as typed: it is normalized.
  SubjectKind subject_kind = SubjectKind::kNone;
  std::string subject_ref;
  std::string summary;
  bool confidential = false;  // Raise it even if the category is not.
  std::string external_id;    // The channel's id, if intake may repeat.
  // The date on a paper form (batch); not after today. Else today.
  std::optional<Date> received_on;
};

struct IntakeReceipt {
  int64_t id = 0;  // 0 when already_received.
  std::string reference;
  bool confidential = false;
  // Whether the one who recorded it may see it afterwards (an ordinary
  // officer taking a confidential case, or a hotline operator, may not).
  bool visible_to_recorder = false;
  std::string tracking_code;      // Web intake only: shown once, kept hashed.
  bool already_received = false;  // The external id came before.
  Date acknowledge_by, resolve_by;
};

// A fix asked of the capability that owns the record (docs/grievance.md).
struct FixRequest {
  FixKind kind = FixKind::kRegisterCorrection;
  std::string note;  // Why; becomes the proposal's reason.
  // kRegisterCorrection: the household, the person (empty for a household
  // field) and the changes ("field", "from" as stored now, "to").
  std::string household_id;
  std::string register_no;
  struct Change {
    std::string field, from, to;
  };
  std::vector<Change> changes;
  int64_t entry_id = 0;           // kInsuranceCorrection: the entry.
  std::string payment_reference;  // kPaymentHold / kPaymentReissue.
};

// A fix with its state as its owner knows it now: pending, applied,
// rejected, withdrawn (register and insurance corrections), requested,
// confirmed, rejected (payment holds and re-issues, as the response
// capability's payment action) or unknown (the owner does not show it).
struct FixView {
  Fix fix;
  std::string state;
};

struct ReferralRequest {
  std::string service_code;
  bool share_contact = false;
  bool share_details = false;
  std::string note;
  // Also decide the case as referred (it must be under review).
  bool decide = false;
};

struct CaseView {
  Case c;
  Category category;
  std::vector<Action> actions;  // What the caller may do next.
  std::vector<CaseEvent> events;
  std::vector<Attachment> attachments;
  std::vector<Notice> notices;
  std::vector<Consent> consents;
  std::vector<Referral> referrals;
  std::vector<FixView> fixes;
  std::vector<ReferralService> services;  // The directory for its soum.
};

struct EscalationReport {
  int64_t checked = 0;
  int64_t escalated = 0;
  int64_t to_aimag = 0;
  int64_t to_national = 0;
  Date on;
};

// What a web complainant sees with their reference and tracking code.
struct Tracking {
  std::string reference;
  CaseState state = CaseState::kReceived;
  Date received_on;
  Date resolve_by;
  std::string answer;  // The outcome letter's text once decided, else "".
};

class Service {
 public:
  Service(store::Session& session, const Context& context);

  // --- Intake -------------------------------------------------------------
  // Records a complaint from any channel. The caller must hold
  // record_grievance, except on the web and SMS channels (the complainant
  // themself; the caller is then the channel). InvalidArgument naming the
  // field for an unknown or inactive category, a soum that is not a soum or
  // district, an empty or overlong summary, a register number that is not
  // one (or disagrees with the sex given), a phone that is not 8 digits,
  // identity given for an anonymous complaint, SMS contact without a phone,
  // a subject officer who has no account; PermissionDenied when the
  // officer would record a complaint about themself.
  Result<IntakeReceipt> Intake(const IntakeRequest& request);
  // A text message from the herders' SMS channel (when it exists): the
  // channel gives the sender's number, the text after the keyword, its
  // message id (a repeat is already_received) and the soum of the
  // household it matched. Category "other" until an officer reclassifies.
  Result<IntakeReceipt> IntakeSms(const std::string& from_phone,
                                  const std::string& text,
                                  const std::string& message_id,
                                  int32_t soum_code);
  // Paper forms or KoBo submissions (grievance/batch.h): every row is
  // checked first and nothing is recorded if any row is wrong (the report
  // lists them all); rows whose id came before are skipped. One
  // transaction.
  Result<BatchReport> ImportBatch(const std::string& file_name,
                                  const std::string& data);

  // --- Reads ----------------------------------------------------------------
  // The case with everything about it. A confidential case's read is
  // itself audited (grievance.read).
  Result<CaseView> Get(int64_t id);
  Result<CaseView> GetByReference(const std::string& reference);
  // A page of cases (reads of confidential ones audited).
  Result<CasePage> List(const CaseQuery& query);
  // The bytes of an attachment (audited for a confidential case).
  Result<std::string> AttachmentContent(int64_t case_id, int64_t id);

  // --- Work on a case (NotFound if the caller may not see it) -------------
  // `expected_version` 0 skips the check; otherwise kConflict when the case
  // changed since. Moves that decide (resolve, refer, reject) and the
  // acknowledgement render the notices to the complainant; close needs the
  // outcome notice and no register or insurance fix still pending.
  Result<Case> Move(int64_t id, Action action, const std::string& text = "",
                    int64_t expected_version = 0);
  // To an officer who may see the case, is not its subject, and works at
  // its level (aimag-wide or national for an aimag-level case, national for
  // a national one). Empty `username` unassigns.
  Result<Case> Assign(int64_t id, const std::string& username,
                      int64_t expected_version = 0);
  // Moves a case to another active category; a sensitive one makes it
  // confidential.
  Result<Case> Reclassify(int64_t id, const std::string& category,
                          int64_t expected_version = 0);
  // Makes a case confidential (never the reverse).
  Result<Case> MarkConfidential(int64_t id, const std::string& reason);
  // Names the officer the complaint is about (`username`, an existing
  // account) when intake could not (the web form, SMS, a caller who did
  // not know the user name): from then on that officer can never see the
  // case (grievance/visibility.h), and a case assigned to them is
  // unassigned. Set once: FailedPrecondition when the case already names
  // one. PermissionDenied unless the caller is a focal point or an aimag or
  // national officer (a soum officer may be the colleague complained
  // about), or names themself; InvalidArgument for a user name with no
  // account. Audited (grievance.accused).
  Result<Case> NameAccused(int64_t id, const std::string& username);
  Status AddNote(int64_t id, const std::string& text);
  // At most 5 MiB; the name is kept, the content type checked.
  Result<Attachment> Attach(int64_t id, const std::string& file_name,
                            const std::string& content_type,
                            const std::string& content);
  Result<Consent> RecordConsent(int64_t id, const Consent& consent);
  // To a service of the directory for the case's soum. Sharing contact or
  // details needs a given consent that covers it, recorded before.
  Result<Referral> Refer(int64_t id, const ReferralRequest& request);
  // Asks the owning capability for the fix (its maker-checker applies it):
  // a payment hold or re-issue is the response capability's action on the
  // payment with the given reference (NotFound outside the caller's area;
  // its refusals, e.g. a re-issue of a paid payment, come back as they
  // are, and nothing is recorded on the case). The officer the case is
  // about may never decide the fix.
  Result<FixView> RequestFix(int64_t id, const FixRequest& request);
  Status MarkPrinted(int64_t case_id, int64_t notice_id);

  // --- Deadlines
  // -------------------------------------------------------------- Escalates
  // every overdue case (workflow.h) as of the session clock's today. A system
  // job: the session must be national.
  Result<EscalationReport> Escalate();

  // --- Counts and exports -------------------------------------------------
  Result<Stats> Measure(const StatsQuery& query);
  // Cases of the area as CSV (masked rows for what the caller may not see).
  Result<std::string> ExportCsv(const FactQuery& query);

  // --- The catalogue ------------------------------------------------------
  Result<std::vector<Category>> Categories();
  Result<std::vector<ReferralService>> Directory();
  // Adds or replaces entries (national officers and focal points only).
  // Returns how many were stored.
  Result<int> PutCategories(const std::vector<Category>& categories);
  Result<int> PutServices(const std::vector<ReferralService>& services);

  // --- The web complainant --------------------------------------------------
  // NotFound unless the reference exists and the code is its code.
  Result<Tracking> Track(const std::string& reference,
                         const std::string& tracking_code);

 private:
  // The case, if the caller may see it; NotFound otherwise.
  Result<Case> Find(int64_t id);
  // One change of case `id` in one Write: locks the case, re-reads it,
  // checks `expected_version` (0: none), lets `change` edit it and fill the
  // event and the audit detail, then stores all three.
  using ChangeFn =
      std::function<Status(Case& c, CaseEvent& event, nlohmann::json& detail)>;
  Result<Case> Change(int64_t id, int64_t expected_version,
                      const std::string& action, const ChangeFn& change);
  // Appends an audit entry about `c` (never its content or complainant when
  // it is confidential). REQUIRES: inside Write.
  Status AuditCase(const Case& c, const std::string& action,
                   const nlohmann::json& detail);
  // Records that the caller read confidential case `c`.
  Status AuditRead(const Case& c, const std::string& what);
  // Renders and stores the notices of `kind` for `c`. REQUIRES: in Write.
  Status RenderNotices(const Case& c, NoticeKind kind);
  // The letter of `kind` about `c` in `language` ("mn", "en"), signed by
  // `signer` (the soum governor's office when empty).
  Result<std::string> Letter(const Case& c, NoticeKind kind,
                             const std::string& language,
                             const std::string& signer);
  // "Завхан аймаг, Тосонцэнгэл сум" (mn) / "Tosontsengel soum, Zavkhan".
  std::string OfficeName(int32_t soum_code, const std::string& language) const;
  // "Тосонцэнгэл сумын Засаг даргын Тамгын газар" / "Governor's office of
  // Tosontsengel soum": who signs a letter.
  std::string Signature(int32_t soum_code, const std::string& language) const;
  // The state of a fix as its owner knows it (see FixView).
  Result<std::string> FixState(const Fix& f);
  // Asks the response capability for a payment hold or re-issue; the id of
  // its payment action.
  Result<int64_t> AskPayment(const FixRequest& request,
                             const std::string& reason,
                             const std::string& barred);
  // Checks an intake request and makes the case it records.
  Result<Case> NewCase(const IntakeRequest& r);
  Status CheckSubject(const IntakeRequest& r, Case* c);
  // FailedPrecondition unless `c` may close: no register or insurance fix
  // pending, and (when the complainant can be told) its outcome letter
  // printed.
  Status CheckClosable(const Case& c);
  Result<CaseView> View(Case c);
  Result<std::vector<Category>> AllCategories();
  std::string Now() const;
  Date Today() const;

  store::Session& session_;
  const Context& ctx_;
  Repository& repo_;
};

}  // namespace malchin::grievance
