// The SQLite engine's channel::TemplateTextRepository: data access only
// (migration 0031); the rules are the channel's own
// (src/channel/template_texts.cpp).
#include "backends/sqlite/rows.h"
#include "backends/sqlite/session.h"
#include "channel/template_texts.h"

namespace malchin::backends::sqlite {
namespace {

using channel::TemplateTextEdit;

constexpr const char* kColumns =
    "id, template_id, language, reset, text, edited_by, edited_at, note";

Result<TemplateTextEdit> ReadEdit(const Stmt& q) {
  TemplateTextEdit e;
  e.id = q.Int(0);
  e.template_id = q.Text(1);
  MALCHIN_ASSIGN_OR_RETURN(e.language, channel::ParseLanguage(q.Text(2)));
  if (q.Int(3) == 0) e.text = std::string(q.Text(4));
  e.edited_by = q.Text(5);
  e.edited_at = q.Text(6);
  e.note = q.Text(7);
  return e;
}

class SqliteTemplateTextRepository final
    : public channel::TemplateTextRepository {
 public:
  explicit SqliteTemplateTextRepository(SqliteSession& s) : s_(s) {}

  Result<int64_t> Append(const TemplateTextEdit& e) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("template_text.append",
                    "INSERT INTO sms_template_texts (template_id, language, "
                    "reset, text, edited_by, edited_at, note) VALUES (?1, ?2, "
                    "?3, ?4, ?5, ?6, ?7) RETURNING id"));
    s->Bind(1, e.template_id)
        .Bind(2, channel::LanguageCode(e.language))
        .Bind(3, e.text ? 0 : 1)
        .Bind(4, e.text.value_or(""))
        .Bind(5, e.edited_by)
        .Bind(6, e.edited_at)
        .Bind(7, e.note);
    MALCHIN_ASSIGN_OR_RETURN(auto id, ReadFirst<int64_t>(*s, [](const Stmt& q) {
                               return Result<int64_t>(q.Int(0));
                             }));
    return id.value_or(0);
  }

  Result<std::vector<TemplateTextEdit>> Current() override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s,
        s_.Prepared("template_text.current",
                    std::string("SELECT ") + kColumns +
                        " FROM sms_template_texts WHERE id IN (SELECT "
                        "max(id) FROM sms_template_texts GROUP BY "
                        "template_id, language) ORDER BY template_id, "
                        "language"));
    return ReadAll<TemplateTextEdit>(*s, ReadEdit);
  }

  Result<std::vector<TemplateTextEdit>> History(
      std::string_view template_id) override {
    MALCHIN_ASSIGN_OR_RETURN(
        Stmt * s, s_.Prepared("template_text.history",
                              std::string("SELECT ") + kColumns +
                                  " FROM sms_template_texts WHERE "
                                  "template_id = ?1 ORDER BY id DESC"));
    s->Bind(1, template_id);
    return ReadAll<TemplateTextEdit>(*s, ReadEdit);
  }

 private:
  SqliteSession& s_;
};

}  // namespace

void RegisterTemplateTextsRepositories(Factories* f) {
  f->Add<channel::TemplateTextRepository, SqliteTemplateTextRepository>();
}

}  // namespace malchin::backends::sqlite
