#include "channel/templates.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace malchin::channel {
namespace {

const TemplateCatalogue& Shipped() {
  auto c = TemplateCatalogue::Embedded();
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return **c;
}

const params::ParameterSet& Params() {
  return **params::ParameterSet::Embedded();
}

Date D(const char* s) { return *Date::Parse(s); }

TemplateValues PaymentValues() {
  return {{"programme", "Зудын тусламж"},
          {"amount", "300,000"},
          {"bank", "Хаан банк"},
          {"date", "2026-02-15"},
          {"phone", "70112233"}};
}

TEST(TemplatesTest, RendersMongolianAndPreviewsHandCountedLength) {
  auto p = PreviewTemplate(Shipped(), "payment.sent", Language::kMongolian,
                           PaymentValues(), Params(), D("2026-12-07"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->text,
            "Зудын тусламж: таны Хаан банк дансанд 300,000 төгрөг "
            "шилжүүллээ. Огноо: 2026-02-15. Лавлах утас: 70112233");
  // Зудын(5) тусламж:(8) таны(4) Хаан(4) банк(4) дансанд(7) 300,000(7)
  // төгрөг(6) шилжүүллээ.(11) Огноо:(6) 2026-02-15.(11) Лавлах(6) утас:(5)
  // 70112233(8) = 92, and 13 spaces: 105 characters, UCS-2, 67 + 38.
  EXPECT_EQ(p->plan.coding, SmsCoding::kUcs2);
  EXPECT_EQ(p->plan.units, 105);
  EXPECT_EQ(p->plan.segments, 2);
  EXPECT_EQ(p->cost,
            2 * *Params().Money("sms.cost_per_segment", D("2026-12-07")));
  EXPECT_TRUE(p->fits);
}

TEST(TemplatesTest, EnglishWithLatinValuesIsOneGsmSegment) {
  TemplateValues v = PaymentValues();
  v["programme"] = "Dzud relief";
  v["bank"] = "Khan Bank";
  auto p = PreviewTemplate(Shipped(), "payment.sent", Language::kEnglish, v,
                           Params(), D("2026-12-07"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->text,
            "Dzud relief: 300,000 MNT was sent to your Khan Bank account on "
            "2026-02-15. Questions: 70112233");
  // 94 characters, all in the GSM alphabet.
  EXPECT_EQ(p->plan.coding, SmsCoding::kGsm7);
  EXPECT_EQ(p->plan.units, 94);
  EXPECT_EQ(p->plan.segments, 1);
}

TEST(TemplatesTest, EveryShippedTemplateFitsAtItsLongest) {
  const auto& c = Shipped();
  ASSERT_FALSE(c.Ids().empty());
  for (const std::string& id : c.Ids()) {
    for (Language lang : {Language::kMongolian, Language::kEnglish}) {
      for (bool longest : {false, true}) {
        auto values = c.SampleValues(id, longest);
        ASSERT_TRUE(values.ok());
        auto p =
            PreviewTemplate(c, id, lang, *values, Params(), D("2026-12-07"));
        ASSERT_TRUE(p.ok()) << id << ": " << p.status().ToString();
        EXPECT_TRUE(p->fits) << id << " " << LanguageCode(lang) << " needs "
                             << p->plan.segments << " segments: " << p->text;
      }
    }
  }
}

TEST(TemplatesTest, LongestSamplesReachTheMaximumLength) {
  auto v = Shipped().SampleValues("payment.sent", true);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)["programme"], "Зудын тусламжЗудын тусла");
  EXPECT_EQ(PlanSms((*v)["programme"])->characters, 24);
}

TEST(TemplatesTest, EveryParameterIsChecked) {
  const auto& c = Shipped();
  TemplateValues v = PaymentValues();
  v.erase("amount");
  auto r = c.Render("payment.sent", Language::kMongolian, v);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().field(), "amount");
  EXPECT_NE(r.status().message().find("{amount} is missing"),
            std::string::npos);

  v = PaymentValues();
  v["amonut"] = "1";
  r = c.Render("payment.sent", Language::kMongolian, v);
  EXPECT_EQ(r.status().field(), "amonut");
  EXPECT_NE(r.status().message().find("has no parameter {amonut}"),
            std::string::npos);

  v = PaymentValues();
  v["phone"] = "7011\n2233";
  EXPECT_EQ(c.Render("payment.sent", Language::kEnglish, v).status().field(),
            "phone");
  v = PaymentValues();
  v["bank"] = "\xD0";
  EXPECT_EQ(c.Render("payment.sent", Language::kEnglish, v).status().field(),
            "bank");
  v = PaymentValues();
  v["date"] = "2026-02-15 10:00";  // 16 characters, at most 10.
  r = c.Render("payment.sent", Language::kEnglish, v);
  EXPECT_NE(r.status().message().find("at most 10"), std::string::npos);
  v = PaymentValues();
  v["amount"] = "";
  EXPECT_EQ(c.Render("payment.sent", Language::kEnglish, v).status().field(),
            "amount");

  EXPECT_EQ(c.Render("payment.lost", Language::kEnglish, PaymentValues())
                .status()
                .code(),
            StatusCode::kNotFound);
}

constexpr char kOne[] = R"({
  "version": "t1",
  "templates": {
    "greet": {
      "description": "d",
      "parameters": {
        "name": {"description": "n", "sample": "Болд", "max_length": 10}
      },
      "text": {
        "mn": "{{Сайн}} {name}",
        "en": "{{Hi}} {name}"
      }
    }
  }
})";

std::string Edit(std::string_view from, std::string_view to) {
  std::string s = kOne;
  s.replace(s.find(from), from.size(), to);
  return s;
}

Status ParseError(const std::string& json) {
  auto c = TemplateCatalogue::Parse(json, "edited.json");
  return c.ok() ? Status::Ok() : c.status();
}

TEST(TemplatesTest, BracesAndLanguages) {
  auto c = TemplateCatalogue::Parse(kOne, "one.json");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ((*c)->version(), "t1");
  EXPECT_EQ(*(*c)->Render("greet", Language::kMongolian, {{"name", "Болд"}}),
            "{Сайн} Болд");
  EXPECT_EQ(*(*c)->Render("greet", Language::kEnglish, {{"name", "Bold"}}),
            "{Hi} Bold");
  EXPECT_EQ(*ParseLanguage("mn"), Language::kMongolian);
  EXPECT_EQ(ParseLanguage("ru").status().field(), "language");
}

TEST(TemplatesTest, CatalogueErrorsNameFileLineTemplateAndField) {
  Status s = ParseError(
      Edit("{name}\",\n        \"en\"", "{nmae}\",\n        \"en\""));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "edited.json line 10: template 'greet' text.mn: uses {nmae}, "
            "which is not among its parameters");
  s = ParseError(Edit("\"{{Hi}} {name}\"", "\"Hi\""));
  EXPECT_EQ(s.message(),
            "edited.json line 11: template 'greet' text.en: does not use its "
            "parameter {name}");
  s = ParseError(Edit(",\n        \"en\": \"{{Hi}} {name}\"", ""));
  EXPECT_NE(s.message().find("has no 'en' text"), std::string::npos);
  s = ParseError(Edit("{{Hi}}", "Hi}"));
  EXPECT_NE(s.message().find("a lone '}' at byte 2"), std::string::npos);
  s = ParseError(Edit("{{Hi}}", "{Hi there}"));
  EXPECT_NE(s.message().find("does not open a {parameter}"), std::string::npos);
  s = ParseError(Edit("\"max_length\": 10", "\"max_length\": 2"));
  EXPECT_EQ(s.message(),
            "edited.json line 7: template 'greet' parameters.name.sample: "
            "'Болд' has 4 characters; at most 2");
  EXPECT_EQ(s.field(), "parameters.name.sample");
  s = ParseError(Edit("\"sample\": \"Болд\"", "\"sample\": \"Бо\\nлд\""));
  EXPECT_NE(s.message().find("sample: holds a control character"),
            std::string::npos)
      << s.message();
  s = ParseError(Edit("\"max_length\": 10", "\"max_length\": \"10\""));
  EXPECT_NE(s.message().find("line 7"), std::string::npos);
  s = ParseError(Edit("\"mn\"", "\"ru\""));
  EXPECT_NE(s.message().find("text.ru"), std::string::npos);
  s = ParseError(Edit("\"greet\"", "\"Greet\""));
  EXPECT_NE(s.message().find("an id is a-z"), std::string::npos);
  s = ParseError(Edit("\"version\": \"t1\",", "\"version\": \"t1\""));
  EXPECT_NE(s.message().find("edited.json: not JSON"), std::string::npos);
  EXPECT_NE(s.message().find("line 3"), std::string::npos) << s.message();
  EXPECT_FALSE(ParseError("[]").ok());
}

TEST(TemplatesTest, AmountsAreGroupedAndValuesClippedByCodePoint) {
  EXPECT_EQ(GroupedAmount(0), "0");
  EXPECT_EQ(GroupedAmount(999), "999");
  EXPECT_EQ(GroupedAmount(1000), "1,000");
  EXPECT_EQ(GroupedAmount(300000), "300,000");
  EXPECT_EQ(GroupedAmount(-1234567), "-1,234,567");
  EXPECT_EQ(GroupedAmount(INT64_MIN), "-9,223,372,036,854,775,808");
  EXPECT_EQ(ClipCodePoints("Хүүхдийн мөнгө", 5), "Хүүхд");
  EXPECT_EQ(ClipCodePoints("abc", 5), "abc");
}

}  // namespace
}  // namespace malchin::channel
