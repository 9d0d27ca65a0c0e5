#include "herder/imports.h"

#include <charconv>
#include <map>

#include "csv/csv.h"

namespace malchin::herder {
namespace {

constexpr size_t kMaxRows = 100000;

struct Field {
  const char* name;
  const char* expected_en;
  const char* expected_mn;
};

// InvalidArgument naming the file, line, field and value, in English then
// Mongolian.
Status Problem(std::string_view file, size_t line, const Field& f,
               std::string_view value) {
  std::string where = std::string(file) + " line " + std::to_string(line) +
                      ": " + f.name + " '" + std::string(value.substr(0, 64)) +
                      "'";
  std::string where_mn = std::string(file) + " мөр " + std::to_string(line) +
                         ": " + f.name + " '" +
                         std::string(value.substr(0, 64)) + "'";
  return Status::InvalidArgument(where + ": expected " + f.expected_en + " / " +
                                     where_mn + ": " + f.expected_mn,
                                 f.name);
}

bool ToInt(std::string_view s, int64_t* out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// Reads `csv` with a header holding `columns`, calling `row` with the
// fields in the order of `columns`. Refuses more than kMaxRows rows.
Status ReadTable(
    std::string_view file, std::string_view csv,
    const std::vector<std::string>& columns,
    const std::function<Status(size_t line, const std::vector<std::string>&)>&
        row) {
  std::optional<csv::Header> header;
  size_t rows = 0;
  Status st =
      csv::ReadRecords(file, csv, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(header,
                                   csv::Header::Make(file, r, columns, {}));
          return Status::Ok();
        }
        if (++rows > kMaxRows) {
          return Problem(
              file, r.line,
              {"rows", "at most 100000 rows", "хамгийн ихдээ 100000 мөр"},
              std::to_string(rows));
        }
        std::vector<std::string> v;
        for (const auto& c : columns) {
          size_t i = static_cast<size_t>(header->Index(c));
          v.push_back(i < r.fields.size() ? r.fields[i] : "");
        }
        return row(r.line, v);
      });
  if (!st.ok() && st.message().find(" / ") == std::string::npos) {
    return Status::InvalidArgument(st.message() + " / " + std::string(file) +
                                       ": CSV файл уншигдсангүй (" +
                                       st.message() + ")",
                                   st.field());
  }
  if (st.ok() && !header) {
    return Problem(file, 1, {"header", "a header line", "гарчгийн мөр"}, "");
  }
  return st;
}

Status CheckDate(std::string_view file, size_t line, const char* name,
                 const std::string& v) {
  if (Date::Parse(v).ok()) return Status::Ok();
  return Problem(file, line,
                 {name, "a date YYYY-MM-DD", "огноо ОООО-СС-ӨӨ хэлбэрээр"}, v);
}

Status CheckSource(std::string_view file, size_t line, const std::string& v) {
  if (!v.empty() && v.size() <= 400) return Status::Ok();
  return Problem(file, line,
                 {"source", "where the data comes from (1-200 characters)",
                  "эх сурвалж (1-200 тэмдэгт)"},
                 v);
}

}  // namespace

Result<std::vector<RiskRow>> ParseRiskCsv(std::string_view file,
                                          std::string_view csv,
                                          const geo::Geography& geo) {
  std::vector<RiskRow> out;
  std::map<std::pair<int32_t, std::string>, size_t> seen;
  MALCHIN_RETURN_IF_ERROR(ReadTable(
      file, csv, {"soum_code", "date", "level", "source"},
      [&](size_t line, const std::vector<std::string>& v) -> Status {
        int64_t soum = 0;
        if (!ToInt(v[0], &soum) || soum > 99999 || soum < 10000 ||
            !geo.FindSoum(static_cast<int32_t>(soum))) {
          return Problem(file, line,
                         {"soum_code", "a soum or district code (5 digits)",
                          "сум, дүүргийн код (5 оронтой)"},
                         v[0]);
        }
        MALCHIN_RETURN_IF_ERROR(CheckDate(file, line, "date", v[1]));
        if (v[2] != "low" && v[2] != "medium" && v[2] != "high" &&
            v[2] != "very_high") {
          return Problem(file, line,
                         {"level", "low, medium, high or very_high",
                          "low, medium, high эсвэл very_high"},
                         v[2]);
        }
        MALCHIN_RETURN_IF_ERROR(CheckSource(file, line, v[3]));
        auto key = std::make_pair(static_cast<int32_t>(soum), v[1]);
        if (!seen.emplace(key, line).second) {
          return Problem(
              file, line,
              {"date", "one row per soum and date", "сум, огноо бүрт нэг мөр"},
              v[1]);
        }
        out.push_back({static_cast<int32_t>(soum), v[1], v[2], v[3], "", 0});
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<PriceRow>> ParsePriceCsv(std::string_view file,
                                            std::string_view csv) {
  std::vector<PriceRow> out;
  MALCHIN_RETURN_IF_ERROR(ReadTable(
      file, csv, {"item", "unit", "aimag", "from", "price", "source"},
      [&](size_t line, const std::vector<std::string>& v) -> Status {
        bool item_ok = !v[0].empty() && v[0].size() <= 32;
        for (char c : v[0])
          item_ok = item_ok && ((c >= 'a' && c <= 'z') || c == '_');
        if (!item_ok) {
          return Problem(file, line,
                         {"item", "a lower-case name (sheep, cashmere, ...)",
                          "жижиг латин үсгээр нэр (sheep, cashmere, ...)"},
                         v[0]);
        }
        if (v[1] != "head" && v[1] != "kg") {
          return Problem(file, line, {"unit", "head or kg", "head эсвэл kg"},
                         v[1]);
        }
        int64_t aimag = 0;
        if (!ToInt(v[2], &aimag) ||
            (aimag != 0 && (aimag < 100 || aimag > 999))) {
          return Problem(file, line,
                         {"aimag", "0 (national) or a 3-digit aimag code",
                          "0 (улсын) эсвэл аймгийн 3 оронтой код"},
                         v[2]);
        }
        MALCHIN_RETURN_IF_ERROR(CheckDate(file, line, "from", v[3]));
        int64_t price = 0;
        if (!ToInt(v[4], &price) || price <= 0) {
          return Problem(file, line,
                         {"price", "a positive whole number of MNT",
                          "эерэг бүхэл тоо (төгрөг)"},
                         v[4]);
        }
        MALCHIN_RETURN_IF_ERROR(CheckSource(file, line, v[5]));
        out.push_back({v[0], v[1], static_cast<int32_t>(aimag), v[3], price,
                       v[5], "", 0});
        return Status::Ok();
      }));
  // The table's own rules (one unit per item, one row per item, aimag and
  // date): the file on its own must make a valid table.
  std::string table = "item,unit,aimag,from,price,source\n";
  for (const PriceRow& r : out) {
    csv::AppendRow(&table, {r.item, r.unit, std::to_string(r.aimag_code),
                            r.from, std::to_string(r.price), r.source});
  }
  auto parsed = prices::PriceTable::Parse(file, table);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        parsed.status().message() + " / " + std::string(file) +
            ": үнийн хүснэгт буруу (" + parsed.status().message() + ")",
        parsed.status().field());
  }
  return out;
}

namespace {

Status AuditImport(store::Session& session, const char* action,
                   std::string_view file, size_t rows) {
  store::AuditEntry a;
  a.action = action;
  a.entity_type = "file";
  a.entity_id = std::string(file.substr(0, 200));
  a.after_json = "{\"rows\":" + std::to_string(rows) + "}";
  return session.Audit(a).status();
}

}  // namespace

Result<ImportSummary> ImportRisk(store::Session& session, std::string_view file,
                                 std::string_view csv,
                                 const geo::Geography& geo) {
  MALCHIN_ASSIGN_OR_RETURN(auto rows, ParseRiskCsv(file, csv, geo));
  int64_t now =
      session.clock().Now().time_since_epoch() / std::chrono::seconds(1);
  for (RiskRow& r : rows) {
    r.imported_by = session.caller().actor;
    r.imported_at = now;
  }
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session.Get<Repository>().UpsertRisk(rows));
    return AuditImport(session, "herder.import_risk", file, rows.size());
  }));
  return ImportSummary{static_cast<int64_t>(rows.size())};
}

Result<ImportSummary> ImportPrices(store::Session& session,
                                   std::string_view file,
                                   std::string_view csv) {
  MALCHIN_ASSIGN_OR_RETURN(auto rows, ParsePriceCsv(file, csv));
  int64_t now =
      session.clock().Now().time_since_epoch() / std::chrono::seconds(1);
  for (PriceRow& r : rows) {
    r.imported_by = session.caller().actor;
    r.imported_at = now;
  }
  MALCHIN_RETURN_IF_ERROR(session.Write([&]() -> Status {
    MALCHIN_RETURN_IF_ERROR(session.Get<Repository>().UpsertPrices(rows));
    // The merged table must stay valid (an item's unit cannot change).
    MALCHIN_RETURN_IF_ERROR(EffectivePrices(session).status());
    return AuditImport(session, "herder.import_prices", file, rows.size());
  }));
  return ImportSummary{static_cast<int64_t>(rows.size())};
}

Result<std::shared_ptr<const prices::PriceTable>> EffectivePrices(
    store::Session& session) {
  MALCHIN_ASSIGN_OR_RETURN(auto embedded, prices::PriceTable::Embedded());
  std::vector<PriceRow> imported;
  MALCHIN_RETURN_IF_ERROR(session.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(imported,
                             session.Get<Repository>().ImportedPrices());
    return Status::Ok();
  }));
  if (imported.empty()) return embedded;
  // (item, aimag, from) -> row; imported rows replace embedded ones.
  std::map<std::tuple<std::string, int32_t, std::string>,
           std::vector<std::string>>
      rows;
  for (const prices::Price& p : embedded->rows()) {
    rows[{p.item, p.aimag_code, p.from.ToString()}] = {
        p.item,
        std::string(prices::UnitName(p.unit)),
        std::to_string(p.aimag_code),
        p.from.ToString(),
        std::to_string(p.unit_price),
        p.source};
  }
  for (const PriceRow& r : imported) {
    rows[{r.item, r.aimag_code, r.from}] = {r.item,
                                            r.unit,
                                            std::to_string(r.aimag_code),
                                            r.from,
                                            std::to_string(r.price),
                                            r.source};
  }
  std::string table = "item,unit,aimag,from,price,source\n";
  for (const auto& [key, v] : rows) {
    csv::AppendRow(&table, {v[0], v[1], v[2], v[3], v[4], v[5]});
  }
  auto merged = prices::PriceTable::Parse("imported prices", table);
  if (!merged.ok()) {
    return Status::InvalidArgument(
        merged.status().message() +
            " / импортын үнэ өмнөх хүснэгттэй зөрчилдөж байна (" +
            merged.status().message() + ")",
        merged.status().field());
  }
  return merged;
}

}  // namespace malchin::herder
