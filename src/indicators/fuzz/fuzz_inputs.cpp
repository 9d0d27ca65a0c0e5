#include "indicators/fuzz/fuzz_inputs.h"

#include <string_view>

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

}  // namespace malchin::indicators::fuzz
