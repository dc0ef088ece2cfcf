#include "pipeline/live_ingest.h"

#include <chrono>

#include "core/time.h"

namespace earshot::pipeline {

LiveIngest::LiveIngest(std::unique_ptr<store::Store> store, const LiveIngestOptions& options,
                       StoredListener listener)
    : store_(std::move(store)), options_(options), listener_(std::move(listener)) {}

Result<std::unique_ptr<LiveIngest>> LiveIngest::Start(std::unique_ptr<store::Store> store,
                                                      const LiveIngestOptions& options, StoredListener listener) {
  if (!store) return Status::InvalidArgument("LiveIngest needs a store");
  if (options.max_batch == 0) return Status::InvalidArgument("LiveIngestOptions.max_batch must be positive");
  auto p = std::unique_ptr<LiveIngest>(new LiveIngest(std::move(store), options, std::move(listener)));
  EARSHOT_ASSIGN_OR_RETURN(auto empty, match::CompiledWatchSet::Compile({}));
  p->watches_ = std::make_unique<match::WatchSetHolder>(empty);
  p->RefreshWatches();
  EARSHOT_ASSIGN_OR_RETURN(p->stories_, MentionProcessor::Create(*p->watches_, options.processor));
  EARSHOT_ASSIGN_OR_RETURN(std::unique_ptr<MentionProcessor> first,
                           MentionProcessor::Create(*p->watches_, options.processor));
  p->idle_processors_.push_back(std::move(first));
  p->writer_ = std::thread([raw = p.get()] { raw->WriterLoop(); });
  return p;
}

LiveIngest::~LiveIngest() { Stop(); }

void LiveIngest::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !writer_.joinable()) return;
    stopping_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
  if (writer_.joinable()) writer_.join();
}

std::future<SubmitResult> LiveIngest::Submit(std::vector<Mention> mentions) {
  std::unique_ptr<MentionProcessor> proc;
  {
    std::lock_guard lock(processors_mu_);
    if (!idle_processors_.empty()) {
      proc = std::move(idle_processors_.back());
      idle_processors_.pop_back();
    }
  }
  if (!proc) {
    // Creating one cannot fail once Start made the first (same options).
    Result<std::unique_ptr<MentionProcessor>> made = MentionProcessor::Create(*watches_, options_.processor);
    if (made.ok()) proc = std::move(*made);
  }
  if (proc) {
    for (Mention& m : mentions) proc->EnrichAndMatch(m);
    std::lock_guard lock(processors_mu_);
    idle_processors_.push_back(std::move(proc));
  }
  Pending p;
  p.mentions = std::move(mentions);
  p.arrived_ms = NowMs();
  std::future<SubmitResult> f = p.done.get_future();
  size_t n = p.mentions.size();
  std::unique_lock lock(mu_);
  // A submission larger than the whole queue still goes in once the queue is empty.
  not_full_.wait(lock, [&] {
    return stopping_ || queued_mentions_ == 0 || queued_mentions_ + n <= options_.max_queued_mentions;
  });
  if (stopping_) {
    lock.unlock();
    SubmitResult r;
    r.rejected = static_cast<int64_t>(n);
    for (size_t i = 0; i < n; ++i) r.errors.emplace_back(i, "server is shutting down");
    p.done.set_value(std::move(r));
    return f;
  }
  queued_mentions_ += n;
  queue_.push_back(std::move(p));
  lock.unlock();
  not_empty_.notify_one();
  return f;
}

LiveIngestStats LiveIngest::Stats() const {
  LiveIngestStats s;
  {
    std::lock_guard lock(mu_);
    s.queued = static_cast<int64_t>(queued_mentions_);
  }
  s.processed = processed_.load(std::memory_order_relaxed);
  s.stored = stored_.load(std::memory_order_relaxed);
  s.batches = batches_.load(std::memory_order_relaxed);
  return s;
}

void LiveIngest::RefreshWatches() {
  std::lock_guard lock(refresh_mu_);
  RefreshWatchSet(*store_, *watches_, &watch_version_);
}

void LiveIngest::WatchesChanged(store::Store& store) {
  std::lock_guard lock(refresh_mu_);
  RefreshWatchSet(store, *watches_, &watch_version_);
}

void LiveIngest::WriterLoop() {
  while (true) {
    std::vector<Pending> group;
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      // Gather more while the last commit was recent (group commit).
      auto due = last_commit_ + std::chrono::milliseconds(options_.commit_interval_ms);
      not_empty_.wait_until(lock, due, [&] { return stopping_ || queued_mentions_ >= options_.max_batch; });
      // Group commit: take submissions until the batch is full.
      size_t taken = 0;
      while (!queue_.empty() && (taken == 0 || taken + queue_.front().mentions.size() <= options_.max_batch)) {
        taken += queue_.front().mentions.size();
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    last_commit_ = std::chrono::steady_clock::now();
    // Another process (the CLI) may have changed the watches as well.
    RefreshWatches();
    Commit(group);
    size_t n = 0;
    for (const Pending& p : group) n += p.mentions.size();
    {
      std::lock_guard lock(mu_);
      queued_mentions_ -= n;
    }
    not_full_.notify_all();
  }
}

void LiveIngest::Commit(std::vector<Pending>& group) {
  std::vector<Mention> batch;
  std::vector<int64_t> arrived;
  std::vector<SubmitResult> results(group.size());
  for (Pending& p : group) {
    for (Mention& m : p.mentions) {
      stories_->AssignStory(m);
      batch.push_back(std::move(m));
      arrived.push_back(p.arrived_ms);
    }
  }
  std::vector<store::WriteOutcome> outcomes(batch.size(), store::WriteOutcome::kUnchanged);
  std::vector<bool> copies(batch.size(), false);
  std::vector<std::string> failures(batch.size());
  Result<store::WriteSummary> all = store_->WriteBatch(batch);
  if (all.ok()) {
    outcomes = std::move(all->outcomes);
    copies = std::move(all->text_copy);
  } else {
    // The batch rolled back: write one by one so only the culprits fail.
    for (size_t i = 0; i < batch.size(); ++i) {
      Result<store::WriteSummary> one = store_->WriteBatch(std::span<const Mention>(&batch[i], 1));
      if (one.ok() && !one->outcomes.empty()) {
        outcomes[i] = one->outcomes[0];
        copies[i] = one->text_copy[0];
      } else {
        failures[i] = one.ok() ? "store wrote nothing" : "store: " + one.status().message();
      }
    }
  }
  std::vector<Mention> fresh;
  std::vector<int64_t> fresh_arrived;
  size_t at = 0;
  for (size_t g = 0; g < group.size(); ++g) {
    SubmitResult& r = results[g];
    for (size_t i = 0; i < group[g].mentions.size(); ++i, ++at) {
      if (!failures[at].empty()) {
        ++r.rejected;
        r.errors.emplace_back(i, failures[at]);
        continue;
      }
      if (copies[at]) ++r.text_copies;
      switch (outcomes[at]) {
        case store::WriteOutcome::kInserted: ++r.stored; break;
        case store::WriteOutcome::kUpdated: ++r.updated; break;
        case store::WriteOutcome::kUnchanged: ++r.duplicates; continue;
      }
      fresh_arrived.push_back(arrived[at]);
      fresh.push_back(std::move(batch[at]));
    }
  }
  processed_.fetch_add(static_cast<int64_t>(batch.size()), std::memory_order_relaxed);
  stored_.fetch_add(static_cast<int64_t>(fresh.size()), std::memory_order_relaxed);
  batches_.fetch_add(1, std::memory_order_relaxed);
  for (size_t g = 0; g < group.size(); ++g) group[g].done.set_value(std::move(results[g]));
  if (listener_ && !fresh.empty()) listener_(std::move(fresh), std::move(fresh_arrived));
}

}  // namespace earshot::pipeline
