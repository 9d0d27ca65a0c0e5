// The audit trail as a caller may see it: entries about complaints whose
// details they may not see (confidential ones for anyone but the focal
// points of the area, and those about the caller) keep their place, time,
// actor and action, but lose the case's id and everything else
// (grievance/visibility.h's CountsInDetail), so an auditor sees that a
// confidential case was handled, never which or what.
//
// The API's audit routes call it on every page they return.
// Thread-safety: like its session, one thread at a time.
#pragma once

#include <vector>

#include "core/status.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::grievance {

// The entity type of the entries about a case (entity_id: its id).
inline constexpr const char* kAuditEntity = "grievance";

// Masks `records` in place for the session's caller.
Status MaskAuditTrail(store::Session& session,
                      std::vector<store::AuditRecord>* records);

}  // namespace malchin::grievance
