#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "core/text.h"
#include "csv/csv.h"
#include "exchange/exchange.h"
#include "exchange/files.h"

namespace malchin::exchange {
namespace {

using internal::Row;
using registry::Household;
using registry::Person;

// Reads one file into rows, checking the header. File-level problems go to
// `report.errors` with line 0 or the line at fault.
std::optional<csv::Header> ReadTable(const InputFile& in,
                                     const std::vector<std::string>& required,
                                     const std::vector<std::string>& optional,
                                     std::vector<Row>* rows,
                                     ImportReport* report) {
  std::optional<csv::Header> header;
  bool header_failed = false;
  Status st = csv::ReadRecords(
      in.name, in.data, {}, [&](const csv::Record& r) -> Status {
        if (!header && !header_failed) {
          auto h = csv::Header::Make(in.name, r, required, optional);
          if (!h.ok()) {
            header_failed = true;
            return h.status();
          }
          header = std::move(*h);
          for (const std::string& extra : header->extra()) {
            report->warnings.push_back(in.name + ": column '" + extra +
                                       "' is not part of the format and is "
                                       "ignored");
          }
          return Status::Ok();
        }
        Row row;
        row.line = r.line;
        row.fields = r.fields;
        if (r.fields.size() != header->width()) {
          row.errors.push_back(
              {in.name, r.line, "", std::to_string(r.fields.size()) + " fields",
               std::to_string(header->width()) + " fields as in the header"});
        }
        rows->push_back(std::move(row));
        return Status::Ok();
      });
  if (!st.ok()) {
    report->errors.push_back({in.name, 0, "", "", st.message()});
    return std::nullopt;
  }
  if (!header) {
    report->errors.push_back(
        {in.name, 0, "", "",
         "a header row and data; the file is empty (header expected: " +
             [&] {
               std::string s;
               for (const auto& c : required) s += (s.empty() ? "" : ",") + c;
               return s;
             }() +
             ")"});
    return std::nullopt;
  }
  return header;
}

class RowReader {
 public:
  RowReader(const std::string& file, const csv::Header& h, Row& row)
      : file_(file), h_(h), row_(row) {}

  std::string Text(const char* col) const {
    int i = h_.Index(col);
    if (i < 0 || static_cast<size_t>(i) >= row_.fields.size()) return "";
    const std::string& v = row_.fields[i];
    size_t b = v.find_first_not_of(" \t");
    size_t e = v.find_last_not_of(" \t");
    return b == std::string::npos ? "" : v.substr(b, e - b + 1);
  }

  void Error(const char* col, const std::string& value,
             const std::string& expected) {
    row_.errors.push_back({file_, row_.line, col, value, expected});
  }

  template <typename Int>
  Int Integer(const char* col, Int lo, Int hi, bool required, Int fallback) {
    std::string v = Text(col);
    if (v.empty()) {
      if (required) Error(col, v, "a whole number");
      return fallback;
    }
    Int out{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size() || out < lo || out > hi) {
      Error(col, v,
            "a whole number from " + std::to_string(lo) + " to " +
                std::to_string(hi));
      return fallback;
    }
    return out;
  }

  bool Flag(const char* col, bool required) {
    std::string v = Text(col);
    if (v == "1") return true;
    if (v == "0" || (v.empty() && !required)) return false;
    Error(col, v, "0 or 1");
    return false;
  }

  std::optional<double> Decimal(const char* col) {
    std::string v = Text(col);
    if (v.empty()) return std::nullopt;
    double out = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (ec != std::errc() || p != v.data() + v.size()) {
      Error(col, v, "a decimal number such as 47.92");
      return std::nullopt;
    }
    return out;
  }

 private:
  const std::string& file_;
  const csv::Header& h_;
  Row& row_;
};

void AddFieldErrors(const std::vector<registry::FieldError>& errs,
                    RowReader& r) {
  for (const auto& e : errs) r.Error(e.field.c_str(), e.value, e.expected);
}

}  // namespace

Result<ImportReport> ImportRegister(store::Store& store,
                                    const geo::Geography& geo,
                                    const InputFile& hh_file,
                                    const InputFile& p_file,
                                    const ImportOptions& options) {
  ImportReport report;
  if (options.keep_valid && options.rejects_dir.empty()) {
    return Status::InvalidArgument(
        "keeping valid rows needs a folder for the rejected ones (--rejects)",
        "rejects");
  }
  std::vector<Row> hh_rows, p_rows;
  auto hh_header =
      ReadTable(hh_file, {"household_id", "soum_code", "herder"},
                {"bag", "current_soum_code", "camels", "horses", "cattle",
                 "sheep", "goats", "cooperative", "phone", "lat", "lon"},
                &hh_rows, &report);
  auto p_header = ReadTable(
      p_file,
      {"register_no", "household_id", "father_name", "given_name", "sex",
       "birth_date", "relation"},
      {"family_name", "disability", "herder", "phone", "bank_account"}, &p_rows,
      &report);
  if (!hh_header || !p_header) return report;  // File-level errors.
  report.household_rows = static_cast<int64_t>(hh_rows.size());
  report.person_rows = static_cast<int64_t>(p_rows.size());

  // --- Households ----------------------------------------------------------
  std::vector<Household> households(hh_rows.size());
  std::unordered_map<std::string, size_t> hh_index;  // id -> first row.
  for (size_t i = 0; i < hh_rows.size(); ++i) {
    Row& row = hh_rows[i];
    RowReader r(hh_file.name, *hh_header, row);
    Household& h = households[i];
    h.id = r.Text("household_id");
    h.soum_code = r.Integer<int32_t>("soum_code", 10000, 99999, true, 0);
    h.bag = r.Text("bag");
    h.current_soum_code =
        hh_header->Index("current_soum_code") >= 0 &&
                !r.Text("current_soum_code").empty()
            ? r.Integer<int32_t>("current_soum_code", 10000, 99999, true, 0)
            : h.soum_code;
    h.herder = r.Flag("herder", true);
    const char* species[] = {"camels", "horses", "cattle", "sheep", "goats"};
    for (int s = 0; s < registry::kSpeciesCount; ++s) {
      h.herd.head[s] = r.Integer<int32_t>(species[s], 0, 100000, false, 0);
    }
    h.cooperative = r.Text("cooperative");
    h.phone = r.Text("phone");
    h.lat = r.Decimal("lat");
    h.lon = r.Decimal("lon");
    if (row.errors.empty()) AddFieldErrors(ValidateHousehold(h, geo), r);
    auto [it, fresh] = hh_index.emplace(h.id, i);
    if (!fresh && !h.id.empty()) {
      r.Error("household_id", h.id,
              "a household id that appears once (also at line " +
                  std::to_string(hh_rows[it->second].line) + ")");
    }
  }

  // --- Persons -------------------------------------------------------------
  std::vector<Person> persons(p_rows.size());
  std::unordered_map<std::string, size_t> rn_first;
  std::vector<size_t> rn_dups;
  for (size_t i = 0; i < p_rows.size(); ++i) {
    Row& row = p_rows[i];
    RowReader r(p_file.name, *p_header, row);
    Person& p = persons[i];
    p.register_no = registry::NormalizeRegisterNumber(r.Text("register_no"));
    p.household_id = r.Text("household_id");
    p.family_name = r.Text("family_name");
    p.father_name = r.Text("father_name");
    p.given_name = r.Text("given_name");
    bool parsed = true;
    auto sex = registry::ParseSex(r.Text("sex"));
    if (sex.ok()) {
      p.sex = *sex;
    } else {
      r.Error("sex", r.Text("sex"), "F or M");
      parsed = false;
    }
    auto born = Date::Parse(r.Text("birth_date"));
    if (born.ok()) {
      p.birth_date = *born;
    } else {
      r.Error("birth_date", r.Text("birth_date"),
              "a real date written YYYY-MM-DD");
      parsed = false;
    }
    auto rel = registry::ParseRelation(r.Text("relation"));
    if (rel.ok()) {
      p.relation = *rel;
    } else {
      r.Error("relation", r.Text("relation"),
              "head, spouse, child, parent, sibling, grandchild or other");
    }
    p.disability = r.Flag("disability", false);
    p.herder = r.Flag("herder", false);
    p.phone = r.Text("phone");
    p.bank_account = r.Text("bank_account");
    auto field_errors = registry::ValidatePerson(p, options.today);
    for (const auto& e : field_errors) {
      // Without a parsed sex and date the register-number check says
      // nothing useful beyond its own form.
      if (!parsed && e.field == "register_no") {
        auto form = registry::ParseRegisterNumber(p.register_no);
        if (form.ok()) continue;
        r.Error("register_no", p.register_no, form.status().message());
        continue;
      }
      if (!parsed && e.field == "birth_date") continue;
      r.Error(e.field.c_str(), e.value, e.expected);
    }
    auto [it, fresh] = rn_first.emplace(p.register_no, i);
    if (!fresh && !p.register_no.empty()) {
      rn_dups.push_back(i);
      report.duplicates.push_back({Duplicate::Kind::kRegisterNumberTwiceInFile,
                                   p_file.name, row.line, p.register_no,
                                   p.register_no, p_rows[it->second].line, ""});
    }
  }
  for (size_t i : rn_dups) {
    size_t first = rn_first[persons[i].register_no];
    for (size_t k : {first, i}) {
      p_rows[k].errors.push_back(
          {p_file.name, p_rows[k].line, "register_no", persons[k].register_no,
           "a register number that appears once in the file (lines " +
               std::to_string(p_rows[first].line) + " and " +
               std::to_string(p_rows[i].line) + ")"});
    }
  }

  // Each person's household: valid in this file, or already stored.
  std::unordered_map<std::string, bool> stored_household;
  auto household_ok = [&](const std::string& id,
                          std::string* why) -> Result<bool> {
    auto it = hh_index.find(id);
    if (it != hh_index.end()) {
      if (hh_rows[it->second].errors.empty()) return true;
      *why = "a household that is imported (household " + id + " at " +
             hh_file.name + " line " +
             std::to_string(hh_rows[it->second].line) + " has errors)";
      return false;
    }
    auto cached = stored_household.find(id);
    if (cached == stored_household.end()) {
      MALCHIN_ASSIGN_OR_RETURN(auto found, store.FindHousehold(id));
      cached = stored_household.emplace(id, found.has_value()).first;
    }
    if (!cached->second) {
      *why = "the id of a household in " + hh_file.name + " or in the register";
    }
    return cached->second;
  };
  // One head per household among the file's rows.
  std::unordered_map<std::string, size_t> head_row;
  for (size_t i = 0; i < p_rows.size(); ++i) {
    Person& p = persons[i];
    RowReader r(p_file.name, *p_header, p_rows[i]);
    if (!p.household_id.empty() &&
        registry::IsValidHouseholdId(p.household_id)) {
      std::string why;
      MALCHIN_ASSIGN_OR_RETURN(bool ok, household_ok(p.household_id, &why));
      if (!ok) r.Error("household_id", p.household_id, why);
    }
    if (p.relation == registry::Relation::kHead && p_rows[i].errors.empty()) {
      auto [it, fresh] = head_row.emplace(p.household_id, i);
      if (!fresh) {
        r.Error("relation", "head",
                "one head per household (household " + p.household_id +
                    " already has head " + persons[it->second].register_no +
                    " at line " + std::to_string(p_rows[it->second].line) +
                    ")");
      }
    }
  }
  // A head in the file must not clash with a different stored head who
  // stays head of that household.
  for (auto& [hh_id, i] : head_row) {
    if (hh_index.count(hh_id) == 0 && !stored_household[hh_id]) continue;
    MALCHIN_ASSIGN_OR_RETURN(auto members, store.Members(hh_id));
    for (const Person& m : members) {
      if (m.relation != registry::Relation::kHead || m.deactivated ||
          m.register_no == persons[i].register_no) {
        continue;
      }
      auto in_file = rn_first.find(m.register_no);
      bool changed =
          in_file != rn_first.end() &&
          (persons[in_file->second].relation != registry::Relation::kHead ||
           persons[in_file->second].household_id != hh_id);
      if (!changed) {
        RowReader r(p_file.name, *p_header, p_rows[i]);
        r.Error("relation", "head",
                "one head per household (household " + hh_id +
                    " already has head " + m.register_no +
                    " in the register; change that person's relation in the "
                    "same import)");
      }
    }
  }

  // --- Possible duplicates by name and birth date (review, not errors) -----
  std::vector<store::NameProbe> probes;
  std::vector<size_t> probe_row;
  std::unordered_map<std::string, size_t> name_first;
  for (size_t i = 0; i < p_rows.size(); ++i) {
    if (!p_rows[i].errors.empty()) continue;
    const Person& p = persons[i];
    std::string key = text::NameKey(p.father_name + " " + p.given_name);
    std::string full = key + "|" + p.birth_date.ToString();
    auto [it, fresh] = name_first.emplace(full, i);
    if (!fresh) {
      report.duplicates.push_back({Duplicate::Kind::kNameAndBirthInFile,
                                   p_file.name, p_rows[i].line, p.register_no,
                                   persons[it->second].register_no,
                                   p_rows[it->second].line,
                                   p.father_name + " " + p.given_name + ", " +
                                       p.birth_date.ToString()});
    }
    probes.push_back({key, p.birth_date, p.register_no});
    probe_row.push_back(i);
  }
  MALCHIN_ASSIGN_OR_RETURN(auto matches, store.FindNameMatches(probes));
  for (size_t k = 0; k < matches.size(); ++k) {
    const Person& p = persons[probe_row[k]];
    for (const Person& m : matches[k]) {
      if (rn_first.count(m.register_no)) continue;  // Reported in-file.
      report.duplicates.push_back({Duplicate::Kind::kNameAndBirthInRegister,
                                   p_file.name, p_rows[probe_row[k]].line,
                                   p.register_no, m.register_no, 0,
                                   p.father_name + " " + p.given_name + ", " +
                                       p.birth_date.ToString()});
    }
  }

  // --- Decide and write ----------------------------------------------------
  std::vector<Household> good_hh;
  std::vector<Person> good_p;
  for (size_t i = 0; i < hh_rows.size(); ++i) {
    if (hh_rows[i].errors.empty()) {
      good_hh.push_back(std::move(households[i]));
    } else {
      report.rejected_households++;
      for (auto& e : hh_rows[i].errors) report.errors.push_back(e);
    }
  }
  for (size_t i = 0; i < p_rows.size(); ++i) {
    if (p_rows[i].errors.empty()) {
      good_p.push_back(std::move(persons[i]));
    } else {
      report.rejected_persons++;
      for (auto& e : p_rows[i].errors) report.errors.push_back(e);
    }
  }
  // Persons sorted by household so the store looks each household up once.
  std::stable_sort(good_p.begin(), good_p.end(),
                   [](const Person& a, const Person& b) {
                     return a.household_id < b.household_id;
                   });
  if (!report.errors.empty() && !options.keep_valid) return report;
  if (options.keep_valid) {
    MALCHIN_RETURN_IF_ERROR(internal::WriteRejects(options.rejects_dir, hh_file,
                                                   *hh_header, hh_rows, p_file,
                                                   *p_header, p_rows, report));
  }
  MALCHIN_ASSIGN_OR_RETURN(
      report.counts,
      store.Upsert(good_hh, good_p,
                   {options.actor, hh_file.name + " + " + p_file.name}));
  report.written = true;
  return report;
}

}  // namespace malchin::exchange
