// The PostgreSQL engine's Tables (backends/tables.h): its data, table by
// table. Rows are read through a cursor in the caller's transaction and
// written with COPY.
#include <algorithm>
#include <cstdio>
#include <pqxx/pqxx>

#include "backends/postgres/session.h"
#include "backends/tables.h"

namespace malchin::backends::postgres {
namespace {

constexpr int kFetch = 5000;
constexpr size_t kInsertParams = 30000;

TableColumn::Kind KindOf(const std::string& type) {
  if (type == "boolean") return TableColumn::Kind::kBoolean;
  if (type == "date") return TableColumn::Kind::kDate;
  if (type == "integer" || type == "bigint" || type == "smallint") {
    return TableColumn::Kind::kInteger;
  }
  if (type == "double precision" || type == "real" || type == "numeric") {
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

// INSERT INTO t (columns) VALUES ($1, ..., $k), ... for `rows` rows.
std::string InsertSql(const std::string& table,
                      const std::vector<std::string>& columns, size_t rows) {
  std::string sql =
      "INSERT INTO " + Quote(table) + " (" + ColumnList(columns) + ") VALUES ";
  size_t p = 1;
  for (size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (size_t c = 0; c < columns.size(); ++c) {
      sql += (c ? ", $" : "$") + std::to_string(p++);
    }
    sql += ")";
  }
  return sql;
}

// A cell in the form both engines share (booleans 0/1, dates as text).
Cell ReadCell(const pqxx::field& f, TableColumn::Kind kind) {
  if (f.is_null()) return std::monostate{};
  switch (kind) {
    case TableColumn::Kind::kBoolean:
      return int64_t{PgBool(f) ? 1 : 0};
    case TableColumn::Kind::kInteger:
      return PgInt(f);
    case TableColumn::Kind::kReal:
      return PgReal(f);
    default:
      return PgText(f);
  }
}

std::optional<std::string> CopyText(const Cell& c) {
  if (std::holds_alternative<std::monostate>(c)) return std::nullopt;
  if (const auto* i = std::get_if<int64_t>(&c)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&c)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    return std::string(buf);
  }
  return std::get<std::string>(c);
}

class PgTables final : public Tables {
 public:
  explicit PgTables(PgSession& s) : s_(s) {}

  Result<std::vector<TableShape>> List() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("tables.list",
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON "
                    "n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                    "AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND "
                    "c.relname <> 'schema_migrations' ORDER BY 1"));
    std::vector<TableShape> out;
    for (const auto& row : r) out.push_back({PgText(row[0]), {}, {}, {}});
    for (TableShape& t : out) MALCHIN_RETURN_IF_ERROR(Describe(&t));
    return out;
  }

  Result<int64_t> Count(const std::string& table) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.ExecuteOnce("SELECT count(*) FROM " + Quote(table)));
    return r.empty() ? int64_t{0} : PgInt(r[0][0]);
  }

  Status ForEachRow(
      const TableShape& t, const std::vector<std::string>& columns,
      const std::function<Status(const std::vector<Cell>&)>& fn) override {
    std::vector<TableColumn::Kind> kinds;
    for (const std::string& c : columns) {
      const TableColumn* col = t.Find(c);
      kinds.push_back(col ? col->kind : TableColumn::Kind::kText);
    }
    MALCHIN_RETURN_IF_ERROR(
        s_.ExecuteOnce("DECLARE malchin_rows NO SCROLL CURSOR FOR SELECT " +
                       ColumnList(columns) + " FROM " + Quote(t.name) +
                       " ORDER BY " + ColumnList(t.key))
            .status());
    std::vector<Cell> row(columns.size());
    Status result;
    for (;;) {
      auto batch = s_.ExecuteOnce("FETCH " + std::to_string(kFetch) +
                                  " FROM malchin_rows");
      if (!batch.ok()) return batch.status();
      for (const auto& r : *batch) {
        for (size_t i = 0; i < columns.size(); ++i) {
          row[i] = ReadCell(r[static_cast<int>(i)], kinds[i]);
        }
        result = fn(row);
        if (!result.ok()) break;
      }
      if (!result.ok() || static_cast<int>(batch->size()) < kFetch) break;
    }
    MALCHIN_RETURN_IF_ERROR(s_.ExecuteOnce("CLOSE malchin_rows").status());
    return result;
  }

  Status Insert(const TableShape& t, const std::vector<std::string>& columns,
                const std::vector<std::vector<Cell>>& rows) override {
    // Multi-row INSERTs of at most kInsertParams parameters each.
    const size_t per = std::max<size_t>(1, kInsertParams / columns.size());
    for (size_t first = 0; first < rows.size(); first += per) {
      size_t n = std::min(per, rows.size() - first);
      std::vector<PgValue> params;
      params.reserve(n * columns.size());
      for (size_t r = first; r < first + n; ++r) {
        for (const Cell& c : rows[r]) params.push_back(CopyText(c));
      }
      MALCHIN_RETURN_IF_ERROR(
          s_.Execute("tables.insert:" + t.name + ":" + std::to_string(n),
                     InsertSql(t.name, columns, n), params)
              .status()
              .WithContext("copying " + t.name));
    }
    return Status::Ok();
  }

  Status AfterLoad(const std::vector<TableShape>& tables) override {
    for (const TableShape& t : tables) {
      for (const TableColumn& c : t.columns) {
        if (!c.identity) continue;
        MALCHIN_RETURN_IF_ERROR(
            s_.ExecuteOnce("SELECT setval(pg_get_serial_sequence('" + t.name +
                           "', '" + c.name + "'), COALESCE(max(" +
                           Quote(c.name) + "), 0) + 1, false) FROM " +
                           Quote(t.name))
                .status());
      }
    }
    return Status::Ok();
  }

 private:
  Status Describe(TableShape* t) {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result cols,
        s_.Prepared("tables.columns",
                    "SELECT column_name, data_type, is_nullable = 'NO' AND "
                    "column_default IS NULL AND is_identity = 'NO', "
                    "is_generated = 'ALWAYS', is_identity = 'YES' FROM "
                    "information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = $1 ORDER BY "
                    "ordinal_position",
                    t->name));
    for (const auto& r : cols) {
      TableColumn c;
      c.name = PgText(r[0]);
      c.kind = KindOf(PgText(r[1]));
      c.required = PgBool(r[2]);
      c.generated = PgBool(r[3]);
      c.identity = PgBool(r[4]);
      t->columns.push_back(c);
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result key,
        s_.Prepared("tables.key",
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON "
                    "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                    "WHERE i.indrelid = $1::regclass AND i.indisprimary ORDER "
                    "BY array_position(i.indkey::int2[], a.attnum)",
                    t->name));
    for (const auto& r : key) t->key.push_back(PgText(r[0]));
    if (t->key.empty()) {
      for (const TableColumn& c : t->columns) t->key.push_back(c.name);
    }
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result refs,
        s_.Prepared("tables.references",
                    "SELECT DISTINCT confrelid::regclass::text FROM "
                    "pg_constraint WHERE conrelid = $1::regclass AND contype "
                    "= 'f'",
                    t->name));
    for (const auto& r : refs) t->references.push_back(PgText(r[0]));
    return Status::Ok();
  }

  PgSession& s_;
};

}  // namespace

void RegisterTablesRepositories(PgFactories* f) {
  f->Add<Tables>([](PgSession& s) { return std::make_unique<PgTables>(s); });
}

}  // namespace malchin::backends::postgres
