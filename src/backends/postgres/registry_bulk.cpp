// Loading a whole register into an empty database on PostgreSQL (the demo
// generator): COPY in batches, in one transaction that also drops the
// secondary indexes and the persons -> households reference and builds them
// again from their own definitions at Finish() (sorted builds and one join
// instead of millions of index insertions and reference checks).
// Household ids are drawn from the column's own sequence (ReserveIds);
// persons get theirs from their identity column, in the order they come.
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "backends/postgres/copy.h"
#include "backends/postgres/registry_rows.h"

namespace malchin::backends::postgres {
namespace {

using registry::Household;
using registry::Person;

// Rows held before they are sent with one COPY per table.
constexpr size_t kBatchRows = 16384;
// Household ids drawn from the sequence at a time.
constexpr int64_t kIdsAtATime = 8192;

// What the load drops and builds again: the indexes of households and
// persons that no constraint owns, and the references from persons. Each
// row: the order to build in, the statement that drops, the one that
// builds (from the catalog, so they are exactly the schema's).
constexpr std::string_view kRebuiltSql =
    "SELECT 1, 'DROP INDEX ' || i.indexrelid::regclass::text, "
    "pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid IN "
    "('households'::regclass, 'persons'::regclass) AND NOT EXISTS (SELECT 1 "
    "FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = "
    "i.indrelid) "
    "UNION ALL SELECT 2, 'ALTER TABLE persons DROP CONSTRAINT ' || "
    "quote_ident(c.conname), 'ALTER TABLE persons ADD CONSTRAINT ' || "
    "quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) FROM "
    "pg_constraint c WHERE c.conrelid = 'persons'::regclass AND c.contype = "
    "'f' ORDER BY 1, 2";

// Where a household's persons point: its row id and aimag.
struct HouseholdRef {
  int64_t hh = 0;
  int32_t aimag = 0;
};

class PgBulkLoader final : public registry::BulkLoader {
 public:
  PgBulkLoader(PgSession& s, std::unique_ptr<store::Session::HeldWrite> tx,
               std::vector<std::string> rebuild)
      : s_(s), tx_(std::move(tx)), rebuild_(std::move(rebuild)) {}

  Status AddHousehold(const Household& h) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    if (next_id_ == ids_.size()) {
      MALCHIN_ASSIGN_OR_RETURN(
          ids_, Track(s_.ReserveIds("households", "hh", kIdsAtATime)));
      next_id_ = 0;
    }
    HouseholdRef ref{ids_[next_id_++], h.soum_code / 100};
    if (!known_.emplace(h.id, ref).second) {
      return Track(
          Status::AlreadyExists("household " + h.id + " was added twice"));
    }
    last_id_ = h.id;
    last_ = ref;
    households_.emplace_back(ref.hh, h);
    return FlushIfFull();
  }

  Status AddPerson(const Person& p) override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    HouseholdRef ref = last_;
    if (p.household_id != last_id_ || last_id_.empty()) {
      auto it = known_.find(p.household_id);
      if (it == known_.end()) {
        return Track(Status::InvalidArgument(
            "person " + p.register_no + " refers to household " +
            p.household_id + " not added before"));
      }
      ref = it->second;
    }
    persons_.emplace_back(ref, p);
    return FlushIfFull();
  }

  Status Finish() override {
    MALCHIN_RETURN_IF_ERROR(Usable());
    MALCHIN_RETURN_IF_ERROR(Track(Flush()));
    // Sorting millions of keys in memory rather than on disk.
    MALCHIN_RETURN_IF_ERROR(Track(
        s_.ExecuteOnce("SET LOCAL maintenance_work_mem = '256MB'").status()));
    for (const std::string& build : rebuild_) {
      MALCHIN_RETURN_IF_ERROR(Track(s_.ExecuteOnce(build).status()));
    }
    MALCHIN_RETURN_IF_ERROR(
        Track(s_.ExecuteOnce("ANALYZE households, persons").status()));
    MALCHIN_RETURN_IF_ERROR(Track(tx_->Commit()));
    done_ = true;
    return Status::Ok();
  }

 private:
  // After a failed call the transaction is only good for rolling back.
  Status Usable() const {
    if (failed_) {
      return Status::FailedPrecondition(
          "an earlier row of this load failed; nothing will be written");
    }
    if (done_) return Status::FailedPrecondition("the load is finished");
    return Status::Ok();
  }
  template <class T>
  T Track(T result) {
    if (!result.ok()) failed_ = true;
    return result;
  }

  Status FlushIfFull() {
    if (households_.size() < kBatchRows && persons_.size() < kBatchRows) {
      return Status::Ok();
    }
    return Track(Flush());
  }

  // Sends the rows held, households first.
  Status Flush() {
    if (!households_.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(
          auto copy,
          PgCopy::Start(s_, "households",
                        {"hh", "id", "soum_code", "bag", "current_soum_code",
                         "herder", "camels", "horses", "cattle", "sheep",
                         "goats", "cooperative", "phone", "lat", "lon"}));
      for (const auto& [hh, h] : households_) {
        const auto& n = h.herd.head;
        MALCHIN_RETURN_IF_ERROR(copy->Row(
            hh, h.id, h.soum_code, h.bag, h.current_soum_code, h.herder, n[0],
            n[1], n[2], n[3], n[4], h.cooperative, h.phone, h.lat, h.lon));
      }
      MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
      households_.clear();
    }
    if (!persons_.empty()) {
      MALCHIN_ASSIGN_OR_RETURN(
          auto copy,
          PgCopy::Start(s_, "persons",
                        {"register_no", "hh", "aimag_code", "family_name",
                         "father_name", "given_name", "sex", "born", "relation",
                         "disability", "herder", "phone", "bank_account"}));
      for (const auto& [ref, p] : persons_) {
        MALCHIN_RETURN_IF_ERROR(
            copy->Row(p.register_no, ref.hh, ref.aimag, p.family_name,
                      p.father_name, p.given_name, registry::SexCode(p.sex),
                      p.birth_date.days(), registry::RelationName(p.relation),
                      p.disability, p.herder, p.phone, p.bank_account));
      }
      MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
      persons_.clear();
    }
    return Status::Ok();
  }

  PgSession& s_;
  std::unique_ptr<store::Session::HeldWrite> tx_;
  std::vector<std::string> rebuild_;  // Statements that build, in order.
  std::vector<int64_t> ids_;
  size_t next_id_ = 0;
  std::unordered_map<std::string, HouseholdRef> known_;
  std::string last_id_;
  HouseholdRef last_;
  std::vector<std::pair<int64_t, Household>> households_;
  std::vector<std::pair<HouseholdRef, Person>> persons_;
  bool failed_ = false, done_ = false;
};

}  // namespace

Result<std::unique_ptr<registry::BulkLoader>> BeginPgBulkLoad(
    PgSession& s, std::unique_ptr<store::Session::HeldWrite> tx) {
  MALCHIN_ASSIGN_OR_RETURN(pqxx::result r,
                           s.Prepared("registry.bulk_rebuilt", kRebuiltSql));
  std::vector<std::string> rebuild;
  for (const pqxx::row& row : r) {
    MALCHIN_RETURN_IF_ERROR(s.ExecuteOnce(PgText(row[1])).status());
    rebuild.push_back(PgText(row[2]));
  }
  return std::unique_ptr<registry::BulkLoader>(
      new PgBulkLoader(s, std::move(tx), std::move(rebuild)));
}

}  // namespace malchin::backends::postgres
