// `malchin channel template list|show|set|reset`: the ministry's wording of
// the SMS templates (docs/channel.md, "Editing the templates"). `set`
// checks the text against the template's parameters and the SMS length
// before it is kept; every edit is kept with who and why, and audited.
#include <nlohmann/json.hpp>

#include "channel/template_texts.h"
#include "cli/command.h"
#include "csv/csv.h"
#include "params/parameters.h"

namespace malchin::cli {
namespace {

using nlohmann::json;

struct TemplateDb {
  std::unique_ptr<CliDb> db;
  std::shared_ptr<const channel::TemplateCatalogue> shipped, in_force;
  store::Session& session() { return db->session(); }
};

Result<TemplateDb> Open(const po::variables_map& vm) {
  TemplateDb d;
  MALCHIN_ASSIGN_OR_RETURN(d.db, OpenStore(vm, false));
  if (vm.count("user")) {
    MALCHIN_RETURN_IF_ERROR(ActAs(*d.db, vm["user"].as<std::string>()));
  }
  MALCHIN_ASSIGN_OR_RETURN(d.shipped, channel::TemplateCatalogue::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(d.in_force,
                           channel::CatalogueInForce(d.session(), d.shipped));
  return d;
}

Status List(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(TemplateDb d, Open(vm));
  json j = json::parse(channel::TemplatesToJson(*d.shipped, *d.in_force));
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  for (const auto& t : j["items"]) {
    const bool edited = t["texts"]["mn"]["edited"].get<bool>() ||
                        t["texts"]["en"]["edited"].get<bool>();
    io.out << t["id"].get<std::string>() << (edited ? "\t(edited)\t" : "\t\t")
           << t["texts"]["mn"]["text"].get<std::string>() << "\n";
  }
  return Status::Ok();
}

Status Show(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(TemplateDb d, Open(vm));
  const std::string id = vm["id"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(auto history,
                           channel::TemplateHistory(d.session(), id));
  json j = json::parse(
      channel::TemplateToJson(*d.shipped, *d.in_force, id, history));
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << id << ": " << j["description"].get<std::string>() << "\n";
  for (const char* l : {"mn", "en"}) {
    io.out << l << (j["texts"][l]["edited"].get<bool>() ? " (edited)" : "")
           << ": " << j["texts"][l]["text"].get<std::string>() << "\n";
  }
  for (const auto& p : j["parameters"]) {
    io.out << "  {" << p["name"].get<std::string>() << "} "
           << p["description"].get<std::string>() << " (at most "
           << p["max_length"] << ")\n";
  }
  for (const auto& e : j["history"]) {
    io.out << e["edited_at"].get<std::string>() << "\t"
           << e["edited_by"].get<std::string>() << "\t"
           << e["language"].get<std::string>() << "\t"
           << (e["reset"].get<bool>() ? "(back to the shipped text)"
                                      : e["text"].get<std::string>())
           << "\n";
  }
  return Status::Ok();
}

// The new text: --text, or the whole of --file (UTF-8, one trailing line
// break dropped).
Result<std::string> NewText(const po::variables_map& vm) {
  if (vm.count("text") == vm.count("file")) {
    return Status::InvalidArgument(
        "--text эсвэл --file-ын аль нэгийг өгнө үү / give either --text or "
        "--file",
        "text");
  }
  if (vm.count("text")) return vm["text"].as<std::string>();
  MALCHIN_ASSIGN_OR_RETURN(std::string text,
                           csv::ReadFile(vm["file"].as<std::string>()));
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

Status Set(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(std::string text, NewText(vm));
  MALCHIN_ASSIGN_OR_RETURN(TemplateDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto language, channel::ParseLanguage(vm["lang"].as<std::string>()));
  MALCHIN_ASSIGN_OR_RETURN(auto parameters, params::ParameterSet::Embedded());
  MALCHIN_ASSIGN_OR_RETURN(
      channel::TextCheck check,
      channel::EditTemplateText(
          d.session(), *parameters, d.session().clock().Today(),
          vm["id"].as<std::string>(), language, text,
          vm.count("note") ? vm["note"].as<std::string>() : ""));
  json j = json::parse(channel::ToJson(check));
  if (vm.count("json")) {
    io.out << j.dump(2) << "\n";
    return Status::Ok();
  }
  io.out << "kept; with its samples: " << j["sample"]["text"].get<std::string>()
         << "\n"
         << "segments " << j["sample"]["segments"] << " ("
         << j["sample"]["coding"].get<std::string>() << "), cost "
         << j["sample"]["cost"] << " MNT; at its longest "
         << j["longest"]["segments"] << " of at most "
         << j["longest"]["max_segments"] << "\n";
  return Status::Ok();
}

Status Reset(const po::variables_map& vm, Io& io) {
  MALCHIN_ASSIGN_OR_RETURN(TemplateDb d, Open(vm));
  MALCHIN_ASSIGN_OR_RETURN(
      auto language, channel::ParseLanguage(vm["lang"].as<std::string>()));
  MALCHIN_RETURN_IF_ERROR(channel::ResetTemplateText(
      d.session(), vm["id"].as<std::string>(), language,
      vm.count("note") ? vm["note"].as<std::string>() : ""));
  io.out << "back to the shipped text\n";
  return Status::Ok();
}

void Common(po::options_description& d, bool id) {
  DbOption(d);
  d.add_options()("user", po::value<std::string>(),
                  "act as this account (the editor recorded)")("json",
                                                               "print JSON");
  if (id) {
    d.add_options()("id", po::value<std::string>()->required(),
                    "template id, e.g. payment.sent");
  }
}

void EditOptions(po::options_description& d) {
  Common(d, true);
  d.add_options()("lang", po::value<std::string>()->required(), "mn or en")(
      "note", po::value<std::string>(), "why (kept in the history)");
}

}  // namespace

void AddTemplateCommands(std::vector<Command>* commands) {
  commands->push_back(
      {"channel template list", "the SMS templates and their wording in force",
       [](po::options_description& d) { Common(d, false); }, List, ""});
  commands->push_back(
      {"channel template show",
       "one template: parameters, texts in force and shipped, every edit",
       [](po::options_description& d) { Common(d, true); }, Show, ""});
  commands->push_back(
      {"channel template set", "replace a template's text in one language",
       [](po::options_description& d) {
         EditOptions(d);
         d.add_options()("text", po::value<std::string>(), "the new text")(
             "file", po::value<std::string>(), "read the new text from a file");
       },
       Set,
       "\nThe text must use every {parameter} of the template and no other "
       "({{ and }} for\nbraces) and fit sms.max_segments with its longest "
       "values.\n"});
  commands->push_back({"channel template reset",
                       "go back to the shipped text in one language",
                       EditOptions, Reset, ""});
}

}  // namespace malchin::cli
