#include "channel/notices.h"

#include "channel/outbox.h"
#include "channel/repository.h"
#include "registry/repository.h"

namespace malchin::channel {

OutboxNotices::OutboxNotices(
    std::shared_ptr<const TemplateCatalogue> catalogue,
    std::shared_ptr<const params::ParameterSet> parameters)
    : catalogue_(std::move(catalogue)), parameters_(std::move(parameters)) {}

OutboxNotices* OutboxNotices::Shared() {
  static OutboxNotices* shared = []() -> OutboxNotices* {
    auto catalogue = TemplateCatalogue::Embedded();
    auto parameters = params::ParameterSet::Embedded();
    if (!catalogue.ok() || !parameters.ok()) return nullptr;
    return new OutboxNotices(*catalogue, *parameters);
  }();
  return shared;
}

Status OutboxNotices::Notify(store::Session& session, const store::Notice& n) {
  if (!session.in_transaction()) {
    return Status::FailedPrecondition(
        "notice " + n.key + ": must be queued inside the change's transaction");
  }
  MALCHIN_ASSIGN_OR_RETURN(
      auto household,
      session.Get<registry::Repository>().FindHousehold(n.household_id));
  if (!household || household->deactivated) return Status::Ok();
  Result<std::string> phone = NormalizePhone(household->phone);
  if (!phone.ok()) return Status::Ok();  // No phone to tell.
  MALCHIN_ASSIGN_OR_RETURN(bool opted_out,
                           session.Get<Repository>().IsOptedOut(*phone));
  if (opted_out) return Status::Ok();
  QueueRequest q;
  q.idempotency_key = n.key;
  q.kind = MessageKind::kInfo;
  q.phone = *phone;
  q.household_id = n.household_id;
  q.register_no = n.register_no;
  q.template_id = n.template_id;
  for (const auto& [k, v] : n.values) q.values[k] = v;
  for (const auto& [k, v] : n.amounts) q.values[k] = GroupedAmount(v);
  return Queue(session, *catalogue_, *parameters_, q).status();
}

}  // namespace malchin::channel
