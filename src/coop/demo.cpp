#include "coop/demo.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "coop/books.h"
#include "coop/distributions.h"
#include "coop/repository.h"
#include "core/random.h"
#include "registry/repository.h"

namespace malchin::coop {
namespace {

constexpr const char* kActor = "demo";
constexpr uint8_t kHead = static_cast<uint8_t>(registry::Relation::kHead);
constexpr uint8_t kSpouse = static_cast<uint8_t>(registry::Relation::kSpouse);

Date Between(Xoshiro256& rng, Date from, Date to) {
  if (to <= from) return from;
  return from.AddDays(
      static_cast<int>(rng.UniformBelow(to.days() - from.days() + 1)));
}
bool Chance(Xoshiro256& rng, int percent) {
  return rng.UniformBelow(100) < static_cast<uint64_t>(percent);
}
int64_t Steps(Xoshiro256& rng, int64_t lo, int64_t hi, int64_t step) {
  return lo +
         step * static_cast<int64_t>(rng.UniformBelow((hi - lo) / step + 1));
}
std::string Pad2(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// A member's period in a cooperative, as written.
struct Member {
  int32_t person = 0;  // Roster index.
  bool head = true;
  Date joined;
  std::optional<Date> left;
};

class Seeder {
 public:
  Seeder(store::Session& s, const Context& ctx, const DemoOptions& opt,
         const registry::Roster& roster)
      : repo_(s.Get<Repository>()),
        training_(s.Get<TrainingRepository>()),
        ctx_(ctx),
        opt_(opt),
        roster_(roster),
        pop_(roster.population),
        at_(s.clock().NowIso()) {
    first_.assign(pop_.households() + 1, 0);
    for (int32_t h : pop_.household) ++first_[h + 1];
    for (size_t h = 0; h < pop_.households(); ++h) first_[h + 1] += first_[h];
    members_.resize(pop_.persons());
    std::vector<int32_t> next(first_.begin(), first_.end() - 1);
    for (size_t p = 0; p < pop_.persons(); ++p) {
      members_[next[pop_.household[p]]++] = static_cast<int32_t>(p);
    }
  }

  // Everything of one soum: `groups` maps a cooperative's name to its
  // households (roster indexes); `free` are herder households of no
  // cooperative.
  Status Soum(int32_t soum,
              const std::map<std::string, std::vector<int32_t>>& groups,
              const std::vector<int32_t>& free) {
    rng_ = Xoshiro256(opt_.seed ^ (Fnv1a64("coop-demo") + soum * 7919ull));
    const geo::Unit* unit = ctx_.geography->Find(soum);
    const std::string soum_name = unit ? unit->name_mn : std::to_string(soum);
    std::vector<std::pair<int64_t, std::vector<Member>>> coops;
    int n = 0;
    for (const auto& [name, households] : groups) {
      Cooperative c;
      c.code = std::to_string(soum) + "-" + Pad2(++n);
      c.name = name;
      c.type = GroupType::kCooperative;
      c.soum_code = soum;
      c.registration_no = std::to_string(9000000 + rng_.UniformBelow(999999));
      c.registered_on =
          Between(rng_, Date::FromYmd(2012, 1, 1), Date::FromYmd(2018, 12, 31));
      MALCHIN_ASSIGN_OR_RETURN(c.id, repo_.InsertCooperative(c, kActor, at_));
      ++sum_.cooperatives;
      MALCHIN_ASSIGN_OR_RETURN(std::vector<Member> ms,
                               Join(c, households, /*spouses=*/true));
      MALCHIN_RETURN_IF_ERROR(Fund(c, ms));
      coops.emplace_back(c.id, std::move(ms));
      if (showcase_coops_.size() < 2 && soum == showcase_) {
        showcase_coops_.push_back(c.code);
      }
    }
    MALCHIN_RETURN_IF_ERROR(PastureGroup(soum, soum_name, free));
    MALCHIN_RETURN_IF_ERROR(Feed(soum, soum_name, coops.front().first));
    return Trainings(soum, soum_name, coops);
  }

  DemoSummary& summary() { return sum_; }
  void set_showcase(int32_t soum) { showcase_ = sum_.showcase_soum = soum; }
  const std::vector<std::string>& showcase_coops() const {
    return showcase_coops_;
  }

 private:
  int32_t HeadOf(int32_t h, uint8_t relation) const {
    for (int32_t k = first_[h]; k < first_[h + 1]; ++k) {
      if (pop_.relation[members_[k]] == relation) return members_[k];
    }
    return -1;
  }
  int64_t Pid(int32_t p) const { return roster_.person_row[p]; }
  bool Adult(int32_t p, Date on) const {
    return Date::FromDays(pop_.birth_days[p]).AgeOn(on) >= 18;
  }

  Result<std::vector<Member>> Join(const Cooperative& c,
                                   const std::vector<int32_t>& households,
                                   bool spouses) {
    static constexpr MemberRole kBoard[] = {
        MemberRole::kChair, MemberRole::kBoard, MemberRole::kTreasurer};
    std::vector<Member> out;
    for (int32_t h : households) {
      const int32_t head = HeadOf(h, kHead);
      if (head < 0 || !Adult(head, *c.registered_on)) continue;
      Member m{head, true,
               Between(rng_, *c.registered_on, Date::FromYmd(2019, 6, 30)),
               std::nullopt};
      const MemberRole role =
          out.size() < 3 ? kBoard[out.size()] : MemberRole::kMember;
      if (role == MemberRole::kMember && Chance(rng_, 5)) {
        m.left = Between(rng_, m.joined.AddDays(365), opt_.as_of);
      }
      out.push_back(m);
      MALCHIN_RETURN_IF_ERROR(Write(c, m, role));
      const int32_t spouse = HeadOf(h, kSpouse);
      if (spouses && spouse >= 0 && Adult(spouse, m.joined) &&
          Chance(rng_, 30)) {
        Member w{spouse, false, m.joined, std::nullopt};
        out.push_back(w);
        MALCHIN_RETURN_IF_ERROR(Write(c, w, MemberRole::kMember));
      }
    }
    return out;
  }

  Status Write(const Cooperative& c, const Member& m, MemberRole role) {
    MALCHIN_ASSIGN_OR_RETURN(
        int64_t id,
        repo_.InsertMembership(c.id, Pid(m.person), role, m.joined, kActor));
    ++sum_.memberships;
    if (!m.left) return Status::Ok();
    return repo_.EndMembership(id, *m.left,
                               Chance(rng_, 50) ? "нүүсэн (moved away)"
                                                : "малаа өсгөхөө больсон "
                                                  "(stopped herding)");
  }

  Status Entry(const Cooperative& c, LedgerEntry e, int64_t pid) {
    e.book = Book::kFund;
    MALCHIN_RETURN_IF_ERROR(
        repo_.AppendEntry(e, c.id, c.soum_code, pid, kActor, at_).status());
    ++sum_.fund_entries;
    return Status::Ok();
  }

  Status Fund(const Cooperative& c, const std::vector<Member>& ms) {
    static constexpr const char* kItems[] = {"sheep", "goat", "cashmere"};
    for (int y = 2019; y <= opt_.as_of.year(); ++y) {
      const Date mid = Date::FromYmd(y, 7, 1);
      for (const Member& m : ms) {
        if (!m.head || m.joined > mid || (m.left && *m.left < mid) ||
            !Chance(rng_, 70)) {
          continue;
        }
        LedgerEntry e;
        e.kind = EntryKind::kContribution;
        e.on = std::min(
            Between(rng_, Date::FromYmd(y, 3, 1), Date::FromYmd(y, 11, 30)),
            opt_.as_of);
        if (Chance(rng_, 75)) {
          e.method = Method::kCash;
          e.amount = Steps(rng_, 10000, 50000, 5000);
        } else {
          const char* item = kItems[rng_.UniformBelow(3)];
          const double qty = item[0] == 'c' ? 0.5 : 1;
          MALCHIN_ASSIGN_OR_RETURN(
              prices::Valuation v,
              ctx_.prices->Value(item, qty, geo::AimagOfSoum(c.soum_code),
                                 e.on));
          e.method = Method::kInKind;
          e.amount = v.amount;
          e.in_kind = InKindValue{item, qty, v.price.unit_price, v.price.from,
                                  "prices.csv: " + v.price.source};
        }
        MALCHIN_RETURN_IF_ERROR(Entry(c, std::move(e), Pid(m.person)));
      }
      if (Chance(rng_, 80)) {
        LedgerEntry e;
        e.kind = EntryKind::kSales;
        e.on = std::min(Date::FromYmd(y, 10, 1 + rng_.UniformBelow(28)),
                        opt_.as_of);
        e.amount = Steps(rng_, 100000, 600000, 10000);
        e.note = "ноолуурын борлуулалтаас (from cashmere sales)";
        MALCHIN_RETURN_IF_ERROR(Entry(c, std::move(e), 0));
      }
    }
    return Status::Ok();
  }

  Status PastureGroup(int32_t soum, const std::string& soum_name,
                      std::vector<int32_t> free) {
    if (free.size() < 4) return Status::Ok();
    for (size_t i = free.size(); i > 1; --i) {
      std::swap(free[i - 1], free[rng_.UniformBelow(i)]);
    }
    free.resize(std::min<size_t>(free.size(), 12));
    std::sort(free.begin(), free.end());
    Cooperative g;
    g.code = std::to_string(soum) + "-pug";
    g.name = soum_name + " сумын бэлчээр ашиглагчдын бүлэг";
    g.type = GroupType::kPastureUserGroup;
    g.soum_code = soum;
    g.registered_on =
        Between(rng_, Date::FromYmd(2016, 1, 1), Date::FromYmd(2018, 12, 31));
    MALCHIN_ASSIGN_OR_RETURN(g.id, repo_.InsertCooperative(g, kActor, at_));
    ++sum_.pasture_groups;
    return Join(g, free, /*spouses=*/false).status();
  }

  Status Feed(int32_t soum, const std::string& soum_name, int64_t coop_id) {
    Warehouse w;
    w.code = std::to_string(soum) + "-feed";
    w.name = soum_name + " сумын өвс, тэжээлийн нөөцийн агуулах";
    w.soum_code = soum;
    w.capacity_kg = 100000;
    MALCHIN_ASSIGN_OR_RETURN(int64_t id,
                             repo_.InsertWarehouse(w, coop_id, kActor, at_));
    ++sum_.warehouses;
    for (int y = 2019; y <= opt_.as_of.year(); ++y) {
      const Date autumn = Date::FromYmd(y, 10, 1 + rng_.UniformBelow(28));
      const int64_t hay = Steps(rng_, 20000, 60000, 1000);
      FeedMovement m;
      m.on = std::min(autumn, opt_.as_of);
      m.kind = MovementKind::kReceived;
      m.feed = FeedType::kHay;
      m.kg = hay;
      m.note = "сумын нөөцөөс (soum reserve purchase)";
      MALCHIN_RETURN_IF_ERROR(Move(id, m));
      m.feed = FeedType::kFodder;
      m.kg = Steps(rng_, 5000, 15000, 500);
      MALCHIN_RETURN_IF_ERROR(Move(id, m));
      const Date spring = Date::FromYmd(y + 1, 3, 15);
      if (spring <= opt_.as_of && Chance(rng_, 30)) {
        FeedMovement loss;
        loss.on = spring;
        loss.kind = MovementKind::kLoss;
        loss.feed = FeedType::kHay;
        loss.kg = -(hay / 50);
        loss.note = "чийгэнд муудсан (spoiled by damp)";
        MALCHIN_RETURN_IF_ERROR(Move(id, loss));
      }
    }
    return Status::Ok();
  }

  Status Move(int64_t warehouse_id, const FeedMovement& m) {
    MALCHIN_RETURN_IF_ERROR(
        repo_.AppendMovement(m, warehouse_id, kActor, at_).status());
    ++sum_.movements;
    return Status::Ok();
  }

  Status Trainings(
      int32_t soum, const std::string& soum_name,
      const std::vector<std::pair<int64_t, std::vector<Member>>>& coops) {
    std::vector<int32_t> people;
    for (const auto& [id, ms] : coops) {
      for (const Member& m : ms) people.push_back(m.person);
    }
    static constexpr const char* kSectors[] = {"dairy", "felt", "tourism",
                                               "meat", "sewing"};
    static constexpr const char* kSectorsMn[] = {"сүүн бүтээгдэхүүн", "эсгий",
                                                 "аялал жуулчлал",
                                                 "махан бүтээгдэхүүн", "оёдол"};
    for (int k = 0; k < 2; ++k) {
      Training t;
      t.code = std::to_string(soum) + (k == 0 ? "-ls-2021" : "-ent-2022");
      t.topic = k == 0 ? TrainingTopic::kLifeSkills
                       : TrainingTopic::kEntrepreneurship;
      t.title = k == 0 ? "Амьдрах ухааны сургалт (life skills)"
                       : "Бизнес эрхлэх сургалт (entrepreneurship)";
      t.soum_code = soum;
      t.place = soum_name + " сумын соёлын төв";
      t.starts_on =
          k == 0 ? Date::FromYmd(2021, 5, 10) : Date::FromYmd(2022, 6, 14);
      t.ends_on = t.starts_on.AddDays(2 + k);
      t.trainer = k == 0 ? "ХАА-н их сургууль" : "Бизнес инкубатор төв";
      MALCHIN_ASSIGN_OR_RETURN(t.id, training_.InsertTraining(t, kActor, at_));
      ++sum_.trainings;
      std::vector<int32_t> pick = people;
      for (size_t i = pick.size(); i > 1; --i) {
        std::swap(pick[i - 1], pick[rng_.UniformBelow(i)]);
      }
      pick.resize(std::min<size_t>(pick.size(), 10 + rng_.UniformBelow(16)));
      std::sort(pick.begin(), pick.end());
      pick.erase(std::unique(pick.begin(), pick.end()), pick.end());
      for (int32_t p : pick) {
        MALCHIN_RETURN_IF_ERROR(training_.InsertAttendance(
            t.id, Pid(p), Chance(rng_, 90), kActor, at_));
        ++sum_.attendances;
      }
      if (k == 0) continue;
      const size_t businesses =
          std::min<size_t>(pick.size(), 1 + rng_.UniformBelow(3));
      for (size_t b = 0; b < businesses; ++b) {
        Business biz;
        biz.code = std::to_string(soum) + "-b" + std::to_string(b + 1);
        const uint64_t sector = rng_.UniformBelow(5);
        biz.sector = kSectors[sector];
        biz.name =
            soum_name + " " + kSectorsMn[sector] + " " + std::to_string(b + 1);
        biz.soum_code = soum;
        biz.started_on = Between(rng_, Date::FromYmd(2022, 7, 1),
                                 Date::FromYmd(2023, 6, 30));
        MALCHIN_ASSIGN_OR_RETURN(
            biz.id,
            training_.InsertBusiness(biz, Pid(pick[b]), t.id, kActor, at_));
        ++sum_.businesses;
        LedgerEntry grant;
        grant.book = Book::kSeed;
        grant.kind = EntryKind::kGrant;
        grant.on = biz.started_on.AddDays(30);
        grant.amount = Steps(rng_, 1000000, 3000000, 100000);
        grant.note = "үрийн мөнгө (seed fund)";
        MALCHIN_RETURN_IF_ERROR(
            repo_.AppendEntry(grant, biz.id, soum, 0, kActor, at_).status());
      }
    }
    return Status::Ok();
  }

  Repository& repo_;
  TrainingRepository& training_;
  const Context& ctx_;
  const DemoOptions& opt_;
  const registry::Roster& roster_;
  const registry::Population& pop_;
  const std::string at_;
  std::vector<int32_t> first_, members_;  // Persons by household (CSR).
  Xoshiro256 rng_{1};
  DemoSummary sum_;
  int32_t showcase_ = 0;
  std::vector<std::string> showcase_coops_;
};

// The showcase distributions, through the services.
Status Showcase(store::Session& session, const Context& ctx,
                const std::vector<std::string>& coops, int32_t soum,
                DemoSummary* sum) {
  const Actor national{"demo-national", auth::Role::kNationalOfficer, {}};
  const Actor board{"demo-board", auth::Role::kNationalOfficer, {}};
  const Actor officer{"demo-officer", auth::Role::kNationalOfficer, {}};
  struct ItemRow {
    const char *code, *en, *mn, *unit;
    int64_t value;
  };
  static constexpr ItemRow kItems[] = {
      {"ram", "Pedigree ram", "Үржлийн хуц", "head", 800000},
      {"buck", "Pedigree buck", "Үржлийн ухна", "head", 600000},
      {"fodder", "Fodder", "Тэжээл", "kg", 1200},
      {"hay-cutter", "Hay cutter", "Өвс хадагч", "piece", 2500000}};
  for (const ItemRow& i : kItems) {
    MALCHIN_RETURN_IF_ERROR(
        AddItem(session, national,
                {0, i.code, i.en, i.mn, i.unit, i.value, "", ""})
            .status());
  }
  const std::string rule =
      "household.herder and household.sheep_units < 200 and "
      "(household.head.sex == F or household.head.age < 35)";
  const std::string s = std::to_string(soum);
  Distribution rams;
  rams.code = "rams-" + s + "-2021";
  rams.kind = DistributionKind::kInKind;
  rams.name = "Үржлийн хуц олгох (pedigree rams)";
  rams.item = "ram";
  rams.area_code = soum;
  rams.eligibility = rule;
  rams.quantity = "1";
  rams.cutoff_on = Date::FromYmd(2021, 4, 1);
  rams.decision = "ТУЗ-ийн хурал 2021/2";
  MALCHIN_RETURN_IF_ERROR(Prepare(session, ctx, national, rams).status());
  // A rule that chooses nobody (a small register) leaves it prepared.
  Result<Distribution> approved = Approve(session, ctx, officer, rams.code);
  if (!approved.ok() &&
      approved.status().code() != StatusCode::kFailedPrecondition) {
    return approved.status();
  }
  if (approved.ok()) {
    MALCHIN_ASSIGN_OR_RETURN(LinePage lines,
                             Lines(session, rams.code, false, 1, 500));
    for (size_t i = 0; i < lines.items.size(); i += 2) {
      DeliveryRequest d{rams.code,
                        lines.items[i].household_id,
                        Date::FromYmd(2021, 5, 20),
                        "",
                        "",
                        ""};
      MALCHIN_RETURN_IF_ERROR(Deliver(session, ctx, officer, d).status());
    }
  }
  Distribution bucks = rams;
  bucks.code = "bucks-" + s + "-2022";
  bucks.name = "Үржлийн ухна олгох (pedigree bucks)";
  bucks.item = "buck";
  bucks.eligibility =
      "household.herder and household.goats > 0 and "
      "household.sheep_units < 150 and household.head.age < 35";
  bucks.cutoff_on = Date::FromYmd(2022, 4, 1);
  MALCHIN_RETURN_IF_ERROR(Prepare(session, ctx, national, bucks).status());
  Distribution payout;
  payout.code = "dzud-2024-" + coops.front();
  payout.kind = DistributionKind::kPayout;
  payout.name = "2023-24 оны зудын тусламж (dzud payout)";
  payout.coop_code = coops.front();
  payout.eligibility = "household.herder";
  payout.quantity = "50000";
  payout.cutoff_on = Date::FromYmd(2024, 2, 1);
  payout.decision = "ТУЗ-ийн хурал 2024/1";
  MALCHIN_RETURN_IF_ERROR(Prepare(session, ctx, board, payout).status());
  Result<Distribution> paid = Approve(session, ctx, officer, payout.code);
  if (paid.ok()) {
    MALCHIN_RETURN_IF_ERROR(DeliverAll(session, ctx, officer, payout.code,
                                       Date::FromYmd(2024, 3, 1))
                                .status());
  } else if (paid.status().code() != StatusCode::kFailedPrecondition) {
    return paid.status();
  }
  sum->distributions = 3;
  return Status::Ok();
}

}  // namespace

Result<DemoSummary> SeedDemo(store::Session& session, const Context& ctx,
                             const DemoOptions& opt) {
  if (!session.caller().area.national()) {
    return Status::PermissionDenied("seed-demo writes the whole register");
  }
  auto& registry = session.Get<registry::Repository>();
  // Cooperative names of herder households, and herder households of none.
  std::map<int32_t, std::map<std::string, std::vector<std::string>>> named;
  std::map<int32_t, std::vector<std::string>> free;
  MALCHIN_RETURN_IF_ERROR(
      registry.ForEachHousehold({}, [&](const registry::Household& h) {
        if (!h.herder) return Status::Ok();
        if (h.cooperative.empty()) {
          free[h.soum_code].push_back(h.id);
        } else {
          named[h.soum_code][h.cooperative].push_back(h.id);
        }
        return Status::Ok();
      }));
  if (named.empty()) {
    return Status::FailedPrecondition(
        "no herder household of the register names a cooperative");
  }
  return internal::WriteResult<DemoSummary>(
      session, [&]() -> Result<DemoSummary> {
        MALCHIN_ASSIGN_OR_RETURN(
            CoopPage existing,
            session.Get<Repository>().ListCooperatives({}, opt.as_of));
        if (existing.total > 0) {
          return Status::FailedPrecondition(
              "seed-demo writes into a database without cooperatives; this "
              "one has " +
              std::to_string(existing.total));
        }
        MALCHIN_ASSIGN_OR_RETURN(registry::Roster roster,
                                 registry.LoadRoster({}));
        std::unordered_map<std::string_view, int32_t> index;
        for (size_t h = 0; h < roster.population.households(); ++h) {
          index[roster.population.household_id[h]] = static_cast<int32_t>(h);
        }
        auto indexes = [&](const std::vector<std::string>& ids) {
          std::vector<int32_t> out;
          for (const auto& id : ids) out.push_back(index.at(id));
          return out;
        };
        Seeder seeder(session, ctx, opt, roster);
        seeder.set_showcase(named.contains(18140) ? 18140
                                                  : named.begin()->first);
        for (const auto& [soum, groups] : named) {
          std::map<std::string, std::vector<int32_t>> g;
          for (const auto& [name, ids] : groups) g[name] = indexes(ids);
          MALCHIN_RETURN_IF_ERROR(seeder.Soum(soum, g, indexes(free[soum])));
        }
        DemoSummary sum = seeder.summary();
        nlohmann::ordered_json j = {{"seed", opt.seed},
                                    {"as_of", opt.as_of.ToString()},
                                    {"cooperatives", sum.cooperatives},
                                    {"pasture_groups", sum.pasture_groups},
                                    {"memberships", sum.memberships},
                                    {"fund_entries", sum.fund_entries},
                                    {"warehouses", sum.warehouses},
                                    {"trainings", sum.trainings},
                                    {"businesses", sum.businesses}};
        MALCHIN_RETURN_IF_ERROR(internal::AuditChange(
            session, Actor{kActor, auth::Role::kNationalOfficer, {}},
            "coop.seed_demo", "coop", "demo", j.dump()));
        MALCHIN_RETURN_IF_ERROR(Showcase(session, ctx, seeder.showcase_coops(),
                                         sum.showcase_soum, &sum));
        return sum;
      });
}

}  // namespace malchin::coop
