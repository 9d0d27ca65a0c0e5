// The schema migrations embedded in the binary, in order. Internal to the
// store implementations.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace malchin::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
  // Hex SHA-256 of `sql`, recorded when applied and checked at every open.
  std::string Checksum() const;
};

const std::vector<Migration>& Migrations();

}  // namespace malchin::store
