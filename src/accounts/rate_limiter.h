// Counts failed logins per key (a user name or a remote address) and locks a
// key out for a while once it has failed too often. In memory only: a
// restart forgets the counts, which costs an attacker nothing they could not
// get by waiting out a lockout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace earshot::accounts {

struct RateLimiterOptions {
  int max_failures = 5;                          // failures within the window that lock a key out; >= 1
  int64_t failure_window_ms = 15LL * 60 * 1000;  // a window opens with a key's first failure
  int64_t lockout_ms = 15LL * 60 * 1000;
  // Bound on the keys kept. When full, keys whose window and lockout are over
  // go first, then the least telling one (see MakeRoom).
  size_t max_keys = 10000;
};

// Thread-safe.
class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(const RateLimiterOptions& options) : options_(options) {}

  // Returns how many ms `key` stays locked out at `now_ms`; 0 when it may try.
  int64_t RetryAfterMs(const std::string& key, int64_t now_ms);
  // Counts a failure of `key` at `now_ms`. Returns true when this failure
  // starts a lockout.
  bool RecordFailure(const std::string& key, int64_t now_ms);
  // Forgets `key`'s failures (after a successful login).
  void Clear(const std::string& key);
  // Returns the number of keys kept.
  size_t size() const;

 private:
  struct Entry {
    int failures = 0;
    int64_t window_start_ms = 0;
    int64_t locked_until_ms = 0;  // 0: not locked out
  };
  // Returns when `e` stops mattering: its lockout or its window ends.
  int64_t ForgetAtMs(const Entry& e) const;
  // Makes room for one more key. REQUIRES: mu_ held.
  void MakeRoom(int64_t now_ms);

  const RateLimiterOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
};

}  // namespace earshot::accounts
