// Status and Result<T>: how Malchin reports every failure a user can cause.
//
// Expected failures (bad input, a missing record, a refused permission) are
// values, never exceptions. A Status carries a code, a message a person can
// act on, and optionally the field it concerns. Result<T> holds either a T or
// a non-OK Status.
//
//   Result<Household> h = store.GetHousehold(id);
//   if (!h.ok()) return h.status();
//   MALCHIN_ASSIGN_OR_RETURN(Household h2, store.GetHousehold(id));
//   MALCHIN_RETURN_IF_ERROR(store.Put(h2));
//
// Codes map to HTTP statuses and CLI exit codes in exactly one place
// (core/error_mapping.h).
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace malchin {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // The caller's input is malformed or out of range.
  kNotFound,            // The thing asked for does not exist (or is hidden).
  kAlreadyExists,       // Creating something that is already there.
  kFailedPrecondition,  // Valid input, but the system is in the wrong state
                        // (e.g. approving a plan that is not prepared).
  kConflict,            // A concurrent change won (stale version, If-Match).
  kPermissionDenied,    // Authenticated but not allowed.
  kUnauthenticated,     // No valid credentials.
  kResourceExhausted,   // Too large, too many, rate-limited.
  kUnavailable,         // Try again later (overloaded, shutting down).
  kDataLoss,            // Stored data is damaged or from a newer version.
  kInternal,            // A bug or an environment failure (I/O, SQLite).
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK.
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg, std::string field = {}) {
    return {StatusCode::kInvalidArgument, std::move(msg), std::move(field)};
  }
  static Status NotFound(std::string msg) {
    return {StatusCode::kNotFound, std::move(msg)};
  }
  static Status AlreadyExists(std::string msg) {
    return {StatusCode::kAlreadyExists, std::move(msg)};
  }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status Conflict(std::string msg) {
    return {StatusCode::kConflict, std::move(msg)};
  }
  static Status PermissionDenied(std::string msg) {
    return {StatusCode::kPermissionDenied, std::move(msg)};
  }
  static Status Unauthenticated(std::string msg) {
    return {StatusCode::kUnauthenticated, std::move(msg)};
  }
  static Status ResourceExhausted(std::string msg) {
    return {StatusCode::kResourceExhausted, std::move(msg)};
  }
  static Status Unavailable(std::string msg) {
    return {StatusCode::kUnavailable, std::move(msg)};
  }
  static Status DataLoss(std::string msg) {
    return {StatusCode::kDataLoss, std::move(msg)};
  }
  static Status Internal(std::string msg) {
    return {StatusCode::kInternal, std::move(msg)};
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // Returns a copy whose message is "context: message".
  Status WithContext(std::string_view context) const;
  // "INVALID_ARGUMENT: message" (or "OK").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

// Either a value or a non-OK Status. Constructing from an OK Status is a
// programming error (asserted).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design.
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace malchin

#define MALCHIN_CONCAT_INNER_(a, b) a##b
#define MALCHIN_CONCAT_(a, b) MALCHIN_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define MALCHIN_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::malchin::Status malchin_status_ = (expr);        \
    if (!malchin_status_.ok()) return malchin_status_; \
  } while (0)

// `lhs = value of expr`, or returns its Status from the enclosing function.
#define MALCHIN_ASSIGN_OR_RETURN(lhs, expr)                                  \
  MALCHIN_ASSIGN_OR_RETURN_IMPL_(MALCHIN_CONCAT_(malchin_result_, __LINE__), \
                                 lhs, expr)
#define MALCHIN_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
