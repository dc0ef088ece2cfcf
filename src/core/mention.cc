#include "core/mention.h"

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

std::string MakeMentionId(std::string_view source, std::string_view external_id) {
  std::string id;
  id.reserve(source.size() + 1 + external_id.size());
  id.append(source).push_back(':');
  id.append(external_id);
  return id;
}

}  // namespace earshot
