// Versioned schema migrations for the embedded store (PRAGMA user_version).
#pragma once

#include <sqlite3.h>

#include "core/status.h"

namespace earshot::store::sqlite {

// The schema version this build writes.
int CurrentSchemaVersion();

// Brings `db` to CurrentSchemaVersion(), one transaction per step.
// FailedPrecondition when the file is newer than this build.
Status Migrate(sqlite3* db);

// Returns OK when `db` is at CurrentSchemaVersion(); FailedPrecondition
// saying how to migrate otherwise (readers never migrate).
Status CheckSchemaCurrent(sqlite3* db);

}  // namespace earshot::store::sqlite
