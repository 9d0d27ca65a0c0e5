#include "rules/schema.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "rules/catalog.h"

namespace malchin::rules {
namespace {

bool IsLowerIdent(std::string_view s) {
  if (s.empty()) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsPath(std::string_view s) {
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part =
        s.substr(start, dot == std::string_view::npos ? std::string_view::npos
                                                      : dot - start);
    if (!IsLowerIdent(part)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsKey(std::string_view s) {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
         });
}

constexpr std::string_view kReserved[] = {"and",  "or",        "not",  "in",
                                          "if",   "then",      "else", "param",
                                          "date", "household", "event"};

}  // namespace

ColumnSpec ColumnSpec::Number(std::string name, std::string key, Scope scope,
                              bool nullable) {
  ColumnSpec c;
  c.name = std::move(name);
  c.key = std::move(key);
  c.scope = scope;
  c.kind = ColumnKind::kNumber;
  c.nullable = nullable;
  return c;
}

ColumnSpec ColumnSpec::YesNo(std::string name, std::string key, Scope scope,
                             bool nullable) {
  ColumnSpec c = Number(std::move(name), std::move(key), scope, nullable);
  c.kind = ColumnKind::kBool;
  return c;
}

Status Schema::Declare(ColumnSpec spec) {
  const std::string& n = spec.name;
  if (!IsPath(n)) {
    return Status::InvalidArgument(
        "extension column name '" + n +
            "' must be lower-case identifiers joined by '.'",
        "name");
  }
  if (n.starts_with("household.") || n.starts_with("event.")) {
    return Status::InvalidArgument(
        "extension column name '" + n +
            "' may not start with 'household.' or 'event.' (declare it with "
            "scope household instead)",
        "name");
  }
  bool clash = FindField(n) || FindConstant(n) || FindFunc(n);
  for (std::string_view r : kReserved) clash = clash || r == n;
  if (clash) {
    return Status::InvalidArgument(
        "extension column name '" + n + "' is a name of the rule language",
        "name");
  }
  if (!spec.key.empty() && !IsKey(spec.key)) {
    return Status::InvalidArgument(
        "key '" + spec.key + "' must be 1-64 letters, digits, '_', '-' or '.'",
        "key");
  }
  for (const ColumnSpec& c : columns_) {
    if (c.name != n) continue;
    if (c.key == spec.key) {
      return Status::AlreadyExists(
          "extension column " +
          (spec.key.empty() ? n : n + "(\"" + spec.key + "\")") +
          " is already declared");
    }
    if (c.key.empty() != spec.key.empty()) {
      return Status::InvalidArgument(
          "extension column '" + n +
              "' is declared both with and without a key",
          "key");
    }
  }
  if (spec.description.empty()) {
    spec.description = spec.key.empty() ? n : n + "(\"" + spec.key + "\")";
  }
  columns_.push_back(std::move(spec));
  return Status::Ok();
}

int Schema::Find(std::string_view name, std::string_view key) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name && columns_[i].key == key) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

bool Schema::IsKeyed(std::string_view name) const {
  for (const ColumnSpec& c : columns_) {
    if (c.name == name && !c.key.empty()) return true;
  }
  return false;
}

std::vector<std::string> Schema::KeysOf(std::string_view name) const {
  std::vector<std::string> keys;
  for (const ColumnSpec& c : columns_) {
    if (c.name == name && !c.key.empty()) keys.push_back(c.key);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

Status Extensions::Add(ColumnSpec spec, std::vector<double> values,
                       std::vector<uint8_t> present) {
  std::string what =
      spec.key.empty() ? spec.name : spec.name + "(\"" + spec.key + "\")";
  if (!present.empty() && present.size() != values.size()) {
    return Status::InvalidArgument(
        what + ": " + std::to_string(present.size()) + " presence flags for " +
            std::to_string(values.size()) + " values",
        "present");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    bool here = present.empty() || present[i] != 0;
    if (!here) {
      if (!spec.nullable) {
        return Status::InvalidArgument(
            what + ": row " + std::to_string(i) +
                " has no value but the column is not nullable",
            "present");
      }
      values[i] = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    if (!std::isfinite(values[i])) {
      return Status::InvalidArgument(
          what + ": row " + std::to_string(i) + " is not a finite number",
          "values");
    }
    if (spec.kind == ColumnKind::kBool && values[i] != 0 && values[i] != 1) {
      return Status::InvalidArgument(
          what + ": row " + std::to_string(i) + " is not 0 or 1", "values");
    }
  }
  MALCHIN_RETURN_IF_ERROR(schema_.Declare(std::move(spec)));
  values_.push_back(std::move(values));
  return Status::Ok();
}

}  // namespace malchin::rules
