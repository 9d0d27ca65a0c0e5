#include "response/payments.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace malchin::response {
namespace {

TEST(PaymentsTest, ParsesResultsAndReportsEveryBadRow) {
  auto ok = ParseBankResults("khan.csv",
                             "amount,reference,status,reason,extra\n"
                             "40000,MLC-1-1-1-1,paid,,x\n"
                             "40000,MLC-1-1-2-1,failed,account closed,x\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ((*ok)[1].line, 3u);
  EXPECT_EQ((*ok)[1].reason, "account closed");
  auto bad = ParseBankResults("khan.csv",
                              "reference,status,amount,reason\n"
                              "MLC-1-1-1-1,done,40000,\n"
                              "MLC-1-1-2-1,failed,40000,\n"
                              ",paid,4e4,\n");
  ASSERT_FALSE(bad.ok());
  const std::string& m = bad.status().message();
  EXPECT_NE(m.find("khan.csv:2: column status, value 'done'"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("khan.csv:3: column reason is empty"), std::string::npos);
  EXPECT_NE(m.find("khan.csv:4: column reference is empty"), std::string::npos);
  EXPECT_NE(m.find("khan.csv:4: column amount, value '4e4'"),
            std::string::npos);
  EXPECT_FALSE(ParseBankResults("x.csv", "reference,amount\nA,1\n").ok());
}

TEST(PaymentsTest, WritesAtomically) {
  auto dir = std::filesystem::temp_directory_path() /
             ("malchin_payments_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "f.csv").string();
  ASSERT_TRUE(WriteFileAtomically(path, "a,b\n").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "c,d\n").ok());
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "c,d\n");
  int files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);  // No temporary left behind.
  EXPECT_FALSE(WriteFileAtomically((dir / "no/such/f.csv").string(), "x").ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace malchin::response
