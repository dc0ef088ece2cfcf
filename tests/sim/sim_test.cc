#include <gtest/gtest.h>
TEST(SimPlaceholder, Builds) {}
