// The watch and search query language: parsing, the syntax tree, and the
// canonical text form. docs/QUERY.md is the user's reference; the evaluator
// (match/evaluator.h) defines what a query means.
//
//   (aws OR azure) NEAR/3 outage AND lang:en NOT site:example.com
//
// A Query is immutable and cheap to copy (it shares its tree), so one parsed
// watch can be handed to many threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace earshot::match {

// Bounds on what ParseQuery accepts. Watches are user input reaching the hot
// path, so each bound keeps parse and evaluation time and memory small.
struct QueryLimits {
  size_t max_length = 4096;    // bytes of query text
  int max_depth = 32;          // nesting of '(', NOT and title:; at most kMaxDepthCeiling
  size_t max_terms = 1000;     // text atoms (a phrase counts once) plus field atoms
  int max_near_distance = 1000;  // largest N in NEAR/N and "..."~N
  int min_wildcard_prefix = 2;   // letters or digits a '*' needs before it ("cl*" ok, "c*" not)
};

// The largest QueryLimits::max_depth accepted: evaluation and printing recurse
// over the tree, so the depth must stay far from the stack's limit.
inline constexpr int kMaxDepthCeiling = 256;

// One word of a text atom. A literal word matches a token whose folded form is
// equal; a pattern may hold '?' (exactly one character) and end with '*' (any
// rest, possibly empty).
struct WordPattern {
  std::string text;    // folded (lower case) word, wildcards included ("wom?n", "cloud*")
  std::string prefix;  // the literal bytes before the first wildcard ("wom", "cloud"); == text when literal
  bool has_question = false;  // contains '?'
  bool trailing_star = false;  // ends with '*'

  // Returns true for a plain word without wildcards.
  bool literal() const { return !has_question && !trailing_star; }
  // Compares the pattern text; the other members follow from it.
  bool operator==(const WordPattern& o) const { return text == o.text; }
};

enum class NodeKind : uint8_t {
  // Text atoms: each matches a run of consecutive tokens of one text field.
  kWords,    // a term, a multi-word term (dell-emc) or a "phrase": tokens matching `words`
  kExact,    // {AWS}: like kWords, and each token's bytes equal `exact[i]` (case-sensitive)
  kHashtag,  // #tag: '#' + lead, then words joined by seps, then trail; ends the tag
  kHandle,   // @name: the same with '@'
  // Proximity over text atoms.
  kNear,     // children: 2+ operands (text atoms, or kOr of text atoms); `distance`, `ordered`
  // Boolean structure.
  kAnd,      // children: 2+ operands
  kOr,       // children: 2+ operands
  kNot,      // children: 1 operand
  kTitle,    // children: 1 operand, whose text atoms look at the title only
  // Mention fields.
  kField,      // `field` compared with `value`
  kFollowers,  // author.followers `compare` `number`
};

// The mention fields a kField node tests. Values are stored normalised, as
// the comment of each says.
enum class Field : uint8_t {
  kAuthor,      // author:jdoe — handle equals value (ASCII lower case, no leading '@')
  kAuthorName,  // author:"Jane Doe" — display name's or handle's words equal value (FoldWords form)
  kSite,        // site:example.com — site equals value or ends with "." + value (lower case)
  kUrl,         // url:… — url contains value, ASCII case-insensitive (value lower case)
  kLinks,       // links:… — some outbound link contains value, as kUrl
  kLang,        // lang:en — language equals value (lower case)
  kCountry,     // country:US — geo.country equals value (upper case)
  kChannel,     // channel:blog — ChannelName(channel) equals value
};

enum class Compare : uint8_t { kLess, kLessEqual, kEqual, kGreaterEqual, kGreater };

// One node of the syntax tree. Only the members its kind names are set; the
// parser builds every node, and nothing changes a node once built.
struct Node {
  NodeKind kind = NodeKind::kWords;

  // Text atoms (kWords, kExact, kHashtag, kHandle): the folded words in order.
  std::vector<WordPattern> words;
  // kExact: the words' bytes as written, one per word.
  std::vector<std::string> exact;
  // kHashtag/kHandle: the name is sigil + lead + words[0] + seps[0] + ... + words[n-1] + trail,
  // where lead/seps/trail are the non-word characters ('_', and for handles also '.', '-', '@').
  std::string lead;
  std::vector<std::string> seps;
  std::string trail;

  // kNear: at most `distance` tokens between the operands; when `ordered`,
  // children[0] must end before children[1] starts.
  int distance = 0;
  bool ordered = false;

  // kField.
  Field field = Field::kLang;
  std::string value;
  // kFollowers.
  Compare compare = Compare::kEqual;
  int64_t number = 0;

  std::vector<std::unique_ptr<const Node>> children;

  // Returns true for kWords, kExact, kHashtag and kHandle.
  bool IsTextAtom() const {
    return kind == NodeKind::kWords || kind == NodeKind::kExact || kind == NodeKind::kHashtag ||
           kind == NodeKind::kHandle;
  }
};

// Returns true when `a` and `b` are the same tree (same meaning, same canonical form).
bool SameTree(const Node& a, const Node& b);

// Returns the canonical text of the subtree `n` (see Query::ToString).
std::string NodeToString(const Node& n);

// A parsed query: an immutable syntax tree, shared between copies.
class Query {
 public:
  // Wraps `root`. REQUIRES: root is non-null and well-formed, as ParseQuery builds it.
  explicit Query(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

  // Returns the root of the tree; valid as long as any copy of this Query lives.
  const Node& root() const { return *root_; }

  // Returns the canonical form: keywords in upper case, words folded, implicit
  // AND written out, one space around operators, parentheses only where needed,
  // and proximity written `a NEAR/5 b` (or `"a b c"~5` for three words or
  // more). ParseQuery(q.ToString()) gives a query equal to q.
  std::string ToString() const { return NodeToString(*root_); }

  // Returns true when both queries have the same tree.
  bool operator==(const Query& o) const { return SameTree(*root_, *o.root_); }

 private:
  std::shared_ptr<const Node> root_;
};

// Where and why a query failed to parse.
struct ParseError {
  size_t offset = 0;     // byte offset into the query text where the problem was found
  size_t column = 1;     // the same position as a 1-based column counted in characters
  std::string expected;  // what the parser expected there, e.g. "')' to close '(' at column 3"
  std::string message;   // the full message, e.g. "column 12: expected ')' to close '(' at column 3"
};

// Parses `text`. On failure returns InvalidArgument whose message is
// ParseError::message ("column N: ..."). Never crashes or loops on any input;
// takes time linear in the length. Fails with InvalidArgument naming the field
// when `limits` itself is out of range.
Result<Query> ParseQuery(std::string_view text, const QueryLimits& limits = {});

// Parses `text` like ParseQuery, returning the structured error (for an API
// or UI that highlights the position) instead of a Status.
std::variant<Query, ParseError> ParseQueryDetailed(std::string_view text, const QueryLimits& limits = {});

}  // namespace earshot::match
