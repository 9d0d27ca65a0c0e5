#include "response/banks.h"

#include <algorithm>

#include "csv/csv.h"

namespace malchin::embedded {
extern const std::string_view kBankTableCsv;
}

namespace malchin::response {

Result<BankTable> BankTable::Embedded() {
  return Parse("banks.csv", embedded::kBankTableCsv);
}

Result<BankTable> BankTable::Parse(std::string_view file_name,
                                   std::string_view data) {
  BankTable t;
  std::optional<csv::Header> header;
  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header, csv::Header::Make(file_name, r,
                                        {"code", "name_en", "name_mn"}, {}));
          return Status::Ok();
        }
        auto field = [&](std::string_view name) -> std::string {
          int i = header->Index(name);
          return i >= 0 && i < static_cast<int>(r.fields.size()) ? r.fields[i]
                                                                 : "";
        };
        BankInfo b{field("code"), field("name_en"), field("name_mn")};
        if (b.code.size() != 4 ||
            !std::all_of(b.code.begin(), b.code.end(),
                         [](char c) { return c >= '0' && c <= '9'; })) {
          return Status::InvalidArgument(
              std::string(file_name) + ":" + std::to_string(r.line) +
                  ": code '" + b.code + "': expected 4 digits",
              "code");
        }
        if (!t.banks_.emplace(b.code, b).second) {
          return Status::InvalidArgument(std::string(file_name) + ":" +
                                             std::to_string(r.line) +
                                             ": code " + b.code + " repeats",
                                         "code");
        }
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (t.banks_.empty()) {
    return Status::InvalidArgument(std::string(file_name) + ": no bank");
  }
  return t;
}

Result<std::string> BankTable::Route(std::string_view account) const {
  if (account.empty()) {
    return Status::InvalidArgument("no bank account in the register");
  }
  if (account.size() < 6 || account.size() > 34 ||
      !std::all_of(account.begin(), account.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return Status::InvalidArgument("account '" + std::string(account) +
                                   "': expected 6-34 digits");
  }
  auto it = banks_.find(account.substr(0, 4));
  if (it == banks_.end()) {
    return Status::InvalidArgument("account " + std::string(account) +
                                   ": no bank has code " +
                                   std::string(account.substr(0, 4)));
  }
  return it->first;
}

const BankInfo* BankTable::Find(std::string_view code) const {
  auto it = banks_.find(code);
  return it == banks_.end() ? nullptr : &it->second;
}

}  // namespace malchin::response
