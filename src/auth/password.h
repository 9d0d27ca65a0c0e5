// Passwords and session tokens (libsodium).
//
// Passwords are hashed with Argon2id (crypto_pwhash_str); the hash string
// carries its own salt and cost, so a hash made at one cost verifies at any.
// Session tokens are 256 random bits shown to the client once, as 64 hex
// digits; only their SHA-256 is stored.
// Thread-safety: every function is safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace malchin::auth {

enum class PasswordCost {
  kInteractive,  // libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE (64 MiB).
  kModerate,     // OPSLIMIT/MEMLIMIT_MODERATE (256 MiB), for admin tools.
  kMinimum,      // The smallest libsodium allows: for tests only.
};

// Minimum 10 characters, at most 1024 bytes, valid UTF-8. The message says
// which rule was broken (field "password").
Status CheckPasswordPolicy(std::string_view password);

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
