// The grievance routes' shared pieces (grievance_*_routes.cpp): the shipped
// context, the JSON forms of complaints, and the decoding of an intake body
// (docs/grievance.md, "HTTP API").
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "api/api.h"
#include "api/json_input.h"
#include "core/date.h"
#include "core/status.h"
#include "grievance/service.h"
#include "http/message.h"
#include "store/area.h"

namespace malchin::api {

// The shipped parameters, geography, SMS templates and letters (made once).
Result<const grievance::Context*> GrievanceContext();
// The service on a request's session (acting for the caller).
Result<grievance::Service> GrievanceService(Call& c);
// PermissionDenied unless the caller's role handles complaints
// (handle_grievance or handle_confidential); who sees which case is then
// the capability's rule.
Status RequireHandler(const auth::Principal& who);
// The OpenAPI description of a grievance route (`tag`: "grievance" unless
// given).
http::RouteDoc GrievanceDoc(std::string summary,
                            std::map<int, std::string> responses,
                            std::string schema = "",
                            std::string tag = "grievance");

// A numeric id from the path (InvalidArgument naming `field` otherwise).
Result<int64_t> PathId(const std::string& text, const char* field);
// "YYYY-MM-DD" (InvalidArgument naming `field` otherwise).
Result<Date> DateField(const std::string& text, const char* field);
// The area of ?soum= or ?aimag= (neither: the caller's whole area).
Result<store::AreaFilter> AreaQuery(const http::Request& r);

// Reads category, soum_code, summary, confidential and complainant{...}
// into `r` (the other fields are the route's).
Status ReadIntakeFields(JsonInput& in, grievance::IntakeRequest* r);
// The JSON Schema of an intake body (for the OpenAPI document).
extern const char kIntakeSchema[];

nlohmann::json ReceiptJson(const grievance::IntakeReceipt& r);
// A case as a list shows it (no summary, outcome or complainant details).
nlohmann::json CaseSummary(const grievance::Case& c);
// Everything about a case the caller may see.
nlohmann::json CaseViewJson(const grievance::CaseView& v);
nlohmann::json CategoryJson(const grievance::Category& c);
nlohmann::json ServiceJson(const grievance::ReferralService& s);

}  // namespace malchin::api
