// A RecordSink for connector tests: keeps every mention, reject and skip in
// the order reported, with its RecordRef.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/mention.h"
#include "core/strings.h"
#include "ingest/connector.h"
#include "mention_fields.h"
#include "testutil.h"

namespace earshot::ingest::testing {

class RecordCollector : public RecordSink {
 public:
  struct Reported {
    RecordRef ref;
    Mention mention;
  };
  struct Problem {
    RecordRef ref;
    std::string reason;
    std::string raw;  // empty for skips
  };

  void OnMention(Mention mention, const RecordRef& ref) override {
    mentions.push_back({ref, std::move(mention)});
    order.push_back('m');
  }
  void OnReject(const RecordRef& ref, std::string reason, std::string_view raw) override {
    rejects.push_back({ref, std::move(reason), std::string(raw)});
    order.push_back('r');
  }
  void OnSkip(const RecordRef& ref, std::string reason) override {
    skips.push_back({ref, std::move(reason), ""});
    order.push_back('s');
  }

  // Returns the mention with id `id`, or nullptr.
  const Mention* Find(std::string_view id) const {
    for (const Reported& r : mentions) {
      if (r.mention.id == id) return &r.mention;
    }
    return nullptr;
  }

  // Returns the number of records reported so far.
  int64_t reported() const { return static_cast<int64_t>(mentions.size() + rejects.size() + skips.size()); }

  std::vector<Reported> mentions;
  std::vector<Problem> rejects;
  std::vector<Problem> skips;
  std::string order;  // 'm', 'r', 's' per record, in report order
};

// A sink that hands back a spent Mention for each one it takes, as the
// ingest pipeline does, so a connector that recycles its Mention refills one
// whose every field was set: nothing of one post may survive into the next.
// Keeps each mention as DescribeMention() gives it.
class SwappingCollector : public RecordSink {
 public:
  void OnMention(Mention mention, const RecordRef&) override {
    described.push_back(earshot::testing::DescribeMention(mention));
  }
  void OnRecycledMention(Mention& mention, const RecordRef&) override {
    ++recycled;
    described.push_back(earshot::testing::DescribeMention(mention));
    Mention spent = earshot::testing::FullMention();
    std::swap(spent, mention);
  }
  void OnReject(const RecordRef&, std::string reason, std::string_view) override { problems.push_back(reason); }
  void OnSkip(const RecordRef&, std::string reason) override { problems.push_back(reason); }
  int64_t reported() const { return static_cast<int64_t>(described.size() + problems.size()); }

  std::vector<std::string> described;
  std::vector<std::string> problems;
  int recycled = 0;
};

// Feeds `content` as the ingest driver does for kLines connectors: one
// Parse() per non-blank line, with its line number and the next index.
template <typename Sink>
void FeedLines(Connector& connector, std::string_view content, Sink& sink) {
  ParseContext ctx;
  ctx.file = "test.jsonl";
  int64_t line_no = 0;
  for (size_t pos = 0; pos < content.size();) {
    size_t end = std::min(content.find('\n', pos), content.size());
    std::string_view line = content.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (TrimAscii(line).empty()) continue;
    ctx.line = line_no;
    ctx.first_index = sink.reported() + 1;
    ASSERT_OK(connector.Parse(line, ctx, sink));
  }
}

// Feeds `content` in one Parse() call, as the ingest driver does for a
// whole document.
template <typename Sink>
void FeedWhole(Connector& connector, std::string_view content, Sink& sink) {
  ParseContext ctx;
  ctx.file = "test.json";
  ASSERT_OK(connector.Parse(content, ctx, sink));
}

// Checks that `make()`'s connector gives the same mentions, field by field,
// whether the sink takes them (RecordCollector) or hands back spent ones.
// `content` is fed line by line, or whole when `whole`.
template <typename MakeConnector>
void ExpectRecycledEqualsFresh(MakeConnector make, std::string_view content, bool whole = false) {
  RecordCollector fresh;
  SwappingCollector swapping;
  if (whole) {
    FeedWhole(*make(), content, fresh);
    FeedWhole(*make(), content, swapping);
  } else {
    FeedLines(*make(), content, fresh);
    FeedLines(*make(), content, swapping);
  }
  ASSERT_EQ(swapping.described.size(), fresh.mentions.size());
  EXPECT_EQ(swapping.recycled, static_cast<int>(fresh.mentions.size()));
  for (size_t i = 0; i < fresh.mentions.size(); ++i) {
    EXPECT_EQ(swapping.described[i], earshot::testing::DescribeMention(fresh.mentions[i].mention)) << "mention " << i;
  }
}

}  // namespace earshot::ingest::testing
