// Text helpers for Mongolian names: UTF-8 validation, case folding and a
// Cyrillic/Latin matching key.
//
// All functions take and return UTF-8. None of them allocate more than their
// output and none throw.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace malchin::text {

// Byte offset of the first byte that is not part of well-formed UTF-8
// (overlongs, surrogates and values above U+10FFFF are ill-formed), or
// nullopt if `s` is valid.
std::optional<size_t> FindInvalidUtf8(std::string_view s);

// Decodes the code point that starts at byte `i` of `s` into *cp and
// returns its length in bytes (1-4), or 0 if the bytes there are not
// well-formed UTF-8 (then *cp is unchanged). REQUIRES: i < s.size().
size_t DecodeUtf8(std::string_view s, size_t i, char32_t* cp);

// Appends the UTF-8 form of `cp` to *out.
// REQUIRES: cp is a Unicode scalar value (not a surrogate, <= U+10FFFF).
void AppendUtf8(char32_t cp, std::string* out);

// Lower-cases ASCII and the Mongolian Cyrillic alphabet (А-Я, Ё, Ө, Ү).
// Other characters pass through unchanged.
std::string ToLower(std::string_view s);

// Upper-cases ASCII and the Mongolian Cyrillic alphabet.
std::string ToUpper(std::string_view s);

// Transliterates Mongolian Cyrillic to Latin following the common official
// scheme (х -> kh, ө -> u, ү -> u, ...), lower case. Latin input passes
// through lower-cased.
std::string Transliterate(std::string_view s);

// A key under which a Cyrillic name and its usual Latin spellings meet:
// "Батбаяр", "Batbayar", "BATBAYAR" and "Batbaiar" share a key, and so do
// "Хонгорзул" / "Khongorzul" / "Hongorzul" and "Өлзий" / "Ulzii" / "Olzii".
// Used for duplicate review and name search, never as an identity.
std::string NameKey(std::string_view s);

// True if every character is a Cyrillic letter (Mongolian alphabet), a space
// or a hyphen, and there is at least one letter.
bool IsCyrillicName(std::string_view s);

// `s` with &, <, > and " replaced by their XML/HTML entities, for text
// and attribute values.
std::string EscapeXml(std::string_view s);

}  // namespace malchin::text
