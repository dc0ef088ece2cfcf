// The word-index writes of one transaction, applied in row-key order.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/sqlite/sqlite_handle.h"

namespace earshot::store::sqlite {

// FTS5 gathers a transaction's postings in memory and appends each row's
// as a delta from the row before, so a write whose rowid is lower than the
// previous write's (or an insert that repeats one) first flushes everything
// gathered to a new segment. Written in arrival order, a batch makes one
// small segment per step back in time: a feed lists its newest item first,
// replies arrive late, two posts of one millisecond get keys in hash order.
// Each such segment costs a flush now and merges later (one in 10,000
// posts stepping back cost 5 % of ingest). Queued and applied in key
// order, a batch is one segment.
class IndexQueue {
 public:
  // Indexes a row's words. The views must stay valid until Apply.
  void Insert(int64_t key, std::string_view title, std::string_view text);
  // Removes a row's words; they must be the ones indexed. Keeps copies.
  void Remove(int64_t key, std::string title, std::string text);

  // Runs every queued write in key order, queue order among writes to one
  // key, through `insert` (?1 key, ?2 title, ?3 text) or `remove` (same
  // parameters), then empties the queue. Writes to different keys commute,
  // so the index ends as if they had run in queue order.
  Status Apply(Stmt& insert, Stmt& remove);
  void Clear();
  size_t size() const { return ops_.size(); }

 private:
  struct Op {
    int64_t key;
    uint32_t seq;
    bool remove;
    std::string_view title, text;
  };
  std::vector<Op> ops_;
  std::deque<std::string> owned_;  // removals' words; a deque never moves them
};

}  // namespace earshot::store::sqlite
