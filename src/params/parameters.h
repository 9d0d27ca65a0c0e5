// Dated policy parameters: amounts, rates and thresholds set by law.
//
// A parameter is a named series of values, each in force from a date until
// the next one. Code asks for "the value of X on date D"; it never holds a
// legal amount as a literal. The shipped set is data/parameters.json,
// embedded in the binary; an administrator's additions are layered on top
// with Override().
//
// Thread-safety: a ParameterSet is immutable once built; share freely.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace malchin::params {

struct DatedValue {
  Date from;
  double value = 0;
  std::string source;
  std::string confidence;
};

class ParameterSet {
 public:
  // The set shipped with the binary.
  static Result<std::shared_ptr<const ParameterSet>> Embedded();
  // Parses the JSON format of data/parameters.json. Errors name the
  // parameter and entry that are wrong.
  static Result<std::shared_ptr<const ParameterSet>> Parse(
      std::string_view json);

  // The value in force on `on`. NotFound if the name is unknown;
  // FailedPrecondition if no value is in force yet on that date.
  Result<double> Value(std::string_view name, Date on) const;
  // The same, for parameters that are integer MNT amounts; InvalidArgument
  // if the value in force is not a whole number.
  Result<int64_t> Money(std::string_view name, Date on) const;

  // A copy with `values` added to (or replacing equal dates of) `name`.
  std::shared_ptr<const ParameterSet> Override(
      const std::string& name, const std::vector<DatedValue>& values) const;

  const std::string& version() const { return version_; }
  // All names, sorted.
  std::vector<std::string> Names() const;
  // REQUIRES: `name` exists (see Names()).
  const std::vector<DatedValue>& History(std::string_view name) const;

 private:
  std::string version_;
  std::map<std::string, std::vector<DatedValue>, std::less<>> series_;
};

}  // namespace malchin::params
