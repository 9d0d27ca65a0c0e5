#include "grievance/stats.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "geo/geography.h"
#include "registry/population.h"

namespace malchin::grievance {
namespace {

constexpr std::string_view kDimNames[] = {"category", "channel", "soum",
                                          "aimag",    "sex",     "age_band"};
constexpr StatsDim kDims[] = {StatsDim::kCategory, StatsDim::kChannel,
                              StatsDim::kSoum,     StatsDim::kAimag,
                              StatsDim::kSex,      StatsDim::kAgeBand};

using Key =
    std::tuple<std::string, std::string, int32_t, std::string, std::string>;

bool Has(const std::vector<StatsDim>& by, StatsDim d) {
  return std::find(by.begin(), by.end(), d) != by.end();
}

Key KeyOf(const CaseFact& f, const std::vector<StatsDim>& by) {
  Key k;
  if (Has(by, StatsDim::kCategory)) std::get<0>(k) = f.category;
  if (Has(by, StatsDim::kSoum)) std::get<2>(k) = f.header.soum_code;
  if (Has(by, StatsDim::kAimag)) {
    std::get<2>(k) = geo::AimagOfSoum(f.header.soum_code);
  }
  if (f.masked) {
    // Counted without detail: only the area and the bucket's name.
    if (!Has(by, StatsDim::kCategory)) std::get<0>(k) = "confidential";
    return k;
  }
  if (Has(by, StatsDim::kChannel) && f.channel) {
    std::get<1>(k) = ChannelName(*f.channel);
  }
  if (Has(by, StatsDim::kSex)) {
    std::get<3>(k) = !f.sex ? "unknown" : registry::SexCode(*f.sex);
  }
  if (Has(by, StatsDim::kAgeBand)) {
    std::get<4>(k) =
        f.birth_year <= 0 || f.birth_year > f.received_on.year()
            ? std::string("unknown")
            : std::string(registry::AgeBandName(
                  registry::AgeBandOf(f.received_on.year() - f.birth_year)));
  }
  return k;
}

void Count(const CaseFact& f, Date as_of, StatsRow* r) {
  ++r->cases;
  if (f.masked) ++r->masked;
  if (IsOpen(f.state)) ++r->open;
  if (f.level != Level::kSoum) ++r->escalated;
  if (f.state == CaseState::kClosed) ++r->closed;
  if (f.masked) return;  // States only: no dates of it are known here.
  if (IsOpen(f.state) &&
      ((f.state == CaseState::kReceived && as_of > f.acknowledge_by) ||
       as_of > f.resolve_by)) {
    ++r->overdue;
  }
  if (f.acknowledged_on) {
    ++r->acknowledged;
    r->days_to_acknowledge += f.acknowledged_on->days() - f.received_on.days();
    if (*f.acknowledged_on <= f.acknowledge_by) ++r->acknowledged_in_time;
  }
  if (f.decided_on) {
    ++r->decided;
    r->days_to_decide += f.decided_on->days() - f.received_on.days();
    if (*f.decided_on <= f.resolve_by) ++r->decided_in_time;
  }
  if (f.state == CaseState::kResolved) ++r->resolved;
  if (f.state == CaseState::kReferred) ++r->referred;
  if (f.state == CaseState::kRejected) ++r->rejected;
}

double Ratio(int64_t num, int64_t den) {
  return den == 0 ? 0.0 : static_cast<double>(num) / static_cast<double>(den);
}

}  // namespace

std::string_view StatsDimName(StatsDim d) {
  for (size_t i = 0; i < std::size(kDims); ++i) {
    if (kDims[i] == d) return kDimNames[i];
  }
  return "unknown";
}

Result<StatsDim> ParseStatsDim(std::string_view s) {
  for (size_t i = 0; i < std::size(kDims); ++i) {
    if (kDimNames[i] == s) return kDims[i];
  }
  return Status::InvalidArgument(
      "by '" + std::string(s) +
          "': expected category, channel, soum, aimag, sex or age_band",
      "by");
}

Result<std::vector<StatsDim>> ParseStatsDims(std::string_view list) {
  std::vector<StatsDim> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    MALCHIN_ASSIGN_OR_RETURN(StatsDim d, ParseStatsDim(list.substr(0, comma)));
    if (Has(out, d)) {
      return Status::InvalidArgument(
          "by: " + std::string(StatsDimName(d)) + " is given twice", "by");
    }
    out.push_back(d);
    list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
  }
  if (Has(out, StatsDim::kSoum) && Has(out, StatsDim::kAimag)) {
    return Status::InvalidArgument("by: choose soum or aimag, not both", "by");
  }
  return out;
}

double StatsRow::MeanDaysToAcknowledge() const {
  return Ratio(days_to_acknowledge, acknowledged);
}
double StatsRow::MeanDaysToDecide() const {
  return Ratio(days_to_decide, decided);
}
double StatsRow::ShareAcknowledgedInTime() const {
  return Ratio(acknowledged_in_time, acknowledged);
}
double StatsRow::ShareDecidedInTime() const {
  return Ratio(decided_in_time, decided);
}

Stats Aggregate(const std::vector<CaseFact>& facts,
                const std::vector<StatsDim>& by, Date as_of) {
  std::map<Key, StatsRow> groups;
  Stats out;
  out.as_of = as_of;
  for (const CaseFact& f : facts) {
    Key k = KeyOf(f, by);
    StatsRow& r = groups[k];
    std::tie(r.category, r.channel, r.area_code, r.sex, r.age_band) = k;
    Count(f, as_of, &r);
    Count(f, as_of, &out.total);
  }
  for (auto& [k, r] : groups) out.rows.push_back(std::move(r));
  return out;
}

}  // namespace malchin::grievance
