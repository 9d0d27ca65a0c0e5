// Tables: every engine's data, table by table, for moving a whole database
// between engines (copy.h). Not a capability's repository: engine
// machinery, reached only by the composition (`malchin copy`) and tests.
//
// Both engines name tables and columns alike (src/backends/*/migrations);
// what differs is types (SQLite's 0/1 integers are PostgreSQL booleans,
// text dates are DATE) and engine-only columns (PostgreSQL's aimag_code).
// A Cell carries a value in the form both share: booleans as 0/1, dates as
// "YYYY-MM-DD" text.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/session.h"

namespace malchin::backends {

// NULL, an integer, a real or a text.
using Cell = std::variant<std::monostate, int64_t, double, std::string>;

struct TableColumn {
  enum class Kind { kInteger, kReal, kText, kBoolean, kDate };
  std::string name;
  Kind kind = Kind::kText;
  bool generated = false;  // Computed by the engine: never written.
  bool required = false;   // NOT NULL without a default.
  bool identity = false;   // Numbered by the engine unless given.
};

struct TableShape {
  std::string name;
  std::vector<TableColumn> columns;
  std::vector<std::string> key;         // Primary key columns, in order.
  std::vector<std::string> references;  // Tables its foreign keys name.
  const TableColumn* Find(const std::string& column) const {
    for (const TableColumn& c : columns) {
      if (c.name == column) return &c;
    }
    return nullptr;
  }
};

class Tables : public store::Repository {
 public:
  // The tables holding Malchin's data: not the engine's own, not
  // schema_migrations (each engine has its own history).
  virtual Result<std::vector<TableShape>> List() = 0;
  virtual Result<int64_t> Count(const std::string& table) = 0;
  // The rows' `columns`, in key order. REQUIRES: inside a Read or Write.
  virtual Status ForEachRow(
      const TableShape& table, const std::vector<std::string>& columns,
      const std::function<Status(const std::vector<Cell>&)>& fn) = 0;
  // Appends rows. REQUIRES: inside a Write (or HoldWrite).
  virtual Status Insert(const TableShape& table,
                        const std::vector<std::string>& columns,
                        const std::vector<std::vector<Cell>>& rows) = 0;
  // After a load with explicit ids: identity sequences continue past them
  // (PostgreSQL); nothing to do on SQLite.
  virtual Status AfterLoad(const std::vector<TableShape>& tables) = 0;
};

}  // namespace malchin::backends
