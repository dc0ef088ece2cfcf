#include "store/store.h"

#include "store/sqlite/sqlite_store.h"

namespace earshot::store {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  return sqlite::OpenSqliteStore(options);
}

}  // namespace earshot::store
