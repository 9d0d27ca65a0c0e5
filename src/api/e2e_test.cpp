// End-to-end: the real server on loopback (ephemeral port) against a real
// SQLite store, driven over HTTP.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <set>

#include "api/api.h"
#include "api/test_server.h"
#include "backends/testing/test_database.h"
#include "net/client.h"

namespace malchin::api {
namespace {

using nlohmann::json;

registry::Household Hh(const char* id, int32_t soum) {
  registry::Household h = TestHousehold(id, soum);
  h.herd.head[3] = 50;
  return h;
}

registry::Person P(const char* rn, const char* hh, const char* born,
                   const char* given) {
  registry::Person p = TestHead(rn, hh, born);
  p.given_name = given;
  p.phone = "99112233";
  p.bank_account = "5000123456";
  return p;
}

class EndToEndTest : public TestServerFixture {
 protected:
  void SetUp() override {
    server_ = std::make_unique<TestServer>("malchin_e2e",
                                           TestServerOptions{.job_tries = 500});
    ASSERT_NO_FATAL_FAILURE(server_->Start(
        {"admin", "nat", "zav", "tos", "ana", "aud"},
        [](store::Session& session) {
          auto& store = session.Get<registry::Repository>();
          // Tosontsengel and Ikh-Uul (Zavkhan, 181) and a UB district.
          ASSERT_TRUE(
              store
                  .Upsert({Hh("T1", 18140), Hh("I1", 18125), Hh("U1", 51101)},
                          {P("ИЗ85120320", "T1", "1985-12-03", "Сараа"),
                           P("ИЗ85120420", "I1", "1985-12-04", "Оюун"),
                           P("УБ85120520", "U1", "1985-12-05", "Туяа")},
                          {"seed", ""})
                  .ok());
        }));
  }

  TestServer& Server() override { return *server_; }

  std::unique_ptr<TestServer> server_;
};

TEST_F(EndToEndTest, LoginCookieAndLogout) {
  auto c = NewClient();
  auto bad = c.Send("POST", "/api/v1/session",
                    R"({"username":"tos","password":"wrong-password"})");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(json::parse(bad->body)["error"]["code"], "UNAUTHENTICATED");
  auto ok = c.Send("POST", "/api/v1/session",
                   R"({"username":"tos","password":"tos-password"})");
  ASSERT_EQ(ok->status, 201);
  std::string cookie(ok->GetHeader("Set-Cookie"));
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  std::string token = json::parse(ok->body)["token"];
  EXPECT_EQ(token.size(), 64u);
  // The web front end's cookie works like the Bearer token.
  auto me =
      c.Send("GET", "/api/v1/session", "",
             {{"Cookie", "theme=dark; " + cookie.substr(0, cookie.find(';'))}});
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(json::parse(me->body)["role"], "soum_officer");
  EXPECT_EQ(Call(token, "DELETE", "/api/v1/session").status, 204);
  EXPECT_EQ(Call(token, "GET", "/api/v1/session").status, 401);
  EXPECT_EQ(NewClient().Send("GET", "/api/v1/households")->status, 401);
}

TEST_F(EndToEndTest, SoumOfficerSeesOnlyTheirSoumOnEveryPath) {
  std::string t = Login("tos");
  EXPECT_EQ(Call(t, "GET", "/api/v1/households/T1").status, 200);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households/I1").status, 404);
  EXPECT_EQ(Call(t, "GET", "/api/v1/persons/ИЗ85120320").status, 200);
  EXPECT_EQ(Call(t, "GET", "/api/v1/persons/ИЗ85120420").status, 404);
  json list = json::parse(Call(t, "GET", "/api/v1/households").body);
  EXPECT_EQ(list["total"], 1);
  list = json::parse(Call(t, "GET", "/api/v1/households?soum=18125").body);
  EXPECT_EQ(list["total"], 0);
  list = json::parse(
      Call(t, "GET", "/api/v1/persons?q=%D0%98%D0%9785120420").body);
  EXPECT_EQ(list["total"], 0);
  json stats = json::parse(Call(t, "GET", "/api/v1/stats").body);
  EXPECT_EQ(stats["areas"][0]["households"], 1);
  EXPECT_EQ(Call(t, "POST", "/api/v1/households/I1/deactivate",
                 R"({"reason":"moved"})")
                .status,
            404);
  // Export contains only the soum's rows.
  auto exp = Call(t, "POST", "/api/v1/exports");
  ASSERT_EQ(exp.status, 202);
  json job = WaitJob(t, json::parse(exp.body)["job_id"]);
  ASSERT_EQ(job["state"], "done") << job.dump();
  EXPECT_EQ(job["result"]["households"], 1);
  auto file = Call(t, "GET", job["result"]["files"][1].get<std::string>());
  EXPECT_EQ(file.status, 200);
  EXPECT_NE(file.body.find("ИЗ85120320"), std::string::npos);
  EXPECT_EQ(file.body.find("ИЗ85120420"), std::string::npos);
  EXPECT_EQ(file.body.find("УБ85120520"), std::string::npos);
  // Another user cannot read the job.
  EXPECT_EQ(
      Call(Login("nat"), "GET",
           "/api/v1/jobs/" + json::parse(exp.body)["job_id"].get<std::string>())
          .status,
      404);
  // Import into another soum is refused whole.
  json body = {{"households_csv",
                "household_id,soum_code,bag,current_soum_code,herder,camels,"
                "horses,cattle,sheep,goats,cooperative,phone,lat,lon\n"
                "X1,18125,,18125,1,0,0,0,10,0,,,,\n"},
               {"persons_csv",
                "register_no,household_id,family_name,father_name,given_name,"
                "sex,birth_date,relation,disability,herder,phone,"
                "bank_account\n"}};
  auto imp = Call(t, "POST", "/api/v1/imports", body.dump());
  ASSERT_EQ(imp.status, 202);
  job = WaitJob(t, json::parse(imp.body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_EQ(job["error"]["code"], "PERMISSION_DENIED");
  // It says the number cannot be used, never where it is registered.
  EXPECT_EQ(job["error"]["message"].get<std::string>().find("18125"),
            std::string::npos)
      << job.dump();
  EXPECT_EQ(Call(Login("nat"), "GET", "/api/v1/households/X1").status, 404);
  // A file with bad rows is refused: the job fails, and its result is the
  // report naming every problem (it does not end "done" with written:false).
  body["households_csv"] =
      "household_id,soum_code,bag,current_soum_code,herder,camels,horses,"
      "cattle,sheep,goats,cooperative,phone,lat,lon\n"
      "T9,18140,,18140,1,0,0,0,-5,0,,,,\n";
  imp = Call(t, "POST", "/api/v1/imports", body.dump());
  ASSERT_EQ(imp.status, 202);
  job = WaitJob(t, json::parse(imp.body)["job_id"]);
  EXPECT_EQ(job["state"], "failed");
  EXPECT_EQ(job["error"]["code"], "INVALID_ARGUMENT");
  EXPECT_EQ(job["result"]["written"], false) << job.dump();
  EXPECT_FALSE(job["result"]["errors"].empty()) << job.dump();
}

TEST_F(EndToEndTest, ExportsAndDownloadsAreAuditedAndRecheckedPrivate) {
  std::string t = Login("tos");
  auto exp = Call(t, "POST", "/api/v1/exports");
  ASSERT_EQ(exp.status, 202);
  std::string id = json::parse(exp.body)["job_id"];
  json job = WaitJob(t, id);
  ASSERT_EQ(job["state"], "done") << job.dump();
  auto file = Call(t, "GET", job["result"]["files"][1].get<std::string>());
  ASSERT_EQ(file.status, 200);
  // One entry for the export and one for the download, each naming the
  // file, the count and the area: not a row per person.
  std::string aud = Login("aud");
  json trail = json::parse(Call(aud, "GET", "/api/v1/audit?actor=tos").body);
  int exports = 0, downloads = 0;
  for (const auto& e : trail["items"]) {
    if (e["action"] == "register.export") {
      ++exports;
      EXPECT_NE(e["after"].dump().find("\"persons\":1"), std::string::npos)
          << e.dump();
      EXPECT_NE(e["after"].dump().find("soum 18140"), std::string::npos);
    }
    if (e["action"] == "file.download") {
      ++downloads;
      EXPECT_NE(e["entity_id"].get<std::string>().find("persons.csv"),
                std::string::npos);
    }
  }
  EXPECT_EQ(exports, 1);
  EXPECT_EQ(downloads, 1);
  // The auditor sees who read what, but not the person's data itself.
  json about = json::parse(
      Call(aud, "GET", "/api/v1/audit?register_no=%D0%98%D0%9785120320").body);
  bool created = false;
  for (const auto& e : about["items"]) {
    if (e["action"] != "person.create") continue;
    created = true;
    EXPECT_EQ(e["after"]["given_name"], "***") << e.dump();
    EXPECT_EQ(e["after"]["register_no"], "ИЗ85120320");
  }
  EXPECT_TRUE(created) << about.dump();
  json reads =
      json::parse(Call(aud, "GET", "/api/v1/audit?actor=aud").body)["items"];
  ASSERT_FALSE(reads.empty());
  EXPECT_EQ(reads.back()["action"], "audit.read");
  // The files are the server user's only.
  auto dir = Server().dir() / "exports" / id;
  struct stat st {};
  ASSERT_EQ(::stat((dir / "persons.csv").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // The officer becomes an analyst: the same file is no longer theirs.
  auto demoted = Call(Login("admin"), "PATCH", "/api/v1/users/tos",
                      R"({"role":"analyst","area_code":0})");
  ASSERT_EQ(demoted.status, 200) << demoted.body;
  std::string t2 = Login("tos");
  EXPECT_EQ(
      Call(t2, "GET", job["result"]["files"][1].get<std::string>()).status,
      403);
}

TEST_F(EndToEndTest, EachRoleGetsWhatThePolicyAllows) {
  std::string zav = Login("zav"), nat = Login("nat"), ana = Login("ana"),
              aud = Login("aud"), adm = Login("admin");
  EXPECT_EQ(json::parse(Call(zav, "GET", "/api/v1/households").body)["total"],
            2);
  EXPECT_EQ(Call(zav, "GET", "/api/v1/households/U1").status, 404);
  EXPECT_EQ(json::parse(Call(nat, "GET", "/api/v1/households").body)["total"],
            3);
  // Analysts: aggregates only, never personal data.
  EXPECT_EQ(Call(ana, "GET", "/api/v1/households").status, 403);
  EXPECT_EQ(Call(ana, "GET", "/api/v1/persons/ИЗ85120320").status, 403);
  auto stats = Call(ana, "GET", "/api/v1/stats?by=aimag");
  EXPECT_EQ(stats.status, 200);
  for (const char* secret : {"ИЗ85120320", "Сараа", "99112233", "5000123456"}) {
    EXPECT_EQ(stats.body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(Call(aud, "GET", "/api/v1/audit").status, 200);
  EXPECT_EQ(Call(aud, "GET", "/api/v1/households").status, 403);
  EXPECT_EQ(Call(nat, "GET", "/api/v1/audit").status, 403);
  EXPECT_EQ(Call(adm, "GET", "/api/v1/users").status, 200);
  EXPECT_EQ(Call(adm, "GET", "/api/v1/households").status, 403);
  EXPECT_EQ(Call(nat, "GET", "/api/v1/users").status, 403);
  // Admin creates an account; a bad area for the role is refused.
  auto made = Call(adm, "POST", "/api/v1/users",
                   R"({"username":"new1","password":"Gobi camel tea 7",
                       "role":"soum_officer","area_code":18125})");
  EXPECT_EQ(made.status, 201) << made.body;
  auto bad = Call(adm, "POST", "/api/v1/users",
                  R"({"username":"new2","password":"Gobi camel tea 7",
                      "role":"soum_officer","area_code":181})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(json::parse(bad.body)["error"]["field"], "area");
  auto in =
      NewClient().Send("POST", "/api/v1/session",
                       R"({"username":"new1","password":"Gobi camel tea 7"})");
  ASSERT_EQ(in->status, 201) << in->body;
  std::string n1 = json::parse(in->body)["token"];
  EXPECT_EQ(Call(n1, "GET", "/api/v1/households/I1").status, 200);
  // Disabling ends the sessions.
  EXPECT_EQ(
      Call(adm, "PATCH", "/api/v1/users/new1", R"({"disabled":true})").status,
      200);
  EXPECT_EQ(Call(n1, "GET", "/api/v1/households/I1").status, 401);
}

TEST_F(EndToEndTest, AuditRecordsChangesAndReadsAndDetectsTampering) {
  std::string tos = Login("tos"), aud = Login("aud");
  ASSERT_EQ(Call(tos, "GET", "/api/v1/persons/ИЗ85120320").status, 200);
  ASSERT_EQ(Call(tos, "POST", "/api/v1/persons/ИЗ85120320/deactivate",
                 R"({"reason":"died","date":"2026-01-05"})")
                .status,
            200);
  json trail = json::parse(Call(aud, "GET",
                                "/api/v1/audit?register_no=%D0%98%D0%97"
                                "85120320")
                               .body);
  std::vector<std::string> actions;
  for (const auto& e : trail["items"]) {
    actions.push_back(e["action"].get<std::string>() + ":" +
                      e["actor"].get<std::string>());
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"person.create:seed", "person.read:tos",
                                      "person.deactivate:tos"}));
  json logins = json::parse(Call(aud, "GET", "/api/v1/audit?actor=tos").body);
  EXPECT_EQ(logins["items"][0]["action"], "login");
  json v = json::parse(Call(aud, "GET", "/api/v1/audit/verify").body);
  EXPECT_TRUE(v["ok"].get<bool>()) << v.dump();
  // Someone with the database owner's rights edits an entry behind the
  // server's back, first dropping the trigger that refuses it.
  const bool sqlite =
      server_->database().db().engine() == store::Engine::kSqlite;
  ASSERT_TRUE(backends::testing::ExecRawSql(
                  server_->database(),
                  std::string(sqlite ? "DROP TRIGGER audit_log_no_update; "
                                     : "DROP TRIGGER audit_log_append_only ON "
                                       "audit_log; ") +
                      "UPDATE audit_log SET actor = 'nobody' WHERE action = "
                      "'person.read'")
                  .ok());
  v = json::parse(Call(aud, "GET", "/api/v1/audit/verify").body);
  EXPECT_FALSE(v["ok"].get<bool>());
  EXPECT_GT(v["first_bad_seq"].get<int64_t>(), 0);
}

// The auditor's view: newest first and paged backwards, one kind of
// action, one area (its people and households, and its officers).
TEST_F(EndToEndTest, AuditTrailNewestFirstByActionAndArea) {
  std::string aud = Login("aud");
  Login("tos");
  Login("zav");
  Login("nat");
  auto get = [&](const std::string& q) {
    auto r = Call(aud, "GET", "/api/v1/audit?" + q);
    EXPECT_EQ(r.status, 200) << q << " " << r.body;
    return json::parse(r.body);
  };
  json first = get("order=newest&limit=2");
  ASSERT_EQ(first["items"].size(), 2u);
  const int64_t top = first["items"][0]["seq"],
                second = first["items"][1]["seq"];
  EXPECT_GT(top, second);
  EXPECT_EQ(first["next_before"], second);
  json more = get("order=newest&limit=2&before=" + std::to_string(second));
  EXPECT_LT(more["items"][0]["seq"].get<int64_t>(), second);
  json logins = get("order=newest&action=login");
  std::set<std::string> who;
  for (const auto& e : logins["items"]) {
    EXPECT_EQ(e["action"], "login");
    who.insert(e["actor"]);
  }
  EXPECT_TRUE(who.count("nat") && who.count("tos") && who.count("zav"));
  // Zavkhan (181): its aimag officer and the officer of its soum 18140 did
  // log in there; the national officer did not.
  who.clear();
  json zavkhan = get("area=181&action=login");
  for (const auto& e : zavkhan["items"]) {
    who.insert(e["actor"]);
  }
  EXPECT_EQ(who, (std::set<std::string>{"tos", "zav"}));
  who.clear();
  json tosontsengel = get("area=18140&action=login");
  for (const auto& e : tosontsengel["items"]) {
    who.insert(e["actor"]);
  }
  EXPECT_EQ(who, std::set<std::string>{"tos"});
  // The household U1 of Ulaanbaatar (511) shows in its area, not in 181.
  auto about = [&](const std::string& area) {
    bool u1 = false;
    json entries = get("area=" + area + "&action=household");
    for (const auto& e : entries["items"]) {
      u1 = u1 || e["entity_id"] == "U1";
    }
    return u1;
  };
  EXPECT_TRUE(about("511"));
  EXPECT_FALSE(about("181"));
  for (const char* bad : {"order=sideways", "area=1814", "area=x"}) {
    EXPECT_EQ(Call(aud, "GET", std::string("/api/v1/audit?") + bad).status, 400)
        << bad;
  }
}

TEST_F(EndToEndTest, ConcurrentEditsGet412WithTheCurrentVersion) {
  std::string a = Login("tos"), b = Login("zav");
  auto got = Call(a, "GET", "/api/v1/households/T1");
  ASSERT_EQ(got.status, 200);
  std::string etag(got.GetHeader("ETag"));
  EXPECT_EQ(etag, "\"1\"");
  json body = {{"household", json::parse(got.body)["household"]}};
  body["household"]["bag"] = "3";
  auto first = Call(a, "PUT", "/api/v1/households/T1", body.dump(),
                    {{"If-Match", etag}});
  EXPECT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.GetHeader("ETag"), "\"2\"");
  body["household"]["bag"] = "4";
  auto second = Call(b, "PUT", "/api/v1/households/T1", body.dump(),
                     {{"If-Match", etag}});
  EXPECT_EQ(second.status, 412);
  EXPECT_EQ(json::parse(second.body)["current_version"], 2);
  EXPECT_EQ(second.GetHeader("ETag"), "\"2\"");
  EXPECT_EQ(Call(b, "PUT", "/api/v1/households/T1", body.dump()).status, 428);
  json now = json::parse(Call(a, "GET", "/api/v1/households/T1").body);
  EXPECT_EQ(now["household"]["bag"], "3");
  // Create: a new household with a member; the id is then taken.
  json create = {
      {"household",
       {{"household_id", "T2"}, {"soum_code", 18140}, {"herder", false}}},
      {"members",
       {{{"register_no", "ИЗ90010140"},
         {"father_name", "Дорж"},
         {"given_name", "Болд"},
         {"sex", "F"},
         {"birth_date", "1990-01-01"},
         {"relation", "head"}}}}};
  auto made = Call(a, "POST", "/api/v1/households", create.dump());
  EXPECT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(Call(a, "POST", "/api/v1/households", create.dump()).status, 409);
}

TEST_F(EndToEndTest, BadInputIs4xxNeverAServerError) {
  std::string t = Login("tos");
  auto code = [&](const http::Response& r) {
    auto j = json::parse(r.body, nullptr, false);
    return j.is_discarded() ? std::string("not json")
                            : j["error"]["code"].get<std::string>();
  };
  // Malformed JSON, wrong types, unknown fields, bad UTF-8.
  for (
      const std::string& body :
      {std::string("{"), std::string("[]"), std::string("null"),
       std::string(R"({"household":5})"),
       std::string(
           R"({"household":{"household_id":7,"soum_code":18140,"herder":true}})"),
       std::string(
           R"({"household":{"household_id":"T9","soum_code":"18140","herder":true}})"),
       std::string(
           R"({"household":{"household_id":"T9","soum_code":18140,"herder":"yes"}})"),
       std::string(
           R"({"household":{"household_id":"T9","soum_code":18140,"herder":true,"sheeps":1}})"),
       std::string(
           R"({"household":{"household_id":"T9","soum_code":18140,"herder":true},"extra":1})"),
       std::string(
           R"({"household":{"household_id":"T9","soum_code":18140,"herder":true,"camels":-1}})"),
       std::string("{\"household\":{\"household_id\":\"\xff\xfe\"}}"),
       std::string(100, '[')}) {
    auto r = Call(t, "POST", "/api/v1/households", body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(code(r), "INVALID_ARGUMENT") << body;
  }
  auto unknown = Call(
      t, "POST", "/api/v1/households",
      R"({"household":{"household_id":"T9","soum_code":18140,"herder":true,"sheeps":1}})");
  EXPECT_EQ(json::parse(unknown.body)["error"]["field"], "household.sheeps");
  // Invalid register numbers.
  for (const char* rn : {"XX", "ИЗ8512032", "ИЗ85133320", "12345678AB",
                         "%FF%FE", "ИЗ85120320x"}) {
    auto r = Call(t, "GET", std::string("/api/v1/persons/") + rn);
    EXPECT_EQ(r.status, 400) << rn << " -> " << r.body;
  }
  // A bad member: its field is named.
  json member_bad = {
      {"household",
       {{"household_id", "T3"}, {"soum_code", 18140}, {"herder", true}}},
      {"members",
       {{{"register_no", "ИЗ90010140"},
         {"father_name", "Дорж"},
         {"given_name", "Болд"},
         {"sex", "X"},
         {"birth_date", "1990-01-01"},
         {"relation", "head"}}}}};
  auto r = Call(t, "POST", "/api/v1/households", member_bad.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json::parse(r.body)["error"]["field"], "sex");
  // Oversize bodies.
  r = Call(t, "POST", "/api/v1/households", std::string(2 << 20, ' '));
  EXPECT_EQ(r.status, 413);
  // Bad query parameters.
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?page=0").status, 400);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?page=abc").status, 400);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?herder=maybe").status, 400);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?q=%FF").status, 400);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?bogus=1").status, 400);
  EXPECT_EQ(Call(t, "GET", "/api/v1/households?q=!!!").status, 400);
  EXPECT_EQ(
      Call(t, "PUT", "/api/v1/households/T1", "{}", {{"If-Match", "garbage"}})
          .status,
      400);
  // Unknown endpoints and methods.
  EXPECT_EQ(Call(t, "GET", "/api/v1/nothing").status, 404);
  EXPECT_EQ(Call(t, "PATCH", "/api/v1/households").status, 405);
  // A forged or malformed token.
  EXPECT_EQ(Call(std::string(64, 'a'), "GET", "/api/v1/households").status,
            401);
  EXPECT_EQ(Call("x y z", "GET", "/api/v1/households").status, 401);
  // The server is still fine.
  EXPECT_EQ(NewClient().Send("GET", "/ready")->status, 200);
}

TEST_F(EndToEndTest, HealthReadyAndOpenApi) {
  auto c = NewClient();
  EXPECT_EQ(c.Send("GET", "/health")->status, 200);
  EXPECT_EQ(c.Send("GET", "/ready")->status, 200);
  auto doc = c.Send("GET", "/api/openapi.json");
  ASSERT_EQ(doc->status, 200);
  EXPECT_TRUE(json::parse(doc->body)["paths"].contains("/api/v1/session"));
}

}  // namespace
}  // namespace malchin::api
