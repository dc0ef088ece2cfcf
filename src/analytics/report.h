// `earshot report`: every analytic for one watch, one watch group, or all
// mentions and every watch, over a range, as JSON (the API serves the same
// document) or as text for a terminal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "analytics/rollup_query.h"
#include "core/status.h"
#include "store/store.h"

namespace earshot::analytics {

struct ReportOptions {
  std::string watch;  // one watch by name, or
  std::string group;  // the watches of one group; neither: everything
  // The range; by default the 30 days that end with the newest stored
  // mention (whole UTC days).
  std::optional<int64_t> from_ms;
  std::optional<int64_t> to_ms;
  // Only mentions of this channel, language and/or country, in every
  // section (volume and breakdowns from the combined facet rollups).
  FacetFilter filter;
  int top = 10;  // rows in each top list
  // Mentions read (newest ranges first) for the analytics rollups cannot
  // answer: influencers, sources, cascades, emerging topics, spike reasons.
  int64_t scan_limit = 1'000'000;
  // Which sections: everything, only those the rollups answer (volume,
  // share of voice, breakdowns, top sites, comparison: what a dashboard
  // draws first, in milliseconds), or only those that read mentions
  // (spikes, emerging, influencers, sources, cascades, top authors).
  enum class Parts { kAll, kRollups, kMentions } parts = Parts::kAll;
};

// Returns the report document. Keys: range, watches, filter, then by part:
// rollups — volume, share_of_voice, channels, languages, countries, sites,
// comparison; mentions — spikes, scanned, emerging, influencers, sources,
// cascades, authors (docs/ANALYTICS.md).
// NotFound names an unknown watch or group.
Result<nlohmann::json> BuildReport(store::Store& store, const ReportOptions& options);

// Returns `report` as plain text for a terminal. Untrusted strings are
// passed through `safe` (the CLI makes them terminal-safe).
std::string FormatReport(const nlohmann::json& report, std::string (*safe)(std::string_view));

}  // namespace earshot::analytics
