// The password rules (auth/password.h): length, the user name, trivial
// patterns and the embedded list of common passwords (data/passwords).
#include <string>
#include <unordered_set>
#include <vector>

#include "auth/password.h"
#include "core/text.h"

namespace malchin::embedded {
extern const std::string_view kCommonPasswords;
}  // namespace malchin::embedded

namespace malchin::auth {
namespace {

constexpr size_t kMinChars = 10;
constexpr size_t kMaxBytes = 1024;
constexpr size_t kMaxAffix = 4;  // Digits or symbols around a listed word.

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const auto* set = [] {
    auto* s = new std::unordered_set<std::string_view>();
    std::string_view all = embedded::kCommonPasswords;
    while (!all.empty()) {
      size_t nl = all.find('\n');
      std::string_view line = all.substr(0, nl);
      if (!line.empty() && line.front() != '#') s->insert(line);
      if (nl == std::string_view::npos) break;
      all.remove_prefix(nl + 1);
    }
    return s;
  }();
  return *set;
}

// Valid UTF-8 (checked before) as code points.
std::u32string CodePoints(std::string_view s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (int k = 1; k < n && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string Utf8(std::u32string_view cps) {
  std::string out;
  for (char32_t cp : cps) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

// Keyboard rows (Latin, Russian and Mongolian Cyrillic layouts) and the
// digit row, where neighbouring keys make a "sequence".
const std::vector<std::u32string>& KeyboardRows() {
  static const auto* rows = new std::vector<std::u32string>{
      U"1234567890-=", U"qwertyuiop[]", U"asdfghjkl;'", U"zxcvbnm,./",
      U"йцукенгшщзхъ", U"фывапролджэ",  U"ячсмитьбю",   U"фцужэнгшүзкъ",
      U"йыбөахролдпё", U"ячёсмитьвю"};
  return *rows;
}

bool OnKeyboardRow(std::u32string_view s) {
  for (const auto& row : KeyboardRows()) {
    if (row.find(s) != std::u32string::npos) return true;
    std::u32string reversed(s.rbegin(), s.rend());
    if (row.find(reversed) != std::u32string::npos) return true;
  }
  return false;
}

// One unit repeated ("aaaa", "abab", "abcabca"), or a run of a constant
// step of -1, 0 or +1 ("abcd", "4321"), or neighbouring keys ("qwer").
bool Trivial(std::u32string_view s) {
  size_t n = s.size();
  if (n < 3) return false;
  for (size_t period = 1; period <= n / 2; ++period) {
    bool repeats = true;
    for (size_t i = period; i < n && repeats; ++i) {
      repeats = s[i] == s[i - period];
    }
    if (repeats) return true;
  }
  for (int step : {-1, 1}) {
    bool run = true;
    for (size_t i = 1; i < n && run; ++i) {
      run = static_cast<int64_t>(s[i]) - static_cast<int64_t>(s[i - 1]) == step;
    }
    if (run) return true;
  }
  return OnKeyboardRow(s);
}

bool OneOrTwoTrivialRuns(std::u32string_view s) {
  if (Trivial(s)) return true;
  if (s.size() > 64) return false;  // Bounds the work (cubic at worst).
  for (size_t cut = 3; cut + 3 <= s.size(); ++cut) {
    if (Trivial(s.substr(0, cut)) && Trivial(s.substr(cut))) return true;
  }
  return false;
}

// Undoes the usual digit-for-letter swaps ("p@ssw0rd" -> "password").
std::string Unleet(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    switch (c) {
      case '0':
        c = 'o';
        break;
      case '1':
        c = 'i';
        break;
      case '3':
        c = 'e';
        break;
      case '4':
      case '@':
        c = 'a';
        break;
      case '5':
      case '$':
        c = 's';
        break;
      case '7':
        c = 't';
        break;
      default:
        break;
    }
  }
  return out;
}

bool Listed(const std::string& lower) {
  const auto& list = CommonPasswords();
  return list.count(lower) || list.count(Unleet(lower)) ||
         list.count(text::Transliterate(lower));
}

bool IsWordChar(char32_t c) { return (c >= 'a' && c <= 'z') || c >= 0x80; }

// The listed word the password is, or is with a few digits or symbols
// around it.
bool Common(const std::u32string& lower) {
  if (Listed(Utf8(lower))) return true;
  size_t begin = 0, end = lower.size();
  while (begin < end && !IsWordChar(lower[begin])) ++begin;
  while (end > begin && !IsWordChar(lower[end - 1])) --end;
  if (lower.size() - (end - begin) > kMaxAffix) return false;
  return end - begin >= 4 && Listed(Utf8(lower.substr(begin, end - begin)));
}

bool ContainsName(const std::string& lower, std::string_view username) {
  if (username.size() < 3) return false;
  std::string name = text::ToLower(username);
  std::string reversed(name.rbegin(), name.rend());
  return lower.find(name) != std::string::npos ||
         lower.find(reversed) != std::string::npos;
}

PasswordProblem Problem(std::string code, std::string english,
                        std::string mongolian) {
  return {std::move(code), std::move(english), std::move(mongolian)};
}

const char kAdviceEn[] = "; choose a phrase of several unusual words";
const char kAdviceMn[] = "; хэд хэдэн ховор үгнээс бүрдсэн хэллэг сонгоно уу";

}  // namespace

std::optional<PasswordProblem> FindPasswordProblem(std::string_view password,
                                                   std::string_view username) {
  if (password.size() > kMaxBytes) {
    return Problem("too_long", "the password is longer than 1024 bytes",
                   "нууц үг 1024 байтаас урт байна");
  }
  if (text::FindInvalidUtf8(password)) {
    return Problem("not_utf8", "the password is not valid UTF-8",
                   "нууц үг зөв UTF-8 бичвэр биш байна");
  }
  std::string lower = text::ToLower(password);
  std::u32string cps = CodePoints(lower);
  if (cps.size() < kMinChars) {
    std::string n = std::to_string(cps.size());
    return Problem(
        "too_short",
        "the password has " + n + " characters; at least 10 are required",
        "нууц үг " + n + " тэмдэгттэй байна; дор хаяж 10 тэмдэгт шаардлагатай");
  }
  if (ContainsName(lower, username)) {
    return Problem("contains_username", "the password contains the user name",
                   "нууц үгэнд хэрэглэгчийн нэр орсон байна");
  }
  if (OneOrTwoTrivialRuns(cps)) {
    return Problem("trivial",
                   std::string("the password is made of repeated characters "
                               "or sequences (like aaaa, 1234, qwerty)") +
                       kAdviceEn,
                   std::string("нууц үг давтагдсан тэмдэгт эсвэл дарааллаас "
                               "(aaaa, 1234, qwerty гэх мэт) бүрдсэн байна") +
                       kAdviceMn);
  }
  if (Common(cps)) {
    return Problem(
        "common",
        std::string("the password is a common password or dictionary word, "
                    "perhaps with a few digits or symbols added") +
            kAdviceEn,
        std::string("нууц үг түгээмэл хэрэглэгддэг нууц үг эсвэл толь "
                    "бичгийн үг (цөөн тоо, тэмдэгт нэмсэн) байна") +
            kAdviceMn);
  }
  return std::nullopt;
}

Status CheckPasswordPolicy(std::string_view password,
                           std::string_view username) {
  auto problem = FindPasswordProblem(password, username);
  if (!problem) return Status::Ok();
  return Status::InvalidArgument(problem->english + " / " + problem->mongolian,
                                 "password");
}

}  // namespace malchin::auth
