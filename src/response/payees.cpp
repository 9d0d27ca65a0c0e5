#include "response/payees.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "csv/csv.h"

namespace malchin::embedded {
extern const std::string_view kPayeeOrderCsv;
}

namespace malchin::response {
namespace {

// "head|spouse" or "*"; an unknown relation is an error naming it.
Result<std::vector<registry::Relation>> Relations(std::string_view text) {
  std::vector<registry::Relation> out;
  if (text == "*") return out;
  size_t from = 0;
  while (from <= text.size()) {
    size_t bar = text.find('|', from);
    std::string_view one =
        text.substr(from, bar == std::string_view::npos ? std::string_view::npos
                                                        : bar - from);
    MALCHIN_ASSIGN_OR_RETURN(registry::Relation r,
                             registry::ParseRelation(one));
    out.push_back(r);
    if (bar == std::string_view::npos) break;
    from = bar + 1;
  }
  return out;
}

}  // namespace

Result<PayeeOrder> PayeeOrder::Embedded() {
  return Parse("payees.csv", embedded::kPayeeOrderCsv);
}

Result<PayeeOrder> PayeeOrder::Parse(std::string_view file_name,
                                     std::string_view data) {
  PayeeOrder order;
  std::optional<csv::Header> header;
  std::vector<std::string> problems;
  Status st = csv::ReadRecords(
      file_name, data, {}, [&](const csv::Record& r) -> Status {
        if (!header) {
          MALCHIN_ASSIGN_OR_RETURN(
              header,
              csv::Header::Make(
                  file_name, r,
                  {"rank", "relations", "sex", "min_age", "tie", "who"}, {}));
          return Status::Ok();
        }
        auto field = [&](std::string_view name) -> std::string {
          int i = header->Index(name);
          return i >= 0 && i < static_cast<int>(r.fields.size()) ? r.fields[i]
                                                                 : "";
        };
        auto bad = [&](const char* column, const std::string& value,
                       const char* expected) {
          problems.push_back(std::string(file_name) + ":" +
                             std::to_string(r.line) + ": " + column + " '" +
                             value + "': expected " + expected);
        };
        PayeeRank k;
        std::string rank = field("rank"), min_age = field("min_age");
        auto [p1, e1] =
            std::from_chars(rank.data(), rank.data() + rank.size(), k.rank);
        if (e1 != std::errc() || p1 != rank.data() + rank.size() ||
            k.rank != static_cast<int>(order.ranks_.size()) + 1) {
          bad("rank", rank, "the next rank (1, 2, ... in order)");
        }
        auto rel = Relations(field("relations"));
        if (rel.ok()) {
          k.relations = std::move(*rel);
        } else {
          bad("relations", field("relations"),
              "relations to the head joined by | (head|spouse), or *");
        }
        std::string sex = field("sex");
        if (sex == "F" || sex == "M" || sex == "*") {
          k.sex = sex[0];
        } else {
          bad("sex", sex, "F, M or *");
        }
        auto [p2, e2] = std::from_chars(
            min_age.data(), min_age.data() + min_age.size(), k.min_age);
        if (e2 != std::errc() || p2 != min_age.data() + min_age.size() ||
            k.min_age < 0 || k.min_age > 120) {
          bad("min_age", min_age, "years, 0 to 120");
        }
        std::string tie = field("tie");
        if (tie == "first" || tie == "oldest") {
          k.oldest = tie == "oldest";
        } else {
          bad("tie", tie, "first or oldest");
        }
        k.who = field("who");
        order.ranks_.push_back(std::move(k));
        return Status::Ok();
      });
  MALCHIN_RETURN_IF_ERROR(st);
  if (order.ranks_.empty())
    problems.push_back(std::string(file_name) + ": no rank");
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problem(s):";
    for (const auto& p : problems) msg += "\n  " + p;
    return Status::InvalidArgument(msg);
  }
  return order;
}

bool PayeeOrder::Matches(const PayeeRank& r, registry::Relation relation,
                         registry::Sex sex, int age) {
  if (age < r.min_age) return false;
  if (r.sex != '*' && registry::SexCode(sex)[0] != r.sex) return false;
  return r.relations.empty() ||
         std::find(r.relations.begin(), r.relations.end(), relation) !=
             r.relations.end();
}

}  // namespace malchin::response
