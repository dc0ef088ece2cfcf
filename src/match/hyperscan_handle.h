// Owning handles for Hyperscan's C objects: each is a unique_ptr whose
// deleter calls the matching hs_free_* function, so no code path frees by hand.
#pragma once

#include <hs/hs.h>

#include <memory>

namespace earshot::match {

struct HsDatabaseFree {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};
struct HsCompileErrorFree {
  void operator()(hs_compile_error_t* e) const { hs_free_compile_error(e); }
};

// A compiled pattern database; immutable, so threads may share it.
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;
// Per-thread scan state; one thread at a time may scan with it.
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchFree>;
// The error hs_compile_multi reports.
using HsCompileError = std::unique_ptr<hs_compile_error_t, HsCompileErrorFree>;

}  // namespace earshot::match
