// End-to-end tests of `Simulate`: every output file parses in its format,
// the counts are exact, the truth files agree with the outputs, injected
// events and the daily cycle are visible, and the same seed gives the same
// bytes.
#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "core/utf8.h"
#include "sim/sim.h"
#include "sim/world.h"
#include "testutil.h"

namespace earshot::sim {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using ::earshot::testing::ReadFileOrDie;
using ::earshot::testing::TempDir;

constexpr int64_t kMentions = 20000;
constexpr int kDays = 7;
constexpr int64_t kHourMs = 3'600'000;

// ---- Helpers -------------------------------------------------------------------

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> out;
  const std::string text = ReadFileOrDie(path);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (nl > pos) out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

std::vector<fs::path> Files(const fs::path& dir, const std::string& ext) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Parses RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes).
std::vector<std::vector<std::string>> ParseCsv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      row.push_back(std::move(field));
      field.clear();
      rows.push_back(std::move(row));
      row.clear();
    } else {
      field.push_back(c);
    }
  }
  if (!field.empty() || !row.empty()) {
    row.push_back(std::move(field));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Unescape(std::string s) {
  for (const auto& [from, to] : {std::pair<std::string, std::string>{"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  }
  return s;
}

// Returns code points [start, end) of `s`.
std::string CodePoints(const std::string& s, size_t start, size_t end) {
  std::string out;
  size_t pos = 0, cp = 0;
  while (pos < s.size() && cp < end) {
    const size_t begin = pos;
    DecodeUtf8(s, pos);
    if (cp >= start) out.append(s, begin, pos - begin);
    ++cp;
  }
  return out;
}

int64_t Ms(const std::string& rfc3339) {
  Result<int64_t> r = ParseRfc3339(rfc3339);
  EXPECT_TRUE(r.ok()) << rfc3339;
  return r.ok() ? *r : 0;
}

// What the outputs hold, gathered once: each mention id with its time.
struct Outputs {
  std::map<std::string, int64_t> mention_ms;  // id -> created_at (ms; seconds precision where the format has it)
  std::map<std::string, int64_t> per_format;
  int64_t x_lines = 0;
};

struct Truth {
  std::vector<json> mentions, events, watches, influence, identities;
};

std::vector<json> JsonLines(const fs::path& path) {
  std::vector<json> out;
  for (const std::string& line : Lines(path.string())) out.push_back(json::parse(line));
  return out;
}

Outputs ReadAll(const fs::path& root);

// ---- The shared simulated world -------------------------------------------------------

class SimulatedWorldTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    SimOptions o;
    o.out_dir = dir_->str();
    o.mentions = kMentions;
    o.days = kDays;
    o.seed = 7;
    Result<SimSummary> r = Simulate(o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    summary_ = new SimSummary(*r);
    options_ = new SimOptions(o);
    outputs_ = new Outputs(ReadAll(dir_->path()));
    truth_ = new Truth(LoadTruth());
  }
  static void TearDownTestSuite() {
    delete dir_;
    delete summary_;
    delete options_;
    delete outputs_;
    delete truth_;
  }
  static fs::path Path(const std::string& rel) { return dir_->path() / rel; }

  static Truth LoadTruth() {
    Truth t;
    t.mentions = JsonLines(Path("truth/mentions.jsonl"));
    t.events = JsonLines(Path("truth/events.jsonl"));
    t.watches = JsonLines(Path("truth/watches.jsonl"));
    t.influence = JsonLines(Path("truth/influence.jsonl"));
    t.identities = JsonLines(Path("truth/identities.jsonl"));
    return t;
  }

  static TempDir* dir_;
  static SimSummary* summary_;
  static SimOptions* options_;
  static Outputs* outputs_;  // every mention the files hold, read once
  static Truth* truth_;
};
TempDir* SimulatedWorldTest::dir_ = nullptr;
SimSummary* SimulatedWorldTest::summary_ = nullptr;
SimOptions* SimulatedWorldTest::options_ = nullptr;
Outputs* SimulatedWorldTest::outputs_ = nullptr;
Truth* SimulatedWorldTest::truth_ = nullptr;

void AddMention(Outputs& out, const std::string& format, const std::string& id, int64_t ms) {
  EXPECT_TRUE(out.mention_ms.emplace(id, ms).second) << "duplicate mention id " << id;
  ++out.per_format[format];
}

void ReadX(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "x", ".jsonl")) {
    int64_t line_no = 0;
    for (const std::string& line : Lines(f.string())) {
      ++line_no;
      const json msg = json::parse(line);  // throws (fails the test) on a bad line
      const json& d = msg.at("data");
      const std::string id = d.at("id");
      ASSERT_FALSE(id.empty());
      ASSERT_TRUE(std::all_of(id.begin(), id.end(), ::isdigit)) << id;
      ASSERT_EQ(msg.at("includes").at("users").at(0).at("id"), d.at("author_id")) << f << ":" << line_no;
      ASSERT_TRUE(msg["includes"]["users"][0]["public_metrics"].contains("followers_count"));
      AddMention(out, "x", "x:" + id, Ms(d.at("created_at")));
      ++out.x_lines;
    }
  }
}

void ReadMastodon(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "mastodon", ".json")) {
    const json statuses = json::parse(ReadFileOrDie(f.string()));
    ASSERT_TRUE(statuses.is_array());
    for (const json& s : statuses) {
      const std::string acct = s.at("account").at("acct");
      EXPECT_NE(acct.find('@'), std::string::npos) << acct;
      EXPECT_TRUE(std::string(s.at("content")).starts_with("<p>"));
      AddMention(out, "mastodon", "mastodon:" + std::string(s.at("uri")), Ms(s.at("created_at")));
    }
  }
}

void ReadFeeds(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "feeds", ".xml")) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_file(f.c_str());
    ASSERT_TRUE(parsed) << f << ": " << parsed.description() << " at " << parsed.offset;
    const std::string host = f.stem().string();
    if (pugi::xml_node channel = doc.child("rss").child("channel")) {
      const std::string title = channel.child_value("title");
      // The feed connector classifies a feed as news from its title and host.
      EXPECT_EQ(title.find("News") != std::string::npos, host.ends_with("news.example")) << title << " " << host;
      for (pugi::xml_node item : channel.children("item")) {
        const std::string link = item.child_value("link");
        ASSERT_EQ(std::string(item.child("guid").attribute("isPermaLink").value()), "true");
        ASSERT_EQ(std::string(item.child_value("guid")), link);
        ASSERT_TRUE(link.starts_with("https://" + host + "/")) << link;
        Result<int64_t> ms = ParseRfc822(item.child_value("pubDate"));
        ASSERT_TRUE(ms.ok()) << item.child_value("pubDate");
        EXPECT_FALSE(std::string(item.child_value("description")).empty());
        AddMention(out, "feed", "feed:" + link, *ms);
      }
    } else {
      pugi::xml_node feed = doc.child("feed");
      ASSERT_TRUE(feed) << f << ": neither RSS nor Atom";
      EXPECT_EQ(std::string(feed.attribute("xmlns").value()), "http://www.w3.org/2005/Atom");
      for (pugi::xml_node entry : feed.children("entry")) {
        const std::string id = entry.child_value("id");
        ASSERT_EQ(std::string(entry.child("link").attribute("href").value()), id);
        AddMention(out, "feed", "feed:" + id, Ms(entry.child_value("published")));
      }
    }
  }
}

void ReadHn(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "hn", ".jsonl")) {
    for (const std::string& line : Lines(f.string())) {
      const json item = json::parse(line);
      const std::string type = item.at("type");
      ASSERT_TRUE(type == "story" || type == "comment" || type == "job") << type;
      if (type == "comment") {
        ASSERT_TRUE(item.at("parent").is_number());
      } else {
        ASSERT_TRUE(item.at("title").is_string());
      }
      AddMention(out, "hn", "hn:" + std::to_string(int64_t{item.at("id")}), int64_t{item.at("time")} * 1000);
    }
  }
}

void ReadReddit(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "reddit", ".json")) {
    const json listing = json::parse(ReadFileOrDie(f.string()));
    ASSERT_EQ(listing.at("kind"), "Listing");
    const bool posts = f.filename().string().ends_with("-posts.json");
    for (const json& child : listing.at("data").at("children")) {
      ASSERT_EQ(child.at("kind"), posts ? "t3" : "t1");
      const json& d = child.at("data");
      const std::string name = d.at("name");
      ASSERT_EQ(name, std::string(posts ? "t3_" : "t1_") + std::string(d.at("id")));
      if (!posts) {
        ASSERT_TRUE(std::string(d.at("link_id")).starts_with("t3_"));
        ASSERT_TRUE(std::string(d.at("parent_id")).starts_with("t"));
      }
      AddMention(out, "reddit", "reddit:" + name, static_cast<int64_t>(double{d.at("created_utc")}) * 1000);
    }
  }
}

void ReadCsv(const fs::path& root, Outputs& out) {
  for (const fs::path& f : Files(root / "csv", ".csv")) {
    const auto rows = ParseCsv(ReadFileOrDie(f.string()));
    ASSERT_FALSE(rows.empty());
    EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "created_at", "author", "channel", "site", "url", "title", "text",
                                                 "lang", "location", "followers"}));
    const std::string stem = f.stem().string();
    for (size_t i = 1; i < rows.size(); ++i) {
      ASSERT_EQ(rows[i].size(), 11u) << f << " row " << i;
      const std::string& channel = rows[i][3];
      ASSERT_TRUE(channel == "review" || channel == "community" || channel == "video") << channel;
      ASSERT_FALSE(rows[i][7].empty());
      ASSERT_TRUE(IsValidUtf8(rows[i][7]));
      AddMention(out, "csv", "csv:" + stem + ":" + rows[i][0], Ms(rows[i][1]));
    }
  }
}

Outputs ReadAll(const fs::path& root) {
  Outputs out;
  ReadX(root, out);
  ReadMastodon(root, out);
  ReadFeeds(root, out);
  ReadHn(root, out);
  ReadReddit(root, out);
  ReadCsv(root, out);
  return out;
}

// ---- Formats and counts -------------------------------------------------------------

TEST_F(SimulatedWorldTest, WritesEveryFormat) {
  for (const char* dir : {"x", "mastodon", "feeds", "hn", "reddit", "csv", "crm", "truth"}) {
    EXPECT_TRUE(fs::is_directory(Path(dir))) << dir;
  }
  const Outputs& out = *outputs_;
  for (const char* format : {"x", "mastodon", "feed", "hn", "reddit", "csv"}) {
    EXPECT_GT(out.per_format.count(format) ? out.per_format.at(format) : 0, 0) << format;
  }
  // Microblogs dominate, as in real listening data.
  EXPECT_GT(out.per_format.at("x"), kMentions / 2);
}

TEST_F(SimulatedWorldTest, WritesExactlyTheRequestedNumberOfMentions) {
  const Outputs& out = *outputs_;
  EXPECT_EQ(summary_->mentions, kMentions);
  EXPECT_EQ(static_cast<int64_t>(out.mention_ms.size()), kMentions);
  int64_t channels = 0;
  for (const auto& [name, n] : summary_->per_channel) channels += n;
  EXPECT_EQ(channels, kMentions);
  // The summary's per-file counts match what the files hold.
  int64_t files = 0;
  for (const auto& [rel, n] : summary_->per_file) {
    if (!rel.starts_with("crm/") && !rel.starts_with("truth/")) files += n;
  }
  EXPECT_EQ(files, kMentions);
  EXPECT_EQ(summary_->per_file.at("truth/mentions.jsonl"), kMentions);
}

TEST_F(SimulatedWorldTest, StreamsAreInTimeOrderWithRisingIds) {
  // The process emits in time order, so each X file is a time-ordered stream
  // whose snowflake ids rise, as a real filtered stream's do.
  int64_t last_ms = 0;
  uint64_t last_id = 0;
  for (const fs::path& f : Files(Path("x"), ".jsonl")) {
    for (const std::string& line : Lines(f.string())) {
      const json d = json::parse(line).at("data");
      const int64_t ms = Ms(d.at("created_at"));
      const uint64_t id = std::stoull(std::string(d.at("id")));
      ASSERT_GE(ms, last_ms) << d.at("id");
      ASSERT_GT(id, last_id) << d.at("id");
      // A snowflake carries its time: milliseconds since 2010-11-04T01:42:54.657Z.
      ASSERT_EQ(static_cast<int64_t>(id >> 22) + 1'288'834'974'657, ms);
      last_ms = ms;
      last_id = id;
    }
  }
  int64_t last_truth = 0;
  for (const json& m : truth_->mentions) {
    const int64_t ms = Ms(m.at("created_at"));
    ASSERT_GE(ms, last_truth) << m.at("id");
    last_truth = ms;
  }
}

TEST_F(SimulatedWorldTest, MentionsLieInsideTheWindow) {
  const Outputs& out = *outputs_;
  for (const auto& [id, ms] : out.mention_ms) {
    ASSERT_GE(ms, options_->start_ms - 1000) << id;  // second-precision formats round down
    ASSERT_LT(ms, summary_->end_ms) << id;
  }
}

TEST_F(SimulatedWorldTest, XEntitiesPointAtTheirText) {
  int64_t checked = 0, retweets = 0, replies = 0;
  std::set<std::string> ids;
  std::vector<std::pair<std::string, std::string>> references;
  for (const fs::path& f : Files(Path("x"), ".jsonl")) {
    for (const std::string& line : Lines(f.string())) {
      const json d = json::parse(line).at("data");
      ids.insert(d.at("id"));
      const std::string text = Unescape(d.at("text"));
      ASSERT_TRUE(IsValidUtf8(text));
      if (d.contains("referenced_tweets")) {
        const json& ref = d["referenced_tweets"][0];
        references.emplace_back(d.at("id"), ref.at("id"));
        retweets += ref.at("type") == "retweeted";
        replies += ref.at("type") == "replied_to";
        if (ref.at("type") == "retweeted") {
          ASSERT_TRUE(text.starts_with("RT @")) << text;
        }
      }
      if (!d.contains("entities")) continue;
      const json& e = d["entities"];
      for (const json& h : e.value("hashtags", json::array())) {
        ASSERT_EQ(CodePoints(text, h.at("start"), h.at("end")), "#" + std::string(h.at("tag"))) << text;
        ++checked;
      }
      for (const json& m : e.value("mentions", json::array())) {
        ASSERT_EQ(CodePoints(text, m.at("start"), m.at("end")), "@" + std::string(m.at("username"))) << text;
        ++checked;
      }
      for (const json& u : e.value("urls", json::array())) {
        ASSERT_EQ(CodePoints(text, u.at("start"), u.at("end")), std::string(u.at("url"))) << text;
        ASSERT_TRUE(std::string(u.at("expanded_url")).starts_with("https://"));
        ASSERT_NE(std::string(u.at("expanded_url")).find(".example/"), std::string::npos) << u.at("expanded_url");
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 5000);
  EXPECT_GT(retweets, 500);
  EXPECT_GT(replies, 500);
  // Replies, retweets and quotes reference posts that are in the stream.
  for (const auto& [child, parent] : references) ASSERT_TRUE(ids.count(parent)) << child << " -> " << parent;
}

TEST_F(SimulatedWorldTest, WritesAllLanguagesWithEnglishTheMajority) {
  std::map<std::string, int64_t> langs;
  for (const json& m : truth_->mentions) ++langs[m.at("lang")];
  for (const char* l : {"en", "de", "fr", "es", "ja"}) EXPECT_GT(langs[l], 50) << l;
  EXPECT_GT(langs["en"], kMentions / 2);
}

TEST_F(SimulatedWorldTest, CrmExportsHaveTheRealColumnLayouts) {
  const auto accounts = ParseCsv(ReadFileOrDie(Path("crm/salesforce_accounts.csv").string()));
  const auto contacts = ParseCsv(ReadFileOrDie(Path("crm/salesforce_contacts.csv").string()));
  const auto hubspot = ParseCsv(ReadFileOrDie(Path("crm/hubspot_contacts.csv").string()));
  ASSERT_GT(accounts.size(), 10u);
  ASSERT_GT(contacts.size(), 10u);
  ASSERT_GT(hubspot.size(), 10u);
  EXPECT_EQ(accounts[0][0], "Id");
  EXPECT_EQ(accounts[0][3], "Name");
  EXPECT_EQ(accounts[0][13], "Industry");
  EXPECT_EQ(contacts[0], (std::vector<std::string>{
                             "Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName", "Salutation",
                             "Name", "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode",
                             "MailingCountry", "Phone", "MobilePhone", "Email", "Title", "Department", "LeadSource",
                             "OwnerId", "CreatedDate", "LastModifiedDate", "Twitter_Handle__c"}));
  EXPECT_EQ(hubspot[0], (std::vector<std::string>{"Record ID", "First Name", "Last Name", "Email", "Phone Number",
                                                  "Job Title", "Company Name", "City", "State/Region",
                                                  "Country/Region", "Twitter Username", "Lifecycle Stage",
                                                  "Lead Status", "Contact owner", "Create Date",
                                                  "Last Activity Date"}));
  std::set<std::string> account_ids;
  for (size_t i = 1; i < accounts.size(); ++i) {
    ASSERT_EQ(accounts[i].size(), accounts[0].size());
    ASSERT_EQ(SalesforceId18(accounts[i][0].substr(0, 15)), accounts[i][0]);
    account_ids.insert(accounts[i][0]);
  }
  int64_t with_handle = 0;
  for (size_t i = 1; i < contacts.size(); ++i) {
    ASSERT_EQ(contacts[i].size(), contacts[0].size());
    ASSERT_EQ(contacts[i][0].substr(0, 3), "003");
    ASSERT_EQ(SalesforceId18(contacts[i][0].substr(0, 15)), contacts[i][0]);
    ASSERT_TRUE(account_ids.count(contacts[i][3])) << contacts[i][3];
    ASSERT_NE(contacts[i][15].find('@'), std::string::npos);
    ASSERT_LT(Ms(contacts[i][21]), options_->start_ms);  // exported before the window
    with_handle += !contacts[i][22].empty();
  }
  // Some contacts carry a social handle, most do not match it exactly.
  EXPECT_GT(with_handle, 0);
  EXPECT_LT(with_handle, static_cast<int64_t>(contacts.size()));
  for (size_t i = 1; i < hubspot.size(); ++i) ASSERT_EQ(hubspot[i].size(), hubspot[0].size());
}

// ---- Truth ---------------------------------------------------------------------------

TEST_F(SimulatedWorldTest, TruthMentionsMatchTheOutputs) {
  const Outputs& out = *outputs_;
  const Truth& truth = *truth_;
  ASSERT_EQ(truth.mentions.size(), out.mention_ms.size());
  std::map<std::string, int64_t> truth_ms;
  for (const json& m : truth.mentions) {
    const std::string id = m.at("id");
    ASSERT_TRUE(out.mention_ms.count(id)) << "truth id not in outputs: " << id;
    const int64_t ms = Ms(m.at("created_at"));
    // Feeds, HN and Reddit keep seconds only.
    ASSERT_LE(std::abs(ms - out.mention_ms.at(id)), 999) << id;
    truth_ms[id] = ms;
    const std::string s = m.at("sentiment");
    ASSERT_TRUE(s == "positive" || s == "negative" || s == "neutral") << s;
    for (const json& i : m.at("intent")) {
      static const std::set<std::string> kIntents = {"question", "recommendation_request", "comparison", "complaint",
                                                     "praise",   "job_post",               "spam"};
      ASSERT_TRUE(kIntents.count(i)) << i;
    }
    ASSERT_TRUE(m.at("person").is_null() || m.at("person").is_string());
    ASSERT_TRUE(m.at("story").is_null() || std::string(m.at("story")).starts_with("story-"));
  }
  int64_t with_parent = 0;
  for (const json& m : truth.mentions) {
    if (m.at("parent").is_null()) continue;
    ++with_parent;
    const std::string parent = m.at("parent");
    ASSERT_TRUE(truth_ms.count(parent)) << "parent not in outputs: " << parent;
    ASSERT_LT(truth_ms.at(parent), truth_ms.at(m.at("id"))) << m.at("id") << " is not after its parent";
  }
  EXPECT_GT(with_parent, kMentions / 10);
}

TEST_F(SimulatedWorldTest, TruthWatchesEventsAndIdentitiesAreConsistent) {
  const Truth& truth = *truth_;
  std::set<std::string> watch_names, groups;
  for (const json& w : truth.watches) {
    ASSERT_FALSE(std::string(w.at("query")).empty()) << w.dump();
    ASSERT_TRUE(watch_names.insert(w.at("name")).second) << "duplicate watch " << w.at("name");
    groups.insert(w.at("group"));
  }
  EXPECT_TRUE(groups.count("market"));
  EXPECT_TRUE(groups.count("topics"));
  ASSERT_GE(truth.events.size(), 2u);
  bool up = false, down = false;
  for (const json& e : truth.events) {
    ASSERT_TRUE(watch_names.count(e.at("watch"))) << e.dump();
    const int64_t start = Ms(e.at("start")), end = Ms(e.at("end"));
    ASSERT_GE(start, options_->start_ms);
    ASSERT_LT(start, end);
    ASSERT_LE(end, summary_->end_ms);
    up |= e.at("direction") == "up";
    down |= e.at("direction") == "down";
  }
  EXPECT_TRUE(up);
  EXPECT_TRUE(down);
  for (const json& m : truth.mentions) {
    for (const json& t : m.at("topics")) ASSERT_TRUE(watch_names.count(t)) << t;
  }
  // Identities point at CRM contacts: a Salesforce Contact Id or a HubSpot Record ID.
  std::set<std::string> contacts;
  const auto sf = ParseCsv(ReadFileOrDie(Path("crm/salesforce_contacts.csv").string()));
  for (size_t i = 1; i < sf.size(); ++i) contacts.insert(sf[i][0]);
  const auto hs = ParseCsv(ReadFileOrDie(Path("crm/hubspot_contacts.csv").string()));
  for (size_t i = 1; i < hs.size(); ++i) contacts.insert(hs[i][0]);
  ASSERT_FALSE(truth.identities.empty());
  for (const json& id : truth.identities) ASSERT_TRUE(contacts.count(id.at("contact"))) << id.dump();
  for (const json& m : truth.mentions) {
    if (m.at("person").is_string()) {
      ASSERT_TRUE(contacts.count(m.at("person"))) << m.dump();
    }
  }
  // Influence is heavy-tailed: the top author far above the median.
  std::vector<double> x;
  for (const json& i : truth.influence) {
    if (i.at("source") == "x") x.push_back(i.at("influence"));
  }
  ASSERT_GT(x.size(), 100u);
  std::sort(x.begin(), x.end());
  EXPECT_GT(x.back(), 20 * x[x.size() / 2]);
}

TEST_F(SimulatedWorldTest, StoriesStartOnBlogsAndReachTheNewsLater) {
  std::map<std::string, int64_t> blog_first, news_first;
  for (const json& m : truth_->mentions) {
    if (m.at("story").is_null()) continue;
    const std::string story = m.at("story");
    const int64_t ms = Ms(m.at("created_at"));
    auto& first = m.at("channel") == "blog" ? blog_first : (m.at("channel") == "news" ? news_first : blog_first);
    if (m.at("channel") != "blog" && m.at("channel") != "news") continue;
    if (!first.count(story) || ms < first[story]) first[story] = ms;
  }
  int64_t picked_up = 0;
  for (const auto& [story, ms] : news_first) {
    if (!blog_first.count(story)) continue;
    ++picked_up;
    EXPECT_GE(ms - blog_first.at(story), kHourMs) << story;
  }
  EXPECT_GT(picked_up, 3);
}

// ---- Dynamics ------------------------------------------------------------------------

TEST_F(SimulatedWorldTest, InjectedEventsStandOutInTheirWatch) {
  const Truth& truth = *truth_;
  for (const json& e : truth.events) {
    const std::string watch = e.at("watch");
    const int64_t start = Ms(e.at("start")), end = Ms(e.at("end"));
    // Baseline: the same watch outside every event window of that watch.
    std::vector<std::pair<int64_t, int64_t>> windows;
    for (const json& other : truth.events) {
      if (other.at("watch") == watch) windows.emplace_back(Ms(other.at("start")), Ms(other.at("end")));
    }
    int64_t inside = 0, outside = 0;
    for (const json& m : truth.mentions) {
      const auto& topics = m.at("topics");
      if (std::find(topics.begin(), topics.end(), watch) == topics.end()) continue;
      const int64_t ms = Ms(m.at("created_at"));
      if (ms >= start && ms < end) {
        ++inside;
      } else if (std::none_of(windows.begin(), windows.end(),
                              [&](const auto& w) { return ms >= w.first && ms < w.second; })) {
        ++outside;
      }
    }
    int64_t outside_ms = summary_->end_ms - options_->start_ms;
    for (const auto& w : windows) outside_ms -= w.second - w.first;
    const double rate_in = inside / double(end - start), rate_out = outside / double(outside_ms);
    EXPECT_GT(rate_in, 2.5 * rate_out) << e.dump() << " inside " << inside << " outside " << outside;
  }
}

TEST_F(SimulatedWorldTest, NightsAreQuieterThanDays) {
  // Japanese and German voices by their local hour: 01-05 against 10-16.
  struct Zone {
    const char* lang;
    int offset_h;
  };
  for (const Zone z : {Zone{"ja", 9}, Zone{"de", 1}}) {
    int64_t night = 0, day = 0;
    for (const json& m : truth_->mentions) {
      if (m.at("lang") != z.lang) continue;
      const int64_t local = Ms(m.at("created_at")) + z.offset_h * kHourMs;
      const int hour = static_cast<int>((local / kHourMs) % 24);
      night += hour >= 1 && hour < 5;
      day += hour >= 10 && hour < 16;
    }
    // Per hour: 4 night hours against 6 day hours.
    EXPECT_LT(night / 4.0, 0.4 * day / 6.0) << z.lang << " night " << night << " day " << day;
  }
  std::vector<int64_t> by_utc_hour(24, 0);
  for (const json& m : truth_->mentions) {
    ++by_utc_hour[static_cast<size_t>((Ms(m.at("created_at")) / kHourMs) % 24)];
  }
  const auto [lo, hi] = std::minmax_element(by_utc_hour.begin(), by_utc_hour.end());
  EXPECT_GT(*hi, 2 * *lo);
}

// ---- Determinism -------------------------------------------------------------------------

std::map<std::string, std::string> AllFiles(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.is_regular_file()) files[fs::relative(e.path(), root).string()] = ReadFileOrDie(e.path().string());
  }
  return files;
}

TEST(SimulateDeterminismTest, TheSameSeedGivesTheSameBytes) {
  TempDir a, b, c;
  SimOptions o;
  o.mentions = 4000;
  o.days = 3;
  o.seed = 11;
  o.out_dir = a.str();
  ASSERT_TRUE(Simulate(o).ok());
  o.out_dir = b.str();
  ASSERT_TRUE(Simulate(o).ok());
  o.out_dir = c.str();
  o.seed = 12;
  ASSERT_TRUE(Simulate(o).ok());
  const auto fa = AllFiles(a.path()), fb = AllFiles(b.path()), fc = AllFiles(c.path());
  ASSERT_GT(fa.size(), 20u);
  ASSERT_EQ(fa.size(), fb.size());
  for (const auto& [rel, bytes] : fa) {
    ASSERT_TRUE(fb.count(rel)) << rel;
    EXPECT_TRUE(bytes == fb.at(rel)) << rel << " differs between two runs with the same seed";
  }
  EXPECT_NE(fa.at("truth/mentions.jsonl"), fc.at("truth/mentions.jsonl"));
}

TEST(SimulateXOnlyTest, WritesOnlyXAndTruth) {
  TempDir dir;
  SimOptions o;
  o.mentions = 3000;
  o.days = 2;
  o.out_dir = dir.str();
  o.formats = SimOptions::Formats::kXOnly;
  Result<SimSummary> r = Simulate(o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->mentions, 3000);
  for (const auto& e : fs::directory_iterator(dir.path())) {
    const std::string name = e.path().filename().string();
    EXPECT_TRUE(name == "x" || name == "truth") << name;
  }
  int64_t lines = 0;
  for (const fs::path& f : Files(dir.path() / "x", ".jsonl")) lines += static_cast<int64_t>(Lines(f.string()).size());
  EXPECT_EQ(lines, 3000);
}

// Collects bytes in memory.
class StringSink final : public ByteSink {
 public:
  Status Write(std::string_view bytes) override {
    data.append(bytes);
    return Status::Ok();
  }
  std::string data;
};

TEST(WriteXStreamTest, WritesExactlyNParsableLinesDeterministically) {
  SimOptions o;
  o.mentions = 5000;
  o.days = 2;
  StringSink a, b;
  Result<SimSummary> ra = WriteXStream(o, a);
  ASSERT_TRUE(ra.ok()) << ra.status().ToString();
  ASSERT_TRUE(WriteXStream(o, b).ok());
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(ra->bytes, static_cast<int64_t>(a.data.size()));
  int64_t lines = 0;
  size_t pos = 0;
  while (pos < a.data.size()) {
    const size_t nl = a.data.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    const json msg = json::parse(a.data.substr(pos, nl - pos));
    ASSERT_TRUE(msg.at("data").at("text").is_string());
    ++lines;
    pos = nl + 1;
  }
  EXPECT_EQ(lines, 5000);
}

// X-only runs once drew root authors among everyone, so a person without an
// X account could post with an empty author_id and no user object.
TEST(WriteXStreamTest, EveryLineHasItsAuthorAsAUser) {
  SimOptions o;
  o.mentions = 5000;
  o.days = 2;
  StringSink sink;
  ASSERT_TRUE(WriteXStream(o, sink).ok());
  size_t pos = 0;
  while (pos < sink.data.size()) {
    const size_t nl = sink.data.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    const json msg = json::parse(sink.data.substr(pos, nl - pos));
    const std::string author = msg.at("data").at("author_id");
    ASSERT_FALSE(author.empty()) << sink.data.substr(pos, nl - pos);
    ASSERT_EQ(msg.at("includes").at("users").size(), 1u);
    ASSERT_EQ(msg.at("includes").at("users").at(0).at("id"), author);
    pos = nl + 1;
  }
}

// A sink that fails, as a full disk does.
class FailingSink final : public ByteSink {
 public:
  Status Write(std::string_view) override { return Status::IOError("sink: no space left on device"); }
};

TEST(WriteXStreamTest, ReportsTheSinksError) {
  SimOptions o;
  o.mentions = 20000;
  FailingSink sink;
  Result<SimSummary> r = WriteXStream(o, sink);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kIOError);
  EXPECT_NE(r.status().message().find("no space"), std::string::npos);
}

}  // namespace
}  // namespace earshot::sim
