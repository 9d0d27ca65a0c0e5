#include "registry/register_number.h"

#include "core/text.h"

namespace malchin::registry {
namespace {

bool IsCapitalLetter(char32_t cp) {
  return (cp >= 0x410 && cp <= 0x42F) || cp == 0x401 || cp == 0x4E8 ||
         cp == 0x4AE;
}

// Decodes the two leading letters; returns the byte length they take, or 0.
size_t LetterPrefix(std::string_view s) {
  size_t i = 0;
  for (int k = 0; k < 2; ++k) {
    if (i + 2 > s.size()) return 0;
    unsigned char a = s[i], b = s[i + 1];
    if ((a & 0xE0) != 0xC0 || (b & 0xC0) != 0x80) return 0;
    char32_t cp = ((a & 0x1F) << 6) | (b & 0x3F);
    if (!IsCapitalLetter(cp)) return 0;
    i += 2;
  }
  return i;
}

const char* SexName(Sex s) { return s == Sex::kMale ? "male" : "female"; }

}  // namespace

std::string NormalizeRegisterNumber(std::string_view rn) {
  size_t b = rn.find_first_not_of(" \t");
  size_t e = rn.find_last_not_of(" \t");
  if (b == std::string_view::npos) return "";
  return text::ToUpper(rn.substr(b, e - b + 1));
}

Result<RegisterNumberInfo> ParseRegisterNumber(std::string_view rn) {
  const std::string expected =
      "expected 2 Cyrillic letters and 8 digits, e.g. УК03271614";
  size_t p = LetterPrefix(rn);
  if (p == 0) {
    return Status::InvalidArgument("'" + std::string(rn) +
                                   "' does not start with 2 Cyrillic capital "
                                   "letters; " +
                                   expected);
  }
  std::string_view digits = rn.substr(p);
  if (digits.size() != 8) {
    return Status::InvalidArgument(
        "'" + std::string(rn) + "' has " + std::to_string(digits.size()) +
        " characters after the letters; " + expected);
  }
  for (char c : digits) {
    if (c < '0' || c > '9') {
      return Status::InvalidArgument("'" + std::string(rn) +
                                     "' has a non-digit after the letters; " +
                                     expected);
    }
  }
  auto num = [&](int i) {
    return (digits[i] - '0') * 10 + (digits[i + 1] - '0');
  };
  int yy = num(0), mm = num(2), dd = num(4);
  int year = 1900 + yy;
  if (mm > 20) {
    year = 2000 + yy;
    mm -= 20;
  }
  auto date = Date::Make(year, mm, dd);
  if (!date.ok()) {
    return Status::InvalidArgument(
        "'" + std::string(rn) + "' does not encode a real birth date (" +
        date.status().message() +
        "); digits 1-6 are YYMMDD with the month +20 for births from 2000");
  }
  RegisterNumberInfo info;
  info.birth_date = *date;
  info.sex = (digits[6] - '0') % 2 == 1 ? Sex::kMale : Sex::kFemale;
  return info;
}

Status CheckRegisterNumber(std::string_view rn, Date birth_date, Sex sex) {
  MALCHIN_ASSIGN_OR_RETURN(RegisterNumberInfo info, ParseRegisterNumber(rn));
  if (info.birth_date != birth_date) {
    return Status::InvalidArgument(
        "register number " + std::string(rn) + " encodes birth date " +
        info.birth_date.ToString() + " but the declared birth date is " +
        birth_date.ToString());
  }
  if (info.sex != sex) {
    return Status::InvalidArgument(
        "register number " + std::string(rn) + " encodes sex " +
        SexName(info.sex) +
        " (digit 7 odd = male, even = female) but the "
        "declared sex is " +
        SexName(sex));
  }
  return Status::Ok();
}

std::string MakeRegisterNumber(std::string_view letters, Date birth_date,
                               Sex sex, int serial_digit, int check_digit) {
  int y = birth_date.year();
  int m = birth_date.month() + (y >= 2000 ? 20 : 0);
  int d = birth_date.day();
  int sex_digit = serial_digit % 5 * 2 + (sex == Sex::kMale ? 1 : 0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%d%d", y % 100, m, d, sex_digit,
                check_digit % 10);
  return std::string(letters) + buf;
}

}  // namespace malchin::registry
