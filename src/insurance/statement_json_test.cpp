#include "insurance/statement_json.h"

#include <gtest/gtest.h>

#include "insurance/schemes.h"

namespace malchin::insurance {
namespace {

TEST(StatementJsonTest, NamesEveryFieldAndMonthState) {
  Statement st;
  st.scheme = insurance::InsuranceScheme::kSocial;
  const int32_t jan = MakeMonth(2025, 1), feb = jan + 1, mar = jan + 2;
  st.months = {{jan, 100, 100, 1, MonthState::kPaid},
               {feb, 100, 40, 1, MonthState::kPartial},
               {mar, 100, 200, 2, MonthState::kPaidTwice}};
  st.covered = {{jan, jan}, {mar, mar}};
  st.total_paid = 340;
  st.paid_twice_excess = 100;
  st.shortfall = 60;
  st.partial_months = 1;
  st.paid_twice_months = 1;
  st.covered_months = 2;
  st.reversed = {7};
  nlohmann::json j = StatementJson(st);
  EXPECT_EQ(j["scheme"], "social");
  EXPECT_EQ(j["covered_months"], 2);
  EXPECT_EQ(j["total_paid"], 340);
  EXPECT_EQ(j["shortfall"], 60);
  EXPECT_EQ(j["reversed_entries"], nlohmann::json::array({7}));
  EXPECT_EQ(j["covered"][1],
            (nlohmann::json{{"from", "2025-03"}, {"to", "2025-03"}}));
  ASSERT_EQ(j["months"].size(), 3u);
  EXPECT_EQ(j["months"][0]["state"], "paid");
  EXPECT_EQ(j["months"][1]["state"], "partial");
  EXPECT_EQ(j["months"][1]["paid"], 40);
  EXPECT_EQ(j["months"][2]["state"], "paid_twice");
  EXPECT_EQ(j["months"][2]["payments"], 2);
}

}  // namespace
}  // namespace malchin::insurance
