// grievance::Repository: where complaints, their timelines, attachments,
// notices, consents, referrals and fixes live, and the ministry's additions
// to the catalogue. Each engine implements the Do* primitives
// (src/backends/<engine>/grievance_repository.cpp); the capability's
// services (grievance/service.h) own every decision and the transactions.
//
// Confidentiality is not left to the engines: every public read method
// here takes the session's caller, makes it a Viewer (grievance/visibility.h)
// and asks the engine for what that viewer may see (Visibility), then checks
// each case it got back against the rule itself (CanSee); an engine that
// returned a case the caller may not see is a defect reported as kInternal,
// never shown. A case the caller may not see does not exist: nullopt,
// NotFound, absent from lists. Counts (Facts) include every case of the
// area with the details of those the caller may not see masked.
//
// Area: cases are in the area of their soum (Case::soum_code); the area of
// a read is the caller's intersected with the one asked for
// (store::Session::Scope), applied by the engine with its one area clause.
//
// Writes are data only and run inside the service's Session::Write; they
// neither check rules nor audit (the service does both).
//
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"
#include "grievance/catalogue.h"
#include "grievance/model.h"
#include "grievance/visibility.h"
#include "store/area.h"
#include "store/session.h"

namespace malchin::grievance {

struct CaseQuery {
  store::AreaFilter area;  // Narrows the caller's area.
  std::optional<CaseState> state;
  bool open_only = false;  // received, acknowledged or under review.
  std::string category;    // Empty: any.
  std::optional<Channel> channel;
  std::optional<Level> level;
  std::string assigned_to;  // Empty: anyone (or nobody).
  // Open cases past a deadline on this date (acknowledge or resolve).
  std::optional<Date> overdue_on;
  std::optional<Date> received_from, received_to;  // Inclusive.
  int page = 1;          // 1-based; ignored when after_id is set.
  int page_size = 50;    // 1..500; larger values are clamped.
  int64_t after_id = 0;  // Keyset paging: cases with a larger id.
};

// Cases newest first (by id descending), or by id ascending with after_id.
struct CasePage {
  std::vector<Case> items;
  int64_t total = 0;
};

// What counts need of a case. Masked (see CountsInDetail) for a caller who
// may not see its details: category "confidential", no channel, sex, birth
// year, id, accused officer or dates other than received_on.
struct CaseFact {
  CaseHeader header;
  std::string category;
  std::optional<Channel> channel;
  CaseState state = CaseState::kReceived;
  Level level = Level::kSoum;
  std::optional<registry::Sex> sex;
  int32_t birth_year = 0;
  Date received_on;
  Date acknowledge_by, resolve_by;
  std::optional<Date> acknowledged_on, decided_on, closed_on;
  bool masked = false;
};

struct FactQuery {
  store::AreaFilter area;        // Narrows the caller's area.
  std::optional<Date> from, to;  // received_on, inclusive.
};

// How an engine applies a Viewer in its queries (besides the area):
// cases about `excluded_officer` are left out; confidential cases are
// included when `confidential`, the others when `ordinary`.
struct Visibility {
  bool ordinary = false;
  bool confidential = false;
  std::string excluded_officer;  // Empty: none.
};

class Repository : public store::Repository {
 public:
  explicit Repository(store::Session& session) : session_(session) {}

  // --- Reads, as the caller may see them ----------------------------------
  Result<std::optional<Case>> FindCase(int64_t id);
  Result<std::optional<Case>> FindByReference(std::string_view reference);
  Result<CasePage> ListCases(const CaseQuery& query);
  // The case's timeline, attachments, ...: NotFound if the caller may not
  // see the case.
  Result<std::vector<CaseEvent>> Events(int64_t case_id);
  Result<std::vector<Attachment>> Attachments(int64_t case_id);
  // The bytes of an attachment of the case; NotFound if none (or not seen).
  Result<std::string> AttachmentContent(int64_t case_id, int64_t id);
  Result<std::vector<Notice>> Notices(int64_t case_id);
  Result<std::vector<Consent>> Consents(int64_t case_id);
  Result<std::vector<Referral>> Referrals(int64_t case_id);
  Result<std::vector<Fix>> Fixes(int64_t case_id);
  // Every case of the area received in the period, details masked.
  Result<std::vector<CaseFact>> Facts(const FactQuery& query);

  // Whether any case (visible or not) came with this channel id. Says
  // nothing else about it: for intake that may repeat.
  virtual Result<bool> ExternalIdTaken(Channel channel,
                                       std::string_view external_id) = 0;
  // The rule's inputs for these cases, whatever the caller may see (to mask
  // the audit trail's entries, grievance/audit_view.h). Unknown ids are
  // left out.
  virtual Result<std::vector<CaseHeader>> Headers(
      const std::vector<int64_t>& ids) = 0;

  // The ministry's additions to the catalogue (not area data), by code.
  virtual Result<std::vector<Category>> StoredCategories() = 0;
  virtual Result<std::vector<ReferralService>> StoredServices() = 0;

  // --- Writes (data only: the service decides, locks and audits) --------
  // Inserts a case; returns it with its id, reference and version 1.
  // AlreadyExists if its channel already has its external_id.
  virtual Result<Case> InsertCase(const Case& c) = 0;
  // Stores `c` if the stored version is still c.version; the stored
  // version becomes c.version + 1 (returned). kConflict naming both
  // versions otherwise; NotFound if there is no case c.id.
  virtual Result<int64_t> UpdateCase(const Case& c) = 0;
  virtual Result<int64_t> AddEvent(const CaseEvent& e) = 0;
  virtual Result<int64_t> AddAttachment(const Attachment& a,
                                        std::string_view content) = 0;
  virtual Result<int64_t> AddNotice(const Notice& n) = 0;
  virtual Status SetNoticeStatus(int64_t notice_id, NoticeStatus status) = 0;
  virtual Result<int64_t> AddConsent(const Consent& c) = 0;
  virtual Result<int64_t> AddReferral(const Referral& r) = 0;
  virtual Result<int64_t> AddFix(const Fix& f) = 0;
  virtual Status PutCategory(const Category& c, std::string_view actor,
                             std::string_view at) = 0;
  virtual Status PutService(const ReferralService& s, std::string_view actor,
                            std::string_view at) = 0;

  // While one exists, this repository's reads see every case (a system
  // job such as escalation, which moves deadlines and shows nothing).
  class SystemJobScope {
   public:
    explicit SystemJobScope(Repository& r) : r_(r), saved_(r.system_job_) {
      r_.system_job_ = true;
    }
    ~SystemJobScope() { r_.system_job_ = saved_; }
    SystemJobScope(const SystemJobScope&) = delete;
    SystemJobScope& operator=(const SystemJobScope&) = delete;

   private:
    Repository& r_;
    bool saved_;
  };

  // The viewer reads use now (the caller's, or a system job's).
  Viewer viewer() const;

 protected:
  store::Session& session() { return session_; }

  virtual Result<std::optional<Case>> DoFindCase(int64_t id,
                                                 std::string_view reference,
                                                 const Visibility& v) = 0;
  virtual Result<CasePage> DoListCases(const CaseQuery& q,
                                       const Visibility& v) = 0;
  virtual Result<std::vector<CaseFact>> DoFacts(const FactQuery& q) = 0;
  virtual Result<std::vector<CaseEvent>> DoEvents(int64_t case_id) = 0;
  virtual Result<std::vector<Attachment>> DoAttachments(int64_t case_id) = 0;
  virtual Result<std::optional<std::string>> DoAttachmentContent(
      int64_t case_id, int64_t id) = 0;
  virtual Result<std::vector<Notice>> DoNotices(int64_t case_id) = 0;
  virtual Result<std::vector<Consent>> DoConsents(int64_t case_id) = 0;
  virtual Result<std::vector<Referral>> DoReferrals(int64_t case_id) = 0;
  virtual Result<std::vector<Fix>> DoFixes(int64_t case_id) = 0;

 private:
  Visibility visibility() const;
  // NotFound unless the caller may see case `case_id`.
  Status RequireVisible(int64_t case_id);
  // Internal if `c` is a case the caller may not see (an engine's defect).
  Status CheckShown(const Case& c) const;

  store::Session& session_;
  bool system_job_ = false;
};

CaseHeader HeaderOf(const Case& c);

}  // namespace malchin::grievance
