// FormatReport: the report document as text for a terminal.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>
#include <string>

#include "analytics/report.h"

namespace earshot::analytics {
namespace {

using nlohmann::json;

std::string Pct(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%5.1f%%", 100.0 * share);
  return buf;
}

std::string Num(const json& v) {
  if (v.is_null()) return "n/a";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v.get<double>());
  return buf;
}

std::string Signed(const json& v) {
  if (v.is_null()) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f%%", 100.0 * v.get<double>());
  return buf;
}

// Prints a {value: {count,...}} breakdown as shares of `total`.
void Breakdown(std::ostream& out, const char* title, const json& by, int64_t total,
               std::string (*safe)(std::string_view)) {
  if (by.empty()) return;
  out << title << "\n";
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& [k, v] : by.items()) rows.emplace_back(v.at("count").get<int64_t>(), k);
  std::sort(rows.rbegin(), rows.rend());
  int shown = 0;
  for (const auto& [n, k] : rows) {
    if (++shown > 12) break;
    out << "  " << safe(k) << "  " << n << "  " << Pct(total ? static_cast<double>(n) / total : 0) << "\n";
  }
}

}  // namespace

std::string FormatReport(const json& r, std::string (*safe)(std::string_view)) {
  std::ostringstream out;
  out << "Report " << r["range"]["from"].get<std::string>() << " .. " << r["range"]["to"].get<std::string>()
      << "\n";
  for (const json& w : r["watches"]) {
    out << "  watch " << safe(w["name"].get<std::string>()) << "  " << safe(w["query"].get<std::string>());
    if (!w["group"].get<std::string>().empty()) out << "  [" << safe(w["group"].get<std::string>()) << "]";
    out << "\n";
  }
  const json& cur = r["comparison"]["current"]["total"];
  const int64_t total = cur["count"].get<int64_t>();
  out << "\nVolume " << total << " mentions (" << cur["positive"].get<int64_t>() << " positive, "
      << cur["negative"].get<int64_t>() << " negative), reach " << cur["reach"].get<int64_t>() << ", engagement "
      << cur["engagement"].get<int64_t>() << "\n";
  out << "  vs previous period " << Signed(r["comparison"]["change_vs_previous"]["count"]) << ", vs a year earlier "
      << Signed(r["comparison"]["change_vs_year_ago"]["count"]) << "; net sentiment " << Num(cur["net_sentiment"])
      << "\n";
  for (const json& g : r["share_of_voice"]) {
    out << "\nShare of voice: " << safe(g["group"].get<std::string>()) << "\n";
    for (const json& m : g["members"]) {
      out << "  " << safe(m["watch"].get<std::string>()) << "  " << Pct(m["share"].get<double>()) << " of mentions, "
          << Pct(m["reach_share"].get<double>()) << " of reach, " << Pct(m["positive_share"].get<double>())
          << " of positive, " << Pct(m["negative_share"].get<double>()) << " of negative\n";
    }
  }
  out << "\n";
  Breakdown(out, "Channels", r["channels"], total, safe);
  Breakdown(out, "Languages", r["languages"], total, safe);
  Breakdown(out, "Countries", r["countries"], total, safe);
  if (!r["sites"].empty()) out << "Top sites\n";
  for (const json& s : r["sites"]) out << "  " << safe(s["site"].get<std::string>()) << "  " << Num(s["count"]) << "\n";
  if (!r["authors"].empty()) out << "Top authors\n";
  for (const json& a : r["authors"]) {
    out << "  @" << safe(a["author"].get<std::string>()) << "  " << Num(a["mentions"]) << " mentions, "
        << Num(a["followers"]) << " followers\n";
  }
  if (r.contains("spikes") && !r["spikes"].empty()) out << "\nSpikes\n";
  for (const json& s : r.value("spikes", json::array())) {
    out << "  " << safe(s["watch"].get<std::string>()) << "  " << s["start"].get<std::string>() << "  "
        << s["direction"].get<std::string>() << " (" << s.value("tone", "neutral") << ")  "
        << safe(s["reason"].get<std::string>()) << "\n";
  }
  if (r.contains("emerging") && !r["emerging"].empty()) out << "\nEmerging\n";
  for (const json& e : r.value("emerging", json::array())) {
    out << "  " << safe(e["term"].get<std::string>()) << "  " << Num(e["recent"]) << " recent vs "
        << Num(e["baseline"]) << " before\n";
  }
  if (r.contains("influencers") && !r["influencers"].empty()) out << "\nInfluencers\n";
  for (const json& i : r.value("influencers", json::array())) {
    out << "  @" << safe(i["author"].get<std::string>()) << "  " << Num(i["score"]) << "\n";
  }
  if (r.contains("sources") && !r["sources"].empty()) out << "\nInfluential sources\n";
  for (const json& s : r.value("sources", json::array())) {
    out << "  " << safe(s["site"].get<std::string>()) << "  " << Num(s["score"]) << "\n";
  }
  if (r.contains("cascades") && !r["cascades"].empty()) out << "\nLargest cascades\n";
  for (const json& c : r.value("cascades", json::array())) {
    out << "  " << safe(c["root"].get<std::string>()) << "  size " << Num(c["size"]) << ", depth " << Num(c["depth"]);
    if (c.contains("blog_to_news_minutes") && !c["blog_to_news_minutes"].is_null()) {
      out << ", blog to news " << Num(c["blog_to_news_minutes"]) << " min";
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace earshot::analytics
