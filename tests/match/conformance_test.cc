// Runs every conformance case file under tests/match/cases/ (format in
// case_file.h): a new case needs no C++.
#include <gtest/gtest.h>

#include <filesystem>

#include "match/case_file.h"
#include "testutil.h"

namespace earshot::match {
namespace {

TEST(QueryConformanceTest, PassesEveryCaseFile) {
  std::filesystem::path dir = std::filesystem::path(EARSHOT_SOURCE_DIR) / "tests/match/cases";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    ++files;
    std::string content = earshot::testing::ReadFileOrDie(entry.path().string());
    testing::CaseReport r = testing::RunCases(content, entry.path().filename().string());
    EXPECT_GT(r.checks, 0) << entry.path();
    for (const std::string& f : r.failures) ADD_FAILURE() << f;
  }
  EXPECT_GE(files, 5);
}

}  // namespace
}  // namespace earshot::match
