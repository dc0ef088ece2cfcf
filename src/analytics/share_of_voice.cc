#include "analytics/share_of_voice.h"

namespace earshot::analytics {
namespace {

double Part(int64_t part, int64_t whole) { return whole > 0 ? static_cast<double>(part) / whole : 0.0; }

}  // namespace

Result<ShareOfVoice> ComputeShareOfVoice(store::Store& store, const std::string& group,
                                         const std::vector<store::Watch>& members, TimeRange r, Grain grain,
                                         const FacetFilter& filter) {
  ShareOfVoice sov;
  sov.group = group;
  sov.grain = grain;
  std::vector<Series> series;
  Bucket sum;
  for (const store::Watch& w : members) {
    VoiceMember m;
    m.watch = w.name;
    m.watch_id = w.id;
    EARSHOT_ASSIGN_OR_RETURN(m.total, Total(store, w.id, r, filter));
    EARSHOT_ASSIGN_OR_RETURN(Series s, VolumeSeries(store, w.id, r, grain, filter));
    sum.Add(m.total);
    sov.members.push_back(std::move(m));
    series.push_back(std::move(s));
  }
  for (VoiceMember& m : sov.members) {
    m.share = Part(m.total.count, sum.count);
    m.reach_share = Part(m.total.reach, sum.reach);
    m.positive_share = Part(m.total.positive, sum.positive);
    m.negative_share = Part(m.total.negative, sum.negative);
  }
  if (series.empty()) return sov;
  // Every member's series spans the same buckets.
  for (size_t i = 0; i < series[0].buckets.size(); ++i) {
    VoicePoint p;
    p.t_ms = series[0].buckets[i].t_ms;
    int64_t bucket_sum = 0;
    for (const Series& s : series) bucket_sum += s.buckets[i].count;
    for (const Series& s : series) p.shares.push_back(Part(s.buckets[i].count, bucket_sum));
    sov.series.push_back(std::move(p));
  }
  return sov;
}

}  // namespace earshot::analytics
