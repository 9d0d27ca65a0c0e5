// The PostgreSQL engine's channel::Repository: data access only (migration
// 0019); the rules are the channel's own (src/channel/outbox.cpp,
// sender.cpp, inbound.cpp). A claim locks the rows it takes and skips rows
// another transaction is claiming (FOR UPDATE SKIP LOCKED), so two app
// servers never claim one message and never wait for each other.
#include <algorithm>

#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "channel/repository.h"

namespace malchin::backends::postgres {
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

Result<OutboxMessage> ReadMessage(const pqxx::row& q) {
  OutboxMessage m;
  m.id = PgInt(q[0]);
  m.idempotency_key = PgText(q[1]);
  MALCHIN_ASSIGN_OR_RETURN(m.kind, channel::ParseMessageKind(PgText(q[2])));
  m.phone = PgText(q[3]);
  m.household_id = PgText(q[4]);
  m.register_no = PgText(q[5]);
  m.template_id = PgText(q[6]);
  m.parameters = PgText(q[7]);
  MALCHIN_ASSIGN_OR_RETURN(m.language, channel::ParseLanguage(PgText(q[8])));
  m.text = PgText(q[9]);
  m.coding = PgText(q[10]) == "ucs2" ? channel::SmsCoding::kUcs2
                                     : channel::SmsCoding::kGsm7;
  m.segments = static_cast<int>(PgInt(q[11]));
  m.cost = PgInt(q[12]);
  MALCHIN_ASSIGN_OR_RETURN(m.state, channel::ParseOutboxState(PgText(q[13])));
  m.attempts = static_cast<int>(PgInt(q[14]));
  m.next_attempt_at = PgInt(q[15]);
  m.lease_owner = PgText(q[16]);
  m.lease_until = PgInt(q[17]);
  m.last_report = static_cast<int>(PgInt(q[18]));
  m.last_answer = PgText(q[19]);
  m.created_by = PgText(q[20]);
  m.created_at = PgInt(q[21]);
  m.sent_at = PgInt(q[22]);
  m.final_at = PgInt(q[23]);
  m.unknown_at = PgInt(q[24]);
  return m;
}

Result<StoredReport> ReadReport(const pqxx::row& q) {
  StoredReport r;
  r.idempotency_key = PgText(q[0]);
  r.report.message_id = r.idempotency_key;
  r.report.state = static_cast<channel::DeliveryState>(PgInt(q[1]));
  r.report.phone = PgText(q[2]);
  r.report.at = PgInt(q[3]);
  r.report.smsc = PgText(q[4]);
  r.report.smsc_message_id = PgText(q[5]);
  r.report.smsc_answer = PgText(q[6]);
  r.received_at = PgInt(q[7]);
  return r;
}

Result<InboundRecord> ReadInbound(const pqxx::row& q) {
  InboundRecord r;
  r.id = PgInt(q[0]);
  r.sms.kannel_id = PgText(q[1]);
  r.sms.from = PgText(q[2]);
  r.sms.to = PgText(q[3]);
  r.sms.text = PgText(q[4]);
  r.sms.keyword = PgText(q[5]);
  r.sms.at = PgInt(q[6]);
  r.sms.smsc = PgText(q[7]);
  r.register_no = PgText(q[8]);
  r.handling = channel::InboundHandling::kInbox;
  r.reply_key = PgText(q[9]);
  r.received_at = PgInt(q[10]);
  return r;
}

class PgChannelRepository final : public channel::Repository {
 public:
  explicit PgChannelRepository(PgSession& s) : s_(s) {}

  Result<bool> Enqueue(const OutboxMessage& m) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.enqueue",
                    "INSERT INTO sms_outbox (idempotency_key, kind, phone, "
                    "household_id, register_no, template_id, parameters, "
                    "language, text, coding, segments, cost, state, "
                    "next_attempt_at, created_by, created_at) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'queued', "
                    "$13, $14, $15) ON CONFLICT (idempotency_key) DO "
                    "NOTHING",
                    m.idempotency_key, channel::Name(m.kind), m.phone,
                    m.household_id, m.register_no, m.template_id, m.parameters,
                    channel::LanguageCode(m.language), m.text,
                    channel::SmsCodingName(m.coding), m.segments, m.cost,
                    m.next_attempt_at, m.created_by, m.created_at));
    return r.affected_rows() == 1;
  }

  Result<std::optional<OutboxMessage>> FindByKey(
      std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.find",
                    std::string("SELECT ") + kColumns +
                        " FROM sms_outbox WHERE idempotency_key = $1",
                    key));
    return ReadFirst<OutboxMessage>(r, ReadMessage);
  }

  Result<std::vector<OutboxMessage>> Claim(
      const channel::ClaimRequest& c) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "channel.claim",
            std::string("UPDATE sms_outbox SET state = 'sending', "
                        "lease_owner = $1, lease_until = $2, attempts = "
                        "attempts + 1 WHERE id IN (SELECT id FROM sms_outbox "
                        "WHERE ((state = 'queued' AND next_attempt_at <= $3) "
                        "OR (state = 'sending' AND lease_until <= $4 AND "
                        "last_report = 0)) AND ($6 = 1 OR kind <> 'info') "
                        "ORDER BY next_attempt_at, id LIMIT "
                        "$5 FOR UPDATE SKIP LOCKED) RETURNING ") +
                kColumns,
            c.owner, c.lease_until, c.now, c.doubt_before, c.limit,
            c.info ? 1 : 0));
    MALCHIN_ASSIGN_OR_RETURN(auto rows, ReadAll<OutboxMessage>(r, ReadMessage));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return std::pair(a.next_attempt_at, a.id) <
             std::pair(b.next_attempt_at, b.id);
    });
    return rows;
  }

  Result<bool> RecordSend(int64_t id, std::string_view owner,
                          const channel::SendOutcome& o) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.record_send",
                    "UPDATE sms_outbox SET state = $3, next_attempt_at = "
                    "CASE WHEN $3 = 'queued' THEN $4 ELSE next_attempt_at END, "
                    "last_answer = $5, lease_owner = '', lease_until = 0, "
                    "sent_at = CASE WHEN $3 = 'sent' THEN $6 ELSE sent_at END, "
                    "final_at = CASE WHEN $3 = 'failed' THEN $6 ELSE final_at "
                    "END WHERE id = $1 AND state = 'sending' AND lease_owner = "
                    "$2",
                    id, owner, channel::Name(o.state), o.next_attempt_at,
                    o.answer, o.at));
    return r.affected_rows() == 1;
  }

  Status SetDeliveryState(int64_t id, OutboxState state, int report,
                          int64_t sent_at, int64_t final_at) override {
    return s_
        .Prepared("channel.set_delivery",
                  "UPDATE sms_outbox SET state = $2, last_report = $3, "
                  "sent_at = CASE WHEN sent_at = 0 THEN $4 ELSE sent_at END, "
                  "final_at = $5, lease_owner = '', lease_until = 0 WHERE "
                  "id = $1",
                  id, channel::Name(state), report, sent_at, final_at)
        .status();
  }

  Status AppendReport(const StoredReport& r) override {
    return s_
        .Prepared("channel.append_report",
                  "INSERT INTO sms_delivery_reports (idempotency_key, "
                  "status, phone, reported_at, smsc, smsc_message_id, "
                  "answer, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                  "$8)",
                  r.idempotency_key, static_cast<int>(r.report.state),
                  r.report.phone, r.report.at, r.report.smsc,
                  r.report.smsc_message_id, r.report.smsc_answer, r.received_at)
        .status();
  }

  Result<std::vector<StoredReport>> Reports(std::string_view key) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.reports",
                    "SELECT idempotency_key, status, phone, reported_at, "
                    "smsc, smsc_message_id, answer, received_at FROM "
                    "sms_delivery_reports WHERE idempotency_key = $1 ORDER BY "
                    "id",
                    key));
    return ReadAll<StoredReport>(r, ReadReport);
  }

  Result<int64_t> ExpireQueued(int64_t before, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.expire",
                    "UPDATE sms_outbox SET state = 'expired', final_at = $2 "
                    "WHERE state = 'queued' AND created_at < $1",
                    before, at));
    return static_cast<int64_t>(r.affected_rows());
  }

  Result<int64_t> MarkUnknown(int64_t sent_before, int64_t at) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.mark_unknown",
                    "UPDATE sms_outbox SET unknown_at = $2 WHERE state = "
                    "'sent' AND unknown_at = 0 AND sent_at < $1",
                    sent_before, at));
    return static_cast<int64_t>(r.affected_rows());
  }

  Result<std::map<OutboxState, int64_t>> CountByState() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.count",
                    "SELECT state, count(*) FROM sms_outbox GROUP BY state"));
    std::map<OutboxState, int64_t> out;
    for (const pqxx::row& row : r) {
      MALCHIN_ASSIGN_OR_RETURN(auto state,
                               channel::ParseOutboxState(PgText(row[0])));
      out[state] = PgInt(row[1]);
    }
    return out;
  }

  Status SetOptOut(std::string_view phone, bool opted_out,
                   std::string_view source, int64_t at) override {
    MALCHIN_RETURN_IF_ERROR(
        s_.Prepared("channel.opt_out",
                    "INSERT INTO sms_opt_outs (phone, opted_out, changed_at) "
                    "VALUES ($1, $2, $3) ON CONFLICT (phone) DO UPDATE SET "
                    "opted_out = excluded.opted_out, changed_at = "
                    "excluded.changed_at",
                    phone, opted_out ? 1 : 0, at)
            .status());
    return s_
        .Prepared("channel.opt_out_history",
                  "INSERT INTO sms_opt_out_history (phone, action, source, "
                  "at) VALUES ($1, $2, $3, $4)",
                  phone, opted_out ? "stop" : "start", source, at)
        .status();
  }

  Result<bool> IsOptedOut(std::string_view phone) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.is_opted_out",
                    "SELECT opted_out FROM sms_opt_outs WHERE phone = $1",
                    phone));
    return !r.empty() && PgInt(r[0][0]) == 1;
  }

  Result<std::vector<std::pair<std::string, int64_t>>> OptOutHistory(
      std::string_view phone) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.history",
                    "SELECT action, at FROM sms_opt_out_history WHERE phone "
                    "= $1 ORDER BY id",
                    phone));
    using Row = std::pair<std::string, int64_t>;
    return ReadAll<Row>(r, [](const pqxx::row& q) {
      return Result<Row>(Row(PgText(q[0]), PgInt(q[1])));
    });
  }

  Result<bool> InsertInbound(const InboundRecord& i) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.insert_inbound",
                    "INSERT INTO sms_inbound (kannel_id, from_phone, "
                    "to_phone, text, keyword, sent_at, smsc, register_no, "
                    "handling, reply_key, received_at) VALUES ($1, $2, $3, "
                    "$4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT "
                    "(kannel_id) DO NOTHING",
                    i.sms.kannel_id, i.sms.from, i.sms.to, i.sms.text,
                    i.sms.keyword, i.sms.at, i.sms.smsc, i.register_no,
                    channel::Name(i.handling), i.reply_key, i.received_at));
    return r.affected_rows() == 1;
  }

  Result<std::vector<InboundRecord>> Inbox(int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("channel.inbox",
                    "SELECT id, kannel_id, from_phone, to_phone, text, "
                    "keyword, sent_at, smsc, register_no, reply_key, "
                    "received_at FROM sms_inbound WHERE handling = 'inbox' "
                    "ORDER BY id DESC LIMIT $1",
                    limit));
    return ReadAll<InboundRecord>(r, ReadInbound);
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterChannelRepositories(PgFactories* f) {
  f->Add<channel::Repository>(
      [](PgSession& s) { return std::make_unique<PgChannelRepository>(s); });
}

}  // namespace malchin::backends::postgres
