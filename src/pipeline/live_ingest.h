// Long-running ingest for the server: uploads, polled feeds and the live
// demo stream submit batches from many threads, each enriched and matched
// on its submitter's thread (language, sentiment, intent, geography, the
// watches with their target sentiment: in parallel); one writer thread
// assigns near-duplicate stories (one index sees every mention) and commits
// what is waiting in one transaction (group commit),
// then tells each submitter what became of its mentions and hands the new
// ones to a listener (the live stream). Watches added or removed take effect
// from the next submission: call WatchesChanged() after changing them here;
// changes by another process are picked up before the writer's next batch.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "pipeline/mention_processor.h"
#include "store/store.h"

namespace earshot::pipeline {

struct LiveIngestOptions {
  // Most mentions committed in one transaction.
  size_t max_batch = 8192;
  // Commits start at most this often (unless max_batch is waiting): under
  // load, fewer and larger transactions cost less per mention (one index
  // segment and one WAL sync each), at the price of this much latency.
  int commit_interval_ms = 250;
  // Submissions waiting before Submit blocks (backpressure on uploads).
  size_t max_queued_mentions = 200'000;
  ProcessorOptions processor;
};

// What became of one submission.
struct SubmitResult {
  int64_t stored = 0;      // new
  int64_t updated = 0;     // known id, changed content
  int64_t duplicates = 0;  // known id, identical content
  int64_t text_copies = 0;  // of the stored and updated: exact copies of a recent text, stored as a reference
  int64_t rejected = 0;    // the store refused the mention (one by one after a failed batch)
  std::vector<std::pair<size_t, std::string>> errors;  // (index in the submission, reason)
};

// Called on the writer thread after each commit with the mentions it stored
// anew or changed (enriched, with their watch matches), and each one's
// arrival time (ms since the epoch). Must return quickly: the writer waits.
using StoredListener = std::function<void(std::vector<Mention> stored, std::vector<int64_t> arrived_ms)>;

struct LiveIngestStats {
  int64_t queued = 0;       // mentions waiting for the writer
  int64_t processed = 0;    // mentions committed (any outcome) since start
  int64_t stored = 0;
  int64_t batches = 0;
};

class LiveIngest {
 public:
  // Starts the writer on `store` (owned: the writer's connection).
  static Result<std::unique_ptr<LiveIngest>> Start(std::unique_ptr<store::Store> store,
                                                   const LiveIngestOptions& options, StoredListener listener);
  ~LiveIngest();
  LiveIngest(const LiveIngest&) = delete;
  LiveIngest& operator=(const LiveIngest&) = delete;

  // Enriches `mentions` on the caller's thread, queues them and returns a
  // future for their outcome. Thread-safe. Blocks while the queue is full.
  std::future<SubmitResult> Submit(std::vector<Mention> mentions);

  // Recompiles the watch set now if `store`'s watches changed. Thread-safe.
  void WatchesChanged(store::Store& store);

  LiveIngestStats Stats() const;

  // Drains the queue and stops the writer. Idempotent.
  void Stop();

 private:
  struct Pending {
    std::vector<Mention> mentions;
    std::promise<SubmitResult> done;
    int64_t arrived_ms = 0;
  };

  LiveIngest(std::unique_ptr<store::Store> store, const LiveIngestOptions& options, StoredListener listener);
  void WriterLoop();
  void RefreshWatches();
  void Commit(std::vector<Pending>& group);

  std::unique_ptr<store::Store> store_;
  LiveIngestOptions options_;
  StoredListener listener_;
  std::unique_ptr<match::WatchSetHolder> watches_;
  std::unique_ptr<MentionProcessor> stories_;  // writer thread only: AssignStory
  // Processors lent to submitting threads for enrichment and matching (each
  // holds its own Hyperscan scratch and buffers).
  std::mutex processors_mu_;
  std::vector<std::unique_ptr<MentionProcessor>> idle_processors_;
  std::mutex refresh_mu_;  // guards watch_version_ and recompiling
  int64_t watch_version_ = -1;

  mutable std::mutex mu_;
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<Pending> queue_;
  size_t queued_mentions_ = 0;
  bool stopping_ = false;
  std::thread writer_;
  std::chrono::steady_clock::time_point last_commit_{};  // writer thread only

  std::atomic<int64_t> processed_{0};
  std::atomic<int64_t> stored_{0};
  std::atomic<int64_t> batches_{0};
};

}  // namespace earshot::pipeline
