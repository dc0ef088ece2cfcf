#include "ingest/text_entities.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace earshot::ingest {
namespace {

using Strings = std::vector<std::string>;

TEST(ExtractHashtagsTest, FindsTagsAsTwitterDoes) {
  // Sanders corpus, TweetId 125714253452812288.
  EXPECT_EQ(ExtractHashtags("RT @tomkeene Thx @instagram Thx @apple #hypo #D-76 #tri-x http://t.co/BPPJwncp"),
            (Strings{"hypo", "D", "tri"}));
  EXPECT_EQ(ExtractHashtags("#München und #東京!"), (Strings{"München", "東京"}));
  EXPECT_EQ(ExtractHashtags("#snake_case #2024 #1st"), (Strings{"snake_case", "1st"}));
}

TEST(ExtractHashtagsTest, IgnoresEntitiesAnchorsAndDuplicates) {
  EXPECT_EQ(ExtractHashtags("it&#39;s page#anchor ##x #a #a"), (Strings{"a"}));
  EXPECT_TRUE(ExtractHashtags("# alone").empty());
}

TEST(ExtractHandlesTest, FindsHandlesButNotEmailAddresses) {
  EXPECT_EQ(ExtractHandles("Hilarious @youtube video - guy does a duet with @apple 's Siri."),
            (Strings{"youtube", "apple"}));
  EXPECT_EQ(ExtractHandles("mail me at jane@example.com, cc @Jane_Doe: @jane_doe"),
            (Strings{"Jane_Doe", "jane_doe"}));
  EXPECT_EQ(ExtractHandles("RT @TripLingo: We're"), (Strings{"TripLingo"}));
}

TEST(ExtractHandlesTest, KeepsFediverseServers) {
  EXPECT_EQ(ExtractHandles("hi @jdoe@mastodon.social. and @local@nodot"), (Strings{"jdoe@mastodon.social", "local"}));
}

TEST(ExtractUrlsTest, FindsBareUrlsAndTrimsPunctuation) {
  EXPECT_EQ(ExtractUrls("see http://t.co/8ExbnQjY. and HTTPS://Example.com/a?b=1&c=2, done"),
            (Strings{"http://t.co/8ExbnQjY", "HTTPS://Example.com/a?b=1&c=2"}));
  EXPECT_EQ(ExtractUrls("filing a bug on github (https://github.com/praw-dev/praw/issues) would be ideal"),
            (Strings{"https://github.com/praw-dev/praw/issues"}));
}

TEST(ExtractUrlsTest, HandlesMarkdownAndBalancedParentheses) {
  EXPECT_EQ(ExtractUrls("[placeholder](http://i.imgur.com/AkC7sat.jpg) and "
                        "https://en.wikipedia.org/wiki/C_(disambiguation)."),
            (Strings{"http://i.imgur.com/AkC7sat.jpg", "https://en.wikipedia.org/wiki/C_(disambiguation)"}));
  EXPECT_EQ(ExtractUrls("**<https://x.org/a>** \"https://x.org/b\""), (Strings{"https://x.org/a", "https://x.org/b"}));
  // Reddit t3_4at068: markdown links run straight into Japanese text.
  EXPECT_EQ(ExtractUrls("[pycassa](https://pycassa.github.io/pycassa/tutorial.html)が使われています。"),
            (Strings{"https://pycassa.github.io/pycassa/tutorial.html"}));
  EXPECT_EQ(ExtractUrls("[[x] y](https://x.org/a[1]/b)]"), (Strings{"https://x.org/a[1]/b"}));
}

TEST(ExtractUrlsTest, StopsAtNonAsciiPunctuationButKeepsLetters) {
  EXPECT_EQ(ExtractUrls("truncated http://t.co/abc\u2026 more"), (Strings{"http://t.co/abc"}));
  EXPECT_EQ(ExtractUrls("\u201Chttps://de.wikipedia.org/wiki/M\u00FCnchen\u201D"),
            (Strings{"https://de.wikipedia.org/wiki/M\u00FCnchen"}));
  EXPECT_EQ(ExtractUrls("ブラウザのhttps://developer.mozilla.org/ja/docs で"),
            (Strings{"https://developer.mozilla.org/ja/docs"}));
}

TEST(ExtractUrlsTest, RejectsSchemesWithoutHostAndEmbeddedSchemes) {
  EXPECT_TRUE(ExtractUrls("'http': and http:// and http:///x and xhttp://a.b").empty());
  EXPECT_EQ(ExtractUrls("a http://x.org b http://x.org"), (Strings{"http://x.org"}));
}

}  // namespace
}  // namespace earshot::ingest
