#include "response/payments.h"

#include <fcntl.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "csv/csv.h"

namespace malchin::response {

Status WriteFileAtomically(const std::string& path, std::string_view content) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Internal("cannot create " + tmp);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) {
      ::close(fd);
      std::remove(tmp.c_str());
      return Status::Internal("cannot write " + tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    std::remove(tmp.c_str());
    return Status::Internal("cannot flush " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Internal("cannot rename " + tmp + " to " + path);
  }
  return Status::Ok();
}

Result<std::vector<PaymentFile>> WritePaymentFiles(response::Transfers& store,
                                                   std::string_view plan_code,
                                                   int installment, int batch,
                                                   const std::string& dir,
                                                   const BankTable& banks) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("cannot create folder " + dir);
  std::vector<PaymentFile> files;
  std::string body;
  std::string num;
  auto flush = [&]() -> Status {
    if (files.empty()) return Status::Ok();
    PaymentFile& f = files.back();
    csv::AppendRow(&body, {"TOTAL", std::to_string(f.payments) + " payments",
                           "", "", "", std::to_string(f.amount)});
    MALCHIN_RETURN_IF_ERROR(WriteFileAtomically(f.path, body));
    body.clear();
    return Status::Ok();
  };
  const std::string stem = dir + "/" + std::string(plan_code) + "-i" +
                           std::to_string(installment) + "-b";
  MALCHIN_RETURN_IF_ERROR(store.ForEachIssued(
      plan_code, installment, batch,
      [&](const response::IssuedPayment& p) -> Status {
        if (files.empty() || files.back().bank_code != p.bank_code) {
          MALCHIN_RETURN_IF_ERROR(flush());
          PaymentFile f;
          f.bank_code = p.bank_code;
          const BankInfo* info = banks.Find(p.bank_code);
          f.bank_name = info ? info->name_en : p.bank_code;
          f.path = stem + std::to_string(p.batch) + "-" + p.bank_code + ".csv";
          files.push_back(std::move(f));
          csv::AppendRow(&body,
                         {"reference", "payee", "payee_register_no",
                          "beneficiary_register_no", "account", "amount"});
        }
        PaymentFile& f = files.back();
        num = std::to_string(p.amount);
        csv::AppendRow(&body, {p.reference, p.payee_name, p.payee_register_no,
                               p.beneficiary_register_no, p.account, num});
        f.payments++;
        f.amount += p.amount;
        return Status::Ok();
      }));
  MALCHIN_RETURN_IF_ERROR(flush());
  return files;
}

Result<std::vector<response::PaymentResult>> ParseBankResults(
    std::string_view file_name, std::string_view data) {
  std::vector<response::PaymentResult> out;
  std::vector<std::string> problems;
  int64_t problem_count = 0;
  std::optional<csv::Header> header;
  int ref = -1, status = -1, amount = -1, reason = -1;
  const std::string file(file_name);
  auto problem = [&](size_t line, std::string what) {
    if (++problem_count <= 50) {
      problems.push_back(file + ":" + std::to_string(line) + ": " + what);
    }
  };
  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(file_name, r, {"reference", "status", "amount"},
                                {"reason"}));
          ref = header->Index("reference");
          status = header->Index("status");
          amount = header->Index("amount");
          reason = header->Index("reason");
          return Status::Ok();
        }
        if (r.fields.size() != header->width()) {
          problem(r.line, std::to_string(r.fields.size()) +
                              " fields: expected " +
                              std::to_string(header->width()));
          return Status::Ok();
        }
        response::PaymentResult p;
        p.line = r.line;
        p.reference = r.fields[ref];
        const std::string& status_text = r.fields[status];
        if (reason >= 0) p.reason = r.fields[reason];
        bool ok = true;
        if (p.reference.empty()) {
          problem(r.line,
                  "column reference is empty: expected a payment "
                  "reference");
          ok = false;
        }
        auto parsed = ParsePaymentStatus(status_text);
        const bool status_ok =
            parsed.ok() && *parsed != PaymentStatus::kPending;
        if (!status_ok) {
          problem(r.line, "column status, value '" + status_text +
                              "': expected paid, failed or returned");
          ok = false;
        } else {
          p.status = *parsed;
        }
        const std::string& a = r.fields[amount];
        auto [end, ec] =
            std::from_chars(a.data(), a.data() + a.size(), p.amount);
        if (a.empty() || ec != std::errc() || end != a.data() + a.size() ||
            p.amount <= 0) {
          problem(r.line, "column amount, value '" + a +
                              "': expected a whole positive number of MNT");
          ok = false;
        }
        if (status_ok && p.status != PaymentStatus::kPaid && p.reason.empty()) {
          problem(r.line, "column reason is empty: a " + status_text +
                              " payment needs the bank's reason");
          ok = false;
        }
        if (ok) out.push_back(std::move(p));
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (!header) {
    return Status::InvalidArgument(
        file + ": empty; expected a header reference,status,amount[,reason]");
  }
  if (problem_count > 0) {
    std::string msg = std::to_string(problem_count) + " problem(s) in " + file +
                      ", nothing was changed:";
    for (const auto& p : problems) msg += "\n  " + p;
    if (problem_count > 50) msg += "\n  ...";
    return Status::InvalidArgument(msg);
  }
  return out;
}

}  // namespace malchin::response
