// Registers Earshot's word tokenizer with SQLite FTS5 as "earshot", so the
// index cuts and folds words exactly as the query evaluator does.
#pragma once

#include <sqlite3.h>

#include "core/status.h"

namespace earshot::store::sqlite {

// Registers the "earshot" FTS5 tokenizer on `db`. Must run on every
// connection before the FTS table is used.
Status RegisterEarshotTokenizer(sqlite3* db);

}  // namespace earshot::store::sqlite
