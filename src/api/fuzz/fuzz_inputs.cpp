#include "api/fuzz/fuzz_inputs.h"

#include <string>

#include "api/api.h"
#include "api/codec.h"
#include "api/json_input.h"
#include "backends/open.h"
#include "exchange/exchange.h"
#include "http/message.h"

namespace malchin::api::fuzz {

void DecodeRequest(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  static auto geo = geo::Geography::Load().value();
  std::string path;
  std::multimap<std::string, std::string> query;
  (void)http::ParseTarget(in, &path, &query).ok();
  http::Request r;
  r.headers["authorization"] = std::string("Bearer ") + std::string(in);
  r.headers["cookie"] = std::string(in);
  (void)SessionToken(r);
  auto parsed = JsonInput::Parse(in);
  if (!parsed.ok()) return;
  // As a household body, then as a person.
  auto h = parsed->Object("household");
  if (h.ok()) (void)HouseholdFromJson(*h, *geo).ok();
  auto again = JsonInput::Parse(in);
  (void)PersonFromJson(*again, "H1", Date::FromYmd(2026, 1, 1)).ok();
  auto members = JsonInput::Parse(in)->ObjectArray("members", 100);
  if (members.ok()) {
    for (auto& m : *members) {
      (void)PersonFromJson(m, "H1", Date::FromYmd(2026, 1, 1)).ok();
    }
  }
}

void ImportCsv(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nul = in.find('\0');
  std::string households(in.substr(0, nul));
  std::string persons(nul == std::string_view::npos ? std::string_view()
                                                    : in.substr(nul + 1));
  static auto geo = geo::Geography::Load().value();
  // In memory: nothing is left behind.
  static auto db = backends::OpenDatabase("sqlite::memory:").value();
  static auto session = db->Connect().value();
  exchange::ImportOptions opt;
  opt.today = Date::FromYmd(2026, 1, 1);
  opt.actor = "fuzz";
  // The store may grow across inputs; that exercises updates too.
  (void)exchange::ImportRegister(session->Get<registry::Repository>(), *geo,
                                 {"households.csv", households},
                                 {"persons.csv", persons}, opt)
      .ok();
}

}  // namespace malchin::api::fuzz
