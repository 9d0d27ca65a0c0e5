#include "store/session.h"

#include <nlohmann/json.hpp>

namespace malchin::store {
namespace {

// How often a transaction that lost a serialization race runs again.
constexpr int kMaxAttempts = 8;

}  // namespace

std::string_view EngineName(Engine e) {
  return e == Engine::kPostgres ? "postgresql" : "sqlite";
}

Status Session::Write(const std::function<Status()>& body) {
  if (depth_ > 0) {
    if (!writing_) {
      return Status::Internal("a write inside a read-only transaction");
    }
    return body();
  }
  return RunTransaction(true, body);
}

Status Session::Read(const std::function<Status()>& body) {
  if (depth_ > 0) return body();
  return RunTransaction(false, body);
}

Status Session::RunTransaction(bool write,
                               const std::function<Status()>& body) {
  for (int attempt = 1;; ++attempt) {
    MALCHIN_RETURN_IF_ERROR(Begin(write));
    depth_ = 1;
    writing_ = write;
    head_known_ = false;
    Status s = body();
    if (s.ok()) {
      s = Commit();
    } else {
      Rollback();
    }
    depth_ = 0;
    writing_ = false;
    head_known_ = false;
    bool retry = !s.ok() && TakeRetryable();
    if (!retry || attempt >= kMaxAttempts) return s;
  }
}

Result<int64_t> Session::Audit(AuditEntry e) {
  if (!in_write()) {
    return Status::Internal("audit entry appended outside a transaction (" +
                            e.action + ")");
  }
  if (e.actor.empty()) e.actor = caller_.actor;
  if (e.at.empty()) e.at = clock_->NowIso();
  if (!head_known_) {
    MALCHIN_ASSIGN_OR_RETURN(head_, AuditHead());
    head_known_ = true;
  }
  int64_t seq = head_ ? head_->first + 1 : 1;
  AuditRecord r = ChainedRecord(seq, e, head_ ? head_->second : AuditGenesis());
  MALCHIN_RETURN_IF_ERROR(InsertAudit(r));
  head_ = std::make_pair(seq, r.hash);
  return seq;
}

Status Session::RecordPersonReads(const std::vector<PersonRead>& reads) {
  if (reads.empty()) return Status::Ok();
  const std::string now = clock_->NowIso();
  return Write([&]() -> Status {
    for (const PersonRead& r : reads) {
      AuditEntry e;
      e.actor = r.actor;
      e.action = "person.read";
      e.entity_type = "person";
      e.entity_id = r.register_no;
      e.register_no = r.register_no;
      e.after_json =
          nlohmann::json(
              {{"household_id", r.household_id}, {"purpose", r.purpose}})
              .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      e.at = r.at.empty() ? now : r.at;
      MALCHIN_RETURN_IF_ERROR(Audit(std::move(e)).status());
    }
    return Status::Ok();
  });
}

Result<AuditCheck> Session::VerifyAudit() {
  AuditChainChecker checker;
  MALCHIN_RETURN_IF_ERROR(Read([&]() -> Status {
    return ForEachAudit([&](const AuditRecord& r) { checker.Add(r); });
  }));
  return checker.result();
}

Result<std::unique_ptr<NarrowScope>> NarrowScope::Make(Session& session,
                                                       const AreaFilter& area) {
  auto both = session.Scope(area);
  if (!both) {
    return Status::NotFound(area.ToString() + " is outside your area");
  }
  return std::unique_ptr<NarrowScope>(new NarrowScope(session, *both));
}

NarrowScope::NarrowScope(Session& session, AreaFilter narrowed)
    : session_(session), saved_(session.caller()) {
  Caller c = saved_;
  c.area = narrowed;
  session_.SetCaller(std::move(c));
}

NarrowScope::~NarrowScope() { session_.SetCaller(std::move(saved_)); }

}  // namespace malchin::store
