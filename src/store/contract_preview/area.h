// AreaFilter: which part of the country a caller sees or a query asks for.
//
// Zero fields mean "all". A soum code (5 digits, e.g. 18140) restricts to
// households registered in that soum; an aimag code (3 digits, e.g. 181)
// to those of its soums. Soum codes start with their aimag's code
// (soum / 100 == aimag).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace malchin::store {

struct AreaFilter {
  int32_t aimag_code = 0;
  int32_t soum_code = 0;

  bool national() const { return aimag_code == 0 && soum_code == 0; }
  // Whether a household registered in `household_soum` is inside.
  bool Matches(int32_t household_soum) const;
  // Whether every household of `inner` is inside this area.
  bool Contains(const AreaFilter& inner) const;
  // The part of the country both see; nullopt when they do not overlap.
  std::optional<AreaFilter> Intersect(const AreaFilter& other) const;
  // The area as a code: 0 national, else the soum's or the aimag's code.
  int32_t code() const { return soum_code ? soum_code : aimag_code; }
  // From such a code (0, 3 digits or 5 digits).
  static AreaFilter FromCode(int32_t code);
  // "national", "aimag 181" or "soum 18140", for messages and logs.
  std::string ToString() const;
  bool operator==(const AreaFilter&) const = default;
};

}  // namespace malchin::store
