// CLI commands of distributions to households (docs/cooperatives.md):
// the in-kind catalogue and in-kind distributions (malchin inkind ...),
// payouts from a contingency fund (malchin coop payout ...) and feed from a
// warehouse (malchin coop feed-out ...): prepare, preview, approve (by
// another user), deliver once per household, list the lines.
#include <nlohmann/json.hpp>

#include "cli/coop_cli.h"
#include "coop/distributions.h"
#include "coop/json.h"
#include "registry/population.h"

namespace malchin::cli {
namespace {

using namespace coopcli;
using nlohmann::json;

Result<coop::Distribution> FromOptions(const po::variables_map& vm,
                                       coop::DistributionKind kind,
                                       const geo::Geography& geo) {
  coop::Distribution d;
  d.kind = kind;
  d.code = Str(vm, "code");
  d.name = Str(vm, "name", d.code);
  d.coop_code = Str(vm, "coop");
  d.warehouse_code = Str(vm, "warehouse");
  d.item = Str(vm, kind == coop::DistributionKind::kFeed ? "feed" : "item");
  d.event_code = Str(vm, "event");
  d.eligibility = Str(vm, "eligibility");
  d.quantity = Str(vm, "quantity", "1");
  d.decision = Str(vm, "decision");
  if (vm.count("area")) {
    MALCHIN_ASSIGN_OR_RETURN(const geo::Unit* u, geo.Resolve(Str(vm, "area")));
    d.area_code = u->code;
  }
  MALCHIN_ASSIGN_OR_RETURN(d.cutoff_on, DateArg(vm, "cutoff"));
  return d;
}

void PrintDistribution(const coop::Distribution& d, Io& io) {
  io.out << d.code << " (" << coop::DistributionKindName(d.kind) << ", "
         << coop::DistributionStatusName(d.status) << "): " << d.name << "\n"
         << "  rule: " << d.eligibility << "; quantity: " << d.quantity
         << "; cut-off " << d.cutoff_on.ToString() << "; area " << d.area_code
         << "\n  prepared by " << d.prepared_by;
  if (!d.approved_by.empty()) {
    io.out << ", approved by " << d.approved_by << ": " << d.households
           << " household(s), " << Mnt(d.total_quantity) << " units, "
           << Mnt(d.total_value) << " MNT; " << d.delivered << " delivered";
  }
  io.out << "\n";
}

Status Prepare(const po::variables_map& vm, Io& io,
               coop::DistributionKind kind) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(coop::Distribution d,
                           FromOptions(vm, kind, *o.ctx.geography));
  MALCHIN_ASSIGN_OR_RETURN(coop::Distribution out,
                           coop::Prepare(o.s(), o.ctx, o.who(), d));
  PrintDistribution(out, io);
  return Status::Ok();
}

Status Preview(const po::variables_map& vm, Io& io,
               coop::DistributionKind kind) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  coop::Distribution d;
  if (vm.count("eligibility")) {
    MALCHIN_ASSIGN_OR_RETURN(d, FromOptions(vm, kind, *o.ctx.geography));
  } else {
    MALCHIN_ASSIGN_OR_RETURN(d, coop::FindDistribution(o.s(), Str(vm, "code")));
  }
  MALCHIN_ASSIGN_OR_RETURN(coop::DistributionPreview p,
                           coop::Preview(o.s(), o.ctx, d));
  if (vm.count("json")) {
    io.out << coop::ToJson(p).dump(2) << "\n";
    return Status::Ok();
  }
  const rules::Preview& v = p.preview;
  io.out << v.national.households << " household(s), " << Mnt(v.national.amount)
         << " unit(s), " << Mnt(p.total_value) << " MNT";
  if (kind != coop::DistributionKind::kInKind) {
    io.out << "; the source holds " << Mnt(p.available);
  }
  io.out << "\nby soum:\n";
  for (const auto& s : v.by_soum) {
    io.out << "  " << s.code << "  " << s.households << "  " << Mnt(s.amount)
           << "\n";
  }
  io.out << "by sex and age band of the head:\n";
  for (int sex = 0; sex < 2; ++sex) {
    for (int b = 0; b < registry::kAgeBandCount; ++b) {
      int64_t n = v.beneficiaries_by_sex_band_disability[sex][b][0] +
                  v.beneficiaries_by_sex_band_disability[sex][b][1];
      if (n == 0) continue;
      io.out << "  " << (sex ? "M" : "F") << "  " << registry::AgeBandName(b)
             << "  " << n << "\n";
    }
  }
  return Status::Ok();
}

Status ApproveCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::Distribution d,
      coop::Approve(o.s(), o.ctx, o.who(), Str(vm, "code")));
  PrintDistribution(d, io);
  return Status::Ok();
}

Status DeliverCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  MALCHIN_ASSIGN_OR_RETURN(Date on, DateArg(vm, "date"));
  if (vm.count("all")) {
    MALCHIN_ASSIGN_OR_RETURN(int64_t n, coop::DeliverAll(o.s(), o.ctx, o.who(),
                                                         Str(vm, "code"), on));
    io.out << n << " household(s) delivered on " << on.ToString() << "\n";
    return Status::Ok();
  }
  if (!vm.count("household")) {
    return Status::InvalidArgument("give --household ID, or --all",
                                   "household");
  }
  coop::DeliveryRequest r{
      Str(vm, "code"),        Str(vm, "household"), on,
      Str(vm, "received-by"), Str(vm, "note"),      Str(vm, "key")};
  MALCHIN_ASSIGN_OR_RETURN(coop::Delivered del,
                           coop::Deliver(o.s(), o.ctx, o.who(), r));
  io.out << "household " << del.line.household_id << " received "
         << del.line.quantity << " on "
         << del.line.delivery->delivered_on.ToString() << " ("
         << del.line.delivery->received_by << ", confirmed by "
         << del.line.delivery->confirmed_by << ")"
         << (del.replayed ? " [already recorded]" : "") << "\n";
  return Status::Ok();
}

Status LinesCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(
      coop::LinePage page,
      coop::Lines(o.s(), Str(vm, "code"), vm.count("undelivered") > 0,
                  vm["page"].as<int>(), 500));
  json items = json::array();
  for (const auto& l : page.items) {
    if (vm.count("json")) {
      items.push_back(coop::ToJson(l));
      continue;
    }
    io.out << l.household_id << "  " << l.payee_register_no << "  "
           << l.quantity << "  " << Mnt(l.value) << "  "
           << (l.delivery ? "delivered " + l.delivery->delivered_on.ToString()
                          : "not delivered")
           << "\n";
  }
  if (vm.count("json")) {
    io.out << json{{"total", page.total}, {"items", items}}.dump(2) << "\n";
  } else {
    io.out << page.total << " line(s)\n";
  }
  return Status::Ok();
}

Status ListCmd(const po::variables_map& vm, Io& io,
               coop::DistributionKind kind) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto all, coop::Distributions(o.s(), kind));
  json list = json::array();
  for (const auto& d : all) {
    if (vm.count("json")) {
      list.push_back(coop::ToJson(d));
    } else {
      PrintDistribution(d, io);
    }
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  return Status::Ok();
}

Status ItemAdd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, true));
  coop::InKindItem i{0,
                     Str(vm, "code"),
                     Str(vm, "name-en"),
                     Str(vm, "name-mn"),
                     Str(vm, "unit"),
                     vm["value"].as<int64_t>(),
                     "",
                     ""};
  MALCHIN_ASSIGN_OR_RETURN(coop::InKindItem out,
                           coop::AddItem(o.s(), o.who(), i));
  io.out << "item " << out.code << ": " << out.name_en << " / " << out.name_mn
         << ", " << Mnt(out.unit_value) << " MNT per " << out.unit << "\n";
  return Status::Ok();
}

Status ItemsCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm, false));
  MALCHIN_ASSIGN_OR_RETURN(auto items, coop::Items(o.s()));
  json list = json::array();
  for (const auto& i : items) {
    if (vm.count("json")) {
      list.push_back(coop::ToJson(i));
    } else {
      io.out << i.code << "  " << Mnt(i.unit_value) << " MNT/" << i.unit << "  "
             << i.name_en << " / " << i.name_mn << "\n";
    }
  }
  if (vm.count("json")) io.out << list.dump(2) << "\n";
  return Status::Ok();
}

// The commands of one kind of distribution, under `prefix`.
void AddDistributionCommands(std::vector<Command>* c, const std::string& prefix,
                             coop::DistributionKind kind) {
  auto code = [](po::options_description& d) {
    d.add_options()("code", po::value<std::string>()->required(),
                    "distribution code");
  };
  auto plan = [kind](po::options_description& d) {
    const bool payout = kind == coop::DistributionKind::kPayout;
    d.add_options()("name", po::value<std::string>(), "name")(
        "eligibility", po::value<std::string>(),
        "rule of the rule language, tested on each household's head")(
        "quantity", po::value<std::string>(),
        payout ? "MNT per household (a number or a formula)"
               : (kind == coop::DistributionKind::kFeed
                      ? "kg per household (a number or a formula)"
                      : "units per household (default 1)"))(
        "cutoff", po::value<std::string>(), "date the register is judged on")(
        "area", po::value<std::string>(),
        "soum or aimag whose households (code or name)")(
        "coop", po::value<std::string>(),
        payout ? "cooperative whose fund pays"
               : "only this cooperative's member households")(
        "event", po::value<std::string>(), "shock event (event.severity)")(
        "decision", po::value<std::string>(), "the board's decision");
    if (kind == coop::DistributionKind::kFeed) {
      d.add_options()("warehouse", po::value<std::string>(), "warehouse")(
          "feed", po::value<std::string>(), "hay or fodder");
    } else if (kind == coop::DistributionKind::kInKind) {
      d.add_options()("item", po::value<std::string>(), "catalogue item");
    }
  };
  c->push_back({prefix + " prepare", "prepare a distribution (chosen by rule)",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  code(d);
                  plan(d);
                },
                [kind](const po::variables_map& vm, Io& io) {
                  return Prepare(vm, io, kind);
                },
                ""});
  c->push_back({prefix + " preview",
                "households and quantities by area, sex and age band "
                "(a stored distribution, or the rule given)",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  code(d);
                  plan(d);
                  JsonOpt(d);
                },
                [kind](const po::variables_map& vm, Io& io) {
                  return Preview(vm, io, kind);
                },
                ""});
  c->push_back({prefix + " approve",
                "approve (not by who prepared it): freezes the households",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  code(d);
                },
                ApproveCmd, ""});
  c->push_back(
      {prefix + " deliver", "confirm a household's delivery (once), or --all",
       [=](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         code(d);
         d.add_options()("household", po::value<std::string>(), "household id")(
             "all", "every household not yet delivered")(
             "date", po::value<std::string>()->required(), "date")(
             "received-by", po::value<std::string>(),
             "register number of who received it (the head)")(
             "note", po::value<std::string>(), "note");
         KeyOpt(d);
       },
       DeliverCmd, ""});
  c->push_back({prefix + " lines", "the households of an approved distribution",
                [=](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  code(d);
                  d.add_options()("undelivered", "only those not delivered")(
                      "page", po::value<int>()->default_value(1),
                      "page of 500");
                  JsonOpt(d);
                },
                LinesCmd, ""});
  c->push_back({prefix + " list", "distributions of your area",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  JsonOpt(d);
                },
                [kind](const po::variables_map& vm, Io& io) {
                  return ListCmd(vm, io, kind);
                },
                ""});
}

}  // namespace

void AddInkindCommands(std::vector<Command>* c) {
  c->push_back(
      {"inkind item", "add an item to the in-kind catalogue",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         d.add_options()("code", po::value<std::string>()->required(),
                         "code, e.g. ram")(
             "name-en", po::value<std::string>()->required(), "English name")(
             "name-mn", po::value<std::string>()->required(), "Mongolian name")(
             "unit", po::value<std::string>()->required(), "head, kg or piece")(
             "value", po::value<int64_t>()->required(), "MNT per unit");
       },
       ItemAdd, ""});
  c->push_back({"inkind items", "the in-kind catalogue",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  JsonOpt(d);
                },
                ItemsCmd, ""});
  AddDistributionCommands(c, "inkind", coop::DistributionKind::kInKind);
  AddDistributionCommands(c, "coop payout", coop::DistributionKind::kPayout);
  AddDistributionCommands(c, "coop feed-out", coop::DistributionKind::kFeed);
}

}  // namespace malchin::cli
