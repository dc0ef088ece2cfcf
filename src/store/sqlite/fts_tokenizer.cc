#include "store/sqlite/fts_tokenizer.h"

#include <string>

#include "core/word_tokenizer.h"
#include "store/sqlite/sqlite_handle.h"

namespace earshot::store::sqlite {
namespace {

// Each FTS5 tokenizer instance owns its fold buffer, so instances used by
// different connections never share state.
struct EarshotTokenizer {
  std::string fold;
  std::string hashtag;
};

int TokCreate(void*, const char**, int, Fts5Tokenizer** out) {
  *out = reinterpret_cast<Fts5Tokenizer*>(new (std::nothrow) EarshotTokenizer());
  return *out ? SQLITE_OK : SQLITE_NOMEM;
}

void TokDelete(Fts5Tokenizer* t) { delete reinterpret_cast<EarshotTokenizer*>(t); }

int TokTokenize(Fts5Tokenizer* t, void* ctx, int flags, const char* text, int n,
                int (*emit)(void*, int, const char*, int, int, int)) {
  auto* tok = reinterpret_cast<EarshotTokenizer*>(t);
  const std::string_view input(text, static_cast<size_t>(n));
  // In a query, "#tag" is a hashtag token the store already folded: one term.
  if ((flags & FTS5_TOKENIZE_QUERY) && !input.empty() && input[0] == '#') {
    int rc = emit(ctx, 0, text, n, 0, n);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
  }
  int rc = SQLITE_OK;
  ForEachWord(input, tok->fold, [&](std::string_view word, size_t begin, size_t end) {
    if (rc != SQLITE_OK) return;
    rc = emit(ctx, 0, word.data(), static_cast<int>(word.size()), static_cast<int>(begin), static_cast<int>(end));
    // A one-word hashtag also gets its own term at the word's position (a
    // hashtag's first word follows '#' or '_': the test spares a call per word).
    if (rc == SQLITE_OK && begin > 0 && (input[begin - 1] == '#' || input[begin - 1] == '_') &&
        HashtagTokenAt(input, begin, word, &tok->hashtag)) {
      rc = emit(ctx, FTS5_TOKEN_COLOCATED, tok->hashtag.data(), static_cast<int>(tok->hashtag.size()),
                static_cast<int>(begin), static_cast<int>(end));
    }
  });
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

}  // namespace

Status RegisterEarshotTokenizer(sqlite3* db) {
  fts5_api* api = nullptr;
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db, "SELECT fts5(?1)"));
  sqlite3_bind_pointer(s.get(), 1, &api, "fts5_api_ptr", nullptr);
  EARSHOT_RETURN_IF_ERROR(s.Step().status());
  s.Reset();
  if (api == nullptr || api->iVersion < 2) return Status::FailedPrecondition("SQLite was built without FTS5");
  static fts5_tokenizer kTokenizer = {TokCreate, TokDelete, TokTokenize};
  int rc = api->xCreateTokenizer(api, "earshot", nullptr, &kTokenizer, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "register FTS5 tokenizer");
  return Status::Ok();
}

}  // namespace earshot::store::sqlite
