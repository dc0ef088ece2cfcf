// The mention JSON writer: every string comes back exactly (escaped, not
// altered), invalid UTF-8 is replaced, numbers round-trip.
#include "server/mention_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace earshot::server {
namespace {

Mention Hostile() {
  Mention m;
  m.id = "feed:https://example.com/a?b=\"c\"";
  m.source = "feed";
  m.channel = Channel::kBlog;
  m.text = "<script>alert(1)</script> \"quoted\" back\\slash\nnew line\ttab \x01 ctl \xE2\x80\xAE rtl";
  m.title = "caf\xC3\xA9";
  m.author.handle = "h";
  m.author.followers = -1;
  m.author.profile_url = "javascript:alert(1)";
  m.geo.lat = 52.520008;
  m.geo.lon = 13.404954;
  m.sentiment = -0.3182;
  m.links = {"https://a.example/x", "http://b.example/\"y\""};
  m.intents = {{"question", 0.875}};
  m.created_at_ms = 1'767'571'200'123;
  WatchMatch w;
  w.watch_id = 7;
  w.terms = {"nimbus"};
  w.sentiment = 0.5;
  m.watches.push_back(w);
  return m;
}

TEST(MentionJsonTest, StringsRoundTripExactly) {
  Mention m = Hostile();
  store::Watch watch;
  watch.id = 7;
  watch.name = "Nimbus \"vault\"";
  std::string out;
  AppendMentionJson(m, {watch}, out);
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["id"], m.id);
  EXPECT_EQ(j["text"], m.text);
  EXPECT_EQ(j["title"], m.title);
  EXPECT_EQ(j["channel"], "blog");
  EXPECT_EQ(j["author"]["url"], "javascript:alert(1)");
  EXPECT_EQ(j["author"]["followers"], -1);
  EXPECT_EQ(j["links"][1], m.links[1]);
  EXPECT_DOUBLE_EQ(j["geo"]["lat"].get<double>(), *m.geo.lat);
  EXPECT_DOUBLE_EQ(j["sentiment"].get<double>(), *m.sentiment);
  EXPECT_EQ(j["created_at"], "2026-01-05T00:00:00.123Z");
  EXPECT_EQ(j["intents"][0]["label"], "question");
  EXPECT_EQ(j["watches"][0]["name"], watch.name);
  EXPECT_EQ(j["watches"][0]["terms"][0], "nimbus");
  // One line: a Server-Sent Event's data may not contain a raw newline.
  EXPECT_EQ(out.find('\n'), std::string::npos);
}

TEST(MentionJsonTest, EmptyListsAndMissingNumbers) {
  Mention m;
  m.id = "x:1";
  std::string out;
  AppendMentionJson(m, {}, out);
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_TRUE(j["intents"].is_array() && j["intents"].empty());
  EXPECT_TRUE(j["watches"].is_array() && j["watches"].empty());
  EXPECT_TRUE(j["sentiment"].is_null());
  EXPECT_TRUE(j["geo"]["lat"].is_null());
}

TEST(MentionJsonTest, InvalidUtf8IsReplaced) {
  std::string out;
  AppendJsonString("ok \xFF\xFE bad", out);
  nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j.get<std::string>().find("ok "), 0u);
  EXPECT_NE(j.get<std::string>().find("\xEF\xBF\xBD"), std::string::npos);  // U+FFFD
}

}  // namespace
}  // namespace earshot::server
