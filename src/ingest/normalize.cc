#include "ingest/normalize.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/strings.h"
#include "core/utf8.h"

namespace earshot::ingest {
namespace {

void CleanList(std::vector<std::string>& list) {
  if (std::all_of(list.begin(), list.end(), [](const std::string& s) { return IsCleanUtf8(s); })) return;
  std::vector<std::string> cleaned;
  for (const std::string& s : list) {
    std::string c = SanitizeUtf8(s);
    if (!c.empty() && std::find(cleaned.begin(), cleaned.end(), c) == cleaned.end()) cleaned.push_back(std::move(c));
  }
  list = std::move(cleaned);
}

}  // namespace

void NormalizeMention(Mention& m) {
  RepairMojibake(m.title);
  RepairMojibake(m.text);
  RepairMojibake(m.author.display_name);
  if (!m.language.empty()) {
    std::string lang = AsciiLower(m.language);
    size_t dash = lang.find_first_of("-_");
    if (dash != std::string::npos) lang.resize(dash);
    m.language = std::move(lang);
  }
  if (m.site.empty() && !m.url.empty()) m.site = SiteOfUrl(m.url);
  for (char& c : m.geo.country) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
}

void CleanMentionStrings(Mention& m) {
  for (std::string* s : {&m.id, &m.source, &m.external_id, &m.url, &m.site, &m.author.handle,
                         &m.author.display_name, &m.author.profile_location, &m.author.profile_url, &m.title,
                         &m.text, &m.language, &m.geo.country, &m.geo.place, &m.in_reply_to, &m.reshare_of,
                         &m.quote_of}) {
    if (!IsCleanUtf8(*s)) *s = SanitizeUtf8(*s);
  }
  CleanList(m.links);
  CleanList(m.hashtags);
  CleanList(m.mentioned);
}

}  // namespace earshot::ingest
