// The six sections of a herder's page, for ONE household: the one the
// herder's session is bound to (signin.h). Each returns a small JSON
// object with texts in the language asked (Mongolian by default). Nothing
// here is recomputed: insurance statements and pension projections come
// from the insurance capability, payments from response, trainings from
// coop, prices from the price table with the ministry's imports
// (imports.h).
//
//   insurance  per member: social and health months covered, what is due
//              (shortfall), how to pay; the signed-in person's pension
//              projection (with herders' early retirement);
//   payments   every payment to the members, newest first (at most 20):
//              programme, installment, amount, status, the bank's reason
//              and date, and what to do when it is held or failed;
//   dzud       the soum's latest imported risk level and the earlier ones,
//              the events declared for the soum (with its severity) and
//              the household's plans (amount per installment, for whom);
//   prices     the prices in force in the household's aimag, with date
//              and source, and the herd's value at them;
//   bank       each member's bank account (masked) and the latest payment
//              issued to it and its status;
//   services   trainings in the household's soum not yet over, and where
//              to complain.
//
// REQUIRES: the session's caller is the herder's (HerderCaller): reads see
// the household's soum. NotFound if the household is not there (any more).
// Thread-safety: like the session.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "channel/templates.h"
#include "core/status.h"
#include "herder/signin.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::herder {

struct SectionRequest {
  HerderPrincipal who;
  channel::Language language = channel::Language::kMongolian;
  const params::ParameterSet* parameters = nullptr;
};

// The section named `name` (insurance, payments, dzud, prices, bank,
// services); NotFound naming the sections for another name.
Result<nlohmann::json> Section(store::Session& session, std::string_view name,
                               const SectionRequest& request);

// The household at a glance: id, soum, the members' given names.
Result<nlohmann::json> Overview(store::Session& session,
                                const SectionRequest& request);

}  // namespace malchin::herder
