#include "backends/postgres/copy.h"

namespace malchin::backends::postgres {

PgCopy::PgCopy(PgSession& session, std::string table, size_t columns)
    : session_(session), table_(std::move(table)), columns_(columns) {}

PgCopy::~PgCopy() {
  if (!stream_) return;
  try {
    stream_->complete();
  } catch (const std::exception& e) {
    (void)session_.Fail(e, "COPY into " + table_);
  }
}

Result<std::unique_ptr<PgCopy>> PgCopy::Start(
    PgSession& session, const std::string& table,
    const std::vector<std::string>& columns) {
  if (!session.in_write() || session.transaction() == nullptr) {
    return Status::Internal("COPY into " + table + " outside a Write");
  }
  if (columns.empty()) {
    return Status::InvalidArgument("COPY into " + table + " without columns");
  }
  std::unique_ptr<PgCopy> copy(new PgCopy(session, table, columns.size()));
  try {
    copy->stream_ = std::make_unique<pqxx::stream_to>(*session.transaction(),
                                                      table, columns);
  } catch (const std::exception& e) {
    return session.Fail(e, "COPY into " + table);
  }
  return copy;
}

Status PgCopy::CheckRow(size_t fields) const {
  if (!stream_) return Status::Internal("COPY into " + table_ + " finished");
  if (fields != columns_) {
    return Status::InvalidArgument(
        "COPY into " + table_ + ": row " + std::to_string(rows_ + 1) + " has " +
        std::to_string(fields) + " fields; expected " +
        std::to_string(columns_));
  }
  return Status::Ok();
}

Result<int64_t> PgCopy::Finish() {
  if (!stream_) return Status::Internal("COPY into " + table_ + " finished");
  std::unique_ptr<pqxx::stream_to> stream = std::move(stream_);
  try {
    stream->complete();
  } catch (const std::exception& e) {
    return session_.Fail(e, "COPY into " + table_);
  }
  return rows_;
}

}  // namespace malchin::backends::postgres
