#include "geo/resolver.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>
#include <utility>

#include "geo/place_text.h"

namespace earshot::geo {
namespace {

constexpr size_t kMaxMatches = 8;
constexpr size_t kMaxNgram = 16;     // tokens: words, or CJK/Thai characters
constexpr size_t kMaxKeyBytes = 96;  // longer than any name worth matching
constexpr size_t kMaxDenoted = 24;   // countries or regions remembered per match
constexpr int64_t kLargeCity = 1'000'000;
constexpr int64_t kSuffixCity = 100'000;

// Point resolution: a city when one is this close, else its country.
constexpr double kCityKm = 30;
constexpr double kLargerCitySlackKm = 8;
constexpr double kCountryKm = 250;

// A run of tokens in one segment that names something in the gazetteer.
struct Match {
  NameInfo info;
  uint16_t segment = 0;
  bool strong = false;         // the whole segment: "Austin" in "Austin, TX"
  bool short_code = false;     // at most 3 letters: "TX", "UK", "NYC"
  bool needs_company = false;  // counts only next to another match ("Cornwall UK")
  bool last_in_segment = false;
  // What the match could mean, for agreement with the other matches.
  uint32_t countries[kMaxDenoted];
  int32_t admin1s[kMaxDenoted];
  uint8_t n_countries = 0;
  uint8_t n_admin1s = 0;

  bool Denotes(uint32_t country) const { return std::find(countries, countries + n_countries, country) != countries + n_countries; }
  bool DenotesAdmin1(int32_t a) const { return a >= 0 && std::find(admin1s, admin1s + n_admin1s, a) != admin1s + n_admin1s; }
};

int Specificity(PlaceKind k) { return k == PlaceKind::kCity ? 2 : k == PlaceKind::kAdmin1 ? 1 : 0; }

// Parses "40.7,-74.0", "40.7128 -74.0060" or "ÜT: -15.81,35.02": two
// decimal numbers with a fractional part, in range. Returns the first pair.
std::optional<std::pair<double, double>> FindLatLon(std::string_view s) {
  auto number_at = [&](size_t& pos) -> std::optional<double> {
    const size_t start = pos;
    if (pos < s.size() && (s[pos] == '-' || s[pos] == '+')) ++pos;
    const size_t int_start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == int_start || pos - int_start > 3 || pos >= s.size() || s[pos] != '.') return std::nullopt;
    ++pos;
    const size_t frac_start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == frac_start) return std::nullopt;
    double v = 0;
    const char* first = s.data() + start + (s[start] == '+' ? 1 : 0);
    if (std::from_chars(first, s.data() + pos, v).ec != std::errc()) return std::nullopt;
    return v;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) continue;
    if (i > 0 && ((s[i - 1] >= '0' && s[i - 1] <= '9') || s[i - 1] == '.')) continue;
    size_t pos = i;
    const auto lat = number_at(pos);
    if (!lat) continue;
    size_t sep = pos;
    while (sep < s.size() && s[sep] == ' ') ++sep;
    const bool comma = sep < s.size() && s[sep] == ',';
    if (comma) ++sep;
    while (sep < s.size() && s[sep] == ' ') ++sep;
    if (!comma && sep == pos) continue;
    const auto lon = number_at(sep);
    if (!lon) continue;
    if (sep < s.size() && ((s[sep] >= '0' && s[sep] <= '9') || s[sep] == '.')) continue;
    if (std::abs(*lat) <= 90 && std::abs(*lon) <= 180) return std::make_pair(*lat, *lon);
  }
  return std::nullopt;
}

class TextResolver {
 public:
  explicit TextResolver(const Gazetteer& g) : g_(g) {}

  std::optional<Place> Resolve(std::string_view text) {
    const PlaceText pt(text);
    Scan(pt);
    if (n_ == 0) return std::nullopt;
    if (n_ == 1) return Lone(matches_[0]);
    return Agreement();
  }

 private:
  uint32_t CountryOf(const NameEntry& e) const {
    switch (e.kind) {
      case PlaceKind::kCountry: return e.index;
      case PlaceKind::kAdmin1: return g_.admin1s()[e.index].country;
      case PlaceKind::kCity: return g_.cities()[e.index].country;
    }
    return 0;
  }
  int32_t Admin1Of(const NameEntry& e) const {
    switch (e.kind) {
      case PlaceKind::kCountry: return -1;
      case PlaceKind::kAdmin1: return static_cast<int32_t>(e.index);
      case PlaceKind::kCity: return g_.cities()[e.index].admin1;
    }
    return -1;
  }
  int64_t PopulationOf(const NameEntry& e) const {
    switch (e.kind) {
      case PlaceKind::kCountry: return g_.countries()[e.index].population;
      case PlaceKind::kAdmin1: return 0;
      case PlaceKind::kCity: return g_.cities()[e.index].population;
    }
    return 0;
  }

  Place Make(const NameEntry& e, double confidence) const {
    Place p;
    p.confidence = confidence;
    int32_t admin1 = -1;
    uint32_t country = 0;
    if (e.kind == PlaceKind::kCity) {
      const City& c = g_.cities()[e.index];
      p.city = c.name;
      p.lat = c.lat;
      p.lon = c.lon;
      admin1 = c.admin1;
      country = c.country;
    } else if (e.kind == PlaceKind::kAdmin1) {
      const Admin1& a = g_.admin1s()[e.index];
      p.lat = a.lat;
      p.lon = a.lon;
      admin1 = static_cast<int32_t>(e.index);
      country = a.country;
    } else {
      const Country& c = g_.countries()[e.index];
      p.lat = c.lat;
      p.lon = c.lon;
      country = e.index;
    }
    p.country = g_.countries()[country].iso2;
    if (admin1 >= 0) {
      const Admin1& a = g_.admin1s()[static_cast<size_t>(admin1)];
      p.admin1 = a.name;
      p.admin1_code = a.code;
    }
    return p;
  }

  // Finds, segment by segment, the longest runs of tokens the gazetteer
  // knows, and keeps those that can name a place where they stand.
  void Scan(const PlaceText& pt) {
    size_t i = 0;
    while (i < pt.size() && n_ < kMaxMatches) {
      const uint16_t seg = pt.token(i).segment;
      const size_t seg_begin = i;
      size_t seg_end = i;
      while (seg_end + 1 < pt.size() && pt.token(seg_end + 1).segment == seg) ++seg_end;
      size_t j = seg_begin;
      while (j <= seg_end && n_ < kMaxMatches) {
        size_t used = 1;
        for (size_t len = std::min(kMaxNgram, seg_end - j + 1); len >= 1; --len) {
          const std::string_view key = pt.Key(j, j + len - 1);
          if (key.size() > kMaxKeyBytes) continue;
          const NameInfo info = g_.Find(key);
          if (!info.found()) continue;
          used = len;
          const bool strong = j == seg_begin && j + len - 1 == seg_end;
          if (info.entries.empty()) {
            if (info.imaginary && strong) imaginary_ = true;
            break;
          }
          Consider(pt, info, key, j, j + len - 1, seg_end, strong);
          break;
        }
        j += used;
      }
      i = seg_end + 1;
    }
    // A bare code at the end of unrelated words ("PT-BR") names nothing.
    size_t others = 0;
    for (size_t k = 0; k < n_; ++k) others += matches_[k].needs_company ? 0 : 1;
    if (others == 0) n_ = 0;
  }

  void Consider(const PlaceText& pt, const NameInfo& info, std::string_view key, size_t first, size_t last,
                size_t seg_end, bool strong) {
    const bool short_code = key.size() <= 3 && key.find(' ') == std::string_view::npos;
    bool upper = true;
    for (size_t t = first; t <= last; ++t) upper = upper && pt.token(t).all_upper;
    // Lower-case codes that are no word in the languages Earshot reads.
    const bool safe_lower = key == "uk" || key == "usa";
    const uint16_t seg = pt.token(first).segment;
    bool needs_company = false;
    if (strong) {
      // "dm", "ph" alone are chat, not codes; "austin, tx" is a code.
      if (short_code && !upper && !safe_lower && seg == 0) return;
    } else if (short_code) {
      if (!(upper || safe_lower) || last != seg_end) return;
      needs_company = !safe_lower;
    } else if (!pt.token(first).capitalized && !pt.token(first).dense) {
      return;  // "the reading room" is no town; "University of Bath" may be
    }
    Match& m = matches_[n_++];
    m = Match();
    m.info = info;
    m.segment = seg;
    m.strong = strong;
    m.short_code = short_code;
    m.needs_company = needs_company;
    m.last_in_segment = last == seg_end;
    for (const NameEntry& e : info.entries) {
      const uint32_t c = CountryOf(e);
      if (m.n_countries < kMaxDenoted && !m.Denotes(c)) m.countries[m.n_countries++] = c;
      const int32_t a = Admin1Of(e);
      if (a >= 0 && m.n_admin1s < kMaxDenoted && !m.DenotesAdmin1(a)) m.admin1s[m.n_admin1s++] = a;
    }
  }

  // Several matches: pick the meaning the others agree with most ("Austin"
  // in Texas for "Austin, TX"), the most specific, the earliest mentioned,
  // then the most populous.
  std::optional<Place> Agreement() const {
    using Rank = std::tuple<int, int, int, int64_t>;
    Rank best{-1, 0, 0, 0};
    const NameEntry* winner = nullptr;
    for (size_t mi = 0; mi < n_; ++mi) {
      const Match& m = matches_[mi];
      for (const NameEntry& e : m.info.entries) {
        const uint32_t c = CountryOf(e);
        const int32_t a = Admin1Of(e);
        int score = 0;
        for (size_t oi = 0; oi < n_; ++oi) {
          if (oi == mi) continue;
          if (matches_[oi].DenotesAdmin1(a)) {
            score += 2;
          } else if (matches_[oi].Denotes(c)) {
            score += 1;
          }
        }
        const Rank rank{score, Specificity(e.kind), -static_cast<int>(mi), PopulationOf(e)};
        if (rank > best) {
          best = rank;
          winner = &e;
        }
      }
    }
    if (winner != nullptr && std::get<0>(best) > 0) {
      const int score = std::get<0>(best);
      return Make(*winner, score >= 2 ? 0.92 : 0.85);
    }
    // Nothing agrees ("Launceston, England" when only Launceston, Tasmania
    // is listed): trust a region or country over a city, the last one first
    // since qualifiers follow what they qualify; else the first city.
    for (size_t k = n_; k-- > 0;) {
      const Match& m = matches_[k];
      const bool has_area = std::any_of(m.info.entries.begin(), m.info.entries.end(),
                                        [](const NameEntry& e) { return e.kind != PlaceKind::kCity; });
      if (has_area && !m.needs_company) {
        if (auto p = Lone(m)) return p;
      }
    }
    for (size_t mi = 0; mi < n_; ++mi) {
      if (matches_[mi].needs_company) continue;
      if (auto p = Lone(matches_[mi])) return p;
    }
    return std::nullopt;
  }

  // One match, nothing to confirm it: take it only when the name is clear
  // enough on its own.
  std::optional<Place> Lone(const Match& m) const {
    if (m.info.stopword) return std::nullopt;  // "Reading", "Nice": only with a qualifier
    const auto entries = m.info.entries;
    for (const NameEntry& e : entries) {
      if (e.preferred) return Make(e, 0.6);
    }
    if (m.short_code) {
      // After a name ("Mars, PA"), a code is a region: states, provinces.
      if (m.segment > 0) {
        const NameEntry* region = nullptr;
        bool one_country = true;
        for (const NameEntry& e : entries) {
          if (e.kind != PlaceKind::kAdmin1) continue;
          if (region != nullptr && CountryOf(*region) != CountryOf(e)) one_country = false;
          if (region == nullptr) region = &e;
        }
        if (region != nullptr && one_country) return Make(*region, 0.7);
      }
      // Alone, a code must mean one country: "BR", "TX", "NYC" but not "IN"
      // (India or Indiana). A town whose name is a code ("Usa", Japan) is
      // not what "USA" means.
      const NameEntry* country = nullptr;
      int countries = 0, regions = 0;
      for (const NameEntry& e : entries) {
        if (e.kind == PlaceKind::kCountry) {
          country = &e;
          ++countries;
        }
        regions += e.kind == PlaceKind::kAdmin1 ? 1 : 0;
      }
      if (countries == 1 && regions == 0) return Make(*country, 0.8);
      if (m.n_countries != 1) return std::nullopt;
      const NameEntry* pick = nullptr;
      for (const NameEntry& e : entries) {
        if (pick == nullptr || std::make_pair(Specificity(e.kind), PopulationOf(e)) >
                                   std::make_pair(Specificity(pick->kind), PopulationOf(*pick))) {
          pick = &e;
        }
      }
      return Make(*pick, 0.75);
    }
    // A country's name wins over towns named after it ("Georgia" -> GE).
    const NameEntry* country = nullptr;
    const NameEntry* top = nullptr;
    int64_t second_pop = -1;
    for (const NameEntry& e : entries) {
      if (e.kind == PlaceKind::kCountry) {
        if (country == nullptr || PopulationOf(e) > PopulationOf(*country)) country = &e;
      } else if (e.kind == PlaceKind::kCity) {
        const int64_t pop = PopulationOf(e);
        if (top == nullptr || pop > PopulationOf(*top)) {
          if (top != nullptr) second_pop = std::max(second_pop, PopulationOf(*top));
          top = &e;
        } else {
          second_pop = std::max(second_pop, pop);
        }
      }
    }
    if (country != nullptr) return Make(*country, m.strong ? 0.9 : 0.8);
    if (top != nullptr) {
      const int64_t pop = PopulationOf(*top);
      const uint32_t top_country = CountryOf(*top);
      // A region of another country with the name blocks it when the region
      // is about as big ("Victoria": the Australian state, not the city in
      // Canada), not when it is small (Manchester and Portland, Jamaica).
      bool blocked = false;
      const NameEntry* region = nullptr;
      const int32_t top_admin1 = Admin1Of(*top);
      for (const NameEntry& e : entries) {
        // The region the city lies in ("Berlin", "São Paulo") is no rival.
        if (e.kind != PlaceKind::kAdmin1 || static_cast<int32_t>(e.index) == top_admin1) continue;
        const int64_t region_pop = g_.admin1s()[e.index].population;
        blocked = blocked || (CountryOf(e) != top_country && 2 * region_pop >= pop);
        if (region == nullptr || region_pop > g_.admin1s()[region->index].population) region = &e;
      }
      // A much bigger region wins outright ("Colorado": the state, not the
      // town in Brazil).
      if (region != nullptr && g_.admin1s()[region->index].population >= 2 * pop && m.strong) {
        bool one_country = true;
        for (const NameEntry& e : entries) {
          one_country = one_country && (e.kind != PlaceKind::kAdmin1 || CountryOf(e) == CountryOf(*region));
        }
        if (one_country) return Make(*region, 0.7);
      }
      const bool plain = m.strong && !imaginary_;  // nothing odd around it
      // Inside a longer text, a city needs to be large ("near London"), or
      // fairly large and last ("South Belfast"; not "Bath" in "University of
      // Bath").
      const bool suffix = !m.strong && m.last_in_segment && !imaginary_ && pop >= kSuffixCity;
      const bool clear = plain || suffix || pop >= kLargeCity;
      bool ok = false;
      double confidence = 0;
      if (second_pop < 0) {
        ok = clear;
        confidence = pop >= kLargeCity ? 0.85 : 0.7;
      } else {
        ok = pop >= 2 * second_pop && clear;
        confidence = 0.6 + 0.3 * (1.0 - static_cast<double>(second_pop) / static_cast<double>(std::max<int64_t>(pop, 1)));
      }
      if (ok && !blocked) return Make(*top, confidence);
      // Every meaning in one country ("Springfield"): the country at least.
      if (m.n_countries == 1 && plain) {
        Place p = Make(*top, 0.6);
        const Country& c = g_.countries()[top_country];
        p.city.clear();
        p.admin1.clear();
        p.admin1_code.clear();
        p.lat = c.lat;
        p.lon = c.lon;
        // Keep the region when every meaning lies in the same one.
        if (m.n_admin1s == 1) {
          const Admin1& a = g_.admin1s()[static_cast<size_t>(m.admin1s[0])];
          p.admin1 = a.name;
          p.admin1_code = a.code;
          p.lat = a.lat;
          p.lon = a.lon;
        }
        return p;
      }
      return std::nullopt;
    }
    // Regions only: "Texas", "New South Wales"; "Punjab" (IN or PK) is not clear.
    if (m.n_countries != 1) return std::nullopt;
    for (const NameEntry& e : entries) {
      if (e.kind == PlaceKind::kAdmin1) return Make(e, 0.8);
    }
    return std::nullopt;
  }

  const Gazetteer& g_;
  Match matches_[kMaxMatches];
  size_t n_ = 0;
  bool imaginary_ = false;  // "Earth", "Mars" stood on their own somewhere in the text
};

}  // namespace

std::optional<Place> Resolver::ResolveLocation(std::string_view text) const {
  if (text.empty()) return std::nullopt;
  text = text.substr(0, std::min(text.size(), PlaceText::kMaxInputBytes));
  if (const auto point = FindLatLon(text)) {
    auto p = ResolvePoint(point->first, point->second);
    if (p) p->confidence *= 0.95;  // written by hand or by an app, not measured
    return p;
  }
  TextResolver r(g_);
  return r.Resolve(text);
}

std::optional<Place> Resolver::ResolvePoint(double lat, double lon) const {
  // Most points have a city close by: search the small disc first.
  auto near = g_.CitiesWithin(lat, lon, kCityKm);
  if (near.empty()) near = g_.CitiesWithin(lat, lon, kCountryKm);
  if (near.empty()) return std::nullopt;
  Place p;
  p.lat = lat;
  p.lon = lon;
  const City* city = &g_.cities()[near[0].city];
  if (near[0].km <= kCityKm) {
    // A point in Köln-Mülheim is in Köln: prefer the largest city just
    // farther than the nearest.
    const double limit = std::min(kCityKm, near[0].km + kLargerCitySlackKm);
    for (const auto& n : near) {
      if (n.km > limit) break;
      const City& c = g_.cities()[n.city];
      if (c.population > city->population) city = &c;
    }
    p.city = city->name;
    p.confidence = 0.95 - 0.01 * std::min(near[0].km, kCityKm);
    if (city->admin1 >= 0) {
      const Admin1& a = g_.admin1s()[static_cast<size_t>(city->admin1)];
      p.admin1 = a.name;
      p.admin1_code = a.code;
    }
  } else {
    p.confidence = 0.5;  // borders are not in the gazetteer
  }
  p.country = g_.countries()[city->country].iso2;
  return p;
}

void Resolver::ResolveMentionGeo(Mention& m) const {
  Geo& geo = m.geo;
  auto fill = [&geo](const Place& p) {
    if (!geo.country.empty() && geo.country != p.country) return false;  // the source knows better
    if (geo.country.empty()) geo.country = p.country;
    if (geo.city.empty()) geo.city = p.city;
    return true;
  };
  if (geo.lat && geo.lon) {
    if (auto p = ResolvePoint(*geo.lat, *geo.lon); p && fill(*p)) return;
  }
  if (!geo.place.empty()) {
    if (auto p = ResolveLocation(geo.place); p && fill(*p) && !geo.city.empty()) return;
  }
  if (!geo.city.empty() || m.author.profile_location.empty()) return;
  if (auto p = ResolveLocation(m.author.profile_location)) fill(*p);
}

std::optional<Place> ResolveLocation(std::string_view text) {
  return Resolver(Gazetteer::Embedded()).ResolveLocation(text);
}
std::optional<Place> ResolvePoint(double lat, double lon) {
  return Resolver(Gazetteer::Embedded()).ResolvePoint(lat, lon);
}
void ResolveMentionGeo(Mention& m) { Resolver(Gazetteer::Embedded()).ResolveMentionGeo(m); }

}  // namespace earshot::geo
