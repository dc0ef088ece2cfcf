// The gazetteer: countries, first-level regions and cities (GeoNames
// cities > 15,000 people plus hand-written aliases, data/geo/), with a name
// index for text and a grid for nearest-city lookups.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace earshot::geo {

struct Country {
  std::string iso2;  // "DE"
  std::string iso3;  // "DEU"
  std::string name;  // "Germany"
  int64_t population = 0;
  // The capital's position (or the largest listed city's); NaN when the
  // gazetteer lists no city in the country.
  double lat = 0, lon = 0;
};

struct Admin1 {
  uint32_t country = 0;  // index into Gazetteer::countries()
  std::string code;      // GeoNames admin1 code: "TX", "08", "ENG"
  std::string name;      // "Texas", "Ontario", "England"
  double lat = 0, lon = 0;  // its largest listed city's position, else the country's
  int64_t population = 0;   // of its listed cities: a lower bound, for ranking
};

struct City {
  std::string name;      // GeoNames name: "München", "New York City"
  uint32_t country = 0;  // index into Gazetteer::countries()
  int32_t admin1 = -1;   // index into Gazetteer::admin1s(), or -1
  int64_t population = 0;
  double lat = 0, lon = 0;
};

enum class PlaceKind : uint8_t { kCountry, kAdmin1, kCity };

// One meaning of a name: a country, region or city.
struct NameEntry {
  PlaceKind kind = PlaceKind::kCity;
  bool alias = false;      // from data/geo/aliases.tsv
  bool preferred = false;  // the alias wins when the name stands alone ("CA")
  uint32_t index = 0;      // into countries(), admin1s() or cities() by kind
};

// What a normalized name means: its entries, and whether it is a word that
// names no place ("earth", "home").
struct NameInfo {
  std::span<const NameEntry> entries;
  bool stopword = false;
  bool imaginary = false;  // a stopword naming a place that is not on a map ("earth", "mars")
  bool found() const { return stopword || !entries.empty(); }
};

class Gazetteer {
 public:
  // Parses the TSV written by tools/build_gazetteer.py (its docstring gives
  // the format). Returns Corruption naming the line on malformed input.
  static Result<Gazetteer> Parse(std::string_view tsv);

  // Returns the gazetteer compiled into the binary, parsed on first use
  // (thread-safe; the object lives until exit).
  static const Gazetteer& Embedded();

  Gazetteer(Gazetteer&&) = default;
  Gazetteer& operator=(Gazetteer&&) = default;

  // Returns the meanings of `key`, a name normalized by NormalizePlaceName
  // ("munchen", "austin", "tx"). The span stays valid as long as *this.
  NameInfo Find(std::string_view key) const;

  std::span<const Country> countries() const { return countries_; }
  std::span<const Admin1> admin1s() const { return admin1s_; }
  std::span<const City> cities() const { return cities_; }

  // Returns the index of the country with ISO code `iso2` ("de" or "DE").
  std::optional<uint32_t> FindCountry(std::string_view iso2) const;

  struct Nearby {
    uint32_t city;  // index into cities()
    double km;      // great-circle distance
  };
  // Returns the cities within `max_km` of (lat, lon), nearest first. Empty
  // for coordinates out of range or NaN.
  std::vector<Nearby> CitiesWithin(double lat, double lon, double max_km) const;

 private:
  Gazetteer() = default;
  void AddName(std::string_view name, NameEntry entry);
  void AddStopword(std::string_view name, bool imaginary);
  void BuildIndex();

  struct Slot {
    uint64_t hash = 0;
    uint32_t key_begin = 0, key_len = 0;  // in keys_
    uint32_t entries_begin = 0, entries_count = 0;
    bool used = false, stopword = false, imaginary = false;
  };

  std::vector<Country> countries_;
  std::vector<Admin1> admin1s_;
  std::vector<City> cities_;
  int16_t country_by_code_[26 * 26];

  // Name index: open addressing over hashes of normalized names.
  std::string keys_;
  std::vector<NameEntry> entries_;
  std::vector<Slot> slots_;
  uint64_t slot_mask_ = 0;
  // Collected while parsing, folded into the index by BuildIndex().
  std::vector<std::pair<std::string, NameEntry>> pending_;
  std::vector<std::pair<std::string, bool>> pending_stopwords_;

  // Grid of 1-degree cells: city indices of cell c are
  // grid_cities_[grid_start_[c] .. grid_start_[c + 1]).
  std::vector<uint32_t> grid_start_;
  std::vector<uint32_t> grid_cities_;
};

}  // namespace earshot::geo
