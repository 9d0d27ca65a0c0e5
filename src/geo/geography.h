// Geography: Mongolia's 21 aimags and the capital, 330 soums and 9 districts
// of Ulaanbaatar, with their NSO codes and Latin and Cyrillic names.
//
// The list ships inside the binary (data/mn_admin_units.csv, from NSO via
// ../shared/data), so lookups never depend on a file at run time.
//
// Codes: an aimag's NSO code has 3 digits (region digit + 2-digit aimag
// code, e.g. 181 Zavkhan, 511 Ulaanbaatar); a soum's has 5 (aimag code + 2
// digits, e.g. 18140 Tosontsengel). AimagOfSoum(18140) == 181.
//
// Thread-safety: Geography is immutable after construction; share freely.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::geo {

enum class Level { kAimag, kCapital, kSoum, kDistrict };

struct Unit {
  int32_t code = 0;  // NSO code (3 digits for aimags, 5 for soums).
  Level level = Level::kSoum;
  int32_t aimag_code = 0;  // 3-digit code of the aimag (itself for aimags).
  int region_code = 0;     // 1 Western .. 5 Ulaanbaatar.
  std::string region_en, region_mn;
  std::string name_en, name_mn;
  std::string aimag_en, aimag_mn;
  double lat = 0, lon = 0;  // Representative point (soum centre if known).
  // NSO statistics (soum rows; aimag rows carry the sums of their soums).
  int64_t population_2019 = 0, population_2020 = 0;
  int64_t herder_households_2019 = 0, herder_households_2020 = 0;
  int64_t livestock_heads_2019 = 0, livestock_heads_2020 = 0;
  int64_t children_0_4_2019 = 0, children_0_4_2021 = 0;

  bool is_aimag_level() const {
    return level == Level::kAimag || level == Level::kCapital;
  }
};

inline int32_t AimagOfSoum(int32_t soum_code) { return soum_code / 100; }

class Geography {
 public:
  // The embedded national list. Never fails for the shipped data; returns
  // the parse error if the embedded file were damaged.
  static Result<std::shared_ptr<const Geography>> Load();
  // Parses a list in the same CSV format (used by tests and tools).
  static Result<std::shared_ptr<const Geography>> Parse(std::string_view csv);

  // Aimags and the capital, in NSO code order.
  const std::vector<const Unit*>& aimags() const { return aimags_; }
  // Soums and districts, in NSO code order.
  const std::vector<const Unit*>& soums() const { return soums_; }
  std::vector<const Unit*> SoumsOf(int32_t aimag_code) const;

  // Any level by NSO code; nullptr if unknown.
  const Unit* Find(int32_t code) const;
  // A soum or district by 5-digit code; nullptr if unknown or not a soum.
  const Unit* FindSoum(int32_t code) const;
  const Unit* FindAimag(int32_t code) const;

  // Units whose Latin or Cyrillic name matches `name` (case-insensitive; the
  // Latin spelling may vary as text::NameKey allows). Soum names repeat
  // across aimags, so give `aimag_code` (0 = any) to narrow the search.
  std::vector<const Unit*> FindByName(std::string_view name,
                                      int32_t aimag_code = 0) const;

  // Resolves user text naming an area: a code ("18140", "181") or a name
  // ("Tosontsengel", "Тосонцэнгэл", "Zavkhan"). Exactly one match or an
  // InvalidArgument that lists the candidates.
  Result<const Unit*> Resolve(std::string_view text,
                              int32_t aimag_code = 0) const;

 private:
  std::vector<Unit> units_;
  std::vector<const Unit*> aimags_;
  std::vector<const Unit*> soums_;
};

}  // namespace malchin::geo
