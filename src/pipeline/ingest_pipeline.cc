#include "pipeline/ingest_pipeline.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/utf8.h"

namespace earshot::pipeline {

// Routes one file's records into the pipeline, remembering where each came from.
class IngestPipeline::Sink : public ingest::RecordSink {
 public:
  Sink(IngestPipeline& p, const std::string& file) : p_(p), file_(file) {}
  void OnMention(Mention m, const ingest::RecordRef& ref) override { OnRecycledMention(m, ref); }
  void OnRecycledMention(Mention& m, const ingest::RecordRef& ref) override {
    p_.counters_.read.fetch_add(1, std::memory_order_relaxed);
    p_.Enqueue(m, {&file_, ref});
  }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view raw) override {
    p_.counters_.read.fetch_add(1, std::memory_order_relaxed);
    p_.Reject(file_, ref, reason, raw);
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {
    p_.counters_.read.fetch_add(1, std::memory_order_relaxed);
    std::lock_guard lock(p_.mu_);
    ++p_.report_.skipped;
  }

 private:
  IngestPipeline& p_;
  const std::string& file_;
};

IngestPipeline::IngestPipeline(store::Store& store, const IngestOptions& options)
    : store_(store), options_(options), queue_(options.queue_batches) {}

Result<std::unique_ptr<IngestPipeline>> IngestPipeline::Start(store::Store& store, const IngestOptions& options) {
  if (options.batch_size == 0) return Status::InvalidArgument("IngestOptions.batch_size must be positive");
  auto p = std::unique_ptr<IngestPipeline>(new IngestPipeline(store, options));
  if (!options.rejected_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.rejected_dir, ec);
    if (ec) return Status::IOError("cannot create '" + options.rejected_dir + "': " + ec.message());
    int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    std::string name = FormatRfc3339(now).substr(0, 19);
    for (char& c : name) {
      if (c == ':') c = '-';
    }
    std::filesystem::path path =
        std::filesystem::path(options.rejected_dir) / (name + "-" + std::to_string(::getpid()) + ".jsonl");
    p->rejected_out_.open(path, std::ios::app);
    if (!p->rejected_out_) return Status::IOError("cannot open '" + path.string() + "' for writing");
  }
  {
    auto empty = match::CompiledWatchSet::Compile({});
    if (!empty.ok()) return empty.status();
    p->watches_ = std::make_unique<match::WatchSetHolder>(*empty);
  }
  p->RefreshWatches();
  EARSHOT_ASSIGN_OR_RETURN(p->processor_, MentionProcessor::Create(*p->watches_, options.processor));
  p->current_ = p->TakeSpare();
  p->writer_ = std::thread([raw = p.get()] { raw->WriterLoop(); });
  return p;
}

IngestPipeline::~IngestPipeline() {
  if (!finished_) (void)Finish();
}

void IngestPipeline::IngestFile(const std::string& path, const ingest::InputOptions& input,
                                const ingest::ProgressFn& progress) {
  {
    std::lock_guard lock(mu_);
    ++report_.files;
  }
  Sink sink(*this, files_.emplace_back(path));
  Status st = ingest::ReadInput(path, input, sink, progress);
  if (!st.ok()) {
    RecordError e{path, 0, 0, st.message()};
    std::lock_guard lock(mu_);
    ListError(std::move(e));
  }
}

void IngestPipeline::Add(Mention mention) {
  counters_.read.fetch_add(1, std::memory_order_relaxed);
  static const std::string kNoFile;
  Enqueue(mention, {&kNoFile, {}});
}

void IngestPipeline::RefreshWatches() { RefreshWatchSet(store_, *watches_, &watch_version_); }

void IngestPipeline::Enqueue(Mention& m, Pending origin) {
  processor_->Process(m);
  Batch& b = current_;
  if (b.size < b.mentions.size()) {
    swap(b.mentions[b.size], m);
  } else {
    b.mentions.push_back(std::move(m));
  }
  ++b.size;
  b.origins.push_back(std::move(origin));
  if (b.size >= options_.batch_size) Flush();
}

void IngestPipeline::Flush() {
  if (current_.size == 0) return;
  queue_.Push(std::move(current_));
  current_ = TakeSpare();
}

IngestPipeline::Batch IngestPipeline::TakeSpare() {
  {
    std::lock_guard lock(spare_mu_);
    if (!spare_.empty()) {
      Batch b = std::move(spare_.back());
      spare_.pop_back();
      return b;
    }
  }
  Batch b;
  b.mentions.reserve(options_.batch_size);
  b.origins.reserve(options_.batch_size);
  return b;
}

void IngestPipeline::WriterLoop() {
  while (std::optional<Batch> batch = queue_.Pop()) {
    WriteBatch(*batch);
    // Watches added or removed meanwhile (by another process) take effect
    // without stopping the ingest.
    RefreshWatches();
    batch->size = 0;  // the Mentions stay, for their buffers
    batch->origins.clear();
    std::lock_guard lock(spare_mu_);
    if (spare_.size() <= options_.queue_batches) spare_.push_back(std::move(*batch));
  }
}

void IngestPipeline::WriteBatch(Batch& batch) {
  auto account = [&](const store::WriteSummary& s) {
    std::lock_guard lock(mu_);
    report_.stored += s.inserted;
    report_.updated += s.updated;
    report_.duplicates += s.unchanged;
    report_.text_copies += s.text_copies;
    counters_.written.fetch_add(static_cast<int64_t>(s.outcomes.size()), std::memory_order_relaxed);
  };
  Result<store::WriteSummary> r = store_.WriteBatch(batch.written());
  if (r.ok()) {
    account(*r);
    return;
  }
  // The batch rolled back: write one by one so only the culprit is rejected.
  for (size_t i = 0; i < batch.size; ++i) {
    Result<store::WriteSummary> one = store_.WriteBatch(std::span<const Mention>(&batch.mentions[i], 1));
    if (one.ok()) {
      account(*one);
      continue;
    }
    Reject(*batch.origins[i].file, batch.origins[i].ref, "store: " + one.status().message(), batch.mentions[i].id);
    if (one.status().code() == StatusCode::kIOError || one.status().code() == StatusCode::kResourceExhausted) {
      std::lock_guard lock(mu_);
      if (fatal_.ok()) fatal_ = one.status();
    }
  }
}

void IngestPipeline::Reject(const std::string& file, const ingest::RecordRef& ref, const std::string& reason,
                            std::string_view raw) {
  counters_.rejected.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  ++report_.rejected;
  ListError({file, ref.index, ref.line, reason});
  if (rejected_out_.is_open()) {
    nlohmann::json j = {{"file", file},
                        {"record", ref.index},
                        {"line", ref.line},
                        {"reason", SanitizeUtf8(reason)},
                        {"raw", SanitizeUtf8(raw)}};
    rejected_out_ << j.dump() << '\n';
  }
}

void IngestPipeline::ListError(RecordError e) {
  if (report_.errors.size() < options_.max_errors_listed) {
    report_.errors.push_back(std::move(e));
  } else {
    ++report_.errors_not_listed;
  }
}

Result<IngestReport> IngestPipeline::Finish() {
  if (finished_) return Status::FailedPrecondition("IngestPipeline::Finish called twice");
  finished_ = true;
  Flush();
  queue_.Close();
  if (writer_.joinable()) writer_.join();
  std::lock_guard lock(mu_);
  if (rejected_out_.is_open()) rejected_out_.close();
  report_.read = counters_.read.load();
  if (!fatal_.ok()) return fatal_;
  return report_;
}

}  // namespace earshot::pipeline
