// Files of personal data the server writes for download (register exports,
// payment files) and CSV downloads: every one is recorded in the audit trail
// as one entry (who, when, which file, how many persons, which area), the
// files are readable by the server's user only, a download checks the
// caller's permission and area as they are NOW, and files older than a day
// are deleted.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/api.h"
#include "auth/roles.h"
#include "store/area.h"

namespace malchin::api {

// One audit entry for a bulk read of personal data: `action` (e.g.
// "register.export", "file.download"), the file, the number of persons and
// the area. In its own transaction on the call's session.
Status RecordBulkRead(store::Session& session, std::string_view action,
                      std::string_view file, int64_t persons,
                      const store::AreaFilter& area);

// What a job's files need to be downloaded again: the permission that made
// them and the area they cover. Written beside the files (manifest.json).
struct FileGrant {
  auth::Permission permission = auth::Permission::kExport;
  int32_t area_code = 0;
};

// Makes `dir` private (0700) and every file in it 0600, and writes the
// grant. Errors name the folder.
Status SealJobFiles(const std::string& dir, const FileGrant& grant);

// Whether `who`, as they are now, may download the files of `dir`:
// PermissionDenied if their role lost the permission or their area changed
// since; NotFound if the folder has no grant (or is gone).
Status CheckFileGrant(const std::string& dir, const auth::Principal& who);

// Deletes job folders under `root` older than `max_age` (default a day).
// Returns how many were removed.
int SweepJobFiles(const std::string& root,
                  std::chrono::hours max_age = std::chrono::hours(24));

// Persons in a CSV file: its lines after the header.
int64_t CsvRows(std::string_view csv);

}  // namespace malchin::api
