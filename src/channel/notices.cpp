#include "channel/notices.h"

#include <cstdlib>

#include "channel/outbox.h"
#include "channel/repository.h"
#include "channel/template_texts.h"
#include "registry/repository.h"

namespace malchin::channel {

OutboxNotices::OutboxNotices(
    std::shared_ptr<const TemplateCatalogue> catalogue,
    std::shared_ptr<const params::ParameterSet> parameters,
    std::string contact_number)
    : catalogue_(std::move(catalogue)),
      parameters_(std::move(parameters)),
      contact_number_(std::move(contact_number)) {}

OutboxNotices* OutboxNotices::Shared() {
  static OutboxNotices* shared = []() -> OutboxNotices* {
    auto catalogue = TemplateCatalogue::Embedded();
    auto parameters = params::ParameterSet::Embedded();
    if (!catalogue.ok() || !parameters.ok()) return nullptr;
    const char* contact = std::getenv("MALCHIN_SMS_SHORT_CODE");
    return new OutboxNotices(*catalogue, *parameters,
                             contact && *contact ? contact : "1234");
  }();
  return shared;
}

void OutboxNotices::FitValues(const TemplateCatalogue& catalogue,
                              std::string_view template_id,
                              TemplateValues& values) const {
  const MessageTemplate* t = catalogue.Find(template_id);
  if (!t) return;  // Queue refuses an unknown template.
  for (const TemplateParameter& p : t->parameters) {
    auto it = values.find(p.name);
    if (it == values.end()) {
      if (p.name == "phone") values["phone"] = contact_number_;
      continue;
    }
    it->second = ClipCodePoints(it->second, static_cast<size_t>(p.max_length));
  }
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
  // The ministry's wording in force (template_texts.h).
  MALCHIN_ASSIGN_OR_RETURN(auto catalogue,
                           CatalogueInForce(session, catalogue_));
  FitValues(*catalogue, n.template_id, q.values);
  return Queue(session, *catalogue, *parameters_, q).status();
}

}  // namespace malchin::channel
