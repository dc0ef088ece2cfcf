// Fan-out of live events (new mentions, alerts) to Server-Sent Events
// clients. Each subscriber has a bounded queue: a client that cannot keep
// up loses its oldest events (counted), never slows ingest.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace earshot::server {

struct Event {
  std::string type;                // SSE event name: "mention", "alert"
  std::string data;                // JSON text, one line
  std::vector<int64_t> watch_ids;  // watches it concerns (empty: none)
};

class EventHub;

// One client's queue. Obtained from EventHub::Subscribe; unsubscribes when
// destroyed.
class Subscription {
 public:
  ~Subscription();
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Waits up to `timeout_ms` for events and returns those queued (empty on
  // timeout or when the hub closed). `dropped` (optional) receives how many
  // events were lost to overflow since the last call.
  std::vector<std::shared_ptr<const Event>> Wait(int64_t timeout_ms, int64_t* dropped = nullptr);
  bool closed() const;

 private:
  friend class EventHub;
  Subscription(EventHub& hub, std::vector<int64_t> watch_filter, size_t capacity)
      : hub_(hub), filter_(std::move(watch_filter)), capacity_(capacity) {}
  // Queues `e` when it passes the filter; called by the hub under its lock.
  void Offer(const std::shared_ptr<const Event>& e);

  EventHub& hub_;
  const std::vector<int64_t> filter_;  // empty: every event
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<const Event>> queue_;
  int64_t dropped_ = 0;
  bool closed_ = false;
};

class EventHub {
 public:
  EventHub() = default;
  ~EventHub() { Close(); }

  // `watch_filter`: only events about one of these watches (empty: all).
  // `capacity`: events held for a client that has not read them yet (a
  // couple of seconds of a busy stream; about 1 KB each).
  std::unique_ptr<Subscription> Subscribe(std::vector<int64_t> watch_filter, size_t capacity = 20000);
  void Publish(Event e);
  // Wakes every subscriber for good (server shutdown).
  void Close();
  size_t subscribers() const;

 private:
  friend class Subscription;
  void Remove(Subscription* s);

  mutable std::mutex mu_;
  std::vector<Subscription*> subs_;
  bool closed_ = false;
};

}  // namespace earshot::server
