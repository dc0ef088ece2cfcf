// Applying a watch to stored history: the CLI's `watch backfill` and the
// API's backfill both run this, so a backfilled match is decided exactly as
// live matching decides it (the one evaluator, the same target sentiment).
#pragma once

#include <cstdint>

#include "core/status.h"
#include "store/store.h"

namespace earshot::pipeline {

// Replaces `watch`'s recorded matches with those over every stored mention;
// returns how many it has now. InvalidArgument when its query does not parse.
Result<int64_t> BackfillWatch(store::Store& store, const store::Watch& watch);

}  // namespace earshot::pipeline
