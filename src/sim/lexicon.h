// The fixed word lists the simulated world is drawn from: people's names by
// culture (with nicknames), cities with the ways people write them in a
// profile, invented company-name parts, market topics in five languages,
// product features, problems, job titles and industries. All names are
// invented or common given/family names; no real company appears.
#pragma once

#include <span>
#include <string_view>

#include "sim/model.h"

namespace earshot::sim {

struct GivenName {
  std::string_view name;
  std::string_view nick1;  // "" when the name has no usual short form
  std::string_view nick2;
  std::string_view native;  // Japanese: the name in kanji/kana; else ""
};

struct FamilyName {
  std::string_view name;
  std::string_view native;  // Japanese: kanji; else ""
};

// A naming culture: which names its people carry and which language they write.
struct Culture {
  std::string_view id;
  Lang lang;
  std::span<const GivenName> given;
  std::span<const FamilyName> family;
};

struct City {
  std::string_view name;          // as a CRM stores it ("New York")
  std::string_view state;         // "NY", "Bayern", "" when not used
  std::string_view country_code;  // ISO 3166-1 alpha-2
  std::string_view country;       // as Salesforce stores it ("United States")
  double lat, lon;
  std::span<const std::string_view> written;  // how people write it in a profile
};

// A region: a time zone, a culture and a share of the market's voices.
struct Region {
  std::string_view id;
  int utc_offset_min;  // standard time; the simulation ignores DST
  int culture;         // index into Cultures()
  double share;        // of all people
  std::span<const City> cities;
};

struct Topic {
  std::string_view name;                   // the watch name ("hybrid cloud")
  std::string_view terms[kLangCount];      // as written in each language
  std::string_view hashtag;                // without '#'
  std::span<const std::string_view> product_words;  // product-name words that fit it
};

// Each function returns a fixed list (static storage, never empty).

// Returns the naming cultures (anglo, indian, german, french, spanish, japanese).
std::span<const Culture> Cultures();
// Returns the ten regions with their time zones, cultures, shares and cities.
std::span<const Region> Regions();
// Returns the market topics, in the order the world takes them.
std::span<const Topic> Topics();
// Returns profile locations that say nothing about a place ("Earth", "she/her", "").
std::span<const std::string_view> JunkLocations();
// Returns the parts of invented company names: prefix + suffix ("Nyx" + "ynth").
std::span<const std::string_view> CompanyPrefixes();
std::span<const std::string_view> CompanySuffixes();
// Returns the parts of customer account names ("Brightwater" + "Logistics").
std::span<const std::string_view> AccountFirstWords();
std::span<const std::string_view> AccountSecondWords();
// Returns Salesforce's standard Industry picklist values.
std::span<const std::string_view> Industries();
// Returns job titles in `lang`.
std::span<const std::string_view> JobTitles(Lang lang);
// Return slot fillers in `lang`: product features, problems, durations.
std::span<const std::string_view> Features(Lang lang);
std::span<const std::string_view> Issues(Lang lang);
std::span<const std::string_view> Durations(Lang lang);
// Returns emoji that fit sentiment `s`.
std::span<const std::string_view> Emoji(Sentiment s);
// Returns hashtags that B2B posts add regardless of brand.
std::span<const std::string_view> GenericHashtags();
// Return the Mastodon instances people live on and the subreddits they post in.
std::span<const std::string_view> MastodonInstances();
std::span<const std::string_view> Subreddits();
// Return words for invented blog names (first + second: "kernel" + "musings").
std::span<const std::string_view> BlogWords();
std::span<const std::string_view> BlogSecondWords();
// Returns news site names in `lang`; each contains "News".
std::span<const std::string_view> NewsWords(Lang lang);

}  // namespace earshot::sim
