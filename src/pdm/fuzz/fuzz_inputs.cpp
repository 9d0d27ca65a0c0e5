#include "pdm/fuzz/fuzz_inputs.h"

#include <string>

#include "pdm/expression.h"
#include "pdm/kobo.h"
#include "pdm/xlsform.h"

namespace malchin::pdm::fuzz {
namespace {

const Form& StandardForm() {
  static const Form form = StandardPdmForm().value();
  return form;
}

IngestOptions Options() {
  IngestOptions o;
  o.respondents = {"HH001", "HH002", "HH003"};
  o.max_problems = 50;
  return o;
}

std::string_view View(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace

void KoboCsv(const uint8_t* data, size_t size) {
  auto in = ReadKoboCsv("f.csv", View(data, size), StandardForm(), Options());
  if (in.ok()) (void)TableCsv(ToTable(in->submissions, StandardForm()));
}

void KoboJson(const uint8_t* data, size_t size) {
  const std::string_view text = View(data, size);
  auto first = ReadKoboJson("a.json", text, StandardForm(), Options());
  if (!first.ok()) return;
  Ingested all;
  AppendIngested(std::move(*first), &all);
  auto again = ReadKoboJson("b.json", text, StandardForm(), Options());
  if (again.ok()) AppendIngested(std::move(*again), &all);
}

void XlsFormSheet(const uint8_t* data, size_t size) {
  const std::string_view xml = View(data, size);
  auto shared = ParseSharedStrings("ss.xml", xml);
  auto rows = ParseWorksheet(
      "s.xml", xml, shared.ok() ? *shared : std::vector<std::string>{});
  if (!rows.ok()) return;
  Workbook wb;
  wb.sheets.push_back({"survey", *rows});
  wb.sheets.push_back({"choices", *rows});
  (void)ValidateWorkbook(wb, "f.xlsx");
  (void)FormFromWorkbook(wb, "f.xlsx").ok();
  for (const auto& row : *rows) {
    for (const std::string& cell : row) {
      auto e = Expression::Parse(cell);
      if (e.ok()) (void)e->Evaluate({cell, nullptr, "2025-01-01"});
    }
  }
}

}  // namespace malchin::pdm::fuzz
