#include "grievance/catalogue.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace malchin::embedded {
extern const std::string_view kGrievanceCategoriesJson;
extern const std::string_view kGrievanceDirectoryJson;
}  // namespace malchin::embedded

namespace malchin::grievance {
namespace {

using Json = nlohmann::json;

// Says where a problem is: "<source> line N: <code> <field>: what". The line
// is that of the entry's key (exact for the usual layout).
class Where {
 public:
  Where(std::string_view json, std::string_view source)
      : json_(json), source_(source) {}
  Status Error(const std::string& code, const std::string& field,
               const std::string& what) const {
    size_t pos =
        code.empty() ? std::string_view::npos : json_.find("\"" + code + "\"");
    if (pos != std::string_view::npos && !field.empty()) {
      size_t at = json_.find("\"" + field + "\"", pos);
      if (at != std::string_view::npos) pos = at;
    }
    std::string out(source_);
    if (pos != std::string_view::npos) {
      out +=
          " line " + std::to_string(1 + std::count(json_.begin(),
                                                   json_.begin() + pos, '\n'));
    }
    if (!code.empty()) out += ": " + code;
    if (!field.empty()) out += " " + field;
    return Status::InvalidArgument(out + ": " + what, field);
  }

 private:
  std::string_view json_;
  std::string_view source_;
};

bool IsCode(std::string_view s) {
  if (s.size() < 2 || s.size() > 40) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// A text field of at most `max` bytes, valid UTF-8 and on one line (or
// empty when `required` is false).
Status CheckText(std::string_view value, const char* field, size_t max,
                 bool required) {
  if (required && value.empty()) {
    return Status::InvalidArgument(std::string(field) + ": expected a text",
                                   field);
  }
  if (value.size() > max || text::FindInvalidUtf8(value) ||
      std::any_of(value.begin(), value.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20;
      })) {
    return Status::InvalidArgument(
        std::string(field) + ": expected one line of UTF-8 text of at most " +
            std::to_string(max) + " bytes",
        field);
  }
  return Status::Ok();
}

// Reads {"mn": ..., "en": ...} (or nothing when absent and optional).
Status ReadPair(const Json& j, const char* key, std::string* mn,
                std::string* en) {
  if (!j.contains(key)) return Status::Ok();
  const Json& v = j[key];
  if (!v.is_object() || !v.value("mn", Json()).is_string() ||
      !v.value("en", Json()).is_string()) {
    return Status::InvalidArgument(
        std::string(key) + ": expected {\"mn\": text, \"en\": text}", key);
  }
  *mn = v["mn"].get<std::string>();
  *en = v["en"].get<std::string>();
  return Status::Ok();
}

Result<Json> ParseDocument(const Where& where, std::string_view json,
                           const char* list) {
  Json doc;
  try {
    doc = Json::parse(json);
  } catch (const Json::exception& e) {
    return where.Error("", "", std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains(list) || !doc[list].is_object()) {
    return where.Error("", "",
                       std::string("expected an object with '") + list + "'");
  }
  return doc;
}

template <class T>
std::vector<T> Merge(std::vector<T> shipped, const std::vector<T>& stored) {
  std::map<std::string, T> by_code;
  for (T& t : shipped) by_code[t.code] = std::move(t);
  for (const T& t : stored) by_code[t.code] = t;
  std::vector<T> out;
  for (auto& [code, t] : by_code) out.push_back(std::move(t));
  return out;
}

}  // namespace

Status CheckCategory(const Category& c) {
  if (!IsCode(c.code)) {
    return Status::InvalidArgument(
        "code '" + c.code + "': expected 2-40 of a-z, 0-9 and _", "code");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(c.name_mn, "name.mn", 200, true));
  MALCHIN_RETURN_IF_ERROR(CheckText(c.name_en, "name.en", 200, true));
  MALCHIN_RETURN_IF_ERROR(
      CheckText(c.description_mn, "description.mn", 1000, false));
  return CheckText(c.description_en, "description.en", 1000, false);
}

Status CheckService(const ReferralService& s, const geo::Geography& geo) {
  if (!IsCode(s.code)) {
    return Status::InvalidArgument(
        "code '" + s.code + "': expected 2-40 of a-z, 0-9 and _", "code");
  }
  if (std::find(std::begin(kServiceKinds), std::end(kServiceKinds), s.kind) ==
      std::end(kServiceKinds)) {
    return Status::InvalidArgument(
        "kind '" + s.kind +
            "': expected one_stop_centre, hotline, police, health, shelter, "
            "legal_aid, social_welfare or child_protection",
        "kind");
  }
  if (s.area_code != 0 && geo.Find(s.area_code) == nullptr) {
    return Status::InvalidArgument(
        "area_code " + std::to_string(s.area_code) +
            ": expected 0 (national) or a known aimag or soum code",
        "area_code");
  }
  if (s.confidence != "high" && s.confidence != "medium" &&
      s.confidence != "low") {
    return Status::InvalidArgument(
        "confidence '" + s.confidence + "': expected high, medium or low",
        "confidence");
  }
  bool digits = std::all_of(s.phone.begin(), s.phone.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == ' ' || c == '+';
  });
  if (!digits || s.phone.size() > 20) {
    return Status::InvalidArgument(
        "phone '" + s.phone + "': expected digits as dialled, or empty",
        "phone");
  }
  MALCHIN_RETURN_IF_ERROR(CheckText(s.name_mn, "name.mn", 200, true));
  MALCHIN_RETURN_IF_ERROR(CheckText(s.name_en, "name.en", 200, true));
  for (const auto& [v, f] : {std::pair{&s.hours, "hours"},
                             {&s.address_mn, "address.mn"},
                             {&s.address_en, "address.en"},
                             {&s.note_mn, "note.mn"},
                             {&s.note_en, "note.en"},
                             {&s.source, "source"}}) {
    MALCHIN_RETURN_IF_ERROR(CheckText(*v, f, 1000, false));
  }
  return Status::Ok();
}

Result<std::vector<Category>> ParseCategories(std::string_view json,
                                              std::string_view source) {
  Where where(json, source);
  MALCHIN_ASSIGN_OR_RETURN(Json doc, ParseDocument(where, json, "categories"));
  std::vector<Category> out;
  for (auto& [code, j] : doc["categories"].items()) {
    Category c;
    c.code = code;
    c.source = std::string(source);
    if (!j.is_object()) return where.Error(code, "", "expected an object");
    Status st = ReadPair(j, "name", &c.name_mn, &c.name_en);
    if (st.ok()) {
      st = ReadPair(j, "description", &c.description_mn, &c.description_en);
    }
    if (!st.ok()) return where.Error(code, st.field(), st.message());
    for (const char* flag : {"sensitive", "active"}) {
      if (j.contains(flag) && !j[flag].is_boolean()) {
        return where.Error(code, flag, "expected true or false");
      }
    }
    c.sensitive = j.value("sensitive", false);
    c.active = j.value("active", true);
    st = CheckCategory(c);
    if (!st.ok()) return where.Error(code, st.field(), st.message());
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<ReferralService>> ParseDirectory(std::string_view json,
                                                    std::string_view source,
                                                    const geo::Geography& geo) {
  Where where(json, source);
  MALCHIN_ASSIGN_OR_RETURN(Json doc, ParseDocument(where, json, "services"));
  std::vector<ReferralService> out;
  for (auto& [code, j] : doc["services"].items()) {
    if (!j.is_object()) return where.Error(code, "", "expected an object");
    ReferralService s;
    s.code = code;
    Status st = ReadPair(j, "name", &s.name_mn, &s.name_en);
    if (st.ok()) st = ReadPair(j, "address", &s.address_mn, &s.address_en);
    if (st.ok()) st = ReadPair(j, "note", &s.note_mn, &s.note_en);
    if (!st.ok()) return where.Error(code, st.field(), st.message());
    for (const char* key : {"kind", "phone", "hours", "source", "confidence"}) {
      if (j.contains(key) && !j[key].is_string()) {
        return where.Error(code, key, "expected a text");
      }
    }
    if (j.contains("area_code") && !j["area_code"].is_number_integer()) {
      return where.Error(code, "area_code", "expected an integer code");
    }
    for (const char* flag : {"verified", "active"}) {
      if (j.contains(flag) && !j[flag].is_boolean()) {
        return where.Error(code, flag, "expected true or false");
      }
    }
    s.kind = j.value("kind", "");
    s.area_code = j.value("area_code", 0);
    s.phone = j.value("phone", "");
    s.hours = j.value("hours", "");
    s.source = j.value("source", "");
    s.confidence = j.value("confidence", "");
    s.verified = j.value("verified", false);
    s.active = j.value("active", true);
    st = CheckService(s, geo);
    if (!st.ok()) return where.Error(code, st.field(), st.message());
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<Category>> ShippedCategories() {
  static const Result<std::vector<Category>> kShipped =
      []() -> Result<std::vector<Category>> {
    MALCHIN_ASSIGN_OR_RETURN(
        auto all, ParseCategories(embedded::kGrievanceCategoriesJson,
                                  "src/grievance/data/categories.json"));
    for (Category& c : all) c.source = "shipped";
    return all;
  }();
  return kShipped;
}

Result<std::vector<ReferralService>> ShippedDirectory(
    const geo::Geography& geo) {
  return ParseDirectory(embedded::kGrievanceDirectoryJson,
                        "src/grievance/data/referral_directory.json", geo);
}

std::vector<Category> MergeCategories(std::vector<Category> shipped,
                                      const std::vector<Category>& stored) {
  return Merge(std::move(shipped), stored);
}

std::vector<ReferralService> MergeDirectory(
    std::vector<ReferralService> shipped,
    const std::vector<ReferralService>& stored) {
  return Merge(std::move(shipped), stored);
}

std::vector<ReferralService> ServicesFor(
    const std::vector<ReferralService>& directory, int32_t soum_code) {
  std::vector<ReferralService> out;
  for (const ReferralService& s : directory) {
    if (!s.active) continue;
    if (s.area_code == 0 || s.area_code == soum_code ||
        s.area_code == geo::AimagOfSoum(soum_code)) {
      out.push_back(s);
    }
  }
  auto rank = [](const ReferralService& s) {
    return s.area_code == 0 ? 0 : (s.area_code < 1000 ? 1 : 2);
  };
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) {
    int ra = rank(a), rb = rank(b);
    return std::tie(ra, a.kind, a.code) < std::tie(rb, b.kind, b.code);
  });
  return out;
}

const Category* FindCategory(const std::vector<Category>& all,
                             std::string_view code) {
  for (const Category& c : all) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace malchin::grievance
