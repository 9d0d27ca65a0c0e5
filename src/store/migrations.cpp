#include "store/migrations.h"

#include "store/audit_log.h"

namespace malchin::store {

std::string Migration::Checksum() const { return Sha256Hex(sql); }

}  // namespace malchin::store
