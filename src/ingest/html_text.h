// HTML to plain text for connectors: feed bodies, Mastodon statuses, Hacker
// News comments and Reddit self-texts arrive as HTML (or as text sprinkled
// with character references) and every Mention carries plain UTF-8 text.
//
// All functions are pure and thread-safe. Whatever the input holds, their
// output is valid UTF-8 without C0 control characters other than tab, LF
// and CR (HtmlToText and CollapsePlainText leave only '\n').
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace earshot::ingest {

// The visible text of an HTML fragment together with its outbound links.
struct HtmlContent {
  std::string text;                // as HtmlToText returns it
  std::vector<std::string> links;  // as HtmlLinks returns them
};

// Returns the visible text of `html` (a fragment or a whole page), parsed
// with gumbo: the contents of head, script, style, noscript, template, svg
// and math are dropped, as is the fallback content of iframe, object, video,
// audio and canvas; block elements (p, div, br, li, h1-h6, tr, blockquote, pre,
// ...) become line breaks and table cells spaces, so words of neighbouring
// blocks never run together; character references are decoded; runs of
// whitespace (and no-break spaces) collapse to one space, at most one '\n'
// separates blocks, and both ends are trimmed. Input without '<' skips the
// HTML parser: it is entity-decoded and whitespace-collapsed only. Markup
// nested deeper than gumbo handles in linear time goes to a simple tag
// stripper instead, so hostile input costs linear time too.
std::string HtmlToText(std::string_view html);

// Returns the absolute http(s) hrefs of the <a> elements of `html`, in
// document order, each once. Relative and non-http links are left out.
std::vector<std::string> HtmlLinks(std::string_view html);

// Returns HtmlToText(html) and HtmlLinks(html) from a single parse.
HtmlContent ParseHtmlContent(std::string_view html);

// Returns `s` with HTML character references decoded: the HTML 4 named
// references (&amp; &lt; &nbsp; &eacute; &hellip; &rsquo; ...) and &apos;,
// decimal (&#8217;) and hexadecimal (&#x2019;) references. A reference needs
// its ';' except the numeric ones and &amp &lt &gt &quot &nbsp. Unknown
// references are kept as written. Numeric references to 0x80-0x9F decode
// as Windows-1252 (as browsers do, since feeds often write &#146; for ’);
// NUL, surrogates and values past U+10FFFF become U+FFFD; C0 controls other
// than tab, LF and CR are dropped. Ill-formed UTF-8 in `s` becomes U+FFFD.
// Whitespace is left as it is.
std::string DecodeEntities(std::string_view s);
// As DecodeEntities, into `out` (replacing its contents, reusing its buffer).
void DecodeEntitiesInto(std::string_view s, std::string& out);

// Returns plain text `s` tidied without changing its line structure: spaces,
// tabs and no-break spaces collapse to one space, lines are trimmed, blank
// lines are dropped (so lines are joined by single '\n'), CR LF and lone CR
// count as line breaks. Character references are NOT decoded.
std::string CollapsePlainText(std::string_view s);

}  // namespace earshot::ingest
