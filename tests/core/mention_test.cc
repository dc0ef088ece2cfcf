#include "core/mention.h"

#include <gtest/gtest.h>

#include "mention_fields.h"

namespace earshot {
namespace {

TEST(MentionTest, SiteOfUrlStripsWwwPortAndCase) {
  EXPECT_EQ(SiteOfUrl("https://WWW.HubSpot.com/blog/x?y=1"), "hubspot.com");
  EXPECT_EQ(SiteOfUrl("http://user@blog.example.org:8080/"), "blog.example.org");
  EXPECT_EQ(SiteOfUrl("not a url"), "");
}

TEST(MentionTest, ChannelNamesRoundTrip) {
  for (Channel c : kAllChannels) EXPECT_EQ(ParseChannel(ChannelName(c)), c);
  EXPECT_EQ(ParseChannel("BLOG"), Channel::kBlog);
  EXPECT_EQ(ParseChannel("tv"), std::nullopt);
}

TEST(MentionTest, RecycleResetsEveryFieldAndKeepsTextBuffers) {
  Mention m = testing::FullMention();
  const char* text_buffer = m.text.data();
  m.Recycle();
  EXPECT_EQ(testing::DescribeMention(m), testing::DescribeMention(Mention()));
  // The next post's text reuses the buffer instead of allocating one.
  m.text.assign("a text of a post, long enough to need the heap");
  EXPECT_EQ(m.text.data(), text_buffer);
}

TEST(MentionTest, SwapExchangesEveryField) {
  Mention full = testing::FullMention();
  const std::string described = testing::DescribeMention(full);
  const char* text_buffer = full.text.data();
  Mention empty;
  swap(full, empty);
  EXPECT_EQ(testing::DescribeMention(empty), described);
  EXPECT_EQ(testing::DescribeMention(full), testing::DescribeMention(Mention()));
  EXPECT_EQ(empty.text.data(), text_buffer);  // the buffer moved, not a copy
}

}  // namespace
}  // namespace earshot
