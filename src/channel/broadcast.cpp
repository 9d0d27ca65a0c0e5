// Broadcasts: drafting, preview, maker-checker, sending in batches and the
// delivery report (broadcast.h).
#include "channel/broadcast.h"

#include <array>
#include <functional>
#include <nlohmann/json.hpp>

#include "channel/broadcast_recipients.h"
#include "channel/outbox.h"

namespace malchin::channel {
namespace {

constexpr std::array<std::string_view, 5> kStates = {
    "draft", "approved", "sending", "queued", "cancelled"};

std::string LockName(int64_t id) { return "broadcast:" + std::to_string(id); }

// The message every recipient gets (before its key, phone and household).
Result<SmsPreview> MessageOf(const store::Session& session,
                             const BroadcastContext& ctx, const Broadcast& b,
                             Language language) {
  MALCHIN_ASSIGN_OR_RETURN(
      SmsPreview p,
      PreviewTemplate(*ctx.catalogue, b.template_id, language, b.values,
                      *ctx.parameters, session.clock().Today()));
  MALCHIN_RETURN_IF_ERROR(CheckSegmentLimit(p.plan, p.max_segments));
  return p;
}

// Whether `recipients` messages costing `cost` need a second officer, and
// the parameter exceeded ("" if none).
Result<std::string> OverThreshold(const store::Session& session,
                                  const params::ParameterSet& p,
                                  int64_t recipients, int64_t cost) {
  Date on = session.clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(double max_recipients,
                           p.Value("sms.broadcast_approval_recipients", on));
  MALCHIN_ASSIGN_OR_RETURN(double max_cost,
                           p.Value("sms.broadcast_approval_cost", on));
  if (static_cast<double>(recipients) > max_recipients) {
    return "sms.broadcast_approval_recipients (" +
           std::to_string(static_cast<int64_t>(max_recipients)) +
           " recipients; this one has " + std::to_string(recipients) + ")";
  }
  if (static_cast<double>(cost) > max_cost) {
    return "sms.broadcast_approval_cost (" +
           std::to_string(static_cast<int64_t>(max_cost)) +
           " MNT; this one costs " + std::to_string(cost) + " MNT)";
  }
  return std::string();
}

Status Record(store::Session& session, const Broadcast& b,
              std::string_view action) {
  nlohmann::json j = {
      {"state", Name(b.state)}, {"recipients", b.recipients}, {"cost", b.cost}};
  store::AuditEntry e;
  e.action = std::string(action);
  e.entity_type = "broadcast";
  e.entity_id = std::to_string(b.id);
  e.after_json = j.dump();
  return session.Audit(e).status();
}

// Freezes the recipients of a draft or approved broadcast, in the caller's
// Write, and moves it to sending.
Status Freeze(store::Session& session, const BroadcastContext& ctx,
              Broadcast& b) {
  MALCHIN_ASSIGN_OR_RETURN(SmsPreview message,
                           MessageOf(session, ctx, b, Language::kMongolian));
  MALCHIN_ASSIGN_OR_RETURN(Selection sel, SelectRecipients(session, ctx, b));
  b.recipients = static_cast<int64_t>(sel.recipients.size());
  b.segments = message.plan.segments;
  b.cost = b.recipients * message.cost;
  if (b.state == BroadcastState::kDraft) {
    if (session.caller().actor != b.created_by) {
      return Status::FailedPrecondition(
          "broadcast " + std::to_string(b.id) + ": only its maker (" +
          b.created_by + ") sends a draft; others approve it first");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        std::string over,
        OverThreshold(session, *ctx.parameters, b.recipients, b.cost));
    if (!over.empty()) {
      return Status::FailedPrecondition(
          "broadcast " + std::to_string(b.id) +
          " needs a second officer's approval: it is over " + over);
    }
  }
  auto& repo = session.Get<BroadcastRepository>();
  MALCHIN_RETURN_IF_ERROR(repo.InsertRecipients(b.id, sel.recipients));
  b.state = BroadcastState::kSending;
  MALCHIN_RETURN_IF_ERROR(repo.Update(b));
  return Record(session, b, "broadcast.freeze");
}

// Queues one batch; false when nobody was left (the broadcast is queued).
Result<bool> QueueBatch(store::Session& session, const BroadcastContext& ctx,
                        int64_t id, int batch) {
  bool more = false;
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session.Lock(LockName(id)));
    auto& repo = session.Get<BroadcastRepository>();
    MALCHIN_ASSIGN_OR_RETURN(auto found, repo.Find(id));
    if (!found || found->state != BroadcastState::kSending) return Status::Ok();
    Broadcast& b = *found;
    MALCHIN_ASSIGN_OR_RETURN(auto rows, repo.Unqueued(id, batch));
    if (rows.empty()) {
      b.state = BroadcastState::kQueued;
      MALCHIN_RETURN_IF_ERROR(repo.Update(b));
      return Record(session, b, "broadcast.queued");
    }
    more = true;
    std::optional<SmsPreview> message[2];
    OutboxMessage m;
    m.kind = MessageKind::kInfo;
    m.template_id = b.template_id;
    m.parameters = TemplateValuesJson(b.values);
    m.created_by = b.created_by;
    m.created_at = UnixNow(session);
    m.next_attempt_at = m.created_at;
    auto& outbox = session.Get<Repository>();
    std::vector<std::string> done;
    for (const BroadcastRecipient& r : rows) {
      auto& p = message[r.language == Language::kEnglish ? 1 : 0];
      if (!p) {
        MALCHIN_ASSIGN_OR_RETURN(p, MessageOf(session, ctx, b, r.language));
      }
      m.idempotency_key = BroadcastMessageKey(id, r.household_id);
      m.phone = r.phone;
      m.household_id = r.household_id;
      m.language = r.language;
      m.text = p->text;
      m.coding = p->plan.coding;
      m.segments = p->plan.segments;
      m.cost = p->cost;
      MALCHIN_RETURN_IF_ERROR(outbox.Enqueue(m).status());
      done.push_back(r.household_id);
    }
    return repo.MarkQueued(id, done);
  }));
  return more;
}

}  // namespace

std::string_view Name(BroadcastState s) {
  return kStates[static_cast<size_t>(s)];
}

Result<BroadcastState> ParseBroadcastState(std::string_view name) {
  for (size_t i = 0; i < kStates.size(); ++i) {
    if (kStates[i] == name) return static_cast<BroadcastState>(i);
  }
  return Status::InvalidArgument("broadcast state '" + std::string(name) +
                                 "': expected draft, approved, sending, "
                                 "queued or cancelled");
}

std::string BroadcastMessageKey(int64_t id, std::string_view household_id) {
  return "broadcast." + std::to_string(id) + "." + std::string(household_id);
}

Result<Broadcast> DraftBroadcast(store::Session& session,
                                 const BroadcastContext& ctx,
                                 const DraftRequest& request) {
  if (request.title.empty()) {
    return Status::InvalidArgument("title: expected a non-empty title",
                                   "title");
  }
  MALCHIN_RETURN_IF_ERROR(
      CompileTarget(request.target, ctx.parameters).status());
  Broadcast b;
  b.title = request.title;
  b.target = request.target;
  b.event_code = request.event_code;
  b.template_id = request.template_id;
  b.values = request.values;
  MALCHIN_RETURN_IF_ERROR(
      MessageOf(session, ctx, b, Language::kMongolian).status());
  MALCHIN_RETURN_IF_ERROR(
      MessageOf(session, ctx, b, Language::kEnglish).status());
  b.area_code = session.caller().area.code();
  b.created_by = session.caller().actor;
  b.created_at = UnixNow(session);
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(b.id,
                             session.Get<BroadcastRepository>().Insert(b));
    return Record(session, b, "broadcast.draft");
  }));
  return b;
}

namespace {

// Whether the caller sees `b`: the caller's area covers the maker's. The
// one visibility rule of broadcasts (FindBroadcast, ListBroadcasts).
bool Visible(const store::Session& session, const Broadcast& b) {
  return session.caller().area.Contains(
      store::AreaFilter::FromCode(b.area_code));
}

}  // namespace

Result<Broadcast> FindBroadcast(store::Session& session, int64_t id) {
  std::optional<Broadcast> b;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(b, session.Get<BroadcastRepository>().Find(id));
    return Status::Ok();
  }));
  if (!b || !Visible(session, *b)) {
    return Status::NotFound("no broadcast " + std::to_string(id) +
                            " in your area");
  }
  return *b;
}

Result<std::vector<Broadcast>> ListBroadcasts(store::Session& session,
                                              int64_t before, int limit) {
  std::vector<Broadcast> out;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    out.clear();  // A re-run starts again.
    auto& repo = session.Get<BroadcastRepository>();
    // Pages of every area, filtered here, until `limit` are visible or
    // none are left.
    for (int64_t from = before; static_cast<int>(out.size()) < limit;) {
      MALCHIN_ASSIGN_OR_RETURN(auto page, repo.List(from, limit));
      if (static_cast<int>(page.size()) < limit)
        from = -1;  // The last.
      else
        from = page.back().id;
      for (Broadcast& b : page) {
        if (Visible(session, b) && static_cast<int>(out.size()) < limit) {
          out.push_back(std::move(b));
        }
      }
      if (from < 0) break;
    }
    return Status::Ok();
  }));
  return out;
}

Result<BroadcastPreview> PreviewBroadcast(store::Session& session,
                                          const BroadcastContext& ctx,
                                          int64_t id) {
  MALCHIN_ASSIGN_OR_RETURN(Broadcast b, FindBroadcast(session, id));
  MALCHIN_ASSIGN_OR_RETURN(SmsPreview message,
                           MessageOf(session, ctx, b, Language::kMongolian));
  MALCHIN_ASSIGN_OR_RETURN(Selection sel, SelectRecipients(session, ctx, b));
  BroadcastPreview p;
  p.selected = sel.selected;
  p.no_phone = sel.no_phone;
  p.opted_out = sel.opted_out;
  p.recipients = static_cast<int64_t>(sel.recipients.size());
  p.text = message.text;
  p.segments = message.plan.segments;
  p.cost_per_message = message.cost;
  p.cost = p.recipients * message.cost;
  MALCHIN_ASSIGN_OR_RETURN(
      std::string over,
      OverThreshold(session, *ctx.parameters, p.recipients, p.cost));
  p.needs_approval = !over.empty();
  p.by_soum_sex = CountBySoumSex(sel.recipients);
  return p;
}

namespace {

// Runs `change` on broadcast `id` (in the caller's area) read under its
// lock inside one Write; the broadcast as it left it.
Result<Broadcast> Change(store::Session& session, int64_t id,
                         const std::function<Status(Broadcast&)>& change) {
  MALCHIN_ASSIGN_OR_RETURN(Broadcast b, FindBroadcast(session, id));
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session.Lock(LockName(id)));
    MALCHIN_ASSIGN_OR_RETURN(auto now,
                             session.Get<BroadcastRepository>().Find(id));
    b = *now;
    return change(b);
  }));
  return b;
}

Status Refuse(const Broadcast& b, std::string_view what) {
  return Status::FailedPrecondition("broadcast " + std::to_string(b.id) +
                                    " is " + std::string(Name(b.state)) + ": " +
                                    std::string(what));
}

}  // namespace

Result<Broadcast> ApproveBroadcast(store::Session& session, int64_t id) {
  return Change(session, id, [&](Broadcast& b) -> Status {
    if (b.created_by == session.caller().actor) {
      return Status::PermissionDenied(
          "broadcast " + std::to_string(id) + ": " + b.created_by +
          " made it; a second officer must approve it");
    }
    if (b.state != BroadcastState::kDraft) {
      return Refuse(b, "only a draft is approved");
    }
    b.state = BroadcastState::kApproved;
    b.approved_by = session.caller().actor;
    b.approved_at = UnixNow(session);
    MALCHIN_RETURN_IF_ERROR(session.Get<BroadcastRepository>().Update(b));
    return Record(session, b, "broadcast.approve");
  });
}

Result<Broadcast> SendBroadcast(store::Session& session,
                                const BroadcastContext& ctx, int64_t id,
                                int batch) {
  MALCHIN_RETURN_IF_ERROR(Change(session, id, [&](Broadcast& b) -> Status {
                            if (b.state == BroadcastState::kCancelled) {
                              return Refuse(b, "it is never sent");
                            }
                            if (b.state == BroadcastState::kDraft ||
                                b.state == BroadcastState::kApproved) {
                              return Freeze(session, ctx, b);
                            }
                            return Status::Ok();
                          }).status());
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(
        bool more, QueueBatch(session, ctx, id, batch > 0 ? batch : 1));
    if (!more) break;
  }
  return FindBroadcast(session, id);
}

Result<Broadcast> CancelBroadcast(store::Session& session, int64_t id) {
  return Change(session, id, [&](Broadcast& b) -> Status {
    if (b.state != BroadcastState::kDraft &&
        b.state != BroadcastState::kApproved) {
      return Refuse(b, "only a draft or approved one is cancelled");
    }
    b.state = BroadcastState::kCancelled;
    MALCHIN_RETURN_IF_ERROR(session.Get<BroadcastRepository>().Update(b));
    return Record(session, b, "broadcast.cancel");
  });
}

Result<BroadcastReport> ReportBroadcast(store::Session& session, int64_t id) {
  MALCHIN_RETURN_IF_ERROR(FindBroadcast(session, id).status());
  BroadcastReport out;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(out.by_soum_sex,
                             session.Get<BroadcastRepository>().Delivery(id));
    return Status::Ok();
  }));
  for (const auto& c : out.by_soum_sex) out.progress[c.state] += c.messages;
  return out;
}

}  // namespace malchin::channel
