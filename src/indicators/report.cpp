#include "indicators/report.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "indicators/export.h"
#include "indicators/query.h"
#include "pdm/xlsx.h"

namespace malchin::indicators {
namespace {

std::string UnitText(Unit u, bool mn) {
  if (!mn) return std::string(UnitName(u));
  switch (u) {
    case Unit::kPersons:
      return "хүн";
    case Unit::kHouseholds:
      return "өрх";
    case Unit::kPercent:
      return "хувь";
    case Unit::kMnt:
      return "төгрөг";
    case Unit::kDays:
      return "хоног";
  }
  return std::string(UnitName(u));
}

std::string Targets(const Indicator& ind) {
  std::string s;
  for (const Target& t : ind.targets) {
    s += (s.empty() ? "" : "; ") + FormatValue(t.value) + " (" +
         t.date.ToString() + ")";
  }
  return s;
}

std::string By(const Cell& c, bool mn) {
  std::string s;
  for (const auto& [d, v] : c.by) s += (s.empty() ? "" : "; ") + d + "=" + v;
  return s.empty() ? (mn ? "нийт" : "total") : s;
}

// The framework in one language: one row per indicator.
pdm::Sheet FrameworkSheet(const FrameworkReport& r, bool mn) {
  pdm::Sheet s;
  s.name = mn ? "Хүрээ" : "Framework";
  s.write_numbers = true;
  std::vector<std::string> head =
      mn ? std::vector<std::string>{"Код",          "Нэр",         "Нэгж",
                                    "Суурь түвшин", "Суурь огноо", "Эх сурвалж",
                                    "Зорилт"}
         : std::vector<std::string>{"Code",          "Name",
                                    "Unit",          "Baseline",
                                    "Baseline date", "Baseline source",
                                    "Targets"};
  for (const Period& p : r.periods) {
    head.push_back(p.Name() + (mn ? ": утга" : ": value"));
    head.push_back(p.Name() + (mn ? ": төлөв" : ": status"));
    head.push_back(p.Name() + (mn ? ": зорилтод хүрсэн %" : ": progress %"));
  }
  s.rows.push_back(std::move(head));
  for (const ReportRow& row : r.rows) {
    const Indicator& i = row.indicator;
    std::vector<std::string> line = {i.code, mn ? i.name.mn : i.name.en,
                                     UnitText(i.unit, mn)};
    if (i.baseline) {
      line.insert(line.end(),
                  {FormatValue(i.baseline->value), i.baseline->date.ToString(),
                   i.baseline->source});
    } else {
      line.insert(line.end(), {"", "", ""});
    }
    line.push_back(Targets(i));
    for (size_t k = 0; k < r.periods.size(); ++k) {
      const auto& v = row.values[k];
      if (!v) {
        line.insert(line.end(),
                    {"", mn ? "тооцох боломжгүй" : "not computable", ""});
        continue;
      }
      double value = v->value.cells.empty() ? 0 : v->value.cells[0].value;
      auto progress = Progress(i, r.periods[k].Last(), value);
      line.push_back(FormatValue(value));
      line.push_back(v->frozen ? (mn ? "царцаасан" : "frozen")
                               : (mn ? "шууд тооцоо" : "live"));
      line.push_back(progress ? FormatValue(*progress) : "");
    }
    s.rows.push_back(std::move(line));
  }
  return s;
}

// One indicator's disaggregation table for every period.
pdm::Sheet IndicatorSheet(const FrameworkReport& r, const ReportRow& row,
                          std::string name) {
  pdm::Sheet s;
  s.name = std::move(name);
  s.write_numbers = true;
  const Indicator& i = row.indicator;
  s.rows.push_back({i.code, i.name.mn, i.name.en});
  s.rows.push_back({"Хугацаа / Period", "Төлөв / Status",
                    "Задаргаа / Disaggregation", "Хүртэгч / Numerator",
                    "Хуваарь / Denominator", "Утга / Value"});
  for (size_t k = 0; k < r.periods.size(); ++k) {
    const auto& v = row.values[k];
    if (!v) {
      s.rows.push_back({r.periods[k].Name(), row.missing[k]});
      continue;
    }
    const std::string status =
        v->frozen ? "царцаасан / frozen" : "шууд тооцоо / live";
    for (const Cell& c : v->value.cells) {
      s.rows.push_back({r.periods[k].Name(), status, By(c, false),
                        std::to_string(c.numerator),
                        std::to_string(c.denominator), FormatValue(c.value)});
    }
  }
  return s;
}

std::string SheetName(const std::string& code, const pdm::Workbook& wb) {
  std::string base = code.substr(0, 31);
  for (char& ch : base) {
    if (std::string_view("[]:*?/\\").find(ch) != std::string_view::npos) {
      ch = '_';
    }
  }
  std::string name = base;
  for (int n = 2; wb.Find(name) || name == "Framework"; ++n) {
    std::string suffix = "~" + std::to_string(n);
    name = base.substr(0, 31 - suffix.size()) + suffix;
  }
  return name;
}

Period Next(Period p) {
  int last = p.kind == Period::Kind::kMonth     ? 12
             : p.kind == Period::Kind::kQuarter ? 4
                                                : 1;
  if (p.kind == Period::Kind::kYear || p.index == last) {
    ++p.year;
    p.index = 1;
  } else {
    ++p.index;
  }
  return p;
}

// The frozen value of (code, period, area) when frozen, else the live one,
// marked. Errors of Results::Recompute.
Result<ReportedValue> ReportOne(Results& results, std::string_view code,
                                const Period& period,
                                const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Comparison c, results.Recompute(code, period, area));
  ReportedValue out;
  out.frozen = c.frozen.has_value();
  if (out.frozen) c.live.cells = c.frozen_cells;
  out.value = std::move(c.live);
  return out;
}

}  // namespace

Result<FrameworkReport> BuildReport(Results& results,
                                    const std::vector<std::string>& codes,
                                    const std::vector<Period>& periods,
                                    const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Framework f, results.Indicators());
  for (const std::string& c : codes) {
    if (!f.Find(c)) {
      return Status::NotFound("индикатор '" + c + "' олдсонгүй / indicator '" +
                              c + "' not found");
    }
  }
  FrameworkReport r;
  r.periods = periods;
  for (const Indicator& ind : f.indicators) {
    if (!codes.empty() &&
        std::find(codes.begin(), codes.end(), ind.code) == codes.end()) {
      continue;
    }
    ReportRow row{ind, {}, {}};
    for (const Period& p : periods) {
      auto v = ReportOne(results, ind.code, p, area);
      if (!v.ok() && v.status().code() != StatusCode::kFailedPrecondition) {
        return v.status();
      }
      row.missing.push_back(v.ok() ? "" : v.status().message());
      row.values.push_back(v.ok() ? std::optional(std::move(*v))
                                  : std::nullopt);
    }
    r.rows.push_back(std::move(row));
  }
  return r;
}

Result<std::vector<Period>> PeriodRange(const Period& first,
                                        const Period& last) {
  const std::string what = first.Name() + ".." + last.Name();
  if (first.kind != last.kind || last.First() < first.First()) {
    return Status::InvalidArgument(
        "хугацааны муж " + what + " буруу / period range " + what +
        ": expected two periods of the same kind, the first not after the "
        "last");
  }
  std::vector<Period> out;
  for (Period p = first; !(last.First() < p.First()); p = Next(p)) {
    if (out.size() == 120) {
      return Status::InvalidArgument("хугацааны муж " + what +
                                     " хэт урт / period range " + what +
                                     ": expected at most 120 periods");
    }
    out.push_back(p);
  }
  return out;
}

Result<std::string> FrameworkXlsx(const FrameworkReport& report) {
  pdm::Workbook wb;
  wb.sheets.push_back(FrameworkSheet(report, true));
  wb.sheets.push_back(FrameworkSheet(report, false));
  for (const ReportRow& row : report.rows) {
    wb.sheets.push_back(
        IndicatorSheet(report, row, SheetName(row.indicator.code, wb)));
  }
  std::string dir = std::filesystem::temp_directory_path().string();
  std::string path = dir + "/malchin-framework-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) return Status::Internal("cannot create a file in " + dir);
  ::close(fd);
  Status written = pdm::WriteXlsx(wb, path);
  std::string bytes;
  if (written.ok()) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    bytes = s.str();
  }
  std::error_code ec;
  std::filesystem::remove(path, ec);
  MALCHIN_RETURN_IF_ERROR(written);
  if (bytes.empty()) return Status::Internal("cannot read back " + path);
  return bytes;
}

}  // namespace malchin::indicators
