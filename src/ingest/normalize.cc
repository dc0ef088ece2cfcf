#include "ingest/normalize.h"

#include "core/strings.h"
#include "core/utf8.h"

namespace earshot::ingest {

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

}  // namespace earshot::ingest
