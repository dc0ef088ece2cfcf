#include "sim/writers.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "core/hash.h"
#include "core/strings.h"
#include "sim/lexicon.h"

namespace earshot::sim {
namespace {

constexpr int64_t kDayMs = 86'400'000;

// Appends post text the way X serves it: &, < and > as HTML entities, then
// JSON-escaped.
void PutXText(OutBuffer& out, std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* run = p;
    p += CleanJsonPrefix(p, static_cast<size_t>(end - p), /*html=*/true);
    out.Put(std::string_view(run, static_cast<size_t>(p - run)));
    if (p == end) break;
    switch (*p) {
      case '&': out.Lit("&amp;"); break;
      case '<': out.Lit("&lt;"); break;
      case '>': out.Lit("&gt;"); break;
      default: out.PutJsonEscaped(std::string_view(p, 1)); break;
    }
    ++p;
  }
}

std::string DateName(int64_t t_ms) {
  OutBuffer b(16);
  b.PutRfc3339Seconds(t_ms);
  return std::string(b.view().substr(0, 10));
}

std::string_view LangTag(Lang l) {
  static constexpr std::string_view kTags[] = {"en-US", "de-DE", "fr-FR", "es-ES", "ja-JP"};
  return kTags[static_cast<int>(l)];
}

// ---- HTML from rendered text and its entities ---------------------------------

enum class Html { kMastodon, kHn, kFeed, kRedditMd };

struct Span {
  size_t b0, b1;
  char kind;  // 'h' hashtag, 'm' mention, 'u' url
  size_t index;
};

std::vector<Span> EntitySpans(const Rendered& r) {
  struct Cp {
    uint32_t s, e;
    char kind;
    size_t index;
  };
  std::vector<Cp> cps;
  for (size_t i = 0; i < r.hashtags.size(); ++i) cps.push_back({r.hashtags[i].start, r.hashtags[i].end, 'h', i});
  for (size_t i = 0; i < r.mentions.size(); ++i) cps.push_back({r.mentions[i].start, r.mentions[i].end, 'm', i});
  for (size_t i = 0; i < r.urls.size(); ++i) cps.push_back({r.urls[i].start, r.urls[i].end, 'u', i});
  std::sort(cps.begin(), cps.end(), [](const Cp& a, const Cp& b) { return a.s < b.s; });
  std::vector<Span> spans;
  uint32_t cp = 0;
  size_t k = 0;
  size_t b0 = 0;
  for (size_t b = 0; b <= r.text.size() && k < cps.size(); ++b) {
    const bool boundary = b == r.text.size() || (static_cast<unsigned char>(r.text[b]) & 0xC0) != 0x80;
    if (!boundary) continue;
    if (cp == cps[k].s) b0 = b;
    if (cp == cps[k].e) {
      spans.push_back({b0, b, cps[k].kind, cps[k].index});
      ++k;
      if (k < cps.size() && cps[k].s == cp) b0 = b;
    }
    ++cp;
  }
  return spans;
}

void EscapeHtmlText(std::string& out, std::string_view s, Html style) {
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += style == Html::kMastodon ? "&#39;" : "&#x27;"; break;
      default: out.push_back(c);
    }
  }
}

// Appends `text` with paragraph breaks ("\n\n") in the style's markup.
void AppendParagraphs(std::string& out, std::string_view text, Html style) {
  size_t pos = 0;
  while (true) {
    const size_t br = text.find("\n\n", pos);
    EscapeHtmlText(out, text.substr(pos, br == std::string_view::npos ? std::string_view::npos : br - pos), style);
    if (br == std::string_view::npos) break;
    out += style == Html::kHn ? "<p>" : (style == Html::kRedditMd ? "</p>\n\n<p>" : "</p><p>");
    pos = br + 2;
  }
}

void BuildHtml(const Rendered& r, Html style, std::string& out) {
  out.clear();
  if (style == Html::kRedditMd) out += "<div class=\"md\"><p>";
  if (style == Html::kMastodon || style == Html::kFeed) out += "<p>";
  size_t pos = 0;
  for (const Span& s : EntitySpans(r)) {
    AppendParagraphs(out, std::string_view(r.text).substr(pos, s.b0 - pos), style);
    const std::string_view shown = std::string_view(r.text).substr(s.b0, s.b1 - s.b0);
    if (s.kind == 'u') {
      const std::string_view url = r.Expanded(r.urls[s.index]);
      out += "<a href=\"";
      EscapeHtmlText(out, url, style);
      out += style == Html::kMastodon ? "\" target=\"_blank\" rel=\"nofollow noopener\">" : "\" rel=\"nofollow\">";
      EscapeHtmlText(out, url, style);
      out += "</a>";
    } else if (s.kind == 'h' && style == Html::kMastodon) {
      const std::string_view tag = r.hashtags[s.index].tag;
      out += "<a href=\"https://listen.example/tags/";
      EscapeHtmlText(out, tag, style);
      out += "\" class=\"mention hashtag\" rel=\"tag\">#<span>";
      EscapeHtmlText(out, tag, style);
      out += "</span></a>";
    } else if (s.kind == 'm' && style == Html::kMastodon) {
      const std::string_view handle = r.mentions[s.index].handle;
      const size_t at = handle.find('@');
      const std::string_view user = handle.substr(0, at);
      const std::string_view host = at == std::string_view::npos ? "social.example" : handle.substr(at + 1);
      out += "<span class=\"h-card\" translate=\"no\"><a href=\"https://";
      EscapeHtmlText(out, host, style);
      out += "/@";
      EscapeHtmlText(out, user, style);
      out += "\" class=\"u-url mention\">@<span>";
      EscapeHtmlText(out, user, style);
      out += "</span></a></span>";
    } else {
      EscapeHtmlText(out, shown, style);
    }
    pos = s.b1;
  }
  AppendParagraphs(out, std::string_view(r.text).substr(pos), style);
  if (style == Html::kMastodon || style == Html::kFeed) out += "</p>";
  if (style == Html::kRedditMd) out += "</p>\n</div>";
}

// ---- X ----------------------------------------------------------------------

void PutDisplayUrl(OutBuffer& out, std::string_view url) {
  if (url.starts_with("https://")) url.remove_prefix(8);
  if (url.size() > 25) {
    out.Put(url.substr(0, 25));
    out.Lit("\xE2\x80\xA6");  // …
  } else {
    out.Put(url);
  }
}

void PutXEntities(const World& w, const Rendered& r, uint32_t shift, int rt_of, OutBuffer& out) {
  if (r.hashtags.empty() && r.mentions.empty() && r.urls.empty() && rt_of < 0) return;
  out.Lit(",\"entities\":{");
  bool any = false;
  if (!r.hashtags.empty()) {
    out.Lit("\"hashtags\":[");
    for (size_t i = 0; i < r.hashtags.size(); ++i) {
      const TagEntity& t = r.hashtags[i];
      if (i) out.Put(',');
      out.Lit("{\"start\":");
      out.PutUint(t.start + shift);
      out.Lit(",\"end\":");
      out.PutUint(t.end + shift);
      out.Lit(",\"tag\":\"");
      out.Put(t.tag);  // tags, handles and URLs are generated ASCII: nothing to escape
      out.Lit("\"}");
    }
    out.Put(']');
    any = true;
  }
  if (!r.mentions.empty() || rt_of >= 0) {
    if (any) out.Put(',');
    out.Lit("\"mentions\":[");
    bool first = true;
    auto mention = [&](uint32_t start, uint32_t end, std::string_view handle, int person) {
      if (!first) out.Put(',');
      first = false;
      out.Lit("{\"start\":");
      out.PutUint(start);
      out.Lit(",\"end\":");
      out.PutUint(end);
      out.Lit(",\"username\":\"");
      out.Put(handle);
      out.Put('"');
      if (person >= 0) {
        out.Lit(",\"id\":\"");
        out.PutUint(w.hot[static_cast<size_t>(person)].x_id);
        out.Put('"');
      }
      out.Put('}');
    };
    if (rt_of >= 0) {
      const std::string_view handle = w.XHandle(w.hot[static_cast<size_t>(rt_of)]);
      mention(3, 4 + static_cast<uint32_t>(handle.size()), handle, rt_of);
    }
    for (const MentionEntity& m : r.mentions) mention(m.start + shift, m.end + shift, m.handle, m.person);
    out.Put(']');
    any = true;
  }
  if (!r.urls.empty()) {
    if (any) out.Put(',');
    out.Lit("\"urls\":[");
    for (size_t i = 0; i < r.urls.size(); ++i) {
      const UrlEntity& u = r.urls[i];
      if (i) out.Put(',');
      out.Lit("{\"start\":");
      out.PutUint(u.start + shift);
      out.Lit(",\"end\":");
      out.PutUint(u.end + shift);
      out.Lit(",\"url\":\"");
      out.Put(r.Shown(u));
      out.Lit("\",\"expanded_url\":\"");
      out.Put(r.Expanded(u));
      out.Lit("\",\"display_url\":\"");
      PutDisplayUrl(out, r.Expanded(u));
      out.Lit("\"}");
    }
    out.Put(']');
  }
  out.Put('}');
}

void PutPlace(const City& c, OutBuffer& out) {
  out.Lit("{\"id\":\"");
  out.PutPadded(Hash64(c.name, 0x91ace) & 0xFFFFFFFFFFFFULL, 16);
  out.Lit("\",\"full_name\":\"");
  out.PutJsonEscaped(c.name);
  out.Lit(", ");
  out.PutJsonEscaped(c.state.empty() || c.country_code != "US" ? c.country : c.state);
  out.Lit("\",\"name\":\"");
  out.PutJsonEscaped(c.name);
  out.Lit("\",\"country\":\"");
  out.PutJsonEscaped(c.country);
  out.Lit("\",\"country_code\":\"");
  out.PutJsonEscaped(c.country_code);
  out.Lit("\",\"place_type\":\"city\",\"geo\":{\"type\":\"Feature\",\"bbox\":[");
  out.PutFixed(c.lon - 0.25, 6);
  out.Put(',');
  out.PutFixed(c.lat - 0.2, 6);
  out.Put(',');
  out.PutFixed(c.lon + 0.25, 6);
  out.Put(',');
  out.PutFixed(c.lat + 0.2, 6);
  out.Lit("],\"properties\":{}}}");
}

}  // namespace

void FormatXLine(const World& w, const Emission& e, OutBuffer& out) {
  const Node& n = *e.node;
  // Only the packed per-person table is read here; a Person spans many
  // cache lines and this is the hot path of load generation.
  const PersonHot& a = w.hot[static_cast<size_t>(e.author)];
  const Rendered& r = *e.text;
  const PersonHot* rt_of = n.kind == Kind::kReshare ? &w.hot[static_cast<size_t>(n.orig_author)] : nullptr;
  uint32_t shift = 0;
  out.Ensure(1024 + r.text.size() * 2);
  out.Lit("{\"data\":{\"id\":\"");
  const size_t id_at = out.size();
  out.PutUint(e.ext);
  char id_buf[20];
  const size_t id_len = out.size() - id_at;
  std::memcpy(id_buf, out.view().data() + id_at, id_len);
  const std::string_view id_digits(id_buf, id_len);
  out.Lit("\",\"text\":\"");
  if (rt_of != nullptr) {
    out.Lit("RT @");
    out.Put(w.XHandle(*rt_of));
    out.Lit(": ");
    shift = 6 + rt_of->x_handle_len;
  }
  PutXText(out, r.text);
  out.Lit("\",\"author_id\":\"");
  out.Put(w.XId(a));
  out.Lit("\",\"created_at\":\"");
  out.PutRfc3339(n.t_ms);
  out.Lit("\",\"lang\":\"");
  out.Put(LangCode(r.lang));
  out.Lit("\",\"conversation_id\":\"");
  if (n.kind == Kind::kReply) {
    out.PutUint(n.conv_ext);
  } else {
    out.Put(id_digits);  // a post starts its own conversation
  }
  out.Put('"');
  const PersonHot* parent = n.parent_author >= 0 ? &w.hot[static_cast<size_t>(n.parent_author)] : nullptr;
  if (n.kind == Kind::kReply && parent != nullptr) {
    out.Lit(",\"in_reply_to_user_id\":\"");
    out.Put(w.XId(*parent));
    out.Lit("\",\"referenced_tweets\":[{\"type\":\"replied_to\",\"id\":\"");
    out.PutUint(n.parent_ext);
    out.Lit("\"}]");
  } else if (n.kind == Kind::kReshare || n.kind == Kind::kQuote) {
    out.Put(n.kind == Kind::kReshare ? std::string_view(",\"referenced_tweets\":[{\"type\":\"retweeted\",\"id\":\"")
                                     : std::string_view(",\"referenced_tweets\":[{\"type\":\"quoted\",\"id\":\""));
    out.PutUint(n.orig_ext);
    out.Lit("\"}]");
  }
  PutXEntities(w, r, shift, rt_of != nullptr ? n.orig_author : -1, out);
  out.Lit(",\"public_metrics\":{\"retweet_count\":");
  out.PutInt(e.reshares);
  out.Lit(",\"reply_count\":");
  out.PutInt(e.replies);
  out.Lit(",\"like_count\":");
  out.PutInt(e.likes);
  out.Lit(",\"quote_count\":");
  out.PutInt(e.quotes);
  out.Put('}');
  // About 3% of original posts carry a place, as on X.
  const bool geo = n.kind == Kind::kPost && (Mix64(e.ext) % 100) < 3;
  const City* located = geo ? &Regions()[a.region].cities[a.city] : nullptr;
  if (geo) {
    const City& c = *located;
    out.Lit(",\"geo\":{\"place_id\":\"");
    out.PutPadded(Hash64(c.name, 0x91ace) & 0xFFFFFFFFFFFFULL, 16);
    out.Lit("\"}");
  }
  // includes.users holds the author, as a stream with expansions=author_id serves it.
  out.Lit("},\"includes\":{\"users\":[");
  out.Put(w.XUser(a));
  out.Put(']');
  if (geo) {
    out.Lit(",\"places\":[");
    PutPlace(*located, out);  // the author's city
    out.Put(']');
  }
  out.Lit("}}\n");
}

// ---- Outputs --------------------------------------------------------------------

std::unique_ptr<OpenFile> Outputs::Open(const std::string& rel, size_t flush_at) {
  if (!ok()) return nullptr;
  const std::filesystem::path path = std::filesystem::path(root_) / rel;
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    Fail(Status::IOError(path.parent_path().string() + ": cannot create directory: " + ec.message()));
    return nullptr;
  }
  Result<std::unique_ptr<FileSink>> sink = FileSink::Open(path.string());
  if (!sink.ok()) {
    Fail(sink.status());
    return nullptr;
  }
  auto f = std::make_unique<OpenFile>();
  f->rel = rel;
  f->sink = std::move(sink).value();
  f->writer = std::make_unique<BufferedWriter>(*f->sink, flush_at);
  return f;
}

void Outputs::Append(BurstFile& f) {
  if (!ok() || (f.buf.empty() && f.created)) return;
  const std::filesystem::path path = std::filesystem::path(root_) / f.rel;
  if (!f.created) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      Fail(Status::IOError(path.parent_path().string() + ": cannot create directory: " + ec.message()));
      return;
    }
  }
  Result<std::unique_ptr<FileSink>> sink =
      FileSink::Open(path.string(), f.created ? FileMode::kAppend : FileMode::kTruncate);
  if (!sink.ok()) {
    Fail(sink.status());
    return;
  }
  Fail((*sink)->Write(f.buf.view()));
  Fail((*sink)->Close());
  bytes_ += static_cast<int64_t>(f.buf.size());
  f.created = true;
  f.buf.clear();
}

void Outputs::Close(BurstFile& f) {
  Append(f);
  per_file_[f.rel] += f.records;
}

void Outputs::Close(std::unique_ptr<OpenFile>& f) {
  if (!f) return;
  f->writer->Flush();
  Fail(f->writer->status());
  Fail(f->sink->Close());
  per_file_[f->rel] += f->records;
  bytes_ += f->writer->bytes_written();
  f.reset();
}

// ---- Per-day files ------------------------------------------------------------------

// One file per UTC day under a directory, with an optional header, record
// separator and footer (JSON arrays and Reddit listings need them).
class Dispatcher::DailyFile {
 public:
  DailyFile(Outputs& out, std::string dir, std::string suffix, std::string header, std::string sep,
            std::string footer)
      : out_(out), dir_(std::move(dir)), suffix_(std::move(suffix)), header_(std::move(header)),
        sep_(std::move(sep)), footer_(std::move(footer)) {}

  // Returns the file for `t_ms` with the separator written, or nullptr.
  OpenFile* At(int64_t t_ms) {
    const int64_t day = t_ms / kDayMs;
    if (day != day_ || !file_) {
      Close();
      file_ = out_.Open(dir_ + "/" + DateName(t_ms) + suffix_);
      day_ = day;
      if (!file_) return nullptr;
      file_->buf().Put(header_);
    } else {
      file_->buf().Put(sep_);
    }
    return file_.get();
  }
  void Close() {
    if (!file_) return;
    file_->buf().Put(footer_);
    out_.Close(file_);
  }
  ~DailyFile() { Close(); }

 private:
  Outputs& out_;
  std::string dir_, suffix_, header_, sep_, footer_;
  int64_t day_ = -1;
  std::unique_ptr<OpenFile> file_;
};

// ---- Feeds --------------------------------------------------------------------------

class Dispatcher::Feeds {
 public:
  Feeds(const World& w, Outputs& out, int64_t end_ms) : w_(w), out_(out), end_ms_(end_ms), files_(w.sites.size()) {}
  ~Feeds() { Finish(); }

  void Write(const Emission& e) {
    const Site& site = w_.sites[static_cast<size_t>(e.site)];
    std::unique_ptr<BurstFile>& f = files_[static_cast<size_t>(e.site)];
    if (!f) {
      f = std::make_unique<BurstFile>();
      f->rel = site.file;
      Header(site, f->buf);
    }
    BuildHtml(*e.text, Html::kFeed, html_);
    const std::string creator = AuthorHandle(w_, e.author, e.node->platform);
    OutBuffer& b = f->buf;
    if (site.atom) {
      b.Lit("  <entry>\n    <title>");
      b.PutXmlEscaped(e.text->title);
      b.Lit("</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
      b.PutXmlEscaped(e.link);
      b.Lit("\"/>\n    <id>");
      b.PutXmlEscaped(e.link);
      b.Lit("</id>\n    <published>");
      b.PutRfc3339Seconds(e.node->t_ms);
      b.Lit("</published>\n    <updated>");
      b.PutRfc3339Seconds(e.node->t_ms);
      b.Lit("</updated>\n    <author><name>");
      b.PutXmlEscaped(creator);
      b.Lit("</name></author>\n    <content type=\"html\">");
      b.PutXmlEscaped(html_);
      b.Lit("</content>\n  </entry>\n");
    } else {
      b.Lit("    <item>\n      <title>");
      b.PutXmlEscaped(e.text->title);
      b.Lit("</title>\n      <link>");
      b.PutXmlEscaped(e.link);
      b.Lit("</link>\n      <guid isPermaLink=\"true\">");
      b.PutXmlEscaped(e.link);
      b.Lit("</guid>\n      <pubDate>");
      b.PutRfc822(e.node->t_ms);
      b.Lit("</pubDate>\n      <dc:creator>");
      b.PutXmlEscaped(creator);
      b.Lit("</dc:creator>\n");
      const Subject& s = e.text->subject;
      if (s.topic >= 0) {
        b.Lit("      <category>");
        b.PutXmlEscaped(Topics()[static_cast<size_t>(w_.topics[static_cast<size_t>(s.topic)].lexicon)].name);
        b.Lit("</category>\n");
      }
      b.Lit("      <description>");
      b.PutXmlEscaped(html_);
      b.Lit("</description>\n    </item>\n");
    }
    ++f->records;
    if (b.size() >= BurstFile::kBurstBytes) out_.Append(*f);
  }

  void Finish() {
    for (size_t s = 0; s < files_.size(); ++s) {
      if (!files_[s]) continue;
      files_[s]->buf.Put(w_.sites[s].atom ? std::string_view("</feed>\n") : std::string_view("  </channel>\n</rss>\n"));
      out_.Close(*files_[s]);
      files_[s].reset();
    }
  }

 private:
  void Header(const Site& site, OutBuffer& b) {
    b.Lit("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (site.atom) {
      b.Lit("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
      b.Put(LangTag(site.lang));
      b.Lit("\">\n  <title>");
      b.PutXmlEscaped(site.title);
      b.Lit("</title>\n  <id>https://");
      b.PutXmlEscaped(site.host);
      b.Lit("/</id>\n  <link rel=\"alternate\" type=\"text/html\" href=\"https://");
      b.PutXmlEscaped(site.host);
      b.Lit("/\"/>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"https://");
      b.PutXmlEscaped(site.host);
      b.Lit("/feed.atom\"/>\n  <updated>");
      b.PutRfc3339Seconds(end_ms_);
      b.Lit("</updated>\n");
      return;
    }
    b.Lit("<rss version=\"2.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
          "xmlns:atom=\"http://www.w3.org/2005/Atom\">\n  <channel>\n    <title>");
    b.PutXmlEscaped(site.title);
    b.Lit("</title>\n    <link>https://");
    b.PutXmlEscaped(site.host);
    b.Lit("/</link>\n    <description>");
    b.PutXmlEscaped(site.kind == SiteKind::kNews ? "Enterprise technology news" : "Notes on infrastructure and the cloud");
    b.Lit("</description>\n    <language>");
    b.Put(LangTag(site.lang));
    b.Lit("</language>\n    <lastBuildDate>");
    b.PutRfc822(end_ms_);
    b.Lit("</lastBuildDate>\n    <atom:link href=\"https://");
    b.PutXmlEscaped(site.host);
    b.Lit("/feed/\" rel=\"self\" type=\"application/rss+xml\"/>\n");
  }

  const World& w_;
  Outputs& out_;
  int64_t end_ms_;
  std::vector<std::unique_ptr<BurstFile>> files_;
  std::string html_;
};

// ---- CSV (reviews, community, video) --------------------------------------------

class Dispatcher::Csv {
 public:
  Csv(const World& w, Outputs& out) : w_(w), out_(out) {}
  ~Csv() {
    for (auto& f : files_) out_.Close(f);
  }

  void Write(const Emission& e) {
    const int k = e.node->platform == Platform::kReview ? 0 : (e.node->platform == Platform::kCommunity ? 1 : 2);
    static constexpr std::string_view kNames[] = {"csv/reviews.csv", "csv/community.csv", "csv/video.csv"};
    static constexpr std::string_view kChannels[] = {"review", "community", "video"};
    static constexpr std::string_view kPrefixes[] = {"rv", "cm", "vd"};
    std::unique_ptr<OpenFile>& f = files_[k];
    if (!f) {
      f = out_.Open(std::string(kNames[k]), 1 << 18);
      if (!f) return;
      f->buf().Lit("id,created_at,author,channel,site,url,title,text,lang,location,followers\r\n");
    }
    const Person& a = w_.people[static_cast<size_t>(e.author)];
    const Site& site = w_.sites[static_cast<size_t>(k == 0 ? w_.review_site : (k == 1 ? w_.community_site : w_.video_site))];
    const Rendered& r = *e.text;
    std::string id = std::string(kPrefixes[k]) + std::to_string(e.ext);
    std::string url = "https://" + site.host;
    if (k == 0) {
      const int p = r.subject.product >= 0 ? r.subject.product : 0;
      url += "/products/" + w_.products[static_cast<size_t>(p)].slug + "-" +
             w_.companies[static_cast<size_t>(w_.products[static_cast<size_t>(p)].company)].domain.substr(0, w_.companies[static_cast<size_t>(w_.products[static_cast<size_t>(p)].company)].domain.find('.')) +
             "/reviews/" + id;
    } else if (k == 1) {
      url += "/t/" + id;
    } else {
      static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      uint64_t h = Mix64(e.ext);
      url += "/watch?v=";
      for (int i = 0; i < 11; ++i, h >>= 6) url.push_back(kB64[h & 63]);
    }
    OutBuffer& b = f->buf();
    b.Put(id);
    b.Put(',');
    b.PutRfc3339(e.node->t_ms);
    b.Put(',');
    b.PutCsvField(AuthorHandle(w_, e.author, e.node->platform));
    b.Put(',');
    b.Put(kChannels[k]);
    b.Put(',');
    b.Put(site.host);
    b.Put(',');
    b.PutCsvField(url);
    b.Put(',');
    b.PutCsvField(r.title);
    b.Put(',');
    b.PutCsvField(r.text);
    b.Put(',');
    b.Put(LangCode(r.lang));
    b.Put(',');
    b.PutCsvField(a.location);
    b.Put(',');
    if (k == 2) b.PutInt(std::max<int64_t>(1, a.followers / 3));
    b.Lit("\r\n");
    ++f->records;
    f->writer->MaybeFlush();
  }

 private:
  const World& w_;
  Outputs& out_;
  std::unique_ptr<OpenFile> files_[3];
};

// ---- Dispatcher ---------------------------------------------------------------------

Dispatcher::Dispatcher(const World& w, Outputs& out, const Options& opts) : w_(w), out_(out), opts_(opts) {
  x_ = std::make_unique<DailyFile>(out, "x", ".jsonl", "", "", "");
  mastodon_ = std::make_unique<DailyFile>(out, "mastodon", ".json", "[\n", ",\n", "\n]\n");
  hn_ = std::make_unique<DailyFile>(out, "hn", ".jsonl", "", "", "");
  const std::string listing_head = "{\"kind\": \"Listing\", \"data\": {\"modhash\": \"\", \"children\": [";
  const std::string listing_tail = "], \"after\": null, \"before\": null}}\n";
  reddit_posts_ = std::make_unique<DailyFile>(out, "reddit", "-posts.json", listing_head, ", ", listing_tail);
  reddit_comments_ = std::make_unique<DailyFile>(out, "reddit", "-comments.json", listing_head, ", ", listing_tail);
  feeds_ = std::make_unique<Feeds>(w, out, opts.end_ms);
  csv_ = std::make_unique<Csv>(w, out);
  if (opts_.truth) truth_ = out.Open("truth/mentions.jsonl");
}

Dispatcher::~Dispatcher() { Finish(); }

void Dispatcher::Finish() {
  x_.reset();
  mastodon_.reset();
  hn_.reset();
  reddit_posts_.reset();
  reddit_comments_.reset();
  feeds_.reset();
  csv_.reset();
  out_.Close(truth_);
}

namespace {
std::string_view ChannelOf(Platform p) {
  switch (p) {
    case Platform::kX:
    case Platform::kMastodon: return "microblog";
    case Platform::kBlog: return "blog";
    case Platform::kNews: return "news";
    case Platform::kHn:
    case Platform::kReddit: return "forum";
    case Platform::kReview: return "review";
    case Platform::kCommunity: return "community";
    case Platform::kVideo: return "video";
    default: return "other";
  }
}
}  // namespace

void Dispatcher::OnEmission(const Emission& e) {
  if (!out_.ok()) return;
  switch (e.node->platform) {
    case Platform::kX: WriteX(e); break;
    case Platform::kMastodon: WriteMastodon(e); break;
    case Platform::kBlog:
    case Platform::kNews: feeds_->Write(e); break;
    case Platform::kHn: WriteHn(e); break;
    case Platform::kReddit: WriteReddit(e); break;
    default: csv_->Write(e); break;
  }
  ++per_channel_[std::string(ChannelOf(e.node->platform))];
  if (truth_) WriteTruth(e);
}

void Dispatcher::WriteX(const Emission& e) {
  OpenFile* f = x_->At(e.node->t_ms);
  if (!f) return;
  FormatXLine(w_, e, f->buf());
  ++f->records;
  f->writer->MaybeFlush();
}

void Dispatcher::WriteMastodon(const Emission& e) {
  OpenFile* f = mastodon_->At(e.node->t_ms);
  if (!f) return;
  const Node& n = *e.node;
  const Person& a = w_.people[static_cast<size_t>(e.author)];
  const Rendered& r = *e.text;
  BuildHtml(r, Html::kMastodon, scratch_);
  OutBuffer& b = f->buf();
  b.Lit("{\"id\":\"");
  b.PutUint(e.ext);
  b.Lit("\",\"created_at\":\"");
  b.PutRfc3339(n.t_ms);
  if (n.kind == Kind::kReply && n.parent_author >= 0) {
    b.Lit("\",\"in_reply_to_id\":\"");
    b.PutUint(n.parent_ext);
    b.Lit("\",\"in_reply_to_account_id\":\"");
    b.PutUint(w_.people[static_cast<size_t>(n.parent_author)].mastodon_id);
    b.Put('"');
  } else {
    b.Lit("\",\"in_reply_to_id\":null,\"in_reply_to_account_id\":null");
  }
  b.Lit(",\"sensitive\":false,\"spoiler_text\":\"\",\"visibility\":\"public\",\"language\":\"");
  b.Put(LangCode(r.lang));
  b.Lit("\",\"uri\":\"");
  b.PutJsonEscaped(MastodonUri(a, e.ext));
  b.Lit("\",\"url\":\"https://");
  b.PutJsonEscaped(a.mastodon_instance);
  b.Lit("/@");
  b.PutJsonEscaped(a.mastodon_user);
  b.Put('/');
  b.PutUint(e.ext);
  b.Lit("\",\"replies_count\":");
  b.PutInt(e.replies);
  b.Lit(",\"reblogs_count\":0,\"favourites_count\":");
  b.PutInt(e.likes);
  b.Lit(",\"quotes_count\":0,\"edited_at\":null,\"content\":\"");
  b.PutJsonEscaped(scratch_);
  b.Lit("\",\"reblog\":null,\"application\":null,\"account\":{\"id\":\"");
  b.PutUint(a.mastodon_id);
  b.Lit("\",\"username\":\"");
  b.PutJsonEscaped(a.mastodon_user);
  b.Lit("\",\"acct\":\"");
  b.PutJsonEscaped(a.mastodon_user);
  b.Put('@');
  b.PutJsonEscaped(a.mastodon_instance);
  b.Lit("\",\"display_name\":\"");
  b.PutJsonEscaped(a.display);
  b.Lit("\",\"locked\":false,\"bot\":false,\"group\":false,\"created_at\":\"");
  b.PutRfc3339(a.x_created_ms - a.x_created_ms % kDayMs);
  b.Lit("\",\"note\":\"");
  if (!a.bio.empty()) {
    scratch_ = "<p>";
    EscapeHtmlText(scratch_, a.bio, Html::kMastodon);
    scratch_ += "</p>";
    b.PutJsonEscaped(scratch_);
  }
  b.Lit("\",\"url\":\"https://");
  b.PutJsonEscaped(a.mastodon_instance);
  b.Lit("/@");
  b.PutJsonEscaped(a.mastodon_user);
  b.Lit("\",\"followers_count\":");
  b.PutInt(a.followers / 8 + 3);
  b.Lit(",\"following_count\":");
  b.PutInt(a.following / 4 + 5);
  b.Lit(",\"statuses_count\":");
  b.PutInt(a.tweet_count / 10 + 1);
  b.Lit(",\"emojis\":[],\"fields\":[]},\"media_attachments\":[],\"mentions\":[");
  if (n.kind == Kind::kReply && n.parent_author >= 0) {
    const Person& p = w_.people[static_cast<size_t>(n.parent_author)];
    b.Lit("{\"id\":\"");
    b.PutUint(p.mastodon_id);
    b.Lit("\",\"username\":\"");
    b.PutJsonEscaped(p.mastodon_user);
    b.Lit("\",\"url\":\"https://");
    b.PutJsonEscaped(p.mastodon_instance);
    b.Lit("/@");
    b.PutJsonEscaped(p.mastodon_user);
    b.Lit("\",\"acct\":\"");
    b.PutJsonEscaped(p.mastodon_user);
    b.Put('@');
    b.PutJsonEscaped(p.mastodon_instance);
    b.Lit("\"}");
  }
  b.Lit("],\"tags\":[");
  for (size_t i = 0; i < r.hashtags.size(); ++i) {
    if (i) b.Put(',');
    b.Lit("{\"name\":\"");
    b.PutJsonEscaped(AsciiLower(r.hashtags[i].tag));
    b.Lit("\",\"url\":\"https://listen.example/tags/");
    b.PutJsonEscaped(AsciiLower(r.hashtags[i].tag));
    b.Lit("\"}");
  }
  b.Lit("],\"emojis\":[],\"card\":null,\"poll\":null}");
  ++f->records;
  f->writer->MaybeFlush();
}

void Dispatcher::WriteHn(const Emission& e) {
  OpenFile* f = hn_->At(e.node->t_ms);
  if (!f) return;
  const Node& n = *e.node;
  const Person& a = w_.people[static_cast<size_t>(e.author)];
  const Rendered& r = *e.text;
  BuildHtml(r, Html::kHn, scratch_);
  OutBuffer& b = f->buf();
  b.Lit("{\"by\": \"");
  b.PutJsonEscaped(a.hn_handle);
  b.Put('"');
  if (n.kind == Kind::kPost && n.spec.act != Act::kJobPost) {
    b.Lit(", \"descendants\": ");
    b.PutInt(e.replies);
  }
  b.Lit(", \"id\": ");
  b.PutUint(e.ext);
  if (n.kind != Kind::kPost) {
    b.Lit(", \"parent\": ");
    b.PutUint(n.parent_ext);
  } else {
    b.Lit(", \"score\": ");
    b.PutInt(1 + e.likes + e.replies);
  }
  b.Lit(", \"text\": \"");
  b.PutJsonEscaped(scratch_);
  b.Lit("\", \"time\": ");
  b.PutInt(n.t_ms / 1000);
  if (n.kind == Kind::kPost) {
    b.Lit(", \"title\": \"");
    const bool ask = n.spec.act == Act::kQuestion || n.spec.act == Act::kRecRequest;
    const bool show = n.spec.act == Act::kAnnounce;
    if (ask) b.Lit("Ask HN: ");
    if (show) b.Lit("Show HN: ");
    b.PutJsonEscaped(r.title);
    b.Put(n.spec.act == Act::kJobPost ? std::string_view("\", \"type\": \"job\"") : std::string_view("\", \"type\": \"story\""));
    if (show && r.subject.product >= 0) {
      const Product& p = w_.products[static_cast<size_t>(r.subject.product)];
      b.Lit(", \"url\": \"https://");
      b.PutJsonEscaped(w_.companies[static_cast<size_t>(p.company)].domain);
      b.Lit("/products/");
      b.PutJsonEscaped(p.slug);
      b.Put('"');
    } else if (n.spec.act == Act::kJobPost) {
      b.Lit(", \"url\": \"\"");
    }
  } else {
    b.Lit(", \"type\": \"comment\"");
  }
  b.Lit("}\n");
  ++f->records;
  f->writer->MaybeFlush();
}

void Dispatcher::WriteReddit(const Emission& e) {
  const Node& n = *e.node;
  const bool post = n.kind == Kind::kPost;
  OpenFile* f = (post ? reddit_posts_ : reddit_comments_)->At(n.t_ms);
  if (!f) return;
  const Person& a = w_.people[static_cast<size_t>(e.author)];
  const Rendered& r = *e.text;
  const std::string id = Base36(e.ext);
  const uint64_t link = post ? e.ext : n.conv_ext;
  const std::string link36 = Base36(link);
  const auto subs = Subreddits();
  const std::string_view sub = subs[Mix64(link) % subs.size()];
  const std::string_view owner_sub = sub;
  OutBuffer& b = f->buf();
  b.Put(post ? std::string_view("{\"kind\": \"t3\", \"data\": {") : std::string_view("{\"kind\": \"t1\", \"data\": {"));
  b.Lit("\"subreddit\": \"");
  b.Put(owner_sub);
  b.Lit("\", \"subreddit_id\": \"t5_");
  b.Put(Base36(Mix64(Hash64(sub)) % 2000000 + 60000));
  b.Lit("\", \"id\": \"");
  b.Put(id);
  b.Put(post ? std::string_view("\", \"name\": \"t3_") : std::string_view("\", \"name\": \"t1_"));
  b.Put(id);
  b.Lit("\", \"author\": \"");
  b.PutJsonEscaped(a.reddit_handle);
  b.Lit("\", \"score\": ");
  b.PutInt(1 + e.likes);
  b.Lit(", \"ups\": ");
  b.PutInt(1 + e.likes);
  b.Lit(", \"downs\": 0, \"created_utc\": ");
  b.PutInt(n.t_ms / 1000);
  b.Lit(".0, \"created\": ");
  b.PutInt(n.t_ms / 1000 + 28800);
  b.Lit(".0, \"edited\": false, \"stickied\": false, \"over_18\": false, \"distinguished\": null");
  if (post) {
    std::string slug;
    for (char c : r.title) {
      if (IsAsciiAlpha(c) || IsAsciiDigit(c)) {
        slug.push_back(AsciiToLower(c));
      } else if (!slug.empty() && slug.back() != '_') {
        slug.push_back('_');
      }
      if (slug.size() >= 50) break;
    }
    while (!slug.empty() && slug.back() == '_') slug.pop_back();
    const std::string permalink = "/r/" + std::string(owner_sub) + "/comments/" + id + "/" + slug + "/";
    b.Lit(", \"title\": \"");
    b.PutJsonEscaped(r.title);
    b.Lit("\", \"selftext\": \"");
    b.PutJsonEscaped(r.text);
    b.Lit("\", \"selftext_html\": null, \"is_self\": true, \"domain\": \"self.");
    b.Put(owner_sub);
    b.Lit("\", \"num_comments\": ");
    b.PutInt(e.replies);
    b.Lit(", \"permalink\": \"");
    b.PutJsonEscaped(permalink);
    b.Lit("\", \"url\": \"https://www.reddit.example");
    b.PutJsonEscaped(permalink);
    b.Lit("\", \"link_flair_text\": null, \"locked\": false}}");
  } else {
    BuildHtml(r, Html::kRedditMd, scratch_);
    b.Lit(", \"link_id\": \"t3_");
    b.Put(link36);
    b.Put(n.parent_is_comment ? std::string_view("\", \"parent_id\": \"t1_") : std::string_view("\", \"parent_id\": \"t3_"));
    b.Put(Base36(n.parent_ext));
    b.Lit("\", \"body\": \"");
    b.PutJsonEscaped(r.text);
    b.Lit("\", \"body_html\": \"");
    b.PutJsonEscaped(scratch_);
    b.Lit("\", \"replies\": \"\", \"controversiality\": 0, \"permalink\": \"/r/");
    b.Put(owner_sub);
    b.Lit("/comments/");
    b.Put(link36);
    b.Lit("/_/");
    b.Put(id);
    b.Lit("/\"}}");
  }
  ++f->records;
  f->writer->MaybeFlush();
}

void Dispatcher::WriteTruth(const Emission& e) {
  const Rendered& r = *e.text;
  const Person& a = w_.people[static_cast<size_t>(e.author)];
  OutBuffer& b = truth_->buf();
  b.Lit("{\"id\":\"");
  b.PutJsonEscaped(e.id);
  b.Lit("\",\"sentiment\":\"");
  b.Put(SentimentName(r.sentiment));
  b.Lit("\",\"intent\":[");
  bool first = true;
  for (int i = 0; i < 7; ++i) {
    if (!(r.intents & (1 << i))) continue;
    if (!first) b.Put(',');
    first = false;
    b.Put('"');
    b.Put(kIntentNames[i]);
    b.Put('"');
  }
  b.Lit("],\"topics\":[");
  first = true;
  for (size_t i = 0; i < w_.watches.size(); ++i) {
    if (!(r.topics & (uint64_t{1} << i))) continue;
    if (!first) b.Put(',');
    first = false;
    b.Put('"');
    b.PutJsonEscaped(w_.watches[i].name);
    b.Put('"');
  }
  b.Lit("],\"person\":");
  if (a.contact_id.empty()) {
    b.Lit("null");
  } else {
    b.Put('"');
    b.Put(a.contact_id);
    b.Put('"');
  }
  b.Lit(",\"parent\":");
  if (e.parent_id.empty()) {
    b.Lit("null");
  } else {
    b.Put('"');
    b.PutJsonEscaped(e.parent_id);
    b.Put('"');
  }
  b.Lit(",\"story\":");
  if (e.node->story < 0) {
    b.Lit("null");
  } else {
    b.Lit("\"story-");
    b.PutInt(e.node->story);
    b.Put('"');
  }
  b.Lit(",\"created_at\":\"");
  b.PutRfc3339(e.node->t_ms);
  b.Lit("\",\"channel\":\"");
  b.Put(ChannelOf(e.node->platform));
  b.Lit("\",\"author\":\"");
  b.PutJsonEscaped(AuthorHandle(w_, e.author, e.node->platform));
  b.Lit("\",\"lang\":\"");
  b.Put(LangCode(r.lang));
  b.Lit("\"");
  if (e.node->event >= 0) {
    const MarketEvent& ev = w_.events[static_cast<size_t>(e.node->event)];
    b.Lit(",\"event\":\"");
    b.PutJsonEscaped(ev.kind);
    b.Put(':');
    b.PutJsonEscaped(w_.watches[static_cast<size_t>(ev.watch)].name);
    b.Put('"');
  }
  b.Lit("}\n");
  ++truth_->records;
  truth_->writer->MaybeFlush();
}

std::string AuthorHandle(const World& w, int person, Platform platform) {
  const Person& p = w.people[static_cast<size_t>(person)];
  switch (platform) {
    case Platform::kX: return p.x_handle;
    case Platform::kMastodon: return p.mastodon_user + "@" + p.mastodon_instance;
    case Platform::kBlog:
    case Platform::kNews:
      if (p.role == Role::kOfficial) return p.display + " Team";
      return p.first + " " + p.last;
    case Platform::kHn: return p.hn_handle;
    case Platform::kReddit: return p.reddit_handle;
    case Platform::kReview: return p.review_name;
    case Platform::kCommunity: return p.community_handle;
    case Platform::kVideo: return p.video_channel;
    default: return "";
  }
}

}  // namespace earshot::sim
