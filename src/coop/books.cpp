#include "coop/books.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "coop/json.h"
#include "registry/register_number.h"

namespace malchin::coop::internal {
namespace {

std::string Mnt(int64_t v) {
  bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(i, ",");
  return (neg ? "-" : "") + s;
}

// Whether a stored entry is the one a retry asks for.
bool SameEntry(const LedgerEntry& a, const LedgerEntry& b) {
  return a.kind == b.kind && a.amount == b.amount && a.on == b.on &&
         a.register_no == b.register_no && a.reverses == b.reverses &&
         a.line_id == b.line_id;
}

}  // namespace

namespace {
template <class T>
std::string Dump(const T& record) {
  return ToJson(record).dump(-1, ' ', false,
                             nlohmann::json::error_handler_t::replace);
}
}  // namespace

std::string AuditJson(const LedgerEntry& e) { return Dump(e); }
std::string AuditJson(const FeedMovement& m) { return Dump(m); }
std::string AuditJson(const Distribution& d) { return Dump(d); }
std::string AuditJson(const Membership& m) { return Dump(m); }
std::string AuditJson(const Cooperative& c) { return Dump(c); }

int64_t LowestFrom(std::vector<std::pair<Date, int64_t>> changes, Date on) {
  std::sort(changes.begin(), changes.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  int64_t balance = 0;
  size_t i = 0;
  while (i < changes.size() && changes[i].first <= on) {
    balance += changes[i++].second;
  }
  int64_t lowest = balance;
  while (i < changes.size()) {
    const Date d = changes[i].first;
    while (i < changes.size() && changes[i].first == d) {
      balance += changes[i++].second;
    }
    lowest = std::min(lowest, balance);
  }
  return lowest;
}

std::string LockName(std::string_view what, int64_t id) {
  return "coop." + std::string(what) + ":" + std::to_string(id);
}

Status AuditChange(store::Session& session, const Actor& actor,
                   std::string_view action, std::string_view entity_type,
                   std::string_view entity_id, std::string after_json,
                   std::string register_no) {
  store::AuditEntry a;
  a.actor = actor.username;
  a.action = std::string(action);
  a.entity_type = std::string(entity_type);
  a.entity_id = std::string(entity_id);
  if (!register_no.empty()) a.register_no = std::move(register_no);
  a.after_json = std::move(after_json);
  return session.Audit(std::move(a)).status();
}

Result<Recorded> AppendToBook(store::Session& session, const Actor& actor,
                              const Owner& owner, LedgerEntry e, int64_t pid) {
  MALCHIN_RETURN_IF_ERROR(
      session.Lock(LockName(BookName(owner.book), owner.id)));
  auto& repo = session.Get<Repository>();
  e.book = owner.book;
  e.owner = owner.code;
  if (!e.client_key.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(
        auto found, repo.FindEntryByClientKey(actor.username, e.client_key));
    if (found) {
      if (found->owner == e.owner && found->book == e.book &&
          SameEntry(*found, e)) {
        return Recorded{std::move(*found), true};
      }
      return Status::AlreadyExists(
          "the idempotency key " + e.client_key + " of " + actor.username +
          " was used for entry " + std::to_string(found->id) + " (" +
          std::string(EntryKindName(found->kind)) + ", " + Mnt(found->amount) +
          " MNT); send a new key for a new entry / энэ түлхүүрийг өөр "
          "гүйлгээнд "
          "ашигласан, шинэ түлхүүр илгээнэ үү");
    }
  }
  if (e.amount < 0) {
    MALCHIN_ASSIGN_OR_RETURN(std::vector<LedgerEntry> entries,
                             repo.Entries(owner.book, owner.id));
    std::vector<std::pair<Date, int64_t>> changes;
    for (const LedgerEntry& x : entries) changes.emplace_back(x.on, x.amount);
    const int64_t available = LowestFrom(std::move(changes), e.on);
    if (available + e.amount < 0) {
      return Status::FailedPrecondition(
          "the " + std::string(BookName(owner.book)) + " of " + owner.code +
          " holds " + Mnt(available) + " MNT that may leave on " +
          e.on.ToString() + " (counting later entries); " + Mnt(-e.amount) +
          " MNT cannot be paid / сангийн үлдэгдэл хүрэлцэхгүй");
    }
  }
  e.actor = actor.username;
  e.recorded_at = session.clock().NowIso();
  MALCHIN_ASSIGN_OR_RETURN(e.id, repo.AppendEntry(e, owner.id, owner.soum_code,
                                                  pid, e.actor, e.recorded_at));
  MALCHIN_RETURN_IF_ERROR(AuditChange(
      session, actor,
      "coop." + std::string(BookName(owner.book)) + "." +
          std::string(EntryKindName(e.kind)),
      "coop_ledger", std::to_string(e.id), AuditJson(e), e.register_no));
  return Recorded{std::move(e), false};
}

Result<Recorded> ReverseInBook(store::Session& session, const Actor& actor,
                               const Owner& owner, int64_t entry_id, Date on,
                               const std::string& reason,
                               const std::string& client_key,
                               const std::vector<EntryKind>& reversible) {
  MALCHIN_RETURN_IF_ERROR(CheckText(reason, "reason", 500));
  MALCHIN_RETURN_IF_ERROR(
      session.Lock(LockName(BookName(owner.book), owner.id)));
  auto& repo = session.Get<Repository>();
  MALCHIN_ASSIGN_OR_RETURN(std::vector<LedgerEntry> entries,
                           repo.Entries(owner.book, owner.id));
  const LedgerEntry* target = nullptr;
  for (const LedgerEntry& x : entries) {
    if (x.id == entry_id) target = &x;
  }
  if (!target) {
    return Status::NotFound("no entry " + std::to_string(entry_id) +
                            " in the " + std::string(BookName(owner.book)) +
                            " of " + owner.code + " / " +
                            std::to_string(entry_id) + " дугаартай гүйлгээ " +
                            owner.code + "-д алга");
  }
  if (std::find(reversible.begin(), reversible.end(), target->kind) ==
      reversible.end()) {
    return Status::FailedPrecondition(
        "entry " + std::to_string(entry_id) + " is a " +
        std::string(EntryKindName(target->kind)) +
        ", which is not reversed here (a payout is final; an insurance "
        "payment is corrected in insurance) / энэ гүйлгээг буцаахгүй");
  }
  for (const LedgerEntry& x : entries) {
    if (x.reverses == entry_id &&
        (client_key.empty() || x.client_key != client_key)) {
      return Status::AlreadyExists(
          "entry " + std::to_string(entry_id) + " was reversed by entry " +
          std::to_string(x.id) + " on " + x.on.ToString() +
          " / гүйлгээг аль хэдийн буцаасан");
    }
  }
  if (on < target->on) {
    return Status::InvalidArgument(
        "a reversal on " + on.ToString() + " of an entry dated " +
            target->on.ToString() + ": expected the same date or later",
        "date");
  }
  LedgerEntry r;
  r.on = on;
  r.kind = EntryKind::kReversal;
  r.amount = -target->amount;
  r.register_no = target->register_no;
  r.reverses = entry_id;
  r.note = reason;
  r.client_key = client_key;
  int64_t pid = 0;
  if (!r.register_no.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(auto p, repo.FindPerson(r.register_no));
    if (p) pid = p->pid;
  }
  return AppendToBook(session, actor, owner, std::move(r), pid);
}

Statement StatementOf(const std::string& owner,
                      const std::vector<LedgerEntry>& entries, Date from,
                      Date to, const std::string& register_no) {
  Statement s;
  s.owner = owner;
  s.register_no = register_no;
  s.from = from;
  s.to = to;
  int64_t balance = 0;
  for (const LedgerEntry& e : entries) {
    if (!register_no.empty() && e.register_no != register_no) continue;
    if (e.on < from) {
      s.opening += e.amount;
      balance += e.amount;
      continue;
    }
    if (e.on > to) continue;
    balance += e.amount;
    (e.amount > 0 ? s.inflows : s.outflows) += e.amount;
    s.entries.push_back(e);
    s.running.push_back(balance);
  }
  s.closing = s.opening + s.inflows + s.outflows;
  return s;
}

Result<Cooperative> CooperativeOf(store::Session& session,
                                  const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(auto c,
                           session.Get<Repository>().FindCooperative(code));
  if (!c) {
    return Status::NotFound("no cooperative '" + code + "' in your area / '" +
                            code + "' хоршоо таны хариуцсан нутагт алга");
  }
  return std::move(*c);
}

Result<Cooperative> CoopActedOn(store::Session& session, const Actor& actor,
                                const std::string& code) {
  MALCHIN_ASSIGN_OR_RETURN(Cooperative c, CooperativeOf(session, code));
  MALCHIN_RETURN_IF_ERROR(
      CheckActsOver(actor, store::AreaFilter::FromCode(c.soum_code),
                    "cooperative " + c.code));
  return c;
}

Result<PersonRef> ActivePerson(store::Session& session,
                               const std::string& register_no) {
  const std::string rn = registry::NormalizeRegisterNumber(register_no);
  MALCHIN_ASSIGN_OR_RETURN(auto p, session.Get<Repository>().FindPerson(rn));
  if (!p) {
    return Status::NotFound("no person " + rn + " in your area / " + rn +
                            " иргэн таны хариуцсан нутагт алга");
  }
  if (!p->active) {
    return Status::FailedPrecondition(
        "person " + rn + " (or their household) is deactivated / " +
        "иргэн эсвэл өрх идэвхгүй");
  }
  return std::move(*p);
}

Result<bool> IsMemberOn(store::Session& session, const std::string& coop_code,
                        const std::string& register_no, Date on) {
  MALCHIN_ASSIGN_OR_RETURN(
      std::vector<Membership> ms,
      session.Get<Repository>().MembershipsOf(register_no));
  for (const Membership& m : ms) {
    if (m.coop_code == coop_code && m.ActiveOn(on)) return true;
  }
  return false;
}

}  // namespace malchin::coop::internal
