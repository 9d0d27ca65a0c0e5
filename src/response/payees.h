// Who receives a payment (the payee): the beneficiary when they have a bank
// account; otherwise (a child) a caregiver of their household with an
// account, chosen by an ordered rule that is data, src/response/payees.csv,
// embedded in the binary:
//
//   rank,relations,sex,min_age,tie,who
//   1,head|spouse,F,18,first,the mother: the household's female head or ...
//   2,head|spouse,M,18,first,the father: ...
//   3,*,*,18,oldest,another adult of the household: the oldest
//
// The first rank with a member who matches (relation to the head among
// `relations`, `*` for any; sex F, M or `*`; aged `min_age` or more on the
// plan's cut-off; with an account) gives the payee; among several members
// of a rank, `tie` says which: the first in the household's order, or the
// oldest. With nobody, the beneficiary stays the payee and the payment is
// held back at export for want of an account (the follow-up list shows
// it). An officer may change the payee of a beneficiary afterwards, with a
// reason, confirmed by a second officer (Transfers::RequestAction, kPayee).
//
// Thread-safety: immutable once built.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "registry/model.h"

namespace malchin::response {

struct PayeeRank {
  int rank = 0;
  std::vector<registry::Relation> relations;  // Empty: any.
  char sex = '*';                             // 'F', 'M' or '*'.
  int min_age = 0;
  bool oldest = false;  // Tie: the oldest (else the first).
  std::string who;      // Said to people (docs, explanations).
};

class PayeeOrder {
 public:
  // The order shipped with the binary (payees.csv).
  static Result<PayeeOrder> Embedded();
  // Parses the CSV format above; every problem names file:line, the
  // column, the value and what was expected. Ranks must be 1, 2, ... in
  // order.
  static Result<PayeeOrder> Parse(std::string_view file_name,
                                  std::string_view csv);
  const std::vector<PayeeRank>& ranks() const { return ranks_; }
  // Whether a member of `relation`, `sex` and `age` matches rank `r`.
  static bool Matches(const PayeeRank& r, registry::Relation relation,
                      registry::Sex sex, int age);

 private:
  std::vector<PayeeRank> ranks_;
};

}  // namespace malchin::response
