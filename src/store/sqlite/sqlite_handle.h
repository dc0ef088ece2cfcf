// RAII wrappers over the SQLite C API used by the embedded store.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"

namespace earshot::store::sqlite {

struct DbClose {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalize {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using DbHandle = std::unique_ptr<sqlite3, DbClose>;

// Returns a Status for SQLite result `rc` on `db`, prefixed with `what`.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// Executes `sql` (one or more statements without results).
Status Exec(sqlite3* db, std::string_view sql);

// A prepared statement, reset after each use.
class Stmt {
 public:
  Stmt() = default;
  // Prepares `sql` on `db` (persistent: kept for the connection's life).
  static Result<Stmt> Prepare(sqlite3* db, std::string_view sql);

  void BindText(int i, std::string_view v) {
    sqlite3_bind_text(s_.get(), i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
  }
  // Binds NULL for an empty string.
  void BindTextOrNull(int i, std::string_view v) {
    if (v.empty()) {
      sqlite3_bind_null(s_.get(), i);
    } else {
      BindText(i, v);
    }
  }
  // For a statement fresh from Prepare or a reset (both leave every
  // parameter NULL): bind only a value there is. Cheaper than binding NULL
  // again, which costs about as much as binding a value.
  void BindTextIfAny(int i, std::string_view v) {
    if (!v.empty()) BindText(i, v);
  }
  void BindCountIfKnown(int i, int64_t v) {
    if (v >= 0) BindInt(i, v);
  }
  void BindInt(int i, int64_t v) { sqlite3_bind_int64(s_.get(), i, v); }
  // Binds NULL for a negative value ("unknown" counts).
  void BindCountOrNull(int i, int64_t v) {
    if (v < 0) {
      sqlite3_bind_null(s_.get(), i);
    } else {
      BindInt(i, v);
    }
  }
  void BindDouble(int i, double v) { sqlite3_bind_double(s_.get(), i, v); }
  void BindNull(int i) { sqlite3_bind_null(s_.get(), i); }

  // Steps once: returns true for a row, false when done, or an error.
  Result<bool> Step();
  // Steps until done (for writes). Resets afterwards.
  Status Run();
  // Steps a write once and resets, returning SQLite's extended result code
  // (SQLITE_DONE on success) for callers that handle constraint conflicts.
  int RunRc() {
    int rc = sqlite3_step(s_.get());
    sqlite3_reset(s_.get());
    sqlite3_clear_bindings(s_.get());
    return rc;
  }
  void Reset() {
    sqlite3_reset(s_.get());
    sqlite3_clear_bindings(s_.get());
  }

  int64_t Int(int col) const { return sqlite3_column_int64(s_.get(), col); }
  double Double(int col) const { return sqlite3_column_double(s_.get(), col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_.get(), col) == SQLITE_NULL; }
  std::string_view Text(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_.get(), col));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(s_.get(), col))) : std::string_view();
  }
  sqlite3_stmt* get() const { return s_.get(); }

 private:
  explicit Stmt(sqlite3_stmt* s) : s_(s) {}
  std::unique_ptr<sqlite3_stmt, StmtFinalize> s_;
};

// Resets a statement when leaving scope, so early returns never leave it busy.
class StmtResetter {
 public:
  explicit StmtResetter(Stmt& s) : s_(s) {}
  ~StmtResetter() { s_.Reset(); }
  StmtResetter(const StmtResetter&) = delete;
  StmtResetter& operator=(const StmtResetter&) = delete;

 private:
  Stmt& s_;
};

// Prepared statements kept by their SQL text for reuse on one connection:
// preparing costs more than a short read, and a dashboard runs about a
// hundred of them. A lease is exclusive, so nested use of the same SQL gets a
// second statement; returned statements are reset. Not thread-safe (one per
// connection, destroyed before it).
class StmtCache {
 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept : stmt_(std::move(other.stmt_)), home_(other.home_) { other.home_ = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Stmt& operator*() { return stmt_; }
    Stmt* operator->() { return &stmt_; }

   private:
    friend class StmtCache;
    Lease(Stmt stmt, std::vector<Stmt>* home) : stmt_(std::move(stmt)), home_(home) {}
    Stmt stmt_;
    std::vector<Stmt>* home_;  // where it returns; null: finalized instead
  };

  // Keeps statements for at most `max_sql` distinct texts (queries built
  // from user input beyond that are prepared each time).
  explicit StmtCache(sqlite3* db, size_t max_sql = 64) : db_(db), max_sql_(max_sql) {}
  StmtCache(const StmtCache&) = delete;
  StmtCache& operator=(const StmtCache&) = delete;

  Result<Lease> Get(std::string_view sql);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  sqlite3* db_;
  size_t max_sql_;
  std::unordered_map<std::string, std::vector<Stmt>, Hash, std::equal_to<>> idle_;
};

}  // namespace earshot::store::sqlite
