#include "backends/copy.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "backends/open.h"
#include "backends/tables.h"
#include "store/url.h"

namespace malchin::backends {
namespace {

// Tables each engine fills when it is created, never copied: the register's
// version is the target's own (caches key on it).
const std::set<std::string> kNotCopied = {"register_version"};
// A target holding any of these holds data.
const char* kDataTables[] = {"households", "users", "audit_log"};
constexpr size_t kBatch = 2000;

// Appends a cell to a checksum text: typed and length-prefixed, so no two
// different rows give the same text.
void AppendCanonical(const Cell& c, std::string* out) {
  if (std::holds_alternative<std::monostate>(c)) {
    out->append("N;");
  } else if (const auto* i = std::get_if<int64_t>(&c)) {
    out->append("I" + std::to_string(*i) + ";");
  } else if (const auto* d = std::get_if<double>(&c)) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "R%.17g;", *d);
    out->append(buf);
  } else {
    const std::string& s = std::get<std::string>(c);
    out->append("T" + std::to_string(s.size()) + ":" + s + ";");
  }
}

// A running checksum of a table's rows: SHA-256 of the hashes of batches
// (bounded memory for millions of rows).
class TableChecksum {
 public:
  void Add(const std::vector<Cell>& row) {
    for (const Cell& c : row) AppendCanonical(c, &pending_);
    pending_.push_back('\n');
    if (pending_.size() > (1u << 20)) Flush();
  }
  std::string Finish() {
    Flush();
    return store::Sha256Hex(digests_);
  }

 private:
  void Flush() {
    digests_ += store::Sha256Hex(pending_);
    pending_.clear();
  }
  std::string pending_, digests_;
};

// The tables of `source` to copy, ordered so that a table comes after those
// it refers to; and the columns of each (shared, not generated).
struct Plan {
  std::vector<TableShape> tables;   // The target's shapes, in order.
  std::vector<TableShape> sources;  // The source's shapes of those tables.
  std::vector<std::vector<std::string>> columns;
};

Result<Plan> MakePlan(const std::vector<TableShape>& source,
                      const std::vector<TableShape>& target, Tables& src) {
  std::map<std::string, const TableShape*> dst;
  for (const TableShape& t : target) dst[t.name] = &t;
  std::map<std::string, const TableShape*> wanted;
  for (const TableShape& s : source) {
    if (kNotCopied.count(s.name)) continue;
    auto d = dst.find(s.name);
    if (d == dst.end()) {
      MALCHIN_ASSIGN_OR_RETURN(int64_t n, src.Count(s.name));
      if (n > 0) {
        return Status::InvalidArgument(
            "table " + s.name + " has " + std::to_string(n) +
            " rows in the source but does not exist in the target; upgrade "
            "the target's Malchin");
      }
      continue;
    }
    wanted[s.name] = &s;
  }
  Plan plan;
  std::set<std::string> done;
  while (done.size() < wanted.size()) {
    bool progress = false;
    for (const auto& [name, s] : wanted) {
      if (done.count(name)) continue;
      bool ready = true;
      for (const std::string& r : dst[name]->references) {
        ready = ready && (r == name || !wanted.count(r) || done.count(r));
      }
      if (!ready) continue;
      const TableShape& d = *dst[name];
      std::vector<std::string> cols;
      for (const TableColumn& c : d.columns) {
        const TableColumn* sc = s->Find(c.name);
        if (c.generated) continue;
        // Left out: the target's default or its own trigger fills it
        // (PostgreSQL's aimag_code), or the database refuses the row.
        if (sc == nullptr || sc->generated) continue;
        cols.push_back(c.name);
      }
      // By name: the engines order columns differently, and the checksums
      // of both sides must read them alike.
      std::sort(cols.begin(), cols.end());
      plan.tables.push_back(d);
      plan.sources.push_back(*s);
      plan.columns.push_back(std::move(cols));
      done.insert(name);
      progress = true;
    }
    if (!progress) return Status::Internal("foreign keys form a cycle");
  }
  return plan;
}

Status CheckEmpty(Tables& dst, const std::vector<TableShape>& target,
                  const std::string& where) {
  for (const char* name : kDataTables) {
    bool exists = false;
    for (const TableShape& t : target) exists = exists || t.name == name;
    if (!exists) continue;
    MALCHIN_ASSIGN_OR_RETURN(int64_t n, dst.Count(name));
    if (n > 0) {
      return Status::FailedPrecondition(where + " is not empty (" + name +
                                        " has " + std::to_string(n) +
                                        " rows); copy into a new database");
    }
  }
  return Status::Ok();
}

// Streams one table from `src` into `dst` in batches; its checksum.
Result<std::string> CopyTable(Tables& src, Tables& dst,
                              const TableShape& source, const TableShape& t,
                              const std::vector<std::string>& cols,
                              int64_t* rows) {
  TableChecksum sum;
  std::vector<std::vector<Cell>> batch;
  MALCHIN_RETURN_IF_ERROR(
      src.ForEachRow(source, cols, [&](const std::vector<Cell>& row) -> Status {
        sum.Add(row);
        batch.push_back(row);
        ++*rows;
        if (batch.size() < kBatch) return Status::Ok();
        Status s = dst.Insert(t, cols, batch);
        batch.clear();
        return s;
      }));
  if (!batch.empty()) MALCHIN_RETURN_IF_ERROR(dst.Insert(t, cols, batch));
  return sum.Finish();
}

Result<std::string> Checksum(Tables& db, const TableShape& t,
                             const std::vector<std::string>& cols,
                             int64_t* rows) {
  TableChecksum sum;
  MALCHIN_RETURN_IF_ERROR(
      db.ForEachRow(t, cols, [&](const std::vector<Cell>& row) {
        sum.Add(row);
        ++*rows;
        return Status::Ok();
      }));
  return sum.Finish();
}

}  // namespace

int64_t CopyReport::rows() const {
  int64_t n = 0;
  for (const CopiedTable& t : tables) n += t.rows;
  return n;
}

Result<CopyReport> CopyDatabase(
    const std::string& from, const std::string& to, const std::string& actor,
    const std::function<void(double, const std::string&)>& progress) {
  CopyReport report;
  report.from = store::RedactUrl(from);
  report.to = store::RedactUrl(to);
  store::OpenOptions ro;
  ro.create = false;
  MALCHIN_ASSIGN_OR_RETURN(auto source_db, OpenDatabase(from, ro));
  MALCHIN_ASSIGN_OR_RETURN(auto target_db, OpenDatabase(to));
  MALCHIN_ASSIGN_OR_RETURN(auto s, source_db->Connect());
  MALCHIN_ASSIGN_OR_RETURN(auto d, target_db->Connect());
  d->SetCaller(store::Caller{actor, "", store::AreaFilter{}});
  Tables& src = s->Get<Tables>();
  Tables& dst = d->Get<Tables>();
  MALCHIN_ASSIGN_OR_RETURN(auto source_tables, src.List());
  MALCHIN_ASSIGN_OR_RETURN(auto target_tables, dst.List());
  MALCHIN_RETURN_IF_ERROR(CheckEmpty(dst, target_tables, report.to));
  MALCHIN_ASSIGN_OR_RETURN(Plan plan,
                           MakePlan(source_tables, target_tables, src));
  MALCHIN_RETURN_IF_ERROR(s->Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(auto tx, d->HoldWrite());
    for (size_t i = 0; i < plan.tables.size(); ++i) {
      const TableShape& t = plan.tables[i];
      CopiedTable c{t.name, 0, ""};
      MALCHIN_ASSIGN_OR_RETURN(
          c.checksum,
          CopyTable(src, dst, plan.sources[i], t, plan.columns[i], &c.rows));
      report.tables.push_back(c);
      if (progress) {
        progress(0.9 * (i + 1) / plan.tables.size(), "copied " + t.name);
      }
    }
    MALCHIN_RETURN_IF_ERROR(dst.AfterLoad(plan.tables));
    // The target, read back in its own transaction, must hold the same.
    for (size_t i = 0; i < plan.tables.size(); ++i) {
      int64_t rows = 0;
      MALCHIN_ASSIGN_OR_RETURN(
          std::string sum,
          Checksum(dst, plan.tables[i], plan.columns[i], &rows));
      const CopiedTable& c = report.tables[i];
      if (rows != c.rows || sum != c.checksum) {
        return Status::DataLoss(
            "table " + c.name + ": the copy holds " + std::to_string(rows) +
            " rows (checksum " + sum.substr(0, 12) + "), the source " +
            std::to_string(c.rows) + " (" + c.checksum.substr(0, 12) +
            "); nothing was kept");
      }
    }
    store::AuditEntry e;
    e.action = "database.copy";
    e.entity_type = "database";
    e.entity_id = report.to;
    e.after_json =
        nlohmann::json({{"from", report.from}, {"rows", report.rows()}}).dump();
    MALCHIN_RETURN_IF_ERROR(d->Audit(std::move(e)).status());
    if (progress) progress(1.0, "committed");
    return tx->Commit();
  }));
  return report;
}

}  // namespace malchin::backends
