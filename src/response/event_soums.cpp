#include "response/event_soums.h"

#include <algorithm>
#include <map>
#include <optional>

#include "csv/csv.h"
#include "rules/event.h"

namespace malchin::response {

bool IsEventType(std::string_view type) {
  static constexpr std::string_view kTypes[] = {
      "dzud", "drought", "flood", "snowstorm", "epidemic", "other"};
  return std::find(std::begin(kTypes), std::end(kTypes), type) !=
         std::end(kTypes);
}

bool IsValidCode(std::string_view code) {
  if (code.empty() || code.size() > 40) return false;
  auto ok = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  };
  return std::all_of(code.begin(), code.end(), ok) && code[0] != '_' &&
         code[0] != '-';
}

namespace {

// The severity of a soum row as the rule language reads it ("very high"
// too), or nothing.
std::optional<Severity> SeverityOfRow(std::string_view text) {
  auto s = rules::ParseSeverity(text);
  if (!s.ok() || *s == rules::Severity::kNone) return std::nullopt;
  auto ours = ParseSeverity(rules::SeverityName(*s));
  if (!ours.ok()) return std::nullopt;
  return *ours;
}

}  // namespace

Status ValidateEvent(const response::ShockEventRecord& e,
                     const geo::Geography& geo) {
  std::vector<std::string> problems;
  if (!IsValidCode(e.code)) {
    problems.push_back("code '" + e.code +
                       "': expected 1-40 of a-z, 0-9, '_' and '-'");
  }
  if (!IsEventType(e.type)) {
    problems.push_back("type '" + e.type +
                       "': expected dzud, drought, flood, snowstorm, "
                       "epidemic or other");
  }
  if (e.name.empty()) problems.push_back("name: expected a name");
  if (e.declared_on > e.starts_on) {
    problems.push_back("declared " + e.declared_on.ToString() +
                       ": expected on or before the start " +
                       e.starts_on.ToString());
  }
  if (e.ends_on && *e.ends_on < e.starts_on) {
    problems.push_back("end " + e.ends_on->ToString() +
                       ": expected on or after the start " +
                       e.starts_on.ToString());
  }
  std::map<int32_t, int> seen;
  for (const response::EventSoum& s : e.soums) {
    if (!geo.FindSoum(s.soum_code)) {
      problems.push_back("soum " + std::to_string(s.soum_code) +
                         ": expected the NSO code of a soum or district");
    }
    if (++seen[s.soum_code] == 2) {
      problems.push_back("soum " + std::to_string(s.soum_code) +
                         " is listed twice");
    }
  }
  if (problems.empty()) return Status::Ok();
  std::string msg = "event " + e.code + ":";
  for (const auto& p : problems) msg += "\n  " + p;
  return Status::InvalidArgument(msg);
}

Result<std::vector<response::EventSoum>> ParseEventSoums(
    std::string_view file_name, std::string_view data,
    const geo::Geography& geo) {
  std::vector<response::EventSoum> out;
  std::vector<std::string> problems;
  std::map<int32_t, size_t> first_line;
  std::optional<csv::Header> header;
  const std::string file(file_name);
  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(file_name, r, {"soum_code", "severity"}, {}));
          return Status::Ok();
        }
        const std::string where = file + ":" + std::to_string(r.line) + ": ";
        if (r.fields.size() != header->width()) {
          problems.push_back(where + std::to_string(r.fields.size()) +
                             " fields: expected " +
                             std::to_string(header->width()));
          return Status::Ok();
        }
        const std::string& soum_text = r.fields[header->Index("soum_code")];
        const std::string& sev_text = r.fields[header->Index("severity")];
        int32_t code = 0;
        auto unit = geo.Resolve(soum_text);
        if (!unit.ok()) {
          problems.push_back(where + "column soum_code, value '" + soum_text +
                             "': expected a soum's 5-digit NSO code or name (" +
                             unit.status().message() + ")");
        } else if ((*unit)->is_aimag_level()) {
          problems.push_back(where + "column soum_code, value '" + soum_text +
                             "': is an aimag; expected a soum");
        } else {
          code = (*unit)->code;
        }
        auto severity = SeverityOfRow(sev_text);
        if (!severity) {
          problems.push_back(where + "column severity, value '" + sev_text +
                             "': expected very_high, high, medium or low");
        }
        if (code != 0) {
          auto [it, fresh] = first_line.emplace(code, r.line);
          if (!fresh) {
            problems.push_back(where + "soum " + std::to_string(code) +
                               " is listed again (first on line " +
                               std::to_string(it->second) + ")");
            return Status::Ok();
          }
        }
        if (code != 0 && severity) out.push_back({code, *severity});
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (!header) {
    return Status::InvalidArgument(file +
                                   ": empty; expected a header "
                                   "soum_code,severity and rows");
  }
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problem(s) in " +
                      file + ", nothing imported:";
    for (const auto& p : problems) msg += "\n  " + p;
    return Status::InvalidArgument(msg);
  }
  std::sort(out.begin(), out.end(),
            [](const response::EventSoum& a, const response::EventSoum& b) {
              return a.soum_code < b.soum_code;
            });
  return out;
}

}  // namespace malchin::response
