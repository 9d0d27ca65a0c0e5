#include "store/audit_log.h"

#include <sodium.h>

#include <ctime>

namespace malchin::store {
namespace {

const std::string kGenesis(64, '0');

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

std::optional<std::string> OptText(const sqlite::Stmt& q, int col) {
  if (q.IsNull(col)) return std::nullopt;
  return std::string(q.Text(col));
}

}  // namespace

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

std::string UtcNowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

Result<int64_t> AppendAudit(sqlite::Db* db, const AuditEntry& entry) {
  if (sqlite3_get_autocommit(db->raw())) {
    return Status::Internal("audit entry appended outside a transaction (" +
                            entry.action + ")");
  }
  AuditEntry e = entry;
  if (e.at.empty()) e.at = UtcNowIso();
  MALCHIN_ASSIGN_OR_RETURN(
      sqlite::Stmt last,
      db->Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
  int64_t seq = 1;
  std::string prev = kGenesis;
  MALCHIN_ASSIGN_OR_RETURN(bool row, last.Step());
  if (row) {
    seq = last.Int(0) + 1;
    prev = std::string(last.Text(1));
    last.Reset();
  }
  std::string hash = Sha256Hex(CanonicalAuditText(seq, e, prev));
  MALCHIN_ASSIGN_OR_RETURN(
      sqlite::Stmt ins,
      db->Prepare("INSERT INTO audit_log (seq, at, actor, action, entity_type, "
                  "entity_id, register_no, before_json, after_json, "
                  "prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                  "?9, ?10, ?11)"));
  ins.Bind(1, seq)
      .Bind(2, std::string_view(e.at))
      .Bind(3, std::string_view(e.actor))
      .Bind(4, std::string_view(e.action))
      .Bind(5, std::string_view(e.entity_type))
      .Bind(6, std::string_view(e.entity_id))
      .Bind(7, e.register_no)
      .Bind(8, e.before_json)
      .Bind(9, e.after_json)
      .Bind(10, std::string_view(prev))
      .Bind(11, std::string_view(hash));
  MALCHIN_RETURN_IF_ERROR(ins.Run());
  return seq;
}

Result<AuditVerification> VerifyAuditChain(sqlite::Db* db) {
  MALCHIN_ASSIGN_OR_RETURN(
      sqlite::Stmt q,
      db->Prepare("SELECT seq, at, actor, action, entity_type, entity_id, "
                  "register_no, before_json, after_json, prev_hash, hash "
                  "FROM audit_log ORDER BY seq"));
  AuditVerification v;
  std::string expected_prev = kGenesis;
  int64_t expected_seq = 1;
  for (;;) {
    MALCHIN_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ++v.entries;
    if (v.first_bad_seq) continue;  // Count the rest; report the first.
    int64_t seq = q.Int(0);
    AuditEntry e;
    e.at = std::string(q.Text(1));
    e.actor = std::string(q.Text(2));
    e.action = std::string(q.Text(3));
    e.entity_type = std::string(q.Text(4));
    e.entity_id = std::string(q.Text(5));
    e.register_no = OptText(q, 6);
    e.before_json = OptText(q, 7);
    e.after_json = OptText(q, 8);
    std::string prev(q.Text(9));
    std::string hash(q.Text(10));
    if (seq != expected_seq) {
      v.first_bad_seq = seq;
      v.problem = "entry " + std::to_string(expected_seq) +
                  " is missing (found " + std::to_string(seq) + " next)";
    } else if (prev != expected_prev) {
      v.first_bad_seq = seq;
      v.problem = "entry " + std::to_string(seq) +
                  " does not link to the entry before it";
    } else if (Sha256Hex(CanonicalAuditText(seq, e, prev)) != hash) {
      v.first_bad_seq = seq;
      v.problem = "entry " + std::to_string(seq) +
                  " was altered after it was written (hash mismatch)";
    }
    expected_prev = hash;
    expected_seq = seq + 1;
  }
  return v;
}

}  // namespace malchin::store
