#include "api/codec.h"

#include "registry/register_number.h"

namespace malchin::api {

using nlohmann::json;
using registry::Household;
using registry::Person;

namespace {

void AddDeactivation(json& j, const std::optional<registry::Deactivation>& d) {
  j["active"] = !d.has_value();
  if (d) {
    j["deactivated_on"] = d->on.ToString();
    j["deactivation_reason"] = d->reason;
  }
}

Status FirstError(const std::vector<registry::FieldError>& errors,
                  const std::string& where) {
  if (errors.empty()) return Status::Ok();
  const auto& e = errors.front();
  return Status::InvalidArgument("field " + where + e.field + ": '" + e.value +
                                     "' - expected " + e.expected,
                                 where + e.field);
}

}  // namespace

json HouseholdToJson(const Household& h) {
  json j = {{"household_id", h.id},
            {"soum_code", h.soum_code},
            {"bag", h.bag},
            {"current_soum_code", h.current_soum_code},
            {"herder", h.herder},
            {"camels", h.herd.head[0]},
            {"horses", h.herd.head[1]},
            {"cattle", h.herd.head[2]},
            {"sheep", h.herd.head[3]},
            {"goats", h.herd.head[4]},
            {"cooperative", h.cooperative},
            {"phone", h.phone},
            {"lat", h.lat ? json(*h.lat) : json(nullptr)},
            {"lon", h.lon ? json(*h.lon) : json(nullptr)}};
  AddDeactivation(j, h.deactivated);
  return j;
}

json PersonToJson(const Person& p) {
  json j = {{"register_no", p.register_no},
            {"household_id", p.household_id},
            {"family_name", p.family_name},
            {"father_name", p.father_name},
            {"given_name", p.given_name},
            {"sex", registry::SexCode(p.sex)},
            {"birth_date", p.birth_date.ToString()},
            {"relation", registry::RelationName(p.relation)},
            {"disability", p.disability},
            {"herder", p.herder},
            {"phone", p.phone},
            {"bank_account", p.bank_account}};
  AddDeactivation(j, p.deactivated);
  return j;
}

Result<Household> HouseholdFromJson(JsonInput& in, const geo::Geography& geo) {
  Household h;
  MALCHIN_ASSIGN_OR_RETURN(h.id, in.String("household_id"));
  MALCHIN_ASSIGN_OR_RETURN(int64_t soum, in.Int("soum_code", 0, 99999));
  h.soum_code = static_cast<int32_t>(soum);
  MALCHIN_ASSIGN_OR_RETURN(auto bag, in.OptString("bag"));
  h.bag = bag.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto cur, in.OptInt("current_soum_code", 0, 99999));
  h.current_soum_code = static_cast<int32_t>(cur.value_or(soum));
  MALCHIN_ASSIGN_OR_RETURN(h.herder, in.Bool("herder"));
  const char* species[] = {"camels", "horses", "cattle", "sheep", "goats"};
  for (int i = 0; i < registry::kSpeciesCount; ++i) {
    MALCHIN_ASSIGN_OR_RETURN(auto n, in.OptInt(species[i], 0, 10000000));
    h.herd.head[i] = static_cast<int32_t>(n.value_or(0));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto coop, in.OptString("cooperative"));
  h.cooperative = coop.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto phone, in.OptString("phone"));
  h.phone = phone.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(h.lat, in.OptNumber("lat"));
  MALCHIN_ASSIGN_OR_RETURN(h.lon, in.OptNumber("lon"));
  // Read-only fields a client may send back unchanged.
  in.Ignore({"active", "deactivated_on", "deactivation_reason"});
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_RETURN_IF_ERROR(FirstError(registry::ValidateHousehold(h, geo), ""));
  return h;
}

Result<Person> PersonFromJson(JsonInput& in, const std::string& household_id,
                              Date today) {
  Person p;
  MALCHIN_ASSIGN_OR_RETURN(std::string rn, in.String("register_no"));
  p.register_no = registry::NormalizeRegisterNumber(rn);
  MALCHIN_ASSIGN_OR_RETURN(auto hh, in.OptString("household_id"));
  p.household_id = hh.value_or(household_id);
  MALCHIN_ASSIGN_OR_RETURN(auto family, in.OptString("family_name"));
  p.family_name = family.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(p.father_name, in.String("father_name"));
  MALCHIN_ASSIGN_OR_RETURN(p.given_name, in.String("given_name"));
  MALCHIN_ASSIGN_OR_RETURN(std::string sex, in.String("sex"));
  auto s = registry::ParseSex(sex);
  if (!s.ok()) {
    return Status::InvalidArgument("field sex: '" + sex + "' - expected F or M",
                                   "sex");
  }
  p.sex = *s;
  MALCHIN_ASSIGN_OR_RETURN(std::string born, in.String("birth_date"));
  auto d = Date::Parse(born);
  if (!d.ok()) {
    return Status::InvalidArgument("field birth_date: " + d.status().message(),
                                   "birth_date");
  }
  p.birth_date = *d;
  MALCHIN_ASSIGN_OR_RETURN(std::string rel, in.String("relation"));
  auto r = registry::ParseRelation(rel);
  if (!r.ok()) {
    return Status::InvalidArgument(
        "field relation: '" + rel +
            "' - expected head, spouse, child, parent, sibling, grandchild "
            "or other",
        "relation");
  }
  p.relation = *r;
  MALCHIN_ASSIGN_OR_RETURN(auto dis, in.OptBool("disability"));
  p.disability = dis.value_or(false);
  MALCHIN_ASSIGN_OR_RETURN(auto herder, in.OptBool("herder"));
  p.herder = herder.value_or(false);
  MALCHIN_ASSIGN_OR_RETURN(auto phone, in.OptString("phone"));
  p.phone = phone.value_or("");
  MALCHIN_ASSIGN_OR_RETURN(auto acct, in.OptString("bank_account"));
  p.bank_account = acct.value_or("");
  in.Ignore({"active", "deactivated_on", "deactivation_reason"});
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  MALCHIN_RETURN_IF_ERROR(FirstError(registry::ValidatePerson(p, today), ""));
  return p;
}

}  // namespace malchin::api
