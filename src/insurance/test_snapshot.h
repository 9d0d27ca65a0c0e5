// Test helper: builds InsuranceSnapshots by hand.
#pragma once

#include <string>

#include "insurance/repository.h"

namespace malchin::insurance::testing {

class SnapshotBuilder {
 public:
  // Returns the household index.
  int Household(int32_t soum, const std::string& bag = "1") {
    snap_.household_id.push_back("H" + std::to_string(snap_.households()));
    snap_.soum_code.push_back(soum);
    snap_.bag.push_back(bag);
    snap_.household_phone.push_back("9900" +
                                    std::to_string(snap_.households()));
    snap_.lat.push_back(47.0);
    snap_.lon.push_back(100.0);
    return static_cast<int>(snap_.households()) - 1;
  }
  // Spans per scheme: {social spans}, {health spans}.
  int Person(int hh, const std::string& rn, int sex, Date birth,
             std::vector<insurance::CoverageSpan> social = {},
             std::vector<insurance::CoverageSpan> health = {},
             bool herder = true, bool disability = false) {
    snap_.pid.push_back(static_cast<int64_t>(snap_.persons()) + 1);
    snap_.household.push_back(hh);
    snap_.register_no.push_back(rn);
    snap_.name.push_back("Name " + rn);
    snap_.phone.push_back("");
    snap_.birth_days.push_back(birth.days());
    snap_.sex.push_back(static_cast<uint8_t>(sex));
    snap_.disability.push_back(disability);
    snap_.herder.push_back(herder);
    spans_[0].push_back(std::move(social));
    spans_[1].push_back(std::move(health));
    snap_.credit_months.push_back(0);
    snap_.credit_herding_months.push_back(0);
    snap_.last_visit_days.push_back(INT32_MIN);
    snap_.last_visit_outcome.push_back(-1);
    return static_cast<int>(snap_.persons()) - 1;
  }
  insurance::InsuranceSnapshot& Build() {
    for (int s = 0; s < 2; ++s) {
      snap_.span_begin[s].assign(1, 0);
      snap_.spans[s].clear();
      for (const auto& v : spans_[s]) {
        for (const auto& x : v) snap_.spans[s].push_back(x);
        snap_.span_begin[s].push_back(
            static_cast<uint32_t>(snap_.spans[s].size()));
      }
    }
    return snap_;
  }

 private:
  insurance::InsuranceSnapshot snap_;
  std::vector<std::vector<insurance::CoverageSpan>> spans_[2];
};

}  // namespace malchin::insurance::testing
