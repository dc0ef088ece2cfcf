// Status and Result<T>: the error currency at every module boundary.
//
// A Status is a code plus a message that names what failed and where
// (file, line or record id, field). OK carries no allocation. Result<T>
// holds either a value or a non-OK Status. Both are [[nodiscard]].
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace earshot {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kCorruption,
  kIOError,
  kUnavailable,
  kResourceExhausted,
  kInternal,
  kUnauthenticated,   // no valid credentials (HTTP 401)
  kPermissionDenied,  // valid credentials, not allowed (HTTP 403)
};

// Returns the stable lower_snake name of `code` ("invalid_argument").
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // Creates an OK status.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status ResourceExhausted(std::string msg) { return {StatusCode::kResourceExhausted, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Unauthenticated(std::string msg) { return {StatusCode::kUnauthenticated, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // Returns the message; empty for OK.
  const std::string& message() const;
  // Returns "code: message", or "ok".
  std::string ToString() const;
  // Returns a copy whose message is "`context`: message" (OK stays OK).
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  // Shared so that copies stay cheap; a Status is immutable once made.
  std::shared_ptr<const Rep> rep_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok()) v_ = Status::Internal("Result constructed from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  // Returns the error, or OK when a value is held.
  Status status() const { return ok() ? Status::Ok() : std::get<Status>(v_); }

  // REQUIRES: ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace earshot

// Returns early from the enclosing function when `expr` is a non-OK Status.
#define EARSHOT_RETURN_IF_ERROR(expr)              \
  do {                                             \
    ::earshot::Status earshot_status_ = (expr);    \
    if (!earshot_status_.ok()) return earshot_status_; \
  } while (0)

#define EARSHOT_CONCAT_INNER_(a, b) a##b
#define EARSHOT_CONCAT_(a, b) EARSHOT_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result-returning `expr`, or returns its Status.
#define EARSHOT_ASSIGN_OR_RETURN(lhs, expr) \
  EARSHOT_ASSIGN_OR_RETURN_IMPL_(EARSHOT_CONCAT_(earshot_result_, __LINE__), lhs, expr)
#define EARSHOT_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) return tmp.status();                  \
  lhs = std::move(tmp).value()
