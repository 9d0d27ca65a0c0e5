// The SQLite engine's channel::Repository: data access only (migration
// 0022); the rules are the channel's own (src/channel/outbox.cpp,
// sender.cpp, inbound.cpp). Claims run inside the caller's Write, an
// immediate transaction: one writer at a time, so two workers never claim
// one message.
#include <algorithm>

#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "channel/repository.h"

namespace malchin::backends::sqlite {
namespace {

using channel::InboundRecord;
using channel::OutboxMessage;
using channel::OutboxState;
using channel::StoredReport;

constexpr const char* kColumns =
    "id, idempotency_key, kind, phone, household_id, register_no, "
    "template_id, parameters, language, text, coding, segments, cost, state, "
    "attempts, next_attempt_at, lease_owner, lease_until, last_report, "
    "last_answer, created_by, created_at, sent_at, final_at, unknown_at";

Result<OutboxMessage> ReadMessage(const Stmt& q) {
  OutboxMessage m;
  m.id = q.Int(0);
  m.idempotency_key = q.Text(1);
  MALCHIN_ASSIGN_OR_RETURN(m.kind, channel::ParseMessageKind(q.Text(2)));
  m.phone = q.Text(3);
  m.household_id = q.Text(4);
  m.register_no = q.Text(5);
  m.template_id = q.Text(6);
  m.parameters = q.Text(7);
  MALCHIN_ASSIGN_OR_RETURN(m.language, channel::ParseLanguage(q.Text(8)));
  m.text = q.Text(9);
  m.coding = q.Text(10) == "ucs2" ? channel::SmsCoding::kUcs2
                                  : channel::SmsCoding::kGsm7;
  m.segments = static_cast<int>(q.Int(11));
  m.cost = q.Int(12);
  MALCHIN_ASSIGN_OR_RETURN(m.state, channel::ParseOutboxState(q.Text(13)));
  m.attempts = static_cast<int>(q.Int(14));
  m.next_attempt_at = q.Int(15);
  m.lease_owner = q.Text(16);
  m.lease_until = q.Int(17);
  m.last_report = static_cast<int>(q.Int(18));
  m.last_answer = q.Text(19);
  m.created_by = q.Text(20);
  m.created_at = q.Int(21);
  m.sent_at = q.Int(22);
  m.final_at = q.Int(23);
  m.unknown_at = q.Int(24);
  return m;
}

Result<StoredReport> ReadReport(const Stmt& q) {
  StoredReport r;
  r.idempotency_key = q.Text(0);
  r.report.message_id = r.idempotency_key;
  r.report.state = static_cast<channel::DeliveryState>(q.Int(1));
  r.report.phone = q.Text(2);
  r.report.at = q.Int(3);
  r.report.smsc = q.Text(4);
  r.report.smsc_message_id = q.Text(5);
  r.report.smsc_answer = q.Text(6);
  r.received_at = q.Int(7);
  return r;
}

Result<InboundRecord> ReadInbound(const Stmt& q) {
  InboundRecord r;
  r.id = q.Int(0);
  r.sms.kannel_id = q.Text(1);
  r.sms.from = q.Text(2);
  r.sms.to = q.Text(3);
  r.sms.text = q.Text(4);
  r.sms.keyword = q.Text(5);
  r.sms.at = q.Int(6);
  r.sms.smsc = q.Text(7);
  r.register_no = q.Text(8);
  r.handling = channel::InboundHandling::kInbox;
  r.reply_key = q.Text(9);
  r.received_at = q.Int(10);
  return r;
}

class SqliteChannelRepository final : public channel::Repository {
 public:
  explicit SqliteChannelRepository(SqliteSession& s) : s_(s) {}

  Result<bool> Enqueue(const OutboxMessage& m) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.enqueue",
                    "INSERT INTO sms_outbox (idempotency_key, kind, phone, "
                    "household_id, register_no, template_id, parameters, "
                    "language, text, coding, segments, cost, state, "
                    "next_attempt_at, created_by, created_at) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 'queued', "
                    "?13, ?14, ?15) ON CONFLICT (idempotency_key) DO "
                    "NOTHING"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, m.idempotency_key)
                                .Bind(2, channel::Name(m.kind))
                                .Bind(3, m.phone)
                                .Bind(4, m.household_id)
                                .Bind(5, m.register_no)
                                .Bind(6, m.template_id)
                                .Bind(7, m.parameters)
                                .Bind(8, channel::LanguageCode(m.language))
                                .Bind(9, m.text)
                                .Bind(10, channel::SmsCodingName(m.coding))
                                .Bind(11, m.segments)
                                .Bind(12, m.cost)
                                .Bind(13, m.next_attempt_at)
                                .Bind(14, m.created_by)
                                .Bind(15, m.created_at)
                                .Run());
    return s_.db().Changes() == 1;
  }

  Result<std::optional<OutboxMessage>> FindByKey(
      std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("channel.find",
                              std::string("SELECT ") + kColumns +
                                  " FROM sms_outbox WHERE idempotency_key = "
                                  "?1"));
    s->Bind(1, key);
    return ReadFirst<OutboxMessage>(*s, ReadMessage);
  }

  Result<std::vector<OutboxMessage>> Claim(
      const channel::ClaimRequest& r) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared(
            "channel.claim",
            std::string("UPDATE sms_outbox SET state = 'sending', "
                        "lease_owner = ?1, lease_until = ?2, attempts = "
                        "attempts + 1 WHERE id IN (SELECT id FROM sms_outbox "
                        "WHERE ((state = 'queued' AND next_attempt_at <= ?3) "
                        "OR (state = 'sending' AND lease_until <= ?4 AND "
                        "last_report = 0)) AND (?6 = 1 OR kind <> 'info') "
                        "ORDER BY next_attempt_at, id LIMIT "
                        "?5) RETURNING ") +
                kColumns));
    s->Bind(1, r.owner)
        .Bind(2, r.lease_until)
        .Bind(3, r.now)
        .Bind(4, r.doubt_before)
        .Bind(5, r.limit)
        .Bind(6, r.info ? 1 : 0);
    MALCHIN_ASSIGN_OR_RETURN(auto rows,
                             ReadAll<OutboxMessage>(*s, ReadMessage));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::pair(a.next_attempt_at, a.id) <
             std::pair(b.next_attempt_at, b.id);
    });
    return rows;
  }

  Result<bool> RecordSend(int64_t id, std::string_view owner,
                          const channel::SendOutcome& o) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.record_send",
                    "UPDATE sms_outbox SET state = ?3, next_attempt_at = "
                    "CASE WHEN ?3 = 'queued' THEN ?4 ELSE next_attempt_at END, "
                    "last_answer = ?5, lease_owner = '', lease_until = 0, "
                    "sent_at = CASE WHEN ?3 = 'sent' THEN ?6 ELSE sent_at END, "
                    "final_at = CASE WHEN ?3 = 'failed' THEN ?6 ELSE final_at "
                    "END WHERE id = ?1 AND state = 'sending' AND lease_owner = "
                    "?2"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, id)
                                .Bind(2, owner)
                                .Bind(3, channel::Name(o.state))
                                .Bind(4, o.next_attempt_at)
                                .Bind(5, o.answer)
                                .Bind(6, o.at)
                                .Run());
    return s_.db().Changes() == 1;
  }

  Status SetDeliveryState(int64_t id, OutboxState state, int report,
                          int64_t sent_at, int64_t final_at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.set_delivery",
                    "UPDATE sms_outbox SET state = ?2, last_report = ?3, "
                    "sent_at = CASE WHEN sent_at = 0 THEN ?4 ELSE sent_at END, "
                    "final_at = ?5, lease_owner = '', lease_until = 0 WHERE "
                    "id = ?1"));
    return s->Bind(1, id)
        .Bind(2, channel::Name(state))
        .Bind(3, report)
        .Bind(4, sent_at)
        .Bind(5, final_at)
        .Run();
  }

  Status AppendReport(const StoredReport& r) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.append_report",
                    "INSERT INTO sms_delivery_reports (idempotency_key, "
                    "status, phone, reported_at, smsc, smsc_message_id, "
                    "answer, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8)"));
    return s->Bind(1, r.idempotency_key)
        .Bind(2, static_cast<int>(r.report.state))
        .Bind(3, r.report.phone)
        .Bind(4, r.report.at)
        .Bind(5, r.report.smsc)
        .Bind(6, r.report.smsc_message_id)
        .Bind(7, r.report.smsc_answer)
        .Bind(8, r.received_at)
        .Run();
  }

  Result<std::vector<StoredReport>> Reports(std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.reports",
                    "SELECT idempotency_key, status, phone, reported_at, "
                    "smsc, smsc_message_id, answer, received_at FROM "
                    "sms_delivery_reports WHERE idempotency_key = ?1 ORDER BY "
                    "id"));
    s->Bind(1, key);
    return ReadAll<StoredReport>(*s, ReadReport);
  }

  Result<int64_t> ExpireQueued(int64_t before, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("channel.expire",
                              "UPDATE sms_outbox SET state = 'expired', "
                              "final_at = ?2 WHERE state = 'queued' AND "
                              "created_at < ?1"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, before).Bind(2, at).Run());
    return s_.db().Changes();
  }

  Result<int64_t> MarkUnknown(int64_t sent_before, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("channel.mark_unknown",
                              "UPDATE sms_outbox SET unknown_at = ?2 WHERE "
                              "state = 'sent' AND unknown_at = 0 AND sent_at "
                              "< ?1"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, sent_before).Bind(2, at).Run());
    return s_.db().Changes();
  }

  Result<std::map<OutboxState, int64_t>> CountByState() override {
    MALCHIN_ASSIGN_OR_RETURN(Stmt * s,
                             s_.Prepared("channel.count",
                                         "SELECT state, count(*) FROM "
                                         "sms_outbox GROUP BY state"));
    std::map<OutboxState, int64_t> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      auto state = channel::ParseOutboxState(s->Text(0));
      if (!state.ok()) {
        s->Reset();
        return state.status();
      }
      out[*state] = s->Int(1);
    }
    return out;
  }

  Status SetOptOut(std::string_view phone, bool opted_out,
                   std::string_view source, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.opt_out",
                    "INSERT INTO sms_opt_outs (phone, opted_out, changed_at) "
                    "VALUES (?1, ?2, ?3) ON CONFLICT (phone) DO UPDATE SET "
                    "opted_out = excluded.opted_out, changed_at = "
                    "excluded.changed_at"));
    MALCHIN_RETURN_IF_ERROR(
        s->Bind(1, phone).Bind(2, opted_out ? 1 : 0).Bind(3, at).Run());
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * h, s_.Prepared("channel.opt_out_history",
                              "INSERT INTO sms_opt_out_history (phone, "
                              "action, source, at) VALUES (?1, ?2, ?3, ?4)"));
    return h->Bind(1, phone)
        .Bind(2, opted_out ? "stop" : "start")
        .Bind(3, source)
        .Bind(4, at)
        .Run();
  }

  Result<bool> IsOptedOut(std::string_view phone) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("channel.is_opted_out",
                              "SELECT opted_out FROM sms_opt_outs WHERE "
                              "phone = ?1"));
    s->Bind(1, phone);
    MALCHIN_ASSIGN_OR_RETURN(auto v, ReadFirst<int64_t>(*s, [](const Stmt& q) {
                               return Result<int64_t>(q.Int(0));
                             }));
    return v.has_value() && *v == 1;
  }

  Result<std::vector<std::pair<std::string, int64_t>>> OptOutHistory(
      std::string_view phone) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.history",
                    "SELECT action, at FROM sms_opt_out_history WHERE phone "
                    "= ?1 ORDER BY id"));
    s->Bind(1, phone);
    using Row = std::pair<std::string, int64_t>;
    return ReadAll<Row>(*s, [](const Stmt& q) {
      return Result<Row>(Row(std::string(q.Text(0)), q.Int(1)));
    });
  }

  Result<bool> InsertInbound(const InboundRecord& r) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.insert_inbound",
                    "INSERT INTO sms_inbound (kannel_id, from_phone, "
                    "to_phone, text, keyword, sent_at, smsc, register_no, "
                    "handling, reply_key, received_at) VALUES (?1, ?2, ?3, "
                    "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT "
                    "(kannel_id) DO NOTHING"));
    MALCHIN_RETURN_IF_ERROR(s->Bind(1, r.sms.kannel_id)
                                .Bind(2, r.sms.from)
                                .Bind(3, r.sms.to)
                                .Bind(4, r.sms.text)
                                .Bind(5, r.sms.keyword)
                                .Bind(6, r.sms.at)
                                .Bind(7, r.sms.smsc)
                                .Bind(8, r.register_no)
                                .Bind(9, channel::Name(r.handling))
                                .Bind(10, r.reply_key)
                                .Bind(11, r.received_at)
                                .Run());
    return s_.db().Changes() == 1;
  }

  Result<std::vector<InboundRecord>> Inbox(int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("channel.inbox",
                    "SELECT id, kannel_id, from_phone, to_phone, text, "
                    "keyword, sent_at, smsc, register_no, reply_key, "
                    "received_at FROM sms_inbound WHERE handling = 'inbox' "
                    "ORDER BY id DESC LIMIT ?1"));
    s->Bind(1, limit);
    return ReadAll<InboundRecord>(*s, ReadInbound);
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterChannelRepositories(Factories* f) {
  f->Add<channel::Repository, SqliteChannelRepository>();
}

}  // namespace malchin::backends::sqlite
