#include "ingest/html_text.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/utf8.h"

namespace earshot::ingest {
namespace {

using Links = std::vector<std::string>;

// Returns `s` repeated `n` times.
std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (size_t i = 0; i < n; ++i) out.append(s);
  return out;
}

TEST(HtmlToTextTest, DropsScriptsStylesAndHead) {
  EXPECT_EQ(HtmlToText("<html><head><title>Page title</title><style>p{color:red}</style></head>"
                       "<body><script>var x = '<p>no</p>';</script><p>Visible</p>"
                       "<noscript>Enable JS</noscript><template><p>later</p></template></body></html>"),
            "Visible");
  EXPECT_EQ(HtmlToText("before<svg><text>chart label</text></svg>after"), "beforeafter");
}

TEST(HtmlToTextTest, BlocksBecomeLinesSoWordsNeverGlue) {
  EXPECT_EQ(HtmlToText("<p>one</p><p>two</p><div>three</div>four<br>five<h2>six</h2>"),
            "one\ntwo\nthree\nfour\nfive\nsix");
  EXPECT_EQ(HtmlToText("<ul><li>alpha</li><li>beta</li></ul><blockquote>gamma</blockquote>"), "alpha\nbeta\ngamma");
  EXPECT_EQ(HtmlToText("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"), "a b\nc d");
  // Inline elements do not separate words.
  EXPECT_EQ(HtmlToText("<b>bold</b><i>italic</i> and <a href='/x'>link</a>"), "bolditalic and link");
}

TEST(HtmlToTextTest, CollapsesWhitespaceAndBlankLines) {
  EXPECT_EQ(HtmlToText("\n   <p>  many \t spaces\n here </p>\n\n\n<p></p><div> </div><p>next</p>  "),
            "many spaces here\nnext");
  EXPECT_EQ(HtmlToText("<p>a&nbsp;&nbsp;b</p>"), "a b");  // no-break spaces collapse too
  EXPECT_EQ(HtmlToText("<pre>line 1\nline 2\n\n  indented</pre>"), "line 1\nline 2\nindented");
}

TEST(HtmlToTextTest, DecodesCharacterReferences) {
  EXPECT_EQ(HtmlToText("<p>Fish &amp; chips &lt;3 &#8217; &#x2019; &eacute; &hellip; &mdash;</p>"),
            "Fish & chips <3 \u2019 \u2019 \u00e9 \u2026 \u2014");
  EXPECT_EQ(HtmlToText("<p>&#146;quoted&#148;</p>"), "\u2019quoted\u201d");  // Windows-1252 range
}

TEST(HtmlToTextTest, OutputIsValidUtf8WithoutControls) {
  const std::string text = HtmlToText(std::string("<p>bad \xff\xfe bytes &#1; &#0; and \x01 controls</p>"));
  EXPECT_TRUE(IsValidUtf8(text));
  // gumbo turns ill-formed bytes, &#0; and raw controls into U+FFFD; &#1; is dropped.
  EXPECT_EQ(text, "bad \uFFFD\uFFFD bytes \uFFFD and \uFFFD controls");
}

TEST(HtmlToTextTest, PlainTextFastPath) {
  EXPECT_EQ(HtmlToText("  just   plain\ttext \n here  "), "just plain text here");
  EXPECT_EQ(HtmlToText("AT&amp;T &amp; friends"), "AT&T & friends");
  EXPECT_EQ(HtmlToText("x &notanentity; y & z"), "x &notanentity; y & z");
  EXPECT_EQ(HtmlToText(""), "");
}

TEST(HtmlToTextTest, DeepNestingStaysLinear) {
  // gumbo needs minutes for this and overflows its stack on deeper <b>
  // runs; the nesting guard hands such input to the linear tag stripper.
  const std::string divs =
      Repeat("<div>", 200000) + "deep &amp; <a href=\"https://x.org/a\">down</a>" + Repeat("</div>", 10);
  EXPECT_EQ(HtmlToText(divs), "deep & down");
  EXPECT_EQ(HtmlLinks(divs), Links{"https://x.org/a"});
  EXPECT_EQ(HtmlToText(Repeat("<b>", 300000) + "bold<script>hidden</script><p>para"), "bold\npara");
  // Moderate, well-formed nesting still goes through gumbo.
  EXPECT_EQ(HtmlToText(Repeat("<div>", 100) + "x" + Repeat("</div>", 100) + "<p>y</p>"), "x\ny");
}

TEST(HtmlLinksTest, CollectsAbsoluteHttpLinksInOrderOnce) {
  EXPECT_EQ(HtmlLinks("<p><a href=\"https://a.example/x?p=1&amp;q=2\">one</a> <a href='/relative'>rel</a>"
                      "<a href=\"mailto:x@y.z\">mail</a><a href=\" http://b.example/ \">b</a>"
                      "<a href=\"https://a.example/x?p=1&q=2\">again</a><a name=\"anchor\">no href</a>"
                      "<img src=\"https://img.example/i.png\"><A HREF=\"HTTPS://C.example/\">c</A></p>"),
            (Links{"https://a.example/x?p=1&q=2", "http://b.example/", "HTTPS://C.example/"}));
  EXPECT_TRUE(HtmlLinks("no markup at all https://x.org").empty());
}

TEST(ParseHtmlContentTest, TextAndLinksFromOneParse) {
  HtmlContent c = ParseHtmlContent("<p>Read <a href=\"https://x.org/post\">the post</a>.</p><p>Bye</p>");
  EXPECT_EQ(c.text, "Read the post.\nBye");
  EXPECT_EQ(c.links, Links{"https://x.org/post"});
}

TEST(DecodeEntitiesTest, NamedNumericAndLegacyReferences) {
  EXPECT_EQ(DecodeEntities("&amp; &lt; &gt; &quot; &apos; &copy; &euro; &rsquo; &Uuml;"),
            "& < > \" ' \u00a9 \u20ac \u2019 \u00dc");
  EXPECT_EQ(DecodeEntities("&#8217;&#x2019;&#X2019;&#39;s"), "\u2019\u2019\u2019's");
  EXPECT_EQ(DecodeEntities("a &amp b &lt c"), "a & b < c");  // legacy forms without ';'
  EXPECT_EQ(DecodeEntities("&copy without semicolon stays"), "&copy without semicolon stays");
}

// Decoded text is also cleaned: ill-formed UTF-8 becomes U+FFFD, and C0
// controls (but tab, newline, carriage return) and DEL are dropped, with
// or without a reference in the text.
TEST(DecodeEntitiesTest, RepairsUtf8AndDropsControls) {
  EXPECT_EQ(DecodeEntities("clean caf\u00e9 \tand\r\nmore"), "clean caf\u00e9 \tand\r\nmore");
  EXPECT_EQ(DecodeEntities("a\x01" "b\x7f" " c \xff!"), "ab c \uFFFD!");
  EXPECT_EQ(DecodeEntities("&amp;\x7f"), "&");
  EXPECT_EQ(DecodeEntities("long clean ascii text before a bad byte \xc3("), "long clean ascii text before a bad byte \uFFFD(");
}

TEST(DecodeEntitiesTest, KeepsWhatIsNotAReference) {
  EXPECT_EQ(DecodeEntities("AT&T, a & b, &unknown; &#; &#x; &"), "AT&T, a & b, &unknown; &#; &#x; &");
  EXPECT_EQ(DecodeEntities("no references"), "no references");
  EXPECT_EQ(DecodeEntities("&ampersand"), "&ampersand");
}

TEST(DecodeEntitiesTest, InvalidCodePointsBecomeReplacementCharacters) {
  EXPECT_EQ(DecodeEntities("&#0;|&#xD800;|&#x110000;|&#99999999999;"), "\uFFFD|\uFFFD|\uFFFD|\uFFFD");
  EXPECT_EQ(DecodeEntities("tab&#9;bell&#7;"), "tab\tbell");
  EXPECT_EQ(DecodeEntities(std::string("ok \xc3( bad")), "ok \uFFFD( bad");
}

TEST(CollapsePlainTextTest, KeepsLinesAndCollapsesSpaces) {
  EXPECT_EQ(CollapsePlainText("  first   line \r\n\r\n\tsecond\u00a0 line\rthird  \n\n"),
            "first line\nsecond line\nthird");
  EXPECT_EQ(CollapsePlainText("a &amp; b"), "a &amp; b");  // no decoding
}

// Regression: a control character between two stray UTF-8 bytes was
// dropped and the bytes joined into a no-break space (C2 A0) that was never
// collapsed, so the output was not trimmed and collapsing it again changed
// it (found by html_text_fuzz).
TEST(CollapsePlainTextTest, ControlBetweenStrayBytesMakesNoNoBreakSpace) {
  EXPECT_EQ(CollapsePlainText("\xC2\x12\xA0"), "\uFFFD\uFFFD");
  EXPECT_EQ(CollapsePlainText("a\xC2\x01\xA0z"), "a\uFFFD\uFFFDz");
  EXPECT_EQ(HtmlToText("a\xC2\x01\xA0z"), "a\uFFFD\uFFFDz");  // the path without '<'
}

}  // namespace
}  // namespace earshot::ingest
