#include "cli/output.h"

#include <cstdio>
#include <iostream>

#include "core/time.h"
#include "core/utf8.h"

namespace earshot::cli {

std::string TerminalSafe(std::string_view s, size_t max_bytes) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    if (max_bytes && out.size() >= max_bytes) {
      out += "…";
      break;
    }
    char32_t cp = DecodeUtf8(s, pos);
    if (cp == '\n' || cp == '\r' || cp == '\t') {
      out.push_back(' ');
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || (cp >= 0x202A && cp <= 0x202E) ||
               (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0x061C) {
      char buf[16];
      std::snprintf(buf, sizeof buf, cp < 0x100 ? "\\x%02x" : "\\u%04x", static_cast<unsigned>(cp));
      out += buf;
    } else {
      AppendUtf8(out, cp);
    }
  }
  return out;
}

nlohmann::json MentionJson(const Mention& m) {
  auto count = [](int64_t v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
  auto opt = [](const std::string& s) { return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s); };
  nlohmann::json geo = {{"country", opt(m.geo.country)}, {"place", opt(m.geo.place)}};
  geo["lat"] = m.geo.lat ? nlohmann::json(*m.geo.lat) : nlohmann::json(nullptr);
  geo["lon"] = m.geo.lon ? nlohmann::json(*m.geo.lon) : nlohmann::json(nullptr);
  return {
      {"id", m.id},
      {"source", m.source},
      {"external_id", m.external_id},
      {"channel", ChannelName(m.channel)},
      {"created_at", FormatRfc3339(m.created_at_ms)},
      {"url", opt(m.url)},
      {"site", opt(m.site)},
      {"author", m.author.handle},
      {"author_detail",
       {{"handle", m.author.handle},
        {"display_name", m.author.display_name},
        {"followers", count(m.author.followers)},
        {"location", m.author.profile_location},
        {"profile_url", m.author.profile_url}}},
      {"title", m.title},
      {"text", m.text},
      {"language", opt(m.language)},
      {"geo", geo},
      {"in_reply_to", opt(m.in_reply_to)},
      {"reshare_of", opt(m.reshare_of)},
      {"quote_of", opt(m.quote_of)},
      {"links", m.links},
      {"hashtags", m.hashtags},
      {"mentioned", m.mentioned},
      {"engagement",
       {{"likes", count(m.engagement.likes)},
        {"reshares", count(m.engagement.reshares)},
        {"replies", count(m.engagement.replies)},
        {"quotes", count(m.engagement.quotes)},
        {"views", count(m.engagement.views)}}},
  };
}

void PrintError(std::string_view context, const Status& status) {
  std::cerr << "earshot: " << context << ": " << TerminalSafe(status.message()) << "\n";
}

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  int n = 0;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    if (n && n % 3 == 0) out.push_back(',');
    out.push_back(*it);
    ++n;
  }
  if (v < 0) out.push_back('-');
  return std::string(out.rbegin(), out.rend());
}

}  // namespace earshot::cli
