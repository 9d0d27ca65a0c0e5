#include "rima/survey.h"

#include <charconv>
#include <cmath>
#include <unordered_set>

#include "csv/csv.h"

namespace malchin::rima {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsMissing(std::string_view s) {
  return s.empty() || s == "NA" || s == "N/A" || s == "n/a" || s == "na";
}

bool ParseNumber(std::string_view s, double* out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size() && std::isfinite(*out);
}

// Where one spec variable reads its inputs.
struct Slot {
  const VariableSpec* spec;
  int column = -1;
  int divisor = -1;
};

}  // namespace

Result<SurveyData> ReadSurvey(std::string_view file_name, std::string_view data,
                              const ModelSpec& spec,
                              const SurveyOptions& options) {
  SurveyData out;
  out.file = std::string(file_name);
  std::vector<std::string> errors;
  size_t error_count = 0;
  auto error = [&](std::string msg) {
    ++error_count;
    if (errors.size() < options.max_errors) errors.push_back(std::move(msg));
  };
  bool have_header = false;
  csv::Header header;
  std::vector<Slot> slots;  // Pillar variables in order, then FS.
  int id_col = -1;
  std::vector<int> profile_cols;
  std::vector<int> model_cols;  // Columns whose blanks drop a household.
  std::vector<int64_t> missing_counts;
  std::vector<std::vector<double>> values;  // Per slot, kept households.
  std::unordered_set<std::string> seen_ids;
  std::vector<double> row;  // One household's values, reused.
  const std::string file(file_name);

  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& rec) -> Status {
        if (!have_header) {
          std::vector<std::string> required = spec.ModelColumns();
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(file_name, rec, required, spec.profiles));
          have_header = true;
          std::vector<std::string> absent;
          id_col = header.Index(spec.id_column);
          for (const std::string& c : required) {
            if (header.Index(c) < 0) absent.push_back(c);
          }
          if (!absent.empty()) {  // Header::Make normally reports these.
            std::string list;
            for (const auto& a : absent) list += (list.empty() ? "" : ", ") + a;
            return Status::InvalidArgument(
                file +
                " line 1: the specification names columns not in "
                "the header: " +
                list);
          }
          for (const PillarSpec& p : spec.pillars) {
            for (const VariableSpec& v : p.variables) {
              slots.push_back(
                  {&v, header.Index(v.column),
                   v.divide_by.empty() ? -1 : header.Index(v.divide_by)});
            }
          }
          for (const VariableSpec& v : spec.food_security) {
            slots.push_back(
                {&v, header.Index(v.column),
                 v.divide_by.empty() ? -1 : header.Index(v.divide_by)});
          }
          for (const std::string& c : required) {
            if (c != spec.id_column) model_cols.push_back(header.Index(c));
          }
          missing_counts.assign(model_cols.size(), 0);
          for (const std::string& p : spec.profiles) {
            int idx = header.Index(p);
            if (idx < 0) {
              out.warnings.push_back(file + ": profile column '" + p +
                                     "' is not in the header; ignored");
            }
            profile_cols.push_back(idx);
          }
          values.assign(slots.size(), {});
          out.profiles.assign(spec.profiles.size(), {});
          return Status::Ok();
        }
        ++out.rows;
        auto where = [&] {
          return file + " line " + std::to_string(rec.line) + ", column '";
        };
        if (rec.fields.size() != header.width()) {
          error(file + " line " + std::to_string(rec.line) + ": " +
                std::to_string(rec.fields.size()) + " fields; expected " +
                std::to_string(header.width()) + " as in the header");
          return Status::Ok();
        }
        std::string id(Trim(rec.fields[id_col]));
        if (IsMissing(id)) {
          error(where() + spec.id_column +
                "': empty household id; expected "
                "an id");
          return Status::Ok();
        }
        if (!seen_ids.insert(id).second) {
          error(where() + spec.id_column + "': value '" + id +
                "' appears on an earlier line; expected each household once");
          return Status::Ok();
        }
        DroppedHousehold drop;
        for (size_t k = 0; k < model_cols.size(); ++k) {
          if (IsMissing(Trim(rec.fields[model_cols[k]]))) {
            drop.missing_columns.push_back(header.names()[model_cols[k]]);
            ++missing_counts[k];
          }
        }
        if (!drop.missing_columns.empty()) {
          drop.line = rec.line;
          drop.id = id;
          out.dropped.push_back(std::move(drop));
          return Status::Ok();
        }
        bool row_ok = true;
        row.resize(slots.size());
        for (size_t s = 0; s < slots.size(); ++s) {
          const Slot& sl = slots[s];
          std::string_view raw = Trim(rec.fields[sl.column]);
          double x;
          if (!ParseNumber(raw, &x)) {
            error(where() + sl.spec->column + "': value '" + std::string(raw) +
                  "'; expected a number");
            row_ok = false;
            continue;
          }
          if (sl.divisor >= 0) {
            std::string_view rd = Trim(rec.fields[sl.divisor]);
            double d;
            if (!ParseNumber(rd, &d)) {
              error(where() + sl.spec->divide_by + "': value '" +
                    std::string(rd) + "'; expected a number");
              row_ok = false;
              continue;
            }
            if (d == 0) {
              error(where() + sl.spec->divide_by + "': value '" +
                    std::string(rd) + "'; expected a non-zero divisor for " +
                    sl.spec->name);
              row_ok = false;
              continue;
            }
            x /= d;
          }
          if (!DomainOk(sl.spec->transform, x)) {
            error(where() + sl.spec->column + "': value '" + std::string(raw) +
                  "' gives " + std::to_string(x) + "; expected " +
                  (sl.spec->transform == Transform::kLog ? "> 0" : "> -1") +
                  " for the " + std::string(TransformName(sl.spec->transform)) +
                  " transform of " + sl.spec->name);
            row_ok = false;
            continue;
          }
          row[s] = ApplyTransform(*sl.spec, x);
        }
        if (!row_ok) return Status::Ok();
        for (size_t s = 0; s < slots.size(); ++s) values[s].push_back(row[s]);
        out.ids.push_back(std::move(id));
        out.lines.push_back(rec.line);
        for (size_t k = 0; k < profile_cols.size(); ++k) {
          out.profiles[k].push_back(
              profile_cols[k] < 0
                  ? std::string()
                  : std::string(Trim(rec.fields[profile_cols[k]])));
        }
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (!have_header) {
    return Status::InvalidArgument(file +
                                   ": empty file; expected a header "
                                   "row and one row per household");
  }
  if (error_count > 0) {
    std::string msg =
        std::to_string(error_count) + " error(s) in " + file + ":";
    for (const std::string& e : errors) msg += "\n  " + e;
    if (error_count > errors.size()) {
      msg += "\n  ... and " + std::to_string(error_count - errors.size()) +
             " more";
    }
    return Status::InvalidArgument(msg);
  }
  for (size_t k = 0; k < model_cols.size(); ++k) {
    if (missing_counts[k] > 0) {
      out.missing_by_column.emplace_back(header.names()[model_cols[k]],
                                         missing_counts[k]);
    }
  }
  const size_t n = out.ids.size();
  size_t s = 0;
  for (const PillarSpec& p : spec.pillars) {
    Matrix m(n, p.variables.size());
    for (size_t j = 0; j < p.variables.size(); ++j, ++s) {
      std::copy(values[s].begin(), values[s].end(), m.col(j));
    }
    out.pillars.push_back(std::move(m));
  }
  out.food_security = Matrix(n, spec.food_security.size());
  for (size_t j = 0; j < spec.food_security.size(); ++j, ++s) {
    std::copy(values[s].begin(), values[s].end(), out.food_security.col(j));
  }
  return out;
}

Result<SurveyData> LoadSurvey(const std::string& path, const ModelSpec& spec,
                              const SurveyOptions& options) {
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  return ReadSurvey(path, data, spec, options);
}

}  // namespace malchin::rima
