#include "core/mention.h"

#include <utility>

#include "core/strings.h"

namespace earshot {

std::string_view ChannelName(Channel c) {
  switch (c) {
    case Channel::kMicroblog: return "microblog";
    case Channel::kBlog: return "blog";
    case Channel::kNews: return "news";
    case Channel::kForum: return "forum";
    case Channel::kCommunity: return "community";
    case Channel::kVideo: return "video";
    case Channel::kReview: return "review";
    case Channel::kOther: return "other";
  }
  return "other";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (Channel c : kAllChannels) {
    if (EqualsIgnoreAsciiCase(name, ChannelName(c))) return c;
  }
  return std::nullopt;
}

std::string SiteOfUrl(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  size_t end = rest.find_first_of("/?#");
  std::string_view host = rest.substr(0, end);
  if (size_t at = host.rfind('@'); at != std::string_view::npos) host = host.substr(at + 1);
  if (!host.empty() && host.front() == '[') {
    size_t close = host.find(']');
    host = host.substr(0, close == std::string_view::npos ? host.size() : close + 1);
  } else if (size_t colon = host.find(':'); colon != std::string_view::npos) {
    host = host.substr(0, colon);
  }
  std::string out = AsciiLower(host);
  if (out.starts_with("www.")) out.erase(0, 4);
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

void Mention::Recycle() {
  // Cleared in place, so every string and list keeps its buffer. A field
  // added to Mention must be reset here: the size check below stops the
  // build until this function is looked at again, and
  // tests/core/mention_test.cc checks that every field is reset.
#if defined(__GLIBCXX__) && defined(__x86_64__)
  static_assert(sizeof(Mention) == 848, "Mention changed: reset the new field in Mention::Recycle");
#endif
  id.clear();
  source.clear();
  external_id.clear();
  channel = Channel::kOther;
  url.clear();
  site.clear();
  author.handle.clear();
  author.display_name.clear();
  author.followers = -1;
  author.profile_location.clear();
  author.profile_url.clear();
  title.clear();
  text.clear();
  language.clear();
  created_at_ms = 0;
  geo.lat.reset();
  geo.lon.reset();
  geo.country.clear();
  geo.place.clear();
  geo.city.clear();
  in_reply_to.clear();
  reshare_of.clear();
  quote_of.clear();
  links.clear();
  hashtags.clear();
  mentioned.clear();
  engagement = Engagement();
  language_detected = false;
  sentiment.reset();
  intents.clear();
  story_id.clear();
  watches.clear();
}

void swap(Mention& a, Mention& b) noexcept {
#if defined(__GLIBCXX__) && defined(__x86_64__)
  static_assert(sizeof(Mention) == 848, "Mention changed: swap the new field in swap(Mention&, Mention&)");
#endif
  using std::swap;
  swap(a.id, b.id);
  swap(a.source, b.source);
  swap(a.external_id, b.external_id);
  swap(a.channel, b.channel);
  swap(a.url, b.url);
  swap(a.site, b.site);
  swap(a.author.handle, b.author.handle);
  swap(a.author.display_name, b.author.display_name);
  swap(a.author.followers, b.author.followers);
  swap(a.author.profile_location, b.author.profile_location);
  swap(a.author.profile_url, b.author.profile_url);
  swap(a.title, b.title);
  swap(a.text, b.text);
  swap(a.language, b.language);
  swap(a.created_at_ms, b.created_at_ms);
  swap(a.geo.lat, b.geo.lat);
  swap(a.geo.lon, b.geo.lon);
  swap(a.geo.country, b.geo.country);
  swap(a.geo.place, b.geo.place);
  swap(a.geo.city, b.geo.city);
  swap(a.in_reply_to, b.in_reply_to);
  swap(a.reshare_of, b.reshare_of);
  swap(a.quote_of, b.quote_of);
  swap(a.links, b.links);
  swap(a.hashtags, b.hashtags);
  swap(a.mentioned, b.mentioned);
  swap(a.engagement, b.engagement);
  swap(a.language_detected, b.language_detected);
  swap(a.sentiment, b.sentiment);
  swap(a.intents, b.intents);
  swap(a.story_id, b.story_id);
  swap(a.watches, b.watches);
}

std::string MakeMentionId(std::string_view source, std::string_view external_id) {
  std::string id;
  id.reserve(source.size() + 1 + external_id.size());
  id.append(source).push_back(':');
  id.append(external_id);
  return id;
}

}  // namespace earshot
