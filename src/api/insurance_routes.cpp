// Social and health insurance over HTTP (docs/insurance.md, "HTTP API"):
// coverage rates against the targets and the persons behind any figure
// (JSON pages or CSV), a person's status and history, contributions (cash,
// bank, in kind, subsidies) with an idempotency key, cooperative
// remittances, corrections (reversing entries), pension projections,
// outreach lists (JSON pages or the whole list as CSV) and visits (with an
// optional idempotency key).
//
// Scoping: every InsuranceStore call takes the caller's area
// (Principal::area()), so persons of other areas do not exist here (404) and
// writes about them are refused (403). Personal data in a response is
// recorded as read (RecordReads).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "api/api.h"
#include "api/exports.h"
#include "api/json_input.h"
#include "csv/csv.h"
#include "insurance/coverage.h"
#include "insurance/ledger_service.h"
#include "insurance/outreach.h"
#include "insurance/pension.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "insurance/statement_json.h"
#include "params/parameters.h"
#include "registry/population.h"
#include "registry/register_number.h"

namespace malchin::api {

using insurance::InsuranceScheme;
using nlohmann::json;

namespace {

constexpr const char *kTag = "insurance";

Status CheckRegisterNo(const std::string &raw, std::string *rn) {
  *rn = registry::NormalizeRegisterNumber(raw);
  auto parsed = registry::ParseRegisterNumber(*rn);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        "register number '" + raw + "': " + parsed.status().message(),
        "register_no");
  }
  return Status::Ok();
}

struct Ctx {
  insurance::Repository *ins = nullptr;
  std::shared_ptr<const params::ParameterSet> params;
  store::AreaFilter area;
  store::ChangeContext change;
};

Result<Ctx> Open(Call &c) {
  Ctx x;
  x.ins = &c.session.Get<insurance::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(x.params, params::ParameterSet::Embedded());
  x.area = c.who.area();
  x.change = {c.who.username, "api"};
  return x;
}

// The register's reference date (demo registers carry one), else today.
Result<Date> RegisterDate(store::Session &s) {
  MALCHIN_ASSIGN_OR_RETURN(auto meta, s.GetMeta("register.as_of"));
  if (meta) {
    auto d = Date::Parse(*meta);
    if (d.ok()) return *d;
  }
  return Date::TodayUtc();
}

Result<Date> DateField(const std::optional<std::string> &v, const char *field,
                       Date fallback) {
  if (!v) return fallback;
  auto d = Date::Parse(*v);
  if (!d.ok()) {
    return Status::InvalidArgument(
        std::string(field) + " '" + *v + "': " + d.status().message(), field);
  }
  return *d;
}

Result<int32_t> MonthField(const std::string &v, const char *field) {
  auto m = insurance::ParseMonth(v);
  if (!m.ok()) {
    return Status::InvalidArgument(
        std::string(field) + " '" + v + "': " + m.status().message(), field);
  }
  return *m;
}

Result<InsuranceScheme> SchemeField(const std::string &v, const char *field) {
  auto s = insurance::ParseInsuranceScheme(v);
  if (!s.ok()) {
    return Status::InvalidArgument(
        std::string(field) + " '" + v + "': expected social or health", field);
  }
  return *s;
}

// Records that the response shows these persons' personal data.
Status Reads(Services &services, Call &c, const std::vector<std::string> &rns,
             const std::vector<std::string> &households, const char *purpose) {
  std::vector<registry::Person> persons(rns.size());
  for (size_t i = 0; i < rns.size(); ++i) {
    persons[i].register_no = rns[i];
    persons[i].household_id = households[i];
  }
  return RecordReads(services, c, persons, purpose);
}

json EntryJson(const insurance::LedgerEntry &e) {
  json j = {{"entry_id", e.id},
            {"scheme", insurance::InsuranceSchemeName(e.scheme)},
            {"from", insurance::MonthName(e.first_month)},
            {"months", e.months},
            {"paid_on", e.paid_on.ToString()},
            {"amount", e.amount},
            {"due", e.due},
            {"income_base", e.income_base},
            {"method", insurance::PaymentMethodName(e.method)},
            {"payer", e.payer},
            {"remittance_id", e.remittance_id},
            {"reverses", e.reverses},
            {"note", e.note},
            {"recorded_at", e.recorded_at},
            {"actor", e.actor}};
  if (e.in_kind) {
    j["in_kind"] = insurance::InKindJson<json>(*e.in_kind);
  }
  return j;
}

json PersonJson(const insurance::InsuredPerson &p) {
  json j = {{"register_no", p.register_no},
            {"household_id", p.household_id},
            {"name", p.name},
            {"soum_code", p.soum_code},
            {"bag", p.bag},
            {"sex", p.sex == registry::Sex::kMale ? "M" : "F"},
            {"birth_date", p.birth_date.ToString()},
            {"disability", p.disability},
            {"herder", p.herder},
            {"phone", p.phone},
            {"cooperative", p.cooperative}};
  j["lat"] = p.lat ? json(*p.lat) : json(nullptr);
  j["lon"] = p.lon ? json(*p.lon) : json(nullptr);
  return j;
}

json ProjectionJson(const insurance::PensionProjection &pr, double more) {
  json a = json::array();
  for (const auto &s : pr.assumptions)
    a.push_back({{"mn", s.mn}, {"en", s.en}});
  json x = {{"more_years", more},
            {"eligible", pr.eligible},
            {"years_at_retirement", pr.years_at_retirement},
            {"herding_years_at_retirement", pr.herding_years_at_retirement},
            {"assumptions", a}};
  if (pr.eligible) {
    x["retirement_date"] = pr.retirement_date.ToString();
    x["retirement_age"] = pr.retirement_age;
    x["early_herder"] = pr.early_herder;
    x["required_years"] = pr.required_years;
    x["proportional"] = pr.proportional;
    x["rate"] = pr.rate;
    x["average_income"] = pr.average_income;
    x["monthly_pension"] = pr.monthly_pension;
  }
  return x;
}

// "0,5,10" -> {0, 5, 10}; each 0..60; at most 10 values.
Result<std::vector<double>> MoreYears(const std::optional<std::string> &v) {
  if (!v) return std::vector<double>{0, 5, 10, 20};
  std::vector<double> out;
  std::string_view s = *v;
  while (true) {
    size_t comma = s.find(',');
    std::string part(s.substr(0, comma));
    char *end = nullptr;
    double d = part.empty() ? -1 : std::strtod(part.c_str(), &end);
    if (part.empty() || *end != '\0' || !(d >= 0 && d <= 60) ||
        out.size() >= 10) {
      return Status::InvalidArgument(
          "more_years '" + *v +
              "': expected up to 10 comma-separated numbers from 0 to 60",
          "more_years");
    }
    out.push_back(d);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return out;
}

Result<json> Projections(const params::ParameterSet &p,
                         insurance::PensionInput in,
                         const std::vector<double> &more) {
  json list = json::array();
  for (double n : more) {
    in.more_years = n;
    MALCHIN_ASSIGN_OR_RETURN(insurance::PensionProjection pr,
                             insurance::ProjectPension(p, in));
    list.push_back(ProjectionJson(pr, n));
  }
  return list;
}

json ReceiptJson(const insurance::LedgerEntry &e,
                 const insurance::Statement &statement, bool replayed) {
  json j = EntryJson(e);
  j["statement"] = insurance::StatementJson(statement);
  j["replayed"] = replayed;
  return j;
}

// Whether a stored entry is the payment `r` asks for (a retry), rather than
// a different payment under a reused key.
bool SamePayment(const insurance::LedgerEntry &e,
                 const insurance::PaymentRequest &r) {
  return e.register_no == r.register_no && e.scheme == r.scheme &&
         e.first_month == r.first_month && e.months == r.months &&
         e.method == r.method && (!r.amount || *r.amount == e.amount) &&
         e.reverses == 0;
}

Result<insurance::PaymentRequest> PaymentFrom(const std::string &body,
                                              const std::string &rn) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  insurance::PaymentRequest r;
  r.register_no = rn;
  MALCHIN_ASSIGN_OR_RETURN(std::string scheme, in.String("scheme"));
  MALCHIN_ASSIGN_OR_RETURN(r.scheme, SchemeField(scheme, "scheme"));
  MALCHIN_ASSIGN_OR_RETURN(std::string from, in.String("from"));
  MALCHIN_ASSIGN_OR_RETURN(r.first_month, MonthField(from, "from"));
  MALCHIN_ASSIGN_OR_RETURN(auto months, in.OptInt("months", 1, 120));
  r.months = static_cast<int32_t>(months.value_or(1));
  MALCHIN_ASSIGN_OR_RETURN(auto method, in.OptString("method"));
  if (method) {
    auto m = insurance::ParsePaymentMethod(*method);
    if (!m.ok()) return m.status();
    r.method = *m;
  }
  MALCHIN_ASSIGN_OR_RETURN(r.amount, in.OptInt("amount", 0, 1'000'000'000'000));
  MALCHIN_ASSIGN_OR_RETURN(auto income,
                           in.OptInt("income", 0, 1'000'000'000'000));
  r.declared_income = income.value_or(0);
  MALCHIN_ASSIGN_OR_RETURN(auto item, in.OptString("item"));
  if (item) r.in_kind_item = *item;
  MALCHIN_ASSIGN_OR_RETURN(auto qty, in.OptNumber("quantity"));
  if (qty) {
    if (!(*qty > 0 && *qty < 1e6)) {
      return Status::InvalidArgument(
          "quantity: expected a positive number of head or kg", "quantity");
    }
    r.in_kind_quantity = *qty;
  }
  if (r.method == insurance::PaymentMethod::kInKind && !qty) {
    return Status::InvalidArgument(
        "an in-kind payment needs quantity (head or kg)", "quantity");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto payer, in.OptString("payer"));
  if (payer) r.payer = *payer;
  MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("date"));
  MALCHIN_ASSIGN_OR_RETURN(r.paid_on,
                           DateField(date, "date", Date::TodayUtc()));
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  if (note) r.note = *note;
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (r.payer.size() > 200 || r.note.size() > 500) {
    return Status::InvalidArgument(
        "payer (200) or note (500 bytes) is too long",
        r.payer.size() > 200 ? "payer" : "note");
  }
  if (r.method == insurance::PaymentMethod::kGovernmentSubsidy &&
      r.payer.empty()) {
    r.payer = "government";
  }
  return r;
}

Result<insurance::RemittanceRequest> RemittanceFrom(const std::string &body) {
  MALCHIN_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(body));
  insurance::RemittanceRequest r;
  MALCHIN_ASSIGN_OR_RETURN(r.cooperative, in.String("cooperative"));
  MALCHIN_ASSIGN_OR_RETURN(r.amount, in.Int("amount", 1, 1'000'000'000'000));
  MALCHIN_ASSIGN_OR_RETURN(auto method, in.OptString("method"));
  if (method) {
    if (*method != "bank" && *method != "cash") {
      return Status::InvalidArgument(
          "method '" + *method + "': expected bank or cash", "method");
    }
    MALCHIN_ASSIGN_OR_RETURN(r.method, insurance::ParsePaymentMethod(*method));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("date"));
  MALCHIN_ASSIGN_OR_RETURN(r.paid_on,
                           DateField(date, "date", Date::TodayUtc()));
  MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
  if (note) r.note = *note;
  MALCHIN_ASSIGN_OR_RETURN(auto members, in.ObjectArray("members", 5000));
  MALCHIN_RETURN_IF_ERROR(in.Finish());
  if (r.cooperative.empty() || r.cooperative.size() > 200) {
    return Status::InvalidArgument("cooperative: expected 1-200 bytes",
                                   "cooperative");
  }
  for (auto &m : members) {
    insurance::MemberRequest x;
    MALCHIN_ASSIGN_OR_RETURN(std::string rn, m.String("register_no"));
    MALCHIN_RETURN_IF_ERROR(CheckRegisterNo(rn, &x.register_no));
    MALCHIN_ASSIGN_OR_RETURN(std::string scheme, m.String("scheme"));
    MALCHIN_ASSIGN_OR_RETURN(x.scheme, SchemeField(scheme, "members.scheme"));
    MALCHIN_ASSIGN_OR_RETURN(std::string from, m.String("from"));
    MALCHIN_ASSIGN_OR_RETURN(x.first_month, MonthField(from, "members.from"));
    MALCHIN_ASSIGN_OR_RETURN(auto months, m.OptInt("months", 1, 120));
    x.months = static_cast<int32_t>(months.value_or(1));
    MALCHIN_ASSIGN_OR_RETURN(auto income,
                             m.OptInt("income", 0, 1'000'000'000'000));
    x.declared_income = income.value_or(0);
    MALCHIN_ASSIGN_OR_RETURN(x.amount,
                             m.OptInt("amount", 0, 1'000'000'000'000));
    MALCHIN_RETURN_IF_ERROR(m.Finish());
    r.members.push_back(std::move(x));
  }
  return r;
}

json RemittanceJson(const insurance::RemittanceReport &rep, bool replayed) {
  json j = {{"remittance_id", rep.remittance_id},
            {"allocated", rep.allocated},
            {"unallocated", rep.unallocated},
            {"replayed", replayed},
            {"members", json::array()}};
  for (const auto &m : rep.members) {
    j["members"].push_back(
        {{"register_no", m.request.register_no},
         {"scheme", insurance::InsuranceSchemeName(m.request.scheme)},
         {"from", insurance::MonthName(m.request.first_month)},
         {"months", m.request.months},
         {"due", m.due},
         {"allocated", m.allocated},
         {"shortfall", m.shortfall},
         {"excess", m.excess},
         {"entry_id", m.entry_id}});
  }
  return j;
}

// The recorded remittance as a report (a retry's answer): its entries in
// the caller's area, member by member.
Result<insurance::RemittanceReport> RecordedRemittance(
    insurance::Repository &ins, const store::AreaFilter &area,
    const insurance::Remittance &rem) {
  insurance::RemittanceReport rep;
  rep.remittance_id = rem.id;
  rep.allocated = rem.allocated;
  rep.unallocated = rem.unallocated;
  MALCHIN_ASSIGN_OR_RETURN(auto entries, ins.RemittanceEntries(area, rem.id));
  for (const auto &e : entries) {
    insurance::MemberAllocation a;
    a.request.register_no = e.register_no;
    a.request.scheme = e.scheme;
    a.request.first_month = e.first_month;
    a.request.months = e.months;
    a.due = e.due;
    a.allocated = e.amount;
    a.shortfall = std::max<int64_t>(0, e.due - e.amount);
    a.excess = std::max<int64_t>(0, e.amount - e.due);
    a.entry_id = e.id;
    rep.members.push_back(std::move(a));
  }
  return rep;
}

Result<registry::AreaLevel> LevelFrom(const std::string &by) {
  if (by == "nation") return registry::AreaLevel::kNation;
  if (by == "aimag") return registry::AreaLevel::kAimag;
  if (by == "soum") return registry::AreaLevel::kSoum;
  return Status::InvalidArgument(
      "by '" + by + "': expected nation, aimag or soum", "by");
}

// The coverage query of GET /api/v1/insurance/coverage.
struct CoverageRequest {
  insurance::CoverageQuery query;
  bool herders_only = true;
  std::string by;
};

Result<CoverageRequest> CoverageFrom(const http::Request &r, Date ref) {
  CoverageRequest out;
  insurance::CoverageQuery &q = out.query;
  int32_t from = insurance::MonthOf(ref), to = from;
  if (auto m = r.Query("month")) {
    MALCHIN_ASSIGN_OR_RETURN(from, MonthField(*m, "month"));
    to = from;
  }
  if (auto m = r.Query("from")) {
    MALCHIN_ASSIGN_OR_RETURN(from, MonthField(*m, "from"));
  }
  if (auto m = r.Query("to")) {
    MALCHIN_ASSIGN_OR_RETURN(to, MonthField(*m, "to"));
  }
  MALCHIN_ASSIGN_OR_RETURN(auto step, QueryInt(r, "step", 1, 120));
  int32_t st = static_cast<int32_t>(step.value_or(12));
  if (to < from || (to - from) / st >= 120) {
    return Status::InvalidArgument(
        "from/to: expected from <= to and at most 120 points", "to");
  }
  for (int32_t m = from; m <= to; m += st) q.months.push_back(m);
  out.by = r.Query("by").value_or("soum");
  MALCHIN_ASSIGN_OR_RETURN(q.level, LevelFrom(out.by));
  std::string split = r.Query("split").value_or("sex,age");
  q.by_sex = q.by_age_band = q.by_disability = false;
  if (split != "none") {
    std::string_view s = split;
    while (!s.empty()) {
      size_t comma = s.find(',');
      std::string_view part = s.substr(0, comma);
      if (part == "sex") {
        q.by_sex = true;
      } else if (part == "age") {
        q.by_age_band = true;
      } else if (part == "disability") {
        q.by_disability = true;
      } else {
        return Status::InvalidArgument(
            "split '" + split +
                "': expected any of sex, age, disability (comma-separated) "
                "or none",
            "split");
      }
      if (comma == std::string_view::npos) break;
      s.remove_prefix(comma + 1);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto all_ages, QueryBool(r, "all_ages"));
  MALCHIN_ASSIGN_OR_RETURN(auto all_persons, QueryBool(r, "all_persons"));
  q.working_age = !all_ages.value_or(false);
  out.herders_only = !all_persons.value_or(false);
  return out;
}

// The soum of an outreach list: ?soum=, else the soum officer's own; it
// must lie in the caller's area.
Result<store::AreaFilter> OutreachArea(const http::Request &r,
                                       const store::AreaFilter &scope) {
  MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(r, "soum", 10000, 99999));
  store::AreaFilter a;
  a.soum_code = static_cast<int32_t>(soum.value_or(scope.soum_code));
  if (!a.soum_code) {
    return Status::InvalidArgument(
        "an outreach list is for one soum: give soum (its code)", "soum");
  }
  if (!scope.Matches(a.soum_code)) {
    return Status::PermissionDenied("soum " + std::to_string(a.soum_code) +
                                    " is outside your area");
  }
  return a;
}

// `s` if it is safe in a file name ([A-Za-z0-9_-], 1-20 bytes), else "".
std::string FileNamePart(const std::string &s) {
  if (s.empty() || s.size() > 20) return "";
  for (char ch : s) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
    if (!ok) return "";
  }
  return s;
}

// The phone to call: the person's, else the household's.
const std::string &PhoneOf(const insurance::InsuranceSnapshot &snap, size_t p) {
  size_t h = snap.household[p];
  return snap.phone[p].empty() ? snap.household_phone[h] : snap.phone[p];
}

// GET /api/v1/insurance/coverage/persons: the figure a list is behind.
struct PersonListRequest {
  insurance::CoverageQuery query;  // Only months[0] and working_age used.
  insurance::CoverageCell cell;    // area 0 (the snapshot is the area).
  store::AreaFilter area;          // The caller's area, narrowed.
  InsuranceScheme scheme = InsuranceScheme::kSocial;
  bool covered = true;
  bool herders_only = true;
};

// The area of a person list: the caller's, narrowed by ?aimag= and ?soum=;
// asking for a place outside the caller's area is refused (403).
Result<store::AreaFilter> ListArea(const http::Request &r,
                                   const store::AreaFilter &scope) {
  MALCHIN_ASSIGN_OR_RETURN(auto aimag, QueryInt(r, "aimag", 1, 999));
  MALCHIN_ASSIGN_OR_RETURN(auto soum, QueryInt(r, "soum", 10000, 99999));
  store::AreaFilter a = scope;
  if (aimag) {
    int32_t code = static_cast<int32_t>(*aimag);
    bool outside = (scope.aimag_code && scope.aimag_code != code) ||
                   (scope.soum_code && scope.soum_code / 100 != code);
    if (outside) {
      return Status::PermissionDenied("aimag " + std::to_string(code) +
                                      " is outside your area");
    }
    a.aimag_code = code;
  }
  if (soum) {
    int32_t code = static_cast<int32_t>(*soum);
    if (!scope.Matches(code)) {
      return Status::PermissionDenied("soum " + std::to_string(code) +
                                      " is outside your area");
    }
    if (aimag && code / 100 != *aimag) {
      return Status::InvalidArgument("soum " + std::to_string(code) +
                                         " is not in aimag " +
                                         std::to_string(*aimag),
                                     "soum");
    }
    a.soum_code = code;
  }
  return a;
}

Result<PersonListRequest> PersonListFrom(const http::Request &r, Date ref,
                                         const store::AreaFilter &scope) {
  PersonListRequest out;
  int32_t month = insurance::MonthOf(ref);
  if (auto m = r.Query("month")) {
    MALCHIN_ASSIGN_OR_RETURN(month, MonthField(*m, "month"));
  }
  out.query.months = {month};
  out.query.level = registry::AreaLevel::kNation;
  out.cell.month = month;
  out.cell.area = 0;
  MALCHIN_ASSIGN_OR_RETURN(
      out.scheme, SchemeField(r.Query("scheme").value_or("social"), "scheme"));
  if (auto sx = r.Query("sex")) {
    auto parsed = registry::ParseSex(*sx);
    if (!parsed.ok()) {
      return Status::InvalidArgument("sex '" + *sx + "': expected F or M",
                                     "sex");
    }
    out.cell.sex = static_cast<int8_t>(*parsed);
  }
  if (auto band = r.Query("age_band")) {
    for (int b = 0; b < registry::kAgeBandCount; ++b) {
      if (registry::AgeBandName(b) == *band) {
        out.cell.age_band = static_cast<int8_t>(b);
      }
    }
    if (out.cell.age_band < 0) {
      std::string names;
      for (int b = 0; b < registry::kAgeBandCount; ++b) {
        names += (b ? ", " : "") + std::string(registry::AgeBandName(b));
      }
      return Status::InvalidArgument(
          "age_band '" + *band + "': expected one of " + names, "age_band");
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(auto dis, QueryBool(r, "disability"));
  if (dis) out.cell.disability = *dis ? 1 : 0;
  MALCHIN_ASSIGN_OR_RETURN(auto covered, QueryBool(r, "covered"));
  out.covered = covered.value_or(true);
  MALCHIN_ASSIGN_OR_RETURN(auto all_ages, QueryBool(r, "all_ages"));
  MALCHIN_ASSIGN_OR_RETURN(auto all_persons, QueryBool(r, "all_persons"));
  out.query.working_age = !all_ages.value_or(false);
  out.herders_only = !all_persons.value_or(false);
  out.query.by_sex = out.cell.sex >= 0;
  out.query.by_age_band = out.cell.age_band >= 0;
  out.query.by_disability = out.cell.disability >= 0;
  MALCHIN_ASSIGN_OR_RETURN(out.area, ListArea(r, scope));
  return out;
}

// The whole outreach list as CSV (printable, for a spreadsheet), every
// person on it recorded as read.
Result<http::Response> OutreachCsv(
    Call &c, const insurance::InsuranceSnapshot &snap,
    const insurance::OutreachList &list, const store::AreaFilter &area,
    const std::string &bag, const insurance::OutreachOptions &opt, bool mn) {
  std::string out = insurance::OutreachCsv(snap, list, mn);
  std::string b = FileNamePart(bag);
  const std::string file =
      "outreach_" + std::to_string(area.soum_code) +
      (b.empty() ? "" : "_bag" + b) + "_" +
      std::string(insurance::InsuranceSchemeName(opt.scheme)) + "_" +
      opt.as_of.ToString() + ".csv";
  // One audit entry for the whole list (file, persons, area), durable
  // before the file leaves (exports.h).
  MALCHIN_RETURN_IF_ERROR(
      RecordBulkRead(c.session, "insurance.outreach.csv", file,
                     static_cast<int64_t>(list.items.size()), area));
  return CsvAttachment(std::move(out), file);
}

// The idempotency key of a visit: the Idempotency-Key header as for
// payments, but optional (visits recorded without one are not deduplicated).
Result<std::string> OptionalIdempotencyKey(const http::Request &r) {
  if (r.Header("idempotency-key").empty()) return std::string();
  return IdempotencyKey(r);
}

json VisitJson(const insurance::Visit &v, bool replayed) {
  return {{"visit_id", v.id},
          {"register_no", v.register_no},
          {"visited_on", v.visited_on.ToString()},
          {"outcome", insurance::VisitOutcomeName(v.outcome)},
          {"officer", v.officer},
          {"note", v.note},
          {"replayed", replayed}};
}

}  // namespace

void AddInsuranceRoutes(Api *api) {
  Services *services = &api->services();
  using auth::Permission;

  // --- Coverage
  // ---------------------------------------------------------------
  http::RouteDoc coverage;
  coverage.summary =
      "Coverage rates of herders in your area by area x sex x age band x "
      "disability, socially and health insured, against the targets "
      "(parameters insurance.target.*); aggregates only";
  coverage.tag = kTag;
  coverage.query = {
      {"month", "query", "reference month YYYY-MM (default: the register date)",
       false, "string"},
      {"from", "query", "first month of a series YYYY-MM", false, "string"},
      {"to", "query", "last month of a series YYYY-MM", false, "string"},
      {"step", "query", "months between points (default 12)", false, "integer"},
      {"by", "query", "nation, aimag or soum (default soum)", false, "string"},
      {"split", "query",
       "any of sex, age, disability (comma-separated) or none (default "
       "sex,age)",
       false, "string"},
      {"all_ages", "query", "everyone, not only working age", false, "boolean"},
      {"all_persons", "query", "all persons, not only herders", false,
       "boolean"},
      {"aimag", "query", "only this aimag (inside your area)", false,
       "integer"},
      {"soum", "query", "only this soum (inside your area)", false, "integer"}};
  coverage.responses = {{200, "The cells and the targets"},
                        {400, "A bad parameter (named in error.field)"},
                        {403, "aimag or soum outside your area"}};
  api->Add(
      "GET", "/api/v1/insurance/coverage", coverage, Permission::kReadStats,
      [](Call &c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(
            c.request, {"month", "from", "to", "step", "by", "split",
                        "all_ages", "all_persons", "aimag", "soum"}));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area,
                                 ListArea(c.request, x.area));
        // An aggregate without personal data: read from the replica when
        // the server has one (serve --read-db).
        MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(c.reports));
        MALCHIN_ASSIGN_OR_RETURN(CoverageRequest q,
                                 CoverageFrom(c.request, ref));
        insurance::SnapshotOptions so;
        so.herders_only = q.herders_only;
        so.names = false;
        MALCHIN_ASSIGN_OR_RETURN(
            insurance::InsuranceSnapshot snap,
            c.reports.Get<insurance::Repository>().LoadSnapshot(area, so));
        MALCHIN_ASSIGN_OR_RETURN(
            insurance::CoverageTable t,
            insurance::ComputeCoverage(*x.params, snap, q.query));
        json targets = json::array();
        for (size_t i = 0; i < q.query.months.size(); ++i) {
          targets.push_back({{"month", insurance::MonthName(q.query.months[i])},
                             {"social", t.target[0][i]},
                             {"health", t.target[1][i]}});
        }
        json cells = json::array();
        for (const auto &cell : t.cells) {
          json j = {{"month", insurance::MonthName(cell.month)},
                    {"area", cell.area},
                    {"persons", cell.persons},
                    {"social_insured", cell.insured[0]},
                    {"health_insured", cell.insured[1]},
                    {"social_rate", cell.rate(InsuranceScheme::kSocial)},
                    {"health_rate", cell.rate(InsuranceScheme::kHealth)}};
          if (cell.sex >= 0) j["sex"] = cell.sex ? "M" : "F";
          if (cell.age_band >= 0) {
            j["age_band"] = registry::AgeBandName(cell.age_band);
          }
          if (cell.disability >= 0) j["disability"] = cell.disability != 0;
          cells.push_back(std::move(j));
        }
        return JsonResponse(
            200, {{"register_date", ref.ToString()},
                  {"population", q.herders_only ? "herders" : "all persons"},
                  {"working_age", q.query.working_age},
                  {"by", q.by},
                  {"targets", targets},
                  {"cells", cells}});
      });

  // --- The persons behind a coverage figure --------------------------------
  http::RouteDoc cov_persons;
  cov_persons.summary =
      "The persons behind a coverage figure (as `malchin insurance coverage "
      "--list`): herders of your area (narrowed by aimag and soum) of working "
      "age in the month, of the cell's sex, age band and disability, covered "
      "by the scheme or not. Names: read_register only (never the analyst); "
      "each person shown is recorded as a read. JSON paged by register "
      "number within soum, with the total; CSV (format=csv or Accept: "
      "text/csv) is the whole list as an attachment";
  cov_persons.tag = kTag;
  cov_persons.query = {
      {"scheme", "query", "social (default) or health", false, "string"},
      {"month", "query", "YYYY-MM (default: the register date's month)", false,
       "string"},
      {"aimag", "query", "aimag code (inside your area)", false, "integer"},
      {"soum", "query", "soum code (inside your area)", false, "integer"},
      {"sex", "query", "F or M (default both)", false, "string"},
      {"age_band", "query", "e.g. 18-29, 30-44, 45-59, 60+ (default all)",
       false, "string"},
      {"disability", "query", "true or false (default both)", false, "boolean"},
      {"covered", "query",
       "true (default): the insured behind the figure; false: the uninsured",
       false, "boolean"},
      {"all_ages", "query", "everyone, not only working age", false, "boolean"},
      {"all_persons", "query", "all persons, not only herders", false,
       "boolean"},
      {"page", "query", "1-based page (default 1; JSON only)", false,
       "integer"},
      {"page_size", "query", "1..500 (default 50; JSON only)", false,
       "integer"},
      {"format", "query", "json (default) or csv", false, "string"}};
  cov_persons.responses = {
      {200, "A page of the list (JSON) or all of it (CSV)"},
      {400, "A bad parameter (named in error.field)"},
      {403, "The aimag or soum is outside your area"}};
  api->Add(
      "GET", "/api/v1/insurance/coverage/persons", cov_persons,
      Permission::kReadRegister, [services](Call &c) -> Result<http::Response> {
        const http::Request &r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"scheme", "month", "aimag", "soum", "sex",
                           "age_band", "disability", "covered", "all_ages",
                           "all_persons", "page", "page_size", "format"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(r));
        MALCHIN_ASSIGN_OR_RETURN(auto page, QueryInt(r, "page", 1, 1000000));
        MALCHIN_ASSIGN_OR_RETURN(auto size, QueryInt(r, "page_size", 1, 500));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(c.session));
        MALCHIN_ASSIGN_OR_RETURN(PersonListRequest q,
                                 PersonListFrom(r, ref, x.area));
        insurance::SnapshotOptions so;
        so.herders_only = q.herders_only;
        MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                                 x.ins->LoadSnapshot(q.area, so));
        MALCHIN_ASSIGN_OR_RETURN(
            std::vector<uint32_t> persons,
            insurance::PersonsInCell(*x.params, snap, q.query, q.cell, q.scheme,
                                     q.covered));
        auto soum_of = [&](uint32_t p) {
          return snap.soum_code[snap.household[p]];
        };
        std::sort(persons.begin(), persons.end(), [&](uint32_t a, uint32_t b) {
          if (soum_of(a) != soum_of(b)) return soum_of(a) < soum_of(b);
          return snap.register_no[a] < snap.register_no[b];
        });
        Date on = insurance::FirstDayOf(q.cell.month);
        size_t first = 0, last = persons.size();
        int64_t pg = page.value_or(1), ps = size.value_or(50);
        if (!csv) {
          first = std::min(persons.size(), static_cast<size_t>((pg - 1) * ps));
          last = std::min(persons.size(), first + static_cast<size_t>(ps));
        }
        std::vector<std::string> rns, hhs;
        for (size_t i = first; i < last; ++i) {
          rns.push_back(snap.register_no[persons[i]]);
          hhs.push_back(snap.household_id[snap.household[persons[i]]]);
        }
        std::string scheme(insurance::InsuranceSchemeName(q.scheme));
        std::string month = insurance::MonthName(q.cell.month);
        if (csv) {
          std::string out;
          csv::AppendRow(
              &out, {"register_no", "name", "sex", "birth_date", "age",
                     "disability", "soum_code", "bag", "household_id", "phone",
                     "scheme", "month", "covered"});
          for (uint32_t p : persons) {
            size_t h = snap.household[p];
            Date birth = Date::FromDays(snap.birth_days[p]);
            csv::AppendRow(
                &out,
                {snap.register_no[p], snap.name[p], snap.sex[p] ? "M" : "F",
                 birth.ToString(), std::to_string(birth.AgeOn(on)),
                 snap.disability[p] ? "true" : "false",
                 std::to_string(snap.soum_code[h]), snap.bag[h],
                 snap.household_id[h], PhoneOf(snap, p), scheme, month,
                 q.covered ? "true" : "false"});
          }
          std::string area =
              q.area.soum_code
                  ? "_" + std::to_string(q.area.soum_code)
                  : (q.area.aimag_code ? "_" + std::to_string(q.area.aimag_code)
                                       : "");
          const std::string file = "coverage_persons" + area + "_" + scheme +
                                   "_" + month +
                                   (q.covered ? "" : "_uninsured") + ".csv";
          // One audit entry for the whole list (exports.h).
          MALCHIN_RETURN_IF_ERROR(
              RecordBulkRead(c.session, "insurance.coverage.csv", file,
                             static_cast<int64_t>(rns.size()), q.area));
          return CsvAttachment(std::move(out), file);
        }
        json items = json::array();
        for (size_t i = first; i < last; ++i) {
          uint32_t p = persons[i];
          size_t h = snap.household[p];
          Date birth = Date::FromDays(snap.birth_days[p]);
          items.push_back({{"register_no", snap.register_no[p]},
                           {"name", snap.name[p]},
                           {"sex", snap.sex[p] ? "M" : "F"},
                           {"birth_date", birth.ToString()},
                           {"age", birth.AgeOn(on)},
                           {"disability", snap.disability[p] != 0},
                           {"soum_code", snap.soum_code[h]},
                           {"bag", snap.bag[h]},
                           {"household_id", snap.household_id[h]},
                           {"phone", PhoneOf(snap, p)}});
        }
        MALCHIN_RETURN_IF_ERROR(Reads(
            *services, c, rns, hhs, "GET /api/v1/insurance/coverage/persons"));
        json j = {
            {"scheme", scheme},
            {"month", month},
            {"covered", q.covered},
            {"population", q.herders_only ? "herders" : "all persons"},
            {"working_age", q.query.working_age},
            {"aimag",
             q.area.aimag_code ? json(q.area.aimag_code) : json(nullptr)},
            {"soum", q.area.soum_code ? json(q.area.soum_code) : json(nullptr)},
            {"total", persons.size()},
            {"page", pg},
            {"page_size", ps},
            {"items", std::move(items)}};
        j["sex"] =
            q.cell.sex >= 0 ? json(q.cell.sex ? "M" : "F") : json(nullptr);
        j["age_band"] = q.cell.age_band >= 0
                            ? json(registry::AgeBandName(q.cell.age_band))
                            : json(nullptr);
        j["disability"] = q.cell.disability >= 0 ? json(q.cell.disability != 0)
                                                 : json(nullptr);
        return JsonResponse(200, j);
      });

  // --- A person's status and history ---------------------------------------
  http::RouteDoc status;
  status.summary =
      "A person's insurance status: covered this month (register date) or "
      "not, by scheme, and the months of each scheme (covered, partial, "
      "paid twice); recorded as a read of personal data";
  status.tag = kTag;
  status.responses = {{200, "The person and a statement per scheme"},
                      {400, "Not a register number"},
                      {404, "No active person in your area"}};
  api->Add(
      "GET", "/api/v1/insurance/persons/{register_no}", status,
      Permission::kReadRegister, [services](Call &c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        std::string rn;
        MALCHIN_RETURN_IF_ERROR(
            CheckRegisterNo(c.request.params["register_no"], &rn));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(auto person, x.ins->FindPerson(x.area, rn));
        if (!person) return Status::NotFound("no active person " + rn);
        MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(c.session));
        int32_t month = insurance::MonthOf(ref);
        json schemes = json::array();
        json now = json::object();
        for (auto s : {InsuranceScheme::kSocial, InsuranceScheme::kHealth}) {
          MALCHIN_ASSIGN_OR_RETURN(
              insurance::Statement st,
              insurance::StatementFor(*x.ins, *x.params, x.area, rn, s));
          bool covered = false;
          for (const auto &span : st.covered) {
            covered = covered ||
                      (span.first_month <= month && month <= span.last_month);
          }
          now[std::string(insurance::InsuranceSchemeName(s))] = covered;
          schemes.push_back(insurance::StatementJson(st));
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, {rn},
                                      {person->household_id},
                                      "GET /api/v1/insurance/persons/"
                                      "{register_no}"));
        return JsonResponse(200, {{"person", PersonJson(*person)},
                                  {"month", insurance::MonthName(month)},
                                  {"covered_now", now},
                                  {"schemes", schemes}});
      });

  http::RouteDoc history;
  history.summary =
      "A person's ledger (every entry, reversals included, by id), service "
      "credits and outreach visits; recorded as a read of personal data";
  history.tag = kTag;
  history.responses = {{200, "Entries, service credits and visits"},
                       {404, "No active person in your area"}};
  api->Add(
      "GET", "/api/v1/insurance/persons/{register_no}/history", history,
      Permission::kReadRegister, [services](Call &c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {}));
        std::string rn;
        MALCHIN_RETURN_IF_ERROR(
            CheckRegisterNo(c.request.params["register_no"], &rn));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(auto person, x.ins->FindPerson(x.area, rn));
        if (!person) return Status::NotFound("no active person " + rn);
        MALCHIN_ASSIGN_OR_RETURN(auto entries, x.ins->Entries(x.area, rn));
        MALCHIN_ASSIGN_OR_RETURN(auto credits,
                                 x.ins->ServiceCredits(x.area, rn));
        MALCHIN_ASSIGN_OR_RETURN(auto visits, x.ins->Visits(x.area, rn));
        json e = json::array(), cr = json::array(), v = json::array();
        for (const auto &entry : entries) e.push_back(EntryJson(entry));
        for (const auto &k : credits) {
          cr.push_back({{"months", k.months},
                        {"herding_months", k.herding_months},
                        {"until", insurance::MonthName(k.until_month)},
                        {"average_income", k.average_income},
                        {"source", k.source}});
        }
        for (const auto &w : visits) {
          v.push_back({{"visit_id", w.id},
                       {"visited_on", w.visited_on.ToString()},
                       {"outcome", insurance::VisitOutcomeName(w.outcome)},
                       {"officer", w.officer},
                       {"note", w.note}});
        }
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, {rn},
                                      {person->household_id},
                                      "GET /api/v1/insurance/persons/"
                                      "{register_no}/history"));
        return JsonResponse(200, {{"register_no", rn},
                                  {"entries", e},
                                  {"service_credits", cr},
                                  {"visits", v}});
      });

  // --- Contributions ---------------------------------------------------------
  http::RouteDoc pay;
  pay.summary =
      "Record a contribution for a person: {scheme, from: YYYY-MM, months, "
      "method: cash|bank|in_kind|raw_material_subsidy|government_subsidy, "
      "amount? (default: what is due), income? (social: declared monthly "
      "income), item? and quantity? (in kind: valued at the dated price "
      "table of the person's aimag, valuation kept), payer?, date?, note?}. "
      "Requires an Idempotency-Key header: a retry with the same key returns "
      "the recorded payment (200, replayed) instead of paying twice";
  pay.tag = kTag;
  pay.query = {{"Idempotency-Key", "header",
                "a key unique to this payment (e.g. a UUID), the same on a "
                "retry",
                true, "string"}};
  pay.request_schema =
      R"({"type":"object","required":["scheme","from"],"additionalProperties":false,"properties":{"scheme":{"type":"string","enum":["social","health"]},"from":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$"},"months":{"type":"integer","minimum":1,"maximum":120},"method":{"type":"string","enum":["cash","bank","in_kind","raw_material_subsidy","government_subsidy"]},"amount":{"type":"integer","minimum":0},"income":{"type":"integer","minimum":0},"item":{"type":"string","enum":["camel","horse","cattle","sheep","goat","sheep_wool","camel_wool","cashmere"]},"quantity":{"type":"number","exclusiveMinimum":0},"payer":{"type":"string"},"date":{"type":"string","format":"date"},"note":{"type":"string"}}})";
  pay.responses = {
      {201, "Recorded: the entry and the scheme's statement after it"},
      {200, "Already recorded with this Idempotency-Key (replayed)"},
      {400, "Bad input (error.field names it)"},
      {403, "The person is outside your area"},
      {404, "No active person in your area"},
      {409, "The Idempotency-Key was used for a different payment"}};
  api->Add(
      "POST", "/api/v1/insurance/persons/{register_no}/contributions", pay,
      Permission::kWriteInsurance, [](Call &c) -> Result<http::Response> {
        std::string rn;
        MALCHIN_RETURN_IF_ERROR(
            CheckRegisterNo(c.request.params["register_no"], &rn));
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(insurance::PaymentRequest r,
                                 PaymentFrom(c.request.body, rn));
        r.client_key = key;
        r.today = c.session.clock().Today();
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        auto replay = [&]() -> Result<std::optional<http::Response>> {
          MALCHIN_ASSIGN_OR_RETURN(auto done, x.ins->FindEntryByClientKey(
                                                  x.area, c.who.username, key));
          if (!done) return std::optional<http::Response>();
          if (!SamePayment(*done, r)) {
            return Status::AlreadyExists(
                "Idempotency-Key '" + key +
                "' was already used for a different payment (entry " +
                std::to_string(done->id) + " for " + done->register_no +
                "); use a new key for a new payment");
          }
          MALCHIN_ASSIGN_OR_RETURN(
              insurance::Statement st,
              insurance::StatementFor(*x.ins, *x.params, x.area,
                                      done->register_no, done->scheme));
          return std::optional<http::Response>(
              JsonResponse(200, ReceiptJson(*done, st, true)));
        };
        MALCHIN_ASSIGN_OR_RETURN(auto earlier, replay());
        if (earlier) return std::move(*earlier);
        auto rc =
            insurance::RecordPayment(*x.ins, *x.params, x.area, r, x.change);
        if (rc.status().code() == StatusCode::kAlreadyExists) {
          // A concurrent request with the same key won the race.
          MALCHIN_ASSIGN_OR_RETURN(auto again, replay());
          if (again) return std::move(*again);
        }
        MALCHIN_RETURN_IF_ERROR(rc.status());
        json receipt = ReceiptJson(rc->entry, rc->statement, false);
        receipt["credit"] = rc->credit;  // In kind: the surplus kept.
        http::Response resp = JsonResponse(201, receipt);
        resp.SetHeader("Location",
                       "/api/v1/insurance/persons/" + rn + "/history");
        return resp;
      });

  http::RouteDoc remit;
  remit.summary =
      "Record a cooperative's payment for its members: {cooperative, amount, "
      "method?: bank|cash, date?, note?, members: [{register_no, scheme, "
      "from, months, income?, amount?}]}. Explicit member amounts first, the "
      "rest to the others in order, each up to their due; what is left is "
      "kept as the cooperative's credit. Returns the reconciliation member "
      "by member. Requires an Idempotency-Key header";
  remit.tag = kTag;
  remit.query = pay.query;
  remit.request_schema =
      R"({"type":"object","required":["cooperative","amount","members"],"additionalProperties":false,"properties":{"cooperative":{"type":"string"},"amount":{"type":"integer","minimum":1},"method":{"type":"string","enum":["bank","cash"]},"date":{"type":"string","format":"date"},"note":{"type":"string"},"members":{"type":"array","maxItems":5000,"items":{"type":"object","required":["register_no","scheme","from"],"additionalProperties":false,"properties":{"register_no":{"type":"string"},"scheme":{"type":"string","enum":["social","health"]},"from":{"type":"string"},"months":{"type":"integer","minimum":1,"maximum":120},"income":{"type":"integer","minimum":0},"amount":{"type":"integer","minimum":0}}}}}})";
  remit.responses = {
      {201, "Recorded: the reconciliation"},
      {200, "Already recorded with this Idempotency-Key (replayed)"},
      {400, "Bad input"},
      {403, "A member is outside your area (nothing is written)"},
      {404, "A member is unknown or inactive (nothing is written)"},
      {409, "The Idempotency-Key was used for a different remittance"}};
  api->Add(
      "POST", "/api/v1/insurance/remittances", remit,
      Permission::kWriteInsurance, [](Call &c) -> Result<http::Response> {
        MALCHIN_ASSIGN_OR_RETURN(std::string key, IdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(insurance::RemittanceRequest r,
                                 RemittanceFrom(c.request.body));
        r.client_key = key;
        r.today = c.session.clock().Today();
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        auto replay = [&]() -> Result<std::optional<http::Response>> {
          MALCHIN_ASSIGN_OR_RETURN(
              auto done, x.ins->FindRemittanceByClientKey(c.who.username, key));
          if (!done) return std::optional<http::Response>();
          if (done->payer != r.cooperative || done->amount != r.amount) {
            return Status::AlreadyExists(
                "Idempotency-Key '" + key +
                "' was already used for a different remittance (" +
                std::to_string(done->id) + " from " + done->payer +
                "); use a new key for a new remittance");
          }
          MALCHIN_ASSIGN_OR_RETURN(auto rep,
                                   RecordedRemittance(*x.ins, x.area, *done));
          return std::optional<http::Response>(
              JsonResponse(200, RemittanceJson(rep, true)));
        };
        MALCHIN_ASSIGN_OR_RETURN(auto earlier, replay());
        if (earlier) return std::move(*earlier);
        auto rep =
            insurance::RecordRemittance(*x.ins, *x.params, x.area, r, x.change);
        if (rep.status().code() == StatusCode::kAlreadyExists) {
          MALCHIN_ASSIGN_OR_RETURN(auto again, replay());
          if (again) return std::move(*again);
        }
        MALCHIN_RETURN_IF_ERROR(rep.status());
        return JsonResponse(201, RemittanceJson(*rep, false));
      });

  http::RouteDoc reverse;
  reverse.summary =
      "Correct a ledger entry by reversing it (a new entry with the negated "
      "amount; entries are never edited): {reason, date?}. Then record the "
      "right payment. An entry can be reversed once";
  reverse.tag = kTag;
  reverse.request_schema =
      R"({"type":"object","required":["reason"],"additionalProperties":false,"properties":{"reason":{"type":"string"},"date":{"type":"string","format":"date"}}})";
  reverse.responses = {{201, "The reversing entry and the statement after it"},
                       {404, "No such entry in your area"},
                       {409, "Already reversed, or itself a reversal"}};
  api->Add(
      "POST", "/api/v1/insurance/entries/{entry_id}/reverse", reverse,
      Permission::kWriteInsurance, [](Call &c) -> Result<http::Response> {
        const std::string &raw = c.request.params["entry_id"];
        bool digits = !raw.empty() && raw.size() <= 18;
        for (char ch : raw) digits = digits && ch >= '0' && ch <= '9';
        if (!digits) {
          return Status::InvalidArgument(
              "entry id '" + raw + "': expected a whole number", "entry_id");
        }
        int64_t id = std::stoll(raw);
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        MALCHIN_ASSIGN_OR_RETURN(std::string reason, in.String("reason"));
        MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("date"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        if (reason.empty() || reason.size() > 500) {
          return Status::InvalidArgument("reason: expected 1-500 bytes",
                                         "reason");
        }
        MALCHIN_ASSIGN_OR_RETURN(Date on,
                                 DateField(date, "date", Date::TodayUtc()));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        auto rc = insurance::ReverseEntry(*x.ins, *x.params, x.area, id, on,
                                          reason, x.change);
        MALCHIN_RETURN_IF_ERROR(rc.status());
        return JsonResponse(201, ReceiptJson(rc->entry, rc->statement, false));
      });

  // --- Pension ---------------------------------------------------------------
  http::RouteDoc pension;
  pension.summary =
      "Pension projection for a person from the ledger and service credits: "
      "retirement date, monthly pension and how it changes with N more "
      "years of contributions, every assumption in Mongolian and English; "
      "recorded as a read of personal data";
  pension.tag = kTag;
  pension.query = {
      {"more_years", "query",
       "comma-separated years still contributed (default 0,5,10,20)", false,
       "string"},
      {"income", "query",
       "declared monthly income for future months (default: the last "
       "declared)",
       false, "integer"},
      {"as_of", "query", "date of the projection (default: register date)",
       false, "string"}};
  pension.responses = {{200, "The projections"},
                       {404, "No active person in your area"}};
  api->Add(
      "GET", "/api/v1/insurance/persons/{register_no}/pension", pension,
      Permission::kReadRegister, [services](Call &c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(c.request, {"more_years", "income", "as_of"}));
        std::string rn;
        MALCHIN_RETURN_IF_ERROR(
            CheckRegisterNo(c.request.params["register_no"], &rn));
        MALCHIN_ASSIGN_OR_RETURN(auto more,
                                 MoreYears(c.request.Query("more_years")));
        MALCHIN_ASSIGN_OR_RETURN(
            auto income, QueryInt(c.request, "income", 0, 1'000'000'000'000));
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(c.session));
        MALCHIN_ASSIGN_OR_RETURN(
            Date as_of, DateField(c.request.Query("as_of"), "as_of", ref));
        MALCHIN_ASSIGN_OR_RETURN(
            insurance::PersonPension pp,
            insurance::PensionInputFor(*x.ins, *x.params, x.area, rn, as_of));
        if (pp.input.as_of <= pp.input.birth_date) {
          return Status::InvalidArgument("as_of: expected after the birth date",
                                         "as_of");
        }
        if (income) pp.input.declared_income = *income;
        MALCHIN_ASSIGN_OR_RETURN(json list,
                                 Projections(*x.params, pp.input, more));
        MALCHIN_RETURN_IF_ERROR(Reads(*services, c, {rn},
                                      {pp.person.household_id},
                                      "GET /api/v1/insurance/persons/"
                                      "{register_no}/pension"));
        return JsonResponse(
            200, {{"register_no", rn},
                  {"name", pp.person.name},
                  {"as_of", as_of.ToString()},
                  {"past_years", pp.input.past_years},
                  {"past_herding_years", pp.input.past_herding_years},
                  {"declared_income", pp.input.declared_income},
                  {"projections", list}});
      });

  http::RouteDoc what_if;
  what_if.summary =
      "Pension what-if for anyone (no personal data): birth date, sex, "
      "contribution and herding years so far, declared income and N more "
      "years; every assumption in Mongolian and English";
  what_if.tag = kTag;
  what_if.query = {
      {"birth_date", "query", "YYYY-MM-DD", true, "string"},
      {"sex", "query", "F or M", true, "string"},
      {"years", "query", "contribution years so far (default 0)", false,
       "string"},
      {"herding_years", "query", "of which as a herder (default 0)", false,
       "string"},
      {"income", "query", "declared monthly income (default minimum wage)",
       false, "integer"},
      {"more_years", "query", "comma-separated (default 0,5,10,20)", false,
       "string"},
      {"as_of", "query", "date of the projection (default today)", false,
       "string"}};
  what_if.responses = {{200, "The projections"}, {400, "Bad input"}};
  api->Add(
      "GET", "/api/v1/insurance/pension", what_if, Permission::kReadStats,
      [](Call &c) -> Result<http::Response> {
        const http::Request &r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"birth_date", "sex", "years", "herding_years",
                           "income", "more_years", "as_of"}));
        MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
        insurance::PensionInput in;
        auto birth = r.Query("birth_date");
        if (!birth) {
          return Status::InvalidArgument("birth_date is required",
                                         "birth_date");
        }
        MALCHIN_ASSIGN_OR_RETURN(in.birth_date,
                                 DateField(birth, "birth_date", Date()));
        auto sex = registry::ParseSex(r.Query("sex").value_or(""));
        if (!sex.ok()) {
          return Status::InvalidArgument("sex: expected F or M", "sex");
        }
        in.sex = *sex;
        MALCHIN_ASSIGN_OR_RETURN(
            in.as_of, DateField(r.Query("as_of"), "as_of", Date::TodayUtc()));
        auto number = [&](const char *name, double *out) -> Status {
          auto v = r.Query(name);
          if (!v) return Status::Ok();
          char *end = nullptr;
          double d = std::strtod(v->c_str(), &end);
          if (v->empty() || *end != '\0' || !(d >= 0 && d <= 60)) {
            return Status::InvalidArgument(
                std::string(name) + " '" + *v + "': expected 0 to 60 years",
                name);
          }
          *out = d;
          return Status::Ok();
        };
        MALCHIN_RETURN_IF_ERROR(number("years", &in.past_years));
        MALCHIN_RETURN_IF_ERROR(
            number("herding_years", &in.past_herding_years));
        if (in.past_herding_years > in.past_years + 1e-9) {
          return Status::InvalidArgument(
              "herding_years: expected at most years", "herding_years");
        }
        MALCHIN_ASSIGN_OR_RETURN(auto income,
                                 QueryInt(r, "income", 0, 1'000'000'000'000));
        in.declared_income = income.value_or(0);
        if (in.as_of <= in.birth_date) {
          return Status::InvalidArgument(
              "birth_date: expected before the projection date", "birth_date");
        }
        MALCHIN_ASSIGN_OR_RETURN(auto more, MoreYears(r.Query("more_years")));
        in.more_years =
            more.empty() ? 0 : *std::max_element(more.begin(), more.end());
        MALCHIN_RETURN_IF_ERROR(insurance::CheckPensionInput(*params, in));
        MALCHIN_ASSIGN_OR_RETURN(json list, Projections(*params, in, more));
        return JsonResponse(
            200, {{"as_of", in.as_of.ToString()}, {"projections", list}});
      });

  // --- Outreach
  // ----------------------------------------------------------------
  http::RouteDoc outreach;
  outreach.summary =
      "The uninsured herders of a soum (or bag) an officer should visit, by "
      "priority with the reasons (Mongolian and English), phone and camp "
      "location; paged. CSV (format=csv or Accept: text/csv): the whole "
      "list as an attachment to print or share (rank, score, phone, bag, "
      "camp location, reasons in the chosen language, last visit and its "
      "outcome). Each person shown is recorded as a read";
  outreach.tag = kTag;
  outreach.query = {
      {"soum", "query", "soum code (default: a soum officer's own)", false,
       "integer"},
      {"bag", "query", "only this bag", false, "string"},
      {"scheme", "query", "social (default) or health", false, "string"},
      {"as_of", "query", "date of the list (default: register date)", false,
       "string"},
      {"page", "query", "1-based page (default 1)", false, "integer"},
      {"page_size", "query", "1..500 (default 50)", false, "integer"},
      {"format", "query", "json (default) or csv (the whole list)", false,
       "string"},
      {"lang", "query", "language of the CSV's reasons: mn (default) or en",
       false, "string"}};
  outreach.responses = {{200, "A page of the list (JSON) or all of it (CSV)"},
                        {400, "No soum given"},
                        {403, "The soum is outside your area"}};
  api->Add(
      "GET", "/api/v1/insurance/outreach", outreach, Permission::kReadRegister,
      [services](Call &c) -> Result<http::Response> {
        const http::Request &r = c.request;
        MALCHIN_RETURN_IF_ERROR(
            CheckQuery(r, {"soum", "bag", "scheme", "as_of", "page",
                           "page_size", "format", "lang"}));
        MALCHIN_ASSIGN_OR_RETURN(bool csv, WantsCsv(r));
        std::string lang = r.Query("lang").value_or("mn");
        if (lang != "mn" && lang != "en") {
          return Status::InvalidArgument(
              "lang '" + lang + "': expected mn or en", "lang");
        }
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area,
                                 OutreachArea(r, x.area));
        insurance::OutreachOptions opt;
        MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(c.session));
        MALCHIN_ASSIGN_OR_RETURN(opt.as_of,
                                 DateField(r.Query("as_of"), "as_of", ref));
        MALCHIN_ASSIGN_OR_RETURN(
            opt.scheme,
            SchemeField(r.Query("scheme").value_or("social"), "scheme"));
        MALCHIN_ASSIGN_OR_RETURN(auto page, QueryInt(r, "page", 1, 1000000));
        MALCHIN_ASSIGN_OR_RETURN(auto size, QueryInt(r, "page_size", 1, 500));
        int64_t pg = page.value_or(1), ps = size.value_or(50);
        insurance::SnapshotOptions so;
        so.herders_only = false;
        so.bag = r.Query("bag").value_or("");
        if (so.bag.size() > 50) {
          return Status::InvalidArgument("bag: expected at most 50 bytes",
                                         "bag");
        }
        MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                                 x.ins->LoadSnapshot(area, so));
        MALCHIN_ASSIGN_OR_RETURN(
            insurance::OutreachList list,
            insurance::BuildOutreachList(*x.params, snap, opt));
        if (csv) {
          return OutreachCsv(c, snap, list, area, so.bag, opt, lang == "mn");
        }
        json items = json::array();
        std::vector<std::string> rns, hhs;
        size_t first = static_cast<size_t>((pg - 1) * ps);
        for (size_t i = first;
             i < list.items.size() && i < first + static_cast<size_t>(ps);
             ++i) {
          const auto &it = list.items[i];
          size_t h = snap.household[it.person];
          json j = {
              {"rank", i + 1},
              {"score", it.score},
              {"register_no", snap.register_no[it.person]},
              {"name", snap.name[it.person]},
              {"sex", snap.sex[it.person] ? "M" : "F"},
              {"age", it.age},
              {"contribution_years", it.contribution_years},
              {"bag", snap.bag[h]},
              {"household_id", snap.household_id[h]},
              {"phone", snap.phone[it.person].empty() ? snap.household_phone[h]
                                                      : snap.phone[it.person]},
              {"reasons_mn", it.reasons_mn},
              {"reasons_en", it.reasons_en}};
          j["lat"] = snap.lat[h] ? json(*snap.lat[h]) : json(nullptr);
          j["lon"] = snap.lon[h] ? json(*snap.lon[h]) : json(nullptr);
          items.push_back(std::move(j));
          rns.push_back(snap.register_no[it.person]);
          hhs.push_back(snap.household_id[h]);
        }
        MALCHIN_RETURN_IF_ERROR(
            Reads(*services, c, rns, hhs, "GET /api/v1/insurance/outreach"));
        return JsonResponse(
            200, {{"soum", area.soum_code},
                  {"bag", so.bag},
                  {"scheme", insurance::InsuranceSchemeName(opt.scheme)},
                  {"as_of", opt.as_of.ToString()},
                  {"total", list.items.size()},
                  {"page", pg},
                  {"page_size", ps},
                  {"skipped_recent_refusal", list.skipped_recent_refusal},
                  {"skipped_recent_enrolment", list.skipped_recent_enrolment},
                  {"items", items}});
      });

  http::RouteDoc visit;
  visit.summary =
      "Record an outreach visit and its outcome: {outcome: "
      "enrolled|refused|not_found, date?, note?}; the next outreach list "
      "takes it into account. With an Idempotency-Key header (as for "
      "contributions) a retry returns the recorded visit (200, replayed) "
      "instead of recording it twice; the same key for another visit is 409";
  visit.tag = kTag;
  visit.query = {{"Idempotency-Key", "header",
                  "a key unique to this visit (e.g. a UUID), the same on a "
                  "retry; recommended",
                  false, "string"}};
  visit.request_schema =
      R"({"type":"object","required":["outcome"],"additionalProperties":false,"properties":{"outcome":{"type":"string","enum":["enrolled","refused","not_found"]},"date":{"type":"string","format":"date"},"note":{"type":"string"}}})";
  visit.responses = {
      {201, "Recorded"},
      {200, "Already recorded with this Idempotency-Key (replayed)"},
      {400, "Bad input (error.field names it)"},
      {403, "The person is outside your area"},
      {404, "No active person"},
      {409, "The Idempotency-Key was used for a different visit"}};
  api->Add(
      "POST", "/api/v1/insurance/persons/{register_no}/visits", visit,
      Permission::kWriteInsurance, [](Call &c) -> Result<http::Response> {
        std::string rn;
        MALCHIN_RETURN_IF_ERROR(
            CheckRegisterNo(c.request.params["register_no"], &rn));
        MALCHIN_ASSIGN_OR_RETURN(std::string key,
                                 OptionalIdempotencyKey(c.request));
        MALCHIN_ASSIGN_OR_RETURN(JsonInput in,
                                 JsonInput::Parse(c.request.body));
        insurance::Visit v;
        v.register_no = rn;
        MALCHIN_ASSIGN_OR_RETURN(std::string outcome, in.String("outcome"));
        MALCHIN_ASSIGN_OR_RETURN(v.outcome,
                                 insurance::ParseVisitOutcome(outcome));
        MALCHIN_ASSIGN_OR_RETURN(auto date, in.OptString("date"));
        MALCHIN_ASSIGN_OR_RETURN(v.visited_on,
                                 DateField(date, "date", Date::TodayUtc()));
        MALCHIN_ASSIGN_OR_RETURN(auto note, in.OptString("note"));
        MALCHIN_RETURN_IF_ERROR(in.Finish());
        if (note) v.note = *note;
        if (v.note.size() > 500) {
          return Status::InvalidArgument("note: expected at most 500 bytes",
                                         "note");
        }
        if (v.visited_on > Date::TodayUtc()) {
          return Status::InvalidArgument("date " + v.visited_on.ToString() +
                                             ": a visit cannot be later "
                                             "than today",
                                         "date");
        }
        v.officer = c.who.username;
        v.client_key = key;
        MALCHIN_ASSIGN_OR_RETURN(Ctx x, Open(c));
        // A retry of the same visit (person, outcome, note, and the date if
        // one was sent) finds the recorded one; anything else under the key
        // is a different visit (409).
        auto replay = [&]() -> Result<std::optional<http::Response>> {
          if (key.empty()) return std::optional<http::Response>();
          MALCHIN_ASSIGN_OR_RETURN(auto done, x.ins->FindVisitByClientKey(
                                                  x.area, c.who.username, key));
          if (!done) return std::optional<http::Response>();
          bool same = done->register_no == rn && done->outcome == v.outcome &&
                      done->note == v.note &&
                      (!date || done->visited_on == v.visited_on);
          if (!same) {
            return Status::AlreadyExists(
                "Idempotency-Key '" + key +
                "' was already used for a different visit (visit " +
                std::to_string(done->id) + " to " + done->register_no +
                "); use a new key for a new visit");
          }
          return std::optional<http::Response>(
              JsonResponse(200, VisitJson(*done, true)));
        };
        MALCHIN_ASSIGN_OR_RETURN(auto earlier, replay());
        if (earlier) return std::move(*earlier);
        auto id = x.ins->AddVisit(x.area, v, x.change);
        if (id.status().code() == StatusCode::kAlreadyExists) {
          // A concurrent request with the same key won the race.
          MALCHIN_ASSIGN_OR_RETURN(auto again, replay());
          if (again) return std::move(*again);
        }
        MALCHIN_RETURN_IF_ERROR(id.status());
        v.id = *id;
        return JsonResponse(201, VisitJson(v, false));
      });
}

}  // namespace malchin::api
