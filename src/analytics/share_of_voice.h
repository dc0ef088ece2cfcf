// Share of voice: how a watch group's members (a brand and its competitors)
// divide the conversation — mentions, reach, positive and negative mentions —
// over a range and bucket by bucket.
#pragma once

#include <string>
#include <vector>

#include "analytics/rollup_query.h"
#include "analytics/series.h"
#include "core/status.h"
#include "store/store.h"

namespace earshot::analytics {

struct VoiceMember {
  std::string watch;
  int64_t watch_id = 0;
  Bucket total;
  // Each in [0, 1]: this member's part of the group's sum (0 when the sum is 0).
  double share = 0;
  double reach_share = 0;
  double positive_share = 0;
  double negative_share = 0;
};

// The members' mention shares in one bucket, in member order.
struct VoicePoint {
  int64_t t_ms = 0;
  std::vector<double> shares;
};

struct ShareOfVoice {
  std::string group;
  std::vector<VoiceMember> members;  // in the order given
  Grain grain = Grain::kDay;
  std::vector<VoicePoint> series;
};

// Returns the share of voice of `members` (the watches of `group`) over `r`,
// with a series at `grain`, counting only mentions that pass `filter`.
Result<ShareOfVoice> ComputeShareOfVoice(store::Store& store, const std::string& group,
                                         const std::vector<store::Watch>& members, TimeRange r, Grain grain,
                                         const FacetFilter& filter = {});

}  // namespace earshot::analytics
