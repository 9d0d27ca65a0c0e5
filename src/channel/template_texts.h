// The ministry's own wording of the SMS templates (issue #20: "each a
// template the ministry can edit"), kept in the database beside the
// shipped catalogue (src/channel/data/sms_templates.json).
//
// An edit replaces one template's text in one language; a reset goes back
// to the shipped text. Edits are appended, never changed or deleted (the
// table refuses it), each with who, when and why, and audited: the
// history shows every wording a herder may have received. The parameters
// (names, samples, lengths) stay the shipped ones: an edit must use each
// of them and nothing else, so a message never goes out with a hole.
//
// Every sender of a templated message (notices, broadcasts, replies to
// inbound SMS, one-time codes, grievance acknowledgements) renders from
// CatalogueInForce: the shipped catalogue with the current edits applied,
// read from the database (one small query) on each call, so an edit made
// through one app server is in force on every other at once.
//
// Thread-safety: the functions use only their session; a returned
// catalogue is immutable.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channel/templates.h"
#include "core/status.h"
#include "params/parameters.h"
#include "store/session.h"

namespace malchin::channel {

// One edit of one template's text in one language.
struct TemplateTextEdit {
  int64_t id = 0;
  std::string template_id;
  Language language = Language::kMongolian;
  std::optional<std::string> text;  // None: back to the shipped text.
  std::string edited_by;
  std::string edited_at;  // ISO 8601 UTC.
  std::string note;       // Why (may be empty).
};

// Storage of the edits (each engine implements it; no rules here).
class TemplateTextRepository : public store::Repository {
 public:
  // Appends `e` (id and time as given are ignored: the id is new, the time
  // is e.edited_at); its id.
  virtual Result<int64_t> Append(const TemplateTextEdit& e) = 0;
  // The newest edit of each template and language that has one, by
  // template id then language ("en" before "mn").
  virtual Result<std::vector<TemplateTextEdit>> Current() = 0;
  // Every edit of `template_id`, newest first.
  virtual Result<std::vector<TemplateTextEdit>> History(
      std::string_view template_id) = 0;
};

// `shipped` with the current edits applied. Errors: the store's; an edit
// that no longer fits the shipped template (a parameter renamed by a new
// release) is skipped, and the shipped text stays in force for it.
Result<std::shared_ptr<const TemplateCatalogue>> CatalogueInForce(
    store::Session& session,
    const std::shared_ptr<const TemplateCatalogue>& shipped);
// The same with the catalogue embedded in the binary.
Result<std::shared_ptr<const TemplateCatalogue>> CatalogueInForce(
    store::Session& session);

// What an edit would send: the text with the samples and with every value
// at its longest, priced on `on` (sms.* parameters).
struct TextCheck {
  SmsPreview sample;
  SmsPreview longest;
};

// What `text` as template `id`'s text in `language` would send, without
// keeping it (the editor's live preview): errors as EditTemplateText's,
// except that a text too long is not one here (longest.fits is false, and
// the officer sees by how much). Nothing is read or written.
Result<TextCheck> CheckTemplateText(const params::ParameterSet& parameters,
                                    Date on, std::string_view id,
                                    Language language, std::string_view text);

// Replaces template `id`'s text in `language` (the caller's account is
// the editor), in one transaction with its audit entry; what it sends.
// NotFound: no such template. InvalidArgument (field "text"): as
// TemplateCatalogue::WithText, or the text with its longest values needs
// more than sms.max_segments segments on `on`. Nothing is written on error.
Result<TextCheck> EditTemplateText(store::Session& session,
                                   const params::ParameterSet& parameters,
                                   Date on, std::string_view id,
                                   Language language, std::string_view text,
                                   std::string_view note);
// Goes back to the shipped text of `id` in `language` (an edit without
// text). NotFound: no such template; FailedPrecondition: the shipped text
// is already in force.
Status ResetTemplateText(store::Session& session, std::string_view id,
                         Language language, std::string_view note);
// Every edit of `id`, newest first. NotFound: no such template.
Result<std::vector<TemplateTextEdit>> TemplateHistory(store::Session& session,
                                                      std::string_view id);

// JSON for the routes and the CLI (docs/channel.md).
// Every template: id, description, and per language the text in force and
// whether it is the ministry's edit.
std::string TemplatesToJson(const TemplateCatalogue& shipped,
                            const TemplateCatalogue& in_force);
// One template: the above with its parameters (name, description, sample,
// max_length), the shipped texts and `history` (newest first).
std::string TemplateToJson(const TemplateCatalogue& shipped,
                           const TemplateCatalogue& in_force,
                           std::string_view id,
                           const std::vector<TemplateTextEdit>& history);
// What an edit sends: the text with samples and at its longest, segments,
// coding and cost of each.
std::string ToJson(const TextCheck& check);

}  // namespace malchin::channel
