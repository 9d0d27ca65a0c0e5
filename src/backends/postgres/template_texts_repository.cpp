// The PostgreSQL engine's channel::TemplateTextRepository: data access only
// (migration 0028); the rules are the channel's own
// (src/channel/template_texts.cpp).
#include "backends/postgres/rows.h"
#include "backends/postgres/session.h"
#include "channel/template_texts.h"

namespace malchin::backends::postgres {
namespace {

using channel::TemplateTextEdit;

constexpr const char* kColumns =
    "id, template_id, language, reset, text, edited_by, edited_at, note";

Result<TemplateTextEdit> ReadEdit(const pqxx::row& q) {
  TemplateTextEdit e;
  e.id = PgInt(q[0]);
  e.template_id = PgText(q[1]);
  MALCHIN_ASSIGN_OR_RETURN(e.language, channel::ParseLanguage(PgText(q[2])));
  if (!q[3].as<bool>()) e.text = PgText(q[4]);
  e.edited_by = PgText(q[5]);
  e.edited_at = PgText(q[6]);
  e.note = PgText(q[7]);
  return e;
}

class PgTemplateTextRepository final : public channel::TemplateTextRepository {
 public:
  explicit PgTemplateTextRepository(PgSession& s) : s_(s) {}

  Result<int64_t> Append(const TemplateTextEdit& e) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("template_text.append",
                    "INSERT INTO sms_template_texts (template_id, language, "
                    "reset, text, edited_by, edited_at, note) VALUES ($1, $2, "
                    "$3, $4, $5, $6, $7) RETURNING id",
                    e.template_id,
                    std::string(channel::LanguageCode(e.language)),
                    !e.text.has_value(), e.text.value_or(""), e.edited_by,
                    e.edited_at, e.note));
    return r.empty() ? int64_t{0} : PgInt(r[0][0]);
  }

  Result<std::vector<TemplateTextEdit>> Current() override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r,
        s_.Prepared("template_text.current",
                    std::string("SELECT DISTINCT ON (template_id, language) ") +
                        kColumns +
                        " FROM sms_template_texts ORDER BY template_id, "
                        "language, id DESC"));
    return ReadAll<TemplateTextEdit>(r, ReadEdit);
  }

  Result<std::vector<TemplateTextEdit>> History(
      std::string_view template_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        pqxx::result r, s_.Prepared("template_text.history",
                                    std::string("SELECT ") + kColumns +
                                        " FROM sms_template_texts WHERE "
                                        "template_id = $1 ORDER BY id DESC",
                                    std::string(template_id)));
    return ReadAll<TemplateTextEdit>(r, ReadEdit);
  }

 private:
  PgSession& s_;
};

}  // namespace

void RegisterTemplateTextsRepositories(PgFactories* f) {
  f->Add<channel::TemplateTextRepository>([](PgSession& s) {
    return std::make_unique<PgTemplateTextRepository>(s);
  });
}

}  // namespace malchin::backends::postgres
