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

std::string MakeMentionId(std::string_view source, std::string_view external_id) {
  std::string id;
  id.reserve(source.size() + 1 + external_id.size());
  id.append(source).push_back(':');
  id.append(external_id);
  return id;
}

}  // namespace earshot
