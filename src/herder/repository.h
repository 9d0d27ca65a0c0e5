// herder::Repository: where the herders' own channel keeps its data: the
// one-time sign-in codes (hashed), the herders' sessions (token hashes),
// the dzud risk map by soum and date and the livestock prices the ministry
// imports. DATA ACCESS ONLY: who gets a code, how often, what a code or a
// session is worth and what an import accepts are the capability's own
// rules (signin.h, imports.h), which own the transactions. Each engine
// implements it (src/backends/<engine>/herder_repository.cpp).
//
// The database guarantees in every engine's schema: a session token hash
// is unique; one risk level per (soum, date) and one imported price per
// (item, aimag, date) (a later import replaces it).
//
// Times are Unix seconds of the session's clock. Every write REQUIRES an
// open Session::Write and leaves the transaction to the caller.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/session.h"

namespace malchin::herder {

// One request for a code. A request for a register number that is not on
// the register (or has no phone) is kept too, with empty household and
// phone and an empty hash that nothing matches, so that throttling treats
// every number alike.
struct CodeRecord {
  int64_t id = 0;  // Assigned by the database.
  std::string register_no;
  std::string household_id;  // Empty: nobody was sent a code.
  int32_t soum_code = 0;     // The household's soum (its session's area).
  std::string phone;         // "+976" and 8 digits; empty when not sent.
  std::string salt;
  std::string code_hash;  // Hex SHA-256 of pepper, salt and code.
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int attempts = 0;     // Verifications tried on it.
  int64_t used_at = 0;  // 0: not used.
  bool operator==(const CodeRecord&) const = default;
};

struct HerderSession {
  std::string token_hash;
  std::string household_id;
  std::string register_no;
  int32_t soum_code = 0;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  int64_t revoked_at = 0;  // 0: live.
  bool operator==(const HerderSession&) const = default;
};

// A soum's dzud risk level on a date, as imported.
struct RiskRow {
  int32_t soum_code = 0;
  std::string on;     // YYYY-MM-DD.
  std::string level;  // low | medium | high | very_high.
  std::string source;
  std::string imported_by;
  int64_t imported_at = 0;
  bool operator==(const RiskRow&) const = default;
};

// A livestock or product price, as imported (the columns of
// data/prices.csv, src/prices/price_table.h).
struct PriceRow {
  std::string item;
  std::string unit;  // head | kg
  int32_t aimag_code = 0;
  std::string from;  // YYYY-MM-DD.
  int64_t price = 0;
  std::string source;
  std::string imported_by;
  int64_t imported_at = 0;
  bool operator==(const PriceRow&) const = default;
};

class Repository : public store::Repository {
 public:
  // --- Codes ----------------------------------------------------------
  // Its id.
  virtual Result<int64_t> InsertCode(const CodeRecord& code) = 0;
  // The latest request for `register_no` (any state), or nullopt.
  virtual Result<std::optional<CodeRecord>> LatestCode(
      std::string_view register_no) = 0;
  // Requests for `register_no` made at or after `since`.
  virtual Result<int64_t> CountCodesForNumber(std::string_view register_no,
                                              int64_t since) = 0;
  // Codes sent to `phone` at or after `since`.
  virtual Result<int64_t> CountCodesToPhone(std::string_view phone,
                                            int64_t since) = 0;
  // Adds one to the code's attempts.
  virtual Status CountAttempt(int64_t id) = 0;
  // Marks the code used at `at` if it is not used yet; false if it was.
  virtual Result<bool> MarkUsed(int64_t id, int64_t at) = 0;

  // --- Sessions -------------------------------------------------------
  // AlreadyExists for a token hash already stored.
  virtual Status InsertSession(const HerderSession& s) = 0;
  virtual Result<std::optional<HerderSession>> FindSession(
      std::string_view token_hash) = 0;
  virtual Status RevokeSession(std::string_view token_hash, int64_t at) = 0;

  // --- Dzud risk map --------------------------------------------------
  // Inserts or replaces each (soum, date).
  virtual Status UpsertRisk(const std::vector<RiskRow>& rows) = 0;
  // The soum's rows, latest date first, at most `limit`, dated on or
  // before `on` (YYYY-MM-DD).
  virtual Result<std::vector<RiskRow>> RiskOf(int32_t soum_code,
                                              std::string_view on,
                                              int limit) = 0;

  // --- Prices ---------------------------------------------------------
  // Inserts or replaces each (item, aimag, from).
  virtual Status UpsertPrices(const std::vector<PriceRow>& rows) = 0;
  // Every imported price, by item, aimag and date.
  virtual Result<std::vector<PriceRow>> ImportedPrices() = 0;
};

}  // namespace malchin::herder
