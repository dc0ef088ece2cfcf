// Every field of a Mention as one string, for tests that compare mentions
// whole (a field missing here would hide a difference: keep it complete).
#pragma once

#include <string>

#include "core/mention.h"

namespace earshot::testing {

inline std::string DescribeMention(const Mention& m) {
  std::string out;
  auto add = [&](const char* name, const std::string& v) { out.append(name).append("=").append(v).append("\n"); };
  auto num = [&](const char* name, auto v) { add(name, std::to_string(v)); };
  auto opt = [&](const char* name, const std::optional<double>& v) { add(name, v ? std::to_string(*v) : "-"); };
  auto list = [&](const char* name, const std::vector<std::string>& v) {
    std::string joined;
    for (const std::string& s : v) joined.append(s).append("|");
    add(name, joined);
  };
  add("id", m.id);
  add("source", m.source);
  add("external_id", m.external_id);
  add("channel", std::string(ChannelName(m.channel)));
  add("url", m.url);
  add("site", m.site);
  add("author.handle", m.author.handle);
  add("author.display_name", m.author.display_name);
  num("author.followers", m.author.followers);
  add("author.profile_location", m.author.profile_location);
  add("author.profile_url", m.author.profile_url);
  add("title", m.title);
  add("text", m.text);
  add("language", m.language);
  num("created_at_ms", m.created_at_ms);
  opt("geo.lat", m.geo.lat);
  opt("geo.lon", m.geo.lon);
  add("geo.country", m.geo.country);
  add("geo.place", m.geo.place);
  add("geo.city", m.geo.city);
  add("in_reply_to", m.in_reply_to);
  add("reshare_of", m.reshare_of);
  add("quote_of", m.quote_of);
  list("links", m.links);
  list("hashtags", m.hashtags);
  list("mentioned", m.mentioned);
  num("likes", m.engagement.likes);
  num("reshares", m.engagement.reshares);
  num("replies", m.engagement.replies);
  num("quotes", m.engagement.quotes);
  num("views", m.engagement.views);
  num("language_detected", m.language_detected);
  opt("sentiment", m.sentiment);
  for (const IntentScore& i : m.intents) add("intent", i.label + " " + std::to_string(i.confidence));
  add("story_id", m.story_id);
  for (const WatchMatch& w : m.watches) {
    num("watch", w.watch_id);
    list("watch.terms", w.terms);
    opt("watch.sentiment", w.sentiment);
  }
  return out;
}

// A Mention with every field set to something no connector writes.
inline Mention FullMention() {
  Mention m;
  const std::string long_text(200, 'z');
  m.id = "src:" + long_text;
  m.source = "src";
  m.external_id = long_text;
  m.channel = Channel::kReview;
  m.url = "https://stale.example/" + long_text;
  m.site = "stale.example";
  m.author = {"stale_handle_of_some_length", "Stale Display Name Long Enough", 77, "Stale Location, Somewhere",
              "https://stale.example/profile"};
  m.title = "stale title " + long_text;
  m.text = "stale text " + long_text;
  m.language = "xx";
  m.created_at_ms = 123456789;
  m.geo = {1.5, 2.5, "ZZ", "Stale Place", "Stale City"};
  m.in_reply_to = "src:reply";
  m.reshare_of = "src:reshare";
  m.quote_of = "src:quote";
  m.links = {"https://stale.example/link"};
  m.hashtags = {"staletag"};
  m.mentioned = {"stale_mention"};
  m.engagement = {1, 2, 3, 4, 5};
  m.language_detected = true;
  m.sentiment = 0.5;
  m.intents = {{"question", 0.9}};
  m.story_id = "src:story";
  m.watches = {{7, {"stale"}, 0.25}};
  return m;
}

}  // namespace earshot::testing
