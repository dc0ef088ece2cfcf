#include "core/mention.h"

#include <iterator>

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
  // Every field is reset by the assignment; only buffers are carried over,
  // so a field added later can never leak from one post into the next.
  std::string* const kept[] = {&id, &external_id, &url, &author.handle, &author.display_name,
                               &author.profile_location, &author.profile_url, &text};
  std::vector<std::string>* const kept_lists[] = {&links, &hashtags, &mentioned};
  std::string saved[std::size(kept)];
  std::vector<std::string> saved_lists[std::size(kept_lists)];
  for (size_t i = 0; i < std::size(kept); ++i) saved[i] = std::move(*kept[i]);
  for (size_t i = 0; i < std::size(kept_lists); ++i) saved_lists[i] = std::move(*kept_lists[i]);
  *this = Mention();
  for (size_t i = 0; i < std::size(kept); ++i) {
    saved[i].clear();
    *kept[i] = std::move(saved[i]);
  }
  for (size_t i = 0; i < std::size(kept_lists); ++i) {
    saved_lists[i].clear();
    *kept_lists[i] = std::move(saved_lists[i]);
  }
}

std::string MakeMentionId(std::string_view source, std::string_view external_id) {
  std::string id;
  id.reserve(source.size() + 1 + external_id.size());
  id.append(source).push_back(':');
  id.append(external_id);
  return id;
}

}  // namespace earshot
