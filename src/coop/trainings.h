// Trainings in life skills and entrepreneurship, the persons who attended,
// the businesses started after them with their seed funds (a ledger like
// the contingency fund's: grants in, repayments out, never edited), and
// the counts the results framework reads: members, trainees, business
// owners and in-kind recipients by area, sex and age band.
//
// Rules: a training is held in a soum of the acting user's area, over
// dates that run forward; an attendee is an active person of the caller's
// area, recorded once per training (recording them again changes nothing).
// A business is registered in a soum of the actor's area, owned by an
// active person, optionally after a training they attended. Seed money
// leaves a business's book only while its balance stays at or above zero.
//
// Thread-safety: reentrant; one Session per thread.
#pragma once

#include <string>
#include <vector>

#include "coop/fund.h"
#include "coop/model.h"
#include "coop/repository.h"
#include "coop/service.h"
#include "core/status.h"
#include "store/session.h"

namespace malchin::coop {

// InvalidArgument naming the field; PermissionDenied outside the actor's
// area. The same training again is returned; other details under the same
// code are AlreadyExists.
Result<Training> CreateTraining(store::Session& session, const Context& context,
                                const Actor& actor, Training t);
Result<Training> FindTraining(store::Session& session, const std::string& code);
Result<std::vector<Training>> Trainings(store::Session& session);

struct AttendanceResult {
  int64_t added = 0;
  int64_t already = 0;  // Recorded before: unchanged.
};
// Records who attended (register numbers) in one transaction; any unknown,
// deactivated or out-of-area person fails the whole call (NotFound /
// FailedPrecondition naming them) and nothing is written.
Result<AttendanceResult> RecordAttendance(
    store::Session& session, const Actor& actor, const std::string& code,
    const std::vector<std::string>& register_nos, bool completed);
Result<std::vector<Attendance>> AttendanceOf(store::Session& session,
                                             const std::string& code);
Result<std::vector<Attendance>> TrainingsOf(store::Session& session,
                                            const std::string& register_no);

// Registers a business (owner by register number; training by code, which
// the owner must have attended). Idempotent like CreateTraining.
Result<Business> RegisterBusiness(store::Session& session,
                                  const Context& context, const Actor& actor,
                                  Business b);
Result<std::vector<Business>> Businesses(store::Session& session);
Result<Business> FindBusiness(store::Session& session, const std::string& code);

// A seed grant (kind grant, amount > 0) or a repayment (kind repayment,
// amount > 0, taken out) on a business's seed fund.
Result<Recorded> RecordSeed(store::Session& session, const Actor& actor,
                            const std::string& business_code, EntryKind kind,
                            Date on, int64_t amount, const std::string& note,
                            const std::string& client_key);
Result<Recorded> ReverseSeed(store::Session& session, const Actor& actor,
                             const std::string& business_code, int64_t entry_id,
                             Date on, const std::string& reason,
                             const std::string& client_key);
Result<Statement> SeedStatement(store::Session& session,
                                const std::string& business_code, Date from,
                                Date to);

// The counts on `as_of` by soum, sex and age band (ages on `as_of`), for
// the caller's area intersected with `area`; cells with nothing are left
// out; sorted by soum, sex, band.
Result<std::vector<StatsCell>> Statistics(store::Session& session,
                                          const store::AreaFilter& area,
                                          Date as_of);

}  // namespace malchin::coop
