#include "core/text.h"

#include <cstdint>

namespace malchin::text {

size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t n;
  char32_t v;
  char32_t min;
  if ((c & 0xE0) == 0xC0) {
    n = 2, v = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, v = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, v = c & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return n;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

char32_t LowerCp(char32_t cp) {
  if (cp >= 'A' && cp <= 'Z') return cp + 32;
  if (cp >= 0x410 && cp <= 0x42F) return cp + 0x20;  // А..Я
  if (cp == 0x401) return 0x451;                     // Ё
  if (cp == 0x4E8) return 0x4E9;                     // Ө
  if (cp == 0x4AE) return 0x4AF;                     // Ү
  return cp;
}

char32_t UpperCp(char32_t cp) {
  if (cp >= 'a' && cp <= 'z') return cp - 32;
  if (cp >= 0x430 && cp <= 0x44F) return cp - 0x20;
  if (cp == 0x451) return 0x401;
  if (cp == 0x4E9) return 0x4E8;
  if (cp == 0x4AF) return 0x4AE;
  return cp;
}

template <typename F>
std::string MapCodePoints(std::string_view s, F f) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) {  // Pass ill-formed bytes through; callers validate first.
      out.push_back(s[i++]);
      continue;
    }
    AppendUtf8(f(cp), &out);
    i += n;
  }
  return out;
}

// Lower-case Mongolian Cyrillic letter -> Latin.
const char* LatinOf(char32_t cp) {
  switch (cp) {
    case 0x430:
      return "a";
    case 0x431:
      return "b";
    case 0x432:
      return "v";
    case 0x433:
      return "g";
    case 0x434:
      return "d";
    case 0x435:
      return "e";
    case 0x451:
      return "yo";
    case 0x436:
      return "j";
    case 0x437:
      return "z";
    case 0x438:
      return "i";
    case 0x439:
      return "i";
    case 0x43A:
      return "k";
    case 0x43B:
      return "l";
    case 0x43C:
      return "m";
    case 0x43D:
      return "n";
    case 0x43E:
      return "o";
    case 0x4E9:
      return "u";
    case 0x43F:
      return "p";
    case 0x440:
      return "r";
    case 0x441:
      return "s";
    case 0x442:
      return "t";
    case 0x443:
      return "u";
    case 0x4AF:
      return "u";
    case 0x444:
      return "f";
    case 0x445:
      return "kh";
    case 0x446:
      return "ts";
    case 0x447:
      return "ch";
    case 0x448:
      return "sh";
    case 0x449:
      return "sh";
    case 0x44A:
      return "";
    case 0x44B:
      return "y";
    case 0x44C:
      return "i";
    case 0x44D:
      return "e";
    case 0x44E:
      return "yu";
    case 0x44F:
      return "ya";
    default:
      return nullptr;
  }
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    char32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string ToLower(std::string_view s) { return MapCodePoints(s, LowerCp); }
std::string ToUpper(std::string_view s) { return MapCodePoints(s, UpperCp); }

std::string Transliterate(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) {
      out.push_back(s[i++]);
      continue;
    }
    i += n;
    cp = LowerCp(cp);
    if (const char* latin = LatinOf(cp)) {
      out += latin;
    } else {
      AppendUtf8(cp, &out);
    }
  }
  return out;
}

std::string NameKey(std::string_view s) {
  // Transliterate, keep letters only, then fold the spelling variants that
  // Latin renderings of Mongolian names disagree on.
  std::string latin = Transliterate(s);
  std::string letters;
  for (size_t i = 0; i < latin.size();) {
    char32_t cp;
    size_t n = DecodeUtf8(latin, i, &cp);
    if (n == 0) {
      ++i;
      continue;
    }
    i += n;
    if (cp == 0xF6 || cp == 0xD6) cp = 'o';  // ö
    if (cp == 0xFC || cp == 0xDC) cp = 'u';  // ü
    if (cp >= 'a' && cp <= 'z') letters.push_back(static_cast<char>(cp));
  }
  std::string key;
  key.reserve(letters.size());
  for (size_t i = 0; i < letters.size(); ++i) {
    char c = letters[i];
    char next = i + 1 < letters.size() ? letters[i + 1] : '\0';
    if (c == 'k' && next == 'h') {  // kh ~ h
      key.push_back('h');
      ++i;
      continue;
    }
    if (c == 'y') c = 'i';  // ya ~ ia, y ~ i
    if (c == 'w') c = 'v';
    if (c == 'q') c = 'k';
    // ö/ө is written o or u; ү is written u or ue: fold o/u together.
    if (c == 'o') c = 'u';
    if (!key.empty() && key.back() == c) continue;  // Baatar ~ Batar.
    key.push_back(c);
  }
  return key;
}

bool IsCyrillicName(std::string_view s) {
  bool letter = false;
  for (size_t i = 0; i < s.size();) {
    char32_t cp;
    size_t n = DecodeUtf8(s, i, &cp);
    if (n == 0) return false;
    i += n;
    char32_t lo = LowerCp(cp);
    if ((lo >= 0x430 && lo <= 0x44F) || lo == 0x451 || lo == 0x4E9 ||
        lo == 0x4AF) {
      letter = true;
    } else if (cp != ' ' && cp != '-') {
      return false;
    }
  }
  return letter;
}

std::string EscapeXml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace malchin::text
