// Banks: which bank an account number belongs to, for payment files.
//
// The rule (documented in docs/response.md): an account number is 6-34
// digits; its first four digits are the bank's code, as in the bank
// identifier of a Mongolian IBAN (MNkk BBBB AAAAAAAAAAAA). The codes and
// names come from the table src/response/banks.csv, embedded in the binary
// (data, not code: a new bank is a new row). An account whose first four
// digits are not in the table, or an empty one, cannot be routed; its
// payment is held back and reported, never guessed.
//
// Thread-safety: immutable once built; share freely.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::response {

struct BankInfo {
  std::string code;  // 4 digits.
  std::string name_en, name_mn;
};

class BankTable {
 public:
  // The table shipped with the binary.
  static Result<BankTable> Embedded();
  // Parses the CSV format of banks.csv (header code,name_en,name_mn).
  // Errors name the line and value.
  static Result<BankTable> Parse(std::string_view file_name,
                                 std::string_view csv);

  // The bank code of `account`, or InvalidArgument saying why it cannot be
  // routed (empty, not digits, wrong length, unknown bank code).
  Result<std::string> Route(std::string_view account) const;
  // nullptr if the code is unknown.
  const BankInfo* Find(std::string_view code) const;
  const std::map<std::string, BankInfo, std::less<>>& banks() const {
    return banks_;
  }

 private:
  std::map<std::string, BankInfo, std::less<>> banks_;
};

}  // namespace malchin::response
