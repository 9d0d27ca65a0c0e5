#include "indicators/results.h"

#include <map>

#include "registry/repository.h"

namespace malchin::indicators {
namespace {

Repository& Repo(store::Session& s) { return s.Get<Repository>(); }

std::string LockName(std::string_view code, const Period& p, int32_t area) {
  return "indicators.freeze." + std::string(code) + "." + p.Name() + "." +
         std::to_string(area);
}

Result<std::string> RegisterVersion(store::Session& s) {
  MALCHIN_ASSIGN_OR_RETURN(auto v,
                           s.Get<registry::Repository>().ReadRegisterVersion());
  return v ? v->token : std::string("unknown");
}

}  // namespace

std::vector<Difference> Differ(const std::vector<Cell>& frozen,
                               const std::vector<Cell>& live) {
  std::map<decltype(Cell::by), double> was;
  for (const Cell& c : frozen) was[c.by] = c.value;
  std::vector<Difference> out;
  for (const Cell& c : live) {
    auto it = was.find(c.by);
    double before = it == was.end() ? 0.0 : it->second;
    if (it != was.end()) was.erase(it);
    if (before != c.value) out.push_back({c.by, before, c.value});
  }
  for (const Cell& c : frozen) {
    if (was.count(c.by)) out.push_back({c.by, c.value, 0.0});
  }
  return out;
}

Results::Results(store::Session& session,
                 std::shared_ptr<const params::ParameterSet> params)
    : session_(session), params_(std::move(params)) {}

Result<Framework> Results::Indicators() {
  Framework f = EmbeddedFramework();
  MALCHIN_ASSIGN_OR_RETURN(auto stored, Repo(session_).Definitions());
  for (const StoredDefinition& d : stored) {
    MALCHIN_ASSIGN_OR_RETURN(
        Indicator ind,
        ParseIndicatorJson("stored indicator " + d.code, d.definition));
    f.indicators.push_back(std::move(ind));
  }
  return f;
}

Result<Indicator> Results::Find(std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(Framework f, Indicators());
  const Indicator* ind = f.Find(code);
  if (!ind) {
    std::string c(code);
    return Status::NotFound("индикатор '" + c + "' олдсонгүй / indicator '" +
                            c + "' not found");
  }
  return *ind;
}

Result<std::vector<std::string>> Results::Load(std::string_view file,
                                               std::string_view text) {
  MALCHIN_ASSIGN_OR_RETURN(Framework f, ParseFramework(file, text));
  std::vector<std::string> codes;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    codes.clear();
    for (const Indicator& ind : f.indicators) {
      if (EmbeddedFramework().Find(ind.code)) {
        return Status::AlreadyExists(std::string(file) + ": '" + ind.code +
                                     "' код програмд суулгагдсан / " +
                                     std::string(file) + ": '" + ind.code +
                                     "' is a code of the shipped framework");
      }
      StoredDefinition d{ind.code, ind.json, std::string(file),
                         session_.caller().actor, session_.clock().NowIso()};
      MALCHIN_RETURN_IF_ERROR(Repo(session_).InsertDefinition(d));
      store::AuditEntry a;
      a.action = "indicator.load";
      a.entity_type = "indicator";
      a.entity_id = ind.code;
      a.after_json = ind.json;
      MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
      codes.push_back(ind.code);
    }
    return Status::Ok();
  }));
  return codes;
}

Result<IndicatorValue> Results::Compute(std::string_view code,
                                        const Period& period,
                                        const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Indicator ind, Find(code));
  return indicators::Compute(session_, *params_, ind, period, area);
}

Result<FrozenValue> Results::Freeze(std::string_view code, const Period& period,
                                    const store::AreaFilter& area) {
  MALCHIN_ASSIGN_OR_RETURN(Indicator ind, Find(code));
  FrozenValue out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    int32_t at = session_.Visible(area).code();
    MALCHIN_RETURN_IF_ERROR(session_.Lock(LockName(code, period, at)));
    MALCHIN_ASSIGN_OR_RETURN(
        auto had, Repo(session_).FindFrozen(code, period.Name(), at));
    if (had) {
      std::string what = std::string(code) + " " + period.Name() + " " +
                         store::AreaFilter::FromCode(at).ToString();
      return Status::AlreadyExists(what + ": аль хэдийн түгжигдсэн / " + what +
                                   ": already frozen");
    }
    FrozenValue v;
    MALCHIN_ASSIGN_OR_RETURN(v.register_version, RegisterVersion(session_));
    MALCHIN_ASSIGN_OR_RETURN(
        IndicatorValue live,
        indicators::Compute(session_, *params_, ind, period, area));
    v.indicator = ind.code;
    v.period = period.Name();
    v.area = live.area;
    v.values = CellsJson(live.cells);
    v.parameters_version = params_->version();
    v.definition = ind.json;
    v.frozen_by = session_.caller().actor;
    v.frozen_at = session_.clock().NowIso();
    MALCHIN_ASSIGN_OR_RETURN(v.id, Repo(session_).InsertFrozen(v));
    store::AuditEntry a;
    a.action = "indicator.freeze";
    a.entity_type = "indicator_value";
    a.entity_id = std::to_string(v.id);
    a.after_json = v.values;
    MALCHIN_RETURN_IF_ERROR(session_.Audit(a).status());
    out = std::move(v);
    return Status::Ok();
  }));
  return out;
}

Result<Comparison> Results::Recompute(std::string_view code,
                                      const Period& period,
                                      const store::AreaFilter& area) {
  Comparison c;
  MALCHIN_ASSIGN_OR_RETURN(c.live, Compute(code, period, area));
  MALCHIN_ASSIGN_OR_RETURN(
      c.frozen, Repo(session_).FindFrozen(code, period.Name(), c.live.area));
  if (c.frozen) {
    MALCHIN_ASSIGN_OR_RETURN(c.frozen_cells, ParseCellsJson(c.frozen->values));
    c.differences = Differ(c.frozen_cells, c.live.cells);
  }
  return c;
}

Result<std::vector<FrozenValue>> Results::Frozen(std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(auto all, Repo(session_).ListFrozen(code));
  std::vector<FrozenValue> out;
  for (FrozenValue& v : all) {
    if (session_.caller().area.Contains(store::AreaFilter::FromCode(v.area))) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

}  // namespace malchin::indicators
