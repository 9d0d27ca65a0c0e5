// Import of households.csv and persons.csv, streamed: the files are read
// several times (validation, duplicate review, writing) and never held
// whole. What stays in memory is small per row: household ids, and for each
// person its line, household, register number (packed into 8 bytes) and
// flags, plus the errors and duplicates reported.
#include <algorithm>
#include <charconv>
#include <cstring>
#include <functional>
#include <optional>
#include <tuple>
#include <unordered_map>

#include "core/text.h"
#include "csv/csv.h"
#include "exchange/exchange.h"
#include "exchange/files.h"

namespace malchin::exchange {
namespace {

using internal::Row;
using registry::Household;
using registry::Person;

constexpr const char* kHouseholdRequired[] = {"household_id", "soum_code",
                                              "herder"};
constexpr const char* kHouseholdOptional[] = {
    "bag",   "current_soum_code", "camels", "horses", "cattle", "sheep",
    "goats", "cooperative",       "phone",  "lat",    "lon"};
constexpr const char* kPersonRequired[] = {
    "register_no", "household_id", "father_name", "given_name",
    "sex",         "birth_date",   "relation"};
constexpr const char* kPersonOptional[] = {"family_name", "disability",
                                           "herder", "phone", "bank_account"};

template <size_t N>
std::vector<std::string> Names(const char* const (&a)[N]) {
  return std::vector<std::string>(a, a + N);
}

// The records of an input: streamed from disk (path) or from memory (data).
Status ForEachRecord(const InputFile& in,
                     const std::function<Status(const csv::Record&)>& fn) {
  if (!in.path.empty())
    return csv::ReadRecordsFromFile(in.path, in.name, {}, fn);
  return csv::ReadRecords(in.name, in.data, {}, fn);
}

// Reads one file row by row, checking the header first. File-level problems
// go to `report->errors` (line 0 or the line at fault) and the result is
// nullopt; an error returned by `on_row` (not about the input) stops the
// read and is returned as the Status.
Result<std::optional<csv::Header>> ScanTable(
    const InputFile& in, const std::vector<std::string>& required,
    const std::vector<std::string>& optional, ImportReport* report, bool warn,
    const std::function<Status(const csv::Header&, Row&)>& on_row) {
  std::optional<csv::Header> header;
  Status fatal;
  bool header_failed = false;
  Status st = ForEachRecord(in, [&](const csv::Record& r) -> Status {
    if (!header && !header_failed) {
      auto h = csv::Header::Make(in.name, r, required, optional);
      if (!h.ok()) {
        header_failed = true;
        return h.status();
      }
      header = std::move(*h);
      if (warn) {
        for (const std::string& extra : header->extra()) {
          report->warnings.push_back(in.name + ": column '" + extra +
                                     "' is not part of the format and is "
                                     "ignored");
        }
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
    fatal = on_row(*header, row);
    // Stop the reader; `fatal` says why.
    return fatal.ok() ? Status::Ok() : Status::FailedPrecondition("stopped");
  });
  if (!fatal.ok()) return fatal;
  if (!st.ok()) {
    report->errors.push_back({in.name, 0, "", "", st.message()});
    return std::optional<csv::Header>();
  }
  if (!header) {
    std::string cols;
    for (const auto& c : required) cols += (cols.empty() ? "" : ",") + c;
    report->errors.push_back(
        {in.name, 0, "", "",
         "a header row and data; the file is empty (header expected: " + cols +
             ")"});
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

// A household row: its fields and their errors (in `row`).
Household ParseHousehold(Row& row, const InputFile& file,
                         const csv::Header& header, const geo::Geography& geo) {
  RowReader r(file.name, header, row);
  Household h;
  h.id = r.Text("household_id");
  h.soum_code = r.Integer<int32_t>("soum_code", 10000, 99999, true, 0);
  h.bag = r.Text("bag");
  h.current_soum_code =
      header.Index("current_soum_code") >= 0 &&
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
  if (row.errors.empty()) {
    for (const auto& e : ValidateHousehold(h, geo)) {
      r.Error(e.field.c_str(), e.value, e.expected);
    }
  }
  return h;
}

// A person row: its fields and the errors of the row alone (in `row`).
Person ParsePerson(Row& row, const InputFile& file, const csv::Header& header,
                   Date today) {
  RowReader r(file.name, header, row);
  Person p;
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
  for (const auto& e : registry::ValidatePerson(p, today)) {
    // Without a parsed sex and date the register-number check says nothing
    // useful beyond its own form.
    if (!parsed && e.field == "register_no") {
      auto form = registry::ParseRegisterNumber(p.register_no);
      if (form.ok()) continue;
      r.Error("register_no", p.register_no, form.status().message());
      continue;
    }
    if (!parsed && e.field == "birth_date") continue;
    r.Error(e.field.c_str(), e.value, e.expected);
  }
  return p;
}

// A register number in 8 bytes when it has the usual form (two 2-byte
// UTF-8 letters and 8 digits; 0 otherwise), and back.
uint64_t PackRegisterNumber(std::string_view rn) {
  if (rn.size() != 12) return 0;
  uint64_t letters = 0;
  for (int i = 0; i < 4; ++i) {
    letters = letters << 8 | static_cast<unsigned char>(rn[i]);
  }
  uint64_t digits = 0;
  for (size_t i = 4; i < 12; ++i) {
    if (rn[i] < '0' || rn[i] > '9') return 0;
    digits = digits * 10 + static_cast<uint64_t>(rn[i] - '0');
  }
  if ((letters & 0x80008000u) != 0x80008000u) return 0;
  return letters << 27 | digits;
}
std::string UnpackRegisterNumber(uint64_t code) {
  uint64_t letters = code >> 27, digits = code & ((uint64_t{1} << 27) - 1);
  std::string rn(12, '0');
  for (int i = 3; i >= 0; --i, letters >>= 8) {
    rn[i] = static_cast<char>(letters & 0xFF);
  }
  for (int i = 11; i >= 4; --i, digits /= 10) {
    rn[i] = static_cast<char>('0' + digits % 10);
  }
  return rn;
}

// 128 bits of FNV-1a over two seeds: the in-file name and birth date
// review compares these instead of keeping every key.
std::pair<uint64_t, uint64_t> Hash128(std::string_view s) {
  uint64_t a = 1469598103934665603ull, b = 0x9E3779B97F4A7C15ull;
  for (unsigned char c : s) {
    a = (a ^ c) * 1099511628211ull;
    b = (b ^ c) * 0x100000001B3ull + (b >> 29);
  }
  return {a, b};
}

// What is kept of a person row between the passes.
struct PersonRow {
  uint64_t rn = 0;  // PackRegisterNumber, 0 if not packable.
  uint32_t line = 0;
  uint32_t household = 0;  // Index into the household ids seen.
  bool head = false;
  bool bad = false;
};

// An error of a person row, in report order: row, then phase (the order in
// which the checks run), then as found.
struct PersonError {
  uint32_t row;
  uint8_t phase;
  RowError error;
};

}  // namespace

Result<ImportReport> ImportRegister(registry::Repository& store,
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

  // Progress: passes 1-3 read and check (to 45%), pass 4 writes row by row.
  auto progress = [&](double fraction, const std::string& phase) {
    if (options.progress) options.progress(fraction, phase);
  };
  auto rows_progress = [&](double from, double to, size_t done, size_t total,
                           const char* what) {
    if (!options.progress || total == 0 || done % 8192 != 0) return;
    progress(from + (to - from) * static_cast<double>(done) /
                        static_cast<double>(total),
             std::string(what) + ": " + std::to_string(done) + " of " +
                 std::to_string(total) + " rows");
  };
  progress(0.0, "checking households");

  // --- Pass 1: households --------------------------------------------------
  // Household ids, of the file and of the register, as indexes.
  struct HouseholdSeen {
    uint32_t index = 0;
    uint32_t line = 0;           // First line in the file; 0: not in it.
    bool ok = false;             // That first row has no errors.
    std::optional<bool> stored;  // For ids not in the file, once looked up.
  };
  std::unordered_map<std::string, HouseholdSeen> households;
  std::vector<const std::string*> household_ids;
  auto intern = [&](const std::string& id) -> HouseholdSeen& {
    auto [it, fresh] = households.emplace(id, HouseholdSeen{});
    if (fresh) {
      it->second.index = static_cast<uint32_t>(household_ids.size());
      household_ids.push_back(&it->first);
    }
    return it->second;
  };
  std::vector<bool> hh_bad;
  std::vector<RowError> hh_errors;
  MALCHIN_ASSIGN_OR_RETURN(
      auto hh_header,
      ScanTable(hh_file, Names(kHouseholdRequired), Names(kHouseholdOptional),
                &report, true,
                [&](const csv::Header& header, Row& row) -> Status {
                  Household h = ParseHousehold(row, hh_file, header, geo);
                  HouseholdSeen& seen = intern(h.id);
                  if (seen.line != 0 && !h.id.empty()) {
                    RowReader(hh_file.name, header, row)
                        .Error("household_id", h.id,
                               "a household id that appears once (also at "
                               "line " +
                                   std::to_string(seen.line) + ")");
                  } else if (seen.line == 0) {
                    seen.line = static_cast<uint32_t>(row.line);
                    seen.ok = row.errors.empty();
                  }
                  hh_bad.push_back(!row.errors.empty());
                  for (auto& e : row.errors) hh_errors.push_back(std::move(e));
                  return Status::Ok();
                }));

  progress(0.05, "checking persons");
  // --- Pass 2: persons, row by row ------------------------------------------
  std::vector<PersonRow> rows;
  std::vector<PersonError> p_errors;
  // Register numbers: packed with their row, sorted later; others by text.
  std::vector<std::pair<uint64_t, uint32_t>> rn_rows;
  std::unordered_map<std::string, std::vector<uint32_t>> odd_rns;
  auto add_error = [&](uint32_t row, uint8_t phase, RowError e) {
    rows[row].bad = true;
    p_errors.push_back({row, phase, std::move(e)});
  };
  std::optional<csv::Header> p_header;
  if (hh_header) {
    MALCHIN_ASSIGN_OR_RETURN(
        p_header,
        ScanTable(
            p_file, Names(kPersonRequired), Names(kPersonOptional), &report,
            true, [&](const csv::Header& header, Row& row) -> Status {
              Person p = ParsePerson(row, p_file, header, options.today);
              uint32_t i = static_cast<uint32_t>(rows.size());
              PersonRow pr;
              pr.line = static_cast<uint32_t>(row.line);
              pr.head = p.relation == registry::Relation::kHead;
              pr.rn = PackRegisterNumber(p.register_no);
              HouseholdSeen& hh = intern(p.household_id);
              pr.household = hh.index;
              rows.push_back(pr);
              for (auto& e : row.errors) add_error(i, 0, std::move(e));
              if (pr.rn != 0) {
                rn_rows.emplace_back(pr.rn, i);
              } else if (!p.register_no.empty()) {
                odd_rns[p.register_no].push_back(i);
              }
              // The household: valid in this file, or already stored.
              if (!p.household_id.empty() &&
                  registry::IsValidHouseholdId(p.household_id)) {
                std::string why;
                if (hh.line != 0) {
                  if (!hh.ok) {
                    why = "a household that is imported (household " +
                          p.household_id + " at " + hh_file.name + " line " +
                          std::to_string(hh.line) + " has errors)";
                  }
                } else {
                  if (!hh.stored) {
                    MALCHIN_ASSIGN_OR_RETURN(
                        auto found, store.FindHousehold(p.household_id));
                    hh.stored = found.has_value();
                  }
                  if (!*hh.stored) {
                    why = "the id of a household in " + hh_file.name +
                          " or in the register";
                  }
                }
                if (!why.empty()) {
                  add_error(i, 2,
                            {p_file.name, row.line, "household_id",
                             p.household_id, why});
                }
              }
              return Status::Ok();
            }));
  }
  if (!hh_header) {
    // Still report the persons file's own file-level problems.
    MALCHIN_RETURN_IF_ERROR(
        ScanTable(p_file, Names(kPersonRequired), Names(kPersonOptional),
                  &report, true,
                  [](const csv::Header&, Row&) { return Status::Ok(); })
            .status());
  }
  if (!hh_header || !p_header) return report;  // File-level errors.
  report.household_rows = static_cast<int64_t>(hh_bad.size());
  report.person_rows = static_cast<int64_t>(rows.size());

  // A register number twice in the file: an error on both rows.
  std::sort(rn_rows.begin(), rn_rows.end());
  std::vector<std::pair<uint32_t, uint32_t>> rn_dups;  // (row, first row).
  for (size_t a = 0; a < rn_rows.size();) {
    size_t b = a + 1;
    while (b < rn_rows.size() && rn_rows[b].first == rn_rows[a].first) {
      rn_dups.emplace_back(rn_rows[b].second, rn_rows[a].second);
      ++b;
    }
    a = b;
  }
  for (auto& [rn, list] : odd_rns) {
    for (size_t k = 1; k < list.size(); ++k) {
      rn_dups.emplace_back(list[k], list[0]);
    }
  }
  std::sort(rn_dups.begin(), rn_dups.end());
  auto rn_of = [&](uint32_t row) -> std::string {
    if (rows[row].rn != 0) return UnpackRegisterNumber(rows[row].rn);
    for (const auto& [rn, list] : odd_rns) {
      if (std::find(list.begin(), list.end(), row) != list.end()) return rn;
    }
    return "";
  };
  for (auto [i, first] : rn_dups) {
    std::string rn = rn_of(i);
    report.duplicates.push_back({Duplicate::Kind::kRegisterNumberTwiceInFile,
                                 p_file.name, rows[i].line, rn, rn,
                                 rows[first].line, ""});
    for (uint32_t k : {first, i}) {
      add_error(k, 1,
                {p_file.name, rows[k].line, "register_no", rn,
                 "a register number that appears once in the file (lines " +
                     std::to_string(rows[first].line) + " and " +
                     std::to_string(rows[i].line) + ")"});
    }
  }
  // The first row of a register number (for the checks below).
  auto row_of_rn = [&](const std::string& rn) -> std::optional<uint32_t> {
    uint64_t code = PackRegisterNumber(rn);
    if (code == 0) {
      auto it = odd_rns.find(rn);
      if (it == odd_rns.end()) return std::nullopt;
      return it->second.front();
    }
    auto it = std::lower_bound(rn_rows.begin(), rn_rows.end(),
                               std::make_pair(code, uint32_t{0}));
    if (it == rn_rows.end() || it->first != code) return std::nullopt;
    return it->second;
  };

  // One head per household among the file's rows.
  std::vector<int64_t> head_row(household_ids.size(), -1);
  std::vector<uint32_t> heads;  // Households with a head in the file.
  for (uint32_t i = 0; i < rows.size(); ++i) {
    const PersonRow& pr = rows[i];
    if (!pr.head || pr.bad) continue;
    int64_t& first = head_row[pr.household];
    if (first < 0) {
      first = i;
      heads.push_back(pr.household);
      continue;
    }
    add_error(
        i, 3,
        {p_file.name, pr.line, "relation", "head",
         "one head per household (household " + *household_ids[pr.household] +
             " already has head " + rn_of(static_cast<uint32_t>(first)) +
             " at line " + std::to_string(rows[first].line) + ")"});
  }
  // A head in the file must not clash with a different stored head who
  // stays head of that household.
  for (uint32_t hh : heads) {
    const std::string& hh_id = *household_ids[hh];
    const HouseholdSeen& seen = households.at(hh_id);
    if (seen.line == 0 && !seen.stored.value_or(false)) continue;
    uint32_t i = static_cast<uint32_t>(head_row[hh]);
    std::string head_rn = rn_of(i);
    MALCHIN_ASSIGN_OR_RETURN(auto members, store.Members(hh_id));
    for (const Person& m : members) {
      if (m.relation != registry::Relation::kHead || m.deactivated ||
          m.register_no == head_rn) {
        continue;
      }
      auto in_file = row_of_rn(m.register_no);
      bool changed =
          in_file && (!rows[*in_file].head || rows[*in_file].household != hh);
      if (!changed) {
        add_error(i, 4,
                  {p_file.name, rows[i].line, "relation", "head",
                   "one head per household (household " + hh_id +
                       " already has head " + m.register_no +
                       " in the register; change that person's relation in "
                       "the same import)"});
      }
    }
  }

  progress(0.35, "looking for possible duplicates");
  // --- Pass 3: possible duplicates by name and birth date (review) --------
  // Valid rows only. In the file: rows with the same 128-bit hash of name
  // key and birth date. In the register: through the store, in batches.
  struct NameSeen {
    std::pair<uint64_t, uint64_t> hash;
    uint32_t row;
    bool operator<(const NameSeen& o) const {
      return std::tie(hash, row) < std::tie(o.hash, o.row);
    }
  };
  std::vector<NameSeen> names;
  std::vector<Duplicate> in_register;
  std::vector<registry::NameProbe> probes;
  std::vector<std::pair<uint32_t, std::string>> probe_rows;  // Row, name.
  auto flush_probes = [&]() -> Status {
    if (probes.empty()) return Status::Ok();
    MALCHIN_ASSIGN_OR_RETURN(auto matches, store.FindNameMatches(probes));
    for (size_t k = 0; k < matches.size(); ++k) {
      for (const Person& m : matches[k]) {
        if (row_of_rn(m.register_no)) continue;  // Reported in-file.
        in_register.push_back({Duplicate::Kind::kNameAndBirthInRegister,
                               p_file.name, rows[probe_rows[k].first].line,
                               probes[k].register_no, m.register_no, 0,
                               probe_rows[k].second});
      }
    }
    probes.clear();
    probe_rows.clear();
    return Status::Ok();
  };
  uint32_t at = 0;
  auto each_person =
      [&](const std::function<Status(uint32_t, Row&, const Person&)>& fn)
      -> Status {
    at = 0;
    MALCHIN_ASSIGN_OR_RETURN(
        auto again,
        ScanTable(p_file, Names(kPersonRequired), Names(kPersonOptional),
                  &report, false,
                  [&](const csv::Header& header, Row& row) -> Status {
                    uint32_t i = at++;
                    if (i >= rows.size() || rows[i].line != row.line) {
                      return Status::FailedPrecondition(
                          p_file.name +
                          " changed while it was being imported; nothing was "
                          "written");
                    }
                    Person p = ParsePerson(row, p_file, header, options.today);
                    return fn(i, row, p);
                  }));
    if (!again || at != rows.size()) {
      return Status::FailedPrecondition(
          p_file.name +
          " changed while it was being imported; nothing "
          "was written");
    }
    return Status::Ok();
  };
  bool any_good = std::any_of(rows.begin(), rows.end(),
                              [](const PersonRow& r) { return !r.bad; });
  if (any_good) {
    MALCHIN_RETURN_IF_ERROR(
        each_person([&](uint32_t i, Row&, const Person& p) -> Status {
          if (rows[i].bad) return Status::Ok();
          std::string key = text::NameKey(p.father_name + " " + p.given_name);
          names.push_back({Hash128(key + "|" + p.birth_date.ToString()), i});
          probes.push_back(
              {key, p.birth_date, p.register_no, text::NameKey(p.given_name)});
          probe_rows.emplace_back(i, p.father_name + " " + p.given_name + ", " +
                                         p.birth_date.ToString());
          if (probes.size() >= 4096) return flush_probes();
          return Status::Ok();
        }));
    MALCHIN_RETURN_IF_ERROR(flush_probes());
  }
  std::sort(names.begin(), names.end());
  std::unordered_map<uint32_t, uint32_t> name_first;  // Row -> first row.
  for (size_t a = 0; a < names.size();) {
    size_t b = a + 1;
    while (b < names.size() && names[b].hash == names[a].hash) {
      name_first.emplace(names[b].row, names[a].row);
      ++b;
    }
    a = b;
  }
  names.clear();
  names.shrink_to_fit();
  if (!name_first.empty()) {
    // The rows' names, for the report (one more read, only when needed).
    std::vector<std::pair<uint32_t, Duplicate>> in_file;
    MALCHIN_RETURN_IF_ERROR(
        each_person([&](uint32_t i, Row&, const Person& p) -> Status {
          auto it = name_first.find(i);
          if (it == name_first.end()) return Status::Ok();
          in_file.push_back(
              {i,
               {Duplicate::Kind::kNameAndBirthInFile, p_file.name, rows[i].line,
                p.register_no, rn_of(it->second), rows[it->second].line,
                p.father_name + " " + p.given_name + ", " +
                    p.birth_date.ToString()}});
          return Status::Ok();
        }));
    for (auto& [i, d] : in_file) report.duplicates.push_back(std::move(d));
  }
  for (auto& d : in_register) report.duplicates.push_back(std::move(d));

  // --- The report's errors, in file and row order --------------------------
  std::stable_sort(p_errors.begin(), p_errors.end(),
                   [](const PersonError& a, const PersonError& b) {
                     return std::tie(a.row, a.phase) < std::tie(b.row, b.phase);
                   });
  for (bool bad : hh_bad) report.rejected_households += bad;
  for (const PersonRow& r : rows) report.rejected_persons += r.bad;
  report.errors.insert(report.errors.end(), hh_errors.begin(), hh_errors.end());
  for (const PersonError& e : p_errors) report.errors.push_back(e.error);
  if (!report.errors.empty() && !options.keep_valid) return report;

  progress(0.45, "writing households");
  // --- Pass 4: write, in one transaction -----------------------------------
  // Rejected rows (with their errors) are collected for the rejects folder.
  std::vector<Row> hh_rejects, p_rejects;
  MALCHIN_ASSIGN_OR_RETURN(
      auto writer,
      store.BeginUpsert({options.actor, hh_file.name + " + " + p_file.name}));
  size_t hh_at = 0, hh_error_at = 0;
  MALCHIN_ASSIGN_OR_RETURN(
      auto hh_again,
      ScanTable(
          hh_file, Names(kHouseholdRequired), Names(kHouseholdOptional),
          &report, false, [&](const csv::Header& header, Row& row) -> Status {
            size_t i = hh_at++;
            rows_progress(0.45, 0.55, i, hh_bad.size(), "writing households");
            if (i >= hh_bad.size()) {
              return Status::FailedPrecondition(
                  hh_file.name +
                  " changed while it was being "
                  "imported; nothing was written");
            }
            Household h = ParseHousehold(row, hh_file, header, geo);
            if (!hh_bad[i]) {
              if (!row.errors.empty()) {
                return Status::FailedPrecondition(
                    hh_file.name +
                    " changed while it was being "
                    "imported; nothing was written");
              }
              return writer->AddHousehold(h);
            }
            Row reject{row.line, std::move(row.fields), {}};
            while (hh_error_at < hh_errors.size() &&
                   hh_errors[hh_error_at].line == row.line) {
              reject.errors.push_back(hh_errors[hh_error_at++]);
            }
            if (options.keep_valid) hh_rejects.push_back(std::move(reject));
            return Status::Ok();
          }));
  if (!hh_again || hh_at != hh_bad.size()) {
    return Status::FailedPrecondition(
        hh_file.name +
        " changed while it was being imported; nothing was "
        "written");
  }
  size_t p_error_at = 0;
  MALCHIN_RETURN_IF_ERROR(
      each_person([&](uint32_t i, Row& row, const Person& p) -> Status {
        rows_progress(0.55, 0.97, i, rows.size(), "writing persons");
        if (!rows[i].bad) {
          if (!row.errors.empty()) {
            return Status::FailedPrecondition(
                p_file.name +
                " changed while it was being imported; "
                "nothing was written");
          }
          return writer->AddPerson(p);
        }
        Row reject{row.line, std::move(row.fields), {}};
        while (p_error_at < p_errors.size() && p_errors[p_error_at].row == i) {
          reject.errors.push_back(p_errors[p_error_at++].error);
        }
        if (options.keep_valid) p_rejects.push_back(std::move(reject));
        return Status::Ok();
      }));
  if (options.keep_valid) {
    MALCHIN_RETURN_IF_ERROR(internal::WriteRejects(
        options.rejects_dir, hh_file, *hh_header, hh_rejects, p_file, *p_header,
        p_rejects, report));
  }
  progress(0.97, "committing");
  MALCHIN_ASSIGN_OR_RETURN(report.counts, writer->Commit());
  progress(1.0, "done");
  report.written = true;
  return report;
}

}  // namespace malchin::exchange
