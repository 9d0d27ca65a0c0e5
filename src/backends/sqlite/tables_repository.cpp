// The SQLite engine's Tables (backends/tables.h): its data, table by table.
#include <algorithm>

#include "backends/sqlite/session.h"
#include "backends/tables.h"

namespace malchin::backends::sqlite {
namespace {

TableColumn::Kind KindOf(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), ::toupper);
  if (type.find("INT") != std::string::npos) return TableColumn::Kind::kInteger;
  if (type.find("REAL") != std::string::npos ||
      type.find("DOUB") != std::string::npos) {
    return TableColumn::Kind::kReal;
  }
  return TableColumn::Kind::kText;
}

std::string Quote(const std::string& name) { return "\"" + name + "\""; }

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& c : columns) {
    if (!out.empty()) out += ", ";
    out += Quote(c);
  }
  return out;
}

class SqliteTables final : public Tables {
 public:
  explicit SqliteTables(SqliteSession& s) : s_(s) {}

  Result<std::vector<TableShape>> List() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q, s_.db().Prepare(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND "
                    "name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' "
                    "ORDER BY name"));
    std::vector<TableShape> out;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      out.push_back({std::string(q.Text(0)), {}, {}, {}});
    }
    for (TableShape& t : out) MALCHIN_RETURN_IF_ERROR(Describe(&t));
    return out;
  }

  Result<int64_t> Count(const std::string& table) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q, s_.db().Prepare("SELECT count(*) FROM " + Quote(table)));
    MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
    int64_t n = row ? q.Int(0) : 0;
    q.Reset();
    return n;
  }

  Status ForEachRow(
      const TableShape& t, const std::vector<std::string>& columns,
      const std::function<Status(const std::vector<Cell>&)>& fn) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt q,
        s_.db().Prepare("SELECT " + ColumnList(columns) + " FROM " +
                        Quote(t.name) + " ORDER BY " + ColumnList(t.key)));
    std::vector<Cell> row(columns.size());
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool more, q.Step());
      if (!more) return Status::Ok();
      for (size_t i = 0; i < columns.size(); ++i) {
        row[i] = Read(q, static_cast<int>(i), t.Find(columns[i]));
      }
      MALCHIN_RETURN_IF_ERROR(fn(row));
    }
  }

  Status Insert(const TableShape& t, const std::vector<std::string>& columns,
                const std::vector<std::vector<Cell>>& rows) override {
    std::string marks;
    for (size_t i = 0; i < columns.size(); ++i) {
      marks += (i ? ", ?" : "?") + std::to_string(i + 1);
    }
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * ins,
        s_.Prepared("tables.insert:" + t.name + ":" + ColumnList(columns),
                    "INSERT INTO " + Quote(t.name) + " (" +
                        ColumnList(columns) + ") VALUES (" + marks + ")"));
    for (const auto& row : rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        const int k = static_cast<int>(i + 1);
        std::visit(
            [&](const auto& v) {
              using V = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<V, std::monostate>) {
                ins->BindNull(k);
              } else if constexpr (std::is_same_v<V, std::string>) {
                ins->Bind(k, std::string_view(v));
              } else {
                ins->Bind(k, v);
              }
            },
            row[i]);
      }
      MALCHIN_RETURN_IF_ERROR(ins->Run().WithContext("copying " + t.name));
    }
    return Status::Ok();
  }

  Status AfterLoad(const std::vector<TableShape>&) override {
    return Status::Ok();
  }

 private:
  Status Describe(TableShape* t) {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt c, s_.db().Prepare("SELECT name, type, \"notnull\", dflt_value, "
                                "pk, hidden FROM pragma_table_xinfo(?1) "
                                "ORDER BY cid"));
    c.Bind(1, std::string_view(t->name));
    std::vector<std::pair<int64_t, std::string>> pk;
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, c.Step());
      if (!row) break;
      TableColumn col;
      col.name = c.Text(0);
      col.kind = KindOf(std::string(c.Text(1)));
      col.generated = c.Int(5) == 2 || c.Int(5) == 3;
      col.required = c.Int(2) != 0 && c.IsNull(3) && c.Int(4) == 0;
      if (c.Int(4) > 0) pk.emplace_back(c.Int(4), col.name);
      t->columns.push_back(col);
    }
    std::sort(pk.begin(), pk.end());
    for (const auto& [_, name] : pk) t->key.push_back(name);
    if (t->key.empty()) t->key.push_back("rowid");
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt f,
        s_.db().Prepare(
            "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)"));
    f.Bind(1, std::string_view(t->name));
    for (;;) {
      MALCHIN_ASSIGN_OR_RETURN(bool row, f.Step());
      if (!row) break;
      t->references.push_back(std::string(f.Text(0)));
    }
    return Status::Ok();
  }

  static Cell Read(const Stmt& q, int i, const TableColumn* col) {
    if (q.IsNull(i)) return std::monostate{};
    auto kind = col ? col->kind : TableColumn::Kind::kText;
    switch (q.ColumnType(i)) {
      case SQLITE_INTEGER:
        return q.Int(i);
      case SQLITE_FLOAT:
        return kind == TableColumn::Kind::kInteger
                   ? Cell(static_cast<int64_t>(q.Real(i)))
                   : Cell(q.Real(i));
      default:
        return std::string(q.Text(i));
    }
  }

  SqliteSession& s_;
};

}  // namespace

void RegisterTablesRepositories(Factories* f) {
  f->Add<Tables, SqliteTables>();
}

}  // namespace malchin::backends::sqlite
