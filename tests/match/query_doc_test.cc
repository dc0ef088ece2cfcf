// Checks every example of docs/QUERY.md: the examples sit in ```cases
// blocks (format in case_file.h), so the documentation cannot drift from
// what the evaluator does.
#include <gtest/gtest.h>

#include "match/case_file.h"
#include "testutil.h"

namespace earshot::match {
namespace {

TEST(QueryDocTest, EveryExampleInQueryMdHolds) {
  std::string doc = earshot::testing::ReadFileOrDie(std::string(EARSHOT_SOURCE_DIR) + "/docs/QUERY.md");
  ASSERT_FALSE(doc.empty());
  int blocks = 0;
  int checks = 0;
  int line = 1;
  size_t pos = 0;
  bool in_block = false;
  std::string block;
  int block_line = 0;
  while (pos < doc.size()) {
    size_t nl = doc.find('\n', pos);
    if (nl == std::string::npos) nl = doc.size();
    std::string_view l(doc.data() + pos, nl - pos);
    if (!in_block && l == "```cases") {
      in_block = true;
      block.clear();
      block_line = line + 1;
    } else if (in_block && l.starts_with("```")) {
      in_block = false;
      ++blocks;
      testing::CaseReport r = testing::RunCases(block, "docs/QUERY.md", block_line);
      EXPECT_GT(r.checks, 0) << "empty example block at docs/QUERY.md:" << block_line;
      checks += r.checks;
      for (const std::string& f : r.failures) ADD_FAILURE() << f;
    } else if (in_block) {
      block.append(l).push_back('\n');
    }
    pos = nl + 1;
    ++line;
  }
  EXPECT_FALSE(in_block) << "unterminated ```cases block at docs/QUERY.md:" << block_line;
  EXPECT_GE(blocks, 12);
  EXPECT_GE(checks, 100);
}

}  // namespace
}  // namespace earshot::match
