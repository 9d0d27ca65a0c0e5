#include "poverty/survey.h"

#include <sodium.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "csv/csv.h"

namespace malchin::poverty {
namespace {

using CsvRecord = csv::Record;

std::string Cell(std::string_view file, size_t line, std::string_view column,
                 std::string_view value) {
  return std::string(file) + " line " + std::to_string(line) + ", column '" +
         std::string(column) + "': value '" + std::string(value) + "'";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParseDouble(std::string_view s, double* out) {
  s = Trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

// Integers; also accepts an integral number written as a decimal or in
// scientific notation (R's write.csv may print 1e+05).
bool ParseInt(std::string_view s, int64_t* out) {
  s = Trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  if (ec == std::errc() && p == s.data() + s.size()) return true;
  double d;
  if (!ParseDouble(s, &d) || d != std::floor(d) || std::fabs(d) > 9.0e15) {
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

// Header handling: name -> column index.
class Header {
 public:
  Status Init(std::string_view file, const CsvRecord& rec) {
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      std::string name(Trim(rec.fields[i]));
      if (name.empty()) {
        return Status::InvalidArgument(
            std::string(file) + " line " + std::to_string(rec.line) +
            ": column " + std::to_string(i + 1) + " has an empty name");
      }
      for (const auto& n : names_) {
        if (n == name) {
          return Status::InvalidArgument(
              std::string(file) + " line " + std::to_string(rec.line) +
              ": column '" + name + "' appears twice");
        }
      }
      names_.push_back(std::move(name));
    }
    return Status::Ok();
  }
  int Index(std::string_view name) const {
    for (size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return static_cast<int>(i);
    }
    return -1;
  }
  Status Require(std::string_view file,
                 std::initializer_list<std::string_view> required) const {
    std::string missing;
    for (std::string_view r : required) {
      if (Index(r) < 0)
        missing += (missing.empty() ? "'" : ", '") + std::string(r) + "'";
    }
    if (missing.empty()) return Status::Ok();
    return Status::InvalidArgument(
        std::string(file) + " line 1: missing required column(s) " + missing);
  }
  size_t width() const { return names_.size(); }
  const std::string& name(size_t i) const { return names_[i]; }

 private:
  std::vector<std::string> names_;
};

Status CheckWidth(std::string_view file, const CsvRecord& rec,
                  size_t expected) {
  if (rec.fields.size() == expected) return Status::Ok();
  return Status::InvalidArgument(
      std::string(file) + " line " + std::to_string(rec.line) + ": " +
      std::to_string(rec.fields.size()) + " fields, expected " +
      std::to_string(expected) + " (one per header column)");
}

Status GetInt(std::string_view file, const CsvRecord& rec, const Header& header,
              int col, int64_t lo, int64_t hi, std::string_view expected,
              int64_t* out) {
  std::string_view v = rec.fields[col];
  if (!ParseInt(v, out) || *out < lo || *out > hi) {
    return Status::InvalidArgument(Cell(file, rec.line, header.name(col), v) +
                                       " is not " + std::string(expected),
                                   header.name(col));
  }
  return Status::Ok();
}

Status GetDouble(std::string_view file, const CsvRecord& rec,
                 const Header& header, int col, bool positive, double* out) {
  std::string_view v = rec.fields[col];
  if (!ParseDouble(v, out) || (positive && !(*out > 0))) {
    return Status::InvalidArgument(
        Cell(file, rec.line, header.name(col), v) +
            (positive ? " is not a number > 0" : " is not a number"),
        header.name(col));
  }
  return Status::Ok();
}

constexpr int64_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int64_t kI32Min = std::numeric_limits<int32_t>::min();

}  // namespace

std::string Sha256Hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest,
                     reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof digest);
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Status Columns::Add(std::string name, std::vector<double> values) {
  if (Find(name) != nullptr) {
    return Status::InvalidArgument("column '" + name + "' exists already");
  }
  names_.push_back(std::move(name));
  values_.push_back(std::move(values));
  return Status::Ok();
}

const std::vector<double>* Columns::Find(std::string_view name) const {
  for (size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return &values_[i];
  }
  return nullptr;
}

Status Validate(const Survey& s) {
  const size_t n = s.households();
  auto bad_len = [&](std::string_view what, size_t got) {
    return Status::InvalidArgument(std::string(what) + " has " +
                                   std::to_string(got) + " values for " +
                                   std::to_string(n) + " households");
  };
  if (n == 0) return Status::InvalidArgument("survey has no households");
  if (s.weight.size() != n) return bad_len("weight", s.weight.size());
  if (s.size.size() != n) return bad_len("size", s.size.size());
  if (s.consumption.size() != n) {
    return bad_len("consumption", s.consumption.size());
  }
  if (s.stratum.empty() != s.psu.empty()) {
    return Status::InvalidArgument(
        "design: give both stratum and PSU, or neither");
  }
  if (!s.stratum.empty() && s.stratum.size() != n) {
    return bad_len("stratum", s.stratum.size());
  }
  if (!s.psu.empty() && s.psu.size() != n) return bad_len("psu", s.psu.size());
  if (!s.area.empty() && s.area.size() != n) {
    return bad_len("area", s.area.size());
  }
  for (const std::string& name : s.columns.names()) {
    if (s.columns.Find(name)->size() != n) {
      return bad_len("column '" + name + "'", s.columns.Find(name)->size());
    }
  }
  for (size_t h = 0; h < n; ++h) {
    const std::string who = "household " + std::to_string(s.hh_id[h]);
    if (!(s.weight[h] > 0) || !std::isfinite(s.weight[h])) {
      return Status::InvalidArgument(who + ": weight must be > 0", "weight");
    }
    if (s.size[h] < 1) {
      return Status::InvalidArgument(who + ": size must be >= 1", "size");
    }
    if (!(s.consumption[h] > 0) || !std::isfinite(s.consumption[h])) {
      return Status::InvalidArgument(
          who + ": consumption must be > 0 (welfare measures take logs)",
          "consumption");
    }
  }
  if (s.has_persons()) {
    if (s.person_begin.size() != n + 1 || s.person_begin[0] != 0 ||
        s.person_begin[n] != s.age.size()) {
      return Status::InvalidArgument("persons index does not match households");
    }
    if ((!s.female.empty() && s.female.size() != s.age.size()) ||
        (!s.relation.empty() && s.relation.size() != s.age.size())) {
      return Status::InvalidArgument("person columns differ in length");
    }
    for (size_t h = 0; h < n; ++h) {
      const int64_t members =
          int64_t{s.person_begin[h + 1]} - int64_t{s.person_begin[h]};
      if (members != s.size[h]) {
        return Status::InvalidArgument("household " +
                                       std::to_string(s.hh_id[h]) + ": size " +
                                       std::to_string(s.size[h]) + " but " +
                                       std::to_string(members) + " persons");
      }
    }
  }
  return Status::Ok();
}

Result<Survey> ParseSurvey(std::string_view hh_name, std::string_view hh_csv,
                           std::string_view pe_name, std::string_view pe_csv,
                           const LoadOptions& opt) {
  Survey s;
  s.inputs.push_back({std::string(hh_name), hh_csv.size(), Sha256Hex(hh_csv)});
  Header header;
  int c_id = -1, c_w = -1, c_size = -1, c_cons = -1, c_st = -1, c_psu = -1,
      c_area = -1;
  std::vector<int> extra;  // column indices kept in `columns`
  std::vector<std::vector<double>> extra_values;
  std::unordered_map<int64_t, uint32_t> row_of;
  std::vector<size_t> line_of;
  bool have_header = false;
  Status st = csv::ReadRecords(hh_name, hh_csv, {}, [&](const CsvRecord& rec) {
    if (!have_header) {
      have_header = true;
      MALCHIN_RETURN_IF_ERROR(header.Init(hh_name, rec));
      MALCHIN_RETURN_IF_ERROR(header.Require(
          hh_name, {opt.id, opt.weight, opt.size, opt.consumption}));
      c_id = header.Index(opt.id);
      c_w = header.Index(opt.weight);
      c_size = header.Index(opt.size);
      c_cons = header.Index(opt.consumption);
      c_st = header.Index(opt.stratum);
      c_psu = header.Index(opt.psu);
      c_area = header.Index(opt.area);
      if ((c_st < 0) != (c_psu < 0)) {
        return Status::InvalidArgument(
            std::string(hh_name) + " line 1: design columns '" + opt.stratum +
            "' and '" + opt.psu + "' must both be present or both absent");
      }
      // Every column is also kept as numbers by name (PMT proxies may use
      // the size, flags, region codes, ...).
      for (int i = 0; i < static_cast<int>(header.width()); ++i) {
        extra.push_back(i);
      }
      extra_values.resize(extra.size());
      return Status::Ok();
    }
    MALCHIN_RETURN_IF_ERROR(CheckWidth(hh_name, rec, header.width()));
    int64_t id, size;
    double w, cons;
    MALCHIN_RETURN_IF_ERROR(GetInt(
        hh_name, rec, header, c_id, std::numeric_limits<int64_t>::min(),
        std::numeric_limits<int64_t>::max(), "an integer household id", &id));
    MALCHIN_RETURN_IF_ERROR(GetDouble(hh_name, rec, header, c_w, true, &w));
    MALCHIN_RETURN_IF_ERROR(GetInt(hh_name, rec, header, c_size, 1, 10000,
                                   "a household size (integer >= 1)", &size));
    MALCHIN_RETURN_IF_ERROR(
        GetDouble(hh_name, rec, header, c_cons, true, &cons));
    auto [it, fresh] =
        row_of.try_emplace(id, static_cast<uint32_t>(s.hh_id.size()));
    if (!fresh) {
      return Status::InvalidArgument(
          Cell(hh_name, rec.line, header.name(c_id), rec.fields[c_id]) +
              " is a duplicate household id (first on line " +
              std::to_string(line_of[it->second]) + ")",
          header.name(c_id));
    }
    line_of.push_back(rec.line);
    s.hh_id.push_back(id);
    s.weight.push_back(w);
    s.size.push_back(static_cast<int32_t>(size));
    s.consumption.push_back(cons);
    if (c_st >= 0) {
      int64_t v;
      MALCHIN_RETURN_IF_ERROR(GetInt(hh_name, rec, header, c_st, kI32Min,
                                     kI32Max, "an integer stratum code", &v));
      s.stratum.push_back(static_cast<int32_t>(v));
      MALCHIN_RETURN_IF_ERROR(GetInt(hh_name, rec, header, c_psu, kI32Min,
                                     kI32Max, "an integer PSU code", &v));
      s.psu.push_back(static_cast<int32_t>(v));
    }
    if (c_area >= 0) {
      int64_t v;
      MALCHIN_RETURN_IF_ERROR(GetInt(hh_name, rec, header, c_area, kI32Min,
                                     kI32Max, "an integer area code", &v));
      s.area.push_back(static_cast<int32_t>(v));
    }
    for (size_t k = 0; k < extra.size(); ++k) {
      double v;
      MALCHIN_RETURN_IF_ERROR(
          GetDouble(hh_name, rec, header, extra[k], false, &v));
      extra_values[k].push_back(v);
    }
    return Status::Ok();
  });
  MALCHIN_RETURN_IF_ERROR(st);
  if (!have_header || s.hh_id.empty()) {
    return Status::InvalidArgument(std::string(hh_name) +
                                   ": no household rows (expected a header "
                                   "line and at least one household)");
  }
  for (size_t k = 0; k < extra.size(); ++k) {
    MALCHIN_RETURN_IF_ERROR(
        s.columns.Add(header.name(extra[k]), std::move(extra_values[k])));
  }

  if (!pe_name.empty() || !pe_csv.empty()) {
    s.inputs.push_back(
        {std::string(pe_name), pe_csv.size(), Sha256Hex(pe_csv)});
    Header ph;
    int p_hh = -1, p_age = -1, p_female = -1, p_rel = -1;
    bool have = false;
    // First pass into flat arrays with the household row of each person,
    // then a counting sort into household order (stable: file order).
    std::vector<uint32_t> row;
    std::vector<int16_t> age;
    std::vector<int8_t> female, relation;
    std::vector<uint32_t> count(s.households() + 1, 0);
    Status pst =
        csv::ReadRecords(pe_name, pe_csv, {}, [&](const CsvRecord& rec) {
          if (!have) {
            have = true;
            MALCHIN_RETURN_IF_ERROR(ph.Init(pe_name, rec));
            MALCHIN_RETURN_IF_ERROR(
                ph.Require(pe_name, {opt.person_household, opt.age}));
            p_hh = ph.Index(opt.person_household);
            p_age = ph.Index(opt.age);
            p_female = ph.Index(opt.female);
            p_rel = ph.Index(opt.relation);
            return Status::Ok();
          }
          MALCHIN_RETURN_IF_ERROR(CheckWidth(pe_name, rec, ph.width()));
          int64_t id, a;
          MALCHIN_RETURN_IF_ERROR(GetInt(pe_name, rec, ph, p_hh,
                                         std::numeric_limits<int64_t>::min(),
                                         std::numeric_limits<int64_t>::max(),
                                         "an integer household id", &id));
          auto it = row_of.find(id);
          if (it == row_of.end()) {
            return Status::InvalidArgument(
                Cell(pe_name, rec.line, ph.name(p_hh), rec.fields[p_hh]) +
                    " is not a household in " + std::string(hh_name),
                ph.name(p_hh));
          }
          MALCHIN_RETURN_IF_ERROR(GetInt(pe_name, rec, ph, p_age, 0, 130,
                                         "an age in completed years (0-130)",
                                         &a));
          row.push_back(it->second);
          ++count[it->second + 1];
          age.push_back(static_cast<int16_t>(a));
          if (p_female >= 0) {
            int64_t f;
            MALCHIN_RETURN_IF_ERROR(
                GetInt(pe_name, rec, ph, p_female, 0, 1, "0 or 1", &f));
            female.push_back(static_cast<int8_t>(f));
          }
          if (p_rel >= 0) {
            int64_t r;
            MALCHIN_RETURN_IF_ERROR(GetInt(pe_name, rec, ph, p_rel, 0, 127,
                                           "a relation code (0-127)", &r));
            relation.push_back(static_cast<int8_t>(r));
          }
          return Status::Ok();
        });
    MALCHIN_RETURN_IF_ERROR(pst);
    if (!have) {
      return Status::InvalidArgument(std::string(pe_name) +
                                     ": empty file (expected a header line)");
    }
    const size_t n = s.households();
    for (size_t h = 0; h < n; ++h) {
      if (count[h + 1] != static_cast<uint32_t>(s.size[h])) {
        return Status::InvalidArgument(
            std::string(hh_name) + " line " + std::to_string(line_of[h]) +
                ": household " + std::to_string(s.hh_id[h]) + " has " +
                opt.size + " " + std::to_string(s.size[h]) + " but " +
                std::to_string(count[h + 1]) + " persons in " +
                std::string(pe_name),
            opt.size);
      }
      count[h + 1] += count[h];
    }
    s.person_begin = count;
    std::vector<uint32_t> fill(count.begin(), count.end() - 1);
    s.age.resize(age.size());
    if (!female.empty()) s.female.resize(age.size());
    if (!relation.empty()) s.relation.resize(age.size());
    for (size_t i = 0; i < row.size(); ++i) {
      const uint32_t at = fill[row[i]]++;
      s.age[at] = age[i];
      if (!female.empty()) s.female[at] = female[i];
      if (!relation.empty()) s.relation[at] = relation[i];
    }
  }
  MALCHIN_RETURN_IF_ERROR(Validate(s));
  return s;
}

Result<Survey> LoadSurvey(const std::string& households_path,
                          const std::string& persons_path,
                          const LoadOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(std::string hh, csv::ReadFile(households_path));
  std::string pe;
  if (!persons_path.empty()) {
    MALCHIN_ASSIGN_OR_RETURN(pe, csv::ReadFile(persons_path));
  }
  return ParseSurvey(households_path, hh, persons_path, pe, options);
}

std::string_view EquivalenceScaleName(EquivalenceScale scale) {
  switch (scale) {
    case EquivalenceScale::kPerCapita:
      return "per_capita";
    case EquivalenceScale::kOecdModified:
      return "oecd_modified";
    case EquivalenceScale::kSquareRoot:
      return "square_root";
  }
  return "unknown";
}

Result<std::vector<double>> EquivalentSizes(const Survey& s,
                                            EquivalenceScale scale) {
  const size_t n = s.households();
  std::vector<double> e(n);
  switch (scale) {
    case EquivalenceScale::kPerCapita:
      for (size_t h = 0; h < n; ++h) e[h] = s.size[h];
      break;
    case EquivalenceScale::kSquareRoot:
      for (size_t h = 0; h < n; ++h)
        e[h] = std::sqrt(static_cast<double>(s.size[h]));
      break;
    case EquivalenceScale::kOecdModified: {
      if (!s.has_persons()) {
        return Status::FailedPrecondition(
            "the OECD-modified scale needs persons (ages)");
      }
      for (size_t h = 0; h < n; ++h) {
        int adults = 0, kids = 0;
        for (uint32_t i = s.person_begin[h]; i < s.person_begin[h + 1]; ++i) {
          (s.age[i] >= 14 ? adults : kids)++;
        }
        e[h] = adults > 0 ? 1 + 0.5 * (adults - 1) + 0.3 * kids
                          : 1 + 0.3 * (kids - 1);
      }
      break;
    }
  }
  return e;
}

std::vector<int32_t> CountMembers(const Survey& s, int min_age, int max_age) {
  const size_t n = s.households();
  std::vector<int32_t> out(n, 0);
  for (size_t h = 0; h < n; ++h) {
    int32_t c = 0;
    for (uint32_t i = s.person_begin[h]; i < s.person_begin[h + 1]; ++i) {
      c += s.age[i] >= min_age && s.age[i] <= max_age;
    }
    out[h] = c;
  }
  return out;
}

Status AddColumnDomains(const Survey& s, const std::string& column,
                        DomainSet* domains) {
  const std::vector<double>* col = s.columns.Find(column);
  if (col == nullptr) {
    return Status::InvalidArgument("no household column '" + column +
                                   "' to define domains by");
  }
  std::vector<double> values(col->begin(), col->end());
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() + domains->size() > DomainSet::kMaxDomains) {
    return Status::InvalidArgument(
        "column '" + column + "' has " + std::to_string(values.size()) +
        " distinct values: too many domains (at most " +
        std::to_string(DomainSet::kMaxDomains) + " in all)");
  }
  for (double v : values) {
    if (v != std::floor(v) || std::fabs(v) > 1e15) {
      return Status::InvalidArgument("column '" + column + "' has value " +
                                     std::to_string(v) +
                                     ": domains need whole-number codes");
    }
    MALCHIN_RETURN_IF_ERROR(domains->AddIf(
        column + "_" + std::to_string(static_cast<int64_t>(v)), s.households(),
        [&](size_t h) { return (*col)[h] == v; }));
  }
  return Status::Ok();
}

Result<DomainSet> StandardDomains(const Survey& s) {
  const size_t n = s.households();
  const std::vector<double>* urban = s.columns.Find("urban");
  const std::vector<double>* herder = s.columns.Find("herder");
  const std::vector<double>* dzud = s.columns.Find("dzud_soum");
  const std::vector<double>* region = s.columns.Find("region");
  std::string missing;
  if (!urban) missing += " urban";
  if (!herder) missing += " herder";
  if (!dzud) missing += " dzud_soum";
  if (!region) missing += " region";
  if (!s.has_persons()) missing += " persons";
  if (!missing.empty()) {
    return Status::InvalidArgument("standard domains need:" + missing);
  }
  const std::vector<int32_t> children = CountMembers(s, 0, 17);
  DomainSet d = DomainSet::National(n);
  auto add = [&](std::string name, auto pred) -> Status {
    bool any = false;
    for (size_t h = 0; h < n && !any; ++h) any = pred(h);
    if (!any) return Status::Ok();  // empty domains are left out
    return d.AddIf(std::move(name), n, pred);
  };
  MALCHIN_RETURN_IF_ERROR(
      add("urban", [&](size_t h) { return (*urban)[h] == 1; }));
  MALCHIN_RETURN_IF_ERROR(
      add("rural", [&](size_t h) { return (*urban)[h] == 0; }));
  MALCHIN_RETURN_IF_ERROR(
      add("herder", [&](size_t h) { return (*herder)[h] == 1; }));
  MALCHIN_RETURN_IF_ERROR(
      add("nonherder", [&](size_t h) { return (*herder)[h] == 0; }));
  MALCHIN_RETURN_IF_ERROR(
      add("dzud_soum", [&](size_t h) { return (*dzud)[h] == 1; }));
  MALCHIN_RETURN_IF_ERROR(
      add("hh_with_children", [&](size_t h) { return children[h] > 0; }));
  static const char* kRegion[] = {"West", "Khangai", "Central", "East",
                                  "Ulaanbaatar"};
  for (int r = 1; r <= 5; ++r) {
    MALCHIN_RETURN_IF_ERROR(
        add("region_" + std::to_string(r) + "_" + kRegion[r - 1],
            [&](size_t h) { return (*region)[h] == r; }));
  }
  return d;
}

}  // namespace malchin::poverty
