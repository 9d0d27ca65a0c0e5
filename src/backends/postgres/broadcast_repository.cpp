// The PostgreSQL engine's channel::BroadcastRepository: data access only
// (migration 0023); the rules are the channel's own
// (src/channel/broadcast.cpp).
#include <algorithm>

#include "backends/postgres/coop_pg.h"
#include "backends/postgres/response_rows.h"
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "channel/broadcast.h"
#include "channel/outbox.h"

namespace malchin::backends::postgres {
namespace {

using channel::Broadcast;
using channel::BroadcastRecipient;

constexpr const char* kColumns =
    "id, title, target, event_code, template_id, parameters, area_code, "
    "state, recipients, segments, cost, created_by, created_at, approved_by, "
    "approved_at";

Result<Broadcast> ReadBroadcast(const pqxx::row& q) {
  Broadcast b;
  b.id = PgInt(q[0]);
  b.title = PgText(q[1]);
  b.target = PgText(q[2]);
  b.event_code = PgText(q[3]);
  b.template_id = PgText(q[4]);
  MALCHIN_ASSIGN_OR_RETURN(b.values,
                           channel::ParseTemplateValuesJson(PgText(q[5])));
  b.area_code = static_cast<int32_t>(PgInt(q[6]));
  MALCHIN_ASSIGN_OR_RETURN(b.state, channel::ParseBroadcastState(PgText(q[7])));
  b.recipients = PgInt(q[8]);
  b.segments = static_cast<int>(PgInt(q[9]));
  b.cost = PgInt(q[10]);
  b.created_by = PgText(q[11]);
  b.created_at = PgInt(q[12]);
  b.approved_by = PgText(q[13]);
  b.approved_at = PgInt(q[14]);
  return b;
}

Result<BroadcastRecipient> ReadRecipient(const pqxx::row& q) {
  BroadcastRecipient r;
  r.household_id = PgText(q[0]);
  r.phone = PgText(q[1]);
  r.soum_code = static_cast<int32_t>(PgInt(q[2]));
  MALCHIN_ASSIGN_OR_RETURN(r.head_sex, registry::ParseSex(PgText(q[3])));
  MALCHIN_ASSIGN_OR_RETURN(r.language, channel::ParseLanguage(PgText(q[4])));
  return r;
}

// Recipients go to the server in chunks of this many.
constexpr size_t kChunk = 10000;

class PgBroadcastRepository final : public channel::BroadcastRepository {
 public:
  explicit PgBroadcastRepository(PgSession& s) : s_(s) {}

  Result<int64_t> Insert(const Broadcast& b) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("broadcast.insert",
                    "INSERT INTO sms_broadcasts (title, target, event_code, "
                    "template_id, parameters, area_code, state, created_by, "
                    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                    "RETURNING id",
                    b.title, b.target, b.event_code, b.template_id,
                    channel::TemplateValuesJson(b.values), b.area_code,
                    channel::Name(b.state), b.created_by, b.created_at));
    return r.empty() ? int64_t{0} : PgInt(r[0][0]);
  }

  Result<std::optional<Broadcast>> Find(int64_t id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("broadcast.find",
                                    std::string("SELECT ") + kColumns +
                                        " FROM sms_broadcasts WHERE id = $1",
                                    id));
    return ReadFirst<Broadcast>(r, ReadBroadcast);
  }

  Result<std::vector<Broadcast>> List(int64_t before_id, int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("broadcast.list",
                    std::string("SELECT ") + kColumns +
                        " FROM sms_broadcasts WHERE ($1::bigint = 0 OR id < "
                        "$1) ORDER BY id DESC LIMIT $2",
                    before_id, limit));
    return ReadAll<Broadcast>(r, ReadBroadcast);
  }

  Status Update(const Broadcast& b) override {
    return s_
        .Prepared("broadcast.update",
                  "UPDATE sms_broadcasts SET state = $2, recipients = $3, "
                  "segments = $4, cost = $5, approved_by = $6, approved_at "
                  "= $7 WHERE id = $1",
                  b.id, channel::Name(b.state), b.recipients, b.segments,
                  b.cost, b.approved_by, b.approved_at)
        .status();
  }

  Result<std::vector<std::string>> OptedOutPhones() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("broadcast.opted_out",
                    "SELECT phone FROM sms_opt_outs WHERE opted_out = 1"));
    return ReadAll<std::string>(r, [](const pqxx::row& q) {
      return Result<std::string>(PgText(q[0]));
    });
  }

  Status InsertRecipients(
      int64_t id, const std::vector<BroadcastRecipient>& rows) override {
    for (size_t from = 0; from < rows.size(); from += kChunk) {
      const size_t to = std::min(rows.size(), from + kChunk);
      std::vector<std::string> ids, phones, sexes, languages, keys;
      std::vector<int32_t> soums;
      for (size_t i = from; i < to; ++i) {
        const BroadcastRecipient& r = rows[i];
        ids.push_back(r.household_id);
        phones.push_back(r.phone);
        soums.push_back(r.soum_code);
        sexes.emplace_back(registry::SexCode(r.head_sex));
        languages.emplace_back(channel::LanguageCode(r.language));
        keys.push_back(channel::BroadcastMessageKey(id, r.household_id));
      }
      auto all = [](const std::vector<std::string>& v) {
        return PgTextArray(v, 0, v.size());
      };
      MALCHIN_RETURN_IF_ERROR(
          s_.Prepared("broadcast.insert_recipients",
                      "INSERT INTO sms_broadcast_recipients (broadcast_id, "
                      "household_id, phone, soum_code, head_sex, language, "
                      "message_key) SELECT $1, * FROM unnest($2::text[], "
                      "$3::text[], $4::integer[], $5::text[], $6::text[], "
                      "$7::text[])",
                      id, all(ids), all(phones), coopsql::IntArray(soums),
                      all(sexes), all(languages), all(keys))
              .status());
    }
    return Status::Ok();
  }

  Result<std::vector<BroadcastRecipient>> Unqueued(int64_t id,
                                                   int limit) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("broadcast.unqueued",
                    "SELECT household_id, phone, soum_code, head_sex, "
                    "language FROM sms_broadcast_recipients WHERE "
                    "broadcast_id = $1 AND queued = 0 ORDER BY household_id "
                    "LIMIT $2",
                    id, limit));
    return ReadAll<BroadcastRecipient>(r, ReadRecipient);
  }

  Status MarkQueued(int64_t id,
                    const std::vector<std::string>& households) override {
    return s_
        .Prepared("broadcast.mark_queued",
                  "UPDATE sms_broadcast_recipients SET queued = 1 WHERE "
                  "broadcast_id = $1 AND household_id = ANY($2::text[])",
                  id, PgTextArray(households, 0, households.size()))
        .status();
  }

  Result<std::vector<channel::DeliveryCount>> Delivery(int64_t id) override {
    PgArea area = s_.Area({}, "r.soum_code", 2);
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared(
            "broadcast.delivery" + area.key,
            "SELECT r.soum_code, r.head_sex, CASE WHEN o.id IS NULL THEN "
            "'not_queued' WHEN o.state = 'sent' AND o.unknown_at > 0 THEN "
            "'unknown' ELSE o.state END AS st, count(*) FROM "
            "sms_broadcast_recipients r LEFT JOIN sms_outbox o ON "
            "o.idempotency_key = r.message_key WHERE r.broadcast_id = $1 AND " +
                area.sql +
                " GROUP BY r.soum_code, r.head_sex, st ORDER BY "
                "r.soum_code, r.head_sex, st",
            id, area.value));
    return ReadAll<channel::DeliveryCount>(r, [](const pqxx::row& q) {
      channel::DeliveryCount c;
      c.soum_code = static_cast<int32_t>(PgInt(q[0]));
      c.head_sex = coopsql::SexOf(q[1]);
      c.state = PgText(q[2]);
      c.messages = PgInt(q[3]);
      return Result<channel::DeliveryCount>(c);
    });
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterBroadcastRepositories(PgFactories* f) {
  f->Add<channel::BroadcastRepository>(
      [](PgSession& s) { return std::make_unique<PgBroadcastRepository>(s); });
}

}  // namespace malchin::backends::postgres
