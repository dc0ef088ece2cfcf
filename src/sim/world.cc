#include "sim/world.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <set>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "core/strings.h"
#include "core/utf8.h"
#include "sim/lexicon.h"
#include "sim/out_buffer.h"

namespace earshot::sim {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;

// Random streams of the world builder; the process uses others.
enum Stream : uint64_t { kCompaniesStream = 101, kAccountsStream, kPeopleStream, kSitesStream, kEventsStream };

template <typename T>
const T& Pick(Rng& rng, std::span<const T> items) {
  return items[rng.Below(items.size())];
}

// Returns `s` with Latin diacritics folded to ASCII and other non-ASCII dropped.
std::string AsciiFold(std::string_view s) {
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return std::string(s);
  }
  std::string out;
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = DecodeUtf8(s, pos);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    static constexpr struct {
      char32_t cp;
      const char* ascii;
    } kFold[] = {{U'á', "a"}, {U'à', "a"}, {U'â', "a"}, {U'ä', "a"}, {U'é', "e"}, {U'è', "e"}, {U'ê', "e"},
                 {U'ë', "e"}, {U'í', "i"}, {U'î', "i"}, {U'ï', "i"}, {U'ó', "o"}, {U'ô', "o"}, {U'ö', "o"},
                 {U'ú', "u"}, {U'û', "u"}, {U'ü', "u"}, {U'ñ', "n"}, {U'ç', "c"}, {U'ß', "ss"}, {U'É', "E"},
                 {U'Á', "A"}, {U'Ö', "O"}, {U'Ü', "U"}, {U'Ä', "A"}, {U'Ñ', "N"}, {U'Î', "I"}, {U'Ó', "O"}};
    for (const auto& f : kFold) {
      if (f.cp == cp) {
        out += f.ascii;
        break;
      }
    }
  }
  return out;
}

// Returns lower-case ASCII letters and digits of `s` only.
std::string Squash(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto squash = [&out](std::string_view ascii) {
    for (char c : ascii) {
      if (IsAsciiAlpha(c) || IsAsciiDigit(c)) out.push_back(AsciiToLower(c));
    }
  };
  // Most names are ASCII already: skip the folded copy.
  if (std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    squash(s);
  } else {
    squash(AsciiFold(s));
  }
  return out;
}

// Returns lower-case words of `s` joined by hyphens ("Why we moved" -> "why-we-moved").
std::string Slug(std::string_view s, size_t max_len = 60) {
  std::string out;
  bool dash = false;
  for (char c : AsciiFold(s)) {
    if (IsAsciiAlpha(c) || IsAsciiDigit(c)) {
      if (dash && !out.empty()) out.push_back('-');
      out.push_back(AsciiToLower(c));
      dash = false;
    } else {
      dash = true;
    }
    if (out.size() >= max_len) break;
  }
  return out;
}

// Returns the first code point of `s` (a whole UTF-8 sequence).
std::string Initial(std::string_view s) {
  if (s.empty()) return "";
  size_t n = 1;
  while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
  return std::string(s.substr(0, n));
}

std::string Capitalize(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
  return s;
}

std::string Base62(uint64_t n, int width) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::string out(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    out[static_cast<size_t>(i)] = kDigits[n % 62];
    n /= 62;
  }
  return out;
}

// ---- Companies, products, topics, watches ----------------------------------

std::string CompanyName(Rng& rng, const std::set<std::string>& taken) {
  for (int attempt = 0;; ++attempt) {
    std::string name = std::string(Pick(rng, CompanyPrefixes())) + std::string(Pick(rng, CompanySuffixes()));
    // Avoid doubled letters at the joint that read badly ("Kelllora").
    if (taken.count(name) == 0 && (attempt > 50 || name.find("aa") == std::string::npos)) return name;
  }
}

void BuildCompanies(const SimOptions& opts, Rng& rng, World& w) {
  std::set<std::string> taken;
  const int n = 1 + opts.competitors;
  double voice_sum = 0;
  for (int i = 0; i < n; ++i) {
    Company c;
    c.name = CompanyName(rng, taken);
    taken.insert(c.name);
    c.vendor = (i == 0);
    c.legal_name = c.name + (i % 3 == 0 ? ", Inc." : (i % 3 == 1 ? " Corp." : " Technologies"));
    c.domain = Squash(c.name) + ".example";
    c.handle = c.name;
    if (c.vendor) c.support_handle = c.name + "Help";
    // The vendor holds about a third of the voice; competitors follow a Zipf tail.
    c.voice = c.vendor ? 0.34 * n : 1.0 / i;
    voice_sum += c.voice;
    w.companies.push_back(std::move(c));
  }
  for (Company& c : w.companies) c.voice /= voice_sum;
}

void BuildTopicsAndProducts(const SimOptions& opts, Rng& rng, World& w) {
  for (int t = 0; t < opts.topics; ++t) w.topics.push_back({.lexicon = t});
  for (int ci = 0; ci < static_cast<int>(w.companies.size()); ++ci) {
    Company& c = w.companies[static_cast<size_t>(ci)];
    std::set<std::string_view> used;
    for (int k = 0; k < opts.products_per_company; ++k) {
      // Companies start at different topics so that every topic has rivals.
      const int topic = (ci + k * 2) % opts.topics;
      const Topic& lex = Topics()[static_cast<size_t>(w.topics[static_cast<size_t>(topic)].lexicon)];
      std::string_view word = Pick(rng, lex.product_words);
      for (int tries = 0; used.count(word) && tries < 20; ++tries) word = Pick(rng, lex.product_words);
      if (used.count(word)) continue;
      used.insert(word);
      Product p;
      p.name = c.name + " " + std::string(word);
      p.compact = c.name + std::string(word);
      p.slug = Slug(word);
      p.company = ci;
      p.topic = topic;
      p.weight = 1.0 / (k + 1);
      c.products.push_back(static_cast<int>(w.products.size()));
      w.products.push_back(std::move(p));
    }
  }
}

// Returns `term` as a query term: bare when it is one word, else a "phrase".
std::string QueryTerm(std::string_view term) {
  bool plain = !term.empty();
  for (unsigned char c : term) {
    if (c < 0x80 && !IsAsciiAlpha(static_cast<char>(c)) && !IsAsciiDigit(static_cast<char>(c))) plain = false;
  }
  if (plain) {
    std::string lower = AsciiLower(term);
    // Bare words that are operators must be quoted.
    if (lower != "and" && lower != "or" && lower != "not" && lower != "near") return std::string(term);
  }
  return "\"" + std::string(term) + "\"";
}

void AddQueryTerms(std::vector<std::string>& terms, std::string_view term) {
  std::string q = QueryTerm(term);
  for (const std::string& t : terms) {
    if (EqualsIgnoreAsciiCase(t, q)) return;
  }
  terms.push_back(std::move(q));
}

std::string JoinOr(const std::vector<std::string>& terms) {
  std::string out;
  for (const std::string& t : terms) out += (out.empty() ? "" : " OR ") + t;
  return out;
}

void BuildWatches(World& w) {
  for (Company& c : w.companies) {
    std::vector<std::string> terms;
    AddQueryTerms(terms, c.name);
    if (!c.support_handle.empty()) AddQueryTerms(terms, c.support_handle);
    for (int p : c.products) AddQueryTerms(terms, w.products[static_cast<size_t>(p)].compact);
    c.watch = static_cast<int>(w.watches.size());
    w.watches.push_back({c.name, JoinOr(terms), "market"});
  }
  for (Product& p : w.products) {
    std::vector<std::string> terms;
    AddQueryTerms(terms, p.name);
    AddQueryTerms(terms, p.compact);
    p.watch = static_cast<int>(w.watches.size());
    w.watches.push_back({p.name, JoinOr(terms), w.companies[static_cast<size_t>(p.company)].name + " products"});
  }
  for (TopicInfo& t : w.topics) {
    const Topic& lex = Topics()[static_cast<size_t>(t.lexicon)];
    std::vector<std::string> terms;
    for (Lang l : w.langs) AddQueryTerms(terms, lex.terms[static_cast<int>(l)]);
    AddQueryTerms(terms, lex.hashtag);
    t.watch = static_cast<int>(w.watches.size());
    w.watches.push_back({std::string(lex.name), JoinOr(terms), "topics"});
  }
}

// ---- Regions and accounts --------------------------------------------------------

void BuildRegions(const SimOptions& opts, World& w) {
  for (int l = 0; l < kLangCount; ++l) {
    if (std::find(opts.languages.begin(), opts.languages.end(), kLangCodes[l]) != opts.languages.end()) {
      w.langs.push_back(static_cast<Lang>(l));
    }
  }
  double total = 0;
  for (int r = 0; r < static_cast<int>(Regions().size()); ++r) {
    const Region& region = Regions()[static_cast<size_t>(r)];
    const Lang lang = Cultures()[static_cast<size_t>(region.culture)].lang;
    if (std::find(w.langs.begin(), w.langs.end(), lang) == w.langs.end()) continue;
    w.regions.push_back(r);
    w.region_share.push_back(region.share);
    total += region.share;
  }
  for (double& s : w.region_share) s /= total;
}

int PickRegion(Rng& rng, const World& w) {
  double u = rng.Uniform();
  for (size_t i = 0; i < w.regions.size(); ++i) {
    u -= w.region_share[i];
    if (u < 0) return w.regions[i];
  }
  return w.regions.back();
}

const char* LegalSuffix(int region, Rng& rng) {
  std::string_view id = Regions()[static_cast<size_t>(region)].id;
  if (!rng.Chance(0.35)) return "";
  if (id == "dach") return " GmbH";
  if (id == "france") return " SA";
  if (id == "spain" || id == "latam") return " S.L.";
  if (id == "japan") return " K.K.";
  if (id == "uk-ie") return " Ltd";
  return ", Inc.";
}

void BuildAccounts(const SimOptions& opts, Rng& rng, int64_t people, World& w) {
  const int64_t n = opts.accounts > 0 ? opts.accounts : std::clamp<int64_t>(people / 12, 40, 5000);
  std::unordered_set<std::string> taken;
  taken.reserve(static_cast<size_t>(n));
  const auto firsts = AccountFirstWords();
  const auto seconds = AccountSecondWords();
  const int64_t analysts = std::max<int64_t>(3, n / 40);
  for (int64_t i = 0; i < n; ++i) {
    Account a;
    a.region = PickRegion(rng, w);
    const Region& region = Regions()[static_cast<size_t>(a.region)];
    a.city = static_cast<int>(rng.Below(region.cities.size()));
    // A few random draws, then a qualifier ("Holdings"), then a number: the
    // word combinations run out in large worlds.
    static constexpr std::string_view kQualifiers[] = {"Group", "Holdings", "International", "Solutions",
                                                       "Services", "Europe"};
    std::string base;
    for (int tries = 0; tries < 16; ++tries) {
      base = std::string(Pick(rng, firsts)) + " " +
             std::string(i < analysts ? std::string_view("Research") : Pick(rng, seconds));
      if (tries >= 8) base += " " + std::string(Pick(rng, std::span<const std::string_view>(kQualifiers)));
      if (!taken.count(base)) break;
    }
    if (taken.count(base)) base += " " + std::to_string(i);
    taken.insert(base);
    a.domain = Squash(base) + ".example";
    a.name = base + (i < analysts ? "" : LegalSuffix(a.region, rng));
    a.sf_id = SalesforceId("001", static_cast<uint64_t>(i));
    if (i < analysts) {
      a.type = "Other";
      a.industry = "Consulting";
    } else {
      const double u = rng.Uniform();
      a.type = u < 0.45 ? "Customer - Direct"
                        : (u < 0.55 ? "Customer - Channel" : (u < 0.92 ? "Prospect" : "Technology Partner"));
      a.industry = std::string(Pick(rng, Industries()));
    }
    a.employees = static_cast<int64_t>(std::clamp(rng.LogNormal(6.5, 1.6), 12.0, 250000.0));
    a.revenue = a.employees * static_cast<int64_t>(rng.Between(80, 400)) * 1000;
    a.created_ms = opts.start_ms - static_cast<int64_t>(rng.Between(400, 2500)) * kDayMs;
    w.accounts.push_back(std::move(a));
  }
}

// ---- People ----------------------------------------------------------------

struct RoleProfile {
  double share;          // of people not fixed by count
  double follow_mu, follow_sigma;  // log-normal followers
  double activity;       // base posting rate
  double on_x, on_mastodon, on_hn, on_reddit, on_community, on_review, on_video;
};

// Indexed by Role. Shares of the fixed-count roles are unused.
constexpr RoleProfile kRoles[kRoleCount] = {
    /*official*/ {0, 11.5, 0.4, 10, 1, 0.5, 0, 0, 1, 0, 1},
    /*support*/ {0, 8.8, 0.5, 3, 1, 0, 0, 0, 1, 0, 0},
    /*sme*/ {0.012, 7.2, 1.4, 4, 0.95, 0.15, 0.2, 0.15, 0.5, 0, 0.1},
    /*analyst*/ {0.004, 10.0, 1.2, 5, 0.95, 0.2, 0.05, 0.05, 0, 0, 0.2},
    /*blogger*/ {0.010, 8.3, 1.4, 4, 0.9, 0.3, 0.2, 0.15, 0.05, 0, 0.2},
    /*journalist*/ {0.004, 9.0, 1.2, 4, 0.95, 0.1, 0.05, 0, 0, 0, 0},
    /*customer*/ {0.22, 5.6, 1.8, 0.8, 0.7, 0.05, 0.1, 0.3, 0.4, 0.5, 0.02},
    /*prospect*/ {0.15, 5.6, 1.8, 0.8, 0.7, 0.05, 0.15, 0.35, 0.1, 0, 0},
    /*advocate*/ {0.03, 6.6, 1.6, 3, 0.95, 0.1, 0.05, 0.2, 0.8, 0.6, 0.05},
    /*developer*/ {0, 5.8, 2.0, 1, 0.8, 0.2, 0.3, 0.35, 0.1, 0.1, 0.03},
    /*recruiter*/ {0.015, 6.5, 1.0, 3, 1, 0, 0.3, 0.1, 0, 0, 0},
    /*spammer*/ {0.02, 4.0, 2.0, 3, 1, 0.05, 0, 0.2, 0.1, 0.05, 0},
};

std::string_view RoleTitle(Role role, Lang lang, Rng& rng) {
  switch (role) {
    case Role::kSme: {
      static constexpr std::string_view kT[] = {"Principal Engineer", "Product Manager", "Developer Advocate",
                                                "Solutions Engineer", "Field CTO", "Staff Engineer"};
      return Pick(rng, std::span<const std::string_view>(kT));
    }
    case Role::kAnalyst: {
      static constexpr std::string_view kT[] = {"Principal Analyst", "Research Director", "Senior Analyst",
                                                "VP Research"};
      return Pick(rng, std::span<const std::string_view>(kT));
    }
    case Role::kJournalist: {
      static constexpr std::string_view kT[] = {"Reporter", "Senior Editor", "Technology Correspondent"};
      return Pick(rng, std::span<const std::string_view>(kT));
    }
    case Role::kBlogger: {
      static constexpr std::string_view kT[] = {"Independent Consultant", "Cloud Architect", "Infrastructure Lead"};
      return Pick(rng, std::span<const std::string_view>(kT));
    }
    case Role::kRecruiter: return "Technical Recruiter";
    case Role::kSpammer: return "";
    default: return Pick(rng, JobTitles(lang));
  }
}

// Returns a unique X-style handle (letters, digits, '_', at most 15 chars).
std::string MakeHandle(const Person& p, Rng& rng, std::unordered_set<std::string>& taken) {
  const std::string first = Squash(p.first), last = Squash(p.last), nick = Squash(p.nick);
  static constexpr std::string_view kFlavor[] = {"ops", "cloud", "dev", "tech", "sre", "it", "data", "infra"};
  std::string h;
  switch (rng.Below(9)) {
    case 0: h = first + last; break;
    case 1: h = Capitalize(first) + Capitalize(last); break;
    case 2: h = first + "_" + last; break;
    case 3: h = first.substr(0, 1) + last; break;
    case 4: h = nick + last; break;
    case 5: h = first + last.substr(0, 1); break;
    case 6: h = first + "_" + std::string(Pick(rng, std::span<const std::string_view>(kFlavor))); break;
    case 7: h = std::string(Pick(rng, std::span<const std::string_view>(kFlavor))) + Capitalize(nick); break;
    default: h = last + std::to_string(rng.Between(1, 99)); break;
  }
  if (h.size() > 15) h.resize(15);
  if (h.empty()) h = "user";
  const std::string base = h;
  // Claims the lower-cased handle; a handle already taken gets a numeric suffix.
  for (int i = 0; !taken.insert(AsciiLower(h)).second; ++i) {
    std::string suffix = std::to_string(rng.Between(2, 9999));
    h = base.substr(0, std::min<size_t>(base.size(), 15 - suffix.size())) + suffix;
    if (i > 50) h = "u" + std::to_string(rng.Next() % 100000000000000ULL);
  }
  return h;
}

std::string DisplayName(const Person& p, const GivenName& given, const FamilyName& family, Rng& rng) {
  if (!given.native.empty() && rng.Chance(0.55)) {
    return std::string(family.native) + (rng.Chance(0.5) ? " " : "") + std::string(given.native);
  }
  const double u = rng.Uniform();
  if (u < 0.38) return p.first + " " + p.last;
  if (u < 0.55) return p.nick + " " + p.last;
  if (u < 0.63) return p.first + " " + Initial(p.last) + ".";
  if (u < 0.70) return AsciiLower(p.nick);
  if (u < 0.77) return Initial(p.first) + ". " + p.last;
  if (u < 0.86) return p.first + " " + p.last + " | " + p.title;
  static constexpr std::string_view kDecor[] = {" ☁️", " 🚀", " 🌩️", " 🏳️‍🌈", " 🇪🇺", " ✨"};
  return p.nick + " " + p.last + std::string(Pick(rng, std::span<const std::string_view>(kDecor)));
}

std::string WrittenLocation(const City& city, Rng& rng) {
  const double u = rng.Uniform();
  if (u < 0.62) return std::string(Pick(rng, city.written));
  if (u < 0.72) {
    if (city.country_code == "US") return rng.Chance(0.5) ? "USA" : "United States";
    if (city.country_code == "DE") return "Deutschland";
    if (city.country_code == "JP") return "日本";
    if (city.country_code == "ES") return "España";
    if (city.country_code == "GB") return "UK";
    return std::string(city.country);
  }
  return std::string(Pick(rng, JunkLocations()));
}

std::string Bio(const World& w, const Person& p, Rng& rng) {
  const Topic& topic = Topics()[static_cast<size_t>(w.topics[rng.Below(w.topics.size())].lexicon)];
  std::string t(topic.terms[0]);
  switch (p.role) {
    case Role::kOfficial: {
      const Company& c = w.companies[static_cast<size_t>(p.company)];
      return "Official account of " + c.name + ". " + Capitalize(t) + " for the enterprise." +
             (c.support_handle.empty() ? "" : " Support: @" + c.support_handle);
    }
    case Role::kSupport:
      return "Here to help with all things " + w.companies[static_cast<size_t>(p.company)].name + ", 24/7.";
    case Role::kSme:
      return p.title + " @" + w.companies[static_cast<size_t>(p.company)].handle + ". " + t +
             ", coffee & cycling. Views my own.";
    case Role::kAnalyst: return p.title + " covering " + t + " & infrastructure.";
    case Role::kBlogger: return "I write about " + t + ". " + p.title + ".";
    case Role::kJournalist: return p.title + ". Covering enterprise tech. DMs open for tips.";
    case Role::kRecruiter: return "Tech recruiter. Always hiring great engineers!";
    case Role::kSpammer: return "💰 Free followers 💰 DM for promo";
    default: return rng.Chance(0.4) ? "" : p.title + (rng.Chance(0.5) ? ". Dad jokes & " + t + "." : ".");
  }
}

// Appends the preformatted includes.users[] object of `p` to `b`: the user
// fields a listening stream asks for (name, location, public metrics). The
// bio stays out: it would make every line ~8% longer on the load-generation
// path.
void FormatXUser(const Person& p, OutBuffer& b) {
  b.Lit("{\"id\":\"");
  b.PutUint(p.x_id);
  b.Lit("\",\"username\":\"");
  b.PutJsonEscaped(p.x_handle);
  b.Lit("\",\"name\":\"");
  b.PutJsonEscaped(p.display);
  b.Lit("\",\"location\":\"");
  b.PutJsonEscaped(p.location);
  b.Lit("\",\"public_metrics\":{\"followers_count\":");
  b.PutInt(p.followers);
  b.Lit(",\"following_count\":");
  b.PutInt(p.following);
  b.Lit(",\"tweet_count\":");
  b.PutInt(p.tweet_count);
  b.Lit(",\"listed_count\":");
  b.PutInt(p.listed);
  b.Lit("}}");
}

struct PeoplePlan {
  std::vector<Role> roles;
};

PeoplePlan PlanRoles(const World& w, int64_t n) {
  PeoplePlan plan;
  for (size_t c = 0; c < w.companies.size(); ++c) plan.roles.push_back(Role::kOfficial);
  plan.roles.push_back(Role::kSupport);
  auto add = [&](Role r, int64_t count) {
    for (int64_t i = 0; i < count; ++i) plan.roles.push_back(r);
  };
  const double m = static_cast<double>(n);
  add(Role::kSme, std::max<int64_t>(6, std::llround(m * kRoles[2].share)));
  add(Role::kAnalyst, std::max<int64_t>(6, std::llround(m * kRoles[3].share)));
  add(Role::kBlogger, std::max<int64_t>(10, std::llround(m * kRoles[4].share)));
  add(Role::kJournalist, std::max<int64_t>(6, std::llround(m * kRoles[5].share)));
  add(Role::kCustomer, std::llround(m * kRoles[6].share));
  add(Role::kProspect, std::llround(m * kRoles[7].share));
  add(Role::kAdvocate, std::max<int64_t>(5, std::llround(m * kRoles[8].share)));
  add(Role::kRecruiter, std::max<int64_t>(3, std::llround(m * kRoles[10].share)));
  add(Role::kSpammer, std::max<int64_t>(3, std::llround(m * kRoles[11].share)));
  add(Role::kDeveloper, std::max<int64_t>(10, n - static_cast<int64_t>(plan.roles.size())));
  return plan;
}

int PickAccount(const World& w, Role role, Rng& rng) {
  // Analyst firms come first in the account list (type "Other").
  for (int tries = 0; tries < 64; ++tries) {
    const int a = static_cast<int>(rng.Below(w.accounts.size()));
    const std::string& type = w.accounts[static_cast<size_t>(a)].type;
    const bool ok = role == Role::kAnalyst ? type == "Other"
                                           : (role == Role::kProspect ? type == "Prospect" : type.starts_with("Customer"));
    if (ok) return a;
  }
  return static_cast<int>(rng.Below(w.accounts.size()));
}

void SetIdentity(World& w, Person& p, Rng& rng) {
  if (p.account >= 0) {
    const Account& a = w.accounts[static_cast<size_t>(p.account)];
    p.region = a.region;
    p.city = rng.Chance(0.8) ? a.city
                             : static_cast<int>(rng.Below(Regions()[static_cast<size_t>(a.region)].cities.size()));
  } else {
    p.region = PickRegion(rng, w);
    p.city = static_cast<int>(rng.Below(Regions()[static_cast<size_t>(p.region)].cities.size()));
  }
  const Region& region = Regions()[static_cast<size_t>(p.region)];
  const Culture& culture = Cultures()[static_cast<size_t>(region.culture)];
  p.lang = culture.lang;
  const GivenName& given = Pick(rng, culture.given);
  const FamilyName& family = Pick(rng, culture.family);
  p.first.assign(given.name);
  p.last.assign(family.name);
  p.nick = p.first;
  if (!given.nick1.empty() && rng.Chance(0.45)) {
    p.nick.assign(!given.nick2.empty() && rng.Chance(0.4) ? given.nick2 : given.nick1);
  }
  p.title.assign(RoleTitle(p.role, p.lang, rng));
  p.display = DisplayName(p, given, family, rng);
  p.location = WrittenLocation(region.cities[static_cast<size_t>(p.city)], rng);
}

void SetPresence(Person& p, int index, Rng& rng, std::unordered_set<std::string>& handles) {
  const RoleProfile& prof = kRoles[static_cast<int>(p.role)];
  if (rng.Chance(prof.on_x)) {
    p.x_handle = MakeHandle(p, rng, handles);
  }
  if (rng.Chance(prof.on_mastodon)) {
    p.mastodon_user = AsciiLower(p.x_handle.empty() ? Squash(p.first + p.last) : p.x_handle);
    p.mastodon_instance = std::string(Pick(rng, MastodonInstances()));
    p.mastodon_id = 109'000'000'000'000'000ULL + static_cast<uint64_t>(index) * 7919 + rng.Below(7919);
  }
  if (rng.Chance(prof.on_hn)) {
    p.hn_handle = rng.Chance(0.5) ? Squash(Initial(p.first) + p.last) + std::to_string(rng.Between(1, 999))
                                  : Squash(p.nick) + "_" + Squash(p.last).substr(0, 3);
  }
  if (rng.Chance(prof.on_reddit)) {
    static constexpr std::string_view kAdj[] = {"Ok", "Lazy", "Brave", "Silent", "Curious", "Rusty", "Clever", "Quiet"};
    static constexpr std::string_view kNoun[] = {"Panda", "Router", "Kernel", "Otter", "Lemur", "Packet", "Falcon", "Badger"};
    p.reddit_handle = rng.Chance(0.5) ? std::string(Pick(rng, std::span<const std::string_view>(kAdj))) + "-" +
                                            std::string(Pick(rng, std::span<const std::string_view>(kNoun))) + "-" +
                                            std::to_string(rng.Between(1000, 9999))
                                      : Capitalize(Squash(p.nick)) + "_" + Capitalize(Squash(p.last)) + "_IT";
  }
  if (rng.Chance(prof.on_community)) p.community_handle = Squash(p.first) + "." + Squash(p.last);
  if (rng.Chance(prof.on_review)) p.review_name = p.first + " " + Initial(p.last) + ".";
  if (rng.Chance(prof.on_video)) p.video_channel = p.nick + " " + p.last + " Tech";
}

void SetAudience(const SimOptions& opts, Person& p, int index, Rng& rng) {
  const RoleProfile& prof = kRoles[static_cast<int>(p.role)];
  p.followers = static_cast<int64_t>(std::min(rng.LogNormal(prof.follow_mu, prof.follow_sigma), 5.0e7));
  p.following = static_cast<int64_t>(std::min(rng.LogNormal(5.6, 1.1), 7500.0));
  p.tweet_count = static_cast<int64_t>(rng.LogNormal(7.5, 1.5)) + 1;
  p.listed = p.followers / static_cast<int64_t>(rng.Between(40, 200));
  p.x_created_ms = opts.start_ms - static_cast<int64_t>(rng.Between(60, 5000)) * kDayMs - rng.Between(0, kDayMs - 1);
  p.x_id = 100'000'000ULL + static_cast<uint64_t>(index) * 104729ULL + rng.Below(104729);
  // Heavy-tailed activity: a Pareto tail (alpha 1.6, capped at 60x) over the role's base rate.
  p.activity = prof.activity * std::min(rng.Pareto(1.0, 1.6), 60.0);
  // Direct reactions grow sub-linearly with audience; a per-person factor
  // keeps followers from predicting influence perfectly.
  p.reach = 0.045 * std::pow(static_cast<double>(p.followers) + 10.0, 0.55) * rng.LogNormal(-0.18, 0.6);
}

void BuildPeople(const SimOptions& opts, int64_t n, Rng& rng, World& w, OutBuffer* x_users) {
  PeoplePlan plan = PlanRoles(w, n);
  std::unordered_set<std::string> handles;
  handles.reserve(static_cast<size_t>(n) * 2);
  for (const Company& c : w.companies) {
    handles.insert(AsciiLower(c.handle));
    if (!c.support_handle.empty()) handles.insert(AsciiLower(c.support_handle));
  }
  w.people.resize(plan.roles.size());
  // Every X user object, in person order; BuildHot lays them out by activity.
  OutBuffer& users = *x_users;
  users.clear();
  int sme_company = 0;
  for (size_t i = 0; i < plan.roles.size(); ++i) {
    Person& p = w.people[i];
    p.role = plan.roles[i];
    const int index = static_cast<int>(i);
    if (p.role == Role::kCustomer || p.role == Role::kAdvocate || p.role == Role::kProspect ||
        (p.role == Role::kAnalyst && rng.Chance(0.8))) {
      p.account = PickAccount(w, p.role == Role::kAdvocate ? Role::kCustomer : p.role, rng);
    }
    SetIdentity(w, p, rng);
    SetAudience(opts, p, index, rng);
    if (p.role == Role::kOfficial || p.role == Role::kSupport) {
      const int c = p.role == Role::kOfficial ? index : 0;
      Company& company = w.companies[static_cast<size_t>(c)];
      p.company = c;
      p.lang = Lang::kEn;
      p.region = w.regions.front();
      p.city = 0;
      p.first = company.name;
      p.last = p.role == Role::kOfficial ? "" : "Support";
      p.nick = p.first;
      p.display = p.role == Role::kOfficial ? company.name : company.name + " Support";
      p.x_handle = p.role == Role::kOfficial ? company.handle : company.support_handle;
      p.location = p.role == Role::kOfficial ? "Global" : "";
      p.title = "";
      (p.role == Role::kOfficial ? company.official : company.support) = index;
      // Most employees (SMEs) work for the vendor; some speak for competitors.
    } else if (p.role == Role::kSme) {
      p.company = (sme_company++ % 4 == 3) ? 1 + static_cast<int>(rng.Below(w.companies.size() - 1)) : 0;
    }
    if (p.role != Role::kOfficial && p.role != Role::kSupport) SetPresence(p, index, rng, handles);
    if (p.role == Role::kOfficial) {
      p.mastodon_user = rng.Chance(0.5) ? AsciiLower(p.x_handle) : "";
      p.mastodon_instance = "social.example";
      p.mastodon_id = 109'000'000'000'000'000ULL + static_cast<uint64_t>(index) * 7919;
      p.video_channel = p.display;
      p.community_handle = AsciiLower(p.x_handle) + "-team";
    }
    if (p.role == Role::kSupport) p.community_handle = "support-team";
    if (!p.x_handle.empty()) {
      p.bio = Bio(w, p, rng);
      p.x_user_off = static_cast<uint32_t>(users.size());
      FormatXUser(p, users);
      p.x_user_len = static_cast<uint32_t>(users.size() - p.x_user_off);
    }
  }
}

// Rescales reach so that a reaction's author (drawn by activity from the
// people who react: everyone but brand, support, recruiter and spam
// accounts) draws `target` direct reactions on average: the branching ratio
// of the self-exciting process. Below 1 keeps every cascade finite.
void CalibrateReach(World& w, double target) {
  double num = 0, den = 0;
  for (const Person& p : w.people) {
    if (p.role == Role::kOfficial || p.role == Role::kSupport || p.role == Role::kRecruiter ||
        p.role == Role::kSpammer) {
      continue;
    }
    num += p.activity * p.reach;
    den += p.activity;
  }
  const double scale = den > 0 && num > 0 ? target * den / num : 1.0;
  for (Person& p : w.people) p.reach = std::min(p.reach * scale, 80.0);
}

// ---- Sites -------------------------------------------------------------------------

Site MakeSite(SiteKind kind, std::string title, std::string host, Lang lang = Lang::kEn, bool atom = false,
              int owner = -1, int company = -1) {
  Site s;
  s.kind = kind;
  s.title = std::move(title);
  s.host = std::move(host);
  s.lang = lang;
  s.atom = atom;
  s.owner = owner;
  s.company = company;
  return s;
}

void BuildSites(Rng& rng, World& w) {
  std::set<std::string> hosts;
  auto add = [&](Site s) {
    s.file = (s.kind == SiteKind::kBlog || s.kind == SiteKind::kNews) ? "feeds/" + s.host + ".xml" : "";
    hosts.insert(s.host);
    w.sites.push_back(std::move(s));
    return static_cast<int>(w.sites.size()) - 1;
  };
  for (int c = 0; c < static_cast<int>(w.companies.size()); ++c) {
    const Company& company = w.companies[static_cast<size_t>(c)];
    const int s = add(MakeSite(SiteKind::kBlog, company.vendor ? "The " + company.name + " Blog" : company.name + " Blog",
                               "blog." + company.domain, Lang::kEn, c % 2 == 1, company.official, c));
    w.blog_sites.push_back(s);
    if (company.vendor) w.vendor_blog = s;
  }
  const auto words = BlogWords();  // blogs are named first + second word
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    Person& p = w.people[static_cast<size_t>(i)];
    if (p.role != Role::kBlogger && !(p.role == Role::kAnalyst && rng.Chance(0.5))) continue;
    std::string first(Pick(rng, words)), second(Pick(rng, BlogSecondWords()));
    for (int tries = 0; tries < 20 && hosts.count(first + second + ".example"); ++tries) {
      first = std::string(Pick(rng, words));
      second = std::string(Pick(rng, BlogSecondWords()));
    }
    std::string stem = p.role == Role::kAnalyst ? Squash(p.last) + "-insights" : first + second;
    std::string host = stem + ".example";
    for (int k = 2; hosts.count(host); ++k) host = stem + std::to_string(k) + ".example";
    std::string title = p.role == Role::kAnalyst ? p.first + " " + p.last + " Insights" : Capitalize(first) + " " + Capitalize(second);
    for (char& ch : title) ch = ch == '-' ? ' ' : ch;
    p.blog_site = add(MakeSite(SiteKind::kBlog, title, host, p.lang, rng.Chance(0.3), i));
    w.blog_sites.push_back(p.blog_site);
  }
  for (Lang l : w.langs) {
    for (std::string_view name : NewsWords(l)) {
      std::string stem = Squash(name);
      if (const size_t at = stem.find("news"); at != std::string::npos) stem.erase(at, 4);
      if (stem.empty()) stem = std::string(LangCode(l)) + "tech";
      std::string host = stem + "news.example";
      for (int k = 2; hosts.count(host); ++k) host = stem + std::to_string(k) + "news.example";
      w.news_sites.push_back(add(MakeSite(SiteKind::kNews, std::string(name), host, l)));
    }
  }
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    Person& p = w.people[static_cast<size_t>(i)];
    if (p.role != Role::kJournalist) continue;
    std::vector<int> same;
    for (int s : w.news_sites) {
      if (w.sites[static_cast<size_t>(s)].lang == p.lang) same.push_back(s);
    }
    if (same.empty()) same = w.news_sites;
    p.news_site = same[rng.Below(same.size())];
    w.sites[static_cast<size_t>(p.news_site)].writers.push_back(i);
  }
  // Every news site needs a writer; lend it a journalist when none matched.
  for (int s : w.news_sites) {
    Site& site = w.sites[static_cast<size_t>(s)];
    if (site.writers.empty() && !w.by_role[static_cast<int>(Role::kJournalist)].empty()) {
      const auto& j = w.by_role[static_cast<int>(Role::kJournalist)];
      site.writers.push_back(j[rng.Below(j.size())]);
    }
  }
  w.review_site = add(MakeSite(SiteKind::kReview, "PeerReviews", "peerreviews.example"));
  w.community_site = add(MakeSite(SiteKind::kCommunity, w.companies[0].name + " Community",
                                  "community." + w.companies[0].domain, Lang::kEn, false, -1, 0));
  w.video_site = add(MakeSite(SiteKind::kVideo, "VidStream", "vidstream.example"));
}

// ---- Events -----------------------------------------------------------------------

int FlagshipOf(const World& w, int company, int nth) {
  const auto& products = w.companies[static_cast<size_t>(company)].products;
  return products[static_cast<size_t>(nth) % products.size()];
}

void AddEvent(const SimOptions& opts, World& w, MarketEvent e) {
  const int64_t end = opts.start_ms + static_cast<int64_t>(opts.days) * kDayMs;
  if (e.start_ms < opts.start_ms || e.start_ms >= end) return;
  e.end_ms = std::min(e.end_ms, end - 1000);
  if (e.end_ms <= e.start_ms + kHourMs) return;
  w.events.push_back(std::move(e));
}

MarketEvent Launch(const World& w, int product, int64_t start, int64_t decay, double amplitude) {
  const Product& p = w.products[static_cast<size_t>(product)];
  return {.kind = "launch", .product = product, .company = p.company, .watch = p.watch, .start_ms = start,
          .end_ms = start + 5 * decay / 2, .decay_ms = decay, .amplitude = amplitude,
          .sentiment = Sentiment::kPositive};
}

MarketEvent Incident(const World& w, std::string kind, int product, int64_t start, int64_t outage, double amplitude) {
  const Product& p = w.products[static_cast<size_t>(product)];
  // Extra volume holds through the outage, then decays with a 2-hour e-folding time.
  return {.kind = std::move(kind), .product = product, .company = p.company, .watch = p.watch, .start_ms = start,
          .end_ms = start + outage + 6 * kHourMs, .decay_ms = outage, .amplitude = amplitude,
          .sentiment = Sentiment::kNegative};
}

void BuildEvents(const SimOptions& opts, Rng& rng, World& w) {
  const int64_t s = opts.start_ms;
  const int d = opts.days;
  if (d <= 2) {
    AddEvent(opts, w, Launch(w, FlagshipOf(w, 0, 0), s + 14 * kHourMs, 3 * kHourMs, 1.2));
    if (d == 2) AddEvent(opts, w, Incident(w, "incident", FlagshipOf(w, 0, 1), s + 37 * kHourMs, 3 * kHourMs, 1.0));
    return;
  }
  AddEvent(opts, w, Launch(w, FlagshipOf(w, 0, 0), s + (d * 3 / 10) * kDayMs + 15 * kHourMs, 10 * kHourMs, 1.0));
  AddEvent(opts, w, Incident(w, "incident", FlagshipOf(w, 0, 1), s + (d * 6 / 10) * kDayMs + 13 * kHourMs + kHourMs / 2,
                             4 * kHourMs, 0.9));
  if (d >= 4) {
    AddEvent(opts, w, Launch(w, FlagshipOf(w, 1, 0), s + (d * 45 / 100) * kDayMs + 16 * kHourMs, 8 * kHourMs, 0.7));
  }
  // Long windows repeat the pattern: a launch about every 40 days, an
  // incident about every 75, rotating over companies and products.
  int k = 1;
  for (int64_t day = 40; day + 2 < d; day += 40, ++k) {
    const int c = k % static_cast<int>(w.companies.size());
    AddEvent(opts, w, Launch(w, FlagshipOf(w, c, k), s + day * kDayMs + rng.Between(13, 18) * kHourMs, 10 * kHourMs,
                             c == 0 ? 1.0 : 0.7));
  }
  k = 1;
  for (int64_t day = 75; day + 2 < d; day += 75, ++k) {
    const int c = (k % 2 == 1) ? 0 : 1 + static_cast<int>(rng.Below(w.companies.size() - 1));
    AddEvent(opts, w, Incident(w, k % 3 == 2 ? "security_incident" : "incident", FlagshipOf(w, c, k + 1),
                               s + day * kDayMs + rng.Between(8, 20) * kHourMs, rng.Between(2, 6) * kHourMs, 0.9));
  }
  std::sort(w.events.begin(), w.events.end(),
            [](const MarketEvent& a, const MarketEvent& b) { return a.start_ms < b.start_ms; });
}

// ---- CRM rows and samplers ---------------------------------------------------------

void AssignContacts(Rng& rng, World& w) {
  uint64_t sf_serial = 0;
  int64_t hs_serial = 0;
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    Person& p = w.people[static_cast<size_t>(i)];
    double sf = 0, hs = 0;
    switch (p.role) {
      case Role::kCustomer:
      case Role::kAdvocate: sf = 1.0; hs = 0.6; break;
      case Role::kProspect: sf = 0.3; hs = 1.0; break;
      case Role::kAnalyst: sf = p.account >= 0 ? 0.7 : 0; hs = 0.2; break;
      case Role::kBlogger: hs = 0.3; break;
      case Role::kJournalist: hs = 0.4; break;
      case Role::kDeveloper: hs = 0.08; break;
      default: break;
    }
    if (p.account < 0) sf = 0;
    if (rng.Chance(sf)) {
      p.sf_id = SalesforceId("003", sf_serial++);
      w.sf_contacts.push_back(i);
    }
    if (rng.Chance(hs)) {
      hs_serial += rng.Between(1, 400);
      p.hs_id = 51'000 + hs_serial;
      w.hs_contacts.push_back(i);
    }
    p.contact_id = !p.sf_id.empty() ? p.sf_id : (p.hs_id ? std::to_string(p.hs_id) : "");
  }
  for (uint64_t u = 0; u < 6; ++u) w.sf_owner_ids.push_back(SalesforceId("005", 40 + u));
}

void BuildSamplers(World& w) {
  w.by_region.clear();
  std::vector<std::vector<double>> region_weights(w.regions.size());
  std::vector<std::vector<int32_t>> region_ids(w.regions.size());
  std::vector<std::vector<double>> region_x_weights(w.regions.size());
  std::vector<std::vector<int32_t>> region_x_ids(w.regions.size());
  std::vector<double> lang_weights[kLangCount];
  std::vector<int32_t> lang_ids[kLangCount];
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    const Person& p = w.people[static_cast<size_t>(i)];
    w.by_role[static_cast<int>(p.role)].push_back(i);
    // Brand and support accounts post through events and replies, not as
    // regional voices.
    if (p.role == Role::kSupport) continue;
    const auto r = std::find(w.regions.begin(), w.regions.end(), p.region);
    const size_t ri = static_cast<size_t>(r - w.regions.begin());
    region_ids[ri].push_back(i);
    region_weights[ri].push_back(p.activity);
    if (!p.x_handle.empty()) {
      region_x_ids[ri].push_back(i);
      region_x_weights[ri].push_back(p.activity);
    }
    if (p.role == Role::kSpammer || p.role == Role::kRecruiter || p.role == Role::kOfficial) continue;
    const int l = static_cast<int>(p.lang);
    lang_ids[l].push_back(i);
    lang_weights[l].push_back(p.activity);
  }
  w.by_region_x.clear();
  for (size_t r = 0; r < w.regions.size(); ++r) {
    w.by_region.emplace_back(region_weights[r], region_ids[r]);
    w.by_region_x.emplace_back(region_x_weights[r], region_x_ids[r]);
  }
  for (int l = 0; l < kLangCount; ++l) w.by_lang[l] = AliasTable(lang_weights[l], lang_ids[l]);
  std::vector<double> voice;
  for (const Company& c : w.companies) voice.push_back(c.voice);
  w.company_voice = AliasTable(voice);
}

// `x_users` holds the X user objects BuildPeople formatted, in person order.
void BuildHot(std::string_view x_users, World& w) {
  w.hot.resize(w.people.size());
  for (size_t i = 0; i < w.people.size(); ++i) {
    const Person& p = w.people[i];
    PersonHot& h = w.hot[i];
    h.reach = static_cast<float>(p.reach);
    h.activity = static_cast<float>(p.activity);
    h.account = p.account;
    h.blog_site = p.blog_site;
    h.news_site = p.news_site;
    h.company = static_cast<int16_t>(p.company);
    h.role = p.role;
    h.lang = p.lang;
    h.region = static_cast<uint16_t>(p.region);
    h.city = static_cast<uint16_t>(p.city);
    h.x_id = p.x_id;
    h.x_user_off = p.x_user_off;
    h.x_user_len = p.x_user_len;
    h.x_handle_len = static_cast<uint16_t>(p.x_handle.size());
    auto set = [&](Platform pl, bool on) {
      if (on) h.platforms |= static_cast<uint16_t>(1u << static_cast<int>(pl));
    };
    set(Platform::kX, !p.x_handle.empty());
    set(Platform::kMastodon, !p.mastodon_user.empty());
    set(Platform::kBlog, p.blog_site >= 0 || (p.company >= 0 && (p.role == Role::kSme || p.role == Role::kOfficial)));
    set(Platform::kNews, p.news_site >= 0);
    set(Platform::kHn, !p.hn_handle.empty());
    set(Platform::kReddit, !p.reddit_handle.empty());
    set(Platform::kReview, !p.review_name.empty());
    set(Platform::kCommunity, !p.community_handle.empty());
    set(Platform::kVideo, !p.video_channel.empty());
  }
  {
    constexpr Platform kReactive[] = {Platform::kX, Platform::kMastodon, Platform::kHn, Platform::kReddit};
    std::vector<double> weights[kLangCount][std::size(kReactive)];
    std::vector<int32_t> ids[kLangCount][std::size(kReactive)];
    for (size_t i = 0; i < w.people.size(); ++i) {
      const Person& p = w.people[i];
      // The people of by_lang (see BuildSamplers), by the platforms they are on.
      if (p.role == Role::kSupport || p.role == Role::kSpammer || p.role == Role::kRecruiter ||
          p.role == Role::kOfficial) {
        continue;
      }
      for (size_t k = 0; k < std::size(kReactive); ++k) {
        if (!w.hot[i].On(kReactive[k])) continue;
        weights[static_cast<int>(p.lang)][k].push_back(p.activity);
        ids[static_cast<int>(p.lang)][k].push_back(static_cast<int32_t>(i));
      }
    }
    for (int l = 0; l < kLangCount; ++l) {
      for (size_t k = 0; k < std::size(kReactive); ++k) {
        w.by_lang_on[l][static_cast<int>(kReactive[k])] = AliasTable(weights[l][k], ids[l][k]);
      }
    }
  }
  // Lay out the X user objects and handles by falling activity: the few
  // people who post most then share a few hundred KiB that stay in cache.
  // Sorting (activity, index) keys keeps the stable order without reaching
  // into the people for every comparison.
  std::vector<std::pair<double, int>> order;
  size_t handle_bytes = 0;
  for (int i = 0; i < static_cast<int>(w.people.size()); ++i) {
    const Person& p = w.people[static_cast<size_t>(i)];
    if (p.x_handle.empty()) continue;
    order.emplace_back(p.activity, i);
    handle_bytes += p.x_handle.size() + 20;  // handle plus at most 20 id digits
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const std::pair<double, int>& a, const std::pair<double, int>& b) { return a.first > b.first; });
  w.x_users.resize(x_users.size());
  OutBuffer handles(handle_bytes + 64);
  uint32_t at = 0;
  for (const auto& [activity, i] : order) {
    Person& p = w.people[static_cast<size_t>(i)];
    PersonHot& h = w.hot[static_cast<size_t>(i)];
    std::memcpy(w.x_users.data() + at, x_users.data() + p.x_user_off, p.x_user_len);
    h.x_user_off = at;
    at += p.x_user_len;
    p.x_user_off = h.x_user_off;
    h.x_handle_off = static_cast<uint32_t>(handles.size());
    handles.Put(p.x_handle);
    const size_t id_start = handles.size();
    handles.PutUint(p.x_id);
    h.x_id_len = static_cast<uint16_t>(handles.size() - id_start);
  }
  w.x_handles.assign(handles.view());
}

}  // namespace

std::string SalesforceId18(std::string_view id15) {
  static constexpr char kSuffix[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
  std::string id(id15);
  for (int chunk = 0; chunk < 3; ++chunk) {
    int bits = 0;
    for (int i = 0; i < 5; ++i) {
      const char c = id15[static_cast<size_t>(chunk * 5 + i)];
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    id.push_back(kSuffix[bits]);
  }
  return id;
}

std::string SalesforceId(std::string_view prefix, uint64_t n) {
  // Key prefix, a pod id ("5J"), a reserved '0', then a 9-character serial.
  return SalesforceId18(std::string(prefix.substr(0, 3)) + "5J0" + Base62(n + 9'007'000ULL, 9));
}

World BuildWorld(const SimOptions& opts) {
  World w;
  Rng companies_rng(opts.seed, kCompaniesStream);
  Rng accounts_rng(opts.seed, kAccountsStream);
  Rng people_rng(opts.seed, kPeopleStream);
  Rng sites_rng(opts.seed, kSitesStream);
  Rng events_rng(opts.seed, kEventsStream);
  const int64_t people = opts.people > 0
                             ? opts.people
                             : std::clamp<int64_t>(std::llround(40.0 * std::sqrt(static_cast<double>(opts.mentions))),
                                                   1500, 80000);
  BuildRegions(opts, w);
  BuildCompanies(opts, companies_rng, w);
  BuildTopicsAndProducts(opts, companies_rng, w);
  BuildWatches(w);
  BuildAccounts(opts, accounts_rng, people, w);
  OutBuffer x_users(static_cast<size_t>(people) * 200 + 4096);
  BuildPeople(opts, people, people_rng, w, &x_users);
  CalibrateReach(w, 0.42);
  BuildSamplers(w);
  BuildSites(sites_rng, w);
  BuildEvents(opts, events_rng, w);
  AssignContacts(accounts_rng, w);
  BuildHot(x_users.view(), w);
  return w;
}

}  // namespace earshot::sim
