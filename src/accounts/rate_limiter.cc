#include "accounts/rate_limiter.h"

#include <iterator>
#include <tuple>

namespace earshot::accounts {

int64_t LoginRateLimiter::ForgetAtMs(const Entry& e) const {
  return e.locked_until_ms != 0 ? e.locked_until_ms : e.window_start_ms + options_.failure_window_ms;
}

int64_t LoginRateLimiter::RetryAfterMs(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return 0;
  if (it->second.locked_until_ms > now_ms) return it->second.locked_until_ms - now_ms;
  // A served lockout starts the key afresh.
  if (it->second.locked_until_ms != 0) entries_.erase(it);
  return 0;
}

bool LoginRateLimiter::RecordFailure(const std::string& key, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    if (entries_.size() >= options_.max_keys) MakeRoom(now_ms);
    it = entries_.emplace(key, Entry{0, now_ms, 0}).first;
  }
  Entry& e = it->second;
  // Failures racing with the one that started a lockout do not extend it,
  // else a steady stream of attempts would keep the key locked forever.
  if (e.locked_until_ms > now_ms) return false;
  if (e.locked_until_ms != 0 || now_ms - e.window_start_ms >= options_.failure_window_ms) e = Entry{0, now_ms, 0};
  if (++e.failures < options_.max_failures) return false;
  e.locked_until_ms = now_ms + options_.lockout_ms;
  return true;
}

void LoginRateLimiter::Clear(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

size_t LoginRateLimiter::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

void LoginRateLimiter::MakeRoom(int64_t now_ms) {
  // Linear, but only when the map is full, and each failed login has just
  // paid for an Argon2id hash, which costs far more.
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = ForgetAtMs(it->second) <= now_ms ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() < options_.max_keys || entries_.empty()) return;
  // Still full of live keys: drop the least telling one (not locked out,
  // fewest failures, forgotten soonest), so an attacker flooding new keys
  // evicts its own one-failure entries long before any lockout.
  auto rank = [now_ms, this](const Entry& e) {
    return std::tuple(e.locked_until_ms > now_ms, e.failures, ForgetAtMs(e));
  };
  auto victim = entries_.begin();
  for (auto it = std::next(entries_.begin()); it != entries_.end(); ++it) {
    if (rank(it->second) < rank(victim->second)) victim = it;
  }
  entries_.erase(victim);
}

}  // namespace earshot::accounts
