// Helpers shared by the embedded store's tests.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "store/store.h"

namespace earshot::store::testing {

// An English X mention with `text`, created at `at_ms`.
inline Mention XMention(std::string ext, std::string text, int64_t at_ms, Channel channel = Channel::kMicroblog) {
  Mention m;
  m.source = "x";
  m.external_id = std::move(ext);
  m.id = MakeMentionId(m.source, m.external_id);
  m.channel = channel;
  m.text = std::move(text);
  m.created_at_ms = at_ms;
  m.language = "en";
  return m;
}

// A plan that asks the word index for one word, exactly.
inline match::IndexPlan WordPlan(std::string word) {
  match::IndexPlan p;
  p.text.kind = match::IndexQuery::Kind::kTerm;
  p.text.words = {std::move(word)};
  p.exact = true;
  return p;
}

// Opens the store in `dir`; fails the test (and returns null) when it cannot.
inline std::unique_ptr<Store> OpenOrFail(const std::string& dir, bool read_only = false) {
  StoreOptions o;
  o.data_dir = dir;
  o.read_only = read_only;
  Result<std::unique_ptr<Store>> s = OpenStore(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

}  // namespace earshot::store::testing
