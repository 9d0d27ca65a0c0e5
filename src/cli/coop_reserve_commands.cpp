// CLI commands of cooperatives' reserves and reports (docs/
// cooperatives.md): warehouses and feed, an event's position, statistics by
// sex, age and area, and the demo seeding.
#include <nlohmann/json.hpp>

#include "cli/coop_cli.h"
#include "coop/demo.h"
#include "coop/feed.h"
#include "coop/fund.h"
#include "coop/json.h"
#include "coop/trainings.h"

namespace malchin::cli {
namespace {

using namespace coopcli;
using nlohmann::json;

Status EventPosition(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date on,
                           DateArg(vm, "as-of", o.s().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(coop::EventPosition p,
                           coop::EventPositionOf(o.s(), Str(vm, "event"), on));
  if (vm.count("json")) {
    io.out << coop::ToJson(p).dump(2) << "\n";
    return Status::Ok();
  }
  io.out << p.event_code << " (" << p.event_name << ") on " << on.ToString()
         << ": " << p.cooperatives.size() << " cooperative(s), "
         << Mnt(p.fund_total) << " MNT in their funds, " << p.members
         << " members; " << Mnt(p.hay_kg) << " kg hay, " << Mnt(p.fodder_kg)
         << " kg fodder in " << p.warehouses.size() << " warehouse(s)\n";
  for (const auto& c : p.cooperatives) {
    io.out << "  " << c.coop.coop.code << "  " << c.severity << "  "
           << Mnt(c.coop.fund_balance) << " MNT  " << c.coop.members
           << " members\n";
  }
  return Status::Ok();
}

Status WarehouseAdd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::Warehouse w;
  w.code = Str(vm, "code");
  w.name = Str(vm, "name");
  w.coop_code = Str(vm, "coop");
  MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* soum,
                           o.ctx.geography->Resolve(Str(vm, "soum")));
  w.soum_code = soum->code;
  w.bag = Str(vm, "bag");
  if (vm.count("capacity")) w.capacity_kg = vm["capacity"].as<int64_t>();
  MALCHIN_ASSIGN_OR_RETURN(coop::Warehouse out,
                           coop::RegisterWarehouse(o.s(), o.ctx, o.who(), w));
  io.out << "warehouse " << out.code << " (" << out.name << "), soum "
         << out.soum_code << "\n";
  return Status::Ok();
}

Status Feed(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::MovementRequest r;
  r.warehouse_code = Str(vm, "warehouse");
  MALCHIN_ASSIGN_OR_RETURN(r.on, DateArg(vm, "date"));
  MALCHIN_ASSIGN_OR_RETURN(r.feed, coop::ParseFeedType(Str(vm, "feed")));
  MALCHIN_ASSIGN_OR_RETURN(r.kind, coop::ParseMovementKind(Str(vm, "kind")));
  r.kg = vm["kg"].as<int64_t>();
  r.note = Str(vm, "note");
  r.client_key = Str(vm, "key");
  MALCHIN_ASSIGN_OR_RETURN(coop::RecordedMovement m,
                           coop::RecordMovement(o.s(), o.who(), r));
  io.out << "movement " << m.movement.id << ": "
         << coop::MovementKindName(m.movement.kind) << " " << m.movement.kg
         << " kg of " << coop::FeedTypeName(m.movement.feed)
         << (m.replayed ? " [already recorded]" : "") << "\n";
  return Status::Ok();
}

Status Stock(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(Date on,
                           DateArg(vm, "as-of", o.s().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(coop::FeedStock s,
                           coop::StockOn(o.s(), Str(vm, "warehouse"), on));
  if (vm.count("json")) {
    json j = coop::ToJson(s);
    j["as_of"] = on.ToString();
    io.out << j.dump(2) << "\n";
  } else {
    io.out << Str(vm, "warehouse") << " on " << on.ToString() << ": "
           << Mnt(s.hay_kg) << " kg hay, " << Mnt(s.fodder_kg)
           << " kg fodder\n";
  }
  return Status::Ok();
}

Status Stats(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(store::AreaFilter area,
                           AreaOption(vm, *o.ctx.geography));
  MALCHIN_ASSIGN_OR_RETURN(Date on,
                           DateArg(vm, "as-of", o.s().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(auto cells, coop::Statistics(o.s(), area, on));
  json j = coop::StatsJson(cells, on);
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "on " << on.ToString() << "  members  trainees  owners  in-kind\n";
  auto row = [&](const std::string& label, const json& v) {
    io.out << label << "  " << v["members"] << "  " << v["trainees"] << "  "
           << v["business_owners"] << "  " << v["in_kind_recipients"] << "\n";
  };
  row("total", j["total"]);
  for (const auto& [sex, v] : j["by_sex"].items()) row("sex " + sex, v);
  for (const auto& v : j["by_age_band"]) {
    row("age " + v["age_band"].get<std::string>(), v);
  }
  return Status::Ok();
}

Status SeedDemo(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  coop::DemoOptions opt;
  opt.seed = vm["seed"].as<uint64_t>();
  MALCHIN_ASSIGN_OR_RETURN(opt.as_of, DateArg(vm, "as-of", opt.as_of));
  MALCHIN_ASSIGN_OR_RETURN(coop::DemoSummary s,
                           coop::SeedDemo(o.s(), o.ctx, opt));
  io.out << "demo cooperatives: " << s.cooperatives << " cooperatives and "
         << s.pasture_groups << " pasture user groups, " << s.memberships
         << " memberships, " << s.fund_entries << " fund entries, "
         << s.warehouses << " warehouses (" << s.movements << " movements), "
         << s.trainings << " trainings (" << s.attendances << " attendances), "
         << s.businesses << " businesses; showcase soum " << s.showcase_soum
         << "\n";
  return Status::Ok();
}

}  // namespace

void AddCoopReserveCommands(std::vector<Command>* c) {
  auto as_of = [](po::options_description& d) {
    d.add_options()("as-of", po::value<std::string>(), "date (today)");
  };
  c->push_back({"coop event-position",
                "what the cooperatives and warehouses of an event's soums hold",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  d.add_options()("event", po::value<std::string>()->required(),
                                  "shock event code");
                  as_of(d);
                  JsonOpt(d);
                },
                EventPosition, ""});
  c->push_back(
      {"coop warehouse", "register a hay and fodder warehouse",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         d.add_options()("code", po::value<std::string>()->required(), "code")(
             "name", po::value<std::string>()->required(), "name")(
             "soum", po::value<std::string>()->required(), "soum")(
             "coop", po::value<std::string>(), "the cooperative keeping it")(
             "bag", po::value<std::string>(), "bag")(
             "capacity", po::value<int64_t>(), "capacity in kg");
       },
       WarehouseAdd, ""});
  c->push_back(
      {"coop feed", "feed received into a warehouse, or lost",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         d.add_options()("warehouse", po::value<std::string>()->required(),
                         "code")("date", po::value<std::string>()->required(),
                                 "date")(
             "feed", po::value<std::string>()->required(), "hay or fodder")(
             "kind", po::value<std::string>()->required(), "received or loss")(
             "kg", po::value<int64_t>()->required(), "kilograms")(
             "note", po::value<std::string>(),
             "where from, or how it was lost (required for a loss)");
         KeyOpt(d, true);
       },
       Feed, ""});
  c->push_back({"coop stock", "a warehouse's stock on a date",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  d.add_options()("warehouse",
                                  po::value<std::string>()->required(), "code");
                  as_of(d);
                  JsonOpt(d);
                },
                Stock, ""});
  c->push_back({"coop stats",
                "members, trainees, business owners and in-kind recipients "
                "by sex, age band and area",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  d.add_options()("soum", po::value<std::string>(), "soum")(
                      "aimag", po::value<std::string>(), "aimag");
                  as_of(d);
                  JsonOpt(d);
                },
                Stats, ""});
  c->push_back(
      {"coop seed-demo",
       "demo cooperatives, funds, reserves, trainings and distributions for "
       "the demo register (after generate; the register is unchanged)",
       [](po::options_description& d) {
         DbOption(d);
         d.add_options()("seed", po::value<uint64_t>()->default_value(1),
                         "random seed")("as-of", po::value<std::string>(),
                                        "last day of the histories "
                                        "(2024-12-31)");
       },
       SeedDemo, ""});
}

}  // namespace malchin::cli
