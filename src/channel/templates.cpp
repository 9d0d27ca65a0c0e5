#include "channel/templates.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.h"

namespace malchin::embedded {
extern const std::string_view kSmsTemplatesJson;
}

namespace malchin::channel {
namespace {

using Json = nlohmann::json;
constexpr Language kLanguages[] = {Language::kMongolian, Language::kEnglish};

// Says where in the catalogue a problem is: "<source> line N: template 'x'
// <field>: ...". The line is found by searching for the template's key and
// then each part of the field's path ("parameters.amount.sample") after it,
// which is exact for the usual layout.
class Where {
 public:
  Where(std::string_view json, std::string_view source)
      : json_(json), source_(source) {}

  Status Error(const std::string& id, const std::string& field,
               const std::string& what) const {
    size_t pos =
        id.empty() ? std::string_view::npos : json_.find("\"" + id + "\"");
    for (size_t from = 0;
         pos != std::string_view::npos && from < field.size();) {
      size_t dot = std::min(field.find('.', from), field.size());
      size_t at = json_.find("\"" + field.substr(from, dot - from) + "\"", pos);
      if (at == std::string_view::npos) break;
      pos = at;
      from = dot + 1;
    }
    std::string line =
        pos == std::string_view::npos
            ? ""
            : " line " +
                  std::to_string(
                      1 + std::count(json_.begin(), json_.begin() + pos, '\n'));
    std::string where = id.empty() ? "" : " template '" + id + "'";
    if (!field.empty()) where += " " + field;
    if (!where.empty()) where = ":" + where;
    return Status::InvalidArgument(
        std::string(source_) + line + where + ": " + what, field);
  }

 private:
  std::string_view json_;
  std::string_view source_;
};

bool IsName(std::string_view s, bool allow_dot) {
  if (s.empty() || s.size() > 64 || s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (allow_dot && c == '.');
  });
}

int CodePoints(std::string_view s) {
  int n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// Splits a text into literal and {parameter} pieces; the message names
// what is wrong.
Result<std::vector<TemplateCatalogue::Piece>> SplitText(std::string_view t) {
  std::vector<TemplateCatalogue::Piece> out;
  std::string literal;
  for (size_t i = 0; i < t.size(); ++i) {
    if ((t[i] == '{' || t[i] == '}') && i + 1 < t.size() && t[i + 1] == t[i]) {
      literal += t[i++];
      continue;
    }
    if (t[i] == '}') {
      return Status::InvalidArgument("a lone '}' at byte " + std::to_string(i) +
                                     " (write '}}')");
    }
    if (t[i] != '{') {
      literal += t[i];
      continue;
    }
    size_t close = t.find('}', i);
    std::string_view name =
        close == std::string_view::npos ? "" : t.substr(i + 1, close - i - 1);
    if (!IsName(name, false)) {
      return Status::InvalidArgument(
          "'{' at byte " + std::to_string(i) +
          " does not open a {parameter} (a-z, 0-9, _; write '{{' for a brace)");
    }
    if (!literal.empty()) out.push_back({false, std::move(literal)});
    literal.clear();
    out.push_back({true, std::string(name)});
    i = close;
  }
  if (!literal.empty()) out.push_back({false, std::move(literal)});
  return out;
}

// What is wrong with `v` as a value of `p`, or "" if nothing.
std::string ValueProblem(const TemplateParameter& p, const std::string& v) {
  if (auto at = text::FindInvalidUtf8(v)) {
    return "not valid UTF-8 at byte " + std::to_string(*at);
  }
  if (std::any_of(v.begin(), v.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
      })) {
    return "holds a control character (a line break or tab); expected one "
           "line of text";
  }
  if (v.empty()) return "is empty";
  if (CodePoints(v) > p.max_length) {
    return "'" + v + "' has " + std::to_string(CodePoints(v)) +
           " characters; at most " + std::to_string(p.max_length);
  }
  return "";
}

Result<TemplateParameter> ParseParameter(const Where& where,
                                         const std::string& id,
                                         const std::string& name, const Json& j,
                                         int max_length) {
  std::string field = "parameters." + name;
  if (!IsName(name, false)) {
    return where.Error(id, field, "a parameter name is a-z, 0-9 and _");
  }
  if (!j.is_object() || !j.contains("description") ||
      !j["description"].is_string() || !j.contains("sample") ||
      !j["sample"].is_string() || !j.contains("max_length") ||
      !j["max_length"].is_number_integer()) {
    return where.Error(id, field,
                       "expected {\"description\": text, \"sample\": text, "
                       "\"max_length\": whole number}");
  }
  TemplateParameter p{name, j["description"].get<std::string>(),
                      j["sample"].get<std::string>(),
                      j["max_length"].get<int>()};
  if (p.max_length < 1 || p.max_length > max_length) {
    return where.Error(id, field + ".max_length",
                       "is " + std::to_string(p.max_length) +
                           "; expected 1 to " + std::to_string(max_length) +
                           " characters");
  }
  if (std::string problem = ValueProblem(p, p.sample); !problem.empty()) {
    return where.Error(id, field + ".sample", problem);
  }
  return p;
}

// Every text uses exactly the declared parameters.
Status CheckUses(const Where& where, const MessageTemplate& t, Language lang,
                 const std::vector<TemplateCatalogue::Piece>& pieces) {
  std::string field = "text." + std::string(LanguageCode(lang));
  std::set<std::string> declared, used;
  for (const auto& p : t.parameters) declared.insert(p.name);
  for (const auto& piece : pieces) {
    if (piece.parameter) used.insert(piece.text);
  }
  for (const auto& u : used) {
    if (!declared.count(u)) {
      return where.Error(t.id, field,
                         "uses {" + u + "}, which is not among its parameters");
    }
  }
  for (const auto& d : declared) {
    if (!used.count(d)) {
      return where.Error(t.id, field, "does not use its parameter {" + d + "}");
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view LanguageCode(Language language) {
  return language == Language::kMongolian ? "mn" : "en";
}

Result<Language> ParseLanguage(std::string_view code) {
  if (code == "mn") return Language::kMongolian;
  if (code == "en") return Language::kEnglish;
  return Status::InvalidArgument(
      "language '" + std::string(code) + "': expected 'mn' or 'en'",
      "language");
}

Result<std::shared_ptr<const TemplateCatalogue>> TemplateCatalogue::Embedded() {
  static const Result<std::shared_ptr<const TemplateCatalogue>> kCatalogue =
      Parse(embedded::kSmsTemplatesJson, "src/channel/data/sms_templates.json");
  return kCatalogue;
}

Result<std::shared_ptr<const TemplateCatalogue>> TemplateCatalogue::Parse(
    std::string_view json, std::string_view source, int max_parameter_length) {
  Where where(json, source);
  Json doc;
  try {
    doc = Json::parse(json);
  } catch (const Json::exception& e) {
    return where.Error("", "", std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || !doc.contains("templates") ||
      !doc["templates"].is_object()) {
    return where.Error("", "", "expected an object with 'templates'");
  }
  auto catalogue = std::make_shared<TemplateCatalogue>();
  if (doc.contains("version") && doc["version"].is_string()) {
    catalogue->version_ = doc["version"].get<std::string>();
  }
  for (auto& [id, j] : doc["templates"].items()) {
    if (!IsName(id, true)) {
      return where.Error(id, "", "an id is a-z, 0-9, _ and .");
    }
    if (!j.is_object() || !j.contains("description") ||
        !j["description"].is_string() || !j.contains("parameters") ||
        !j["parameters"].is_object() || !j.contains("text") ||
        !j["text"].is_object()) {
      return where.Error(id, "",
                         "expected {\"description\": text, \"parameters\": "
                         "{...}, \"text\": {\"mn\": ..., \"en\": ...}}");
    }
    MessageTemplate t{id, j["description"].get<std::string>(), {}, {}};
    for (auto& [name, pj] : j["parameters"].items()) {
      MALCHIN_ASSIGN_OR_RETURN(
          TemplateParameter p,
          ParseParameter(where, id, name, pj, max_parameter_length));
      t.parameters.push_back(std::move(p));
    }
    for (auto& [code, tj] : j["text"].items()) {
      auto lang = ParseLanguage(code);
      if (!lang.ok() || !tj.is_string() || tj.get<std::string>().empty()) {
        return where.Error(id, "text." + code,
                           "expected a non-empty text for 'mn' or 'en'");
      }
      std::string s = tj.get<std::string>();
      auto pieces = SplitText(s);
      if (!pieces.ok()) {
        return where.Error(id, "text." + code, pieces.status().message());
      }
      MALCHIN_RETURN_IF_ERROR(CheckUses(where, t, *lang, *pieces));
      t.text[*lang] = std::move(s);
      catalogue->pieces_[{id, *lang}] = std::move(*pieces);
    }
    for (Language lang : kLanguages) {
      if (!t.text.count(lang)) {
        return where.Error(id, "text",
                           "has no '" + std::string(LanguageCode(lang)) +
                               "' text; every template needs mn and en");
      }
    }
    catalogue->templates_[id] = std::move(t);
  }
  return std::shared_ptr<const TemplateCatalogue>(std::move(catalogue));
}

Result<std::shared_ptr<const TemplateCatalogue>> TemplateCatalogue::WithText(
    std::string_view id, Language language, std::string_view text) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) {
    return Status::NotFound("SMS-ийн загвар '" + std::string(id) +
                            "' алга / no SMS template '" + std::string(id) +
                            "'");
  }
  // The ministry's officer reads why in Mongolian first; the detail
  // (which parameter, which byte) follows in English.
  const Where where("",
                    "засварласан текстийг хүлээн авсангүй: бүх {параметр}-ээ "
                    "ашиглаж, өөр параметргүй, хаалтыг {{ }} гэж давхарлан "
                    "бичнэ / the edited text");
  const std::string field = "text." + std::string(LanguageCode(language));
  auto refuse = [&](const std::string& what) {
    return Status::InvalidArgument(where.Error(t->id, field, what).message(),
                                   "text");
  };
  if (text.empty()) return refuse("is empty; write the message");
  if (auto at = text::FindInvalidUtf8(text)) {
    return refuse("is not valid UTF-8 at byte " + std::to_string(*at));
  }
  if (std::any_of(text.begin(), text.end(), [](char c) {
        return static_cast<unsigned char>(c) < 0x20 && c != '\n';
      })) {
    return refuse("holds a control character (only line breaks are allowed)");
  }
  auto pieces = SplitText(text);
  if (!pieces.ok()) return refuse(pieces.status().message());
  if (Status uses = CheckUses(where, *t, language, *pieces); !uses.ok()) {
    return Status::InvalidArgument(uses.message(), "text");
  }
  auto copy = std::make_shared<TemplateCatalogue>(*this);
  copy->templates_[t->id].text[language] = std::string(text);
  copy->pieces_[{t->id, language}] = std::move(*pieces);
  return std::shared_ptr<const TemplateCatalogue>(std::move(copy));
}

std::vector<std::string> TemplateCatalogue::Ids() const {
  std::vector<std::string> out;
  for (const auto& [id, t] : templates_) out.push_back(id);
  return out;
}

const MessageTemplate* TemplateCatalogue::Find(std::string_view id) const {
  auto it = templates_.find(id);
  return it == templates_.end() ? nullptr : &it->second;
}

Result<std::string> TemplateCatalogue::Render(
    std::string_view id, Language language,
    const TemplateValues& values) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) {
    return Status::NotFound("no SMS template '" + std::string(id) + "'");
  }
  for (const auto& entry : values) {
    const std::string& name = entry.first;
    const std::string& value = entry.second;
    auto p = std::find_if(t->parameters.begin(), t->parameters.end(),
                          [&](const auto& q) { return q.name == name; });
    if (p == t->parameters.end()) {
      return Status::InvalidArgument(
          "template '" + t->id + "' has no parameter {" + name + "}", name);
    }
    if (std::string problem = ValueProblem(*p, value); !problem.empty()) {
      return Status::InvalidArgument(
          "template '" + t->id + "' parameter {" + name + "}: " + problem,
          name);
    }
  }
  for (const auto& p : t->parameters) {
    if (!values.count(p.name)) {
      return Status::InvalidArgument(
          "template '" + t->id + "': parameter {" + p.name + "} is missing",
          p.name);
    }
  }
  std::string out;
  for (const Piece& piece : pieces_.at({t->id, language})) {
    out += piece.parameter ? values.find(piece.text)->second : piece.text;
  }
  return out;
}

Result<TemplateValues> TemplateCatalogue::SampleValues(std::string_view id,
                                                       bool longest) const {
  const MessageTemplate* t = Find(id);
  if (t == nullptr) {
    return Status::NotFound("no SMS template '" + std::string(id) + "'");
  }
  TemplateValues out;
  for (const auto& p : t->parameters) {
    std::string v = p.sample;
    while (longest && CodePoints(v) < p.max_length) {
      // Repeat the sample's characters, one code point at a time.
      size_t k = 0;
      for (size_t i = 0; i < p.sample.size() && CodePoints(v) < p.max_length;
           i += k) {
        char32_t cp;
        k = text::DecodeUtf8(p.sample, i, &cp);
        if (k == 0) k = 1;
        v += p.sample.substr(i, k);
      }
    }
    out[p.name] = std::move(v);
  }
  return out;
}

Result<SmsPreview> PreviewTemplate(const TemplateCatalogue& catalogue,
                                   std::string_view id, Language language,
                                   const TemplateValues& values,
                                   const params::ParameterSet& parameters,
                                   Date on) {
  SmsPreview out;
  MALCHIN_ASSIGN_OR_RETURN(out.text, catalogue.Render(id, language, values));
  MALCHIN_ASSIGN_OR_RETURN(out.plan, PlanSms(out.text));
  MALCHIN_ASSIGN_OR_RETURN(out.cost, SmsCost(out.plan, parameters, on));
  MALCHIN_ASSIGN_OR_RETURN(out.max_segments, MaxSegments(parameters, on));
  out.fits = out.plan.segments <= out.max_segments;
  return out;
}

std::string GroupedAmount(int64_t mnt) {
  // The magnitude in unsigned arithmetic: -INT64_MIN does not fit int64_t.
  const uint64_t magnitude =
      mnt < 0 ? 0 - static_cast<uint64_t>(mnt) : static_cast<uint64_t>(mnt);
  const std::string digits = std::to_string(magnitude);
  std::string out = mnt < 0 ? "-" : "";
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string ClipCodePoints(std::string_view text, size_t max) {
  size_t points = 0, end = 0;
  for (; end < text.size(); ++end) {
    const bool lead = (static_cast<unsigned char>(text[end]) & 0xC0) != 0x80;
    if (lead && ++points > max) break;
  }
  return std::string(text.substr(0, end));
}

}  // namespace malchin::channel
