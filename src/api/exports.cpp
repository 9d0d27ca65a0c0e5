#include "api/exports.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

namespace malchin::api {

namespace fs = std::filesystem;
using nlohmann::json;

Status RecordBulkRead(store::Session& session, std::string_view action,
                      std::string_view file, int64_t persons,
                      const store::AreaFilter& area) {
  return session.Write([&]() -> Status {
    store::AuditEntry e;
    e.action = std::string(action);
    e.entity_type = "file";
    e.entity_id = std::string(file);
    e.after_json =
        json({{"file", file}, {"persons", persons}, {"area", area.ToString()}})
            .dump(-1, ' ', false, json::error_handler_t::replace);
    return session.Audit(std::move(e)).status();
  });
}

Status SealJobFiles(const std::string& dir, const FileGrant& grant) {
  std::error_code ec;
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return Status::Internal("cannot protect the folder " + dir);
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write,
                    fs::perm_options::replace, ec);
    if (ec) return Status::Internal("cannot protect " + e.path().string());
  }
  const fs::path manifest = fs::path(dir) / "manifest.json";
  std::ofstream out(manifest);
  out << json({{"permission", auth::PermissionName(grant.permission)},
               {"area_code", grant.area_code}})
             .dump();
  out.close();
  if (!out) return Status::Internal("cannot write " + manifest.string());
  fs::permissions(manifest, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace, ec);
  return Status::Ok();
}

Status CheckFileGrant(const std::string& dir, const auth::Principal& who) {
  std::ifstream in(fs::path(dir) / "manifest.json");
  if (!in) return Status::NotFound("the files of this job are gone");
  json m = json::parse(in, nullptr, false);
  if (m.is_discarded() || !m.contains("permission")) {
    return Status::NotFound("the files of this job are gone");
  }
  auto permission = auth::ParsePermission(m["permission"].get<std::string>());
  if (!permission.ok() || !auth::Require(who, *permission).ok()) {
    return Status::PermissionDenied(
        "your role no longer allows these files; ask for a new export");
  }
  if (m.value("area_code", -1) != who.area_code) {
    return Status::PermissionDenied(
        "your area changed since these files were made; ask for a new "
        "export");
  }
  return Status::Ok();
}

int SweepJobFiles(const std::string& root, std::chrono::hours max_age) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return 0;
  const auto now = fs::file_time_type::clock::now();
  int removed = 0;
  for (const auto& e : fs::directory_iterator(root, ec)) {
    if (!e.is_directory()) continue;
    auto when = fs::last_write_time(e.path(), ec);
    if (ec || now - when < max_age) continue;
    if (fs::remove_all(e.path(), ec) > 0 && !ec) ++removed;
  }
  return removed;
}

int64_t CsvRows(std::string_view csv) {
  int64_t lines = 0;
  for (char ch : csv) lines += ch == '\n';
  if (!csv.empty() && csv.back() != '\n') ++lines;
  return lines > 0 ? lines - 1 : 0;
}

}  // namespace malchin::api
