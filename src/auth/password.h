// Passwords and session tokens (libsodium).
//
// Passwords are hashed with Argon2id (crypto_pwhash_str); the hash string
// carries its own salt and cost, so a hash made at one cost verifies at any.
// Session tokens are 256 random bits shown to the client once, as 64 hex
// digits; only their SHA-256 is stored.
// Thread-safety: every function is safe to call from any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::auth {

enum class PasswordCost {
  kInteractive,  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE (64 MiB).
  kModerate,     // OPSLIMIT/MEMLIMIT_MODERATE (256 MiB), for admin tools.
  kMinimum,      // The smallest libsodium allows: for tests only.
};

// Why a password is refused: a stable code ("too_short", "too_long",
// "not_utf8", "contains_username", "trivial", "common") and the reason in
// English and in Mongolian.
struct PasswordProblem {
  std::string code;
  std::string english;
  std::string mongolian;
};

// The first rule `password` breaks, or nullopt if it is acceptable:
//   - 10 to 1024 bytes' worth: at least 10 characters, at most 1024 bytes,
//     valid UTF-8;
//   - not containing `username` (3 or more characters, any case, or
//     reversed);
//   - not trivial: not one or two runs of a repeated unit or a sequence
//     ("aaaaaaaaaa", "1234567890", "abcabcabca", "qwerty1234", "abcde54321",
//     Cyrillic and keyboard rows included);
//   - not common: not on the embedded list of common passwords and
//     dictionary words (data/passwords, case and simple digit-for-letter
//     swaps ignored), nor such a word with at most 4 digits or symbols
//     before or after it ("password12", "Computer2024").
// Thread-safety: safe from any thread.
std::optional<PasswordProblem> FindPasswordProblem(
    std::string_view password, std::string_view username = {});

// OK, or InvalidArgument (field "password") whose message gives the reason
// in English, then " / ", then in Mongolian.
Status CheckPasswordPolicy(std::string_view password,
                           std::string_view username = {});

// An Argon2id hash string ("$argon2id$v=19$m=...").
// kResourceExhausted if the machine cannot allocate the memory it needs.
Result<std::string> HashPassword(
    std::string_view password, PasswordCost cost = PasswordCost::kInteractive);

// True if `password` matches `hash`. A malformed hash never matches.
bool VerifyPassword(std::string_view hash, std::string_view password);

// A fresh 256-bit random token as 64 lower-case hex digits.
std::string NewSessionToken();

// Hex SHA-256 of a token: what the store keeps.
std::string TokenHash(std::string_view token);

// True if `token` has the shape NewSessionToken gives (64 hex digits).
bool IsWellFormedToken(std::string_view token);

}  // namespace malchin::auth
