// Recursive-descent parser of the query language (grammar in docs/QUERY.md).
//
// The lexer is driven by the parser, one token at a time, because what follows
// a field name ("url:" takes a raw value, "title:" a whole expression) depends
// on context. Every recursion goes through Enter(), which enforces
// QueryLimits::max_depth, so no input can exhaust the stack; every token is
// scanned a bounded number of times, so parsing is linear in the input.
#include <algorithm>
#include <optional>
#include <utility>

#include "core/mention.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "match/query.h"

namespace earshot::match {
namespace {

using NodePtr = std::unique_ptr<Node>;

bool IsSpace(char c) { return IsAsciiSpace(c); }

// Characters that end a bare word or a bare field value.
bool EndsBareRun(char c) { return IsSpace(c) || c == '(' || c == ')' || c == '"' || c == '{' || c == '}'; }

bool IsAsciiWordChar(char c) { return IsAsciiAlpha(c) || IsAsciiDigit(c); }

// Returns the 1-based column of byte `offset`, counting characters.
size_t ColumnOf(std::string_view s, size_t offset) {
  size_t col = 1;
  for (size_t i = 0; i < offset && i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++col;
  }
  return col + (offset > s.size() ? offset - s.size() : 0);
}

enum class Tok { kEnd, kLParen, kRParen, kQuote, kLBrace, kRBrace, kAnd, kOr, kNot, kNear, kField, kHashtag, kHandle, kWord };

enum class FieldName { kAuthor, kSite, kUrl, kLinks, kLang, kCountry, kChannel, kTitle, kFollowers };

struct FieldSpelling {
  std::string_view name;
  FieldName field;
};
constexpr FieldSpelling kFieldNames[] = {
    {"author", FieldName::kAuthor}, {"site", FieldName::kSite},       {"url", FieldName::kUrl},
    {"links", FieldName::kLinks},   {"lang", FieldName::kLang},       {"country", FieldName::kCountry},
    {"channel", FieldName::kChannel}, {"title", FieldName::kTitle}, {"followers", FieldName::kFollowers},
};

struct Token {
  Tok kind = Tok::kEnd;
  size_t begin = 0;  // byte offsets into the query; for kField `end` is just past the ':'
  size_t end = 0;
  int distance = 0;  // kNear
  bool ordered = false;
  FieldName field = FieldName::kLang;
};

std::string ChannelList() {
  std::string out;
  for (Channel c : kAllChannels) {
    if (!out.empty()) out += ", ";
    out += ChannelName(c);
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view src, const QueryLimits& limits) : src_(src), limits_(limits) {}

  // Returns the root, or null with error() set.
  NodePtr Run();
  const ParseError& error() const { return *error_; }

 private:
  bool failed() const { return error_.has_value(); }
  // Records the first error; always returns null so callers can `return Fail(...)`.
  std::nullptr_t Fail(size_t offset, std::string expected, const std::string& message);
  bool Enter(size_t offset);
  void Leave() { --depth_; }
  bool CountTerm(size_t offset);

  // Lexing.
  const Token& Peek();
  void Consume(const Token& t) { pos_ = t.end; }
  Token LexAt(size_t pos);
  Token LexBareRun(size_t begin, size_t end);
  Token LexNear(size_t begin, size_t end);
  std::string Describe(const Token& t) const;
  static bool StartsOperand(Tok k);

  // Grammar.
  NodePtr ParseOr();
  NodePtr ParseAnd();
  NodePtr ParseUnary();
  NodePtr ParseNear();
  NodePtr ParsePrimary();
  NodePtr ParseGroup(const Token& t);
  NodePtr ParseWordRun(const Token& t);
  NodePtr ParsePhrase(const Token& t);
  NodePtr ParseExact(const Token& t);
  NodePtr ParseSigilName(const Token& t);
  NodePtr ParseField(const Token& t);
  NodePtr ParseTitle(const Token& t);
  NodePtr MakeValueField(FieldName f, std::string_view raw, size_t at, bool quoted);
  NodePtr MakeFollowers(std::string_view raw, size_t at);
  std::optional<int> ReadDistance(size_t& pos, size_t at_error);

  // Splits src_[begin, end) into word patterns; false after Fail().
  bool SplitPatterns(size_t begin, size_t end, bool tilde_is_error, std::vector<WordPattern>& out);
  bool FinishPattern(WordPattern& w, size_t literals_before_star, size_t star_at);

  std::string_view src_;
  const QueryLimits& limits_;
  size_t pos_ = 0;
  int depth_ = 0;
  size_t terms_ = 0;
  int in_title_ = 0;
  std::optional<ParseError> error_;
  std::optional<Token> peeked_;
  size_t peeked_pos_ = 0;
};

std::nullptr_t Parser::Fail(size_t offset, std::string expected, const std::string& message) {
  if (!error_) {
    ParseError e;
    e.offset = std::min(offset, src_.size());
    e.column = ColumnOf(src_, e.offset);
    e.expected = std::move(expected);
    e.message = "column " + std::to_string(e.column) + ": " + message;
    error_ = std::move(e);
  }
  return nullptr;
}

bool Parser::Enter(size_t offset) {
  if (++depth_ > limits_.max_depth) {
    Fail(offset, "less nesting",
         "query nests deeper than " + std::to_string(limits_.max_depth) + " levels of '(', NOT and title:");
    return false;
  }
  return true;
}

bool Parser::CountTerm(size_t offset) {
  if (++terms_ > limits_.max_terms) {
    Fail(offset, "fewer terms", "query has more than " + std::to_string(limits_.max_terms) + " terms");
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- lexing

const Token& Parser::Peek() {
  if (!peeked_ || peeked_pos_ != pos_) {
    peeked_pos_ = pos_;
    peeked_ = LexAt(pos_);
  }
  return *peeked_;
}

Token Parser::LexAt(size_t pos) {
  while (pos < src_.size() && IsSpace(src_[pos])) ++pos;
  Token t;
  t.begin = pos;
  t.end = pos;
  if (failed() || pos >= src_.size()) return t;
  t.end = pos + 1;
  switch (src_[pos]) {
    case '(': t.kind = Tok::kLParen; return t;
    case ')': t.kind = Tok::kRParen; return t;
    case '"': t.kind = Tok::kQuote; return t;
    case '{': t.kind = Tok::kLBrace; return t;
    case '}': t.kind = Tok::kRBrace; return t;
    default: break;
  }
  size_t end = pos;
  while (end < src_.size() && !EndsBareRun(src_[end])) ++end;
  return LexBareRun(pos, end);
}

Token Parser::LexBareRun(size_t begin, size_t end) {
  Token t;
  t.begin = begin;
  t.end = end;
  std::string_view run = src_.substr(begin, end - begin);
  if (run == "AND") {
    t.kind = Tok::kAnd;
  } else if (run == "OR") {
    t.kind = Tok::kOr;
  } else if (run == "NOT") {
    t.kind = Tok::kNot;
  } else if (run == "NEAR" || run.starts_with("NEAR/")) {
    return LexNear(begin, end);
  } else if (run[0] == '#') {
    t.kind = Tok::kHashtag;
  } else if (run[0] == '@') {
    t.kind = Tok::kHandle;
  } else {
    t.kind = Tok::kWord;
    size_t colon = run.find(':');
    if (colon != std::string_view::npos) {
      for (const FieldSpelling& f : kFieldNames) {
        if (run.substr(0, colon) == f.name) {
          t.kind = Tok::kField;
          t.field = f.field;
          t.end = begin + colon + 1;
          break;
        }
      }
    }
  }
  return t;
}

Token Parser::LexNear(size_t begin, size_t end) {
  Token t;
  t.kind = Tok::kNear;
  t.begin = begin;
  t.end = end;
  size_t pos = begin + 5;  // past "NEAR/"
  std::optional<int> d;
  if (pos <= end) d = ReadDistance(pos, begin);
  if (failed()) return Token{.begin = begin, .end = begin};
  if (!d || (pos < end && !(src_[pos] == 'f' && pos + 1 == end))) {
    Fail(d && pos <= end ? pos : begin, "a distance like NEAR/5",
         "NEAR/ needs a distance like NEAR/5 (or NEAR/5f when the order matters)");
    return Token{.begin = begin, .end = begin};
  }
  t.distance = *d;
  t.ordered = pos < end;
  return t;
}

// Reads the digits at `pos` (advancing it) as a proximity distance; nullopt
// when there are none. Fails when the number is over the limit.
std::optional<int> Parser::ReadDistance(size_t& pos, size_t at_error) {
  size_t start = pos;
  int64_t v = 0;
  while (pos < src_.size() && IsAsciiDigit(src_[pos])) {
    if (v <= limits_.max_near_distance) v = v * 10 + (src_[pos] - '0');
    ++pos;
  }
  if (pos == start) return std::nullopt;
  if (v > limits_.max_near_distance) {
    Fail(at_error, "a distance of at most " + std::to_string(limits_.max_near_distance),
         "distance " + std::string(src_.substr(start, std::min<size_t>(pos - start, 20))) +
             " is over the limit of " + std::to_string(limits_.max_near_distance));
    return std::nullopt;
  }
  return static_cast<int>(v);
}

std::string Parser::Describe(const Token& t) const {
  switch (t.kind) {
    case Tok::kEnd: return "end of query";
    case Tok::kLParen: return "'('";
    case Tok::kRParen: return "')'";
    case Tok::kQuote: return "'\"'";
    case Tok::kLBrace: return "'{'";
    case Tok::kRBrace: return "'}'";
    default: break;
  }
  std::string_view text = TruncateUtf8(src_.substr(t.begin, t.end - t.begin), 24);
  if (t.kind == Tok::kAnd || t.kind == Tok::kOr || t.kind == Tok::kNot || t.kind == Tok::kNear) {
    return std::string(text);
  }
  return "'" + std::string(text) + "'";
}

bool Parser::StartsOperand(Tok k) {
  return k == Tok::kLParen || k == Tok::kQuote || k == Tok::kLBrace || k == Tok::kField || k == Tok::kHashtag ||
         k == Tok::kHandle || k == Tok::kWord;
}

// ---------------------------------------------------------------- grammar

NodePtr Parser::Run() {
  if (src_.size() > limits_.max_length) {
    return Fail(limits_.max_length, "a shorter query",
                "query is " + std::to_string(src_.size()) + " bytes long; the limit is " +
                    std::to_string(limits_.max_length));
  }
  if (size_t bad = FindInvalidUtf8(src_); bad != std::string_view::npos) {
    return Fail(bad, "valid UTF-8", "query is not valid UTF-8");
  }
  if (Peek().kind == Tok::kEnd && !failed()) {
    return Fail(0, "a term, phrase, field or '('", "expected a term, phrase, field or '(' but the query is empty");
  }
  NodePtr root = ParseOr();
  if (failed()) return nullptr;
  const Token& t = Peek();
  if (t.kind == Tok::kRParen) return Fail(t.begin, "an operator or the end of the query", "unexpected ')' without a matching '('");
  if (t.kind == Tok::kRBrace) return Fail(t.begin, "an operator or the end of the query", "unexpected '}' without a matching '{'");
  if (t.kind != Tok::kEnd) {
    return Fail(t.begin, "an operator or the end of the query", "unexpected " + Describe(t));
  }
  return root;
}

// Appends `child` to the n-ary `parent`, splicing in a child of the same kind
// so that equal queries get equal trees however they were parenthesised.
void AppendFlattened(Node& parent, NodePtr child) {
  if (child->kind != parent.kind) {
    parent.children.push_back(std::move(child));
    return;
  }
  for (auto& c : child->children) parent.children.push_back(std::move(c));
}

NodePtr MakeBinary(NodeKind kind, NodePtr first) {
  auto n = std::make_unique<Node>();
  n->kind = kind;
  AppendFlattened(*n, std::move(first));
  return n;
}

NodePtr Parser::ParseOr() {
  NodePtr first = ParseAnd();
  if (failed() || Peek().kind != Tok::kOr) return first;
  NodePtr n = MakeBinary(NodeKind::kOr, std::move(first));
  while (!failed() && Peek().kind == Tok::kOr) {
    Consume(Peek());
    NodePtr rhs = ParseAnd();
    if (failed()) return nullptr;
    AppendFlattened(*n, std::move(rhs));
  }
  return failed() ? nullptr : std::move(n);
}

NodePtr Parser::ParseAnd() {
  NodePtr first = ParseUnary();
  if (failed()) return nullptr;
  NodePtr n;
  while (true) {
    const Token& t = Peek();
    if (failed()) return nullptr;
    if (t.kind == Tok::kAnd) {
      Consume(t);
    } else if (t.kind != Tok::kNot && !StartsOperand(t.kind)) {
      break;
    }
    NodePtr rhs = ParseUnary();
    if (failed()) return nullptr;
    if (!n) n = MakeBinary(NodeKind::kAnd, std::move(first));
    AppendFlattened(*n, std::move(rhs));
  }
  return n ? std::move(n) : std::move(first);
}

NodePtr Parser::ParseUnary() {
  const Token& t = Peek();
  if (t.kind != Tok::kNot) return ParseNear();
  size_t at = t.begin;
  Consume(t);
  if (!Enter(at)) return nullptr;
  NodePtr child = ParseUnary();
  Leave();
  if (failed()) return nullptr;
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kNot;
  n->children.push_back(std::move(child));
  return n;
}

bool IsNearOperand(const Node& n) {
  if (n.IsTextAtom()) return true;
  if (n.kind != NodeKind::kOr) return false;
  return std::all_of(n.children.begin(), n.children.end(), [](const auto& c) { return c->IsTextAtom(); });
}

constexpr std::string_view kNearOperands = "a term, phrase, wildcard or (… OR …) of those";

NodePtr Parser::ParseNear() {
  size_t left_at = Peek().begin;
  NodePtr left = ParsePrimary();
  if (failed()) return nullptr;
  Token op = Peek();
  if (op.kind != Tok::kNear) return left;
  std::string name = Describe(op);
  if (!IsNearOperand(*left)) {
    std::string hint = left->kind == NodeKind::kTitle ? "; to search the title write title:(a NEAR/5 b)" : "";
    return Fail(left_at, std::string(kNearOperands), name + " needs " + std::string(kNearOperands) + " on its left" + hint);
  }
  Consume(op);
  size_t right_at = Peek().begin;
  if (!StartsOperand(Peek().kind)) {
    if (failed()) return nullptr;
    return Fail(right_at, std::string(kNearOperands), name + " needs " + std::string(kNearOperands) + " on its right");
  }
  NodePtr right = ParsePrimary();
  if (failed()) return nullptr;
  if (!IsNearOperand(*right)) {
    return Fail(right_at, std::string(kNearOperands), name + " needs " + std::string(kNearOperands) + " on its right");
  }
  if (Peek().kind == Tok::kNear) {
    return Fail(Peek().begin, "AND between proximity groups",
                "NEAR cannot be chained; write (a NEAR/5 b) AND (b NEAR/5 c), or \"a b c\"~5");
  }
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kNear;
  n->distance = op.distance;
  n->ordered = op.ordered;
  n->children.push_back(std::move(left));
  n->children.push_back(std::move(right));
  return n;
}

NodePtr Parser::ParsePrimary() {
  Token t = Peek();
  if (failed()) return nullptr;
  switch (t.kind) {
    case Tok::kLParen: return ParseGroup(t);
    case Tok::kQuote: return ParsePhrase(t);
    case Tok::kLBrace: return ParseExact(t);
    case Tok::kHashtag:
    case Tok::kHandle: return ParseSigilName(t);
    case Tok::kField: return ParseField(t);
    case Tok::kWord: return ParseWordRun(t);
    case Tok::kNear:
      return Fail(t.begin, std::string(kNearOperands), Describe(t) + " needs " + std::string(kNearOperands) + " on its left");
    default:
      return Fail(t.begin, "a term, phrase, field or '('",
                  "expected a term, phrase, field or '(' but found " + Describe(t));
  }
}

NodePtr Parser::ParseGroup(const Token& t) {
  Consume(t);
  if (!Enter(t.begin)) return nullptr;
  NodePtr inner = ParseOr();
  Leave();
  if (failed()) return nullptr;
  const Token& close = Peek();
  if (close.kind != Tok::kRParen) {
    std::string expected = "')' to close '(' at column " + std::to_string(ColumnOf(src_, t.begin));
    std::string found = close.kind == Tok::kEnd ? "" : ", found " + Describe(close);
    return Fail(close.begin, expected, "expected " + expected + found);
  }
  Consume(close);
  return inner;
}

// ---------------------------------------------------------------- text atoms

bool Parser::FinishPattern(WordPattern& w, size_t literals_before_star, size_t star_at) {
  if (w.trailing_star && literals_before_star < static_cast<size_t>(limits_.min_wildcard_prefix)) {
    std::string n = std::to_string(limits_.min_wildcard_prefix);
    Fail(star_at, n + " letters or digits before '*'",
         "'*' needs at least " + n + " letters or digits before it, as in clo*");
    return false;
  }
  size_t first_wild = w.text.find_first_of("?*");
  w.prefix = w.text.substr(0, first_wild);
  return true;
}

bool Parser::SplitPatterns(size_t begin, size_t end, bool tilde_is_error, std::vector<WordPattern>& out) {
  WordPattern cur;
  bool in_word = false;
  size_t literals = 0;
  size_t star_at = 0;
  size_t pos = begin;
  while (pos < end) {
    size_t at = pos;
    char32_t cp = DecodeUtf8(src_.substr(0, end), pos);
    bool word_char = cp < 0x80 ? IsAsciiWordChar(static_cast<char>(cp)) : IsWordChar(cp);
    if (word_char || cp == '?' || cp == '*') {
      if (cur.trailing_star) {
        Fail(star_at, "'*' at the end of a word", "'*' is only allowed at the end of a word");
        return false;
      }
      in_word = true;
      if (cp == '*') {
        cur.trailing_star = true;
        star_at = at;
        cur.text.push_back('*');
      } else if (cp == '?') {
        cur.has_question = true;
        cur.text.push_back('?');
      } else {
        ++literals;
        if (cp < 0x80) {
          cur.text.push_back(AsciiToLower(static_cast<char>(cp)));
        } else {
          AppendUtf8(cur.text, FoldCase(cp));
        }
      }
      continue;
    }
    if (cp == '~' && tilde_is_error) {
      Fail(at, "'~' right after a quoted phrase", "'~' follows a quoted phrase, as in \"cloud storage\"~5");
      return false;
    }
    if (in_word) {
      if (!FinishPattern(cur, literals, star_at)) return false;
      out.push_back(std::move(cur));
      cur = WordPattern();
      in_word = false;
      literals = 0;
    }
  }
  if (in_word) {
    if (!FinishPattern(cur, literals, star_at)) return false;
    out.push_back(std::move(cur));
  }
  return true;
}

NodePtr Parser::ParseWordRun(const Token& t) {
  Consume(t);
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kWords;
  if (!SplitPatterns(t.begin, t.end, /*tilde_is_error=*/true, n->words)) return nullptr;
  if (n->words.empty()) {
    return Fail(t.begin, "a term with letters or digits",
                "expected a term, but " + Describe(t) + " has no letters or digits");
  }
  if (!CountTerm(t.begin)) return nullptr;
  return n;
}

NodePtr Parser::ParsePhrase(const Token& t) {
  size_t close = src_.find('"', t.begin + 1);
  if (close == std::string_view::npos) {
    std::string expected = "'\"' to close '\"' at column " + std::to_string(ColumnOf(src_, t.begin));
    return Fail(src_.size(), expected, "expected " + expected);
  }
  pos_ = close + 1;
  std::vector<WordPattern> words;
  if (!SplitPatterns(t.begin + 1, close, /*tilde_is_error=*/false, words)) return nullptr;
  if (words.empty()) return Fail(t.begin, "words inside the quotes", "expected words inside the quotes");
  auto n = std::make_unique<Node>();
  if (pos_ >= src_.size() || src_[pos_] != '~') {
    if (!CountTerm(t.begin)) return nullptr;
    n->kind = NodeKind::kWords;
    n->words = std::move(words);
    return n;
  }
  size_t tilde = pos_++;
  std::optional<int> d = ReadDistance(pos_, tilde);
  if (failed()) return nullptr;
  if (!d) return Fail(pos_, "a distance like \"a b\"~5", "'~' needs a distance, as in \"cloud storage\"~5");
  if (pos_ < src_.size() && !EndsBareRun(src_[pos_])) {
    return Fail(pos_, "a space after ~" + std::to_string(*d), "unexpected characters after ~" + std::to_string(*d));
  }
  if (words.size() < 2) {
    return Fail(tilde, "a phrase of two or more words before '~'", "'~' needs a phrase of two or more words");
  }
  n->kind = NodeKind::kNear;
  n->distance = *d;
  for (WordPattern& w : words) {
    if (!CountTerm(t.begin)) return nullptr;
    auto c = std::make_unique<Node>();
    c->kind = NodeKind::kWords;
    c->words.push_back(std::move(w));
    n->children.push_back(std::move(c));
  }
  return n;
}

NodePtr Parser::ParseExact(const Token& t) {
  size_t close = src_.find('}', t.begin + 1);
  if (close == std::string_view::npos) {
    std::string expected = "'}' to close '{' at column " + std::to_string(ColumnOf(src_, t.begin));
    return Fail(src_.size(), expected, "expected " + expected);
  }
  std::string_view content = src_.substr(t.begin + 1, close - t.begin - 1);
  if (size_t w = content.find_first_of("*?"); w != std::string_view::npos) {
    return Fail(t.begin + 1 + w, "a word without wildcards", "wildcards are not allowed inside {…}");
  }
  pos_ = close + 1;
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kExact;
  WordTokens tokens;
  TokenizeWords(content, tokens);
  for (const WordToken& w : tokens.tokens) {
    n->words.push_back(WordPattern{.text = std::string(tokens.Folded(w)), .prefix = std::string(tokens.Folded(w))});
    n->exact.emplace_back(content.substr(w.begin, w.end - w.begin));
  }
  if (n->words.empty()) return Fail(t.begin, "a word inside {…}", "expected a word inside {…}");
  if (!CountTerm(t.begin)) return nullptr;
  return n;
}

// Returns true when the byte at `i` of `s` starts a word character or is '_'.
bool StartsNameChar(std::string_view s, size_t i) {
  if (i >= s.size()) return false;
  if (s[i] == '_') return true;
  char32_t cp = DecodeUtf8(s, i);
  return cp != kReplacementChar && IsWordChar(cp);
}

NodePtr Parser::ParseSigilName(const Token& t) {
  Consume(t);
  const bool handle = t.kind == Tok::kHandle;
  std::string_view run = src_.substr(0, t.end);
  auto n = std::make_unique<Node>();
  n->kind = handle ? NodeKind::kHandle : NodeKind::kHashtag;
  std::string sep;
  bool in_word = false;
  size_t pos = t.begin + 1;
  while (pos < t.end) {
    size_t at = pos;
    char32_t cp = DecodeUtf8(run, pos);
    if (cp != kReplacementChar && IsWordChar(cp)) {
      if (!in_word) {
        if (n->words.empty()) {
          n->lead = std::move(sep);
        } else {
          n->seps.push_back(std::move(sep));
        }
        sep.clear();
        n->words.emplace_back();
        in_word = true;
      }
      if (cp < 0x80) {
        n->words.back().text.push_back(AsciiToLower(static_cast<char>(cp)));
      } else {
        AppendUtf8(n->words.back().text, FoldCase(cp));
      }
      continue;
    }
    bool inner = handle && (cp == '.' || cp == '-' || cp == '@') && StartsNameChar(run, pos);
    if (cp == '_' || inner) {
      sep.push_back(static_cast<char>(cp));
      in_word = false;
      continue;
    }
    std::string what = handle ? "handle" : "hashtag";
    std::string allowed = handle ? "letters, digits, '_', and '.', '-' or '@' between them" : "letters, digits and '_'";
    return Fail(at, "the end of the " + what,
                "unexpected " + Describe(Token{.kind = Tok::kWord, .begin = at, .end = pos}) + " in " + what +
                    "; a " + what + " is made of " + allowed);
  }
  if (n->words.empty()) {
    std::string what = handle ? "a handle after '@'" : "a hashtag after '#'";
    return Fail(t.begin, what, "expected " + what);
  }
  n->trail = std::move(sep);
  for (WordPattern& w : n->words) w.prefix = w.text;
  if (!CountTerm(t.begin)) return nullptr;
  return n;
}

// ---------------------------------------------------------------- fields

NodePtr Parser::ParseField(const Token& t) {
  std::string_view name = src_.substr(t.begin, t.end - t.begin);
  if (in_title_ > 0) {
    return Fail(t.begin, "terms, phrases and operators inside title:",
                "title: can only contain terms, phrases and operators, not " + std::string(name));
  }
  Consume(t);
  if (t.field == FieldName::kTitle) return ParseTitle(t);
  size_t at = pos_;
  std::string_view raw;
  bool quoted = false;
  if (at < src_.size() && src_[at] == '"') {
    size_t close = src_.find('"', at + 1);
    if (close == std::string_view::npos) {
      std::string expected = "'\"' to close '\"' at column " + std::to_string(ColumnOf(src_, at));
      return Fail(src_.size(), expected, "expected " + expected);
    }
    raw = src_.substr(at + 1, close - at - 1);
    pos_ = close + 1;
    quoted = true;
  } else {
    size_t end = at;
    while (end < src_.size() && !EndsBareRun(src_[end])) ++end;
    raw = src_.substr(at, end - at);
    pos_ = end;
  }
  if (TrimAscii(raw).empty()) {
    return Fail(at, "a value after '" + std::string(name) + "'", "expected a value after '" + std::string(name) + "'");
  }
  if (!CountTerm(t.begin)) return nullptr;
  if (t.field == FieldName::kFollowers) return MakeFollowers(TrimAscii(raw), at);
  return MakeValueField(t.field, TrimAscii(raw), at, quoted);
}

NodePtr Parser::ParseTitle(const Token& t) {
  if (pos_ >= src_.size() || IsSpace(src_[pos_])) {
    return Fail(pos_, "a term, phrase or '(' right after title:", "expected a term, phrase or '(' right after title:");
  }
  if (!Enter(t.begin)) return nullptr;
  ++in_title_;
  NodePtr child = ParsePrimary();
  --in_title_;
  Leave();
  if (failed()) return nullptr;
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kTitle;
  n->children.push_back(std::move(child));
  return n;
}

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  }
  return out;
}

// Returns the normalised site of a site: value, or "" when it is not a host.
std::string NormaliseSite(std::string_view raw) {
  std::string v = raw.find("://") != std::string_view::npos ? SiteOfUrl(raw) : AsciiLower(raw);
  // Strip until stable so that the canonical form normalises to itself.
  while (true) {
    if (v.starts_with("www.")) {
      v.erase(0, 4);
    } else if (!v.empty() && v.front() == '.') {
      v.erase(0, 1);
    } else {
      break;
    }
  }
  while (!v.empty() && v.back() == '.') v.pop_back();
  if (v.find_first_of("/:@?# \t") != std::string::npos) return "";
  return v;
}

NodePtr Parser::MakeValueField(FieldName f, std::string_view raw, size_t at, bool quoted) {
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kField;
  switch (f) {
    case FieldName::kAuthor:
      if (quoted) {
        n->field = Field::kAuthorName;
        n->value = FoldWords(raw);
        if (n->value.empty()) return Fail(at, "a name with letters or digits", "author name has no letters or digits");
      } else {
        n->field = Field::kAuthor;
        while (!raw.empty() && raw.front() == '@') raw.remove_prefix(1);
        n->value = AsciiLower(raw);
        if (n->value.empty()) return Fail(at, "a handle like author:jdoe", "expected a handle like author:jdoe");
      }
      return n;
    case FieldName::kSite:
      n->field = Field::kSite;
      n->value = NormaliseSite(raw);
      if (n->value.empty()) return Fail(at, "a host name like site:example.com", "expected a host name like site:example.com");
      return n;
    case FieldName::kUrl:
    case FieldName::kLinks:
      n->field = f == FieldName::kUrl ? Field::kUrl : Field::kLinks;
      n->value = AsciiLower(raw);
      return n;
    case FieldName::kLang:
      n->field = Field::kLang;
      if (!std::all_of(raw.begin(), raw.end(), [](char c) { return IsAsciiWordChar(c) || c == '-'; })) {
        return Fail(at, "a language code like lang:en", "expected a language code like lang:en");
      }
      n->value = AsciiLower(raw);
      return n;
    case FieldName::kCountry:
      n->field = Field::kCountry;
      if (raw.size() != 2 || !IsAsciiAlpha(raw[0]) || !IsAsciiAlpha(raw[1])) {
        return Fail(at, "a two-letter country code like country:US", "expected a two-letter country code like country:US");
      }
      n->value = AsciiUpper(raw);
      return n;
    case FieldName::kChannel: {
      n->field = Field::kChannel;
      std::optional<Channel> c = ParseChannel(raw);
      if (!c) return Fail(at, "a channel: " + ChannelList(), "unknown channel; expected one of " + ChannelList());
      n->value = std::string(ChannelName(*c));
      return n;
    }
    case FieldName::kTitle:
    case FieldName::kFollowers: break;
  }
  return Fail(at, "a field", "internal error: unhandled field");
}

NodePtr Parser::MakeFollowers(std::string_view raw, size_t at) {
  auto n = std::make_unique<Node>();
  n->kind = NodeKind::kFollowers;
  std::string_view num = raw;
  struct OpSpelling {
    std::string_view text;
    Compare op;
  };
  // Two-character operators first so ">=" is not read as ">" then "=".
  constexpr OpSpelling kOps[] = {{">=", Compare::kGreaterEqual}, {"<=", Compare::kLessEqual}, {">", Compare::kGreater},
                                 {"<", Compare::kLess},          {"=", Compare::kEqual}};
  n->compare = Compare::kEqual;
  for (const OpSpelling& o : kOps) {
    if (num.starts_with(o.text)) {
      n->compare = o.op;
      num.remove_prefix(o.text.size());
      break;
    }
  }
  std::optional<int64_t> v = std::all_of(num.begin(), num.end(), IsAsciiDigit) ? ParseInt64(num) : std::nullopt;
  if (!v) {
    return Fail(at, "a number like followers:>1000",
                "expected a number like followers:>1000 (operators >, >=, <, <=, =)");
  }
  n->number = *v;
  return n;
}

Status ValidateLimits(const QueryLimits& l) {
  if (l.max_length == 0) return Status::InvalidArgument("QueryLimits.max_length must be at least 1");
  if (l.max_depth < 1 || l.max_depth > kMaxDepthCeiling) {
    return Status::InvalidArgument("QueryLimits.max_depth must be between 1 and " + std::to_string(kMaxDepthCeiling));
  }
  if (l.max_terms == 0) return Status::InvalidArgument("QueryLimits.max_terms must be at least 1");
  if (l.max_near_distance < 0 || l.max_near_distance > 1000000) {
    return Status::InvalidArgument("QueryLimits.max_near_distance must be between 0 and 1000000");
  }
  if (l.min_wildcard_prefix < 0) return Status::InvalidArgument("QueryLimits.min_wildcard_prefix must not be negative");
  return Status::Ok();
}

}  // namespace

std::variant<Query, ParseError> ParseQueryDetailed(std::string_view text, const QueryLimits& limits) {
  if (Status s = ValidateLimits(limits); !s.ok()) {
    return ParseError{.offset = 0, .column = 1, .expected = "valid QueryLimits", .message = s.message()};
  }
  Parser p(text, limits);
  NodePtr root = p.Run();
  if (!root) return p.error();
  return Query(std::shared_ptr<const Node>(std::move(root)));
}

Result<Query> ParseQuery(std::string_view text, const QueryLimits& limits) {
  auto r = ParseQueryDetailed(text, limits);
  if (auto* e = std::get_if<ParseError>(&r)) return Status::InvalidArgument(e->message);
  return std::get<Query>(std::move(r));
}

}  // namespace earshot::match
