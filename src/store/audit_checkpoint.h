// Audit checkpoints: the end of the audit chain, anchored outside the
// database it protects, so that a trail cut short, emptied or rolled back
// is found.
//
// The chain alone shows an entry altered, removed from the middle or
// reordered (audit.h). It cannot show its own end removed: delete the last
// twenty entries (or all of them) and what is left is a valid chain. A
// checkpoint records the chain's end (sequence number and hash) in a file
// that is only ever appended to, each line signed with a key kept outside
// the database (HMAC-SHA256). Verification then requires the trail to
// still hold the checkpointed entry, with the same hash: a trail that ends
// before it was truncated or emptied (the first missing sequence number is
// named), one whose entry differs was rolled back and rewritten.
//
// What it guarantees, and what not: whoever controls the database but not
// the key and the checkpoint file cannot cut the trail back past the latest
// checkpoint without `audit verify` reporting it. Entries written after the
// latest checkpoint are only as safe as the database (checkpoint often: the
// server writes one every `interval` and at shutdown, and prints each in its
// log, which may be shipped elsewhere). Someone holding the key and the file
// as well can rewrite everything: keep the key on another machine or
// readable only by the server's user, and copy the file off the server.
//
// File format, one line per checkpoint:
//   <seq> <hash> <at, ISO 8601 UTC> <hmac-sha256 hex of "seq hash at">
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/audit.h"
#include "store/session.h"

namespace malchin::store {

struct AuditCheckpoint {
  int64_t seq = 0;
  std::string hash;
  std::string at;
  std::string mac;
};

// The key at `path`: 32 random bytes, created (mode 0600) if missing.
Result<std::string> LoadOrCreateAuditKey(const std::string& path);

// Appends the chain's current end (read through `session`) to the
// checkpoint file at `path` (created 0600 if missing), signed with `key`.
// Nothing is appended while the trail is empty or broken (kDataLoss naming
// the problem). Returns the checkpoint written, or the latest one if the end
// has not moved.
Result<AuditCheckpoint> WriteAuditCheckpoint(Session& session,
                                             const std::string& path,
                                             const std::string& key);

// The checkpoints of the file, each checked: kDataLoss (naming the line)
// for a line whose signature does not match `key`, or whose sequence
// number goes backwards. An absent file has none.
Result<std::vector<AuditCheckpoint>> ReadAuditCheckpoints(
    const std::string& path, const std::string& key);

// Verifies the chain (Session::VerifyAudit) and then the trail against the
// latest checkpoint of the file. A trail that ends before the checkpoint is
// reported with the first missing sequence number; one whose checkpointed
// entry has another hash, as rolled back. The result is a value, like the
// chain's; errors are for unreadable files or databases.
Result<AuditCheck> VerifyAuditWithCheckpoints(Session& session,
                                              const std::string& path,
                                              const std::string& key);

}  // namespace malchin::store
