#include "ingest/html_text.h"

#include <gumbo.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_set>

#include "core/strings.h"
#include "core/utf8.h"

namespace earshot::ingest {
namespace {

// ---------------------------------------------------------------------------
// Character references

struct NamedEntity {
  std::string_view name;
  char32_t code_point;
};

constexpr NamedEntity kNamedEntities[] = {
#include "ingest/html_entities.inc"
};

constexpr bool EntityNameLess(const NamedEntity& a, const NamedEntity& b) { return a.name < b.name; }
static_assert(std::is_sorted(std::begin(kNamedEntities), std::end(kNamedEntities), EntityNameLess));

// Longest name in kNamedEntities ("thetasym") plus slack; longer runs of
// letters after '&' are never references.
constexpr size_t kMaxEntityNameLength = 10;

std::optional<char32_t> LookupNamedEntity(std::string_view name) {
  const NamedEntity key{name, 0};
  const auto* it = std::lower_bound(std::begin(kNamedEntities), std::end(kNamedEntities), key, EntityNameLess);
  if (it == std::end(kNamedEntities) || it->name != name) return std::nullopt;
  return it->code_point;
}

// References that browsers (and so feed authors) accept without ';'.
bool IsLegacyEntityName(std::string_view name) {
  return name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp";
}

bool IsAsciiAlnum(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

int HexDigitValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  if ((c | 32) >= 'a' && (c | 32) <= 'f') return (c | 32) - 'a' + 10;
  return -1;
}

// Appends the character a numeric reference names, the way HTML5 browsers
// map the values that are not characters.
void AppendReferencedCodePoint(std::string& out, uint32_t v) {
  if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
    AppendUtf8(out, kReplacementChar);
  } else if (v >= 0x80 && v < 0xA0) {
    out += Windows1252ToUtf8(std::string(1, static_cast<char>(v)));
  } else if ((v < 0x20 && v != '\t' && v != '\n' && v != '\r') || v == 0x7F) {
    // Control characters carry no text; drop them.
  } else {
    AppendUtf8(out, static_cast<char32_t>(v));
  }
}

// Decodes "&#123;" / "&#x7B;" at `amp` into `out`; returns the bytes
// consumed, or 0 when there is no numeric reference there.
size_t DecodeNumericReference(std::string_view s, size_t amp, std::string& out) {
  size_t i = amp + 2;
  const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
  if (hex) ++i;
  const size_t digits = i;
  uint32_t v = 0;
  for (; i < s.size(); ++i) {
    int d = hex ? HexDigitValue(s[i]) : (IsAsciiDigit(s[i]) ? s[i] - '0' : -1);
    if (d < 0) break;
    if (v <= 0x10FFFF) v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);  // saturates past U+10FFFF
  }
  if (i == digits) return 0;
  if (i < s.size() && s[i] == ';') ++i;
  AppendReferencedCodePoint(out, v);
  return i - amp;
}

// Decodes the character reference starting at s[amp] == '&' into `out`;
// returns the bytes consumed, or 0 when there is no known reference there.
size_t DecodeReference(std::string_view s, size_t amp, std::string& out) {
  if (amp + 1 < s.size() && s[amp + 1] == '#') return DecodeNumericReference(s, amp, out);
  size_t i = amp + 1;
  while (i < s.size() && i - amp - 1 < kMaxEntityNameLength && IsAsciiAlnum(s[i])) ++i;
  std::string_view name = s.substr(amp + 1, i - amp - 1);
  const bool semicolon = i < s.size() && s[i] == ';';
  if (name.empty() || (!semicolon && !IsLegacyEntityName(name))) return 0;
  std::optional<char32_t> cp = LookupNamedEntity(name);
  if (!cp) return 0;
  AppendUtf8(out, *cp);
  return i - amp + (semicolon ? 1 : 0);
}

bool IsUnwantedControl(unsigned char c) { return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F; }

// Makes `s` valid UTF-8 without stray control characters or DEL; for the
// usual clean input a no-op of two fast scans (eight bytes at a time, then
// memchr).
void MakeClean(std::string& s) {
  if (!IsCleanUtf8(s) || s.find('\x7f') != std::string::npos) s = SanitizeUtf8(s);
}

void DecodeEntitiesUnchecked(std::string_view s, std::string& out) {
  size_t amp = s.find('&');
  if (amp == std::string_view::npos) {
    out.assign(s);
    return;
  }
  out.clear();
  out.reserve(s.size());
  size_t pos = 0;
  while (amp != std::string_view::npos) {
    out.append(s.substr(pos, amp - pos));
    size_t used = DecodeReference(s, amp, out);
    if (used == 0) {
      out.push_back('&');
      used = 1;
    }
    pos = amp + used;
    amp = s.find('&', pos);
  }
  out.append(s.substr(pos));
}

std::string DecodeEntitiesUnchecked(std::string_view s) {
  std::string out;
  DecodeEntitiesUnchecked(s, out);
  return out;
}

// ---------------------------------------------------------------------------
// Text assembly

enum class Gap : uint8_t { kNone, kSpace, kNewline };

// Accumulates text, collapsing whitespace: a gap requested between two runs
// of visible characters becomes one ' ' or '\n'; gaps at either end vanish.
class TextBuilder {
 public:
  // Requests at least `gap` before the next visible character.
  void Break(Gap gap) { pending_ = std::max(pending_, gap); }

  // Appends character data. With `keep_lines`, line breaks in `s` stay
  // line breaks (pre elements, plain text); otherwise they are spaces.
  void AddText(std::string_view s, bool keep_lines) {
    // Repair first: dropping the control in "\xC2\x01\xA0" would otherwise
    // join two stray bytes into a no-break space that is never collapsed.
    std::string repaired;
    if (!IsValidUtf8(s)) {
      repaired = SanitizeUtf8(s);
      s = repaired;
    }
    size_t i = 0;
    while (i < s.size()) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      if (c == '\n' || c == '\r') {
        Break(keep_lines ? Gap::kNewline : Gap::kSpace);
        ++i;
      } else if (c == ' ' || c == '\t' || c == '\f' || c == '\v') {
        Break(Gap::kSpace);
        ++i;
      } else if (IsUnwantedControl(c)) {
        ++i;
      } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
        Break(Gap::kSpace);  // U+00A0 no-break space
        i += 2;
      } else {
        size_t j = i + 1;
        while (j < s.size() && IsPlainByte(static_cast<unsigned char>(s[j]))) ++j;
        Emit(s.substr(i, j - i));
        i = j;
      }
    }
  }

  // Returns the text; the builder is left empty.
  std::string Finish() {
    pending_ = Gap::kNone;
    MakeClean(out_);
    return std::move(out_);
  }

 private:
  static bool IsPlainByte(unsigned char c) { return c > 0x20 && c != 0x7F && c != 0xC2; }

  void Emit(std::string_view run) {
    if (pending_ != Gap::kNone && !out_.empty()) out_.push_back(pending_ == Gap::kNewline ? '\n' : ' ');
    pending_ = Gap::kNone;
    out_.append(run);
  }

  std::string out_;
  Gap pending_ = Gap::kNone;
};

// Collects absolute http(s) links once each, in first-seen order.
class LinkCollector {
 public:
  void Add(std::string_view href) {
    href = TrimAscii(href);
    if (!StartsWithIgnoreAsciiCase(href, "http://") && !StartsWithIgnoreAsciiCase(href, "https://")) return;
    std::string url;
    url.reserve(href.size());
    // URL parsers drop tabs and line breaks inside a URL; so do we.
    for (char c : href) {
      if (c != '\t' && c != '\n' && c != '\r') url.push_back(c);
    }
    MakeClean(url);
    if (url.size() <= 8 || !seen_.insert(url).second) return;
    links_.push_back(std::move(url));
  }

  std::vector<std::string> Take() { return std::move(links_); }

 private:
  std::vector<std::string> links_;
  std::unordered_set<std::string> seen_;
};

// ---------------------------------------------------------------------------
// Element classes

enum class TagKind : uint8_t {
  kInline,     // text flows through
  kBlock,      // starts and ends a line
  kCell,       // table cell: separated by a space
  kLineBreak,  // br
  kHidden,     // contents are not visible text
};

TagKind KindOf(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_NOFRAMES:
    case GUMBO_TAG_NOEMBED:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_VIDEO:
      return TagKind::kHidden;
    case GUMBO_TAG_BR:
      return TagKind::kLineBreak;
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
      return TagKind::kCell;
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIR:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_LISTING:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MENU:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_P:
    case GUMBO_TAG_PLAINTEXT:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_XMP:
      return TagKind::kBlock;
    default:
      return TagKind::kInline;
  }
}

bool KeepsLines(GumboTag tag) {
  return tag == GUMBO_TAG_PRE || tag == GUMBO_TAG_LISTING || tag == GUMBO_TAG_PLAINTEXT || tag == GUMBO_TAG_XMP;
}

// Elements that never have children.
bool IsVoidElement(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_AREA:
    case GUMBO_TAG_BASE:
    case GUMBO_TAG_BASEFONT:
    case GUMBO_TAG_BGSOUND:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_COL:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_FRAME:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_IMAGE:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_KEYGEN:
    case GUMBO_TAG_LINK:
    case GUMBO_TAG_META:
    case GUMBO_TAG_PARAM:
    case GUMBO_TAG_SOURCE:
    case GUMBO_TAG_TRACK:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

// Elements whose start tag closes an open element of the same family, so
// that repeating them does not deepen the tree.
bool ClosesItsSibling(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH:
    case GUMBO_TAG_OPTION:
    case GUMBO_TAG_OPTGROUP:
    case GUMBO_TAG_RB:
    case GUMBO_TAG_RT:
    case GUMBO_TAG_RTC:
    case GUMBO_TAG_RP:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_COLGROUP:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------
// Nesting guard. gumbo's tree builder is quadratic in the depth of open
// elements (100,000 nested <div> take minutes) and recurses per level (a few
// hundred thousand nested <b> overflow the stack). Real HTML nests a few
// dozen levels, so input that may nest deeper than this goes to the simple
// tag stripper below instead.

constexpr size_t kMaxGumboDepth = 400;
// How far down the open-element stack a close tag may reach. A close tag
// that matches nothing that near is ignored, so mismatched markup can only
// over-estimate the depth (which is the safe direction).
constexpr size_t kCloseTagReach = 8;

size_t TagNameEnd(std::string_view html, size_t pos) {
  while (pos < html.size() && (IsAsciiAlnum(html[pos]) || html[pos] == '-' || html[pos] == ':')) ++pos;
  return pos;
}

bool MayNestTooDeep(std::string_view html) {
  std::vector<GumboTag> open;
  size_t pos = 0;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    ++pos;
    const bool close = pos < html.size() && html[pos] == '/';
    if (close) ++pos;
    if (pos >= html.size() || !IsAsciiAlpha(html[pos])) continue;
    const size_t end = TagNameEnd(html, pos);
    const GumboTag tag = gumbo_tagn_enum(html.data() + pos, static_cast<unsigned>(end - pos));
    pos = end;
    if (close) {
      const size_t reach = std::min(open.size(), kCloseTagReach);
      for (size_t k = 1; k <= reach; ++k) {
        if (open[open.size() - k] == tag) {
          open.resize(open.size() - k);
          break;
        }
      }
    } else if (!IsVoidElement(tag) && !ClosesItsSibling(tag)) {
      open.push_back(tag);
      if (open.size() > kMaxGumboDepth) return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// The gumbo path

const GumboOptions& ParseOptions() {
  static const GumboOptions options = [] {
    GumboOptions o = kGumboDefaultOptions;
    o.max_errors = 0;  // parse errors are of no use here; don't record them
    return o;
  }();
  return options;
}

struct GumboOutputFree {
  void operator()(GumboOutput* output) const { gumbo_destroy_output(&ParseOptions(), output); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboOutputFree>;

// Walks the element tree under `root` without recursion, feeding visible
// text to `text` and <a href> values to `links` (either may be null).
void WalkTree(const GumboNode* root, TextBuilder* text, LinkCollector* links) {
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  std::vector<Frame> stack;
  int keep_lines_depth = 0;
  auto enter = [&](const GumboNode* node) {
    const GumboTag tag = node->v.element.tag;
    const TagKind kind = KindOf(tag);
    if (kind == TagKind::kHidden) return false;
    if (links && tag == GUMBO_TAG_A) {
      if (const GumboAttribute* href = gumbo_get_attribute(&node->v.element.attributes, "href"))
        links->Add(href->value);
    }
    if (text) {
      if (kind == TagKind::kBlock || kind == TagKind::kLineBreak) text->Break(Gap::kNewline);
      if (kind == TagKind::kCell) text->Break(Gap::kSpace);
    }
    if (KeepsLines(tag)) ++keep_lines_depth;
    return true;
  };
  auto leave = [&](const GumboNode* node) {
    const GumboTag tag = node->v.element.tag;
    const TagKind kind = KindOf(tag);
    if (text && kind == TagKind::kBlock) text->Break(Gap::kNewline);
    if (text && kind == TagKind::kCell) text->Break(Gap::kSpace);
    if (KeepsLines(tag)) --keep_lines_depth;
  };

  if (root == nullptr || root->type != GUMBO_NODE_ELEMENT || !enter(root)) return;
  stack.push_back({root, 0});
  while (!stack.empty()) {
    const GumboNode* node = stack.back().node;
    const GumboVector& children = node->v.element.children;
    if (stack.back().next_child >= children.length) {
      leave(node);
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[stack.back().next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        if (text) text->AddText(child->v.text.text, keep_lines_depth > 0);
        break;
      case GUMBO_NODE_ELEMENT:
        if (enter(child)) stack.push_back({child, 0});
        break;
      default:  // comments; template contents are never visible
        break;
    }
  }
}

// ---------------------------------------------------------------------------
// The fallback path: a linear tag stripper for pathological nesting.

// Returns the position of "</name" (any case) at or after `pos`, or npos.
size_t FindCloseTag(std::string_view html, size_t pos, std::string_view name) {
  while ((pos = html.find("</", pos)) != std::string_view::npos) {
    if (StartsWithIgnoreAsciiCase(html.substr(pos + 2), name)) return pos;
    pos += 2;
  }
  return std::string_view::npos;
}

// Reads the attributes of a start tag from `pos` (just after its name) to
// its '>'; passes an href value to `links` when `is_anchor`. Returns the
// position after the '>'.
size_t ReadAttributes(std::string_view html, size_t pos, bool is_anchor, LinkCollector* links) {
  while (pos < html.size() && html[pos] != '>') {
    if (IsAsciiSpace(html[pos]) || html[pos] == '/') {
      ++pos;
      continue;
    }
    size_t name_end = pos + 1;  // at least one character, so the loop advances
    while (name_end < html.size() && !IsAsciiSpace(html[name_end]) && html[name_end] != '=' && html[name_end] != '>' &&
           html[name_end] != '/') {
      ++name_end;
    }
    std::string_view name = html.substr(pos, name_end - pos);
    pos = name_end;
    while (pos < html.size() && IsAsciiSpace(html[pos])) ++pos;
    if (pos >= html.size() || html[pos] != '=') continue;
    ++pos;
    while (pos < html.size() && IsAsciiSpace(html[pos])) ++pos;
    size_t value_begin = pos;
    size_t value_end;
    if (pos < html.size() && (html[pos] == '"' || html[pos] == '\'')) {
      ++value_begin;
      value_end = std::min(html.find(html[pos], value_begin), html.size());
      pos = std::min(value_end + 1, html.size());
    } else {
      while (pos < html.size() && !IsAsciiSpace(html[pos]) && html[pos] != '>') ++pos;
      value_end = pos;
    }
    if (is_anchor && links && EqualsIgnoreAsciiCase(name, "href")) {
      links->Add(DecodeEntitiesUnchecked(html.substr(value_begin, value_end - value_begin)));
    }
  }
  return pos < html.size() ? pos + 1 : html.size();
}

// Consumes the markup that starts at html[lt] == '<'; returns where the
// text after it starts.
size_t ConsumeMarkup(std::string_view html, size_t lt, TextBuilder* text, LinkCollector* links) {
  std::string_view rest = html.substr(lt);
  if (rest.starts_with("<!--")) {
    size_t end = html.find("-->", lt + 4);
    return end == std::string_view::npos ? html.size() : end + 3;
  }
  const bool close = rest.size() > 1 && rest[1] == '/';
  const size_t name_begin = lt + (close ? 2 : 1);
  if (rest.starts_with("<!") || rest.starts_with("<?") || (close && name_begin >= html.size())) {
    size_t end = html.find('>', lt);
    return end == std::string_view::npos ? html.size() : end + 1;
  }
  if (name_begin >= html.size() || !IsAsciiAlpha(html[name_begin])) {
    if (text) text->AddText("<", false);  // a literal '<'
    return lt + 1;
  }
  const size_t name_end = TagNameEnd(html, name_begin);
  std::string_view name = html.substr(name_begin, name_end - name_begin);
  const GumboTag tag = gumbo_tagn_enum(name.data(), static_cast<unsigned>(name.size()));
  const TagKind kind = KindOf(tag);
  size_t after;
  if (close) {
    size_t end = html.find('>', name_end);
    after = end == std::string_view::npos ? html.size() : end + 1;
  } else {
    after = ReadAttributes(html, name_end, tag == GUMBO_TAG_A, links);
    if (kind == TagKind::kHidden && !IsVoidElement(tag)) {
      size_t end = FindCloseTag(html, after, name);
      end = end == std::string_view::npos ? html.size() : html.find('>', end);
      after = end == std::string_view::npos ? html.size() : end + 1;
    }
  }
  if (text) {
    if (kind == TagKind::kBlock || (kind == TagKind::kLineBreak && !close)) text->Break(Gap::kNewline);
    if (kind == TagKind::kCell) text->Break(Gap::kSpace);
  }
  return after;
}

void StripTags(std::string_view html, TextBuilder* text, LinkCollector* links) {
  size_t pos = 0;
  while (pos < html.size()) {
    size_t lt = html.find('<', pos);
    size_t text_end = lt == std::string_view::npos ? html.size() : lt;
    if (text && text_end > pos) text->AddText(DecodeEntitiesUnchecked(html.substr(pos, text_end - pos)), false);
    if (lt == std::string_view::npos) break;
    pos = ConsumeMarkup(html, lt, text, links);
  }
}

// ---------------------------------------------------------------------------

void ExtractHtml(std::string_view html, TextBuilder* text, LinkCollector* links) {
  if (html.find('<') == std::string_view::npos) {
    if (text) text->AddText(DecodeEntitiesUnchecked(html), false);
    return;
  }
  if (!MayNestTooDeep(html)) {
    GumboOutputPtr output(gumbo_parse_with_options(&ParseOptions(), html.data(), html.size()));
    if (output) {
      WalkTree(output->root, text, links);
      return;
    }
  }
  StripTags(html, text, links);
}

}  // namespace

std::string HtmlToText(std::string_view html) {
  TextBuilder text;
  ExtractHtml(html, &text, nullptr);
  return text.Finish();
}

std::vector<std::string> HtmlLinks(std::string_view html) {
  LinkCollector links;
  if (html.find('<') != std::string_view::npos) ExtractHtml(html, nullptr, &links);
  return links.Take();
}

HtmlContent ParseHtmlContent(std::string_view html) {
  TextBuilder text;
  LinkCollector links;
  ExtractHtml(html, &text, &links);
  return HtmlContent{text.Finish(), links.Take()};
}

void DecodeEntitiesInto(std::string_view s, std::string& out) {
  DecodeEntitiesUnchecked(s, out);
  MakeClean(out);
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  DecodeEntitiesInto(s, out);
  return out;
}

std::string CollapsePlainText(std::string_view s) {
  TextBuilder text;
  text.AddText(s, /*keep_lines=*/true);
  return text.Finish();
}

}  // namespace earshot::ingest
