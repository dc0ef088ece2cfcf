#include "server/event_hub.h"

#include <algorithm>
#include <chrono>

namespace earshot::server {

Subscription::~Subscription() { hub_.Remove(this); }

void Subscription::Offer(const std::shared_ptr<const Event>& e) {
  if (!filter_.empty()) {
    bool hit = std::any_of(e->watch_ids.begin(), e->watch_ids.end(), [&](int64_t id) {
      return std::find(filter_.begin(), filter_.end(), id) != filter_.end();
    });
    if (!hit) return;
  }
  {
    std::lock_guard lock(mu_);
    if (queue_.size() >= capacity_) {
      queue_.pop_front();
      ++dropped_;
    }
    queue_.push_back(e);
  }
  cv_.notify_one();
}

std::vector<std::shared_ptr<const Event>> Subscription::Wait(int64_t timeout_ms, int64_t* dropped) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return closed_ || !queue_.empty(); });
  std::vector<std::shared_ptr<const Event>> out(queue_.begin(), queue_.end());
  queue_.clear();
  if (dropped) *dropped = dropped_;
  dropped_ = 0;
  return out;
}

bool Subscription::closed() const {
  std::lock_guard lock(mu_);
  return closed_;
}

std::unique_ptr<Subscription> EventHub::Subscribe(std::vector<int64_t> watch_filter, size_t capacity) {
  std::unique_ptr<Subscription> s(new Subscription(*this, std::move(watch_filter), std::max<size_t>(capacity, 1)));
  std::lock_guard lock(mu_);
  if (closed_) {
    s->closed_ = true;
  } else {
    subs_.push_back(s.get());
  }
  return s;
}

void EventHub::Publish(Event e) {
  auto shared = std::make_shared<const Event>(std::move(e));
  std::lock_guard lock(mu_);
  for (Subscription* s : subs_) s->Offer(shared);
}

void EventHub::Close() {
  std::lock_guard lock(mu_);
  closed_ = true;
  for (Subscription* s : subs_) {
    {
      std::lock_guard sl(s->mu_);
      s->closed_ = true;
    }
    s->cv_.notify_all();
  }
}

size_t EventHub::subscribers() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

void EventHub::Remove(Subscription* s) {
  std::lock_guard lock(mu_);
  subs_.erase(std::remove(subs_.begin(), subs_.end(), s), subs_.end());
}

}  // namespace earshot::server
