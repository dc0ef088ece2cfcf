// Helpers shared by Earshot's tests: a per-test temporary directory, file
// reading, paths to ../shared/data, and Status matchers that print the message.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "core/status.h"

namespace earshot::testing {

// Returns the path of a file under ../shared/data.
inline std::string SharedData(const std::string& rel) { return std::string(EARSHOT_SHARED_DATA) + "/" + rel; }

inline std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A directory removed when the object goes out of scope.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = "earshot-";
    if (info) name += std::string(info->test_suite_name()) + "-" + info->name() + "-";
    name += std::to_string(rd());
    path_ = std::filesystem::temp_directory_path() / name;
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace earshot::testing

#define EXPECT_OK(expr)                                  \
  do {                                                   \
    const ::earshot::Status s_ = (expr);                 \
    EXPECT_TRUE(s_.ok()) << s_.ToString();               \
  } while (0)
#define ASSERT_OK(expr)                                  \
  do {                                                   \
    const ::earshot::Status s_ = (expr);                 \
    ASSERT_TRUE(s_.ok()) << s_.ToString();               \
  } while (0)
