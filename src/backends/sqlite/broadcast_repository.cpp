// The SQLite engine's channel::BroadcastRepository: data access only
// (migration 0026); the rules are the channel's own
// (src/channel/broadcast.cpp).
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "channel/broadcast.h"
#include "channel/outbox.h"

namespace malchin::backends::sqlite {
namespace {

using channel::Broadcast;
using channel::BroadcastRecipient;

constexpr const char* kColumns =
    "id, title, target, event_code, template_id, parameters, area_code, "
    "state, recipients, segments, cost, created_by, created_at, approved_by, "
    "approved_at";

Result<Broadcast> ReadBroadcast(const Stmt& q) {
  Broadcast b;
  b.id = q.Int(0);
  b.title = q.Text(1);
  b.target = q.Text(2);
  b.event_code = q.Text(3);
  b.template_id = q.Text(4);
  MALCHIN_ASSIGN_OR_RETURN(b.values,
                           channel::ParseTemplateValuesJson(q.Text(5)));
  b.area_code = static_cast<int32_t>(q.Int(6));
  MALCHIN_ASSIGN_OR_RETURN(b.state, channel::ParseBroadcastState(q.Text(7)));
  b.recipients = q.Int(8);
  b.segments = static_cast<int>(q.Int(9));
  b.cost = q.Int(10);
  b.created_by = q.Text(11);
  b.created_at = q.Int(12);
  b.approved_by = q.Text(13);
  b.approved_at = q.Int(14);
  return b;
}

Result<BroadcastRecipient> ReadRecipient(const Stmt& q) {
  BroadcastRecipient r;
  r.household_id = q.Text(0);
  r.phone = q.Text(1);
  r.soum_code = static_cast<int32_t>(q.Int(2));
  MALCHIN_ASSIGN_OR_RETURN(r.head_sex, registry::ParseSex(q.Text(3)));
  MALCHIN_ASSIGN_OR_RETURN(r.language, channel::ParseLanguage(q.Text(4)));
  return r;
}

class SqliteBroadcastRepository final : public channel::BroadcastRepository {
 public:
  explicit SqliteBroadcastRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> Insert(const Broadcast& b) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("broadcast.insert",
                    "INSERT INTO sms_broadcasts (title, target, event_code, "
                    "template_id, parameters, area_code, state, created_by, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                    "RETURNING id"));
    s->Bind(1, b.title)
        .Bind(2, b.target)
        .Bind(3, b.event_code)
        .Bind(4, b.template_id)
        .Bind(5, channel::TemplateValuesJson(b.values))
        .Bind(6, b.area_code)
        .Bind(7, channel::Name(b.state))
        .Bind(8, b.created_by)
        .Bind(9, b.created_at);
    MALCHIN_ASSIGN_OR_RETURN(auto id, ReadFirst<int64_t>(*s, [](const Stmt& q) {
                               return Result<int64_t>(q.Int(0));
                             }));
    return id.value_or(0);
  }

  Result<std::optional<Broadcast>> Find(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("broadcast.find",
                              std::string("SELECT ") + kColumns +
                                  " FROM sms_broadcasts WHERE id = ?1"));
    s->Bind(1, id);
    return ReadFirst<Broadcast>(*s, ReadBroadcast);
  }

  Result<std::vector<Broadcast>> List(int64_t before_id, int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("broadcast.list",
                              std::string("SELECT ") + kColumns +
                                  " FROM sms_broadcasts WHERE (?1 = 0 OR id "
                                  "< ?1) ORDER BY id DESC LIMIT ?2"));
    s->Bind(1, before_id).Bind(2, limit);
    return ReadAll<Broadcast>(*s, ReadBroadcast);
  }

  Status Update(const Broadcast& b) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("broadcast.update",
                    "UPDATE sms_broadcasts SET state = ?2, recipients = ?3, "
                    "segments = ?4, cost = ?5, approved_by = ?6, approved_at "
                    "= ?7 WHERE id = ?1"));
    return s->Bind(1, b.id)
        .Bind(2, channel::Name(b.state))
        .Bind(3, b.recipients)
        .Bind(4, b.segments)
        .Bind(5, b.cost)
        .Bind(6, b.approved_by)
        .Bind(7, b.approved_at)
        .Run();
  }

  Result<std::vector<std::string>> OptedOutPhones() override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                             s_.Prepared("broadcast.opted_out",
                                         "SELECT phone FROM sms_opt_outs WHERE "
                                         "opted_out = 1"));
    return ReadAll<std::string>(*s, [](const Stmt& q) {
      return Result<std::string>(std::string(q.Text(0)));
    });
  }

  Status InsertRecipients(
      int64_t id, const std::vector<BroadcastRecipient>& rows) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("broadcast.insert_recipient",
                    "INSERT INTO sms_broadcast_recipients (broadcast_id, "
                    "household_id, phone, soum_code, head_sex, language, "
                    "message_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    for (const BroadcastRecipient& r : rows) {
      MALCHIN_RETURN_IF_ERROR(
          s->Bind(1, id)
              .Bind(2, r.household_id)
              .Bind(3, r.phone)
              .Bind(4, r.soum_code)
              .Bind(5, registry::SexCode(r.head_sex))
              .Bind(6, channel::LanguageCode(r.language))
              .Bind(7, channel::BroadcastMessageKey(id, r.household_id))
              .Run());
    }
    return Status::Ok();
  }

  Result<std::vector<BroadcastRecipient>> Unqueued(int64_t id,
                                                   int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("broadcast.unqueued",
                    "SELECT household_id, phone, soum_code, head_sex, "
                    "language FROM sms_broadcast_recipients WHERE "
                    "broadcast_id = ?1 AND queued = 0 ORDER BY household_id "
                    "LIMIT ?2"));
    s->Bind(1, id).Bind(2, limit);
    return ReadAll<BroadcastRecipient>(*s, ReadRecipient);
  }

  Status MarkQueued(int64_t id,
                    const std::vector<std::string>& households) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("broadcast.mark_queued",
                    "UPDATE sms_broadcast_recipients SET queued = 1 WHERE "
                    "broadcast_id = ?1 AND household_id = ?2"));
    for (const std::string& h : households) {
      MALCHIN_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, h).Run());
    }
    return Status::Ok();
  }

  Result<std::vector<channel::DeliveryCount>> Delivery(int64_t id) override {
    AreaClause area = s_.Area({}, "r.soum_code");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared(
            "broadcast.delivery" + area.key,
            "SELECT r.soum_code, r.head_sex, CASE WHEN o.id IS NULL THEN "
            "'not_queued' WHEN o.state = 'sent' AND o.unknown_at > 0 THEN "
            "'unknown' ELSE o.state END AS st, count(*) FROM "
            "sms_broadcast_recipients r LEFT JOIN sms_outbox o ON "
            "o.idempotency_key = r.message_key WHERE r.broadcast_id = ?1 AND " +
                area.sql +
                " GROUP BY r.soum_code, r.head_sex, st ORDER BY "
                "r.soum_code, r.head_sex, st"));
    s->Bind(1, id);
    area.Bind(*s);
    return ReadAll<channel::DeliveryCount>(*s, [](const Stmt& q) {
      channel::DeliveryCount c;
      c.soum_code = static_cast<int32_t>(q.Int(0));
      c.head_sex =
          q.Text(1) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
      c.state = q.Text(2);
      c.messages = q.Int(3);
      return Result<channel::DeliveryCount>(c);
    });
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterBroadcastRepositories(Factories* f) {
  f->Add<channel::BroadcastRepository, SqliteBroadcastRepository>();
}

}  // namespace malchin::backends::sqlite
