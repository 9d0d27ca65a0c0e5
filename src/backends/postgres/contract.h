// The store contract this engine implements (store/database.h,
// store/session.h, ...). Every file of src/backends/postgres reaches the
// contract through this header and only through it.
//
// MERGE: the contract is still a preview (src/store/contract_preview/);
// when it lands in src/store/, these lines become "store/<name>.h" and
// "core/clock.h", and nothing else in this folder changes.
#pragma once

#include "store/contract_preview/area.h"
#include "store/contract_preview/audit.h"
#include "store/contract_preview/clock.h"
#include "store/contract_preview/database.h"
#include "store/contract_preview/migrations.h"
#include "store/contract_preview/session.h"
#include "store/contract_preview/url.h"
