// A RecordSink for connector tests: keeps every mention, reject and skip in
// the order reported, with its RecordRef.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/mention.h"
#include "ingest/connector.h"

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

  std::vector<Reported> mentions;
  std::vector<Problem> rejects;
  std::vector<Problem> skips;
  std::string order;  // 'm', 'r', 's' per record, in report order
};

}  // namespace earshot::ingest::testing
