// The report sections that read mentions rather than rollups: spikes with
// their reasons, emerging topics, influencers and sources, cascades.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/report.h"
#include "analytics/rollup_query.h"
#include "core/status.h"
#include "store/store.h"

namespace earshot::analytics {

struct SectionContext {
  store::Store& store;
  const std::vector<store::Watch>& watches;  // the report's watches
  const std::vector<int64_t>& rollup_ids;    // what volume sums (0: every mention)
  TimeRange range;
  const ReportOptions& options;
};

// Adds "spikes", "emerging", "influencers", "sources" and "cascades" to
// `report`.
Status AddMentionSections(const SectionContext& ctx, nlohmann::json& report);

}  // namespace earshot::analytics
