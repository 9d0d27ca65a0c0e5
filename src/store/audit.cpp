#include "store/audit.h"

#include <sodium.h>

#include "core/clock.h"

namespace malchin::store {
namespace {

void AppendField(std::string& out, std::string_view name,
                 const std::optional<std::string>& v) {
  out.append(name);
  if (!v) {
    out.append("=-\n");
    return;
  }
  out.append(":" + std::to_string(v->size()) + "=");
  out.append(*v);
  out.push_back('\n');
}

AuditEntry EntryOf(const AuditRecord& r) {
  AuditEntry e;
  e.at = r.at;
  e.actor = r.actor;
  e.action = r.action;
  e.entity_type = r.entity_type;
  e.entity_id = r.entity_id;
  e.register_no = r.register_no;
  e.before_json = r.before_json;
  e.after_json = r.after_json;
  return e;
}

}  // namespace

const std::string& AuditGenesis() {
  static const std::string kGenesis(64, '0');
  return kGenesis;
}

std::string Sha256Hex(std::string_view text) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(text.data()),
                     text.size());
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned char b : hash) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

std::string UtcNowIso() { return SystemClock::Instance().NowIso(); }

std::string CanonicalAuditText(int64_t seq, const AuditEntry& e,
                               const std::string& prev_hash) {
  std::string out = "malchin-audit-v1\n";
  AppendField(out, "seq", std::to_string(seq));
  AppendField(out, "at", e.at);
  AppendField(out, "actor", e.actor);
  AppendField(out, "action", e.action);
  AppendField(out, "entity_type", e.entity_type);
  AppendField(out, "entity_id", e.entity_id);
  AppendField(out, "register_no", e.register_no);
  AppendField(out, "before", e.before_json);
  AppendField(out, "after", e.after_json);
  AppendField(out, "prev", prev_hash);
  return out;
}

AuditRecord ChainedRecord(int64_t seq, const AuditEntry& e,
                          const std::string& prev_hash) {
  AuditRecord r;
  r.seq = seq;
  r.at = e.at;
  r.actor = e.actor;
  r.action = e.action;
  r.entity_type = e.entity_type;
  r.entity_id = e.entity_id;
  r.register_no = e.register_no;
  r.before_json = e.before_json;
  r.after_json = e.after_json;
  r.prev_hash = prev_hash;
  r.hash = Sha256Hex(CanonicalAuditText(seq, e, prev_hash));
  return r;
}

void AuditChainChecker::Add(const AuditRecord& r) {
  ++check_.entries;
  check_.last_seq = r.seq;
  check_.last_hash = r.hash;
  if (check_.first_bad_seq) return;  // Count the rest; report the first.
  if (r.seq != expected_seq_) {
    check_.first_bad_seq = r.seq;
    check_.problem = "entry " + std::to_string(expected_seq_) +
                     " is missing (found " + std::to_string(r.seq) + " next)";
  } else if (r.prev_hash != expected_prev_) {
    check_.first_bad_seq = r.seq;
    check_.problem = "entry " + std::to_string(r.seq) +
                     " does not link to the entry before it";
  } else if (Sha256Hex(CanonicalAuditText(r.seq, EntryOf(r), r.prev_hash)) !=
             r.hash) {
    check_.first_bad_seq = r.seq;
    check_.problem = "entry " + std::to_string(r.seq) +
                     " was altered after it was written (hash mismatch)";
  }
  expected_prev_ = r.hash;
  expected_seq_ = r.seq + 1;
}

}  // namespace malchin::store
