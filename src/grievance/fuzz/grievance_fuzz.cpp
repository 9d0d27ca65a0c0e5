#include "grievance/fuzz/grievance_fuzz.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "grievance/batch.h"
#include "grievance/catalogue.h"

namespace malchin::grievance::fuzz {
namespace {

std::string CheckBatch(std::string_view data) {
  auto parsed = ParseBatch("fuzz.csv", data);
  if (!parsed.ok()) return "";
  size_t lines =
      static_cast<size_t>(std::count(data.begin(), data.end(), '\n')) + 1;
  for (const BatchRow& r : parsed->rows) {
    if (r.line < 2 || r.line > lines) return "a row outside the file's lines";
    if (!r.external_id.empty() && r.external_id.rfind("batch:", 0) != 0) {
      return "a row id without its batch: prefix";
    }
  }
  for (const BatchProblem& p : parsed->problems) {
    if (p.line < 2 || p.line > lines) return "a problem outside the file";
    if (p.field.empty()) return "a problem that names no field";
  }
  return "";
}

std::string CheckCategories(std::string_view data) {
  auto parsed = ParseCategories(data, "fuzz.json");
  if (!parsed.ok()) return "";
  std::set<std::string> codes;
  for (const Category& c : *parsed) {
    if (!CheckCategory(c).ok()) return "a category its own check refuses";
    if (!codes.insert(c.code).second) return "a category code twice";
  }
  return "";
}

std::string CheckDirectory(std::string_view data) {
  static const auto geo = *geo::Geography::Load();
  auto parsed = ParseDirectory(data, "fuzz.json", *geo);
  if (!parsed.ok()) return "";
  for (const ReferralService& s : *parsed) {
    if (!CheckService(s, *geo).ok()) return "a service its own check refuses";
  }
  return "";
}

}  // namespace

std::string CheckParsers(const uint8_t* data, size_t size) {
  if (size == 0) return "";
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      return CheckBatch(in);
    case 1:
      return CheckCategories(in);
    default:
      return CheckDirectory(in);
  }
}

}  // namespace malchin::grievance::fuzz
