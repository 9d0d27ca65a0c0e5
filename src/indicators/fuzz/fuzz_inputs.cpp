#include "indicators/fuzz/fuzz_inputs.h"

#include <string_view>

#include "indicators/dhis2_push.h"
#include "indicators/export.h"
#include "indicators/framework.h"
#include "indicators/value.h"

namespace malchin::indicators::fuzz {
namespace {

std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace

void FrameworkFile(const uint8_t* data, size_t size) {
  auto f = ParseFramework("fuzz.json", Text(data, size));
  if (!f.ok()) return;
  // What is stored must parse back the same way.
  for (const Indicator& i : f->indicators) {
    (void)ParseIndicatorJson("stored", i.json);
  }
}

void MappingFile(const uint8_t* data, size_t size) {
  (void)ParseDhis2Mapping("fuzz.json", Text(data, size));
}

void CellsJson(const uint8_t* data, size_t size) {
  auto cells = ParseCellsJson(Text(data, size));
  if (cells.ok()) (void)indicators::CellsJson(*cells);
}

void ImportSummary(const uint8_t* data, size_t size) {
  auto s = ParseImportSummary(Text(data, size));
  if (s.ok() && s->status.empty()) __builtin_trap();
}

void Credentials(const uint8_t* data, size_t size) {
  std::string_view text = Text(data, size);
  auto c = ParseCredentials("fuzz.txt", text);
  if (c.ok()) (void)AuthorizationHeader(*c);
  auto url = ParseServerUrl(text);
  if (url.ok()) (void)url->Url();
}

}  // namespace malchin::indicators::fuzz
