#include "herder/signin.h"

#include <chrono>

#include "auth/password.h"
#include "channel/outbox.h"
#include "herder/repository.h"
#include "registry/register_number.h"
#include "registry/repository.h"

namespace malchin::herder {
namespace {

// English, then Mongolian: what a herder reads.
std::string Both(std::string_view en, std::string_view mn) {
  return std::string(en) + " / " + std::string(mn);
}

Status NoValidCode() {
  return Status::Unauthenticated(
      Both("the code is wrong, used or expired; request a new code",
           "код буруу, ашиглагдсан эсвэл хугацаа нь дууссан байна; шинэ "
           "код авна уу"));
}

// 6 digits from fresh randomness (a 256-bit token; the bias of taking 60
// bits modulo a million is below 1e-12).
std::string NewCode() {
  std::string token = auth::NewSessionToken();
  uint64_t v = std::stoull(token.substr(0, 15), nullptr, 16);
  std::string code = std::to_string(v % 1000000);
  return std::string(6 - code.size(), '0') + code;
}

Status CheckCode(std::string_view code) {
  bool ok = code.size() == 6;
  for (char c : code) ok = ok && c >= '0' && c <= '9';
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      Both("code '" + std::string(code.substr(0, 16)) +
               "': expected the 6 digits of the SMS",
           "код: мессежээр ирсэн 6 оронтой тоо оруулна уу"),
      "code");
}

Result<std::string> CheckNumber(std::string_view register_no) {
  std::string rn = registry::NormalizeRegisterNumber(register_no);
  if (!registry::ParseRegisterNumber(rn).ok()) {
    return Status::InvalidArgument(
        Both("register number '" + std::string(register_no.substr(0, 32)) +
                 "': expected two Cyrillic letters and 8 digits",
             "регистрийн дугаар: 2 үсэг, 8 оронтой тоо байх ёстой"),
        "register_no");
  }
  return rn;
}

// The person's phone on the register (their own, else their household's)
// and household, if they are active; empty otherwise.
Result<CodeRecord> Recipient(store::Session& session, const std::string& rn) {
  CodeRecord c;
  c.register_no = rn;
  store::SystemScope national(session);  // Anonymous until signed in.
  auto& reg = session.Get<registry::Repository>();
  MALCHIN_ASSIGN_OR_RETURN(auto person, reg.FindPerson(rn));
  if (!person || person->deactivated) return c;
  MALCHIN_ASSIGN_OR_RETURN(auto household,
                           reg.FindHousehold(person->household_id));
  if (!household || household->deactivated) return c;
  std::string phone = person->phone.empty() ? household->phone : person->phone;
  if (phone.empty()) return c;
  auto normalized = channel::NormalizePhone(phone);
  if (!normalized.ok()) return c;
  c.household_id = household->id;
  c.soum_code = household->soum_code;
  c.phone = *normalized;
  return c;
}

}  // namespace

std::string CodeHash(std::string_view pepper, std::string_view salt,
                     std::string_view code) {
  std::string material;
  material.append(pepper).append(":").append(salt).append(":").append(code);
  return auth::TokenHash(material);
}

Result<SignInPolicy> PolicyOn(const params::ParameterSet& p, Date on) {
  SignInPolicy out;
  auto read = [&](const char* name, int* v) -> Status {
    MALCHIN_ASSIGN_OR_RETURN(double d, p.Value(name, on));
    *v = static_cast<int>(d);
    return Status::Ok();
  };
  MALCHIN_RETURN_IF_ERROR(read("herder.code_minutes", &out.code_minutes));
  MALCHIN_RETURN_IF_ERROR(read("herder.code_max_attempts", &out.max_attempts));
  MALCHIN_RETURN_IF_ERROR(
      read("herder.codes_per_number", &out.codes_per_number));
  MALCHIN_RETURN_IF_ERROR(read("herder.codes_per_phone", &out.codes_per_phone));
  MALCHIN_RETURN_IF_ERROR(
      read("herder.code_window_minutes", &out.window_minutes));
  MALCHIN_RETURN_IF_ERROR(read("herder.session_hours", &out.session_hours));
  return out;
}

store::Caller HerderCaller(const HerderPrincipal& who) {
  store::Caller c;
  c.actor = "herder:" + who.register_no;
  c.role = "herder";
  c.area.soum_code = who.soum_code;
  return c;
}

SignIn::SignIn(store::Session& session,
               const channel::TemplateCatalogue& templates,
               const params::ParameterSet& parameters, std::string_view pepper)
    : session_(session),
      templates_(templates),
      parameters_(parameters),
      pepper_(pepper) {}

Result<CodeRequest> SignIn::RequestCode(std::string_view register_no,
                                        channel::Language language) {
  MALCHIN_ASSIGN_OR_RETURN(std::string rn, CheckNumber(register_no));
  MALCHIN_ASSIGN_OR_RETURN(SignInPolicy policy,
                           PolicyOn(parameters_, session_.clock().Today()));
  CodeRequest out;
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    out = {};
    auto& repo = session_.Get<Repository>();
    int64_t now = channel::UnixNow(session_);
    int64_t since = now - int64_t{policy.window_minutes} * 60;
    MALCHIN_RETURN_IF_ERROR(session_.Lock("herder.code:" + rn));
    MALCHIN_ASSIGN_OR_RETURN(int64_t asked,
                             repo.CountCodesForNumber(rn, since));
    if (asked >= policy.codes_per_number) {
      return Status::ResourceExhausted(
          Both("too many codes asked for this register number; try again later",
               "энэ регистрийн дугаарт хэт олон код хүссэн байна; дараа дахин "
               "оролдоно уу"));
    }
    MALCHIN_ASSIGN_OR_RETURN(CodeRecord c, Recipient(session_, rn));
    if (!c.phone.empty()) {
      MALCHIN_RETURN_IF_ERROR(session_.Lock("herder.phone:" + c.phone));
      MALCHIN_ASSIGN_OR_RETURN(int64_t sent,
                               repo.CountCodesToPhone(c.phone, since));
      if (sent >= policy.codes_per_phone) {
        c = CodeRecord{};  // Counted for the number; nothing sent.
        c.register_no = rn;
      }
    }
    c.created_at = now;
    c.expires_at = now + int64_t{policy.code_minutes} * 60;
    std::string code = NewCode();
    if (!c.phone.empty()) {
      c.salt = auth::NewSessionToken().substr(0, 32);
      c.code_hash = CodeHash(pepper_, c.salt, code);
    }
    MALCHIN_ASSIGN_OR_RETURN(int64_t id, repo.InsertCode(c));
    if (c.phone.empty()) return Status::Ok();
    channel::QueueRequest q;
    q.idempotency_key = "herder.code." + std::to_string(id);
    q.kind = channel::MessageKind::kOtp;
    q.phone = c.phone;
    q.household_id = c.household_id;
    q.register_no = rn;
    q.template_id = "herder.code";
    q.values = {{"code", code},
                {"minutes", std::to_string(policy.code_minutes)}};
    q.language = language;
    MALCHIN_RETURN_IF_ERROR(
        channel::Queue(session_, templates_, parameters_, q).status());
    out.sent = true;
    out.outbox_key = q.idempotency_key;
    return Status::Ok();
  }));
  return out;
}

Result<SignedIn> SignIn::Verify(std::string_view register_no,
                                std::string_view code) {
  MALCHIN_ASSIGN_OR_RETURN(std::string rn, CheckNumber(register_no));
  MALCHIN_RETURN_IF_ERROR(CheckCode(code));
  MALCHIN_ASSIGN_OR_RETURN(SignInPolicy policy,
                           PolicyOn(parameters_, session_.clock().Today()));
  SignedIn out;
  Status refusal;  // Set when the try is refused after being counted.
  MALCHIN_RETURN_IF_ERROR(session_.Write([&]() -> Status {
    out = {};
    refusal = Status::Ok();
    auto& repo = session_.Get<Repository>();
    int64_t now = channel::UnixNow(session_);
    MALCHIN_RETURN_IF_ERROR(session_.Lock("herder.code:" + rn));
    MALCHIN_ASSIGN_OR_RETURN(auto latest, repo.LatestCode(rn));
    if (!latest || latest->phone.empty() || latest->used_at != 0 ||
        now >= latest->expires_at) {
      refusal = NoValidCode();
      return Status::Ok();
    }
    if (latest->attempts >= policy.max_attempts) {
      refusal = Status::ResourceExhausted(
          Both("too many wrong codes; request a new code",
               "хэт олон удаа буруу код оруулсан; шинэ код авна уу"));
      return Status::Ok();
    }
    MALCHIN_RETURN_IF_ERROR(repo.CountAttempt(latest->id));
    if (CodeHash(pepper_, latest->salt, code) != latest->code_hash) {
      refusal = NoValidCode();
      return Status::Ok();
    }
    MALCHIN_ASSIGN_OR_RETURN(bool first, repo.MarkUsed(latest->id, now));
    if (!first) {
      refusal = NoValidCode();
      return Status::Ok();
    }
    out.token = auth::NewSessionToken();
    out.expires_at = now + int64_t{policy.session_hours} * 3600;
    out.household_id = latest->household_id;
    HerderSession s{auth::TokenHash(out.token),
                    latest->household_id,
                    rn,
                    latest->soum_code,
                    now,
                    out.expires_at,
                    0};
    MALCHIN_RETURN_IF_ERROR(repo.InsertSession(s));
    store::AuditEntry audit;
    audit.actor = "herder:" + rn;
    audit.action = "herder.sign_in";
    audit.entity_type = "household";
    audit.entity_id = latest->household_id;
    audit.register_no = rn;
    return session_.Audit(audit).status();
  }));
  if (!refusal.ok()) return refusal;
  return out;
}

Result<HerderPrincipal> SignIn::Authenticate(std::string_view token) {
  Status unknown = Status::Unauthenticated(
      Both("not signed in, or the session ended; sign in again",
           "нэвтрээгүй эсвэл хугацаа дууссан; дахин нэвтэрнэ үү"));
  if (!auth::IsWellFormedToken(token)) return unknown;
  std::string hash = auth::TokenHash(token);
  std::optional<HerderSession> found;
  MALCHIN_RETURN_IF_ERROR(session_.Read([&]() -> Status {
    MALCHIN_ASSIGN_OR_RETURN(found,
                             session_.Get<Repository>().FindSession(hash));
    return Status::Ok();
  }));
  if (!found || found->revoked_at != 0 ||
      channel::UnixNow(session_) >= found->expires_at) {
    return unknown;
  }
  return HerderPrincipal{found->household_id, found->register_no,
                         found->soum_code, hash};
}

Status SignIn::SignOut(std::string_view token) {
  if (!auth::IsWellFormedToken(token)) return Status::Ok();
  return session_.Write([&]() -> Status {
    return session_.Get<Repository>().RevokeSession(auth::TokenHash(token),
                                                    channel::UnixNow(session_));
  });
}

}  // namespace malchin::herder
