#include "store/sqlite/sqlite_handle.h"

namespace earshot::store::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg(what);
  msg += ": ";
  msg += db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Status::Unavailable(std::move(msg));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return Status::Corruption(std::move(msg));
    case SQLITE_FULL:
    case SQLITE_NOMEM: return Status::ResourceExhausted(std::move(msg));
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_PERM: return Status::IOError(std::move(msg));
    case SQLITE_CONSTRAINT: return Status::AlreadyExists(std::move(msg));
    default: return Status::Internal(std::move(msg));
  }
}

Status Exec(sqlite3* db, std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    Status st = SqliteError(nullptr, rc, "sql");
    return Status(st.code(), "sql: " + msg);
  }
  return Status::Ok();
}

Result<Stmt> Stmt::Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(s);
    return SqliteError(db, rc, "prepare '" + std::string(sql.substr(0, 60)) + "'");
  }
  return Stmt(s);
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(sqlite3_db_handle(s_.get()), rc, "step");
}

Status Stmt::Run() {
  StmtResetter reset(*this);
  while (true) {
    EARSHOT_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

StmtCache::Lease::~Lease() {
  if (stmt_.get() == nullptr) return;  // moved from
  stmt_.Reset();
  if (home_ != nullptr) home_->push_back(std::move(stmt_));
}

Result<StmtCache::Lease> StmtCache::Get(std::string_view sql) {
  auto it = idle_.find(sql);
  if (it == idle_.end() && idle_.size() < max_sql_) it = idle_.emplace(std::string(sql), std::vector<Stmt>()).first;
  std::vector<Stmt>* home = it == idle_.end() ? nullptr : &it->second;
  if (home != nullptr && !home->empty()) {
    Stmt s = std::move(home->back());
    home->pop_back();
    return Lease(std::move(s), home);
  }
  EARSHOT_ASSIGN_OR_RETURN(Stmt s, Stmt::Prepare(db_, sql));
  return Lease(std::move(s), home);
}

}  // namespace earshot::store::sqlite
