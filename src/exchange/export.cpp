#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "csv/csv.h"
#include "exchange/exchange.h"
#include "exchange/files.h"

namespace malchin::exchange {
namespace internal {

Status WriteFileAtomically(const std::string& path,
                           const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::Internal("cannot write " + tmp);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      return Status::Internal("error writing " + tmp + " (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::Internal("cannot rename " + tmp + ": " + ec.message());
  return Status::Ok();
}

namespace {
std::string RejectTable(const csv::Header& header,
                        const std::vector<Row>& rows) {
  std::string out;
  std::vector<std::string_view> fields(header.names().begin(),
                                       header.names().end());
  fields.push_back("error");
  csv::AppendRow(&out, fields);
  for (const Row& row : rows) {
    if (row.errors.empty()) continue;
    std::string why;
    for (const RowError& e : row.errors) {
      why += (why.empty() ? "" : "; ") + e.ToString();
    }
    fields.assign(row.fields.begin(), row.fields.end());
    fields.resize(header.width());
    fields.push_back(why);
    csv::AppendRow(&out, fields);
  }
  return out;
}
}  // namespace

Status WriteRejects(const std::string& dir, const InputFile& hh_file,
                    const csv::Header& hh_header,
                    const std::vector<Row>& hh_rows, const InputFile& p_file,
                    const csv::Header& p_header, const std::vector<Row>& p_rows,
                    const ImportReport& report) {
  (void)hh_file;
  (void)p_file;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir + ": " + ec.message());
  MALCHIN_RETURN_IF_ERROR(WriteFileAtomically(dir + "/households.csv",
                                              RejectTable(hh_header, hh_rows)));
  MALCHIN_RETURN_IF_ERROR(
      WriteFileAtomically(dir + "/persons.csv", RejectTable(p_header, p_rows)));
  std::string errors;
  csv::AppendRow(&errors, {"file", "line", "column", "value", "expected"});
  for (const RowError& e : report.errors) {
    std::string line = std::to_string(e.line);
    csv::AppendRow(&errors, {e.file, line, e.column, e.value, e.expected});
  }
  MALCHIN_RETURN_IF_ERROR(WriteFileAtomically(dir + "/errors.csv", errors));
  std::string dups;
  csv::AppendRow(&dups, {"file", "line", "register_no", "other_register_no",
                         "description"});
  for (const Duplicate& d : report.duplicates) {
    std::string line = std::to_string(d.line);
    csv::AppendRow(&dups, {d.file, line, d.register_no, d.other_register_no,
                           d.ToString()});
  }
  return WriteFileAtomically(dir + "/duplicates.csv", dups);
}

}  // namespace internal

namespace {

std::string Num(int64_t v) { return std::to_string(v); }

// Shortest text that reads back as the same double.
std::string Decimal(const std::optional<double>& v) {
  if (!v) return "";
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, *v);
  return std::string(buf, p);
}

}  // namespace

Result<ExportCounts> ExportRegister(registry::Repository& store,
                                    const store::AreaFilter& area,
                                    const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create " + dir + ": " + ec.message());
  ExportCounts counts;
  std::string out;
  {
    std::vector<std::string_view> header(HouseholdColumns().begin(),
                                         HouseholdColumns().end());
    csv::AppendRow(&out, header);
  }
  MALCHIN_RETURN_IF_ERROR(
      store.ForEachHousehold(area, [&](const registry::Household& h) {
        std::string soum = Num(h.soum_code), cur = Num(h.current_soum_code);
        std::string herd[registry::kSpeciesCount];
        for (int i = 0; i < registry::kSpeciesCount; ++i) {
          herd[i] = Num(h.herd.head[i]);
        }
        std::string lat = Decimal(h.lat), lon = Decimal(h.lon);
        csv::AppendRow(&out, {h.id, soum, h.bag, cur, h.herder ? "1" : "0",
                              herd[0], herd[1], herd[2], herd[3], herd[4],
                              h.cooperative, h.phone, lat, lon});
        counts.households++;
        return Status::Ok();
      }));
  MALCHIN_RETURN_IF_ERROR(
      internal::WriteFileAtomically(dir + "/households.csv", out));
  out.clear();
  {
    std::vector<std::string_view> header(PersonColumns().begin(),
                                         PersonColumns().end());
    csv::AppendRow(&out, header);
  }
  MALCHIN_RETURN_IF_ERROR(
      store.ForEachPerson(area, [&](const registry::Person& p) {
        std::string born = p.birth_date.ToString();
        csv::AppendRow(
            &out, {p.register_no, p.household_id, p.family_name, p.father_name,
                   p.given_name, registry::SexCode(p.sex), born,
                   registry::RelationName(p.relation), p.disability ? "1" : "0",
                   p.herder ? "1" : "0", p.phone, p.bank_account});
        counts.persons++;
        return Status::Ok();
      }));
  MALCHIN_RETURN_IF_ERROR(
      internal::WriteFileAtomically(dir + "/persons.csv", out));
  return counts;
}

}  // namespace malchin::exchange
