// The ingest pipeline: connectors → Mentions → batches → one writer thread
// that owns the store's write connection and commits a batch per
// transaction (rows and word index together). Bad records are counted,
// listed and kept under <data>/rejected/, never silently dropped.
#pragma once

#include <atomic>
#include <deque>
#include <cstdint>
#include <fstream>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/mention.h"
#include "core/status.h"
#include "ingest/connector.h"
#include "ingest/input_reader.h"
#include "pipeline/bounded_queue.h"
#include "pipeline/mention_processor.h"
#include "store/store.h"

namespace earshot::pipeline {

struct IngestOptions {
  // Mentions per write transaction: larger batches amortise the commit
  // (fsync under Durability::kFull) but hold more in memory.
  size_t batch_size = 4096;
  // Batches waiting for the writer before readers block.
  size_t queue_batches = 4;
  // Directory for rejected records ("" keeps none). One JSON line per record.
  std::string rejected_dir;
  // At most this many record errors are listed in the report (all are counted).
  size_t max_errors_listed = 1000;
  // Enrichment and live matching of each mention before it is stored.
  ProcessorOptions processor;
};

// One record that could not be stored.
struct RecordError {
  std::string file;
  int64_t record = 0;  // 1-based index within the file; 0 for the file as a whole
  int64_t line = 0;    // 1-based line when known
  std::string reason;
};

struct IngestReport {
  int64_t read = 0;        // records read (mentions + rejected + skipped)
  int64_t stored = 0;      // new mentions written
  int64_t updated = 0;     // known mentions whose content changed
  int64_t duplicates = 0;  // known mentions with identical content: nothing written
  int64_t text_copies = 0;  // of stored and updated: exact copies of a recent text, which is stored once
  int64_t rejected = 0;    // records that could not become (or be stored as) mentions
  int64_t skipped = 0;     // well-formed records that carry no post
  int64_t files = 0;
  std::vector<RecordError> errors;  // first max_errors_listed rejections and unreadable files
  int64_t errors_not_listed = 0;
  int64_t expired = 0;  // removed by retention policies once the ingest finished (set by the caller)
};

// Live counters, readable from another thread for progress display.
struct IngestCounters {
  std::atomic<int64_t> read{0};
  std::atomic<int64_t> written{0};
  std::atomic<int64_t> rejected{0};
};

class IngestPipeline {
 public:
  // Starts the writer thread on `store` (borrowed; must outlive the pipeline).
  static Result<std::unique_ptr<IngestPipeline>> Start(store::Store& store, const IngestOptions& options);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  // Reads one file through its connector into the pipeline. A file that
  // cannot be read at all is listed in the report; it is not an error here.
  // Not thread-safe: call from one thread.
  void IngestFile(const std::string& path, const ingest::InputOptions& input,
                  const ingest::ProgressFn& progress = nullptr);

  // Adds one mention produced elsewhere (the simulator, the API).
  void Add(Mention mention);

  // Flushes, stops the writer and returns the report. Call once.
  Result<IngestReport> Finish();

  const IngestCounters& counters() const { return counters_; }

 private:
  struct Pending {
    const std::string* file;  // in files_ (not copied for every record)
    ingest::RecordRef ref;
  };
  struct Batch {
    // mentions[0, size) are the batch; the rest are written Mentions kept
    // for their buffers: each is swapped out to the connector that refills
    // it with the next record (ingest::RecordSink::OnRecycledMention), so
    // the reader does not allocate, nor the writer free, every string.
    std::vector<Mention> mentions;
    size_t size = 0;
    std::vector<Pending> origins;  // parallel to mentions[0, size)
    std::span<const Mention> written() const { return {mentions.data(), size}; }
  };
  class Sink;

  IngestPipeline(store::Store& store, const IngestOptions& options);
  // Adds `m` to the current batch, leaving a spent Mention (or an empty one) in `m`.
  void Enqueue(Mention& m, Pending origin);
  void Flush();
  // An empty batch with room for batch_size mentions.
  Batch TakeSpare();
  void WriterLoop();
  void WriteBatch(Batch& batch);
  void Reject(const std::string& file, const ingest::RecordRef& ref, const std::string& reason,
              std::string_view raw);
  void ListError(RecordError e);
  // Recompiles the watch set when the store's watches changed (writer thread).
  void RefreshWatches();

  store::Store& store_;
  IngestOptions options_;
  BoundedQueue<Batch> queue_;
  Batch current_;
  // Written batches, emptied, go back to the reader: a batch's vectors then
  // keep their capacity instead of growing (and moving thousands of
  // Mentions) again for every batch.
  // The names of the files read, for the origins of pending records: a
  // deque keeps each one where it is as more are added.
  std::deque<std::string> files_;  // reader thread adds; entries never change
  std::mutex spare_mu_;
  std::vector<Batch> spare_;
  std::thread writer_;
  IngestCounters counters_;
  std::unique_ptr<match::WatchSetHolder> watches_;
  int64_t watch_version_ = -1;  // writer thread only
  std::unique_ptr<MentionProcessor> processor_;  // reader (caller) thread only

  std::mutex mu_;          // guards report_, rejected_out_, fatal_
  IngestReport report_;
  std::ofstream rejected_out_;
  Status fatal_;
  bool finished_ = false;
};

}  // namespace earshot::pipeline
