#include "coop/json.h"

#include <array>
#include <map>

#include "registry/population.h"

namespace malchin::coop {

using nlohmann::json;

namespace {

json OptDate(const std::optional<Date>& d) {
  return d ? json(d->ToString()) : json(nullptr);
}
const char* Sex(registry::Sex s) {
  return s == registry::Sex::kMale ? "M" : "F";
}

json AreaTotals(const std::vector<rules::AreaTotal>& totals) {
  json out = json::array();
  for (const auto& t : totals) {
    out.push_back({{"code", t.code},
                   {"households", t.households},
                   {"members", t.members},
                   {"quantity", t.amount}});
  }
  return out;
}

}  // namespace

json ToJson(const Cooperative& c) {
  return {{"code", c.code},
          {"name", c.name},
          {"type", GroupTypeName(c.type)},
          {"soum_code", c.soum_code},
          {"bag", c.bag},
          {"registration_no", c.registration_no},
          {"registered_on", OptDate(c.registered_on)},
          {"created_by", c.created_by},
          {"created_at", c.created_at}};
}

json ToJson(const CoopSummary& s) {
  json j = ToJson(s.coop);
  j["members"] = s.members;
  j["households"] = s.households;
  j["fund_balance"] = s.fund_balance;
  return j;
}

json ToJson(const Membership& m) {
  return {{"id", m.id},
          {"coop", m.coop_code},
          {"coop_name", m.coop_name},
          {"register_no", m.register_no},
          {"household_id", m.household_id},
          {"name", m.name},
          {"sex", Sex(m.sex)},
          {"birth_date", m.birth_date.ToString()},
          {"soum_code", m.soum_code},
          {"role", MemberRoleName(m.role)},
          {"joined_on", m.joined_on.ToString()},
          {"left_on", OptDate(m.left_on)},
          {"leave_reason", m.leave_reason}};
}

json ToJson(const LedgerEntry& e) {
  json j = {{"entry_id", e.id},
            {"book", BookName(e.book)},
            {"owner", e.owner},
            {"on", e.on.ToString()},
            {"kind", EntryKindName(e.kind)},
            {"amount", e.amount},
            {"register_no", e.register_no},
            {"method", MethodName(e.method)},
            {"line_id", e.line_id},
            {"remittance_id", e.remittance_id},
            {"reverses", e.reverses},
            {"note", e.note},
            {"actor", e.actor},
            {"recorded_at", e.recorded_at}};
  if (e.in_kind) {
    j["in_kind"] = {{"item", e.in_kind->item},
                    {"quantity", e.in_kind->quantity},
                    {"unit_price", e.in_kind->unit_price},
                    {"price_from", OptDate(e.in_kind->price_from)},
                    {"price_source", e.in_kind->price_source}};
  }
  return j;
}

json ToJson(const Statement& s) {
  json entries = json::array();
  for (size_t i = 0; i < s.entries.size(); ++i) {
    json e = ToJson(s.entries[i]);
    e["balance"] = s.running[i];
    entries.push_back(std::move(e));
  }
  return {{"owner", s.owner},          {"register_no", s.register_no},
          {"from", s.from.ToString()}, {"to", s.to.ToString()},
          {"opening", s.opening},      {"inflows", s.inflows},
          {"outflows", s.outflows},    {"closing", s.closing},
          {"entries", entries}};
}

json ToJson(const Warehouse& w) {
  return {{"code", w.code},
          {"name", w.name},
          {"coop", w.coop_code},
          {"soum_code", w.soum_code},
          {"bag", w.bag},
          {"capacity_kg", w.capacity_kg},
          {"created_by", w.created_by}};
}

json ToJson(const FeedStock& s) {
  return {{"hay_kg", s.hay_kg}, {"fodder_kg", s.fodder_kg}};
}

json ToJson(const FeedMovement& m) {
  return {{"movement_id", m.id},
          {"warehouse", m.warehouse},
          {"on", m.on.ToString()},
          {"feed", FeedTypeName(m.feed)},
          {"kind", MovementKindName(m.kind)},
          {"kg", m.kg},
          {"household_id", m.household_id},
          {"line_id", m.line_id},
          {"reverses", m.reverses},
          {"note", m.note},
          {"actor", m.actor},
          {"recorded_at", m.recorded_at}};
}

json ToJson(const InKindItem& i) {
  return {{"code", i.code},
          {"name_en", i.name_en},
          {"name_mn", i.name_mn},
          {"unit", i.unit},
          {"unit_value", i.unit_value}};
}

json ToJson(const Distribution& d) {
  return {{"code", d.code},
          {"kind", DistributionKindName(d.kind)},
          {"name", d.name},
          {"coop", d.coop_code},
          {"warehouse", d.warehouse_code},
          {"item", d.item},
          {"event", d.event_code},
          {"area_code", d.area_code},
          {"eligibility", d.eligibility},
          {"quantity", d.quantity},
          {"cutoff_on", d.cutoff_on.ToString()},
          {"decision", d.decision},
          {"status", DistributionStatusName(d.status)},
          {"prepared_by", d.prepared_by},
          {"prepared_at", d.prepared_at},
          {"approved_by", d.approved_by},
          {"approved_at", d.approved_at},
          {"households", d.households},
          {"total_quantity", d.total_quantity},
          {"total_value", d.total_value},
          {"delivered", d.delivered}};
}

json ToJson(const DistributionLine& l) {
  json j = {{"line_id", l.id},
            {"household_id", l.household_id},
            {"soum_code", l.soum_code},
            {"payee_register_no", l.payee_register_no},
            {"payee_name", l.payee_name},
            {"payee_sex", Sex(l.payee_sex)},
            {"payee_birth_date", l.payee_birth_date.ToString()},
            {"quantity", l.quantity},
            {"value", l.value},
            {"delivery", nullptr}};
  if (l.delivery) {
    j["delivery"] = {{"delivered_on", l.delivery->delivered_on.ToString()},
                     {"received_by", l.delivery->received_by},
                     {"received_name", l.delivery->received_name},
                     {"confirmed_by", l.delivery->confirmed_by},
                     {"confirmed_at", l.delivery->confirmed_at},
                     {"note", l.delivery->note}};
  }
  return j;
}

json ToJson(const Training& t) {
  return {{"code", t.code},
          {"topic", TrainingTopicName(t.topic)},
          {"title", t.title},
          {"soum_code", t.soum_code},
          {"place", t.place},
          {"starts_on", t.starts_on.ToString()},
          {"ends_on", t.ends_on.ToString()},
          {"trainer", t.trainer},
          {"attendees", t.attendees}};
}

json ToJson(const Attendance& a) {
  return {{"training", a.training_code},
          {"register_no", a.register_no},
          {"name", a.name},
          {"sex", Sex(a.sex)},
          {"birth_date", a.birth_date.ToString()},
          {"soum_code", a.soum_code},
          {"completed", a.completed}};
}

json ToJson(const Business& b) {
  return {{"code", b.code},
          {"name", b.name},
          {"sector", b.sector},
          {"soum_code", b.soum_code},
          {"started_on", b.started_on.ToString()},
          {"owner_register_no", b.owner_register_no},
          {"owner_name", b.owner_name},
          {"training", b.training_code},
          {"seed_balance", b.seed_balance}};
}

json ToJson(const EventPosition& p) {
  json coops = json::array(), stores = json::array();
  for (const CoopPosition& c : p.cooperatives) {
    json j = ToJson(c.coop);
    j["severity"] = c.severity;
    coops.push_back(std::move(j));
  }
  for (const WarehousePosition& w : p.warehouses) {
    json j = ToJson(w.warehouse);
    j["stock"] = ToJson(w.stock);
    j["severity"] = w.severity;
    stores.push_back(std::move(j));
  }
  return {{"event", p.event_code},       {"event_name", p.event_name},
          {"as_of", p.as_of.ToString()}, {"fund_total", p.fund_total},
          {"members", p.members},        {"hay_kg", p.hay_kg},
          {"fodder_kg", p.fodder_kg},    {"cooperatives", coops},
          {"warehouses", stores}};
}

json ToJson(const DistributionPreview& p) {
  const rules::Preview& v = p.preview;
  json cells = json::array();
  for (const auto& c : v.aimag_cells) {
    cells.push_back({{"aimag_code", c.aimag_code},
                     {"sex", Sex(c.sex)},
                     {"age_band", registry::AgeBandName(c.age_band)},
                     {"disability", c.disability},
                     {"households", c.beneficiaries},
                     {"quantity", c.amount}});
  }
  return {{"households", v.national.households},
          {"members", v.national.members},
          {"quantity", v.national.amount},
          {"unit_value", p.unit_value},
          {"total_value", p.total_value},
          {"available", p.available},
          {"unknown", v.unknown_eligibility + v.unknown_amount},
          {"by_aimag", AreaTotals(v.by_aimag)},
          {"by_soum", AreaTotals(v.by_soum)},
          {"cells", cells}};
}

namespace {
// Of members, trainees, business owners, in-kind recipients: how many
// have a disability.
json DisabilityJson(const std::array<int64_t, 4>& d) {
  return {{"members", d[0]},
          {"trainees", d[1]},
          {"business_owners", d[2]},
          {"in_kind_recipients", d[3]}};
}
json DisabilityJson(const int64_t (&d)[4]) {
  return DisabilityJson(std::array<int64_t, 4>{d[0], d[1], d[2], d[3]});
}
}  // namespace

json StatsJson(const std::vector<StatsCell>& cells, Date as_of) {
  json rows = json::array();
  struct Sum {
    int64_t members = 0, trainees = 0, owners = 0, in_kind = 0;
    int64_t disabled[4] = {};
    void Add(const StatsCell& c) {
      members += c.members;
      trainees += c.trainees;
      owners += c.business_owners;
      in_kind += c.in_kind_recipients;
      disabled[0] += c.members_with_disability;
      disabled[1] += c.trainees_with_disability;
      disabled[2] += c.business_owners_with_disability;
      disabled[3] += c.in_kind_recipients_with_disability;
    }
    json Json() const {
      return {{"members", members},
              {"trainees", trainees},
              {"business_owners", owners},
              {"in_kind_recipients", in_kind},
              {"with_disability", DisabilityJson(disabled)}};
    }
  };
  Sum total;
  std::map<std::string, Sum> by_sex, by_band;
  std::map<int32_t, Sum> by_soum;
  for (const StatsCell& c : cells) {
    rows.push_back(
        {{"soum_code", c.soum_code},
         {"sex", Sex(c.sex)},
         {"age_band", registry::AgeBandName(c.age_band)},
         {"members", c.members},
         {"trainees", c.trainees},
         {"business_owners", c.business_owners},
         {"in_kind_recipients", c.in_kind_recipients},
         {"with_disability",
          DisabilityJson({c.members_with_disability, c.trainees_with_disability,
                          c.business_owners_with_disability,
                          c.in_kind_recipients_with_disability})}});
    total.Add(c);
    by_sex[Sex(c.sex)].Add(c);
    by_band[std::string(registry::AgeBandName(c.age_band))].Add(c);
    by_soum[c.soum_code].Add(c);
  }
  json sexes = json::object(), bands = json::array(), soums = json::array();
  for (const auto& [k, v] : by_sex) sexes[k] = v.Json();
  for (int b = 0; b < registry::kAgeBandCount; ++b) {
    auto it = by_band.find(std::string(registry::AgeBandName(b)));
    if (it == by_band.end()) continue;
    json j = it->second.Json();
    j["age_band"] = it->first;
    bands.push_back(std::move(j));
  }
  for (const auto& [k, v] : by_soum) {
    json j = v.Json();
    j["soum_code"] = k;
    soums.push_back(std::move(j));
  }
  return {{"as_of", as_of.ToString()}, {"total", total.Json()},
          {"by_sex", sexes},           {"by_age_band", bands},
          {"by_soum", soums},          {"cells", rows}};
}

}  // namespace malchin::coop
