#include "exchange/exchange.h"

namespace malchin::exchange {

const std::vector<std::string>& HouseholdColumns() {
  static const std::vector<std::string> kCols = {
      "household_id", "soum_code", "bag",         "current_soum_code",
      "herder",       "camels",    "horses",      "cattle",
      "sheep",        "goats",     "cooperative", "phone",
      "lat",          "lon"};
  return kCols;
}

const std::vector<std::string>& PersonColumns() {
  static const std::vector<std::string> kCols = {
      "register_no", "household_id", "family_name", "father_name",
      "given_name",  "sex",          "birth_date",  "relation",
      "disability",  "herder",       "phone",       "bank_account"};
  return kCols;
}

std::string RowError::ToString() const {
  std::string s = file;
  if (line) s += " line " + std::to_string(line);
  if (!column.empty()) s += ", " + column;
  s += ": ";
  if (!value.empty() || !column.empty()) s += "'" + value + "' - expected ";
  s += expected;
  return s;
}

std::string Duplicate::ToString() const {
  std::string s = file + " line " + std::to_string(line) + ": " + register_no;
  switch (kind) {
    case Kind::kRegisterNumberTwiceInFile:
      s += " appears again (first at line " + std::to_string(other_line) +
           "); neither row is imported";
      break;
    case Kind::kNameAndBirthInFile:
      s += " has the same name and birth date (" + name + ") as " +
           other_register_no + " at line " + std::to_string(other_line) +
           "; review whether they are one person";
      break;
    case Kind::kNameAndBirthInRegister:
      s += " has the same name and birth date (" + name +
           ") as registered person " + other_register_no +
           "; review whether they are one person";
      break;
  }
  return s;
}

}  // namespace malchin::exchange
