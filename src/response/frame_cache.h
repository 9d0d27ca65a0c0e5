// FrameCache: the register as rules see it (rules::Frame), kept in memory
// between previews, so an officer editing a rule waits only for the rule.
//
// A frame is built from the register in an area on a date; the cache keeps
// it under the register's version (registry::Repository::
// ReadRegisterVersion), read BEFORE the register is loaded. Any change to a
// household or person gives a new version, so a frame of a changed register
// is never returned: the next call loads the register again. A database
// that cannot tell its version is never cached.
//
//   auto frames = FrameCache::Shared();
//   MALCHIN_ASSIGN_OR_RETURN(auto frame,
//       frames->Get(response, area, plan.cutoff_on, factors));
//
// Memory: at most `max_registers` loaded registers (least recently used
// first out; a national one is about 150 MB with its frames), each with at
// most 4 frames (dates). Entries of an older version of the same database
// and area are dropped when a newer one is loaded.
//
// Thread-safety: all methods may be called concurrently; returned frames
// are immutable and keep their register alive while in use.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "core/date.h"
#include "core/status.h"
#include "registry/model.h"
#include "registry/repository.h"
#include "rules/frame.h"
#include "store/session.h"

namespace malchin::response {

class FrameCache {
 public:
  explicit FrameCache(size_t max_registers = 4)
      : max_registers_(max_registers > 0 ? max_registers : 1) {}
  FrameCache(const FrameCache&) = delete;
  FrameCache& operator=(const FrameCache&) = delete;

  // The process-wide cache (Context::Embedded() uses it).
  static std::shared_ptr<FrameCache> Shared();

  // The frame of the active register in `requested` (intersected with the
  // session's caller area; frames are kept by that area, so frames of
  // different callers never mix) on `as_of` with `factors`, read through
  // the session's registry::Repository. Errors from the database are
  // returned; nothing is cached then.
  Result<std::shared_ptr<const rules::Frame>> Get(
      store::Session& session, const store::AreaFilter& requested, Date as_of,
      const registry::SheepUnitFactors& factors);

  struct Stats {
    int64_t hits = 0;          // Frame returned from memory.
    int64_t loads = 0;         // Register loaded from the store.
    int64_t frames_built = 0;  // Frames built (after a load or a new date).
    int64_t uncacheable = 0;   // Calls on a database without a version.
  };
  Stats stats() const;
  // Forgets every register (frames in use stay valid).
  void Clear();

 private:
  struct FrameSlot {
    Date as_of;
    registry::SheepUnitFactors factors;
    std::shared_ptr<const rules::Frame> frame;
  };
  struct Entry {
    registry::RegisterVersion version;
    store::AreaFilter area;
    std::shared_ptr<const registry::Population> population;
    std::list<FrameSlot> frames;  // Most recently used first.
  };
  static bool SameArea(const store::AreaFilter& a, const store::AreaFilter& b) {
    return a.soum_code == b.soum_code && a.aimag_code == b.aimag_code;
  }
  static bool SameFactors(const registry::SheepUnitFactors& a,
                          const registry::SheepUnitFactors& b) {
    return a.factor == b.factor;
  }
  // REQUIRES: mu_ held. The frame for (as_of, factors) in `e`, or null.
  static std::shared_ptr<const rules::Frame> FindFrame(
      Entry& e, Date as_of, const registry::SheepUnitFactors& factors);
  // A frame that owns its population (aliasing shared_ptr).
  static Result<std::shared_ptr<const rules::Frame>> BuildFrame(
      std::shared_ptr<const registry::Population> pop, Date as_of,
      const registry::SheepUnitFactors& factors);

  const size_t max_registers_;
  mutable std::mutex mu_;
  std::list<Entry> entries_;  // Most recently used first.
  Stats stats_;
};

}  // namespace malchin::response
