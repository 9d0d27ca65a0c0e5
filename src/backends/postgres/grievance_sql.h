// The PostgreSQL engine's grievance::Repository (schema: migration 7),
// private to src/backends/postgres: cases in grievance_repository.cpp, what
// is attached to them and the catalogue in grievance_records.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backends/postgres/session.h"
#include "grievance/repository.h"
#include "registry/model.h"

namespace malchin::backends::postgres {

// Reads an enum field; DataLoss naming it if the text is unknown.
template <class E>
Result<E> PgEnum(const pqxx::field& f, Result<E> (*parse)(std::string_view),
                 const char* what) {
  std::string text = PgText(f);
  Result<E> e = parse(text);
  if (!e.ok()) {
    return Status::DataLoss("grievance " + std::string(what) + " '" + text +
                            "' is not known");
  }
  return e;
}

// Every row of `r` read with `read`.
template <class T, class F>
Result<std::vector<T>> PgRows(const pqxx::result& r, F read) {
  std::vector<T> out;
  out.reserve(r.size());
  for (const pqxx::row& row : r) {
    MALCHIN_ASSIGN_OR_RETURN(T t, read(row));
    out.push_back(std::move(t));
  }
  return out;
}

// The id an INSERT ... RETURNING id gave.
Result<int64_t> ReturnedId(const pqxx::result& r);

class PgGrievanceRepository final : public grievance::Repository {
 public:
  explicit PgGrievanceRepository(PgSession& session)
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
  PgSession& s_;
};

}  // namespace malchin::backends::postgres
