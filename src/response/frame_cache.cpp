#include "response/frame_cache.h"

#include <utility>

namespace malchin::response {

std::shared_ptr<FrameCache> FrameCache::Shared() {
  static const std::shared_ptr<FrameCache> cache =
      std::make_shared<FrameCache>();
  return cache;
}

FrameCache::Stats FrameCache::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void FrameCache::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.clear();
}

std::shared_ptr<const rules::Frame> FrameCache::FindFrame(
    Entry& e, Date as_of, const registry::SheepUnitFactors& factors) {
  for (auto it = e.frames.begin(); it != e.frames.end(); ++it) {
    if (it->as_of == as_of && SameFactors(it->factors, factors)) {
      e.frames.splice(e.frames.begin(), e.frames, it);
      return e.frames.front().frame;
    }
  }
  return nullptr;
}

Result<std::shared_ptr<const rules::Frame>> FrameCache::BuildFrame(
    std::shared_ptr<const registry::Population> pop, Date as_of,
    const registry::SheepUnitFactors& factors) {
  MALCHIN_ASSIGN_OR_RETURN(std::shared_ptr<const rules::Frame> frame,
                           rules::Frame::Build(*pop, as_of, factors));
  // The frame points into the population: tie their lifetimes together.
  struct Held {
    std::shared_ptr<const registry::Population> pop;
    std::shared_ptr<const rules::Frame> frame;
  };
  auto held = std::make_shared<Held>(Held{std::move(pop), std::move(frame)});
  const rules::Frame* raw = held->frame.get();
  return std::shared_ptr<const rules::Frame>(std::move(held), raw);
}

namespace {

Result<std::shared_ptr<const registry::Population>> Load(
    registry::Repository& repo, const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(registry::Roster roster, repo.LoadRoster(area));
  return std::make_shared<const registry::Population>(
      std::move(roster.population));
}

}  // namespace

Result<std::shared_ptr<const rules::Frame>> FrameCache::Get(
    store::Session& session, const store::AreaFilter& requested, Date as_of,
    const registry::SheepUnitFactors& factors) {
  // The part of the country the caller sees of what was asked: frames are
  // kept by it, so frames of different callers never mix.
  std::optional<store::AreaFilter> scope = session.Scope(requested);
  if (!scope) {
    return BuildFrame(std::make_shared<const registry::Population>(), as_of,
                      factors);
  }
  const store::AreaFilter area = *scope;
  auto& repo = session.Get<registry::Repository>();
  // The version first: whatever is loaded after it is at least as new.
  MALCHIN_ASSIGN_OR_RETURN(std::optional<registry::RegisterVersion> version,
                           repo.ReadRegisterVersion());
  if (!version) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++stats_.uncacheable;
    }
    MALCHIN_ASSIGN_OR_RETURN(auto pop, Load(repo, area));
    return BuildFrame(std::move(pop), as_of, factors);
  }
  std::shared_ptr<const registry::Population> pop;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->version == *version && SameArea(it->area, area)) {
        entries_.splice(entries_.begin(), entries_, it);
        if (auto f = FindFrame(entries_.front(), as_of, factors)) {
          ++stats_.hits;
          return f;
        }
        pop = entries_.front().population;
        break;
      }
    }
    if (!pop) ++stats_.loads;
  }
  if (!pop) {
    MALCHIN_ASSIGN_OR_RETURN(pop, Load(repo, area));
  }
  MALCHIN_ASSIGN_OR_RETURN(std::shared_ptr<const rules::Frame> frame,
                           BuildFrame(pop, as_of, factors));
  std::lock_guard<std::mutex> lock(mu_);
  ++stats_.frames_built;
  Entry* entry = nullptr;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (it->version.database == version->database && SameArea(it->area, area) &&
        !(it->version == *version)) {
      it = entries_.erase(it);  // An older (or newer) register: gone.
      continue;
    }
    if (!entry && it->version == *version && SameArea(it->area, area)) {
      entry = &*it;
    }
    ++it;
  }
  if (!entry) {
    entries_.push_front(Entry{*version, area, pop, {}});
    entry = &entries_.front();
    while (entries_.size() > max_registers_) entries_.pop_back();
  }
  if (!FindFrame(*entry, as_of, factors)) {
    entry->frames.push_front(FrameSlot{as_of, factors, frame});
    while (entry->frames.size() > 4) entry->frames.pop_back();
  }
  return frame;
}

}  // namespace malchin::response
