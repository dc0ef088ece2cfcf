// Format writers: each turns emissions into one real source format, byte
// for byte the way the source serves it (X API v2 stream lines, Mastodon
// statuses, RSS 2.0 and Atom, Hacker News items, Reddit listings, CSV), plus
// the truth file of every mention. The dispatcher routes each emission to
// its platform's writer.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/out_buffer.h"
#include "sim/process.h"
#include "sim/world.h"

namespace earshot::sim {

// A file being written: its sink, its buffer and its record count.
struct OpenFile {
  std::string rel;  // path relative to the output directory
  std::unique_ptr<FileSink> sink;
  std::unique_ptr<BufferedWriter> writer;
  int64_t records = 0;
  OutBuffer& buf() { return writer->buf(); }
};

// A file written in bursts: bytes collect in memory and are appended by
// reopening the file, so that a run with a thousand feeds holds no thousand
// open descriptors.
struct BurstFile {
  std::string rel;
  OutBuffer buf{1 << 16};
  bool created = false;
  int64_t records = 0;
  static constexpr size_t kBurstBytes = 1 << 16;
};

// The output directory: opens files under it and keeps the summary.
class Outputs {
 public:
  explicit Outputs(std::string root) : root_(std::move(root)) {}
  // Opens `rel` for writing (creating its directory); nullptr after an error.
  std::unique_ptr<OpenFile> Open(const std::string& rel, size_t flush_at = 1 << 17);
  // Flushes and closes `f` (if any), recording its records and bytes.
  void Close(std::unique_ptr<OpenFile>& f);
  // Appends what `f` holds to its file (creating it the first time).
  void Append(BurstFile& f);
  // Appends the rest of `f` and records its records and bytes.
  void Close(BurstFile& f);
  void Fail(const Status& s) {
    if (status_.ok() && !s.ok()) status_ = s;
  }
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const std::map<std::string, int64_t>& per_file() const { return per_file_; }
  int64_t bytes() const { return bytes_; }

 private:
  std::string root_;
  Status status_;
  std::map<std::string, int64_t> per_file_;
  int64_t bytes_ = 0;
};

// Appends one X API v2 filtered-stream message (one line) for `e`.
void FormatXLine(const World& w, const Emission& e, OutBuffer& out);

// Routes emissions to the format writers and the truth file.
class Dispatcher final : public EmissionSink {
 public:
  struct Options {
    bool truth = true;
    int64_t start_ms = 0;
    int64_t end_ms = 0;
  };
  Dispatcher(const World& w, Outputs& out, const Options& opts);
  ~Dispatcher() override;
  void OnEmission(const Emission& e) override;
  bool ok() const override { return out_.ok(); }
  // Closes every file (writing feed and array footers). Call once at the end.
  void Finish();
  const std::map<std::string, int64_t>& per_channel() const { return per_channel_; }

 private:
  class DailyFile;
  class Feeds;
  class Csv;

  void WriteX(const Emission& e);
  void WriteMastodon(const Emission& e);
  void WriteHn(const Emission& e);
  void WriteReddit(const Emission& e);
  void WriteTruth(const Emission& e);

  const World& w_;
  Outputs& out_;
  Options opts_;
  std::unique_ptr<DailyFile> x_, mastodon_, hn_, reddit_posts_, reddit_comments_;
  std::unique_ptr<Feeds> feeds_;
  std::unique_ptr<Csv> csv_;
  std::unique_ptr<OpenFile> truth_;
  std::map<std::string, int64_t> per_channel_;
  std::string scratch_;
};

// Writes crm/salesforce_accounts.csv, crm/salesforce_contacts.csv and
// crm/hubspot_contacts.csv, all dated before `start_ms`. Returns the number
// of contact rows written.
int64_t WriteCrm(const World& w, uint64_t seed, int64_t start_ms, Outputs& out);

// Writes truth/watches.jsonl, truth/events.jsonl, truth/influence.jsonl and
// truth/identities.jsonl.
void WriteWorldTruth(const World& w, Outputs& out);

// Returns the author handle of `person` on `platform` as the connector stores it.
std::string AuthorHandle(const World& w, int person, Platform platform);

}  // namespace earshot::sim
