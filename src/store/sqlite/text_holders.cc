#include "store/sqlite/text_holders.h"

#include <sodium.h>

#include <cstdlib>

namespace earshot::store::sqlite {

TextHolders::TextHolders(int slots_log2)
    : slots_(size_t{1} << slots_log2), mask_((uint64_t{1} << slots_log2) - 1) {
  static_assert(crypto_shorthash_siphashx24_KEYBYTES == 16 && crypto_shorthash_siphashx24_BYTES == 16);
  // sodium_init is idempotent and thread-safe. It fails only without a
  // system random source, and there is no safe key to draw then.
  if (sodium_init() < 0) std::abort();
  randombytes_buf(key_.data(), key_.size());
}

TextHolders::Fingerprint TextHolders::Of(std::string_view title, std::string_view text) const {
  // The title's length goes first, so that no two different pairs are the
  // same message.
  const uint64_t title_size = title.size();
  scratch_.assign(reinterpret_cast<const char*>(&title_size), sizeof title_size);
  scratch_.append(title);
  scratch_.append(text);
  Fingerprint f;
  crypto_shorthash_siphashx24(reinterpret_cast<unsigned char*>(f.data()),
                              reinterpret_cast<const unsigned char*>(scratch_.data()), scratch_.size(), key_.data());
  return f;
}

std::optional<int64_t> TextHolders::Find(const Fingerprint& f) const {
  const Slot& s = SlotOf(f);
  if (s.key < 0 || s.fingerprint != f) return std::nullopt;
  return s.key;
}

void TextHolders::Remember(const Fingerprint& f, int64_t key) { SlotOf(f) = {f, key}; }

void TextHolders::Forget(const Fingerprint& f, int64_t key) {
  Slot& s = SlotOf(f);
  if (s.fingerprint == f && s.key == key) s = Slot{};
}

void TextHolders::Clear() {
  for (Slot& s : slots_) s = Slot{};
}

}  // namespace earshot::store::sqlite
