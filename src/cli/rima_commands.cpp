// CLI commands of the RIMA-II resilience capacity index: rima fit, rima
// score, rima report, rima explain, and `rima` alone, which lists them
// (docs/rima.md).
#include <iomanip>
#include <sstream>

#include "cli/command.h"
#include "core/date.h"
#include "rima/model.h"
#include "rima/report.h"
#include "rima/repository.h"
#include "rima/rima.h"
#include "rima/rounds.h"
#include "rima/spec.h"
#include "rima/survey.h"

namespace malchin::cli {
namespace {

std::string F(double v, int precision = 3) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(precision) << v;
  return s.str();
}

void PrintSurvey(const rima::SurveyData& s, Io& io, bool to_err = false) {
  std::ostream& out = to_err ? io.err : io.out;
  out << "survey " << s.file << ": " << s.rows << " rows, " << s.ids.size()
      << " households used, " << s.dropped.size()
      << " dropped for blank model values";
  if (!s.missing_by_column.empty()) {
    out << " (";
    for (size_t i = 0; i < s.missing_by_column.size(); ++i) {
      out << (i ? ", " : "") << s.missing_by_column[i].first << " "
          << s.missing_by_column[i].second;
    }
    out << ")";
  }
  out << "\n";
  for (const std::string& w : s.warnings) io.err << "warning: " << w << "\n";
}

void PrintRsm(const rima::FrozenModel& m, const rima::Structure& st, Io& io) {
  io.out << "RSM (share of |corr(pillar, RCI)|):";
  for (size_t g = 0; g < m.pillars.size(); ++g) {
    io.out << "  " << m.pillars[g].name << " " << F(st.overall.share_pct[g], 1)
           << "%";
  }
  io.out << "\n";
}

Result<std::string> DateOr(const po::variables_map& vm, const char* name) {
  if (!vm.count(name)) return Date::TodayUtc().ToString();
  MALCHIN_ASSIGN_OR_RETURN(Date d, Date::Parse(vm[name].as<std::string>()));
  return d.ToString();
}

// --factor-rule: the rule of every pillar, overriding the spec.
Status OverrideFactorRule(const po::variables_map& vm, rima::ModelSpec* spec) {
  if (!vm.count("factor-rule")) return Status::Ok();
  const std::string rule = vm["factor-rule"].as<std::string>();
  rima::FactorRule r;
  if (rule == "fao_minres_screen") {
    r.kind = rima::FactorRule::Kind::kFaoMinresScreen;
  } else if (rule != "kaiser") {
    return Status::InvalidArgument("--factor-rule '" + rule +
                                   "': expected kaiser or fao_minres_screen");
  }
  for (rima::PillarSpec& p : spec->pillars) p.rule = r;
  return Status::Ok();
}

void PrintPillars(const rima::FrozenModel& m, Io& io) {
  for (size_t g = 0; g < m.pillars.size(); ++g) {
    const rima::PillarFit& p = m.pillars[g];
    io.out << "pillar " << std::left << std::setw(4) << p.name << std::right
           << p.variables.size() << " variables, " << p.pa.factors
           << " factor(s) by rule "
           << rima::FactorRuleName(m.spec.pillars[g].rule.kind)
           << " (Kaiser: " << p.kaiser_factors;
    if (p.screen.factors > 0) {
      io.out << "; FAO screen cumulative share "
             << F(p.screen.cum_share[p.screen.factors - 1], 4);
    }
    io.out << "), " << p.pa.iterations << " PA iterations\n";
  }
}

void PrintMimic(const rima::FrozenModel& model, Io& io) {
  const rima::MimicFit& m = model.mimic;
  io.out << "MIMIC: chi-square " << F(m.chisq) << " (df " << m.df << ", p "
         << F(m.pvalue) << "), CFI " << F(m.cfi) << ", TLI " << F(m.tli)
         << ", RMSEA " << F(m.rmsea) << ", SRMR " << F(m.srmr, 4) << "\n";
  const bool robust = !m.se_robust.empty();
  io.out << "RCI ~ pillar (estimate, "
         << (robust ? "robust.sem" : "normal-theory") << " SE, std.all):";
  for (int g = 0; g < m.q; ++g) {
    double se = robust ? m.se_robust[m.m - 1 + g] : m.se[m.m - 1 + g];
    io.out << "  " << model.pillars[g].name << " " << F(m.gamma[g], 4) << " ("
           << F(se, 4) << ", " << F(m.std_gamma[g]) << ")";
  }
  io.out << "\n";
}

Status Fit(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(rima::ModelSpec spec,
                           rima::LoadSpec(vm["spec"].as<std::string>()));
  MALCHIN_RETURN_IF_ERROR(OverrideFactorRule(vm, &spec));
  MALCHIN_ASSIGN_OR_RETURN(
      rima::SurveyData survey,
      rima::LoadSurvey(vm["survey"].as<std::string>(), spec));
  rima::FitOptions opt;
  MALCHIN_ASSIGN_OR_RETURN(opt.created_on, DateOr(vm, "date"));
  if (vm.count("model-version")) {
    opt.model_version = vm["model-version"].as<std::string>();
  }
  MALCHIN_ASSIGN_OR_RETURN(rima::RimaFit fit, rima::FitRima(spec, survey, opt));
  const std::string out = vm["out"].as<std::string>();
  MALCHIN_RETURN_IF_ERROR(rima::SaveModel(fit.model, out));
  if (vm.count("report")) {
    MALCHIN_RETURN_IF_ERROR(rima::WriteReport(fit.model, survey, fit.households,
                                              fit.structure,
                                              vm["report"].as<std::string>()));
  }
  if (vm.count("json")) {
    io.out << rima::SummaryJson(fit.model, survey, fit.households,
                                fit.structure);
    return Status::Ok();
  }
  PrintSurvey(survey, io);
  PrintPillars(fit.model, io);
  PrintMimic(fit.model, io);
  PrintRsm(fit.model, fit.structure, io);
  io.out << "model " << fit.model.model_version << " written to " << out
         << "\n";
  return Status::Ok();
}

// `rima score --db --round NAME`: the scores recorded for the round
// (append-only) and the current scores following the newest round.
Status SaveRound(const po::variables_map& vm, CliDb& store, Date scored_on,
                 const std::vector<rima::RimaScoreRecord>& records,
                 const rima::SurveyData& survey, Io& io) {
  if (vm.count("replace")) {
    return Status::InvalidArgument(
        "--round-той --replace хэрэглэхгүй / --replace with --round: round "
        "scores are never replaced; expected one of them",
        "replace");
  }
  rima::SurveyRound round{vm["round"].as<std::string>(), scored_on};
  if (vm.count("round-date")) {
    MALCHIN_ASSIGN_OR_RETURN(round.date,
                             Date::Parse(vm["round-date"].as<std::string>()));
  }
  MALCHIN_ASSIGN_OR_RETURN(
      rima::RoundSaveResult saved,
      store.Get<rima::RoundRepository>().SaveRound({}, round, records));
  PrintSurvey(survey, io);
  io.out << "round " << round.name << " (" << round.date.ToString()
         << "): " << saved.inserted << " scores recorded, " << saved.unchanged
         << " already recorded, " << saved.not_found.size()
         << " households not in the register; current scores: "
         << saved.current.inserted << " saved, " << saved.current.replaced
         << " replaced, " << saved.current.unchanged << " unchanged, "
         << saved.current_newer << " kept (a newer round's)\n";
  for (size_t i = 0; i < saved.not_found.size() && i < 10; ++i) {
    io.err << "not in the register: " << saved.not_found[i] << "\n";
  }
  return Status::Ok();
}

Status Score(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                           rima::LoadModel(vm["model"].as<std::string>()));
  const std::string survey_path = vm["survey"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(rima::SurveyData survey,
                           rima::LoadSurvey(survey_path, model.spec));
  std::vector<rima::HouseholdScore> scores = rima::ScoreSurvey(model, survey);
  MALCHIN_ASSIGN_OR_RETURN(std::string on, DateOr(vm, "date"));
  if (vm.count("out")) {
    MALCHIN_RETURN_IF_ERROR(rima::WriteFileAtomic(
        vm["out"].as<std::string>(), rima::ScoresCsv(model, survey, scores)));
  }
  if (!vm.count("db")) {
    if (!vm.count("out")) io.out << rima::ScoresCsv(model, survey, scores);
    PrintSurvey(survey, io, !vm.count("out"));
    return Status::Ok();
  }
  MALCHIN_ASSIGN_OR_RETURN(auto store, OpenStore(vm, false));
  auto* repo = &store->Get<rima::ScoreRepository>();
  std::vector<rima::RimaScoreRecord> records;
  MALCHIN_ASSIGN_OR_RETURN(Date scored_on, Date::Parse(on));
  for (const rima::HouseholdScore& s : scores) {
    rima::RimaScoreRecord r;
    r.household_id = s.id;
    r.model_version = model.model_version;
    r.scored_on = scored_on;
    r.rci = s.rci;
    r.score_0_100 = s.score_0_100;
    r.quintile = s.quintile;
    r.rci_structural = s.rci_structural;
    r.abs = s.pillars[0];
    r.ast = s.pillars[1];
    r.ssn = s.pillars[2];
    r.ac = s.pillars[3];
    r.source = survey_path;
    records.push_back(std::move(r));
  }
  if (vm.count("round")) {
    return SaveRound(vm, *store, scored_on, records, survey, io);
  }
  MALCHIN_ASSIGN_OR_RETURN(
      rima::RimaSaveResult saved,
      repo->SaveScores({}, records, vm.count("replace") > 0));
  PrintSurvey(survey, io);
  io.out << "register: " << saved.inserted << " scores saved, "
         << saved.replaced << " replaced, " << saved.unchanged << " unchanged, "
         << saved.not_found.size() << " households not in the register (model "
         << model.model_version << ")\n";
  for (size_t i = 0; i < saved.not_found.size() && i < 10; ++i) {
    io.err << "not in the register: " << saved.not_found[i] << "\n";
  }
  return Status::Ok();
}

Status Report(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                           rima::LoadModel(vm["model"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(
      rima::SurveyData survey,
      rima::LoadSurvey(vm["survey"].as<std::string>(), model.spec));
  std::vector<rima::HouseholdScore> scores = rima::ScoreSurvey(model, survey);
  if (scores.size() < 3) {
    return Status::InvalidArgument(survey.file + ": " +
                                   std::to_string(scores.size()) +
                                   " households scored; expected at least 3 "
                                   "for a report");
  }
  rima::Structure st = rima::ComputeStructure(model, survey, scores);
  if (vm.count("out")) {
    MALCHIN_RETURN_IF_ERROR(rima::WriteReport(model, survey, scores, st,
                                              vm["out"].as<std::string>()));
  }
  if (vm.count("json") || !vm.count("out")) {
    io.out << rima::SummaryJson(model, survey, scores, st);
    return Status::Ok();
  }
  PrintSurvey(survey, io);
  PrintRsm(model, st, io);
  io.out << "report written to " << vm["out"].as<std::string>() << "\n";
  return Status::Ok();
}

Status ExplainCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(rima::FrozenModel model,
                           rima::LoadModel(vm["model"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(
      rima::SurveyData survey,
      rima::LoadSurvey(vm["survey"].as<std::string>(), model.spec));
  MALCHIN_ASSIGN_OR_RETURN(
      rima::Explanation e,
      rima::Explain(model, survey, vm["household"].as<std::string>()));
  io.out << (vm.count("json") ? rima::ExplanationJson(e, model)
                              : rima::ExplanationText(e, model));
  return Status::Ok();
}

void ModelSurveyOptions(po::options_description& d) {
  d.add_options()("model", po::value<std::string>()->required(),
                  "frozen model file written by `malchin rima fit`")(
      "survey", po::value<std::string>()->required(),
      "survey CSV (KoBoToolbox export, one row per household)");
}

// `malchin rima` and `malchin rima --help`: the rima subcommands. Added
// after them, so that it can list them.
void AddRimaGroup(std::vector<Command>* commands) {
  std::string list =
      "\nRIMA-II resilience capacity index (docs/rima.md). Subcommands:\n";
  for (const Command& c : *commands) {
    if (c.name.rfind("rima ", 0) != 0) continue;
    list += "  malchin " + c.name +
            std::string(c.name.size() < 14 ? 14 - c.name.size() : 1, ' ') +
            c.summary + "\n";
  }
  list += "\nmalchin rima <subcommand> --help shows a subcommand's options.\n";
  commands->push_back(
      {"rima", "RIMA-II resilience index: fit, score, report, explain",
       [](po::options_description&) {},
       [list](const po::variables_map&, Io& io) {
         io.err << "malchin rima: RIMA-II resilience index\n" << list;
         return Status::InvalidArgument(
             "expected a subcommand: fit, score, report or explain");
       },
       list});
}

}  // namespace

void AddRimaCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"rima fit", "fit the RIMA-II resilience index on a survey",
       [](po::options_description& d) {
         d.add_options()("survey", po::value<std::string>()->required(),
                         "survey CSV (KoBoToolbox export)")(
             "spec", po::value<std::string>()->required(),
             "model specification JSON (docs/rima.md)")(
             "out", po::value<std::string>()->required(),
             "frozen model file to write (JSON)")(
             "report", po::value<std::string>(),
             "also write CSV and JSON reports into this folder")(
             "factor-rule", po::value<std::string>(),
             "factors of every pillar: kaiser or fao_minres_screen (FAO "
             "Shiny RIMA's rule); default: the spec's")(
             "model-version", po::value<std::string>(),
             "version label stored with every score (default: "
             "rima-DATE-HASH)")("date", po::value<std::string>(),
                                "fit date YYYY-MM-DD (default today)")(
             "json", "print the summary as JSON");
       },
       Fit,
       "\nPillars by principal-axis factor analysis (psych fm=\"pa\"), the "
       "RCI by a MIMIC\nmodel (lavaan ML; robust.sem SEs as FAO reports "
       "them), scores rescaled 0-100\non this survey. Households are "
       "dropped only for blanks in the model's own\ncolumns, and "
       "reported.\n"});
  commands->push_back(
      {"rima score",
       "score households with a frozen RIMA model (and store them)",
       [](po::options_description& d) {
         ModelSurveyOptions(d);
         d.add_options()("db", po::value<std::string>(),
                         "register database: store each score with the "
                         "model version and date")(
             "out", po::value<std::string>(), "write the scores CSV here")(
             "date", po::value<std::string>(),
             "scoring date YYYY-MM-DD (default today)")(
             "replace",
             "replace a different stored score of the same model version")(
             "round", po::value<std::string>(),
             "record the scores as this survey round (e.g. 2020-R1; with "
             "--db): kept per round, never changed")(
             "round-date", po::value<std::string>(),
             "the round's date YYYY-MM-DD (default: the scoring date)");
       },
       Score,
       "\nScores are on the reference survey's scale (0-100 clipped, "
       "reference quintile\ncut points). Without --db or --out the CSV goes "
       "to standard output.\n"});
  commands->push_back(
      {"rima report", "RSM and scores of a survey under a frozen model",
       [](po::options_description& d) {
         ModelSurveyOptions(d);
         d.add_options()("out", po::value<std::string>(),
                         "write CSV and JSON reports into this folder")(
             "json", "print the summary as JSON");
       },
       Report, ""});
  commands->push_back(
      {"rima explain", "what makes up one household's resilience score",
       [](po::options_description& d) {
         ModelSurveyOptions(d);
         d.add_options()("household", po::value<std::string>()->required(),
                         "household id (the spec's id column)")(
             "json", "print as JSON");
       },
       ExplainCmd,
       "\nEach pillar's and variable's contribution in points of the 0-100 "
       "score,\nrelative to the reference survey's average household.\n"});
  AddRimaGroup(commands);
}

}  // namespace malchin::cli
