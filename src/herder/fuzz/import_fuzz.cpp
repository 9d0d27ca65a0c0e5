#include "herder/fuzz/import_fuzz.h"

#include <string_view>

#include "herder/imports.h"

namespace malchin::herder::fuzz {
namespace {

std::string CheckRefusal(const Status& s) {
  if (s.message().find("f.csv") == std::string::npos) {
    return "refusal without the file name: " + s.message();
  }
  if (s.message().find(" / ") == std::string::npos) {
    return "refusal not bilingual: " + s.message();
  }
  return "";
}

}  // namespace

std::string CheckParsers(const uint8_t* data, size_t size) {
  static const auto geo = geo::Geography::Load().value();
  std::string_view csv(reinterpret_cast<const char*>(data), size);
  auto risk = ParseRiskCsv("f.csv", csv, *geo);
  if (risk.ok()) {
    for (const RiskRow& r : *risk) {
      if (!geo->FindSoum(r.soum_code)) return "risk row with unknown soum";
      if (r.level != "low" && r.level != "medium" && r.level != "high" &&
          r.level != "very_high") {
        return "risk row with level " + r.level;
      }
    }
  } else if (auto broken = CheckRefusal(risk.status()); !broken.empty()) {
    return broken;
  }
  auto prices = ParsePriceCsv("f.csv", csv);
  if (prices.ok()) {
    for (const PriceRow& r : *prices) {
      if (r.price <= 0) return "price row with price <= 0";
      if (r.unit != "head" && r.unit != "kg") return "price row unit " + r.unit;
    }
  } else if (auto broken = CheckRefusal(prices.status()); !broken.empty()) {
    return broken;
  }
  return "";
}

}  // namespace malchin::herder::fuzz
