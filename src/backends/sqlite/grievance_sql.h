// The SQLite engine's grievance::Repository (schema: migration 13), private
// to src/backends/sqlite: cases in grievance_repository.cpp, what is
// attached to them (timeline, attachments, notices, consents, referrals,
// fixes) and the catalogue in grievance_records.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/sqlite/session.h"
#include "grievance/repository.h"
#include "registry/model.h"

namespace malchin::backends::sqlite {

// Column helpers shared by the two files.
std::optional<Date> OptDateAt(const Stmt& s, int col);
Date DateAt(const Stmt& s, int col);
void BindOptDate(Stmt& s, int i, const std::optional<Date>& d);

// Reads an enum column; DataLoss naming the column if the text is unknown.
template <class E>
Result<E> EnumAt(const Stmt& s, int col, Result<E> (*parse)(std::string_view),
                 const char* what) {
  Result<E> e = parse(s.Text(col));
  if (!e.ok()) {
    return Status::DataLoss("grievance " + std::string(what) + " '" +
                            std::string(s.Text(col)) + "' is not known");
  }
  return e;
}

// Runs a prepared query and reads every row with `read`.
template <class T, class F>
Result<std::vector<T>> AllRows(Stmt* s, F read) {
  std::vector<T> out;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return out;
    Result<T> r = read(*s);
    if (!r.ok()) {
      s->Reset();
      return r.status();
    }
    out.push_back(std::move(*r));
  }
}

// Runs an INSERT ... RETURNING id.
Result<int64_t> InsertReturningId(Stmt* s);

class SqliteGrievanceRepository final : public grievance::Repository {
 public:
  explicit SqliteGrievanceRepository(SqliteSession& session)
      : grievance::Repository(session), s_(session) {}

  Result<bool> ExternalIdTaken(grievance::Channel channel,
                               std::string_view external_id) override;
  Result<std::vector<grievance::CaseHeader>> Headers(
      const std::vector<int64_t>& ids) override;
  Result<std::vector<grievance::Category>> StoredCategories() override;
  Result<std::vector<grievance::ReferralService>> StoredServices() override;
  Result<grievance::Case> InsertCase(const grievance::Case& c) override;
  Result<int64_t> UpdateCase(const grievance::Case& c) override;
  Result<int64_t> AddEvent(const grievance::CaseEvent& e) override;
  Result<int64_t> AddAttachment(const grievance::Attachment& a,
                                std::string_view content) override;
  Result<int64_t> AddNotice(const grievance::Notice& n) override;
  Status SetNoticeStatus(int64_t notice_id,
                         grievance::NoticeStatus status) override;
  Result<int64_t> AddConsent(const grievance::Consent& c) override;
  Result<int64_t> AddReferral(const grievance::Referral& r) override;
  Result<int64_t> AddFix(const grievance::Fix& f) override;
  Status PutCategory(const grievance::Category& c, std::string_view actor,
                     std::string_view at) override;
  Status PutService(const grievance::ReferralService& s, std::string_view actor,
                    std::string_view at) override;

 protected:
  Result<std::optional<grievance::Case>> DoFindCase(
      int64_t id, std::string_view reference,
      const grievance::Visibility& v) override;
  Result<grievance::CasePage> DoListCases(
      const grievance::CaseQuery& q, const grievance::Visibility& v) override;
  Result<std::vector<grievance::CaseFact>> DoFacts(
      const grievance::FactQuery& q) override;
  Result<std::vector<grievance::CaseEvent>> DoEvents(int64_t case_id) override;
  Result<std::vector<grievance::Attachment>> DoAttachments(
      int64_t case_id) override;
  Result<std::optional<std::string>> DoAttachmentContent(int64_t case_id,
                                                         int64_t id) override;
  Result<std::vector<grievance::Notice>> DoNotices(int64_t case_id) override;
  Result<std::vector<grievance::Consent>> DoConsents(int64_t case_id) override;
  Result<std::vector<grievance::Referral>> DoReferrals(
      int64_t case_id) override;
  Result<std::vector<grievance::Fix>> DoFixes(int64_t case_id) override;

 private:
  SqliteSession& s_;
};

}  // namespace malchin::backends::sqlite
