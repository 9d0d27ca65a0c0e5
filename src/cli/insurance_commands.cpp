// CLI commands of social and health insurance: insurance pay, correct,
// coop-remit, coverage, outreach, visit, pension, seed-demo.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "auth/accounts.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "geo/geography.h"
#include "insurance/coverage.h"
#include "insurance/demo_histories.h"
#include "insurance/ledger_service.h"
#include "insurance/outreach.h"
#include "insurance/pension.h"
#include "insurance/repository.h"
#include "insurance/schemes.h"
#include "insurance/statement_json.h"
#include "params/parameters.h"
#include "registry/register_number.h"

namespace malchin::cli {
namespace {

using insurance::InsuranceScheme;
using nlohmann::json;

void AreaOptions(po::options_description& d) {
  d.add_options()("soum", po::value<std::string>(),
                  "only this soum (NSO code or name); a soum officer's scope")(
      "aimag", po::value<std::string>(),
      "only this aimag (NSO code or name); an aimag officer's scope");
}

// Who records: --actor (a registered account, checked by Open), else the
// OS user (cli::CliActor).
store::ChangeContext Context(const po::variables_map& vm,
                             const std::string& source) {
  return {vm.count("actor") ? vm["actor"].as<std::string>() : CliActor(),
          source};
}

Result<Date> DateOpt(const po::variables_map& vm, const char* name,
                     Date fallback) {
  if (!vm.count(name)) return fallback;
  auto d = Date::Parse(vm[name].as<std::string>());
  if (!d.ok()) return d.status().WithContext(std::string("--") + name);
  return d;
}

Result<int32_t> MonthOpt(const po::variables_map& vm, const char* name) {
  auto m = insurance::ParseMonth(vm[name].as<std::string>());
  if (!m.ok()) return m.status().WithContext(std::string("--") + name);
  return m;
}

// The register's reference date (demo registers carry one), else today.
Result<Date> RegisterDate(store::Session& s) {
  MALCHIN_ASSIGN_OR_RETURN(auto meta, s.GetMeta("register.as_of"));
  if (meta) {
    auto d = Date::Parse(*meta);
    if (d.ok()) return *d;
  }
  return Date::TodayUtc();
}

std::string Mnt(int64_t v) {
  bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(i, ",");
  return (neg ? "-" : "") + s;
}

struct Opened {
  std::unique_ptr<CliDb> store;
  insurance::Repository* ins = nullptr;
  std::shared_ptr<const params::ParameterSet> params;
  std::shared_ptr<const geo::Geography> geo;
  store::AreaFilter area;
};

Result<Opened> Open(const po::variables_map& vm) {
  Opened o;
  MALCHIN_ASSIGN_OR_RETURN(auto geo, geo::Geography::Load());
  MALCHIN_ASSIGN_OR_RETURN(o.area, AreaOption(vm, *geo));
  o.geo = std::move(geo);
  MALCHIN_ASSIGN_OR_RETURN(o.params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(o.store, OpenStore(vm, false));
  o.ins = &o.store->Get<insurance::Repository>();
  if (vm.count("actor")) {  // An account of this register, never a free name.
    const std::string name = vm["actor"].as<std::string>();
    MALCHIN_ASSIGN_OR_RETURN(
        auto user, o.store->Get<auth::AccountRepository>().FindUser(name));
    if (!user) {
      return Status::NotFound("--actor " + name +
                              ": no such account in this register (leave it "
                              "out to record as the OS user)");
    }
    if (user->disabled) {
      return Status::PermissionDenied("--actor " + name + " is disabled");
    }
  }
  return o;
}

void PrintStatement(const insurance::Statement& st, std::ostream& out) {
  out << insurance::InsuranceSchemeName(st.scheme) << ": " << st.covered_months
      << " month(s) covered";
  for (const auto& s : st.covered) {
    out << " [" << insurance::MonthName(s.first_month) << ".."
        << insurance::MonthName(s.last_month) << "]";
  }
  out << "; paid " << Mnt(st.total_paid) << " MNT";
  if (st.partial_months) {
    out << "; " << st.partial_months << " partial month(s), "
        << Mnt(st.shortfall) << " MNT short";
  }
  if (st.paid_twice_months) {
    out << "; " << st.paid_twice_months << " month(s) paid twice, "
        << Mnt(st.paid_twice_excess) << " MNT extra";
  }
  if (st.overpaid) out << "; overpaid " << Mnt(st.overpaid) << " MNT";
  if (!st.reversed.empty()) {
    out << "; " << st.reversed.size() << " reversed entr"
        << (st.reversed.size() == 1 ? "y" : "ies");
  }
  out << "\n";
}

// --- pay ---------------------------------------------------------------------

Status Pay(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  insurance::PaymentRequest r;
  r.register_no =
      registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
  MALCHIN_ASSIGN_OR_RETURN(r.scheme, insurance::ParseInsuranceScheme(
                                         vm["scheme"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(r.first_month, MonthOpt(vm, "from"));
  r.months = vm["months"].as<int>();
  MALCHIN_ASSIGN_OR_RETURN(r.paid_on, DateOpt(vm, "date", Date::TodayUtc()));
  if (vm.count("amount")) r.amount = vm["amount"].as<int64_t>();
  MALCHIN_ASSIGN_OR_RETURN(
      r.method, insurance::ParsePaymentMethod(vm["method"].as<std::string>()));
  if (vm.count("payer")) r.payer = vm["payer"].as<std::string>();
  if (vm.count("income")) r.declared_income = vm["income"].as<int64_t>();
  if (vm.count("item")) r.in_kind_item = vm["item"].as<std::string>();
  if (vm.count("quantity")) r.in_kind_quantity = vm["quantity"].as<double>();
  if (vm.count("note")) r.note = vm["note"].as<std::string>();
  if (r.method == insurance::PaymentMethod::kGovernmentSubsidy &&
      r.payer.empty()) {
    r.payer = "government";
  }
  if (vm.count("key")) r.client_key = vm["key"].as<std::string>();
  r.today = o.store->session().clock().Today();
  const store::ChangeContext who = Context(vm, "insurance pay");
  // The same --key again records nothing twice (as the API's
  // Idempotency-Key).
  auto replay = [&]() -> Result<bool> {
    if (r.client_key.empty()) return false;
    MALCHIN_ASSIGN_OR_RETURN(auto done, o.ins->FindEntryByClientKey(
                                            o.area, who.actor, r.client_key));
    if (!done) return false;
    io.out << "already recorded with key " << r.client_key << ": entry "
           << done->id << " (" << done->register_no << ", " << Mnt(done->amount)
           << " MNT); nothing was recorded again\n";
    return true;
  };
  MALCHIN_ASSIGN_OR_RETURN(bool earlier, replay());
  if (earlier) return Status::Ok();
  auto recorded = insurance::RecordPayment(*o.ins, *o.params, o.area, r, who);
  if (recorded.status().code() == StatusCode::kAlreadyExists) {
    MALCHIN_ASSIGN_OR_RETURN(bool raced, replay());
    if (raced) return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(insurance::PaymentReceipt rc, std::move(recorded));
  if (vm.count("json")) {
    json j = {{"entry_id", rc.entry_id},
              {"amount", rc.entry.amount},
              {"due", rc.entry.due},
              {"credit", rc.credit},
              {"statement", insurance::StatementJson(rc.statement)}};
    if (rc.entry.in_kind) {
      j["in_kind"] = insurance::InKindJson<nlohmann::json>(*rc.entry.in_kind);
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "entry " << rc.entry_id << ": " << r.register_no << " paid "
         << Mnt(rc.entry.amount) << " MNT (" << rc.entry.months
         << " month(s) from " << insurance::MonthName(rc.entry.first_month)
         << ", due " << Mnt(rc.entry.due) << ")\n";
  if (rc.entry.in_kind) {
    char q[32];
    std::snprintf(q, sizeof q, "%g", rc.entry.in_kind->quantity);
    io.out << "in kind: " << q << " x " << rc.entry.in_kind->item << " at "
           << Mnt(rc.entry.in_kind->unit_price) << " MNT (price from "
           << rc.entry.in_kind->price_from.ToString() << ", "
           << rc.entry.in_kind->price_source << ")\n";
  }
  if (rc.credit) {
    io.out << "surplus of " << Mnt(rc.credit)
           << " MNT kept as the payer's credit (remittance " << rc.remittance_id
           << ")\n";
  }
  PrintStatement(rc.statement, io.out);
  return Status::Ok();
}

// --- correct -----------------------------------------------------------------

Status Correct(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateOpt(vm, "date", Date::TodayUtc()));
  MALCHIN_ASSIGN_OR_RETURN(
      insurance::PaymentReceipt rc,
      insurance::ReverseEntry(
          *o.ins, *o.params, o.area, vm["entry"].as<int64_t>(), on,
          vm["reason"].as<std::string>(), Context(vm, "insurance correct")));
  io.out << "entry " << rc.entry_id << " reverses entry " << rc.entry.reverses
         << " (" << Mnt(rc.entry.amount) << " MNT) for " << rc.entry.register_no
         << "\n";
  PrintStatement(rc.statement, io.out);
  return Status::Ok();
}

// --- coop-remit --------------------------------------------------------------

Status CoopRemit(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  insurance::RemittanceRequest r;
  r.cooperative = vm["cooperative"].as<std::string>();
  r.amount = vm["amount"].as<int64_t>();
  MALCHIN_ASSIGN_OR_RETURN(r.paid_on, DateOpt(vm, "date", Date::TodayUtc()));
  MALCHIN_ASSIGN_OR_RETURN(
      r.method, insurance::ParsePaymentMethod(vm["method"].as<std::string>()));
  if (vm.count("note")) r.note = vm["note"].as<std::string>();
  std::string path = vm["members"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  std::optional<csv::Header> header;
  MALCHIN_RETURN_IF_ERROR(
      csv::ReadRecords(path, data, {}, [&](const csv::Record& rec) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(path, rec,
                                {"register_no", "scheme", "from", "months"},
                                {"income", "amount"}));
          return Status::Ok();
        }
        auto field = [&](const char* name) -> std::string {
          int i = header->Index(name);
          return i >= 0 && i < static_cast<int>(rec.fields.size())
                     ? rec.fields[i]
                     : std::string();
        };
        auto where = [&](const char* col, const std::string& v) {
          return path + " line " + std::to_string(rec.line) + " column " + col +
                 " '" + v + "'";
        };
        auto integer = [&](const char* col, int64_t* out) -> Status {
          std::string v = field(col);
          char* end = nullptr;
          long long x = std::strtoll(v.c_str(), &end, 10);
          if (v.empty() || *end != '\0') {
            return Status::InvalidArgument(where(col, v) +
                                           ": expected a whole number");
          }
          *out = x;
          return Status::Ok();
        };
        insurance::MemberRequest m;
        m.register_no = registry::NormalizeRegisterNumber(field("register_no"));
        auto scheme = insurance::ParseInsuranceScheme(field("scheme"));
        if (!scheme.ok()) {
          return Status::InvalidArgument(where("scheme", field("scheme")) +
                                         ": expected social or health");
        }
        m.scheme = *scheme;
        auto month = insurance::ParseMonth(field("from"));
        if (!month.ok()) {
          return Status::InvalidArgument(where("from", field("from")) +
                                         ": expected YYYY-MM");
        }
        m.first_month = *month;
        int64_t months = 0;
        MALCHIN_RETURN_IF_ERROR(integer("months", &months));
        m.months = static_cast<int32_t>(months);
        if (!field("income").empty()) {
          MALCHIN_RETURN_IF_ERROR(integer("income", &m.declared_income));
        }
        if (!field("amount").empty()) {
          int64_t a = 0;
          MALCHIN_RETURN_IF_ERROR(integer("amount", &a));
          m.amount = a;
        }
        r.members.push_back(std::move(m));
        return Status::Ok();
      }));
  if (vm.count("key")) r.client_key = vm["key"].as<std::string>();
  r.today = o.store->session().clock().Today();
  const store::ChangeContext who = Context(vm, "insurance coop-remit " + path);
  if (!r.client_key.empty()) {  // The same --key again records nothing.
    MALCHIN_ASSIGN_OR_RETURN(
        auto done, o.ins->FindRemittanceByClientKey(who.actor, r.client_key));
    if (done) {
      io.out << "already recorded with key " << r.client_key << ": remittance "
             << done->id << " (" << done->payer << ", " << Mnt(done->amount)
             << " MNT); nothing was recorded again\n";
      return Status::Ok();
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(
      insurance::RemittanceReport rep,
      insurance::RecordRemittance(*o.ins, *o.params, o.area, r, who));
  if (vm.count("json")) {
    json j = {{"allocated", rep.allocated},
              {"unallocated", rep.unallocated},
              {"members", json::array()}};
    for (const auto& m : rep.members) {
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
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "remittance of " << Mnt(r.amount) << " MNT from " << r.cooperative
         << ": " << Mnt(rep.allocated) << " allocated, " << Mnt(rep.unallocated)
         << " unallocated (kept as the cooperative's "
         << "credit)\n";
  char line[256];
  std::snprintf(line, sizeof line, "%-12s %-7s %-8s %6s %12s %12s %12s %8s\n",
                "register_no", "scheme", "from", "months", "due", "allocated",
                "shortfall", "entry");
  io.out << line;
  for (const auto& m : rep.members) {
    std::snprintf(
        line, sizeof line, "%-12s %-7s %-8s %6d %12s %12s %12s %8lld\n",
        m.request.register_no.c_str(),
        std::string(insurance::InsuranceSchemeName(m.request.scheme)).c_str(),
        insurance::MonthName(m.request.first_month).c_str(), m.request.months,
        Mnt(m.due).c_str(), Mnt(m.allocated).c_str(),
        Mnt(m.shortfall ? m.shortfall : -m.excess).c_str(),
        static_cast<long long>(m.entry_id));
    io.out << line;
  }
  return Status::Ok();
}

// --- coverage ----------------------------------------------------------------

std::string AreaName(const geo::Geography& geo, int32_t code) {
  if (code == 0) return "Mongolia";
  const geo::Unit* u = geo.Find(code);
  return u ? u->name_en : std::to_string(code);
}

Status Coverage(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  if (vm.count("person")) {
    std::string rn =
        registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
    json j = {{"register_no", rn}, {"schemes", json::array()}};
    for (auto s : {InsuranceScheme::kSocial, InsuranceScheme::kHealth}) {
      MALCHIN_ASSIGN_OR_RETURN(
          insurance::Statement st,
          insurance::StatementFor(*o.ins, *o.params, o.area, rn, s));
      if (vm.count("json")) {
        j["schemes"].push_back(insurance::StatementJson(st));
      } else {
        PrintStatement(st, io.out);
        for (const auto& m : st.months) {
          if (m.state == insurance::MonthState::kPaid) continue;
          io.out << "  " << insurance::MonthName(m.month) << ": due "
                 << Mnt(m.due) << ", paid " << Mnt(m.paid) << " ("
                 << (m.state == insurance::MonthState::kPartial ? "partial"
                                                                : "paid twice")
                 << ")\n";
        }
      }
    }
    if (vm.count("json")) io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(o.store->session()));
  insurance::CoverageQuery q;
  int32_t from = insurance::MonthOf(ref), to = from;
  if (vm.count("month")) {
    MALCHIN_ASSIGN_OR_RETURN(from, MonthOpt(vm, "month"));
    to = from;
  }
  if (vm.count("from")) {
    MALCHIN_ASSIGN_OR_RETURN(from, MonthOpt(vm, "from"));
  }
  if (vm.count("to")) {
    MALCHIN_ASSIGN_OR_RETURN(to, MonthOpt(vm, "to"));
  }
  int step = vm["step"].as<int>();
  if (to < from || step < 1 || (to - from) / step > 600) {
    return Status::InvalidArgument(
        "--from/--to/--step: expected from <= to, step >= 1, at most 600 "
        "months");
  }
  for (int32_t m = from; m <= to; m += step) q.months.push_back(m);
  std::string by = vm["by"].as<std::string>();
  if (by == "nation") {
    q.level = registry::AreaLevel::kNation;
  } else if (by == "aimag") {
    q.level = registry::AreaLevel::kAimag;
  } else if (by == "soum") {
    q.level = registry::AreaLevel::kSoum;
  } else {
    return Status::InvalidArgument("--by '" + by +
                                   "': expected nation, aimag or soum");
  }
  std::string split = vm["split"].as<std::string>();
  q.by_sex = split.find("sex") != std::string::npos;
  q.by_age_band = split.find("age") != std::string::npos;
  q.by_disability = split.find("disability") != std::string::npos;
  q.working_age = !vm.count("all-ages");
  insurance::SnapshotOptions so;
  so.herders_only = !vm.count("all-persons");
  so.names = vm.count("list") > 0;
  MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                           o.ins->LoadSnapshot(o.area, so));
  MALCHIN_ASSIGN_OR_RETURN(insurance::CoverageTable t,
                           insurance::ComputeCoverage(*o.params, snap, q));
  if (vm.count("list")) {
    // The persons behind one figure.
    insurance::CoverageCell cell;
    cell.month = q.months.front();
    cell.area =
        vm.count("cell-area")
            ? vm["cell-area"].as<int32_t>()
            : (q.level == registry::AreaLevel::kSoum
                   ? o.area.soum_code
                   : (q.level == registry::AreaLevel::kAimag ? o.area.aimag_code
                                                             : 0));
    if (vm.count("sex")) {
      MALCHIN_ASSIGN_OR_RETURN(registry::Sex sx,
                               registry::ParseSex(vm["sex"].as<std::string>()));
      cell.sex = static_cast<int8_t>(sx);
    }
    if (vm.count("age-band")) {
      std::string band = vm["age-band"].as<std::string>();
      for (int b = 0; b < registry::kAgeBandCount; ++b) {
        if (registry::AgeBandName(b) == band) cell.age_band = b;
      }
      if (cell.age_band < 0) {
        return Status::InvalidArgument("--age-band '" + band +
                                       "': expected e.g. 18-29, 30-44");
      }
    }
    if (vm.count("disability")) cell.disability = vm["disability"].as<int>();
    MALCHIN_ASSIGN_OR_RETURN(
        InsuranceScheme scheme,
        insurance::ParseInsuranceScheme(vm["scheme"].as<std::string>()));
    insurance::CoverageQuery lq = q;
    lq.by_sex = cell.sex >= 0;
    lq.by_age_band = cell.age_band >= 0;
    lq.by_disability = cell.disability >= 0;
    MALCHIN_ASSIGN_OR_RETURN(
        auto persons, insurance::PersonsInCell(*o.params, snap, lq, cell,
                                               scheme, !vm.count("uninsured")));
    std::string out;
    csv::AppendRow(&out, {"register_no", "name", "sex", "birth_date",
                          "soum_code", "bag", "household_id", "phone"});
    for (uint32_t p : persons) {
      size_t h = snap.household[p];
      std::string birth = Date::FromDays(snap.birth_days[p]).ToString();
      std::string soum = std::to_string(snap.soum_code[h]);
      csv::AppendRow(
          &out,
          {snap.register_no[p], snap.name[p], snap.sex[p] ? "M" : "F", birth,
           soum, snap.bag[h], snap.household_id[h],
           snap.phone[p].empty() ? snap.household_phone[h] : snap.phone[p]});
    }
    io.out << out;
    return Status::Ok();
  }
  if (vm.count("json")) {
    json j = {{"population", so.herders_only ? "herders" : "all persons"},
              {"working_age", q.working_age},
              {"by", by},
              {"targets", {{"social", t.target[0]}, {"health", t.target[1]}}},
              {"cells", json::array()}};
    for (const auto& c : t.cells) {
      json cell = {{"month", insurance::MonthName(c.month)},
                   {"area", c.area},
                   {"persons", c.persons},
                   {"social_insured", c.insured[0]},
                   {"health_insured", c.insured[1]},
                   {"social_rate", c.rate(InsuranceScheme::kSocial)},
                   {"health_rate", c.rate(InsuranceScheme::kHealth)}};
      if (c.sex >= 0) cell["sex"] = c.sex ? "M" : "F";
      if (c.age_band >= 0) cell["age_band"] = registry::AgeBandName(c.age_band);
      if (c.disability >= 0) cell["disability"] = c.disability;
      j["cells"].push_back(std::move(cell));
    }
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  char line[256];
  std::snprintf(line, sizeof line,
                "%-8s %-7s %-18s %-3s %-6s %-4s %9s %9s %7s %9s %7s\n", "month",
                "area", "name", "sex", "age", "dis", "persons", "social",
                "rate", "health", "rate");
  io.out << line;
  for (size_t k = 0; k < t.cells.size(); ++k) {
    const auto& c = t.cells[k];
    std::snprintf(
        line, sizeof line,
        "%-8s %-7d %-18s %-3s %-6s %-4s %9lld %9lld %6.1f%% %9lld %6.1f%%\n",
        insurance::MonthName(c.month).c_str(), c.area,
        AreaName(*o.geo, c.area).substr(0, 18).c_str(),
        c.sex < 0 ? "*" : (c.sex ? "M" : "F"),
        c.age_band < 0 ? "*"
                       : std::string(registry::AgeBandName(c.age_band)).c_str(),
        c.disability < 0 ? "*" : (c.disability ? "yes" : "no"),
        static_cast<long long>(c.persons), static_cast<long long>(c.insured[0]),
        100 * c.rate(InsuranceScheme::kSocial),
        static_cast<long long>(c.insured[1]),
        100 * c.rate(InsuranceScheme::kHealth));
    io.out << line;
  }
  for (size_t i = 0; i < q.months.size(); ++i) {
    io.out << "targets " << insurance::MonthName(q.months[i]) << ": social "
           << 100 * t.target[0][i] << "%, health " << 100 * t.target[1][i]
           << "%\n";
  }
  return Status::Ok();
}

// --- outreach ----------------------------------------------------------------

Status Outreach(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  if (!o.area.soum_code) {
    return Status::InvalidArgument(
        "an outreach list is for one soum: give --soum CODE|NAME");
  }
  insurance::OutreachOptions opt;
  MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(o.store->session()));
  MALCHIN_ASSIGN_OR_RETURN(opt.as_of, DateOpt(vm, "as-of", ref));
  MALCHIN_ASSIGN_OR_RETURN(opt.scheme, insurance::ParseInsuranceScheme(
                                           vm["scheme"].as<std::string>()));
  opt.limit = static_cast<size_t>(vm["limit"].as<int>());
  insurance::SnapshotOptions so;
  so.herders_only = false;
  if (vm.count("bag")) so.bag = vm["bag"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                           o.ins->LoadSnapshot(o.area, so));
  MALCHIN_ASSIGN_OR_RETURN(insurance::OutreachList list,
                           insurance::BuildOutreachList(*o.params, snap, opt));
  bool mn = vm["lang"].as<std::string>() == "mn";
  std::string out = insurance::OutreachCsv(snap, list, mn);
  if (vm.count("csv")) {
    std::string path = vm["csv"].as<std::string>();
    std::string tmp = path + ".tmp";
    {
      std::ofstream f(tmp, std::ios::binary);
      f << out;
      if (!f.good()) return Status::Internal("cannot write " + tmp);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
      return Status::Internal("cannot rename " + tmp + ": " + ec.message());
    io.out << "wrote " << list.items.size() << " of " << list.candidates
           << " uninsured herders to " << path << "\n";
  } else {
    io.out << out;
  }
  io.err << list.candidates
         << " candidate(s); left out: " << list.skipped_recent_refusal
         << " recent refusal(s), " << list.skipped_recent_enrolment
         << " recent enrolment(s)\n";
  return Status::Ok();
}

// --- visit -------------------------------------------------------------------

Status VisitCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  insurance::Visit v;
  v.register_no =
      registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
  MALCHIN_ASSIGN_OR_RETURN(
      v.outcome, insurance::ParseVisitOutcome(vm["outcome"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(v.visited_on, DateOpt(vm, "date", Date::TodayUtc()));
  store::ChangeContext ctx = Context(vm, "insurance visit");
  v.officer = vm.count("officer") ? vm["officer"].as<std::string>() : ctx.actor;
  if (vm.count("note")) v.note = vm["note"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(int64_t id, o.ins->AddVisit(o.area, v, ctx));
  io.out << "visit " << id << ": " << v.register_no << " "
         << insurance::VisitOutcomeName(v.outcome) << " on "
         << v.visited_on.ToString() << "\n";
  return Status::Ok();
}

// --- pension -----------------------------------------------------------------

Status Pension(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  insurance::PensionInput in;
  in.as_of = Date::TodayUtc();
  std::string who;
  if (vm.count("person")) {
    if (!vm.count("db")) {
      return Status::InvalidArgument("--person needs --db");
    }
    MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
    MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(o.store->session()));
    std::string rn =
        registry::NormalizeRegisterNumber(vm["person"].as<std::string>());
    MALCHIN_ASSIGN_OR_RETURN(
        insurance::PersonPension pp,
        insurance::PensionInputFor(*o.ins, *params, o.area, rn, ref));
    in = std::move(pp.input);
    who = rn + " (" + pp.person.name + ")";
  } else {
    if (!vm.count("birth-date") || !vm.count("sex")) {
      return Status::InvalidArgument(
          "give --person RN with --db, or a what-if with --birth-date and "
          "--sex (and --years, --herding-years, --income)");
    }
    MALCHIN_ASSIGN_OR_RETURN(in.birth_date,
                             DateOpt(vm, "birth-date", Date::TodayUtc()));
    MALCHIN_ASSIGN_OR_RETURN(in.sex,
                             registry::ParseSex(vm["sex"].as<std::string>()));
    who = "what-if";
  }
  MALCHIN_ASSIGN_OR_RETURN(in.as_of, DateOpt(vm, "as-of", in.as_of));
  if (vm.count("years")) in.past_years = vm["years"].as<double>();
  if (vm.count("herding-years")) {
    in.past_herding_years = vm["herding-years"].as<double>();
  }
  if (vm.count("income")) in.declared_income = vm["income"].as<int64_t>();
  if (in.as_of <= in.birth_date) {
    return Status::InvalidArgument("--as-of must be after the birth date");
  }
  std::vector<double> more;
  if (vm.count("more-years")) {
    more = vm["more-years"].as<std::vector<double>>();
  } else {
    more = {0, 5, 10, 20};
  }
  in.more_years =
      more.empty() ? 0 : *std::max_element(more.begin(), more.end());
  MALCHIN_RETURN_IF_ERROR(insurance::CheckPensionInput(*params, in));
  bool mn = vm["lang"].as<std::string>() == "mn";
  bool as_json = vm.count("json") > 0;
  json j = {{"who", who},
            {"as_of", in.as_of.ToString()},
            {"projections", json::array()}};
  if (!as_json) {
    io.out << (mn ? "Хэнд: " : "For: ") << who << (mn ? ", огноо " : ", as of ")
           << in.as_of.ToString() << "\n";
  }
  for (double n : more) {
    if (n < 0 || n > 60) {
      return Status::InvalidArgument("--more-years " + std::to_string(n) +
                                     ": expected 0 to 60");
    }
    in.more_years = n;
    MALCHIN_ASSIGN_OR_RETURN(insurance::PensionProjection pr,
                             insurance::ProjectPension(*params, in));
    if (as_json) {
      json a = json::array();
      for (const auto& s : pr.assumptions) {
        a.push_back({{"mn", s.mn}, {"en", s.en}});
      }
      json x = {{"more_years", n},
                {"eligible", pr.eligible},
                {"years_at_retirement", pr.years_at_retirement},
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
      j["projections"].push_back(std::move(x));
      continue;
    }
    io.out << "\n"
           << (mn ? "Цаашид " : "Contributing ") << n
           << (mn ? " жил шимтгэл төлбөл:\n" : " more year(s):\n");
    if (pr.eligible) {
      io.out << (mn ? "  Тэтгэвэрт гарах: " : "  Retire on: ")
             << pr.retirement_date.ToString() << ", "
             << (mn ? "сарын тэтгэвэр " : "monthly pension ")
             << Mnt(pr.monthly_pension) << " MNT\n";
    }
    for (const auto& s : pr.assumptions) {
      io.out << "  - " << (mn ? s.mn : s.en) << "\n";
    }
  }
  if (as_json) io.out << j.dump(2) << "\n";
  return Status::Ok();
}

// --- seed-demo ---------------------------------------------------------------

Status SeedDemo(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  if (o.area.soum_code || o.area.aimag_code) {
    return Status::InvalidArgument("seed-demo writes the whole register");
  }
  insurance::DemoHistoryOptions opt;
  opt.seed = vm["seed"].as<uint64_t>();
  MALCHIN_ASSIGN_OR_RETURN(Date ref, RegisterDate(o.store->session()));
  MALCHIN_ASSIGN_OR_RETURN(opt.as_of, DateOpt(vm, "as-of", ref));
  MALCHIN_ASSIGN_OR_RETURN(insurance::InsuranceSnapshot snap,
                           o.ins->LoadSnapshot({}, {}));
  insurance::Repository::SeedRows rows;
  MALCHIN_ASSIGN_OR_RETURN(
      insurance::DemoHistorySummary sum,
      insurance::BuildDemoHistories(*o.params, snap, opt, &rows));
  MALCHIN_RETURN_IF_ERROR(o.ins->Seed(
      snap, rows,
      Context(vm, "insurance seed-demo --seed " + std::to_string(opt.seed))));
  auto pct = [](int64_t a, int64_t b) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.1f%%", b ? 100.0 * a / b : 0.0);
    return std::string(buf);
  };
  io.out << "demo insurance histories " << opt.first_year << "-01.."
         << insurance::MonthName(insurance::MonthOf(opt.as_of)) << " for "
         << snap.persons() << " herders: " << sum.entries << " entries, "
         << sum.credits << " service credits\n"
         << "January 2019, working-age herders (" << sum.herders_2019
         << "): social " << pct(sum.social_2019, sum.herders_2019)
         << ", health " << pct(sum.health_2019, sum.herders_2019) << "\n";
  return Status::Ok();
}

void ActorOption(po::options_description& d) {
  d.add_options()("actor", po::value<std::string>(),
                  "an account of this register recording this (default: the "
                  "OS user, cli:<user>), for the audit trail");
}
void KeyOption(po::options_description& d) {
  d.add_options()("key", po::value<std::string>(),
                  "idempotency key: the same key again records nothing twice");
}

}  // namespace

void AddInsuranceCommands(std::vector<Command>* c) {
  c->push_back(
      {"insurance pay",
       "record a social/health insurance contribution (cash, bank, in kind, "
       "subsidy)",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         ActorOption(d);
         d.add_options()("person", po::value<std::string>()->required(),
                         "register number of the insured person")(
             "scheme", po::value<std::string>()->required(),
             "social (voluntary pension + benefits) or health")(
             "from", po::value<std::string>()->required(),
             "first month paid for, YYYY-MM")(
             "months", po::value<int>()->default_value(1),
             "number of months paid for (1-120)")(
             "amount", po::value<int64_t>(),
             "MNT paid (default: exactly what is due)")(
             "method", po::value<std::string>()->default_value("cash"),
             "cash, bank, in_kind, raw_material_subsidy or "
             "government_subsidy")("payer", po::value<std::string>(),
                                   "who paid, if not the person")(
             "income", po::value<int64_t>(),
             "social: declared monthly income in MNT (not below the minimum "
             "wage)")("item", po::value<std::string>(),
                      "in kind: camel, horse, cattle, sheep, goat, sheep_wool, "
                      "camel_wool or cashmere")("quantity", po::value<double>(),
                                                "in kind: head or kg")(
             "date", po::value<std::string>(), "payment date (default today)")(
             "note", po::value<std::string>(), "free text")(
             "json", "print the receipt as JSON");
         KeyOption(d);
       },
       Pay,
       "\nDues come from the dated parameters in force in each month paid for\n"
       "(health: 1% of the minimum wage; social: pension + benefit rate of "
       "the\n"
       "declared income). Partial payments, overpayments and months paid\n"
       "twice are recorded and reported. Corrections: malchin insurance "
       "correct.\n"});
  c->push_back(
      {"insurance correct",
       "reverse a ledger entry (corrections are reversals, never edits)",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         ActorOption(d);
         d.add_options()("entry", po::value<int64_t>()->required(),
                         "id of the entry to reverse")(
             "reason", po::value<std::string>()->required(),
             "why (kept in the ledger and the audit trail)")(
             "date", po::value<std::string>(),
             "date of the correction (default today)");
       },
       Correct, "\nThen record the right payment with insurance pay.\n"});
  c->push_back(
      {"insurance coop-remit",
       "record a cooperative's payment for its members, allocated and "
       "reconciled",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         ActorOption(d);
         d.add_options()("cooperative", po::value<std::string>()->required(),
                         "the paying cooperative")(
             "amount", po::value<int64_t>()->required(), "MNT remitted")(
             "members", po::value<std::string>()->required(),
             "CSV: register_no,scheme,from,months[,income][,amount]")(
             "method", po::value<std::string>()->default_value("bank"),
             "how the cooperative paid (bank or cash)")(
             "date", po::value<std::string>(), "payment date (default today)")(
             "note", po::value<std::string>(),
             "e.g. the processor's wool/cashmere contract")(
             "json", "print the reconciliation as JSON");
         KeyOption(d);
       },
       CoopRemit,
       "\nMembers with an amount get exactly that; the rest of the remittance\n"
       "goes to the other members in file order, each up to what is due. What\n"
       "is left is kept on the remittance as the cooperative's credit.\n"});
  c->push_back(
      {"insurance coverage",
       "coverage rates of herders by area x sex x age x disability vs targets",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         d.add_options()("person", po::value<std::string>(),
                         "one person's months: covered, partial, paid twice")(
             "month", po::value<std::string>(),
             "reference month YYYY-MM (default: the register's date)")(
             "from", po::value<std::string>(), "first month of a series")(
             "to", po::value<std::string>(), "last month of a series")(
             "step", po::value<int>()->default_value(12),
             "months between points of a series")(
             "by", po::value<std::string>()->default_value("soum"),
             "nation, aimag or soum")(
             "split", po::value<std::string>()->default_value("sex,age"),
             "any of sex, age, disability (comma-separated), or none")(
             "all-ages", "everyone, not only working age (18 to pension age)")(
             "all-persons", "all persons, not only herders")(
             "list", "print the persons behind one figure (CSV)")(
             "cell-area", po::value<int32_t>(),
             "with --list: the area code of the figure")(
             "sex", po::value<std::string>(), "with --list: F or M")(
             "age-band", po::value<std::string>(), "with --list: e.g. 18-29")(
             "disability", po::value<int>(), "with --list: 0 or 1")(
             "scheme", po::value<std::string>()->default_value("social"),
             "with --list: social or health")(
             "uninsured", "with --list: the uninsured instead")("json",
                                                                "print JSON");
       },
       Coverage, ""});
  c->push_back(
      {"insurance outreach",
       "prioritised list of uninsured herders of a soum/bag to visit (CSV)",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         d.add_options()("bag", po::value<std::string>(), "only this bag")(
             "scheme", po::value<std::string>()->default_value("social"),
             "social or health")("as-of", po::value<std::string>(),
                                 "date of the list (default: register date)")(
             "limit", po::value<int>()->default_value(0), "at most N (0: all)")(
             "csv", po::value<std::string>(), "write the list to this file")(
             "lang", po::value<std::string>()->default_value("en"),
             "reasons in en or mn");
       },
       Outreach,
       "\nPriority: youth, closeness to a contribution threshold, households\n"
       "with no insured adult, no health insurance; recent refusals and\n"
       "enrolments are left out, older refusals and recent not-found visits\n"
       "lowered (record visits with malchin insurance visit).\n"});
  c->push_back(
      {"insurance visit",
       "record an outreach visit: enrolled, refused or not_found",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         ActorOption(d);
         d.add_options()("person", po::value<std::string>()->required(),
                         "register number visited")(
             "outcome", po::value<std::string>()->required(),
             "enrolled, refused or not_found")("date", po::value<std::string>(),
                                               "visit date (default today)")(
             "officer", po::value<std::string>(),
             "officer (default: the actor)")("note", po::value<std::string>(),
                                             "free text");
       },
       VisitCmd, ""});
  c->push_back(
      {"insurance pension",
       "project a herder's retirement date and pension, with N more years",
       [](po::options_description& d) {
         DbOption(d);
         AreaOptions(d);
         d.add_options()("person", po::value<std::string>(),
                         "from the ledger of this person")(
             "birth-date", po::value<std::string>(), "what-if: YYYY-MM-DD")(
             "sex", po::value<std::string>(), "what-if: F or M")(
             "years", po::value<double>(), "contribution years so far")(
             "herding-years", po::value<double>(), "of which as a herder")(
             "income", po::value<int64_t>(),
             "declared monthly income in MNT (default "
             "the minimum wage)")(
             "more-years", po::value<std::vector<double>>()->multitoken(),
             "years still contributed (several allowed; default 0 5 10 20)")(
             "as-of", po::value<std::string>(), "date of the projection")(
             "lang", po::value<std::string>()->default_value("en"), "en or mn")(
             "json", "print JSON (both languages)");
       },
       Pension,
       "\nRules and their parameters: docs/insurance.md. Every assumption is\n"
       "printed next to the number.\n"});
  c->push_back({"insurance seed-demo",
                "write demo contribution histories (2019 baseline) for the "
                "register's herders",
                [](po::options_description& d) {
                  DbOption(d);
                  ActorOption(d);
                  d.add_options()("seed",
                                  po::value<uint64_t>()->default_value(1),
                                  "random seed")(
                      "as-of", po::value<std::string>(),
                      "last month of the histories (default: register date)");
                },
                SeedDemo, ""});
}

}  // namespace malchin::cli
