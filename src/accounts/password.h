// Secrets for accounts: Argon2id password hashes, random tokens and the
// BLAKE2b digests under which session ids and API tokens are stored. Thin
// wrappers over libsodium; every function is thread-safe once InitSodium()
// has returned OK.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace earshot::accounts {

// How much work an Argon2id hash costs.
enum class HashCost {
  kInteractive,  // libsodium's INTERACTIVE limits: ~64 MiB and tens of ms
  kMinimal,      // libsodium's MIN limits: only for tests
};

// Initializes libsodium. Safe to call any number of times from any thread;
// Internal when the library cannot start (no entropy source).
Status InitSodium();

// Returns the Argon2id hash string ("$argon2id$v=19$...") of `password`.
// ResourceExhausted when the memory for the hash cannot be allocated.
Result<std::string> HashPassword(std::string_view password, HashCost cost);

// Returns true when `password` matches `hash` (a HashPassword result).
// Returns false for a malformed hash.
bool PasswordMatches(const std::string& hash, std::string_view password);

// Returns true when `hash` was made with other limits than `cost` asks for,
// so it should be replaced after the next successful check.
bool PasswordNeedsRehash(const std::string& hash, HashCost cost);

// Returns `bytes` random bytes encoded as unpadded base64url
// (ceil(4 * bytes / 3) characters).
std::string RandomBase64Url(size_t bytes);

// Returns the lowercase hex BLAKE2b-256 digest of `secret` (64 characters).
std::string SecretDigestHex(std::string_view secret);

}  // namespace earshot::accounts
