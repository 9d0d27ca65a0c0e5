// Reconciliation: a bank's result file checked row by row against what was
// issued (which result may follow which: ResultMayFollow) and applied whole
// or not at all; and the payment report's arithmetic.
#include <algorithm>
#include <map>
#include <numeric>
#include <queue>
#include <tuple>
#include <unordered_map>

#include "geo/geography.h"
#include "response/banks.h"
#include "response/transfers.h"
#include "store/notices.h"

namespace malchin::response {
namespace {

// The problems of the lowest `kListed` lines of a file, in line order.
class Problems {
 public:
  static constexpr size_t kListed = 50;
  explicit Problems(std::string_view file) : file_(file) {}
  void Add(const PaymentResult& r, const std::string& what) {
    ++count_;
    if (heap_.size() == kListed && heap_.top().first <= r.line) return;
    heap_.emplace(r.line, file_ + ":" + std::to_string(r.line) + ": " + what);
    if (heap_.size() > kListed) heap_.pop();
  }
  int64_t count() const { return count_; }
  Status ToStatus() {
    std::vector<std::string> listed;
    while (!heap_.empty()) {
      listed.push_back(std::move(heap_.top().second));
      heap_.pop();
    }
    std::string msg = std::to_string(count_) +
                      " problem(s) in the bank file, nothing was changed:";
    for (auto it = listed.rbegin(); it != listed.rend(); ++it) {
      msg += "\n  " + *it;
    }
    if (count_ > static_cast<int64_t>(kListed)) msg += "\n  ...";
    return Status::InvalidArgument(msg);
  }

 private:
  std::string file_;
  // A max-heap by line.
  std::priority_queue<std::pair<size_t, std::string>> heap_;
  int64_t count_ = 0;
};

// Row indexes in reference order; a repeated reference next to its first
// occurrence (the lowest line first).
std::vector<uint32_t> ByReference(const std::vector<PaymentResult>& rows) {
  std::vector<uint32_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&rows](uint32_t a, uint32_t b) {
    int c = rows[a].reference.compare(rows[b].reference);
    return c != 0 ? c < 0 : rows[a].line < rows[b].line;
  });
  return order;
}

void Add(PaymentTotals& to, const PaymentTotals& t) {
  to.lines += t.lines;
  to.lines_amount += t.lines_amount;
  to.not_issued += t.not_issued;
  to.issued += t.issued;
  to.issued_amount += t.issued_amount;
  to.paid += t.paid;
  to.paid_amount += t.paid_amount;
  to.failed += t.failed;
  to.failed_amount += t.failed_amount;
  to.returned += t.returned;
  to.returned_amount += t.returned_amount;
  to.pending += t.pending;
  to.pending_amount += t.pending_amount;
}

void Count(PaymentTotals& t, const StatusCount& c) {
  t.issued += c.count;
  t.issued_amount += c.amount;
  switch (c.status) {
    case PaymentStatus::kPaid:
      t.paid += c.count;
      t.paid_amount += c.amount;
      break;
    case PaymentStatus::kFailed:
      t.failed += c.count;
      t.failed_amount += c.amount;
      break;
    case PaymentStatus::kReturned:
      t.returned += c.count;
      t.returned_amount += c.amount;
      break;
    case PaymentStatus::kPending:
      t.pending += c.count;
      t.pending_amount += c.amount;
      break;
  }
}

// Tells each household what bank result file `import_id` says of its
// payments, in the same transaction (store/notices.h; nothing without a
// messenger): one notice per household, plan and outcome (paid: the sum
// sent; failed or returned: the sum that did not arrive), once per file.
Status NotifyHouseholds(store::Session& session, Repository& rows,
                        int64_t import_id) {
  store::Notices* notices = session.notices();
  if (!notices) return Status::Ok();
  MALCHIN_ASSIGN_OR_RETURN(std::vector<HouseholdResult> results,
                           rows.ResultsByHousehold(import_id));
  if (results.empty()) return Status::Ok();
  MALCHIN_ASSIGN_OR_RETURN(BankTable banks, BankTable::Embedded());
  const std::string today = session.clock().Today().ToString();
  for (const HouseholdResult& r : results) {
    const bool paid = r.status == PaymentStatus::kPaid;
    store::Notice n;
    n.key = "pay." + std::to_string(import_id) + "." +
            std::to_string(r.plan_id) + "." + r.household_id +
            (paid ? ".s" : ".f");
    n.household_id = r.household_id;
    n.register_no = r.payee_register_no;
    n.template_id = paid ? "payment.sent" : "payment.failed";
    n.values["programme"] = r.plan_name;
    if (paid) {
      const BankInfo* bank = banks.Find(r.bank_code);
      n.values["bank"] = bank ? bank->name_mn : r.bank_code;
      n.values["date"] = today;
    }
    n.amounts["amount"] = r.amount;
    MALCHIN_RETURN_IF_ERROR(notices->Notify(session, n));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<ResultChange>> Transfers::CheckResults(
    std::string_view file_name, const std::vector<PaymentResult>& rows,
    ReconcileCounts* counts) {
  const std::vector<uint32_t> order = ByReference(rows);
  std::vector<std::string> references;
  references.reserve(rows.size());
  for (uint32_t k : order) {
    if (references.empty() || references.back() != rows[k].reference) {
      references.push_back(rows[k].reference);
    }
  }
  MALCHIN_ASSIGN_OR_RETURN(std::vector<StoredPayment> stored,
                           rows_.PaymentsByReference(references));
  std::unordered_map<std::string_view, const StoredPayment*> issued;
  issued.reserve(stored.size());
  for (const StoredPayment& p : stored) issued.emplace(p.reference, &p);
  Problems problems(file_name);
  std::vector<ResultChange> changes;
  const PaymentResult* previous = nullptr;
  for (uint32_t k : order) {
    const PaymentResult& r = rows[k];
    if (previous && previous->reference == r.reference) {
      problems.Add(r, "reference " + r.reference + " repeats line " +
                          std::to_string(previous->line));
      continue;
    }
    previous = &r;
    auto it = issued.find(r.reference);
    if (it == issued.end()) {
      problems.Add(r, "reference " + r.reference +
                          " was never issued by this register (expected a "
                          "reference from one of its payment files)");
      continue;
    }
    const StoredPayment& p = *it->second;
    if (p.amount != r.amount) {
      problems.Add(r, "amount " + std::to_string(r.amount) + " for " +
                          r.reference + " differs from the " +
                          std::to_string(p.amount) + " MNT issued");
      continue;
    }
    if (p.status == r.status && p.reason == r.reason) {
      counts->unchanged++;
      continue;
    }
    if (p.status == r.status) {
      problems.Add(r, "payment " + r.reference + " is already recorded " +
                          std::string(Name(p.status)) + " with the reason '" +
                          p.reason + "'; this file gives '" + r.reason +
                          "': only the reason differs, and a recorded "
                          "result is never changed (send the first file's "
                          "reason, or leave the row out)");
      continue;
    }
    if (!ResultMayFollow(p.status, r.status)) {
      problems.Add(r, "payment " + r.reference + " is already " +
                          std::string(Name(p.status)) + "; it cannot become " +
                          std::string(Name(r.status)) +
                          " (only pending results change, and paid may "
                          "become returned)");
      continue;
    }
    changes.push_back({p.id, p.status, r.status, r.reason});
  }
  if (problems.count() > 0) return problems.ToStatus();
  // In row order of the payments table.
  std::sort(changes.begin(), changes.end(),
            [](const ResultChange& a, const ResultChange& b) {
              return a.payment_id < b.payment_id;
            });
  return changes;
}

Result<ReconcileCounts> Transfers::ApplyResults(
    std::string_view file_name, const std::vector<PaymentResult>& rows,
    std::string_view actor) {
  ReconcileCounts counts;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    counts = ReconcileCounts{};
    counts.rows = static_cast<int64_t>(rows.size());
    if (rows.empty()) return Status::Ok();
    // Results change payments of any payroll: one file at a time.
    MALCHIN_RETURN_IF_ERROR(session_.Lock("payments:reconcile"));
    MALCHIN_ASSIGN_OR_RETURN(std::vector<ResultChange> changes,
                             CheckResults(file_name, rows, &counts));
    counts.changed = static_cast<int64_t>(changes.size());
    if (changes.empty()) return Status::Ok();  // Re-import: nothing to write.
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t import_id,
        rows_.InsertReconciliation(file_name, counts.rows, counts.changed,
                                   actor, session_.clock().NowIso()));
    MALCHIN_ASSIGN_OR_RETURN(int64_t applied,
                             rows_.ApplyResults(import_id, changes));
    if (applied != counts.changed) {
      return Status::Conflict(
          "payments changed while " + std::string(file_name) +
          " was applied; nothing was changed: apply it again");
    }
    counts.import_id = import_id;
    MALCHIN_RETURN_IF_ERROR(NotifyHouseholds(session_, rows_, import_id));
    return Audit(actor, "payments.reconcile", "reconciliation",
                 std::to_string(import_id),
                 "{\"file\":" + JsonString(file_name) +
                     ",\"rows\":" + std::to_string(counts.rows) +
                     ",\"changed\":" + std::to_string(counts.changed) + "}");
  }));
  return counts;
}

Result<PaymentBreakdown> Transfers::Breakdown(std::string_view plan_code,
                                              int installment,
                                              const AreaFilter& area) {
  MALCHIN_RETURN_IF_ERROR(RequirePayroll(plan_code, installment).status());
  MALCHIN_ASSIGN_OR_RETURN(PlanRecord plan, RequirePlan(plan_code));
  // Lines and payments from one snapshot: a bank result applied between
  // the two reads would otherwise make the totals disagree.
  std::vector<PaymentTotals> lines;
  std::vector<StatusCount> payments;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(lines,
                             rows_.LineTotals(plan.id, installment, area));
    MALCHIN_ASSIGN_OR_RETURN(payments,
                             rows_.PaymentCounts(plan.id, installment, area));
    return Status::Ok();
  }));
  // One view: the cells of `key`'s dimensions.
  using Key = std::tuple<int32_t, int32_t, std::string, std::string, int,
                         std::string, std::string>;
  auto view = [&](auto key) {
    std::map<Key, PaymentTotals> cells;
    auto cell = [&](const auto& row) -> PaymentTotals& {
      PaymentTotals t = key(row);
      Key k{t.soum_code,  t.aimag_code, t.sex,     t.age_band,
            t.disability, t.payee_sex,  t.head_sex};
      auto [it, fresh] = cells.emplace(k, t);
      return it->second;
    };
    for (const PaymentTotals& l : lines) Add(cell(l), l);
    for (const StatusCount& c : payments) Count(cell(c), c);
    std::vector<PaymentTotals> out;
    for (auto& [k, t] : cells) out.push_back(std::move(t));
    return out;
  };
  auto known = [](const std::string& s) {
    return s.empty() ? std::string("unknown") : s;
  };
  PaymentBreakdown b;
  b.by_soum_sex = view([](const auto& r) {
    PaymentTotals t;
    t.soum_code = r.soum_code;
    t.sex = r.sex;
    return t;
  });
  b.soum_cells = view([&](const auto& r) {
    PaymentTotals t;
    t.soum_code = r.soum_code;
    t.sex = r.sex;
    t.age_band = known(r.age_band);
    t.disability = r.disability;
    return t;
  });
  b.aimag_cells = view([&](const auto& r) {
    PaymentTotals t;
    t.aimag_code = geo::AimagOfSoum(r.soum_code);
    t.sex = r.sex;
    t.age_band = known(r.age_band);
    t.disability = r.disability;
    return t;
  });
  b.by_payee_sex = view([&](const auto& r) {
    PaymentTotals t;
    t.payee_sex = known(r.payee_sex);
    return t;
  });
  b.by_head_sex = view([&](const auto& r) {
    PaymentTotals t;
    t.head_sex = known(r.head_sex);
    return t;
  });
  for (const PaymentTotals& t : b.by_soum_sex) Add(b.total, t);
  return b;
}

Result<std::vector<PaymentTotals>> Transfers::PaymentReport(
    std::string_view plan_code, int installment, const AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(PaymentBreakdown b,
                           Breakdown(plan_code, installment, area));
  std::vector<PaymentTotals> out = std::move(b.by_soum_sex);
  out.push_back(b.total);
  return out;
}

}  // namespace malchin::response
