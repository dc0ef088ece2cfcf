#include "ingest/feed_connector.h"

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/hash.h"
#include "core/strings.h"
#include "core/time.h"
#include "core/utf8.h"
#include "ingest/html_text.h"
#include "ingest/normalize.h"

namespace earshot::ingest {
namespace {

constexpr std::string_view kAtomNs = "http://www.w3.org/2005/Atom";
constexpr std::string_view kRdfNs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kRss1Ns = "http://purl.org/rss/1.0/";
constexpr std::string_view kContentNs = "http://purl.org/rss/1.0/modules/content/";
constexpr std::string_view kDcNs = "http://purl.org/dc/elements/1.1/";
constexpr std::string_view kSlashNs = "http://purl.org/rss/1.0/modules/slash/";
constexpr std::string_view kThreadNs = "http://purl.org/syndication/thread/1.0";
constexpr std::string_view kFeedburnerNs = "http://rssnamespace.org/feedburner/ext/1.0";
constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr std::string_view kGoogleNewsNsPrefix = "http://www.google.com/schemas/sitemap-news/";

// Cut-and-reparse rounds before the rest of a broken document is given up.
constexpr int kMaxRepairs = 100;
// Longest root or channel start tag copied around an item parsed alone.
constexpr size_t kMaxWrapperTagBytes = 16 * 1024;

// ---------------------------------------------------------------------------
// Bytes to UTF-8

enum class TextEncoding { kUtf8, kLatin1, kWindows1252 };

// Returns the encoding named in the XML declaration at the start of `doc`,
// or "" when there is none.
std::string_view DeclaredEncoding(std::string_view doc) {
  doc = TrimAscii(doc.substr(0, 512));
  if (!doc.starts_with("<?xml")) return "";
  std::string_view decl = doc.substr(0, doc.find("?>"));
  size_t pos = decl.find("encoding");
  if (pos == std::string_view::npos) return "";
  pos += 8;
  while (pos < decl.size() && IsAsciiSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || decl[pos] != '=') return "";
  ++pos;
  while (pos < decl.size() && IsAsciiSpace(decl[pos])) ++pos;
  if (pos >= decl.size() || (decl[pos] != '"' && decl[pos] != '\'')) return "";
  const size_t close = decl.find(decl[pos], pos + 1);
  if (close == std::string_view::npos) return "";
  return decl.substr(pos + 1, close - pos - 1);
}

std::optional<TextEncoding> EncodingFromLabel(std::string_view label) {
  const std::string l = AsciiLower(TrimAscii(label));
  if (l.empty() || l == "utf-8" || l == "utf8" || l == "us-ascii" || l == "ascii") return TextEncoding::kUtf8;
  if (l == "iso-8859-1" || l == "iso8859-1" || l == "iso_8859-1" || l == "latin1" || l == "latin-1" || l == "l1" ||
      l == "cp819" || l == "ibm819" || l == "iso-ir-100") {
    return TextEncoding::kLatin1;
  }
  if (l == "windows-1252" || l == "cp1252" || l == "x-cp1252") return TextEncoding::kWindows1252;
  return std::nullopt;
}

// Returns the document as UTF-8 with the BOM, ill-formed sequences and the
// C0 controls XML forbids (real feeds contain them) repaired away. Line
// breaks are untouched, so line numbers in the result are the input's.
Result<std::string> DecodeDocument(std::string_view input) {
  if (input.starts_with("\xEF\xBB\xBF")) {
    input.remove_prefix(3);
  } else if (input.starts_with("\xFE\xFF") || input.starts_with("\xFF\xFE") ||
             (input.size() >= 2 && (input[0] == '\0' || input[1] == '\0'))) {
    return Status::InvalidArgument("the input is UTF-16 or UTF-32, which is not supported; convert it to UTF-8");
  }
  const std::string_view label = DeclaredEncoding(input);
  const std::optional<TextEncoding> encoding = EncodingFromLabel(label);
  if (!encoding) {
    return Status::InvalidArgument("unsupported encoding \"" + SanitizeUtf8(TruncateUtf8(label, 40)) +
                                   "\" in the XML declaration (supported: UTF-8, US-ASCII, ISO-8859-1, "
                                   "Windows-1252)");
  }
  switch (*encoding) {
    case TextEncoding::kUtf8:
      return SanitizeUtf8(input);
    case TextEncoding::kLatin1: {
      // Bytes 0x80-0x9F are C1 controls in Latin-1 and never text; a feed
      // that has them was written in Windows-1252 (browsers decode the
      // ISO-8859-1 label that way for the same reason).
      const bool has_c1 = std::any_of(input.begin(), input.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x80 && static_cast<unsigned char>(c) < 0xA0;
      });
      return SanitizeUtf8(has_c1 ? Windows1252ToUtf8(input) : Latin1ToUtf8(input));
    }
    case TextEncoding::kWindows1252:
      return SanitizeUtf8(Windows1252ToUtf8(input));
  }
  return Status::Internal("unreachable encoding");
}

// ---------------------------------------------------------------------------
// Positions in the document

// Maps byte offsets to 1-based line numbers (LF, CR LF or lone CR).
class LineIndex {
 public:
  explicit LineIndex(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) breaks_.push_back(i);
    }
  }
  int64_t LineOf(size_t offset) const {
    return 1 + static_cast<int64_t>(std::lower_bound(breaks_.begin(), breaks_.end(), offset) - breaks_.begin());
  }

 private:
  std::vector<size_t> breaks_;
};

// Where one <item>/<entry> sits in the document text.
struct ItemSpan {
  size_t begin = 0;                     // offset of its '<'
  size_t end = std::string_view::npos;  // offset after its end tag; npos when never closed
  size_t stop = 0;                      // `end`, or for an unclosed item the next item's begin
  bool cut = false;                     // removed from the text pugixml sees
};

bool IsTagNameEnd(std::string_view text, size_t pos) {
  return pos >= text.size() || IsAsciiSpace(text[pos]) || text[pos] == '>' || text[pos] == '/';
}

// Returns the offset after the '>' that ends the tag opened at `lt`,
// skipping quoted attribute values, or npos. A '<' (never allowed inside a
// tag) ends the search, which keeps scans of broken input linear.
size_t TagEnd(std::string_view text, size_t lt) {
  char quote = 0;
  for (size_t i = lt + 1; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '<') break;
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// Finds every element named `qname` in `text` by a lexical scan that skips
// CDATA sections, comments and processing instructions. Unlike the parse
// tree, this also works on documents that are not well-formed, which is
// what makes cutting a broken item out possible.
std::vector<ItemSpan> ScanItemSpans(std::string_view text, std::string_view qname) {
  std::vector<ItemSpan> spans;
  std::vector<size_t> open;  // indexes into spans
  size_t pos = 0;
  while ((pos = text.find('<', pos)) != std::string_view::npos) {
    const std::string_view rest = text.substr(pos);
    std::string_view terminator;
    if (rest.starts_with("<![CDATA[")) {
      terminator = "]]>";
    } else if (rest.starts_with("<!--")) {
      terminator = "-->";
    } else if (rest.starts_with("<?")) {
      terminator = "?>";
    }
    if (!terminator.empty()) {
      const size_t t = text.find(terminator, pos + 2);
      if (t == std::string_view::npos) break;  // the rest is inside it
      pos = t + terminator.size();
      continue;
    }
    const bool close = rest.starts_with("</");
    const size_t name = pos + (close ? 2 : 1);
    if (text.substr(name).starts_with(qname) && IsTagNameEnd(text, name + qname.size())) {
      const size_t end = TagEnd(text, pos);
      if (close) {
        if (!open.empty()) {
          spans[open.back()].end = end == std::string_view::npos ? text.size() : end;
          open.pop_back();
        }
      } else {
        spans.push_back({pos, std::string_view::npos, 0, false});
        if (end != std::string_view::npos && text[end - 2] == '/') {
          spans.back().end = end;  // <item/>
        } else {
          open.push_back(spans.size() - 1);
        }
      }
    }
    ++pos;
  }
  for (size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].end != std::string_view::npos) {
      spans[i].stop = spans[i].end;
    } else {
      spans[i].stop = i + 1 < spans.size() ? spans[i + 1].begin : text.size();
    }
  }
  return spans;
}

// The document text with byte ranges cut out, and the way back to offsets
// in the whole text (for line numbers and raw item text).
class CutText {
 public:
  explicit CutText(std::string_view original) : original_(original) { Rebuild(); }

  // Removes original_[begin, end); returns false when nothing new was removed.
  bool Cut(size_t begin, size_t end) {
    end = std::min(end, original_.size());
    if (begin >= end) return false;
    std::vector<std::pair<size_t, size_t>> merged;
    cuts_.emplace_back(begin, end);
    std::sort(cuts_.begin(), cuts_.end());
    for (const auto& c : cuts_) {
      if (!merged.empty() && c.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, c.second);
      } else {
        merged.push_back(c);
      }
    }
    const size_t before = spliced_size_;
    cuts_ = std::move(merged);
    Rebuild();
    return spliced_size_ < before;
  }

  std::string_view text() const { return cuts_.empty() ? original_ : std::string_view(spliced_); }

  // Returns the offset in the original text of `offset` in text().
  size_t ToOriginal(size_t offset) const {
    auto it = std::upper_bound(pieces_.begin(), pieces_.end(), offset,
                               [](size_t off, const Piece& p) { return off < p.spliced_begin; });
    if (it == pieces_.begin()) return offset;
    --it;
    return it->original_begin + std::min(offset - it->spliced_begin, it->length);
  }

 private:
  struct Piece {
    size_t spliced_begin;
    size_t original_begin;
    size_t length;
  };

  void Rebuild() {
    pieces_.clear();
    spliced_.clear();
    size_t pos = 0;
    auto keep = [&](size_t begin, size_t end) {
      if (end <= begin) return;
      pieces_.push_back({spliced_.size(), begin, end - begin});
      if (!cuts_.empty()) spliced_.append(original_.substr(begin, end - begin));
    };
    for (const auto& c : cuts_) {
      keep(pos, c.first);
      pos = c.second;
    }
    keep(pos, original_.size());
    spliced_size_ = cuts_.empty() ? original_.size() : spliced_.size();
  }

  std::string_view original_;
  std::vector<std::pair<size_t, size_t>> cuts_;
  std::vector<Piece> pieces_;
  std::string spliced_;
  size_t spliced_size_ = 0;
};

// ---------------------------------------------------------------------------
// Namespace-aware access to the pugixml tree (pugixml keeps prefixes as
// written; feeds bind the same namespace to different prefixes).

std::string_view LocalName(pugi::xml_node n) {
  std::string_view name = n.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view PrefixOf(pugi::xml_node n) {
  std::string_view name = n.name();
  const size_t colon = name.find(':');
  return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

// Returns the namespace URI of element `n` ("" when unbound).
std::string_view NamespaceOf(pugi::xml_node n) {
  const std::string_view prefix = PrefixOf(n);
  if (prefix == "xml") return kXmlNs;
  for (pugi::xml_node x = n; x; x = x.parent()) {
    for (pugi::xml_attribute a = x.first_attribute(); a; a = a.next_attribute()) {
      const std::string_view name = a.name();
      if (!name.starts_with("xmlns")) continue;
      if (prefix.empty() ? name.size() == 5
                         : (name.size() == 6 + prefix.size() && name[5] == ':' && name.substr(6) == prefix)) {
        return a.value();
      }
    }
  }
  return "";
}

bool IsElement(pugi::xml_node n, std::string_view ns, std::string_view local) {
  return n.type() == pugi::node_element && LocalName(n) == local && NamespaceOf(n) == ns;
}

pugi::xml_node Child(pugi::xml_node parent, std::string_view ns, std::string_view local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (IsElement(c, ns, local)) return c;
  }
  return {};
}

// Returns the attribute whose local name is `local` (any prefix), e.g. rdf:about.
std::string_view AttributeByLocalName(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    std::string_view name = a.name();
    const size_t colon = name.find(':');
    if ((colon == std::string_view::npos ? name : name.substr(colon + 1)) == local) return a.value();
  }
  return "";
}

// Returns the character data directly inside `n`: text and CDATA joined.
std::string TextOf(pugi::xml_node n) {
  std::string out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out += c.value();
  }
  return out;
}

std::string TrimmedTextOf(pugi::xml_node n) { return std::string(TrimAscii(TextOf(n))); }

struct StringWriter : pugi::xml_writer {
  std::string out;
  void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
};

// Returns the content of `n` as HTML source: its character data, or, when
// it holds elements (Atom xhtml, unescaped HTML in a description), its
// children serialized.
std::string InnerMarkup(pugi::xml_node n) {
  bool has_elements = false;
  for (pugi::xml_node c = n.first_child(); c && !has_elements; c = c.next_sibling()) {
    has_elements = c.type() == pugi::node_element;
  }
  if (!has_elements) return TextOf(n);
  StringWriter writer;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) c.print(writer, "", pugi::format_raw);
  return std::move(writer.out);
}

std::string Serialize(pugi::xml_node n) {
  StringWriter writer;
  n.print(writer, "", pugi::format_raw);
  return std::move(writer.out);
}

// ---------------------------------------------------------------------------
// URLs and hosts

bool IsHttpUrl(std::string_view s) {
  return StartsWithIgnoreAsciiCase(s, "http://") || StartsWithIgnoreAsciiCase(s, "https://");
}

// True for "scheme:..." (a letter, then letters, digits, + - . before ':').
bool HasScheme(std::string_view s) {
  if (s.empty() || !IsAsciiAlpha(s[0])) return false;
  for (size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (c == ':') return true;
    if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '+' && c != '-' && c != '.') return false;
  }
  return false;
}

// Resolves `ref` against the http(s) URL `base` (RFC 3986 without dot
// segment removal, which feeds never need).
std::string ResolveUrl(std::string_view base, std::string_view ref) {
  ref = TrimAscii(ref);
  if (ref.empty() || HasScheme(ref) || !IsHttpUrl(base)) return std::string(ref);
  const size_t authority = base.find("://") + 3;
  if (ref.starts_with("//")) return std::string(base.substr(0, authority - 2)).append(ref);
  const size_t path = std::min(base.find_first_of("/?#", authority), base.size());
  if (ref.front() == '/') return std::string(base.substr(0, path)).append(ref);
  std::string_view dir = base.substr(0, std::min(base.find_first_of("?#", authority), base.size()));
  const size_t slash = dir.rfind('/');
  dir = slash == std::string_view::npos || slash < path ? dir : dir.substr(0, slash);
  return std::string(dir).append("/").append(ref);
}

bool HostIs(std::string_view host, std::string_view domain) {
  return host == domain ||
         (host.size() > domain.size() && host.ends_with(domain) && host[host.size() - domain.size() - 1] == '.');
}

constexpr std::string_view kForumDomains[] = {
    "reddit.com",    "redd.it",       "stackoverflow.com", "stackexchange.com",    "serverfault.com",
    "superuser.com", "askubuntu.com", "mathoverflow.net",  "news.ycombinator.com", "lobste.rs"};

constexpr std::string_view kNewsDomains[] = {"reuters.com",
                                             "theverge.com",
                                             "bbc.co.uk",
                                             "bbc.com",
                                             "nytimes.com",
                                             "golem.de",
                                             "heise.de",
                                             "spiegel.de",
                                             "zeit.de",
                                             "faz.net",
                                             "theguardian.com",
                                             "washingtonpost.com",
                                             "wsj.com",
                                             "ft.com",
                                             "bloomberg.com",
                                             "apnews.com",
                                             "cnn.com",
                                             "cnbc.com",
                                             "npr.org",
                                             "aljazeera.com",
                                             "economist.com",
                                             "latimes.com",
                                             "usatoday.com",
                                             "independent.co.uk",
                                             "telegraph.co.uk",
                                             "lemonde.fr",
                                             "elpais.com",
                                             "techcrunch.com",
                                             "arstechnica.com",
                                             "wired.com",
                                             "engadget.com",
                                             "zdnet.com",
                                             "theregister.com",
                                             "venturebeat.com",
                                             "axios.com",
                                             "politico.com",
                                             "businessinsider.com",
                                             "forbes.com"};

bool IsForumHost(std::string_view host) {
  return std::any_of(std::begin(kForumDomains), std::end(kForumDomains), [&](auto d) { return HostIs(host, d); });
}

bool IsNewsHost(std::string_view host) {
  return host.find("news") != std::string_view::npos ||
         std::any_of(std::begin(kNewsDomains), std::end(kNewsDomains), [&](auto d) { return HostIs(host, d); });
}

// ---------------------------------------------------------------------------
// Small field parsers

// Returns the primary subtag of a language tag, lower-cased ("en-US" ->
// "en"), or "" when `tag` does not start with one.
std::string PrimaryLanguage(std::string_view tag) {
  tag = TrimAscii(tag);
  const std::string_view primary = tag.substr(0, tag.find_first_of("-_"));
  if (primary.size() < 2 || primary.size() > 3) return "";
  if (!std::all_of(primary.begin(), primary.end(), IsAsciiAlpha)) return "";
  return AsciiLower(primary);
}

// The date syntax a feed element is specified to use.
enum class DateSyntax { kRfc822, kRfc3339 };

// Parses a feed date in the field's own syntax first, then in the other
// one (feeds mix them up), then in the Twitter form. Bare numbers are not
// taken: a "2023" is no epoch time.
std::optional<int64_t> ParseFeedDate(std::string_view s, DateSyntax syntax) {
  s = TrimAscii(s);
  if (s.empty()) return std::nullopt;
  const bool rfc822 = syntax == DateSyntax::kRfc822;
  for (auto parse : {rfc822 ? ParseRfc822 : ParseRfc3339, rfc822 ? ParseRfc3339 : ParseRfc822, ParseTwitterV1Date}) {
    if (Result<int64_t> r = parse(s); r.ok()) return *r;
  }
  return std::nullopt;
}

std::string OneLine(std::string_view s) { return CollapseWhitespace(s); }

std::string Hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, v);
  return buf;
}

// Strips the decorations feeds put around a user name: "/u/name" (Reddit)
// and "@name".
std::string HandleFromName(std::string_view name) {
  if (name.starts_with("/u/")) {
    name.remove_prefix(3);
  } else if (name.starts_with("u/")) {
    name.remove_prefix(2);
  } else if (name.starts_with("@")) {
    name.remove_prefix(1);
  }
  return std::string(name);
}

// Reads RSS <author>/<dc:creator>: "jdoe@example.com (John Doe)", "John
// Doe <jdoe@example.com>" or a bare name.
Author AuthorFromRss(std::string_view raw) {
  const std::string s = OneLine(DecodeEntities(raw));
  std::string_view name = s;
  const size_t open_paren = name.find('(');
  const size_t lt = name.find('<');
  if (name.ends_with(')') && open_paren != std::string_view::npos && open_paren > 0) {
    name = TrimAscii(name.substr(open_paren + 1, name.size() - open_paren - 2));
  } else if (name.ends_with('>') && lt != std::string_view::npos && lt > 0) {
    name = TrimAscii(name.substr(0, lt));
  }
  Author a;
  a.display_name = std::string(name);
  a.handle = HandleFromName(name);
  return a;
}

// Reads an atom:author (or contributor) element.
Author AuthorFromAtom(pugi::xml_node author, std::string_view ns) {
  Author a;
  a.display_name = OneLine(DecodeEntities(TextOf(Child(author, ns, "name"))));
  a.handle = HandleFromName(a.display_name);
  std::string uri = TrimmedTextOf(Child(author, ns, "uri"));
  if (IsHttpUrl(uri)) a.profile_url = std::move(uri);
  return a;
}

// ---------------------------------------------------------------------------
// The feed

enum class FeedKind { kRss, kRdf, kAtom };

struct FeedInfo {
  FeedKind kind = FeedKind::kRss;
  std::string_view ns;  // namespace of the core elements (RSS: usually "")
  pugi::xml_node root;
  pugi::xml_node channel;  // rss/channel, rdf:RDF/channel, atom:feed; null for a lone atom:entry
  std::string title;
  std::string link;
  std::string site;
  std::string language;
  std::optional<int64_t> date_ms;
  std::string_view date_fields;  // names of the channel date fields, for messages
  bool news = false;
  Author author;  // Atom feed-level author, inherited by entries without one
};

// What the root element says about the document, before anything else is read.
struct FeedShape {
  FeedKind kind = FeedKind::kRss;
  std::string item_qname;  // "item", "entry", "atom:entry", ...
};

Result<FeedShape> ShapeOf(pugi::xml_node root) {
  const std::string_view local = LocalName(root);
  const std::string qualified = root.name();
  auto prefixed = [](std::string_view prefix, std::string_view local_name) {
    return prefix.empty() ? std::string(local_name) : std::string(prefix).append(":").append(local_name);
  };
  if (EqualsIgnoreAsciiCase(local, "html")) return Status::InvalidArgument("the input is an HTML page, not a feed");
  if (local == "rss" || (local == "RDF" && NamespaceOf(root) == kRdfNs)) {
    pugi::xml_node channel;
    for (pugi::xml_node c = root.first_child(); c && !channel; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c) == "channel") channel = c;
    }
    const std::string_view prefix = channel ? PrefixOf(channel) : (local == "rss" ? PrefixOf(root) : "");
    return FeedShape{local == "rss" ? FeedKind::kRss : FeedKind::kRdf, prefixed(prefix, "item")};
  }
  if (local == "feed" || local == "entry") return FeedShape{FeedKind::kAtom, prefixed(PrefixOf(root), "entry")};
  return Status::InvalidArgument("the root element <" + SanitizeUtf8(TruncateUtf8(qualified, 60)) +
                                 "> is not rss, rdf:RDF or an Atom feed");
}

bool DeclaresGoogleNews(pugi::xml_node n) {
  for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
    if (std::string_view(a.name()).starts_with("xmlns") &&
        std::string_view(a.value()).starts_with(kGoogleNewsNsPrefix)) {
      return true;
    }
  }
  return false;
}

// Returns the href of the first atom:link under `parent` with rel
// "alternate" (or no rel), else of the first link with an href.
std::string AtomLink(pugi::xml_node parent, std::string_view ns) {
  std::string_view first;
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (!IsElement(c, ns, "link")) continue;
    const std::string_view href = TrimAscii(c.attribute("href").value());
    if (href.empty()) continue;
    const std::string_view rel = TrimAscii(c.attribute("rel").value());
    if (rel.empty() || rel == "alternate") return std::string(href);
    if (first.empty()) first = href;
  }
  return std::string(first);
}

// Returns the language of `n` from xml:lang on it or its nearest ancestor.
std::string InheritedXmlLang(pugi::xml_node n) {
  for (; n; n = n.parent()) {
    if (pugi::xml_attribute lang = n.attribute("xml:lang")) return PrimaryLanguage(lang.value());
  }
  return "";
}

// A date element: namespace, local name, syntax.
struct DateField {
  std::string_view ns;
  std::string_view local;
  DateSyntax syntax;
};

// Returns the first of `fields` under `parent` that holds a date.
std::optional<int64_t> FirstDate(pugi::xml_node parent, std::initializer_list<DateField> fields) {
  for (const DateField& field : fields) {
    if (pugi::xml_node n = Child(parent, field.ns, field.local)) {
      if (auto ms = ParseFeedDate(TextOf(n), field.syntax)) return ms;
    }
  }
  return std::nullopt;
}

void ReadRssChannel(FeedInfo& feed) {
  pugi::xml_node ch = feed.channel;
  feed.title = OneLine(HtmlToText(TextOf(Child(ch, feed.ns, "title"))));
  feed.link = TrimmedTextOf(Child(ch, feed.ns, "link"));
  if (!IsHttpUrl(feed.link)) feed.link = AtomLink(ch, kAtomNs);
  feed.date_ms = FirstDate(ch, {{feed.ns, "lastBuildDate", DateSyntax::kRfc822},
                                {feed.ns, "pubDate", DateSyntax::kRfc822},
                                {kDcNs, "date", DateSyntax::kRfc3339}});
  feed.date_fields = "lastBuildDate, pubDate or dc:date";
  feed.language = PrimaryLanguage(TextOf(Child(ch, feed.ns, "language")));
  if (feed.language.empty()) feed.language = PrimaryLanguage(TextOf(Child(ch, kDcNs, "language")));
  if (feed.language.empty()) feed.language = InheritedXmlLang(ch);
}

void ReadAtomFeed(FeedInfo& feed) {
  pugi::xml_node f = feed.channel;
  feed.title = OneLine(HtmlToText(TextOf(Child(f, feed.ns, "title"))));
  feed.link = AtomLink(f, feed.ns);
  feed.date_ms = FirstDate(f, {{feed.ns, "updated", DateSyntax::kRfc3339}});
  feed.date_fields = "updated";
  feed.language = InheritedXmlLang(f);
  if (pugi::xml_node author = Child(f, feed.ns, "author")) feed.author = AuthorFromAtom(author, feed.ns);
}

FeedInfo ReadFeedInfo(pugi::xml_node root, FeedKind kind) {
  FeedInfo feed;
  feed.kind = kind;
  feed.root = root;
  if (kind == FeedKind::kAtom) {
    feed.ns = NamespaceOf(root);
    if (LocalName(root) == "feed") {
      feed.channel = root;
      ReadAtomFeed(feed);
    } else {
      feed.language = InheritedXmlLang(root);
    }
  } else {
    for (pugi::xml_node c = root.first_child(); c && !feed.channel; c = c.next_sibling()) {
      if (c.type() == pugi::node_element && LocalName(c) == "channel") feed.channel = c;
    }
    feed.ns = feed.channel ? NamespaceOf(feed.channel) : (kind == FeedKind::kRdf ? kRss1Ns : NamespaceOf(root));
    if (feed.channel) ReadRssChannel(feed);
  }
  if (!IsHttpUrl(feed.link)) feed.link.clear();
  feed.site = SiteOfUrl(feed.link);
  feed.news = AsciiLower(feed.title).find("news") != std::string::npos ||
              (!IsForumHost(feed.site) && IsNewsHost(feed.site)) || DeclaresGoogleNews(root) ||
              (feed.channel && DeclaresGoogleNews(feed.channel));
  return feed;
}

// Returns the item/entry elements of the feed in document order.
std::vector<pugi::xml_node> FeedItems(const FeedInfo& feed) {
  std::vector<pugi::xml_node> items;
  if (!feed.root) return items;  // everything was cut out
  if (feed.kind == FeedKind::kAtom && !feed.channel) {
    items.push_back(feed.root);
    return items;
  }
  const std::string_view local = feed.kind == FeedKind::kAtom ? "entry" : "item";
  auto collect = [&](pugi::xml_node parent) {
    for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
      if (IsElement(c, feed.ns, local)) items.push_back(c);
    }
  };
  if (feed.channel) collect(feed.channel);
  if (feed.channel != feed.root) collect(feed.root);
  std::sort(items.begin(), items.end(),
            [](pugi::xml_node a, pugi::xml_node b) { return a.offset_debug() < b.offset_debug(); });
  return items;
}

// ---------------------------------------------------------------------------
// One item

// A date element of an item: which field, its text.
struct DateValue {
  std::string_view field;
  std::string text;
  DateSyntax syntax;
};

// Body or title source text, and whether it is HTML or plain text.
struct Markup {
  std::string source;
  bool is_html = false;
};

// What the format-specific readers take from an item, before the shared
// rules (ids, text conversion, dates, channel) turn it into a Mention.
struct ItemFields {
  std::string title;
  std::string guid;
  std::string url;
  Markup body;
  Author author;
  std::vector<DateValue> dates;  // in order of preference
  std::string language;
  int64_t replies = -1;
};

void AddDate(ItemFields& f, pugi::xml_node n, std::string_view field, DateSyntax syntax) {
  if (n) f.dates.push_back({field, TextOf(n), syntax});
}

int64_t CountOf(pugi::xml_node n) {
  std::optional<int64_t> v = ParseInt64(TrimAscii(TextOf(n)));
  return v && *v >= 0 ? *v : -1;
}

// Returns the first http(s) URL among `candidates`, resolved against the feed link.
std::string FirstHttpUrl(const FeedInfo& feed, std::initializer_list<std::string_view> candidates) {
  for (std::string_view c : candidates) {
    std::string url = ResolveUrl(feed.link, c);
    if (IsHttpUrl(url)) return url;
  }
  return "";
}

ItemFields ReadRssItem(const FeedInfo& feed, pugi::xml_node item) {
  ItemFields f;
  f.title = OneLine(HtmlToText(InnerMarkup(Child(item, feed.ns, "title"))));
  if (f.title.empty()) f.title = OneLine(DecodeEntities(TextOf(Child(item, kDcNs, "title"))));
  pugi::xml_node guid = Child(item, feed.ns, "guid");
  f.guid = TrimmedTextOf(guid);
  if (f.guid.empty()) f.guid = std::string(TrimAscii(AttributeByLocalName(item, "about")));  // RSS 1.0 rdf:about
  const bool guid_is_link = guid && !EqualsIgnoreAsciiCase(TrimAscii(guid.attribute("isPermaLink").value()), "false");
  f.url = FirstHttpUrl(
      feed, {TrimmedTextOf(Child(item, kFeedburnerNs, "origLink")), TrimmedTextOf(Child(item, feed.ns, "link")),
             guid_is_link ? std::string_view(f.guid) : std::string_view(), AtomLink(item, kAtomNs)});
  // RSS bodies are HTML by definition.
  f.body = {InnerMarkup(Child(item, kContentNs, "encoded")), true};
  if (TrimAscii(f.body.source).empty()) f.body.source = InnerMarkup(Child(item, feed.ns, "description"));
  pugi::xml_node author = Child(item, feed.ns, "author");
  if (!author || TrimAscii(TextOf(author)).empty()) author = Child(item, kDcNs, "creator");
  if (author) f.author = AuthorFromRss(TextOf(author));
  AddDate(f, Child(item, feed.ns, "pubDate"), "pubDate", DateSyntax::kRfc822);
  AddDate(f, Child(item, kDcNs, "date"), "dc:date", DateSyntax::kRfc3339);
  AddDate(f, Child(item, kAtomNs, "published"), "atom:published", DateSyntax::kRfc3339);
  AddDate(f, Child(item, kAtomNs, "updated"), "atom:updated", DateSyntax::kRfc3339);
  f.language = PrimaryLanguage(item.attribute("xml:lang").value());
  if (f.language.empty()) f.language = PrimaryLanguage(TextOf(Child(item, kDcNs, "language")));
  f.replies = CountOf(Child(item, kSlashNs, "comments"));
  return f;
}

// True when `s` holds an HTML end tag ("</p>") or a br, img or p tag.
bool LooksLikeHtml(std::string_view s) {
  for (size_t pos = s.find('<'); pos != std::string_view::npos; pos = s.find('<', pos + 1)) {
    size_t name = pos + 1;
    const bool end_tag = name < s.size() && s[name] == '/';
    if (end_tag) ++name;
    size_t name_end = name;
    while (name_end < s.size() && (IsAsciiAlpha(s[name_end]) || IsAsciiDigit(s[name_end]))) ++name_end;
    if (name_end == name || name_end >= s.size() ||
        (s[name_end] != '>' && s[name_end] != '/' && !IsAsciiSpace(s[name_end]))) {
      continue;
    }
    const std::string_view tag = s.substr(name, name_end - name);
    if (end_tag || EqualsIgnoreAsciiCase(tag, "br") || EqualsIgnoreAsciiCase(tag, "img") ||
        EqualsIgnoreAsciiCase(tag, "p")) {
      return true;
    }
  }
  return false;
}

// Reads an Atom text construct (title, summary, content). Out-of-line
// (src=) and binary content read as empty.
Markup AtomText(pugi::xml_node n) {
  if (!n || n.attribute("src")) return {"", false};
  const std::string type = AsciiLower(TrimAscii(n.attribute("type").value()));
  if (type.empty()) {
    // The default type is text, but feeds that leave the type out often
    // carry HTML (in CDATA); reading their markup as text would be worse.
    std::string markup = InnerMarkup(n);
    const bool html = LooksLikeHtml(markup);
    return {std::move(markup), html};
  }
  if (type == "text" || type == "text/plain") return {TextOf(n), false};
  if (type == "html" || type == "text/html") return {InnerMarkup(n), true};
  if (type == "xhtml" || type == "application/xhtml+xml") return {InnerMarkup(n), true};
  if (type.starts_with("text/")) return {TextOf(n), false};
  return {"", false};
}

ItemFields ReadAtomEntry(const FeedInfo& feed, pugi::xml_node entry) {
  ItemFields f;
  const std::string_view ns = feed.ns;
  const Markup title = AtomText(Child(entry, ns, "title"));
  // Titles of type text are often double-escaped ("AT&amp;amp;T"): decode references in them too.
  f.title = OneLine(title.is_html ? HtmlToText(title.source) : DecodeEntities(title.source));
  f.guid = TrimmedTextOf(Child(entry, ns, "id"));
  // An http(s) atom:id is the permalink of entries that have no link.
  f.url = FirstHttpUrl(feed, {TrimmedTextOf(Child(entry, kFeedburnerNs, "origLink")), AtomLink(entry, ns),
                              IsHttpUrl(f.guid) ? std::string_view(f.guid) : std::string_view()});
  f.body = AtomText(Child(entry, ns, "content"));
  if (TrimAscii(f.body.source).empty()) f.body = AtomText(Child(entry, ns, "summary"));
  pugi::xml_node author = Child(entry, ns, "author");
  f.author = author ? AuthorFromAtom(author, ns) : feed.author;
  AddDate(f, Child(entry, ns, "published"), "published", DateSyntax::kRfc3339);
  AddDate(f, Child(entry, ns, "updated"), "updated", DateSyntax::kRfc3339);
  AddDate(f, Child(entry, kDcNs, "date"), "dc:date", DateSyntax::kRfc3339);
  f.language = PrimaryLanguage(entry.attribute("xml:lang").value());
  f.replies = CountOf(Child(entry, kThreadNs, "total"));
  return f;
}

// Returns the item's time, falling back to the feed's; or the reason
// there is none, naming the field.
Result<int64_t> ResolveDate(const FeedInfo& feed, const ItemFields& f) {
  for (const DateValue& d : f.dates) {
    if (auto ms = ParseFeedDate(d.text, d.syntax)) return *ms;
  }
  if (feed.date_ms) return *feed.date_ms;
  if (!f.dates.empty()) {
    const DateValue& d = f.dates.front();
    return Status::InvalidArgument(std::string(d.field) + " \"" + OneLine(TruncateUtf8(d.text, 80)) +
                                   "\" is not a date, and the feed has no " + std::string(feed.date_fields) +
                                   " to fall back on");
  }
  const std::string_view wanted = feed.kind == FeedKind::kAtom ? "published or updated" : "pubDate or dc:date";
  return Status::InvalidArgument("no date: the item has no " + std::string(wanted) + " and the feed has no " +
                                 std::string(feed.date_fields.empty() ? "date" : feed.date_fields));
}

bool IsUriId(std::string_view id) {
  return IsHttpUrl(id) || StartsWithIgnoreAsciiCase(id, "tag:") || StartsWithIgnoreAsciiCase(id, "urn:");
}

std::string ExternalId(const ItemFields& f, std::string_view site) {
  if (!f.guid.empty()) {
    if (IsUriId(f.guid) || site.empty()) return f.guid;
    return std::string(site).append("/").append(f.guid);
  }
  if (!f.url.empty()) return f.url;
  const std::string_view date = f.dates.empty() ? std::string_view() : std::string_view(f.dates.front().text);
  return std::string(site).append("/").append(Hex64(Hash64(f.title + "\n" + std::string(TrimAscii(date)))));
}

Channel ChannelOf(const FeedInfo& feed, std::string_view site, const ParseContext& ctx) {
  if (ctx.channel) return *ctx.channel;
  if (IsForumHost(site) || IsForumHost(feed.site)) return Channel::kForum;
  if (feed.news || IsNewsHost(site)) return Channel::kNews;
  return Channel::kBlog;
}

Result<Mention> BuildMention(const FeedInfo& feed, pugi::xml_node item, const ParseContext& ctx) {
  ItemFields f = feed.kind == FeedKind::kAtom ? ReadAtomEntry(feed, item) : ReadRssItem(feed, item);
  Mention m;
  if (f.body.is_html) {
    HtmlContent body = ParseHtmlContent(f.body.source);
    m.text = std::move(body.text);
    m.links = std::move(body.links);
  } else {
    m.text = CollapsePlainText(f.body.source);
  }
  if (f.title.empty() && m.text.empty() && f.url.empty()) {
    return Status::InvalidArgument("the item has no title, no text and no link");
  }
  EARSHOT_ASSIGN_OR_RETURN(m.created_at_ms, ResolveDate(feed, f));
  m.source = "feed";
  // "&#1;" decodes to a control character; a guid of nothing else is none.
  f.guid = SanitizeUtf8(f.guid);
  m.url = f.url;
  m.site = SiteOfUrl(m.url);
  if (m.site.empty()) m.site = feed.site;
  m.external_id = ExternalId(f, m.site);
  m.id = MakeMentionId(m.source, m.external_id);
  m.channel = ChannelOf(feed, m.site, ctx);
  m.title = std::move(f.title);
  m.author = std::move(f.author);
  m.language = f.language.empty() ? feed.language : std::move(f.language);
  m.engagement.replies = f.replies;
  CleanMentionStrings(m);
  return m;
}

// ---------------------------------------------------------------------------
// The document

pugi::xml_parse_result LoadXml(pugi::xml_document& doc, std::string_view text) {
  // parse_ws_pcdata keeps the spaces between inline elements of Atom xhtml
  // content ("<b>a</b> <i>b</i>"); TextOf joins all character data anyway.
  return doc.load_buffer(text.data(), text.size(), pugi::parse_default | pugi::parse_ws_pcdata, pugi::encoding_utf8);
}

size_t ErrorOffset(const pugi::xml_parse_result& result) {
  return static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0));
}

// What one item became, at its offset in the decoded text.
struct Outcome {
  size_t offset = 0;
  std::optional<Mention> mention;
  std::string reason;  // when there is no mention
  std::string raw;     // the item's source text, kept for rejects only
};

Outcome MakeOutcome(const FeedInfo& feed, pugi::xml_node item, size_t offset, std::string_view raw,
                    const ParseContext& ctx) {
  Outcome out{offset, std::nullopt, "", ""};
  if (raw.size() > ctx.max_record_bytes) {
    out.reason = "the item is " + std::to_string(raw.size()) + " bytes, over max_record_bytes (" +
                 std::to_string(ctx.max_record_bytes) + ")";
    out.raw = TruncateUtf8(raw, ctx.max_record_bytes);
    return out;
  }
  Result<Mention> mention = BuildMention(feed, item, ctx);
  if (mention.ok()) {
    out.mention = std::move(mention).value();
  } else {
    out.reason = mention.status().message();
    out.raw = raw;
  }
  return out;
}

// Returns the index of the innermost item span around `offset` that has
// not been cut yet, or -1.
int SpanAround(const std::vector<ItemSpan>& spans, size_t offset) {
  int found = -1;
  for (size_t i = 0; i < spans.size() && spans[i].begin <= offset; ++i) {
    if (!spans[i].cut && (spans[i].end == std::string_view::npos || offset < spans[i].end)) found = static_cast<int>(i);
  }
  return found;
}

std::string_view SpanText(std::string_view text, const ItemSpan& span) {
  return text.substr(span.begin, span.stop - span.begin);
}

// The parsed document. Items that keep it from being well-formed are cut
// out of the text (and rejected) and the rest is parsed again, so one
// broken item costs only itself.
class FeedDocument {
 public:
  FeedDocument(std::string_view text, const LineIndex& lines) : text_(text), lines_(lines), cut_(text) {}

  // Parses the whole text; call before anything else.
  void Load() { first_result_ = result_ = LoadXml(doc_, text_); }

  pugi::xml_node Root() const { return doc_.document_element(); }
  const pugi::xml_parse_result& first_result() const { return first_result_; }

  // Describes a parse error at offset `at` of the whole text.
  std::string ErrorAt(const pugi::xml_parse_result& result, size_t at) const {
    return "XML error at line " + std::to_string(lines_.LineOf(at)) + ": " + result.description();
  }

  // An error the repairs left: where it is in the whole text, and what.
  struct Break {
    size_t offset;
    std::string message;
  };

  // Cuts broken items out until the text parses, adding a reject per item
  // cut to `outcomes`. Returns the error that could not be repaired this
  // way (one outside any item, or one past kMaxRepairs), if any; the tree
  // then ends there.
  std::optional<Break> Repair(std::vector<ItemSpan>& spans, std::vector<Outcome>& outcomes) {
    for (int round = 0; !result_ && round < kMaxRepairs; ++round) {
      const size_t at = cut_.ToOriginal(ErrorOffset(result_));
      if (!CutAround(spans, at, ErrorAt(result_, at), outcomes)) break;
      result_ = LoadXml(doc_, cut_.text());
    }
    if (result_) return std::nullopt;
    const size_t at = cut_.ToOriginal(ErrorOffset(result_));
    return Break{at, ErrorAt(result_, at)};
  }

  // Returns the offset in the whole text of the '<' that starts `node`.
  size_t OffsetOf(pugi::xml_node node) const {
    const ptrdiff_t off = node.offset_debug();
    return cut_.ToOriginal(off > 0 ? static_cast<size_t>(off - 1) : 0);
  }

 private:
  // Cuts out the item around the error (rejecting it) or, for an error
  // between two items, the stretch between them (channel elements, no
  // record). Returns false when neither applies.
  bool CutAround(std::vector<ItemSpan>& spans, size_t at, const std::string& error, std::vector<Outcome>& outcomes) {
    const int s = SpanAround(spans, at);
    if (s < 0 || IsWellFormed(spans[static_cast<size_t>(s)])) return CutBetweenItems(spans, at);
    const size_t index = static_cast<size_t>(s);
    // A never closed item is cut up to the next item, which may be nested in it.
    const size_t end = spans[index].stop;
    std::string reason = "not well-formed: " + error;
    if (spans[index].end == std::string_view::npos) {
      reason += end == text_.size() ? " (the input ends inside this item)" : " (the item has no end tag)";
    }
    // Items nested inside the cut part go with it.
    for (size_t k = index; k < spans.size() && spans[k].begin < end; ++k) spans[k].cut = true;
    outcomes.push_back({spans[index].begin, std::nullopt, std::move(reason),
                        std::string(text_.substr(spans[index].begin, end - spans[index].begin))});
    return cut_.Cut(spans[index].begin, end);
  }

  // True when the closed item `span` parses on its own: pugixml may place
  // an error that lies after an item (a missing </rss>) on its last tag.
  bool IsWellFormed(const ItemSpan& span) const {
    if (span.end == std::string_view::npos) return false;
    pugi::xml_document probe;
    return static_cast<bool>(LoadXml(probe, SpanText(text_, span)));
  }

  bool CutBetweenItems(const std::vector<ItemSpan>& spans, size_t at) {
    size_t prev_end = std::string_view::npos;
    size_t next_begin = std::string_view::npos;
    for (const ItemSpan& span : spans) {
      if (span.cut) continue;
      if (span.end != std::string_view::npos && span.end <= at) prev_end = span.end;
      if (span.begin > at) {
        next_begin = span.begin;
        break;
      }
    }
    if (prev_end == std::string_view::npos || next_begin == std::string_view::npos) return false;
    return cut_.Cut(prev_end, next_begin);
  }

  std::string_view text_;
  const LineIndex& lines_;
  CutText cut_;
  pugi::xml_document doc_;
  pugi::xml_parse_result first_result_;
  pugi::xml_parse_result result_;
};

// Parses items one at a time inside copies of the document's root (and
// channel) start tags, which carry the namespace declarations. This reads
// the items the whole-document parse could not reach: those after a break
// outside any item, or inside unexpected elements.
class LoneItemParser {
 public:
  LoneItemParser(std::string_view text, const LineIndex& lines, const FeedDocument& doc, const FeedInfo& feed,
                 std::string_view item_qname)
      : text_(text), lines_(lines), item_qname_(item_qname) {
    AddWrapper(doc, feed.root);
    if (feed.kind == FeedKind::kRss && feed.channel) AddWrapper(doc, feed.channel);
  }

  Outcome Parse(const FeedInfo& feed, const ItemSpan& span, const ParseContext& ctx) {
    const std::string_view raw = SpanText(text_, span);
    const std::string wrapped = open_ + std::string(raw) + close_;
    pugi::xml_document doc;
    const pugi::xml_parse_result result = LoadXml(doc, wrapped);
    pugi::xml_node item =
        doc.find_node([&](pugi::xml_node n) { return n.type() == pugi::node_element && n.name() == item_qname_; });
    if (!result || !item) {
      const size_t in_raw = std::min(ErrorOffset(result) - std::min(ErrorOffset(result), open_.size()), raw.size());
      return {span.begin, std::nullopt,
              "not well-formed: XML error at line " + std::to_string(lines_.LineOf(span.begin + in_raw)) + ": " +
                  result.description(),
              std::string(raw)};
    }
    return MakeOutcome(feed, item, span.begin, raw, ctx);
  }

 private:
  void AddWrapper(const FeedDocument& doc, pugi::xml_node element) {
    if (!element) return;
    const size_t begin = doc.OffsetOf(element);
    const size_t end = TagEnd(text_, begin);
    // Each item parse copies the wrapper: leave out absurdly long start tags.
    if (end == std::string_view::npos || end - begin > kMaxWrapperTagBytes || text_[end - 2] == '/') return;
    open_.append(text_.substr(begin, end - begin));
    close_.insert(0, "</" + std::string(element.name()) + ">");
  }

  std::string_view text_;
  const LineIndex& lines_;
  std::string item_qname_;
  std::string open_;
  std::string close_;
};

Status NotAFeed(const ParseContext& ctx, std::string_view problem) {
  return Status::InvalidArgument("feed " + std::string(ctx.file) + ": " + std::string(problem));
}

// Describes input that did not even yield a root element.
std::string NoRootProblem(std::string_view text, const pugi::xml_parse_result& result, const LineIndex& lines) {
  std::string_view t = TrimAscii(text);
  if (!t.starts_with("<")) {
    return "not XML: the input starts with \"" + SanitizeUtf8(OneLine(TruncateUtf8(t, 40))) + "\"";
  }
  return "not XML: " + std::string(result.description()) + " at line " +
         std::to_string(lines.LineOf(ErrorOffset(result)));
}

void Emit(std::vector<Outcome>& outcomes, const LineIndex& lines, const ParseContext& ctx, RecordSink& sink) {
  std::stable_sort(outcomes.begin(), outcomes.end(),
                   [](const Outcome& a, const Outcome& b) { return a.offset < b.offset; });
  int64_t index = ctx.first_index;
  for (Outcome& o : outcomes) {
    const RecordRef ref{lines.LineOf(o.offset), index++};
    if (o.mention) {
      sink.OnMention(std::move(*o.mention), ref);
    } else {
      sink.OnReject(ref, std::move(o.reason), o.raw);
    }
  }
}

}  // namespace

Status FeedConnector::Parse(std::string_view input, const ParseContext& ctx, RecordSink& sink) {
  Result<std::string> decoded = DecodeDocument(input);
  if (!decoded.ok()) return NotAFeed(ctx, decoded.status().message());
  const std::string& text = *decoded;
  if (TrimAscii(text).empty()) return NotAFeed(ctx, "the input is empty");
  const LineIndex lines(text);

  FeedDocument doc(text, lines);
  doc.Load();
  if (!doc.Root()) return NotAFeed(ctx, NoRootProblem(text, doc.first_result(), lines));
  Result<FeedShape> shape = ShapeOf(doc.Root());
  if (!shape.ok()) return NotAFeed(ctx, shape.status().message());

  std::vector<ItemSpan> spans = ScanItemSpans(text, shape->item_qname);
  std::vector<Outcome> outcomes;
  const std::optional<FeedDocument::Break> unrepaired = doc.Repair(spans, outcomes);
  const FeedInfo feed = ReadFeedInfo(doc.Root(), shape->kind);

  std::vector<bool> read(spans.size(), false);
  for (pugi::xml_node item : FeedItems(feed)) {
    const size_t offset = doc.OffsetOf(item);
    auto it = std::lower_bound(spans.begin(), spans.end(), offset,
                               [](const ItemSpan& s, size_t off) { return s.begin < off; });
    if (it != spans.end() && it->begin == offset) {
      // pugixml keeps the part of an item it read before an error; such an
      // item is parsed alone below instead.
      if (unrepaired && it->stop > unrepaired->offset) continue;
      read[static_cast<size_t>(it - spans.begin())] = true;
      outcomes.push_back(MakeOutcome(feed, item, offset, SpanText(text, *it), ctx));
    } else if (!unrepaired) {  // an item under a prefix the scan did not look for
      outcomes.push_back(MakeOutcome(feed, item, offset, Serialize(item), ctx));
    } else {  // ... whose end cannot be checked
      outcomes.push_back({offset, std::nullopt, "not read: " + unrepaired->message, Serialize(item)});
    }
  }
  // Items the tree did not yield are parsed alone, except those nested in
  // an item already accounted for (which keeps this linear).
  LoneItemParser lone(text, lines, doc, feed, shape->item_qname);
  size_t covered_until = 0;
  for (size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].begin < covered_until) continue;
    if (!spans[i].cut && !read[i]) outcomes.push_back(lone.Parse(feed, spans[i], ctx));
    covered_until = std::max(covered_until, spans[i].stop);
  }
  if (outcomes.empty() && unrepaired) return NotAFeed(ctx, unrepaired->message + "; no item could be read");
  Emit(outcomes, lines, ctx, sink);
  return Status::Ok();
}

std::unique_ptr<Connector> NewFeedConnector() { return std::make_unique<FeedConnector>(); }

}  // namespace earshot::ingest
