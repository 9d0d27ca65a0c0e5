// SMS message templates with named parameters, in Mongolian and English.
//
// The catalogue is data the ministry edits: src/channel/data/
// sms_templates.json, embedded in the binary (an edited copy can be parsed
// from a file). A template has an id ("payment.sent"), a description, its
// parameters (each with a description, a sample value and a maximum length
// in characters) and one text per language:
//
//   "text": {"mn": "{programme}: таны {bank} дансанд {amount} төгрөг ...",
//            "en": "{programme}: {amount} MNT was sent to your {bank} ..."}
//
// `{name}` is a parameter; `{{` and `}}` are literal braces. Every text must
// use every declared parameter and nothing else, in both languages, so a
// herder never gets a message with a hole or a stray brace. Mongolian case
// suffixes follow the vowels of the word they attach to, so texts put
// parameters after a label ("Огноо: {date}") rather than before a suffix.
//
// Rendering checks every parameter: a missing one, an unknown one, a value
// longer than its maximum, not valid UTF-8 or holding a control character
// is an InvalidArgument naming the parameter (as the Status field).
//
// Thread-safety: a TemplateCatalogue is immutable once parsed; share freely.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channel/sms_text.h"
#include "core/date.h"
#include "core/status.h"
#include "params/parameters.h"

namespace malchin::channel {

enum class Language { kMongolian, kEnglish };

// "mn" or "en".
std::string_view LanguageCode(Language language);
// From "mn" / "en"; InvalidArgument otherwise.
Result<Language> ParseLanguage(std::string_view code);

struct TemplateParameter {
  std::string name;
  std::string description;
  std::string sample;  // Used by previews.
  int max_length = 0;  // Characters (code points); longer values are refused.
};

struct MessageTemplate {
  std::string id;
  std::string description;
  std::vector<TemplateParameter> parameters;  // Sorted by name.
  std::map<Language, std::string> text;       // Both languages.
};

// Parameter values by name.
using TemplateValues = std::map<std::string, std::string, std::less<>>;

class TemplateCatalogue {
 public:
  // The catalogue shipped with the binary.
  static Result<std::shared_ptr<const TemplateCatalogue>> Embedded();
  // Parses and checks a catalogue. `source` names it in messages (a file
  // path). InvalidArgument naming the source, line, template and field
  // when anything is malformed; nothing is returned half-checked.
  // `max_parameter_length`: the largest max_length a parameter may declare
  // (160 for SMS; longer texts such as letters allow more).
  static Result<std::shared_ptr<const TemplateCatalogue>> Parse(
      std::string_view json, std::string_view source,
      int max_parameter_length = 160);

  const std::string& version() const { return version_; }
  // All template ids, sorted.
  std::vector<std::string> Ids() const;
  // The template, or null if there is none with that id.
  const MessageTemplate* Find(std::string_view id) const;

  // The text of template `id` in `language` with `values` filled in.
  // NotFound if there is no such template; InvalidArgument as described
  // above.
  Result<std::string> Render(std::string_view id, Language language,
                             const TemplateValues& values) const;

  // A copy with template `id`'s text in `language` replaced by `text` (an
  // edit the ministry made, channel/template_texts.h), checked as Parse
  // checks a text: NotFound without the template; InvalidArgument (field
  // "text") for an empty text, invalid UTF-8, a control character other
  // than a line break, a stray brace, or a parameter used that the
  // template does not declare or declared and not used. This catalogue is
  // unchanged.
  Result<std::shared_ptr<const TemplateCatalogue>> WithText(
      std::string_view id, Language language, std::string_view text) const;

  // The template's samples, or each sample repeated up to the parameter's
  // maximum length (`longest`): what previews render.
  Result<TemplateValues> SampleValues(std::string_view id, bool longest) const;

  // How a text is kept once parsed (internal).
  struct Piece {
    bool parameter = false;
    std::string text;  // Literal text, or the parameter's name.
  };

 private:
  std::string version_;
  std::map<std::string, MessageTemplate, std::less<>> templates_;
  // Each text split once into literal and parameter pieces.
  std::map<std::pair<std::string, Language>, std::vector<Piece>> pieces_;
};

// What a rendered message will be on the wire and what it costs.
struct SmsPreview {
  std::string text;
  SmsPlan plan;
  int64_t cost = 0;      // MNT: segments x sms.cost_per_segment on the date.
  int max_segments = 0;  // sms.max_segments on the date.
  bool fits = false;     // plan.segments <= max_segments.
};

// Renders template `id` with `values` and plans and prices the result with
// the parameters in force on `on`. Errors: those of Render, of PlanSms and
// of the parameter lookups. A text that is too long is not an error here
// (fits is false): the ministry sees how far over it is.
// `mnt` with thousands separated by commas ("300,000", "-1,500"), as the
// amount parameters of the templates are written.
std::string GroupedAmount(int64_t mnt);
// At most `max` code points of UTF-8 `text` (a template value's limit).
std::string ClipCodePoints(std::string_view text, size_t max);

Result<SmsPreview> PreviewTemplate(const TemplateCatalogue& catalogue,
                                   std::string_view id, Language language,
                                   const TemplateValues& values,
                                   const params::ParameterSet& parameters,
                                   Date on);

}  // namespace malchin::channel
