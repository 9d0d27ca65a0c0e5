// The store contract this engine implements (store/database.h,
// store/session.h, ...). Every file of src/backends/postgres reaches the
// contract through this header and only through it.

#pragma once

#include "core/clock.h"
#include "store/area.h"
#include "store/audit.h"
#include "store/database.h"
#include "store/migrations.h"
#include "store/session.h"
#include "store/url.h"
