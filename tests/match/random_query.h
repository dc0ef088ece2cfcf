// Random queries and mentions over one small vocabulary, so that generated
// queries often hit generated mentions: the input of the round-trip, index
// plan and evaluator property tests.
#pragma once

#include <random>
#include <string>

#include "core/mention.h"

namespace earshot::match::testing {

// Returns a random query that parses; `depth` bounds its nesting.
std::string RandomQuery(std::mt19937_64& rng, int depth = 3);

// Returns a random mention whose words come from the queries' vocabulary.
Mention RandomMention(std::mt19937_64& rng);

// Returns a seed for a property test: gtest's --gtest_random_seed when set, else a fixed one.
uint64_t TestSeed();

}  // namespace earshot::match::testing
