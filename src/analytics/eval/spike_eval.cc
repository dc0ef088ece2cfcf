#include "analytics/eval/spike_eval.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "enrich/sentiment.h"
#include "ingest/connector.h"
#include "ingest/x_connector.h"
#include "match/evaluator.h"
#include "match/mention_view.h"
#include "match/query.h"
#include "sim/sim.h"

namespace earshot::analytics {
namespace {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return Status::IOError("cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Result<std::vector<std::string>> Lines(const fs::path& p) {
  EARSHOT_ASSIGN_OR_RETURN(std::string text, ReadFile(p));
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) out.push_back(std::move(l));
  }
  return out;
}

// Collects mentions; the first rejected line is an error.
class Collector : public ingest::RecordSink {
 public:
  void OnMention(Mention m, const ingest::RecordRef&) override { mentions.push_back(std::move(m)); }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    if (error.ok()) error = Status::InvalidArgument("line " + std::to_string(ref.line) + ": " + reason);
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  std::vector<Mention> mentions;
  Status error;
};

Result<int64_t> Time(const nlohmann::json& j, const char* key) {
  Result<int64_t> t = ParseRfc3339(j.at(key).get<std::string>());
  if (!t.ok()) return t.status().WithContext(std::string("event ") + key);
  return t;
}

Status ReadTruth(const fs::path& root, SimulatedWorld& w, std::vector<match::Query>& queries,
                 std::unordered_set<std::string>& caused) {
  EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> events, Lines(root / "truth/events.jsonl"));
  for (const std::string& l : events) {
    const nlohmann::json j = nlohmann::json::parse(l);
    TruthEvent e{j.at("kind"), j.at("watch"), j.at("direction")};
    EARSHOT_ASSIGN_OR_RETURN(e.start_ms, Time(j, "start"));
    EARSHOT_ASSIGN_OR_RETURN(e.end_ms, Time(j, "end"));
    w.events.push_back(std::move(e));
  }
  EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> watches, Lines(root / "truth/watches.jsonl"));
  for (const std::string& l : watches) {
    const nlohmann::json j = nlohmann::json::parse(l);
    Result<match::Query> q = match::ParseQuery(j.at("query").get<std::string>());
    if (!q.ok()) return q.status().WithContext("watch " + l);
    w.names.push_back(j.at("name"));
    queries.push_back(*q);
  }
  // Mentions the simulator caused by an injected event carry "event".
  EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> truth, Lines(root / "truth/mentions.jsonl"));
  for (const std::string& l : truth) {
    if (l.find("\"event\":") == std::string::npos) continue;
    const size_t a = l.find("\"id\":\"") + 6;
    caused.insert(l.substr(a, l.find('"', a) - a));
  }
  return Status::Ok();
}

Status ReadXLines(const fs::path& dir, Collector& collector) {
  std::unique_ptr<ingest::Connector> x = ingest::NewXConnector();
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const fs::path& f : files) {
    EARSHOT_ASSIGN_OR_RETURN(std::vector<std::string> lines, Lines(f));
    int64_t line_no = 0;
    for (const std::string& l : lines) {
      ingest::ParseContext ctx;
      ctx.line = ++line_no;
      EARSHOT_RETURN_IF_ERROR(x->Parse(l, ctx, collector).WithContext(f.string()));
      EARSHOT_RETURN_IF_ERROR(collector.error.WithContext(f.string()));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<SimulatedWorld> BuildSimulatedWorld(uint64_t seed, int days, int64_t mentions, const std::string& dir) {
  sim::SimOptions so;
  so.seed = seed;
  so.days = days;
  so.mentions = mentions;
  so.out_dir = dir;
  so.overwrite = true;
  so.formats = sim::SimOptions::Formats::kXOnly;
  EARSHOT_RETURN_IF_ERROR(sim::Simulate(so).status());

  SimulatedWorld w;
  std::vector<match::Query> queries;
  std::unordered_set<std::string> caused;
  EARSHOT_RETURN_IF_ERROR(ReadTruth(dir, w, queries, caused));
  Collector collector;
  EARSHOT_RETURN_IF_ERROR(ReadXLines(fs::path(dir) / "x", collector));
  if (collector.mentions.empty()) return Status::Internal("the simulated world has no X lines");
  w.mentions = static_cast<int64_t>(collector.mentions.size());

  EARSHOT_ASSIGN_OR_RETURN(enrich::SentimentScorer scorer, enrich::SentimentScorer::Create());
  const int64_t start = so.start_ms;
  const size_t hours = static_cast<size_t>(days) * 24;
  w.series.resize(w.names.size());
  w.caused_per_hour.assign(w.names.size(), std::vector<int64_t>(hours));
  for (Series& s : w.series) {
    s.start_ms = start;
    s.buckets.resize(hours);
    for (size_t h = 0; h < hours; ++h) s.buckets[h].t_ms = start + static_cast<int64_t>(h) * kHourMs;
  }
  match::MentionView view;
  for (const Mention& m : collector.mentions) {
    const int64_t h = (m.created_at_ms - start) / kHourMs;
    if (h < 0 || h >= static_cast<int64_t>(hours)) return Status::Internal(m.id + " lies outside the run");
    view.Reset(m);
    std::optional<double> compound;
    for (size_t i = 0; i < w.names.size(); ++i) {
      if (!match::Matches(queries[i], view)) continue;
      if (!compound) compound = scorer.Score(m.text).compound;
      Bucket& b = w.series[i].buckets[static_cast<size_t>(h)];
      ++b.count;
      switch (ClassOf(compound)) {
        case SentimentClass::kPositive: ++b.positive; break;
        case SentimentClass::kNegative: ++b.negative; break;
        case SentimentClass::kNeutral: ++b.neutral; break;
      }
      if (caused.count(m.id)) ++w.caused_per_hour[i][static_cast<size_t>(h)];
    }
  }
  return w;
}

void SpikeScore::Add(const SpikeScore& o) {
  events += o.events;
  found += o.found;
  sentiment_found += o.sentiment_found;
  incidents += o.incidents;
  incidents_negative += o.incidents_negative;
  spikes += o.spikes;
  on_event_watch += o.on_event_watch;
  explained += o.explained;
  sentiment_spikes += o.sentiment_spikes;
  sentiment_explained += o.sentiment_explained;
  delays_h.insert(delays_h.end(), o.delays_h.begin(), o.delays_h.end());
  misses.insert(misses.end(), o.misses.begin(), o.misses.end());
  false_alarms.insert(false_alarms.end(), o.false_alarms.begin(), o.false_alarms.end());
}

SpikeScore ScoreSpikes(const SimulatedWorld& world, const std::vector<std::vector<Spike>>& spikes) {
  SpikeScore score;
  const std::vector<TruthEvent>& events = world.events;
  std::vector<bool> found(events.size()), sentiment_found(events.size());
  std::vector<double> delay(events.size(), 1e18);
  for (size_t w = 0; w < world.names.size() && w < spikes.size(); ++w) {
    const Series& series = world.series[w];
    for (const Spike& s : spikes[w]) {
      const bool volume = s.signal == SpikeSignal::kVolume;
      int64_t in = 0, by_events = 0;
      for (int64_t t = s.start_ms; t < s.end_ms; t += kHourMs) {
        const int64_t h = (t - series.start_ms) / kHourMs;
        if (h < 0 || h >= static_cast<int64_t>(series.buckets.size())) continue;
        in += series.buckets[static_cast<size_t>(h)].count;
        by_events += world.caused_per_hour[w][static_cast<size_t>(h)];
      }
      const bool is_explained = in > 0 && by_events * 4 >= in;  // a quarter or more caused by an event
      bool on_watch = false;
      for (size_t e = 0; e < events.size(); ++e) {
        const TruthEvent& ev = events[e];
        if (ev.watch != world.names[w] || s.start_ms >= ev.end_ms || s.end_ms <= ev.start_ms) continue;
        if (!volume && (s.signal == SpikeSignal::kPositive) != (ev.direction == "up")) continue;
        on_watch = true;
        if (volume) {
          found[e] = true;
          delay[e] = std::min(delay[e], static_cast<double>(s.detected_at_ms - ev.start_ms) / kHourMs);
        } else {
          sentiment_found[e] = true;
        }
      }
      if (volume) {
        ++score.spikes;
        score.on_event_watch += on_watch;
        score.explained += is_explained || on_watch;
      } else {
        ++score.sentiment_spikes;
        score.sentiment_explained += is_explained || on_watch;
      }
      if (!is_explained && !on_watch) {
        score.false_alarms.push_back(world.names[w] + " " + std::string(SpikeDirectionName(s.signal)) + " " +
                                     FormatRfc3339(s.start_ms) + " peak " + std::to_string(s.peak_count) + " vs " +
                                     std::to_string(s.peak_expected) + " z " + std::to_string(s.peak_score));
      }
    }
  }
  for (size_t e = 0; e < events.size(); ++e) {
    ++score.events;
    score.found += found[e];
    score.sentiment_found += sentiment_found[e];
    if (events[e].direction == "down") {
      ++score.incidents;
      score.incidents_negative += sentiment_found[e];
    }
    if (found[e]) {
      score.delays_h.push_back(delay[e]);
    } else {
      score.misses.push_back(events[e].kind + " " + events[e].watch + " " + FormatRfc3339(events[e].start_ms));
    }
  }
  return score;
}

}  // namespace earshot::analytics
