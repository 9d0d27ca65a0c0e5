// Mongolian civil register numbers (регистрийн дугаар).
//
// Format: 2 Cyrillic capital letters + 8 digits, e.g. "УК03271614".
// Digits 1-2: year of birth (YY); 3-4: month, +20 for births from 2000
// (so 21..32); 5-6: day; 7: sex (odd male, even female); 8: check digit,
// whose algorithm is not published, so it is never used to reject a number.
// See data/parameters.json sources and mn_policy_parameters.json.
#pragma once

#include <string>
#include <string_view>

#include "core/date.h"
#include "core/status.h"

namespace malchin::registry {

enum class Sex { kFemale, kMale };

struct RegisterNumberInfo {
  Date birth_date;
  Sex sex = Sex::kFemale;
};

// Parses and checks the form and the encoded date and sex. Lower-case
// letters are accepted and upper-cased by NormalizeRegisterNumber().
// Errors say which part is wrong and what was expected.
Result<RegisterNumberInfo> ParseRegisterNumber(std::string_view rn);

// Upper-cases the letters and strips surrounding spaces.
std::string NormalizeRegisterNumber(std::string_view rn);

// Checks that `rn` encodes `birth_date` and `sex`. The error names both the
// encoded and the declared value.
Status CheckRegisterNumber(std::string_view rn, Date birth_date, Sex sex);

// Builds a number for `birth_date` and `sex` from two letters and a
// 1-digit serial and check digit (used by the demo generator and tests).
// REQUIRES: birth year 1900..2099, letters two Cyrillic capitals.
std::string MakeRegisterNumber(std::string_view letters, Date birth_date,
                               Sex sex, int serial_digit, int check_digit);

}  // namespace malchin::registry
