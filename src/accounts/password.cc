#include "accounts/password.h"

#include <sodium.h>

#include <vector>

namespace earshot::accounts {
namespace {

unsigned long long OpsLimit(HashCost cost) {
  return cost == HashCost::kMinimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

size_t MemLimit(HashCost cost) {
  return cost == HashCost::kMinimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

}  // namespace

Status InitSodium() {
  // 0: initialized now, 1: already initialized; sodium_init is thread-safe.
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialize");
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password, HashCost cost) {
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str picks libsodium's default algorithm, Argon2id (v1.0.15+).
  if (crypto_pwhash_str(out, password.data(), password.size(), OpsLimit(cost), MemLimit(cost)) != 0) {
    return Status::ResourceExhausted("not enough memory to hash a password");
  }
  return std::string(out);
}

bool PasswordMatches(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash, HashCost cost) {
  // 1: other limits, -1: not an Argon2id hash string; both call for a new hash.
  return crypto_pwhash_str_needs_rehash(hash.c_str(), OpsLimit(cost), MemLimit(cost)) != 0;
}

std::string RandomBase64Url(size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
  std::string out(sodium_base64_ENCODED_LEN(bytes, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(), kVariant);
  sodium_memzero(raw.data(), raw.size());
  out.resize(out.find('\0'));  // ENCODED_LEN counts the terminating NUL
  return out;
}

std::string SecretDigestHex(std::string_view secret) {
  unsigned char digest[crypto_generichash_BYTES];  // 32 bytes: BLAKE2b-256
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  char hex[2 * sizeof digest + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, 2 * sizeof digest);
}

}  // namespace earshot::accounts
