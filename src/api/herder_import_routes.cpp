// What the ministry imports for the herders' page (herder/imports.h): the
// dzud risk map by soum and date and the livestock prices by aimag and
// date, each a CSV body, refused whole when anything is wrong. National
// officers only (the files cover the country).
#include <nlohmann/json.hpp>

#include "api/api.h"
#include "herder/imports.h"

namespace malchin::api {
namespace {

constexpr const char* kTag = "herder";
constexpr size_t kMaxCsv = 8 << 20;

Status National(const Call& c) {
  if (c.session.caller().area.national()) return Status::Ok();
  return Status::PermissionDenied(
      "only national officers import the dzud risk map and prices / зөвхөн "
      "улсын түвшний ажилтан оруулна");
}

std::string FileName(const http::Request& r, const char* fallback) {
  std::string name = r.Query("file").value_or(fallback);
  return name.substr(0, 100);
}

}  // namespace

void AddHerderImportRoutes(Api* api) {
  Services* services = &api->services();
  http::RouteDoc risk;
  risk.summary =
      "Import the dzud risk map (CSV: soum_code,date,level,source); the "
      "whole file or nothing";
  risk.tag = kTag;
  risk.query = {
      {"file", "query", "the file's name, for messages", false, "string"}};
  risk.responses = {{200, "Imported"}, {400, "The file is refused"}};
  api->Add(
      "POST", "/api/v1/herder/risk", risk, auth::Permission::kImport,
      [services](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"file"}));
        MALCHIN_RETURN_IF_ERROR(National(c));
        MALCHIN_ASSIGN_OR_RETURN(
            auto done,
            herder::ImportRisk(c.session, FileName(c.request, "risk.csv"),
                               c.request.body, *services->geo));
        return JsonResponse(200, {{"rows", done.rows}});
      },
      kMaxCsv);
  http::RouteDoc prices;
  prices.summary =
      "Import livestock and product prices (CSV: item,unit,aimag,from,"
      "price,source), used in place of the embedded ones from their date";
  prices.tag = kTag;
  prices.query = risk.query;
  prices.responses = risk.responses;
  api->Add(
      "POST", "/api/v1/herder/prices", prices, auth::Permission::kImport,
      [](Call& c) -> Result<http::Response> {
        MALCHIN_RETURN_IF_ERROR(CheckQuery(c.request, {"file"}));
        MALCHIN_RETURN_IF_ERROR(National(c));
        MALCHIN_ASSIGN_OR_RETURN(
            auto done,
            herder::ImportPrices(c.session, FileName(c.request, "prices.csv"),
                                 c.request.body));
        return JsonResponse(200, {{"rows", done.rows}});
      },
      kMaxCsv);
}

}  // namespace malchin::api
