// Payment files for the banks and the banks' result files.
//
// PAYMENT FILE (one per bank and export batch), CSV UTF-8 with a header:
//   reference,payee,payee_register_no,beneficiary_register_no,account,amount
// one row per payment, then a totals row whose reference is TOTAL, payee
// "<n> payments" and amount the sum. Named
//   <plan>-i<installment>-b<batch>-<bank code>.csv
// and written under a temporary name, flushed and renamed, so a reader
// never sees half a file. Writing a batch again gives the same bytes.
//
// RESULT FILE (from a bank), CSV UTF-8 with a header, any column order:
//   reference  a reference from a payment file
//   status     paid | failed | returned
//   amount     MNT, the amount of that payment
//   reason     required for failed and returned (e.g. "account closed")
// Extra columns are ignored. Every bad row is reported at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "response/banks.h"
#include "response/transfers.h"

namespace malchin::response {

struct PaymentFile {
  std::string bank_code;
  std::string bank_name;
  std::string path;
  int64_t payments = 0;
  int64_t amount = 0;
};

// Writes the payment files of batch `batch` (its number within the
// payroll; 0: the payroll's latest) into
// `dir` (created if missing). Returns the files, by bank code; none if the
// batch is empty. On error no final file of the failing bank is left
// half-written (temporary files are removed).
Result<std::vector<PaymentFile>> WritePaymentFiles(response::Transfers& store,
                                                   std::string_view plan_code,
                                                   int installment, int batch,
                                                   const std::string& dir,
                                                   const BankTable& banks);

// Parses a bank's result file. InvalidArgument listing every bad row
// (file:line: column, value, expected).
Result<std::vector<response::PaymentResult>> ParseBankResults(
    std::string_view file_name, std::string_view data);

// Writes `content` to `path` atomically (temporary file, flush, rename).
Status WriteFileAtomically(const std::string& path, std::string_view content);

}  // namespace malchin::response
