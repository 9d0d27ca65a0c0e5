#include "store/audit_checkpoint.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace malchin::store {
namespace {

std::string Hex(const unsigned char* p, size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kHex[p[i] >> 4]);
    out.push_back(kHex[p[i] & 15]);
  }
  return out;
}

std::string Mac(const std::string& key, const AuditCheckpoint& c) {
  std::string text = std::to_string(c.seq) + " " + c.hash + " " + c.at;
  unsigned char out[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(
      &st, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_auth_hmacsha256_update(
      &st, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  crypto_auth_hmacsha256_final(&st, out);
  return Hex(out, sizeof out);
}

// Appends one line with O_APPEND (never rewriting what is there), then
// fsyncs, so a checkpoint is on disk when it is reported.
Status AppendLine(const std::string& path, const std::string& line) {
  int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot open " + path);
  ssize_t n = ::write(fd, line.data(), line.size());
  bool ok = n == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::Internal("cannot write " + path);
  return Status::Ok();
}

}  // namespace

Result<std::string> LoadOrCreateAuditKey(const std::string& path) {
  if (sodium_init() < 0) return Status::Internal("libsodium did not start");
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::string key((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
    if (key.size() < 16) {
      return Status::DataLoss("the audit key " + path + " is too short");
    }
    return key;
  }
  std::string key(32, '\0');
  randombytes_buf(key.data(), key.size());
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Internal("cannot create the audit key " + path);
  bool ok =
      ::write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) &&
      ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Status::Internal("cannot write the audit key " + path);
  return key;
}

Result<std::vector<AuditCheckpoint>> ReadAuditCheckpoints(
    const std::string& path, const std::string& key) {
  std::vector<AuditCheckpoint> out;
  std::ifstream in(path);
  if (!in) return out;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    AuditCheckpoint c;
    fields >> c.seq >> c.hash >> c.at >> c.mac;
    if (!fields || Mac(key, c) != c.mac) {
      return Status::DataLoss(path + ":" + std::to_string(n) +
                              ": the checkpoint's signature does not match: "
                              "the file was edited, or another key is used");
    }
    if (!out.empty() && c.seq < out.back().seq) {
      return Status::DataLoss(path + ":" + std::to_string(n) +
                              ": checkpoints go backwards (" +
                              std::to_string(c.seq) + " after " +
                              std::to_string(out.back().seq) + ")");
    }
    out.push_back(std::move(c));
  }
  return out;
}

Result<AuditCheckpoint> WriteAuditCheckpoint(Session& session,
                                             const std::string& path,
                                             const std::string& key) {
  MALCHIN_ASSIGN_OR_RETURN(AuditCheck check, session.VerifyAudit());
  if (!check.ok()) {
    return Status::DataLoss("no checkpoint of a broken trail: entry " +
                            std::to_string(*check.first_bad_seq) + ": " +
                            check.problem);
  }
  if (check.last_seq == 0) {
    return Status::FailedPrecondition("the audit trail is empty");
  }
  MALCHIN_ASSIGN_OR_RETURN(auto existing, ReadAuditCheckpoints(path, key));
  if (!existing.empty() && existing.back().seq == check.last_seq &&
      existing.back().hash == check.last_hash) {
    return existing.back();
  }
  AuditCheckpoint c{check.last_seq, check.last_hash, session.clock().NowIso(),
                    ""};
  c.mac = Mac(key, c);
  MALCHIN_RETURN_IF_ERROR(AppendLine(
      path,
      std::to_string(c.seq) + " " + c.hash + " " + c.at + " " + c.mac + "\n"));
  return c;
}

Result<AuditCheck> VerifyAuditWithCheckpoints(Session& session,
                                              const std::string& path,
                                              const std::string& key) {
  MALCHIN_ASSIGN_OR_RETURN(AuditCheck check, session.VerifyAudit());
  if (!check.ok()) return check;
  MALCHIN_ASSIGN_OR_RETURN(auto points, ReadAuditCheckpoints(path, key));
  if (points.empty()) return check;
  const AuditCheckpoint& last = points.back();
  if (check.last_seq < last.seq) {
    check.first_bad_seq = check.last_seq + 1;
    check.problem = "the trail ends at entry " +
                    std::to_string(check.last_seq) + " but was checkpointed " +
                    "at entry " + std::to_string(last.seq) + " on " + last.at +
                    ": entries " + std::to_string(check.last_seq + 1) + ".." +
                    std::to_string(last.seq) + " are missing (cut short" +
                    (check.last_seq == 0 ? ", emptied)" : ")");
    return check;
  }
  // The checkpointed entry must still be the one that was checkpointed.
  AuditQuery q;
  q.after_seq = last.seq - 1;
  q.limit = 1;
  MALCHIN_ASSIGN_OR_RETURN(auto at, session.ListAudit(q));
  if (at.empty() || at[0].seq != last.seq || at[0].hash != last.hash) {
    check.first_bad_seq = last.seq;
    check.problem = "entry " + std::to_string(last.seq) +
                    " is not the one checkpointed on " + last.at +
                    ": the trail was rolled back and rewritten";
  }
  return check;
}

}  // namespace malchin::store
