// The embedded store: one SQLite database in WAL mode holding the mention
// rows, their FTS5 word index (external content, same transaction) and
// running totals. Private to the store module; use store::OpenStore().
#pragma once

#include <memory>

#include "store/store.h"

namespace earshot::store::sqlite {

// Opens or creates "<data_dir>/earshot.db".
Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options);

}  // namespace earshot::store::sqlite
