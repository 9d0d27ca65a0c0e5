#include "geo/geography.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "csv/csv.h"

namespace malchin::embedded {
extern const std::string_view kAdminUnitsCsv;
}

namespace malchin::geo {
namespace {

Result<int64_t> ParseInt(std::string_view s, const std::string& where) {
  if (s.empty()) return int64_t{0};
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Status::InvalidArgument(where + ": '" + std::string(s) +
                                   "' is not a whole number");
  }
  return v;
}

Result<double> ParseDouble(std::string_view s, const std::string& where) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    return Status::InvalidArgument(where + ": '" + std::string(s) +
                                   "' is not a number");
  }
  return v;
}

Result<Level> ParseLevel(std::string_view s, const std::string& where) {
  if (s == "aimag") return Level::kAimag;
  if (s == "capital") return Level::kCapital;
  if (s == "soum") return Level::kSoum;
  if (s == "district") return Level::kDistrict;
  return Status::InvalidArgument(where + ": level '" + std::string(s) +
                                 "' is not aimag|capital|soum|district");
}

}  // namespace

Result<std::shared_ptr<const Geography>> Geography::Load() {
  static const Result<std::shared_ptr<const Geography>> kLoaded =
      Parse(embedded::kAdminUnitsCsv);
  return kLoaded;
}

Result<std::shared_ptr<const Geography>> Geography::Parse(
    std::string_view data) {
  auto g = std::make_shared<Geography>();
  std::optional<csv::Header> header;
  const std::vector<std::string> kRequired = {"nso_code",
                                              "level",
                                              "aimag_nso_code",
                                              "region_code",
                                              "region_en",
                                              "region_mn",
                                              "name_en",
                                              "name_mn",
                                              "aimag_en",
                                              "aimag_mn",
                                              "lat",
                                              "lon",
                                              "population_2019",
                                              "population_2020",
                                              "herder_households_2019",
                                              "herder_households_2020",
                                              "livestock_heads_2019",
                                              "livestock_heads_2020",
                                              "children_0_4_2019",
                                              "children_0_4_2021"};
  Status st = csv::ReadRecords(
      "mn_admin_units.csv", data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make("mn_admin_units.csv", r, kRequired, {}));
          return Status::Ok();
        }
        auto col = [&](const char* name) -> std::string_view {
          int i = header->Index(name);
          return i >= 0 && static_cast<size_t>(i) < r.fields.size()
                     ? std::string_view(r.fields[i])
                     : std::string_view();
        };
        std::string where = "mn_admin_units.csv line " + std::to_string(r.line);
        Unit u;
        MALCHIN_ASSIGN_OR_RETURN(int64_t code,
                                 ParseInt(col("nso_code"), where));
        u.code = static_cast<int32_t>(code);
        MALCHIN_ASSIGN_OR_RETURN(u.level, ParseLevel(col("level"), where));
        MALCHIN_ASSIGN_OR_RETURN(int64_t ac,
                                 ParseInt(col("aimag_nso_code"), where));
        u.aimag_code = static_cast<int32_t>(ac);
        MALCHIN_ASSIGN_OR_RETURN(int64_t rc,
                                 ParseInt(col("region_code"), where));
        u.region_code = static_cast<int>(rc);
        u.region_en = col("region_en");
        u.region_mn = col("region_mn");
        u.name_en = col("name_en");
        u.name_mn = col("name_mn");
        u.aimag_en = col("aimag_en");
        u.aimag_mn = col("aimag_mn");
        MALCHIN_ASSIGN_OR_RETURN(u.lat, ParseDouble(col("lat"), where));
        MALCHIN_ASSIGN_OR_RETURN(u.lon, ParseDouble(col("lon"), where));
        struct {
          const char* name;
          int64_t* field;
        } stats[] = {
            {"population_2019", &u.population_2019},
            {"population_2020", &u.population_2020},
            {"herder_households_2019", &u.herder_households_2019},
            {"herder_households_2020", &u.herder_households_2020},
            {"livestock_heads_2019", &u.livestock_heads_2019},
            {"livestock_heads_2020", &u.livestock_heads_2020},
            {"children_0_4_2019", &u.children_0_4_2019},
            {"children_0_4_2021", &u.children_0_4_2021},
        };
        for (auto& s : stats) {
          MALCHIN_ASSIGN_OR_RETURN(*s.field, ParseInt(col(s.name), where));
        }
        g->units_.push_back(std::move(u));
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  std::sort(g->units_.begin(), g->units_.end(),
            [](const Unit& a, const Unit& b) { return a.code < b.code; });
  for (const Unit& u : g->units_) {
    (u.is_aimag_level() ? g->aimags_ : g->soums_).push_back(&u);
  }
  return std::shared_ptr<const Geography>(std::move(g));
}

std::vector<const Unit*> Geography::SoumsOf(int32_t aimag_code) const {
  std::vector<const Unit*> out;
  for (const Unit* u : soums_) {
    if (u->aimag_code == aimag_code) out.push_back(u);
  }
  return out;
}

const Unit* Geography::Find(int32_t code) const {
  auto it =
      std::lower_bound(units_.begin(), units_.end(), code,
                       [](const Unit& u, int32_t c) { return u.code < c; });
  return it != units_.end() && it->code == code ? &*it : nullptr;
}

const Unit* Geography::FindSoum(int32_t code) const {
  const Unit* u = Find(code);
  return u && !u->is_aimag_level() ? u : nullptr;
}

const Unit* Geography::FindAimag(int32_t code) const {
  const Unit* u = Find(code);
  return u && u->is_aimag_level() ? u : nullptr;
}

std::vector<const Unit*> Geography::FindByName(std::string_view name,
                                               int32_t aimag_code) const {
  std::string key = text::NameKey(name);
  std::vector<const Unit*> out;
  if (key.empty()) return out;
  for (const Unit& u : units_) {
    if (aimag_code && u.aimag_code != aimag_code) continue;
    if (text::NameKey(u.name_en) == key || text::NameKey(u.name_mn) == key) {
      out.push_back(&u);
    }
  }
  return out;
}

Result<const Unit*> Geography::Resolve(std::string_view t,
                                       int32_t aimag_code) const {
  if (!t.empty() && std::all_of(t.begin(), t.end(),
                                [](char c) { return c >= '0' && c <= '9'; })) {
    int32_t code = 0;
    std::from_chars(t.data(), t.data() + t.size(), code);
    if (const Unit* u = Find(code)) return u;
    return Status::InvalidArgument("'" + std::string(t) +
                                   "' is not an NSO code of an aimag (3 "
                                   "digits) or soum (5 digits)");
  }
  auto found = FindByName(t, aimag_code);
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    return Status::InvalidArgument("no aimag or soum is named '" +
                                   std::string(t) + "'");
  }
  // Prefer an aimag over soums of the same name (e.g. "Arkhangai").
  const Unit* aimag = nullptr;
  for (const Unit* u : found) {
    if (u->is_aimag_level()) aimag = aimag ? nullptr : u;
  }
  if (aimag && found.size() <= 2) return aimag;
  std::string list;
  for (const Unit* u : found) {
    list += (list.empty() ? "" : ", ") + std::to_string(u->code) + " " +
            u->name_en + " (" + u->aimag_en + ")";
  }
  return Status::InvalidArgument("'" + std::string(t) +
                                 "' names several areas: " + list +
                                 "; give the NSO code or the aimag");
}

}  // namespace malchin::geo
