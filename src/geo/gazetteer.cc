#include "geo/gazetteer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <tuple>

#include "core/hash.h"
#include "core/strings.h"
#include "geo/gazetteer_data.h"
#include "geo/place_text.h"

namespace earshot::geo {
namespace {

constexpr int kGridRows = 180;
constexpr int kGridCols = 360;
constexpr double kEarthRadiusKm = 6371.0;
constexpr double kKmPerDegree = kEarthRadiusKm * M_PI / 180.0;

int CodeIndex(std::string_view iso2) {
  if (iso2.size() != 2) return -1;
  const int a = AsciiToLower(iso2[0]) - 'a';
  const int b = AsciiToLower(iso2[1]) - 'a';
  if (a < 0 || a >= 26 || b < 0 || b >= 26) return -1;
  return a * 26 + b;
}

int GridRow(double lat) { return std::clamp(static_cast<int>(std::floor(lat)) + 90, 0, kGridRows - 1); }
int GridCol(double lon) {
  const int c = static_cast<int>(std::floor(lon)) + 180;
  return ((c % kGridCols) + kGridCols) % kGridCols;
}

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  const double r = M_PI / 180.0;
  const double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * r) * std::cos(lat2 * r) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(a)));
}

Status LineError(size_t line, std::string_view what) {
  return Status::Corruption("gazetteer line " + std::to_string(line) + ": " + std::string(what));
}

}  // namespace

Result<Gazetteer> Gazetteer::Parse(std::string_view tsv) {
  Gazetteer g;
  std::fill(std::begin(g.country_by_code_), std::end(g.country_by_code_), int16_t{-1});
  std::vector<std::pair<std::string, int32_t>> admin1_ids;  // "US.TX" -> index
  bool admin1_sorted = true;
  struct Alias {
    std::string name;
    char kind;
    uint32_t ordinal;
    bool preferred;
  };
  std::vector<Alias> aliases;
  std::vector<std::string_view> names;

  size_t line_no = 0;
  size_t pos = 0;
  while (pos < tsv.size()) {
    size_t eol = tsv.find('\n', pos);
    if (eol == std::string_view::npos) eol = tsv.size();
    std::string_view line = tsv.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string_view> f = Split(line, '\t');
    auto alternates = [&](std::string_view field) {
      names.clear();
      if (!field.empty()) {
        for (std::string_view n : Split(field, '|')) {
          if (!n.empty()) names.push_back(n);
        }
      }
    };
    auto number = [](std::string_view s) -> std::optional<double> {
      if (s.empty()) return std::numeric_limits<double>::quiet_NaN();
      return ParseDouble(s);
    };
    switch (f[0].size() == 1 ? f[0][0] : '?') {
      case 'C': {  // C iso2 iso3 name population lat lon alternates
        if (f.size() != 8) return LineError(line_no, "country record wants 8 fields");
        const int code = CodeIndex(f[1]);
        const auto pop = ParseInt64(f[4]);
        const auto lat = number(f[5]), lon = number(f[6]);
        if (code < 0 || !pop || !lat || !lon) return LineError(line_no, "bad country code, population or position");
        const auto index = static_cast<uint32_t>(g.countries_.size());
        g.country_by_code_[code] = static_cast<int16_t>(index);
        g.countries_.push_back({std::string(f[1]), std::string(f[2]), std::string(f[3]), *pop, *lat, *lon});
        const NameEntry e{PlaceKind::kCountry, false, false, index};
        g.AddName(f[1], e);
        g.AddName(f[2], e);
        g.AddName(f[3], e);
        alternates(f[7]);
        for (std::string_view n : names) g.AddName(n, e);
        break;
      }
      case 'A': {  // A country code name alternates
        if (f.size() != 5) return LineError(line_no, "admin1 record wants 5 fields");
        const auto country = g.FindCountry(f[1]);
        if (!country) return LineError(line_no, "admin1 of unknown country");
        const auto index = static_cast<uint32_t>(g.admin1s_.size());
        g.admin1s_.push_back({*country, std::string(f[2]), std::string(f[3]), g.countries_[*country].lat,
                              g.countries_[*country].lon, 0});
        admin1_ids.emplace_back(std::string(f[1]) + "." + std::string(f[2]), static_cast<int32_t>(index));
        admin1_sorted = false;
        const NameEntry e{PlaceKind::kAdmin1, false, false, index};
        g.AddName(f[3], e);
        alternates(f[4]);
        for (std::string_view n : names) g.AddName(n, e);
        break;
      }
      case 'P': {  // P name country admin1 population lat lon alternates
        if (f.size() != 8) return LineError(line_no, "city record wants 8 fields");
        const auto country = g.FindCountry(f[2]);
        const auto pop = ParseInt64(f[4]);
        const auto lat = ParseDouble(f[5]), lon = ParseDouble(f[6]);
        if (!country || !pop || !lat || !lon || std::abs(*lat) > 90 || std::abs(*lon) > 180) {
          return LineError(line_no, "bad city country, population or position");
        }
        if (!admin1_sorted) {
          std::sort(admin1_ids.begin(), admin1_ids.end());
          admin1_sorted = true;
        }
        const std::string admin_id = std::string(f[2]) + "." + std::string(f[3]);
        auto it = std::lower_bound(admin1_ids.begin(), admin1_ids.end(), std::make_pair(admin_id, int32_t{-1}));
        const int32_t admin1 = (it != admin1_ids.end() && it->first == admin_id) ? it->second : -1;
        const auto index = static_cast<uint32_t>(g.cities_.size());
        g.cities_.push_back({std::string(f[1]), *country, admin1, *pop, *lat, *lon});
        const NameEntry e{PlaceKind::kCity, false, false, index};
        g.AddName(f[1], e);
        alternates(f[7]);
        for (std::string_view n : names) g.AddName(n, e);
        break;
      }
      case 'L': {  // L alias kind ordinal preferred
        if (f.size() != 5 || f[2].size() != 1) return LineError(line_no, "alias record wants 5 fields");
        const auto ordinal = ParseInt64(f[3]);
        if (!ordinal || *ordinal < 0) return LineError(line_no, "bad alias ordinal");
        aliases.push_back({std::string(f[1]), f[2][0], static_cast<uint32_t>(*ordinal), f[4] == "1"});
        break;
      }
      case 'S':  // S word imaginary
        if (f.size() != 3) return LineError(line_no, "stopword record wants 3 fields");
        g.AddStopword(f[1], f[2] == "1");
        break;
      default:
        return LineError(line_no, "unknown record type");
    }
  }
  for (const Alias& a : aliases) {
    NameEntry e{PlaceKind::kCity, true, a.preferred, a.ordinal};
    size_t limit = g.cities_.size();
    if (a.kind == 'C') {
      e.kind = PlaceKind::kCountry;
      limit = g.countries_.size();
    } else if (a.kind == 'A') {
      e.kind = PlaceKind::kAdmin1;
      limit = g.admin1s_.size();
    } else if (a.kind != 'P') {
      return Status::Corruption("gazetteer alias '" + a.name + "': unknown kind");
    }
    if (a.ordinal >= limit) return Status::Corruption("gazetteer alias '" + a.name + "': ordinal out of range");
    g.AddName(a.name, e);
  }
  g.BuildIndex();
  return g;
}

const Gazetteer& Gazetteer::Embedded() {
  static const Gazetteer gazetteer = [] {
    Result<Gazetteer> g = Parse(EmbeddedGazetteer());
    if (!g.ok()) {
      // The embedded file is generated and tested at build time; failing
      // here is a build defect, not an input error.
      std::fprintf(stderr, "earshot: embedded gazetteer: %s\n", g.status().ToString().c_str());
      std::abort();
    }
    return std::move(g).value();
  }();
  return gazetteer;
}

void Gazetteer::AddName(std::string_view name, NameEntry entry) {
  std::string key = NormalizePlaceName(name);
  if (!key.empty()) pending_.emplace_back(std::move(key), entry);
}

void Gazetteer::AddStopword(std::string_view name, bool imaginary) {
  std::string key = NormalizePlaceName(name);
  if (!key.empty()) pending_stopwords_.emplace_back(std::move(key), imaginary);
}

void Gazetteer::BuildIndex() {
  auto entry_key = [](const NameEntry& e) { return std::make_tuple(e.kind, e.index); };
  std::sort(pending_.begin(), pending_.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return entry_key(a.second) < entry_key(b.second);
  });
  std::sort(pending_stopwords_.begin(), pending_stopwords_.end());
  pending_stopwords_.erase(std::unique(pending_stopwords_.begin(), pending_stopwords_.end()),
                           pending_stopwords_.end());

  size_t unique_keys = pending_stopwords_.size();
  for (size_t i = 0; i < pending_.size(); ++i) {
    if (i == 0 || pending_[i].first != pending_[i - 1].first) ++unique_keys;
  }
  size_t capacity = 16;
  while (capacity < unique_keys * 2) capacity *= 2;
  slots_.assign(capacity, Slot());
  slot_mask_ = capacity - 1;

  auto slot_for = [&](std::string_view key) -> Slot& {
    const uint64_t h = Hash64(key);
    for (uint64_t i = h & slot_mask_;; i = (i + 1) & slot_mask_) {
      Slot& s = slots_[i];
      if (!s.used) {
        s.used = true;
        s.hash = h;
        s.key_begin = static_cast<uint32_t>(keys_.size());
        s.key_len = static_cast<uint32_t>(key.size());
        keys_.append(key);
        return s;
      }
      if (s.hash == h && std::string_view(keys_).substr(s.key_begin, s.key_len) == key) return s;
    }
  };

  for (size_t i = 0; i < pending_.size();) {
    size_t j = i;
    Slot& s = slot_for(pending_[i].first);
    s.entries_begin = static_cast<uint32_t>(entries_.size());
    for (; j < pending_.size() && pending_[j].first == pending_[i].first; ++j) {
      const NameEntry& e = pending_[j].second;
      // One entry per place: an alias repeating a GeoNames name keeps its flags.
      if (s.entries_count > 0 && entry_key(entries_.back()) == entry_key(e)) {
        entries_.back().alias |= e.alias;
        entries_.back().preferred |= e.preferred;
        continue;
      }
      entries_.push_back(e);
      ++s.entries_count;
    }
    i = j;
  }
  for (const auto& [word, imaginary] : pending_stopwords_) {
    Slot& s = slot_for(word);
    s.stopword = true;
    s.imaginary = s.imaginary || imaginary;
  }
  pending_.clear();
  pending_.shrink_to_fit();
  pending_stopwords_.clear();
  pending_stopwords_.shrink_to_fit();

  grid_start_.assign(kGridRows * kGridCols + 1, 0);
  for (const City& c : cities_) ++grid_start_[GridRow(c.lat) * kGridCols + GridCol(c.lon) + 1];
  for (size_t i = 1; i < grid_start_.size(); ++i) grid_start_[i] += grid_start_[i - 1];
  grid_cities_.resize(cities_.size());
  std::vector<uint32_t> fill(grid_start_.begin(), grid_start_.end() - 1);
  for (uint32_t i = 0; i < cities_.size(); ++i) {
    grid_cities_[fill[GridRow(cities_[i].lat) * kGridCols + GridCol(cities_[i].lon)]++] = i;
  }
  // A region's position is its largest listed city's.
  std::vector<int64_t> best(admin1s_.size(), -1);
  for (const City& c : cities_) {
    if (c.admin1 >= 0) admin1s_[static_cast<size_t>(c.admin1)].population += c.population;
    if (c.admin1 >= 0 && c.population > best[static_cast<size_t>(c.admin1)]) {
      best[static_cast<size_t>(c.admin1)] = c.population;
      admin1s_[static_cast<size_t>(c.admin1)].lat = c.lat;
      admin1s_[static_cast<size_t>(c.admin1)].lon = c.lon;
    }
  }
}

NameInfo Gazetteer::Find(std::string_view key) const {
  if (slots_.empty() || key.empty()) return {};
  const uint64_t h = Hash64(key);
  for (uint64_t i = h & slot_mask_;; i = (i + 1) & slot_mask_) {
    const Slot& s = slots_[i];
    if (!s.used) return {};
    if (s.hash == h && std::string_view(keys_).substr(s.key_begin, s.key_len) == key) {
      return {std::span<const NameEntry>(entries_).subspan(s.entries_begin, s.entries_count), s.stopword,
              s.imaginary};
    }
  }
}

std::optional<uint32_t> Gazetteer::FindCountry(std::string_view iso2) const {
  const int code = CodeIndex(iso2);
  if (code < 0 || country_by_code_[code] < 0) return std::nullopt;
  return static_cast<uint32_t>(country_by_code_[code]);
}

std::vector<Gazetteer::Nearby> Gazetteer::CitiesWithin(double lat, double lon, double max_km) const {
  std::vector<Nearby> out;
  if (!(std::abs(lat) <= 90) || !(std::abs(lon) <= 180) || !(max_km > 0) || grid_start_.empty()) return out;
  max_km = std::min(max_km, 2000.0);
  const double dlat = max_km / kKmPerDegree;
  const double cos_lat = std::cos(std::min(89.0, std::abs(lat) + dlat) * M_PI / 180.0);
  const double dlon = std::min(180.0, max_km / (kKmPerDegree * std::max(cos_lat, 1e-6)));
  const int row_lo = GridRow(lat - dlat), row_hi = GridRow(lat + dlat);
  int col_span = static_cast<int>(std::ceil(dlon)) + 1;
  int col0 = GridCol(lon);
  if (2 * col_span + 1 >= kGridCols) {  // near a pole: every column, once
    col_span = kGridCols / 2;
    col0 = kGridCols / 2;
  }
  for (int row = row_lo; row <= row_hi; ++row) {
    for (int dc = -col_span; dc < col_span + (2 * col_span < kGridCols ? 1 : 0); ++dc) {
      const int col = ((col0 + dc) % kGridCols + kGridCols) % kGridCols;
      const int cell = row * kGridCols + col;
      for (uint32_t k = grid_start_[cell]; k < grid_start_[cell + 1]; ++k) {
        const City& c = cities_[grid_cities_[k]];
        const double km = HaversineKm(lat, lon, c.lat, c.lon);
        if (km <= max_km) out.push_back({grid_cities_[k], km});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Nearby& a, const Nearby& b) {
    return a.km != b.km ? a.km < b.km : a.city < b.city;
  });
  return out;
}

}  // namespace earshot::geo
