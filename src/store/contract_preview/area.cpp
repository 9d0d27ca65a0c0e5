#include "store/area.h"

namespace malchin::store {

bool AreaFilter::Matches(int32_t soum) const {
  if (soum_code != 0 && soum != soum_code) return false;
  if (aimag_code != 0 && soum / 100 != aimag_code) return false;
  return true;
}

bool AreaFilter::Contains(const AreaFilter& inner) const {
  if (national()) return true;
  if (inner.soum_code != 0) return Matches(inner.soum_code);
  if (inner.aimag_code != 0) {
    return soum_code == 0 && aimag_code == inner.aimag_code;
  }
  return false;  // `inner` is national and this is not.
}

std::optional<AreaFilter> AreaFilter::Intersect(const AreaFilter& o) const {
  if (Contains(o)) return o;
  if (o.Contains(*this)) return *this;
  return std::nullopt;
}

AreaFilter AreaFilter::FromCode(int32_t code) {
  AreaFilter a;
  if (code >= 10000) {
    a.soum_code = code;
  } else if (code > 0) {
    a.aimag_code = code;
  }
  return a;
}

std::string AreaFilter::ToString() const {
  if (soum_code) return "soum " + std::to_string(soum_code);
  if (aimag_code) return "aimag " + std::to_string(aimag_code);
  return "national";
}

}  // namespace malchin::store
