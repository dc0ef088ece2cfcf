// The simulated market: companies and their products, market topics and
// watches, CRM accounts and contacts, people with their accounts on each
// platform, and the sites that publish blogs, news, reviews and videos.
// Built once from the options and the seed; read-only afterwards.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/huge_pages.h"
#include "sim/model.h"
#include "sim/random.h"
#include "sim/sim.h"

namespace earshot::sim {

struct Company {
  std::string name;        // "Kelvora"
  std::string legal_name;  // "Kelvora, Inc."
  std::string domain;      // "kelvora.example"
  std::string handle;      // X handle of the brand account ("Kelvora")
  std::string support_handle;  // "KelvoraHelp"; vendor only
  bool vendor = false;
  double voice = 1;        // relative share of voice
  std::vector<int> products;
  int official = -1;       // person index of the brand account
  int support = -1;        // person index of the support account (vendor only)
  int watch = -1;
};

struct Product {
  std::string name;     // "Kelvora Vault"
  std::string compact;  // "KelvoraVault", used in hashtags
  std::string slug;     // "vault"
  int company = 0;
  int topic = 0;
  double weight = 1;    // popularity within its company
  int watch = -1;
};

struct TopicInfo {
  int lexicon = 0;  // index into Topics()
  int watch = -1;
};

// A ready-made watch (truth/watches.jsonl); ids are bit positions in topic masks.
struct Watch {
  std::string name;
  std::string query;
  std::string group;
};

// A CRM account: a company that buys or might buy.
struct Account {
  std::string name;       // "Brightwater Logistics"
  std::string domain;     // "brightwaterlogistics.example"
  std::string sf_id;      // Salesforce 18-character Account Id
  std::string type;       // "Customer - Direct", "Prospect", ...
  std::string industry;
  int region = 0;
  int city = 0;
  int64_t employees = 0;
  int64_t revenue = 0;    // annual, USD
  int64_t created_ms = 0;
};

// A person and their presence on each platform. Handles are empty where the
// person has no account.
struct Person {
  Role role = Role::kDeveloper;
  int region = 0;
  int city = 0;
  Lang lang = Lang::kEn;
  int company = -1;  // the company they speak for (official, support, SME)
  int account = -1;  // CRM account (customers, prospects, analysts)
  std::string first, last, nick;  // nick == first when they use no short form
  std::string display;            // X / Mastodon display name
  std::string title;              // job title
  std::string location;           // profile location as written
  std::string bio;                // profile description (people with an X account)
  std::string x_handle;
  uint64_t x_id = 0;
  std::string mastodon_user, mastodon_instance;
  uint64_t mastodon_id = 0;
  std::string hn_handle, reddit_handle, community_handle, review_name, video_channel;
  int64_t followers = 0, following = 0, tweet_count = 0, listed = 0;
  int64_t x_created_ms = 0;
  double activity = 1;   // relative posting rate
  double reach = 1;      // expected direct reactions per post, before act and platform factors
  int blog_site = -1;    // the blog they own
  int news_site = -1;    // the news site they write for
  // CRM presence: canonical contact id (Salesforce Id, else HubSpot Record ID) or "".
  std::string contact_id;
  std::string sf_id;
  int64_t hs_id = 0;
  uint32_t x_user_off = 0;  // preformatted includes.users[] entry in World::x_users
  uint32_t x_user_len = 0;
};

// The fields the process reads for every post, packed for cache locality
// (a Person spans many cache lines; this fits one).
struct alignas(64) PersonHot {
  float reach = 0;
  float activity = 0;
  int32_t account = -1;
  int32_t blog_site = -1;
  int32_t news_site = -1;
  int16_t company = -1;
  uint16_t platforms = 0;  // bit i: can post on Platform i
  Role role = Role::kDeveloper;
  Lang lang = Lang::kEn;
  uint16_t region = 0;
  uint16_t city = 0;  // index into the region's cities
  uint64_t x_id = 0;
  uint32_t x_user_off = 0;  // see Person
  uint32_t x_user_len = 0;
  uint32_t x_handle_off = 0;  // the X handle in World::x_handles, then the X id's digits
  uint16_t x_handle_len = 0;
  uint16_t x_id_len = 0;
  bool On(Platform p) const { return (platforms >> static_cast<int>(p)) & 1; }
};
static_assert(sizeof(PersonHot) == 64, "PersonHot must stay one cache line");

enum class SiteKind : uint8_t { kBlog, kNews, kReview, kCommunity, kVideo };

struct Site {
  SiteKind kind = SiteKind::kBlog;
  std::string title;  // feed title; news titles contain "News"
  std::string host;   // "cloudcraft.example"; news hosts end in "news.example"
  Lang lang = Lang::kEn;
  bool atom = false;
  int owner = -1;     // blog: the person who writes it; company blogs: the official
  int company = -1;   // a company blog
  std::vector<int> writers;  // news: the journalists
  std::string file;   // output file relative to out_dir
};

// An injected event: a launch or an incident, with its true window.
struct MarketEvent {
  std::string kind;   // "launch", "incident", "security_incident"
  int product = -1;
  int company = -1;
  int watch = -1;
  int64_t start_ms = 0;
  int64_t end_ms = 0;  // launch: 2.5 e-folding times after start (extra volume at 8%); incident: outage + 6 h
  int64_t decay_ms = 0;  // launch: e-folding time; incident: outage length
  double amplitude = 0;  // extra roots at the peak, as a multiple of the mean base rate
  Sentiment sentiment = Sentiment::kPositive;
};

struct World {
  std::vector<Company> companies;  // [0] is the vendor
  std::vector<Product> products;
  std::vector<TopicInfo> topics;
  std::vector<Watch> watches;
  std::vector<Account> accounts;
  std::vector<Person> people;
  // The tables the process reads at random for every mention live on huge
  // pages (see huge_pages.h).
  using HugeString = std::basic_string<char, std::char_traits<char>, HugePageAllocator<char>>;
  std::vector<PersonHot, HugePageAllocator<PersonHot>> hot;  // parallel to people
  HugeString x_users;          // every X account's includes.users[] object, back to back
  HugeString x_handles;        // every X handle and id (decimal), back to back
  std::string_view XUser(const PersonHot& p) const { return std::string_view(x_users).substr(p.x_user_off, p.x_user_len); }
  std::string_view XHandle(const PersonHot& p) const {
    return std::string_view(x_handles).substr(p.x_handle_off, p.x_handle_len);
  }
  std::string_view XId(const PersonHot& p) const {
    return std::string_view(x_handles).substr(p.x_handle_off + p.x_handle_len, p.x_id_len);
  }
  std::vector<Site> sites;
  std::vector<MarketEvent> events;
  std::vector<int> regions;        // indices into Regions() in use
  std::vector<double> region_share;  // normalized, parallel to `regions`
  std::vector<Lang> langs;         // languages in use
  int review_site = -1, community_site = -1, video_site = -1;
  std::vector<int> news_sites, blog_sites;
  int vendor_blog = -1;

  // Samplers for choosing people.
  std::vector<AliasTable> by_region;   // parallel to `regions`: root authors (person index) by activity
  std::vector<AliasTable> by_region_x; // the same among people with an X account (X-only runs)
  AliasTable by_lang[kLangCount];      // reply and reshare authors (person index) by activity
  // The same restricted to people on each platform where reactions happen (X,
  // Mastodon, HN, Reddit; empty for the others): one draw instead of drawing
  // from by_lang until the person is on the platform.
  AliasTable by_lang_on[kLangCount][kPlatformCount];
  std::vector<int> by_role[kRoleCount];
  AliasTable company_voice;            // subject company by share of voice

  // CRM exports are written from these rows (built with the world).
  std::vector<int> sf_contacts;  // person indices with a Salesforce contact, in Id order
  std::vector<int> hs_contacts;  // person indices with a HubSpot contact
  std::vector<std::string> sf_owner_ids;  // Salesforce User ids of account owners
};

// Builds the world for `opts`. REQUIRES: ValidateOptions(opts) is OK.
World BuildWorld(const SimOptions& opts);

// Returns the 18-character Salesforce id with key prefix `prefix` (3 chars)
// and serial `n`, including the case-safe checksum suffix.
std::string SalesforceId(std::string_view prefix, uint64_t n);

// Returns the 18-character form of a 15-character Salesforce id: the id plus
// three characters that encode which of its letters are upper case.
// REQUIRES: id15.size() == 15.
std::string SalesforceId18(std::string_view id15);

}  // namespace earshot::sim
