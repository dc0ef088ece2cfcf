#include "server/mention_json.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/time.h"
#include "core/utf8.h"

namespace earshot::server {
namespace {

void AppendEscaped(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the pending run of bytes that need no escape
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void Key(std::string_view k, std::string& out) {
  out.push_back('"');
  out.append(k);
  out += "\":";
}

void Str(std::string_view k, std::string_view v, std::string& out) {
  Key(k, out);
  AppendJsonString(v, out);
  out.push_back(',');
}

void Int(std::string_view k, int64_t v, std::string& out) {
  Key(k, out);
  out += std::to_string(v);
  out.push_back(',');
}

void Num(std::string_view k, const std::optional<double>& v, std::string& out) {
  Key(k, out);
  if (v) {
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
    out.append(buf, ec == std::errc() ? end : buf);
  } else {
    out += "null";
  }
  out.push_back(',');
}

void StrArray(std::string_view k, const std::vector<std::string>& v, std::string& out) {
  Key(k, out);
  out.push_back('[');
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out.push_back(',');
    AppendJsonString(v[i], out);
  }
  out += "],";
}

// Replaces the trailing comma of an object or array body with `close`.
void Close(char close, std::string& out) {
  if (!out.empty() && out.back() == ',') {
    out.back() = close;
  } else {
    out.push_back(close);
  }
}

}  // namespace

void AppendJsonString(std::string_view s, std::string& out) {
  if (IsValidUtf8(s)) {
    AppendEscaped(s, out);
  } else {
    AppendEscaped(SanitizeUtf8(s), out);
  }
}

void AppendMentionJson(const Mention& m, const std::vector<store::Watch>& watches, std::string& out) {
  out.push_back('{');
  Str("id", m.id, out);
  Str("source", m.source, out);
  Str("channel", ChannelName(m.channel), out);
  Str("url", m.url, out);
  Str("site", m.site, out);
  Key("author", out);
  out.push_back('{');
  Str("handle", m.author.handle, out);
  Str("name", m.author.display_name, out);
  Int("followers", m.author.followers, out);
  Str("location", m.author.profile_location, out);
  Str("url", m.author.profile_url, out);
  Close('}', out);
  out.push_back(',');
  Str("title", m.title, out);
  Str("text", m.text, out);
  Str("lang", m.language, out);
  Str("created_at", FormatRfc3339(m.created_at_ms), out);
  Key("geo", out);
  out.push_back('{');
  Num("lat", m.geo.lat, out);
  Num("lon", m.geo.lon, out);
  Str("country", m.geo.country, out);
  Str("city", m.geo.city, out);
  Str("place", m.geo.place, out);
  Close('}', out);
  out.push_back(',');
  Str("in_reply_to", m.in_reply_to, out);
  Str("reshare_of", m.reshare_of, out);
  Str("quote_of", m.quote_of, out);
  StrArray("links", m.links, out);
  StrArray("hashtags", m.hashtags, out);
  StrArray("mentioned", m.mentioned, out);
  Key("engagement", out);
  out.push_back('{');
  Int("likes", m.engagement.likes, out);
  Int("reshares", m.engagement.reshares, out);
  Int("replies", m.engagement.replies, out);
  Int("quotes", m.engagement.quotes, out);
  Int("views", m.engagement.views, out);
  Close('}', out);
  out.push_back(',');
  Num("sentiment", m.sentiment, out);
  Key("intents", out);
  out.push_back('[');
  for (const IntentScore& s : m.intents) {
    out.push_back('{');
    Str("label", s.label, out);
    Num("confidence", s.confidence, out);
    Close('}', out);
    out.push_back(',');
  }
  Close(']', out);
  out.push_back(',');
  Str("story_id", m.story_id, out);
  Key("watches", out);
  out.push_back('[');
  for (const WatchMatch& w : m.watches) {
    auto it = std::find_if(watches.begin(), watches.end(), [&](const store::Watch& s) { return s.id == w.watch_id; });
    out.push_back('{');
    Int("id", w.watch_id, out);
    Str("name", it == watches.end() ? std::string_view() : std::string_view(it->name), out);
    StrArray("terms", w.terms, out);
    Num("sentiment", w.sentiment, out);
    Close('}', out);
    out.push_back(',');
  }
  Close(']', out);
  out.push_back('}');
}

}  // namespace earshot::server
