// Geo resolution: turns a post's coordinates, its source-given place or the
// author's free-text profile location into a country and, where the text
// allows, a region and city. Conservative by design: text that names no
// place ("Earth", "she/her", "🌍") resolves to nothing rather than to a
// town that happens to share a word with it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/mention.h"
#include "geo/gazetteer.h"

namespace earshot::geo {

struct Place {
  std::string country;      // ISO 3166-1 alpha-2, upper case ("US")
  std::string city;         // GeoNames name ("Austin"); empty when only a region or country is known
  std::string admin1;       // first-level region name ("Texas"); empty when unknown
  std::string admin1_code;  // its GeoNames code ("TX", "08", "ENG")
  // WGS84 degrees: the point given, else the city's, else the region's
  // largest city's, else the capital's.
  double lat = 0, lon = 0;
  // How sure the resolver is of the country, in (0, 1]: about 0.9 for a
  // city confirmed by its region or country, 0.5-0.7 for a bare ambiguous
  // name or code.
  double confidence = 0;
};

// Resolves text and points against one gazetteer. Cheap to copy; holds a
// reference to `gazetteer`, which must outlive it. Thread-safe: every
// method is const. ResolveLocation allocates only for the returned Place.
class Resolver {
 public:
  explicit Resolver(const Gazetteer& gazetteer) : g_(gazetteer) {}

  // Returns the place a free-text location names ("Austin, TX", "München",
  // "Berlin | Remote", "40.7,-74.0"), or nullopt. Reads at most the first
  // 256 bytes. Any bytes are accepted; ill-formed UTF-8 never matches.
  std::optional<Place> ResolveLocation(std::string_view text) const;

  // Returns the city nearest to (lat, lon) within 30 km (preferring the
  // largest city within 8 km of the nearest), else the country of the
  // nearest city within 250 km, else nullopt (open sea, bad coordinates).
  std::optional<Place> ResolvePoint(double lat, double lon) const;

  // Fills m.geo.country (when empty) and m.geo.city (when empty) from, in
  // order: the post's lat/lon, the place the source gave (m.geo.place),
  // the author's profile location. A place that contradicts a country the
  // source gave is ignored.
  void ResolveMentionGeo(Mention& m) const;

 private:
  const Gazetteer& g_;
};

// The same, against Gazetteer::Embedded().
std::optional<Place> ResolveLocation(std::string_view text);
std::optional<Place> ResolvePoint(double lat, double lon);
void ResolveMentionGeo(Mention& m);

}  // namespace earshot::geo
