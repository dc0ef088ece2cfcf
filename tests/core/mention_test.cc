#include "core/mention.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace earshot
