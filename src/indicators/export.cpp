#include "indicators/export.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <span>

#include "core/text.h"
#include "csv/csv.h"

namespace malchin::embedded {
extern const std::string_view kDhis2MappingJson;
}  // namespace malchin::embedded

namespace malchin::indicators {
namespace {

using nlohmann::json;

Status BadMapping(std::string_view file, std::string_view key,
                  std::string_view value, std::string_view mn,
                  std::string_view en) {
  std::string at(file), k(key), v(value);
  return Status::InvalidArgument(
      at + ": '" + k + "' утга '" + v + "': " + std::string(mn) + " / " + at +
      ": '" + k + "' value '" + v + "': expected " + std::string(en));
}

Status CheckUid(std::string_view file, const std::string& key,
                const json& uid) {
  if (!uid.is_string() || !IsDhis2Uid(uid.get<std::string>())) {
    return BadMapping(file, key, uid.dump(),
                      "11 тэмдэгттэй DHIS2 UID (үсгээр эхэлсэн)",
                      "an 11-character DHIS2 UID starting with a letter");
  }
  return Status::Ok();
}

Result<std::map<std::string, std::string>> UidMap(std::string_view file,
                                                  const json& root,
                                                  const char* name) {
  std::map<std::string, std::string> out;
  auto it = root.find(name);
  if (it == root.end() || !it->is_object()) {
    return BadMapping(file, name, it == root.end() ? "(missing)" : it->dump(),
                      "объект байх ёстой", "an object");
  }
  for (const auto& [k, v] : it->items()) {
    MALCHIN_RETURN_IF_ERROR(CheckUid(file, std::string(name) + "." + k, v));
    out[k] = v.get<std::string>();
  }
  return out;
}

Result<std::string> Need(const std::map<std::string, std::string>& m,
                         const std::string& key, std::string_view what) {
  auto it = m.find(key);
  if (it == m.end()) {
    return Status::NotFound("DHIS2 mapping: " + std::string(what) + " '" + key +
                            "' олдсонгүй / DHIS2 mapping: no " +
                            std::string(what) + " '" + key + "'");
  }
  return it->second;
}

// One data value to send: where, what, which combo and the cell.
struct Row {
  std::string data_element, org_unit, coc, period;
  const Cell* cell;
  std::vector<std::pair<std::string, std::string>> by;
};

// The cells of `v` a data element of `combo` sends.
std::vector<const Cell*> CellsFor(const IndicatorValue& v,
                                  const std::string& combo) {
  std::vector<const Cell*> out;
  for (const Cell& c : v.cells) {
    bool pair = c.by.size() == 2 && c.by[0].first == "sex" &&
                c.by[1].first == "age_band";
    if (combo == "sex_age_band" ? pair : c.by.empty()) out.push_back(&c);
  }
  return out;
}

// Each row points into `values` (Row::cell): keep them alive while the rows
// are used.
Result<std::vector<Row>> Rows(const Dhis2Mapping& m,
                              std::span<const IndicatorValue> values) {
  std::vector<Row> rows;
  for (const IndicatorValue& v : values) {
    auto de = m.data_elements.find(v.code);
    if (de == m.data_elements.end()) {
      return Status::NotFound("DHIS2 mapping: индикатор '" + v.code +
                              "' олдсонгүй / DHIS2 mapping: no data element "
                              "for '" +
                              v.code + "'");
    }
    MALCHIN_ASSIGN_OR_RETURN(
        std::string ou, Need(m.org_units, std::to_string(v.area), "org unit"));
    for (const Cell* c : CellsFor(v, de->second.category_combo)) {
      std::string key =
          c->by.empty() ? "default" : c->by[0].second + "|" + c->by[1].second;
      MALCHIN_ASSIGN_OR_RETURN(
          std::string coc,
          Need(m.category_option_combos, key, "category option combo"));
      rows.push_back({de->second.uid, ou, coc, v.period.Name(), c, c->by});
    }
  }
  return rows;
}

// ADX's period: the first day and an ISO 8601 duration.
std::string AdxPeriod(const Period& p) {
  const char* d = p.kind == Period::Kind::kMonth     ? "P1M"
                  : p.kind == Period::Kind::kQuarter ? "P3M"
                                                     : "P1Y";
  return p.First().ToString() + "/" + d;
}

}  // namespace

bool IsDhis2Uid(std::string_view uid) {
  if (uid.size() != 11 || !std::isalpha(static_cast<unsigned char>(uid[0]))) {
    return false;
  }
  for (char c : uid) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

static Result<Dhis2Mapping> MappingFrom(std::string_view file,
                                        std::string_view text) {
  json root = json::parse(text, nullptr, false);
  if (!root.is_object()) {
    return BadMapping(file, "(file)", "", "JSON объект байх ёстой",
                      "a JSON object");
  }
  Dhis2Mapping m;
  m.placeholder = root.value("placeholder", false);
  MALCHIN_RETURN_IF_ERROR(
      CheckUid(file, "data_set", root.value("data_set", json())));
  m.data_set = root["data_set"].get<std::string>();
  const json categories = root.value("adx_categories", json::object());
  for (const auto& [k, v] : categories.items()) {
    if (!v.is_string())
      return BadMapping(file, "adx_categories." + k, v.dump(), "текст",
                        "a string");
    m.adx_categories[k] = v.get<std::string>();
  }
  const json elements = root.value("data_elements", json::object());
  for (const auto& [k, v] : elements.items()) {
    std::string combo = v.is_object() ? v.value("category_combo", "") : "";
    if (combo != "default" && combo != "sex_age_band") {
      return BadMapping(file, "data_elements." + k + ".category_combo",
                        v.dump(), "default эсвэл sex_age_band",
                        "default or sex_age_band");
    }
    MALCHIN_RETURN_IF_ERROR(
        CheckUid(file, "data_elements." + k + ".uid", v.value("uid", json())));
    m.data_elements[k] = {v["uid"].get<std::string>(), combo};
  }
  MALCHIN_ASSIGN_OR_RETURN(m.category_option_combos,
                           UidMap(file, root, "category_option_combos"));
  MALCHIN_ASSIGN_OR_RETURN(m.org_units, UidMap(file, root, "org_units"));
  return m;
}

Result<Dhis2Mapping> ParseDhis2Mapping(std::string_view file,
                                       std::string_view text) {
  try {
    return MappingFrom(file, text);
  } catch (const nlohmann::json::exception& e) {
    return BadMapping(file, "(file)", e.what(), "баримт бичигт заасан хэлбэр",
                      "the documented mapping format");
  }
}

const Dhis2Mapping& EmbeddedDhis2Mapping() {
  static const Dhis2Mapping* m = [] {
    auto parsed =
        ParseDhis2Mapping("dhis2_mapping.json", embedded::kDhis2MappingJson);
    return new Dhis2Mapping(parsed.ok() ? std::move(*parsed) : Dhis2Mapping{});
  }();
  return *m;
}

std::string FormatValue(double value) {
  double rounded = std::round(value * 100) / 100;
  char buf[64];
  if (rounded == std::floor(rounded) && std::fabs(rounded) < 1e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(rounded));
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", rounded);
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  return s;
}

Result<std::string> ExportDataValueSets(
    const Dhis2Mapping& m, const std::vector<IndicatorValue>& values) {
  MALCHIN_ASSIGN_OR_RETURN(std::vector<Row> rows, Rows(m, values));
  json out = {{"dataSet", m.data_set}, {"dataValues", json::array()}};
  for (const Row& r : rows) {
    out["dataValues"].push_back({{"dataElement", r.data_element},
                                 {"period", r.period},
                                 {"orgUnit", r.org_unit},
                                 {"categoryOptionCombo", r.coc},
                                 {"value", FormatValue(r.cell->value)}});
  }
  return out.dump(2) + "\n";
}

Result<std::string> ExportAdx(const Dhis2Mapping& m,
                              const std::vector<IndicatorValue>& values,
                              std::string_view exported) {
  std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<adx "
      "xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"" +
      text::EscapeXml(exported) + "\">\n";
  for (const IndicatorValue& v : values) {
    // A span over `v` itself: the rows point into it.
    MALCHIN_ASSIGN_OR_RETURN(std::vector<Row> rows,
                             Rows(m, std::span<const IndicatorValue>(&v, 1)));
    if (rows.empty()) continue;
    xml += "  <group orgUnit=\"" + text::EscapeXml(rows[0].org_unit) +
           "\" period=\"" + AdxPeriod(v.period) + "\" dataSet=\"" +
           text::EscapeXml(m.data_set) + "\">\n";
    for (const Row& r : rows) {
      xml += "    <dataValue dataElement=\"" + text::EscapeXml(r.data_element) +
             "\"";
      for (const auto& [dim, option] : r.by) {
        auto cat = m.adx_categories.find(dim);
        std::string name = cat == m.adx_categories.end() ? dim : cat->second;
        xml += " " + text::EscapeXml(name) + "=\"" + text::EscapeXml(option) +
               "\"";
      }
      xml += " value=\"" + FormatValue(r.cell->value) + "\"/>\n";
    }
    xml += "  </group>\n";
  }
  return xml + "</adx>\n";
}

std::string ExportCsv(const std::vector<IndicatorValue>& values) {
  std::string out =
      "indicator,period,area,reference_date,unit,disaggregation,numerator,"
      "denominator,value\n";
  for (const IndicatorValue& v : values) {
    for (const Cell& c : v.cells) {
      std::string by;
      for (const auto& [d, x] : c.by) {
        by += (by.empty() ? "" : ";") + d + "=" + x;
      }
      std::string area = std::to_string(v.area), period = v.period.Name(),
                  reference = v.reference.ToString(),
                  n = std::to_string(c.numerator),
                  d = std::to_string(c.denominator),
                  value = FormatValue(c.value);
      csv::AppendRow(&out, {v.code, period, area, reference, UnitName(v.unit),
                            by, n, d, value});
    }
  }
  return out;
}

}  // namespace malchin::indicators
