// Grievance redress over HTTP, end to end on loopback: intake on every
// channel that has a way in over HTTP, a complaint from intake to closure,
// a confidential complaint on every route for every role (indistinguishable
// from one that does not exist, except for its focal points), the accused
// officer, a fix through the registry's maker-checker, escalation as a job,
// the public web form with its tracking code, and the OpenAPI document.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/api.h"
#include "api/test_server.h"

namespace malchin::api {
namespace {

using nlohmann::json;

const std::vector<std::string> kEveryone = {"admin", "nat", "zav",   "ark",
                                            "tos",   "ikh", "ana",   "aud",
                                            "hot",   "fp",  "fp_ark"};

class GrievanceRoutesTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>(
        "malchin_grievance_api", TestServerOptions{.export_dir = false});
    const std::vector<std::string>& accounts = kEveryone;
    ASSERT_NO_FATAL_FAILURE(server_->Start(accounts, [](store::Session& s) {
      registry::Household h = TestHousehold("H1", 18140);
      h.herd.head[3] = 40;
      ASSERT_TRUE(s.Get<registry::Repository>()
                      .Upsert({h}, {TestHead("ИЗ85120320", "H1", "1985-12-03")},
                              {"seed", ""})
                      .ok());
    }));
    for (const auto& u : accounts) tokens_[u] = Login(u);
  }
  TestServer& Server() override { return *server_; }

  json Post(const std::string& who, const std::string& target, const json& body,
            int expect) {
    auto r = Call(tokens_[who], "POST", target,
                  body.is_null() ? std::string() : body.dump());
    EXPECT_EQ(r.status, expect) << who << " POST " << target << ": " << r.body;
    return r.body.empty() ? json() : json::parse(r.body, nullptr, false);
  }
  json Get(const std::string& who, const std::string& target, int expect) {
    auto r = Call(tokens_[who], "GET", target);
    EXPECT_EQ(r.status, expect) << who << " GET " << target << ": " << r.body;
    return json::parse(r.body, nullptr, false);
  }
  // A complaint recorded by `who`; its id (as the national officer, or the
  // focal point, finds it when the recorder may not see it).
  int64_t Record(const std::string& who, const json& body) {
    json got = Post(who, "/api/v1/grievances", body, 201);
    if (got.contains("id")) return got["id"];
    std::string ref = got["reference"];
    return std::stoll(ref.substr(ref.rfind('-') + 1));
  }
  static json Walkin(const std::string& category = "not_included") {
    return {{"category", category},
            {"soum_code", 18140},
            {"summary", "Миний хүүхдэд мөнгө ороогүй."},
            {"complainant",
             {{"name", "Бат Сараа"},
              {"register_no", "ИЗ85120320"},
              {"contact", "letter"}}}};
  }

  // Every route on one complaint (`c`: its path), with a body that would
  // change it if the caller could reach it.
  struct Route {
    const char* method;
    std::string path;
    json body;
    Headers headers = {};
  };
  static std::vector<Route> CaseRoutes(const std::string& c) {
    return std::vector<Route>{
        {"GET", c, nullptr},
        {"POST", c + "/actions", {{"action", "acknowledge"}}},
        {"POST", c + "/assign", {{"assigned_to", "fp"}}},
        {"POST", c + "/category", {{"category", "other"}}},
        {"POST", c + "/confidential", {{"reason", "x"}}},
        {"POST", c + "/accused", {{"accused_officer", "ikh"}}},
        {"POST", c + "/notes", {{"text", "x"}}},
        {"POST",
         c + "/attachments?name=note.txt",
         "x",
         {{"Content-Type", "text/plain"}}},
        {"POST", c + "/consents", {{"given", true}, {"how", "verbal"}}},
        {"POST", c + "/referrals", {{"service", "police_102"}}},
        {"POST",
         c + "/fixes",
         {{"kind", "payment_hold"},
          {"note", "x"},
          {"payment_reference", "P1"}}},
        {"GET", c + "/attachments/1", nullptr},
        {"GET", c + "/notices/1/letter", nullptr},
        {"POST", c + "/notices/1/printed", json::object()}};
  }
  http::Response CallRoute(const std::string& who, const Route& r) {
    std::string body = r.body.is_null() ? "" : r.body.dump();
    return Call(tokens_[who], r.method, r.path, body, r.headers);
  }
  // `who` reaches complaint `id` (reference `ref`) on no route: every one
  // answers 404, exactly as for a complaint that does not exist, and it is
  // absent from their list and their export; `text` (from its summary)
  // never shows.
  void ExpectOutOfReach(const std::string& who, int64_t id,
                        const std::string& ref, const std::string& text) {
    auto mine = CaseRoutes("/api/v1/grievances/" + std::to_string(id));
    auto none = CaseRoutes("/api/v1/grievances/999999");
    for (size_t i = 0; i < mine.size(); ++i) {
      auto a = CallRoute(who, mine[i]);
      auto b = CallRoute(who, none[i]);
      EXPECT_EQ(a.status, 404) << mine[i].method << " " << mine[i].path;
      EXPECT_EQ(a.status, b.status) << mine[i].method << " " << mine[i].path;
      EXPECT_EQ(a.body.find(text), std::string::npos);
    }
    json list = Get(who, "/api/v1/grievances", 200);
    for (const auto& c : list["items"]) EXPECT_NE(c["id"], id);
    auto csv = Call(tokens_[who], "GET", "/api/v1/grievances/export");
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.body.find(ref), std::string::npos);
    EXPECT_EQ(csv.body.find("staff_conduct"), std::string::npos);
  }

  std::unique_ptr<TestServer> server_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(GrievanceRoutesTest, IntakeOnEveryChannelWithAWayInOverHttp) {
  json office = Post("tos", "/api/v1/grievances", Walkin(), 201);
  EXPECT_TRUE(office["visible"]);
  EXPECT_TRUE(office.contains("id"));
  json call = Walkin("payment_problem");
  json hotline = Post("hot", "/api/v1/grievances", call, 201);
  EXPECT_FALSE(hotline["visible"]);  // The operator reads nothing back.
  EXPECT_FALSE(hotline.contains("id"));
  EXPECT_EQ(Get("hot", "/api/v1/grievances", 403)["error"]["code"],
            "PERMISSION_DENIED");
  // The same Idempotency-Key twice records one complaint.
  Headers key = {{"Idempotency-Key", "k-1"}};
  auto a =
      Call(tokens_["tos"], "POST", "/api/v1/grievances", Walkin().dump(), key);
  auto b =
      Call(tokens_["tos"], "POST", "/api/v1/grievances", Walkin().dump(), key);
  EXPECT_EQ(a.status, 201);
  EXPECT_EQ(b.status, 200);
  // Paper forms or KoBo, all or nothing.
  auto bad =
      Call(tokens_["zav"], "POST", "/api/v1/grievances/import?name=forms.csv",
           "category,soum_code,summary\nnot_included,99999,x\n");
  EXPECT_EQ(bad.status, 200);
  EXPECT_EQ(json::parse(bad.body)["problems"].size(), 1u);
  EXPECT_EQ(json::parse(bad.body)["imported"], 0);
  auto good =
      Call(tokens_["zav"], "POST", "/api/v1/grievances/import?name=forms.csv",
           "_uuid;form/category;form/soum_code;form/summary\n"
           "u1;feedback;18125;Баярлалаа\n");
  EXPECT_EQ(json::parse(good.body)["imported"], 1);
  // The web form, without an account.
  json web = {{"category", "staff_conduct"},
              {"soum_code", 18125},
              {"summary", "Ажилтан мөнгө нэхсэн."},
              {"complainant", {{"anonymous", true}}}};
  auto w = Call("", "POST", "/api/v1/public/grievances", web.dump());
  ASSERT_EQ(w.status, 201) << w.body;
  json receipt = json::parse(w.body);
  std::string code = receipt["tracking_code"];
  auto t = Call("", "GET",
                "/api/v1/public/grievances/" +
                    receipt["reference"].get<std::string>() + "?code=" + code);
  ASSERT_EQ(t.status, 200) << t.body;
  EXPECT_EQ(json::parse(t.body)["state"], "received");
  EXPECT_EQ(
      Call("", "GET",
           "/api/v1/public/grievances/" +
               receipt["reference"].get<std::string>() + "?code=NOTTHECODE")
          .status,
      404);
  // A wrong channel for an officer's intake is refused by name.
  json sms = Walkin();
  sms["channel"] = "sms";
  EXPECT_EQ(Post("tos", "/api/v1/grievances", sms, 400)["error"]["field"],
            "channel");
  json list = Get("nat", "/api/v1/grievances", 200);
  EXPECT_EQ(list["total"], 5);
}

TEST_F(GrievanceRoutesTest, FromIntakeToClosure) {
  int64_t id = Record("tos", Walkin());
  const std::string base = "/api/v1/grievances/" + std::to_string(id);
  json c = Post("tos", base + "/actions", {{"action", "acknowledge"}}, 200);
  EXPECT_EQ(c["state"], "acknowledged");
  // The version read is checked.
  Post("tos", base + "/actions", {{"action", "start_review"}, {"version", 1}},
       412);
  Post("tos", base + "/actions",
       {{"action", "start_review"}, {"version", c["version"]}}, 200);
  Post("tos", base + "/notes", {{"text", "Called the bank."}}, 200);
  auto att = Call(tokens_["tos"], "POST", base + "/attachments?name=form.pdf",
                  std::string("%PDF-1.4\n\0binary", 17),
                  {{"Content-Type", "application/pdf"}});
  ASSERT_EQ(att.status, 201) << att.body;
  int64_t aid = json::parse(att.body)["id"];
  auto file =
      Call(tokens_["tos"], "GET", base + "/attachments/" + std::to_string(aid));
  EXPECT_EQ(file.body, std::string("%PDF-1.4\n\0binary", 17));
  Post("tos", base + "/actions", {{"action", "resolve"}}, 400);  // No text.
  Post("tos", base + "/actions",
       {{"action", "resolve"}, {"text", "Дараагийн сард олгоно."}}, 200);
  json view = Get("tos", base, 200);
  ASSERT_EQ(view["notices"].size(), 2u);
  int64_t letter = view["notices"][1]["id"];
  auto page = Call(tokens_["tos"], "GET",
                   base + "/notices/" + std::to_string(letter) + "/letter");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Шийдвэрлэсэн"), std::string::npos);
  EXPECT_NE(page.body.find("<pre"), std::string::npos);
  Post("tos", base + "/actions", {{"action", "close"}}, 409);
  Post("tos", base + "/notices/" + std::to_string(letter) + "/printed", {},
       200);
  json closed = Post("tos", base + "/actions", {{"action", "close"}}, 200);
  EXPECT_EQ(closed["state"], "closed");
  view = Get("tos", base, 200);
  std::vector<std::string> kinds;
  for (const auto& e : view["events"]) kinds.push_back(e["kind"]);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "transition"), 4);
  // Every transition is in the audit trail, for the auditor.
  json trail = Get("aud", "/api/v1/audit?limit=1000", 200);
  int moves = 0;
  for (const auto& e : trail["items"]) {
    std::string a = e["action"];
    moves += a == "grievance.acknowledge" || a == "grievance.start_review" ||
             a == "grievance.resolve" || a == "grievance.close";
  }
  EXPECT_EQ(moves, 4);
}

TEST_F(GrievanceRoutesTest, AConfidentialCaseOnEveryRouteForEveryRole) {
  json gbv = Walkin("gbv_disclosure");
  gbv["summary"] = "Нөхөр маань намайг зоддог.";
  json got = Post("tos", "/api/v1/grievances", gbv, 201);
  EXPECT_FALSE(got["visible"]);
  EXPECT_FALSE(got.contains("id"));
  std::string ref = got["reference"];
  int64_t id = std::stoll(ref.substr(ref.rfind('-') + 1));
  Record("tos", Walkin());  // An ordinary one beside it.
  const std::string secret = "/api/v1/grievances/" + std::to_string(id);
  const std::string nothing = "/api/v1/grievances/999999";
  for (const std::string& who : kEveryone) {
    if (who == "fp") continue;
    SCOPED_TRACE(who);
    auto mine = CaseRoutes(secret), none = CaseRoutes(nothing);
    for (size_t i = 0; i < mine.size(); ++i) {
      // Exactly what a complaint that does not exist answers.
      auto a = CallRoute(who, mine[i]);
      auto b = CallRoute(who, none[i]);
      EXPECT_EQ(a.status, b.status) << mine[i].method << " " << mine[i].path;
      EXPECT_TRUE(a.status == 404 || a.status == 403) << a.status;
      EXPECT_EQ(a.body.find("Нөхөр"), std::string::npos);
    }
    // Absent from lists, masked in counts and exports.
    auto list = Call(tokens_[who], "GET", "/api/v1/grievances");
    if (list.status == 200) {
      const json items = json::parse(list.body)["items"];
      for (const auto& c : items) {
        EXPECT_NE(c["id"], id);
      }
    }
    auto stats =
        Call(tokens_[who], "GET", "/api/v1/grievances/stats?by=category");
    if (stats.status == 200) {
      const json rows = json::parse(stats.body)["rows"];
      for (const auto& row : rows) {
        EXPECT_NE(row["category"], "gbv_disclosure");
      }
    }
    auto csv = Call(tokens_[who], "GET", "/api/v1/grievances/export");
    EXPECT_EQ(csv.body.find(ref), std::string::npos);
    EXPECT_EQ(csv.body.find("gbv_disclosure"), std::string::npos);
  }
  // The focal point of the aimag sees and works on it; its read is audited.
  json view = Get("fp", secret, 200);
  EXPECT_EQ(view["summary"], "Нөхөр маань намайг зоддог.");
  Post("fp", secret + "/actions", {{"action", "acknowledge"}}, 200);
  bool listed = false;
  json theirs = Get("fp", "/api/v1/grievances", 200);
  for (const auto& c : theirs["items"]) listed = listed || c["id"] == id;
  EXPECT_TRUE(listed);
  auto csv = Call(tokens_["fp"], "GET", "/api/v1/grievances/export");
  EXPECT_NE(csv.body.find(ref), std::string::npos);
  // The auditor sees that it was handled, never which case or what.
  json trail = Get("aud", "/api/v1/audit?limit=1000", 200);
  int masked = 0, reads = 0;
  for (const auto& e : trail["items"]) {
    if (e["entity_type"] != "grievance") continue;
    EXPECT_NE(e["entity_id"], std::to_string(id));
    if (e["entity_id"] == "confidential") {
      ++masked;
      EXPECT_TRUE(e["after"].is_null());
      reads += e["action"] == "grievance.read";
    }
  }
  EXPECT_GE(masked, 3);
  EXPECT_GE(reads, 1);
  // The counts of the soum officer hold it without detail.
  json stats = Get("tos", "/api/v1/grievances/stats", 200);
  EXPECT_EQ(stats["total"]["cases"], 2);
  EXPECT_EQ(stats["total"]["masked"], 1);
}

TEST_F(GrievanceRoutesTest, TheAccusedOfficerNeverReachesTheCase) {
  json conduct = Walkin("staff_conduct");
  conduct["subject"] = {{"kind", "officer"}, {"ref", "tos"}};
  int64_t id = Record("zav", conduct);
  const std::string path = "/api/v1/grievances/" + std::to_string(id);
  ExpectOutOfReach("tos", id,
                   Get("zav", path, 200)["reference"].get<std::string>(),
                   "Миний хүүхдэд");
  // The aimag officer handles it, and may not give it to tos.
  Get("zav", path, 200);
  Post("zav", path + "/assign", {{"assigned_to", "tos"}}, 409);
  // Nobody records a complaint about themself.
  Post("tos", "/api/v1/grievances", conduct, 403);
}

TEST_F(GrievanceRoutesTest, AWebComplaintNamedLaterHidesItFromTheAccused) {
  // The public form cannot name an officer's account.
  json web = {{"category", "staff_conduct"},
              {"soum_code", 18140},
              {"summary", "Сумын ажилтан хээл хахууль нэхсэн."},
              {"complainant", {{"anonymous", true}}}};
  auto w = Call("", "POST", "/api/v1/public/grievances", web.dump());
  ASSERT_EQ(w.status, 201) << w.body;
  std::string ref = json::parse(w.body)["reference"];
  int64_t id = std::stoll(ref.substr(ref.rfind('-') + 1));
  const std::string path = "/api/v1/grievances/" + std::to_string(id);
  Get("tos", path, 200);  // Not yet named: the soum sees it.
  // A soum officer may not name (they may be the colleague); nor an unknown
  // account; the aimag officer does, once.
  Post("tos", path + "/accused", {{"accused_officer", "ikh"}}, 403);
  Post("zav", path + "/accused", {{"accused_officer", "nobody"}}, 400);
  json named =
      Post("zav", path + "/accused", {{"accused_officer", "tos"}}, 200);
  EXPECT_EQ(named["id"], id);
  Post("zav", path + "/accused", {{"accused_officer", "ikh"}}, 409);
  EXPECT_EQ(Get("zav", path, 200)["accused_officer"], "tos");
  // From now on tos reaches it on no route, exactly as if it did not exist.
  ExpectOutOfReach("tos", id, ref, "хээл");
  // The others of the area still see it.
  EXPECT_NE(
      Call(tokens_["zav"], "GET", "/api/v1/grievances/export").body.find(ref),
      std::string::npos);
}

TEST_F(GrievanceRoutesTest, ARegisterFixGoesThroughTheRegistrysMakerChecker) {
  int64_t id = Record("tos", Walkin("data_correction"));
  const std::string path = "/api/v1/grievances/" + std::to_string(id);
  json fix =
      Post("tos", path + "/fixes",
           {{"kind", "register_correction"},
            {"note", "40 sheep, not 140"},
            {"household_id", "H1"},
            {"changes", {{{"field", "sheep"}, {"from", "40"}, {"to", "140"}}}}},
           201);
  EXPECT_EQ(fix["state"], "pending");
  EXPECT_EQ(fix["capability"], "registry");
  std::string proposal = std::to_string(fix["external_id"].get<int64_t>());
  json pending = Get("zav", "/api/v1/register/corrections?state=pending", 200);
  ASSERT_EQ(pending["items"].size(), 1u);
  // The maker may not approve; the analyst may not; another officer may.
  Post("tos", "/api/v1/register/corrections/" + proposal + "/approve", {}, 403);
  Post("ana", "/api/v1/register/corrections/" + proposal + "/approve", {}, 403);
  json done =
      Post("zav", "/api/v1/register/corrections/" + proposal + "/approve",
           {{"note", "checked"}}, 200);
  EXPECT_EQ(done["state"], "applied");
  json hh = Get("tos", "/api/v1/households/H1", 200);
  EXPECT_EQ(hh["household"]["sheep"], 140);
  EXPECT_EQ(Get("tos", path, 200)["fixes"][0]["state"], "applied");
}

TEST_F(GrievanceRoutesTest, EscalationRunsAsAJob) {
  json late = Walkin();
  late["received_on"] =
      Date::TodayUtc().AddDays(-10).ToString();  // Past its acknowledgement.
  int64_t id = Record("tos", late);
  Post("tos", "/api/v1/grievances/escalations", {}, 403);
  json job = Post("nat", "/api/v1/grievances/escalations", {}, 202);
  json result = WaitJob(tokens_["nat"], job["job_id"]);
  ASSERT_EQ(result["state"], "done") << result.dump();
  json report = result["result"];
  EXPECT_EQ(report["escalated"], 1);
  EXPECT_EQ(
      Get("tos", "/api/v1/grievances/" + std::to_string(id), 200)["level"],
      "aimag");
}

TEST_F(GrievanceRoutesTest, CatalogueAndOpenApi) {
  json cats = Get("ana", "/api/v1/grievances/categories", 200);
  EXPECT_GE(cats["items"].size(), 11u);
  auto pub = Call("", "GET", "/api/v1/public/grievance-categories");
  EXPECT_EQ(pub.status, 200);
  const std::string file =
      R"({"categories": {"drought": {"name": {"mn": "Ган", "en": "Drought"}}}})";
  EXPECT_EQ(
      Call(tokens_["zav"], "PUT", "/api/v1/grievances/categories", file).status,
      403);
  EXPECT_EQ(
      Call(tokens_["nat"], "PUT", "/api/v1/grievances/categories", file).status,
      200);
  bool drought = false;
  json all = Get("tos", "/api/v1/grievances/categories", 200);
  for (const auto& c : all["items"])
    drought = drought || c["code"] == "drought";
  EXPECT_TRUE(drought) << all.dump();
  json dir = Get("fp", "/api/v1/grievances/directory?soum=18140", 200);
  bool ossc = false;
  for (const auto& s : dir["items"]) ossc = ossc || s["code"] == "ossc_zavkhan";
  EXPECT_TRUE(ossc);
  auto spec = Call("", "GET", "/api/openapi.json");
  json doc = json::parse(spec.body);
  for (const char* p : {"/api/v1/grievances", "/api/v1/grievances/{id}/actions",
                        "/api/v1/grievances/stats", "/api/v1/public/grievances",
                        "/api/v1/register/corrections/{id}/approve"}) {
    EXPECT_TRUE(doc["paths"].contains(p)) << p;
  }
}

TEST_F(GrievanceRoutesTest, ThePublicFormIsLimitedPerAddress) {
  json web = {{"category", "feedback"},
              {"soum_code", 18140},
              {"summary", "Баярлалаа"},
              {"complainant", {{"anonymous", true}}}};
  int accepted = 0, refused = 0;
  for (int i = 0; i < 12; ++i) {
    auto r = Call("", "POST", "/api/v1/public/grievances", web.dump());
    accepted += r.status == 201;
    if (r.status == 429) {
      ++refused;
      EXPECT_FALSE(r.GetHeader("Retry-After").empty());
    }
  }
  EXPECT_EQ(accepted, 10);
  EXPECT_EQ(refused, 2);
}

}  // namespace
}  // namespace malchin::api
