// Spike detection scored against the simulator: a simulated world's truth
// watches as hourly series, and the score of detected spikes against its
// injected events (truth/events.jsonl). docs/SPIKES.md reports the scores.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analytics/series.h"
#include "analytics/spikes.h"
#include "core/status.h"

namespace earshot::analytics {

// One injected event of the simulator.
struct TruthEvent {
  std::string kind, watch, direction;  // direction "up" (launch) or "down" (incident)
  int64_t start_ms = 0, end_ms = 0;
};

// A simulated world as hourly series of its ready-made watches.
struct SimulatedWorld {
  std::vector<std::string> names;                      // truth watches
  std::vector<Series> series;                          // per watch, hourly, the whole run
  std::vector<std::vector<int64_t>> caused_per_hour;   // per watch and hour: mentions an event caused
  std::vector<TruthEvent> events;
  int64_t mentions = 0;                                // X lines read
};

// Simulates an X-only world (seed, days, mentions) into `dir`, reads its
// lines with the X connector, and counts each truth watch's matches per
// hour by sentiment class (the VADER-method scorer on the text). Fails on
// any rejected line or a mention outside the run.
Result<SimulatedWorld> BuildSimulatedWorld(uint64_t seed, int days, int64_t mentions, const std::string& dir);

struct SpikeScore {
  int events = 0;
  int found = 0;               // events with an overlapping volume spike on their watch
  int sentiment_found = 0;     // ... with a sentiment spike of their direction
  int incidents = 0;           // events with direction "down"
  int incidents_negative = 0;  // ... with a negative sentiment spike
  int spikes = 0;              // volume spikes on every watch
  int on_event_watch = 0;      // volume spikes overlapping an event of their own watch
  int explained = 0;           // ... or whose mentions are a quarter or more caused by some event
  int sentiment_spikes = 0;
  int sentiment_explained = 0;
  std::vector<double> delays_h;  // detected_at - event start, found events
  std::vector<std::string> misses;        // "kind watch start" of events not found
  std::vector<std::string> false_alarms;  // spikes neither on an event's watch nor caused by one

  // Adds `other`'s counts and lists to this score.
  void Add(const SpikeScore& other);
};

// Scores `spikes` (per watch, in world.names order) against world.events.
SpikeScore ScoreSpikes(const SimulatedWorld& world, const std::vector<std::vector<Spike>>& spikes);

}  // namespace earshot::analytics
