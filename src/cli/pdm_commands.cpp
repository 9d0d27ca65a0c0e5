// CLI commands of post-distribution monitoring (docs/pdm.md): draw the
// sample of a paid payroll, approve it (another officer), write the
// XLSForm and its respondent list, ingest KoBoToolbox exports, report the
// weighted findings beside the bank's answer.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "api/grievance_json.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "params/parameters.h"
#include "pdm/follow_up.h"
#include "pdm/monitoring.h"
#include "pdm/report.h"
#include "pdm/xlsform.h"

namespace malchin::cli {
namespace {

namespace fs = std::filesystem;

std::string Str(const po::variables_map& vm, const char* name) {
  return vm.count(name) ? vm[name].as<std::string>() : "";
}

struct Opened {
  std::unique_ptr<CliDb> db;
  std::unique_ptr<pdm::Monitoring> pdm;
  std::string actor;
};

// The store, acting as --user when given (an account of this register).
Result<Opened> Open(const po::variables_map& vm) {
  Opened o;
  MALCHIN_ASSIGN_OR_RETURN(o.db, OpenStore(vm, false));
  o.actor = CliActor();
  if (vm.count("user")) {
    o.actor = Str(vm, "user");
    MALCHIN_RETURN_IF_ERROR(ActAs(*o.db, o.actor));
  }
  o.pdm = std::make_unique<pdm::Monitoring>(o.db->session());
  return o;
}

// The standard form, with --module files appended.
Result<pdm::Form> LoadForm(const po::variables_map& vm) {
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, pdm::StandardPdmForm());
  if (!vm.count("module")) return form;
  for (const std::string& path : vm["module"].as<std::vector<std::string>>()) {
    MALCHIN_ASSIGN_OR_RETURN(std::string text, csv::ReadFile(path));
    MALCHIN_ASSIGN_OR_RETURN(pdm::Form m, pdm::ParseModule(path, text));
    MALCHIN_RETURN_IF_ERROR(pdm::AppendModule(m, &form));
  }
  return form;
}

// --confidence as a level (0.90) or a percentage (90); nullopt if absent.
std::optional<double> Confidence(const po::variables_map& vm) {
  if (!vm.count("confidence")) return std::nullopt;
  double c = vm["confidence"].as<double>();
  return c > 1 ? c / 100 : c;
}

Result<pdm::SampleDesign> Design(const po::variables_map& vm, Date today) {
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(pdm::SampleDesign d,
                           pdm::DefaultDesign(*params, today));
  if (vm.count("margin")) d.margin_of_error = vm["margin"].as<double>();
  if (vm.count("response-rate")) {
    d.response_rate = vm["response-rate"].as<double>();
  }
  if (vm.count("deff")) d.design_effect = vm["deff"].as<double>();
  if (auto c = Confidence(vm)) d.confidence = *c;
  if (vm.count("seed")) d.seed = vm["seed"].as<uint64_t>();
  if (vm.count("min-per-stratum")) {
    d.min_per_stratum = vm["min-per-stratum"].as<int64_t>();
  }
  MALCHIN_RETURN_IF_ERROR(pdm::ValidateDesign(d));
  return d;
}

void PrintSample(const pdm::SampleRecord& r, const pdm::Sample& s,
                 std::ostream& out) {
  out << "sample " << r.id << "  plan " << r.plan_code << " installment "
      << r.installment << "  " << pdm::Name(r.status) << "  (drawn by "
      << r.drawn_by << (r.approved_by.empty() ? "" : ", approved by ")
      << r.approved_by << ")\n";
  out << "frame: " << s.frame_units << " paid beneficiaries, fingerprint "
      << s.frame_fingerprint << "\n";
  out << "stratum\tN\tinterviews\tselected\treplacements\tinclusion_p\n";
  int64_t selected = 0;
  for (const pdm::Stratum& t : s.strata) {
    out << t.label << "\t" << t.population << "\t" << t.size.completes << "\t"
        << t.size.selected << "\t" << t.replacements.size() << "\t"
        << std::setprecision(4) << t.inclusion_probability << "\n";
    selected += t.size.selected;
  }
  out << "total selected: " << selected << "\n";
}

Status SampleCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::SampleDesign d,
                           Design(vm, o.db->session().clock().Today()));
  bool created = false;
  MALCHIN_ASSIGN_OR_RETURN(
      pdm::SampleRecord r,
      o.pdm->DrawPayrollSample(Str(vm, "plan"), vm["installment"].as<int>(), d,
                               o.actor, {}, &created));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Sample s, o.pdm->LoadSample(r.id));
  if (!created) io.err << "already drawn: the stored sample is returned\n";
  PrintSample(r, s, io.out);
  return Status::Ok();
}

Status ApproveCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::SampleRecord r,
                           o.pdm->Approve(vm["sample"].as<int64_t>(), o.actor));
  io.out << "sample " << r.id << " approved by " << r.approved_by << " at "
         << r.approved_at << "\n";
  return Status::Ok();
}

Status FormCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, LoadForm(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Sample s,
                           o.pdm->LoadSample(vm["sample"].as<int64_t>()));
  fs::path out = Str(vm, "out");
  fs::path dir = out.has_parent_path() ? out.parent_path() : fs::path(".");
  std::error_code ec;
  fs::create_directories(dir, ec);
  MALCHIN_ASSIGN_OR_RETURN(pdm::WrittenForm w,
                           pdm::WritePdmForm(form, s, dir.string()));
  if (fs::path(w.xlsx_path) != out) {
    fs::rename(w.xlsx_path, out, ec);
    if (ec) {
      return Status::Internal("cannot move " + w.xlsx_path + " to " +
                              out.string() + ": " + ec.message());
    }
  }
  io.out << "form: " << out.string() << "\nrespondents: " << w.respondents_path
         << " (upload it to the KoBoToolbox form's media)\n";
  return Status::Ok();
}

Status IngestCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, LoadForm(vm));
  std::string path = Str(vm, "file");
  MALCHIN_ASSIGN_OR_RETURN(std::string data, csv::ReadFile(path));
  MALCHIN_ASSIGN_OR_RETURN(
      pdm::IngestResult r,
      o.pdm->Ingest(vm["sample"].as<int64_t>(), path, data, form, o.actor));
  for (const pdm::Problem& p : r.problems) io.err << p.Message() << "\n";
  io.out << "accepted " << r.accepted << ", rejected " << r.rejected
         << ", unchanged " << r.unchanged << ", repeated in the file "
         << r.skipped << " (" << r.problems.size() << " problem(s))\n";
  return Status::Ok();
}

Status WriteCsvs(const pdm::Report& r, const std::string& dir, pdm::Lang lang) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (auto [name, text] :
       {std::pair{"strata.csv", pdm::StrataCsv(r)},
        std::pair{"estimates.csv", pdm::EstimatesCsv(r)},
        std::pair{"follow_up.csv", pdm::FollowUpCsv(r, lang)}}) {
    std::string path = (fs::path(dir) / name).string();
    std::ofstream f(path, std::ios::binary);
    f << text;
    f.close();
    if (!f) return Status::Internal("cannot write " + path);
  }
  return Status::Ok();
}

// The findings' options: --confidence, else pdm.sample.confidence_level.
Result<pdm::FindingsOptions> ReportOptions(const po::variables_map& vm,
                                           const params::ParameterSet& params,
                                           Date today) {
  pdm::FindingsOptions opt;
  MALCHIN_ASSIGN_OR_RETURN(opt.confidence,
                           params.Value("pdm.sample.confidence_level", today));
  if (auto c = Confidence(vm)) opt.confidence = *c;
  return opt;
}

Status ReportCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, LoadForm(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  const Date today = o.db->session().clock().Today();
  MALCHIN_ASSIGN_OR_RETURN(
      int64_t tolerance,
      params->Money("pdm.crosscheck.shortfall_tolerance", today));
  MALCHIN_ASSIGN_OR_RETURN(pdm::FindingsOptions opt,
                           ReportOptions(vm, *params, today));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Lang lang,
                           pdm::ParseLang(Str(vm, "lang"), "--lang"));
  MALCHIN_ASSIGN_OR_RETURN(
      pdm::Report r,
      o.pdm->MakeReport(vm["sample"].as<int64_t>(), form, tolerance, opt));
  if (vm.count("csv")) {
    MALCHIN_RETURN_IF_ERROR(WriteCsvs(r, Str(vm, "csv"), lang));
  }
  const std::string format = vm.count("json") ? "json" : Str(vm, "format");
  if (format == "xlsx") {
    if (!vm.count("out")) {
      return Status::InvalidArgument(
          "--format xlsx: expected --out FILE.xlsx (файлын нэр)", "out");
    }
    MALCHIN_RETURN_IF_ERROR(pdm::WriteReportXlsx(r, lang, Str(vm, "out")));
    io.out << "report: " << Str(vm, "out") << "\n";
    return Status::Ok();
  }
  if (format != "text" && format != "json") {
    return Status::InvalidArgument(
        "--format '" + format + "': expected text, json or xlsx", "format");
  }
  io.out << (format == "json"
                 ? pdm::ReportJson(r, lang) + "\n"
                 : pdm::ReportText(r, vm.count("all-domains"), lang));
  return Status::Ok();
}

// Raises a follow-up case as a grievance, or shows the one raised before.
Status GrievanceCmd(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(Opened o, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(pdm::Form form, LoadForm(vm));
  MALCHIN_ASSIGN_OR_RETURN(auto params, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(int64_t tolerance,
                           params->Money("pdm.crosscheck.shortfall_tolerance",
                                         o.db->session().clock().Today()));
  MALCHIN_ASSIGN_OR_RETURN(const grievance::Context* ctx,
                           api::GrievanceContext());
  grievance::Service g(o.db->session(), *ctx);
  pdm::FollowUpGrievances cases(o.db->session(), g);
  MALCHIN_ASSIGN_OR_RETURN(pdm::RaisedGrievance r,
                           cases.Raise(vm["sample"].as<int64_t>(),
                                       Str(vm, "submission"), form, tolerance));
  if (!r.created) io.err << "already raised by " << r.link.raised_by << "\n";
  io.out << "grievance " << r.link.grievance_reference << " (id "
         << r.link.grievance_id << ")  submission " << r.link.submission_uuid
         << "  beneficiary " << r.link.beneficiary_id << "\n";
  return Status::Ok();
}

void UserOpt(po::options_description& d, bool required) {
  auto v = po::value<std::string>();
  if (required) v->required();
  d.add_options()("user", v,
                  "acting user (an account of this register; who draws a "
                  "sample may not approve it)");
}
void SampleOpt(po::options_description& d) {
  d.add_options()("sample", po::value<int64_t>()->required(), "sample id");
}
void ModuleOpt(po::options_description& d) {
  d.add_options()("module", po::value<std::vector<std::string>>(),
                  "an extension module (JSON, docs/pdm.md §2), repeatable");
}

}  // namespace

void AddPdmCommands(std::vector<Command>* c) {
  c->push_back(
      {"pdm sample", "draw the PDM sample of a paid payroll",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         d.add_options()("plan", po::value<std::string>()->required(),
                         "plan code")(
             "installment", po::value<int>()->required(), "installment")(
             "margin", po::value<double>(),
             "margin of error per stratum (default "
             "pdm.sample.margin_of_error)")(
             "confidence", po::value<double>(),
             "confidence level of the margin: 0.90, 0.95, 0.99 or 90, 95, "
             "99 (default pdm.sample.confidence_level)")(
             "response-rate", po::value<double>(), "expected response rate")(
             "deff", po::value<double>(), "design effect")(
             "min-per-stratum", po::value<int64_t>(),
             "interviews per stratum, at least")(
             "seed", po::value<uint64_t>(), "seed of the draw (default 0)");
       },
       SampleCmd,
       "Strata: soum x sex of the caregiver. Drawing again with the same "
       "options returns the stored sample."});
  c->push_back({"pdm approve",
                "approve (freeze) a PDM sample; not by who drew it",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, true);
                  SampleOpt(d);
                },
                ApproveCmd, ""});
  c->push_back(
      {"pdm form", "write the XLSForm and the respondent list of a sample",
       [](po::options_description& d) {
         DbOption(d);
         SampleOpt(d);
         ModuleOpt(d);
         d.add_options()("out", po::value<std::string>()->required(),
                         "the .xlsx to write (respondents.csv "
                         "beside it)");
       },
       FormCmd,
       "Upload both files to KoBoToolbox (the list as the form's media).\n"});
  c->push_back({"pdm ingest", "ingest a KoBoToolbox CSV or JSON export",
                [](po::options_description& d) {
                  DbOption(d);
                  UserOpt(d, false);
                  SampleOpt(d);
                  ModuleOpt(d);
                  d.add_options()(
                      "file", po::value<std::string>()->required(),
                      "the export (.csv either separator, or API .json)");
                },
                IngestCmd, "Re-ingesting the same export changes nothing."});
  c->push_back(
      {"pdm report", "weighted findings and the cross-check with the bank",
       [](po::options_description& d) {
         DbOption(d);
         SampleOpt(d);
         ModuleOpt(d);
         d.add_options()("json", "JSON instead of text")(
             "format", po::value<std::string>()->default_value("text"),
             "text, json or xlsx (xlsx needs --out)")(
             "out", po::value<std::string>(), "the .xlsx to write")(
             "confidence", po::value<double>(),
             "level of the intervals (default "
             "pdm.sample.confidence_level)")(
             "lang", po::value<std::string>()->default_value("en"),
             "language of headings and follow-up reasons: en or "
             "mn")("csv", po::value<std::string>(),
                   "also write strata.csv, estimates.csv, follow_up.csv "
                   "into this folder")("all-domains",
                                       "text: every domain, not only all");
       },
       ReportCmd, ""});
  c->push_back(
      {"pdm grievance", "raise a follow-up case of a PDM report as a grievance",
       [](po::options_description& d) {
         DbOption(d);
         UserOpt(d, true);
         SampleOpt(d);
         ModuleOpt(d);
         d.add_options()("submission", po::value<std::string>()->required(),
                         "the case's submission (_uuid of the export)");
       },
       GrievanceCmd,
       "Category payment_problem, recorded by --user in the respondent's "
       "soum; raising it again prints the same grievance."});
}

}  // namespace malchin::cli
