// Domains: named subpopulations (urban, herders, a region, ...) over which
// every measure is also reported.
//
// A household belongs to any number of domains (they need not partition the
// population). Membership is one 64-bit mask per household, so at most 64
// domains are supported; the engine walks the households once for all
// domains together.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace malchin::poverty {

class DomainSet {
 public:
  static constexpr size_t kMaxDomains = 64;

  DomainSet() = default;
  // One domain, "national", containing all `households`.
  static DomainSet National(size_t households);

  // Adds a domain whose members are the households with member[h] != 0.
  // InvalidArgument if the name is empty or already used, if there are
  // already kMaxDomains domains, or if the size differs from earlier ones.
  Status Add(std::string name, std::span<const uint8_t> member);

  // Adds a domain for every household that satisfies pred(h), h in [0, n).
  template <typename Pred>
  Status AddIf(std::string name, size_t households, Pred pred) {
    std::vector<uint8_t> member(households);
    for (size_t h = 0; h < households; ++h) member[h] = pred(h) ? 1 : 0;
    return Add(std::move(name), member);
  }

  size_t size() const { return names_.size(); }
  size_t households() const { return mask_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  // Bit d of mask()[h] is set iff household h is in domain d.
  const std::vector<uint64_t>& mask() const { return mask_; }
  // Index of the domain called `name`, or -1.
  int Find(std::string_view name) const;

 private:
  std::vector<std::string> names_;
  std::vector<uint64_t> mask_;
};

}  // namespace malchin::poverty
