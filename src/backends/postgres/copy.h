// Bulk loads on PostgreSQL: COPY ... FROM STDIN through libpqxx's
// stream_to, for the repositories that write many rows at once (the demo
// register generator, imports). An order of magnitude faster than INSERTs:
// rows stream to the server without a round trip each.
//
//   MALCHIN_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
//                            s.ReserveIds("households", "hh", n));
//   MALCHIN_ASSIGN_OR_RETURN(auto copy, PgCopy::Start(s, "households",
//                            {"hh", "id", "soum_code", ...}));
//   for (...) MALCHIN_RETURN_IF_ERROR(copy->Row(ids[i], h.id, h.soum, ...));
//   MALCHIN_RETURN_IF_ERROR(copy->Finish().status());
//
// Fields go through ToPg (values.h): an empty optional is NULL; tabs,
// newlines and backslashes in text are escaped. Constraints and triggers
// apply as for INSERT (statement-level triggers fire once per COPY); a
// violation surfaces at Finish and fails the enclosing Write.
// While a PgCopy is open its session runs no other statement (the
// connection is in COPY mode): finish it first.
#pragma once

#include <cstdint>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <tuple>
#include <vector>

#include "backends/postgres/session.h"

namespace malchin::backends::postgres {

class PgCopy {
 public:
  // Starts COPY into `table` (`columns`, in the order rows give them).
  // REQUIRES: inside a Write of `session`, which outlives the PgCopy.
  static Result<std::unique_ptr<PgCopy>> Start(
      PgSession& session, const std::string& table,
      const std::vector<std::string>& columns);
  // Ends the COPY if Finish was not called (the rows sent so far stay in
  // the transaction; the body's status decides whether it commits).
  ~PgCopy();
  PgCopy(const PgCopy&) = delete;
  PgCopy& operator=(const PgCopy&) = delete;

  // Adds one row: one field per column (kInvalidArgument, nothing sent,
  // when the number differs).
  template <class... Fields>
  Status Row(const Fields&... fields) {
    MALCHIN_RETURN_IF_ERROR(CheckRow(sizeof...(Fields)));
    try {
      *stream_ << std::make_tuple(ToPg(fields)...);
    } catch (const std::exception& e) {
      return session_.Fail(e, "COPY into " + table_);
    }
    ++rows_;
    return Status::Ok();
  }
  // Ends the COPY; the rows it wrote. REQUIRES: called once.
  Result<int64_t> Finish();

 private:
  PgCopy(PgSession& session, std::string table, size_t columns);
  Status CheckRow(size_t fields) const;
  PgSession& session_;
  std::string table_;
  size_t columns_;
  std::unique_ptr<pqxx::stream_to> stream_;
  int64_t rows_ = 0;
};

}  // namespace malchin::backends::postgres
