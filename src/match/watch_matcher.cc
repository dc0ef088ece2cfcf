// The watch set compiler and the per-thread matcher.
//
// What is scanned: not the raw text but its folded words, as the shared
// tokenizer cuts and folds them, each followed by a space, title and text
// apart: " t1 t2 \n w1 w2 w3 ". A literal word then becomes the pattern
// " word " and a phrase " w1 w2 ", so a pattern hit means the whole words
// occur (no "cloud" inside "clouds"), case folding is exactly the
// evaluator's (Hyperscan's caseless mode is ASCII-only) and no pattern can
// run from the title into the text. A wildcard word contributes its literal
// prefix (" cloud" for cloud*, " wom" for wom?n) and ends the pattern. A
// third section lists again, with its sigil, each word that is a whole
// hashtag or handle name (" #aws @jdoe "), so the pattern " #aws " hits
// exactly when the atom #aws occurs.
//
// Per watch the compiler derives two things from the syntax tree:
//  - a trigger: a set of patterns one of which must hit for the query to
//    match (an atom: its pattern; AND and NEAR: the cheapest operand's set;
//    OR: the union). A watch without one (NOT-only, fields only, an atom
//    without a literal) is a candidate on every mention;
//  - a filter: the query with every text atom replaced by "its pattern hit",
//    fields by the evaluator's own test on the mention (MentionFieldHolds),
//    and everything else (an author's display name, NEAR's distance, NOT of
//    anything but an exact part) by true. It is implied by the query, so a
//    candidate whose filter fails cannot match and needs no MentionView.
// Only candidates passing both reach Matches(), which decides.
//
// Exact watches skip Matches(), as stored search skips the re-check when the
// index plan is exact (match/index_plan.h). An atom is exact when its
// pattern hits if and only if the atom occurs: plain words and phrases of
// them, the last word possibly ending in '*', not cut by max_pattern_bytes;
// #name or @name of one literal word; and {…} of one word ({AWS} is looked
// up among the words that folding changed, {aws} counted in the scan text).
// Longer names, longer {…} and '?' need the evaluator. A query made of exact
// atoms and fields (but an author's display name) with AND, OR and NOT is
// then equivalent to its filter, and its MatchedTerms() are its non-negated
// atoms that occur, in query order without duplicates. The differential
// tests hold the two paths to the same results.
#include "match/watch_matcher.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cstdint>
#include <unordered_map>
#include <utility>

#include "core/hash.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "match/evaluator.h"

namespace earshot::match {
namespace {

constexpr size_t kMaxPatternBytesCeiling = size_t{1} << 20;
// Compile attempts before giving up on the database: each failure names one
// pattern, which is dropped (its watches are always evaluated) and the rest
// is compiled again.
constexpr int kMaxCompileAttempts = 16;

// Returns true for a hashtag or handle whose name is one literal word
// (#aws, @jdoe): the scan text lists such names on their own (see
// WriteScanText), so its pattern " #aws " hits exactly when it occurs.
bool IsPlainSigilName(const Node& a) {
  return (a.kind == NodeKind::kHashtag || a.kind == NodeKind::kHandle) && a.words.size() == 1 &&
         a.words[0].literal() && a.lead.empty() && a.trail.empty();
}

// Returns true for {Word}: one word whose case matters, not written as its
// folded form. It occurs exactly when a word that folding changed is written
// so: the matcher looks the changed words up, and its pattern never goes to
// Hyperscan.
bool IsCasedWord(const Node& a) {
  return a.kind == NodeKind::kExact && a.words.size() == 1 && a.exact[0] != a.words[0].text;
}

// Returns true for {word}: one word written as its folded form. It occurs
// exactly when some occurrence of the folded word is not a changed one
// (WatchMatcher::UncasedOccurs).
bool IsUncasedWord(const Node& a) {
  return a.kind == NodeKind::kExact && a.words.size() == 1 && a.exact[0] == a.words[0].text;
}

// Marks the pattern of a cased word: looked up, never scanned for. It is no
// word character, so no literal of the scan text starts with it.
constexpr char kCasedMark = '\x01';

// The hash of a cased word in CompiledWatchSet's table; never 0 (an empty slot).
uint64_t CasedHash(std::string_view word) { return Hash64(word) | 1; }

// Returns the literal that must occur in the scanned words when text atom
// `a` occurs, cut to `max_bytes`; "" when the atom gives none (it starts
// with '?'). Starts at the word giving the longest literal.
std::string AtomLiteral(const Node& a, size_t max_bytes) {
  if (IsPlainSigilName(a)) {
    std::string lit = " ";
    lit += a.kind == NodeKind::kHashtag ? '#' : '@';
    lit += a.words[0].text;
    lit += ' ';
    if (lit.size() > max_bytes) lit.resize(max_bytes);
    return lit;
  }
  if (IsCasedWord(a)) return kCasedMark + a.exact[0];  // whole: a look-up is never cut
  // When every word is literal, the first start gives the longest literal.
  const bool all_literal =
      std::all_of(a.words.begin(), a.words.end(), [](const WordPattern& w) { return w.literal(); });
  std::string best;
  for (size_t start = 0; start < (all_literal ? 1 : a.words.size()); ++start) {
    std::string lit = " ";
    for (size_t k = start; k < a.words.size(); ++k) {
      const WordPattern& w = a.words[k];
      if (!w.literal()) {
        lit += w.prefix;
        break;
      }
      lit += w.text;
      lit += ' ';
    }
    if (lit.size() > best.size()) best = std::move(lit);
  }
  if (best.size() <= 1) return "";
  if (best.size() > max_bytes) best.resize(max_bytes);
  return best;
}

// ASCII letters and digits folded to lower case; 0 for every other ASCII byte.
constexpr std::array<char, 128> kAsciiFold = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t[c] = static_cast<char>(c);
    if (c >= 'A' && c <= 'Z') t[c] = static_cast<char>(c + 32);
  }
  return t;
}();

// Writes the UTF-8 of `cp` at `o` (U+FFFD for a value that is no scalar, as
// AppendUtf8 does) and returns the end.
char* EncodeUtf8(char32_t cp, char* o) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacementChar;
  if (cp < 0x80) {
    *o++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *o++ = static_cast<char>(0xC0 | (cp >> 6));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *o++ = static_cast<char>(0xE0 | (cp >> 12));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *o++ = static_cast<char>(0xF0 | (cp >> 18));
    *o++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *o++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *o++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return o;
}

using detail::CasedWord;
using detail::SigilWord;

// Writes the words of `text` at `o`, folded, each followed by a space, and
// returns the end; `o` needs room for 1.5 * text.size() + 1 bytes. The words
// and their folding are exactly those of ForEachWord (core/word_tokenizer.h:
// the same character classes, the same decoder and case map, U+FFFD and
// ill-formed bytes separating), in one pass with a table for ASCII and no
// per-word copy: it runs on every mention, and in the profile of Match() at
// 10,000 watches ForEachWord plus the copy took about 15% of the samples,
// this loop 9%. A test compares the two on real, generated and random bytes.
// Appends to `sigils` each word that a plain #name or @name atom would
// match: right after the sigil, and not continued (ContinuesSigilName); and,
// when `cased` is not null, to it each word that folding changed.
char* AppendFoldedWords(std::string_view text, const char* buf, char* o, std::vector<SigilWord>& sigils,
                        std::vector<CasedWord>* cased) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t pos = 0;
  while (true) {
    // Separators, up to the first character of a word.
    size_t word_begin = 0;
    char* const word_out = o;
    unsigned changed = 0;  // nonzero once folding changed a character of the word
    while (true) {
      if (pos >= n) return o;
      const size_t at = pos;
      const unsigned char c = s[pos];
      if (c < 0x80) {
        ++pos;
        const char f = kAsciiFold[c];
        if (f == 0) continue;
        *o++ = f;
        changed = static_cast<unsigned char>(f) ^ c;
      } else {
        const char32_t cp = DecodeUtf8(text, pos);
        if (cp == kReplacementChar || !IsWordChar(cp)) continue;
        const char32_t f = FoldCase(cp);
        o = EncodeUtf8(f, o);
        changed = f != cp;
      }
      word_begin = at;
      break;
    }
    // The rest of the word; `end` is where it stops.
    size_t end = n;
    while (pos < n) {
      const size_t at = pos;
      const unsigned char c = s[pos];
      if (c < 0x80) {
        ++pos;
        const char f = kAsciiFold[c];
        if (f == 0) {
          end = at;
          break;
        }
        *o++ = f;
        changed |= static_cast<unsigned char>(f) ^ c;
      } else {
        const char32_t cp = DecodeUtf8(text, pos);
        if (cp == kReplacementChar || !IsWordChar(cp)) {
          end = at;
          break;
        }
        const char32_t f = FoldCase(cp);
        o = EncodeUtf8(f, o);
        changed |= f != cp;
      }
    }
    if (changed != 0 && cased != nullptr) {
      cased->push_back(CasedWord{text.substr(word_begin, end - word_begin), static_cast<uint32_t>(word_out - buf),
                                 static_cast<uint32_t>(o - buf)});
    }
    if (word_begin > 0) {
      const char sigil = text[word_begin - 1];
      if ((sigil == '#' || sigil == '@') && !ContinuesSigilName(text, end, sigil == '@')) {
        sigils.push_back(SigilWord{sigil, static_cast<uint32_t>(word_out - buf), static_cast<uint32_t>(o - buf)});
      }
    }
    *o++ = ' ';
  }
}

// Returns `lit` as a Hyperscan expression matching exactly those bytes.
std::string EscapeForHyperscan(std::string_view lit) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(lit.size() * 2);
  for (char c : lit) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else {
      auto b = static_cast<unsigned char>(c);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace

// Turns watches into a CompiledWatchSet: patterns, triggers, filters and the
// Hyperscan database.
class WatchSetBuilder {
 public:
  explicit WatchSetBuilder(const MatcherOptions& options) : options_(options) {}

  std::shared_ptr<const CompiledWatchSet> Build(std::vector<WatchSpec> watches) {
    auto set = std::shared_ptr<CompiledWatchSet>(new CompiledWatchSet());
    set->watches_ = std::move(watches);
    const size_t n = set->watches_.size();
    for (const WatchSpec& w : set->watches_) {
      watch_patterns_.clear();
      Intern(w.query.root());
      std::sort(watch_patterns_.begin(), watch_patterns_.end());
      watch_patterns_.erase(std::unique(watch_patterns_.begin(), watch_patterns_.end()), watch_patterns_.end());
      for (uint32_t p : watch_patterns_) ++uses_[p];
    }
    // How often a pattern hits is unknown before any text is seen. Two
    // signs stand in: short literals hit more often than long ones and
    // phrases, and a term that many watches use (outage, price, support) is
    // a common word, while a brand appears in a few. So the trigger of
    // `brand AND (outage OR price)` is brand, even in a set where thousands
    // of watches mention outage.
    cost_.resize(literals_.size());
    for (size_t p = 0; p < literals_.size(); ++p) {
      cost_[p] = static_cast<double>(uses_[p]) / static_cast<double>(literals_[p].size());
    }
    failed_ = CompileDatabase(*set);
    BuildCasedTable(*set);
    // Triggers and filters see a rejected pattern as an atom without one.
    std::vector<std::optional<Need>> triggers(n);
    std::vector<Filter> filters(n);
    for (size_t w = 0; w < n; ++w) {
      const Node& root = set->watches_[w].query.root();
      triggers[w] = NeedOf(root);
      filters[w] = FilterOf(root, /*in_title=*/false);
    }
    Index(*set, triggers, filters);
    set->term_begin_.assign(1, 0);
    for (size_t w = 0; w < n; ++w) {
      if (set->exact_[w]) CollectTerms(set->watches_[w].query.root(), /*negated=*/false, *set);
      set->term_begin_.push_back(static_cast<uint32_t>(set->term_patterns_.size()));
    }
    set->track_cased_ =
        !set->cased_hashes_.empty() ||
        std::any_of(set->filter_ops_.begin(), set->filter_ops_.end(),
                    [](const FilterOp& op) { return op.kind == FilterOp::kUncased; }) ||
        std::any_of(set->term_uncased_.begin(), set->term_uncased_.end(), [](const std::string* w) { return w; });
    set->ids_.reserve(n);
    for (const WatchSpec& w : set->watches_) set->ids_.push_back(w.id);
    set->stats_.watches = n;
    set->stats_.patterns = literals_.size();
    set->stats_.always_evaluated = set->always_.size();
    set->stats_.exact = static_cast<size_t>(std::count(set->exact_.begin(), set->exact_.end(), 1));
    set->stats_.failed_patterns = static_cast<size_t>(std::count(failed_.begin(), failed_.end(), true));
    if (set->db_) {
      size_t bytes = 0;
      if (hs_database_size(set->db_.get(), &bytes) == HS_SUCCESS) set->stats_.database_bytes = bytes;
    }
    return set;
  }

 private:
  using FilterOp = CompiledWatchSet::FilterOp;

  // A necessary condition: one of `patterns` hits. `cost` estimates how
  // often, from the patterns' costs (see Intern).
  struct Need {
    std::vector<uint32_t> patterns;
    double cost = 0;
  };
  // A formula over pattern hits implied by a subtree; `exact` when it is
  // equivalent to the subtree.
  struct Filter {
    FilterOp::Kind kind = FilterOp::kTrue;
    uint32_t pattern = 0;
    const Node* node = nullptr;  // kField
    std::vector<Filter> children;
    bool exact = false;
  };

  // Adds the pattern of every text atom under `n` to the table and to watch_patterns_.
  void Intern(const Node& n) {
    if (n.IsTextAtom()) {
      std::string lit = AtomLiteral(n, options_.max_pattern_bytes);
      if (lit.empty()) return;
      auto [it, inserted] = ids_.try_emplace(lit, static_cast<uint32_t>(literals_.size()));
      if (inserted) {
        literals_.push_back(std::move(lit));
        uses_.push_back(0);
      }
      watch_patterns_.push_back(it->second);
      return;
    }
    for (const auto& c : n.children) Intern(*c);
  }

  // Returns the id of text atom `a`'s pattern; nullopt when the atom gives no
  // literal or Hyperscan rejected it. REQUIRES: Intern() saw `a`.
  std::optional<uint32_t> PatternOf(const Node& a) const {
    std::string lit = AtomLiteral(a, options_.max_pattern_bytes);
    if (lit.empty()) return std::nullopt;
    uint32_t id = ids_.at(lit);
    if (failed_[id]) return std::nullopt;
    return id;
  }

  // Returns true when the pattern of text atom `a` hits exactly when `a`
  // occurs in the title or the text: a kWords atom whose words are literal
  // but for a trailing '*' after a prefix on the last, with a literal that
  // was not cut. ("a *" is not: its pattern " a " also hits a last word a.)
  bool IsExactAtom(const Node& a) const {
    if (IsCasedWord(a)) return true;
    if (IsPlainSigilName(a)) return AtomLiteral(a, SIZE_MAX).size() <= options_.max_pattern_bytes;
    if (a.kind != NodeKind::kWords) return false;
    for (size_t k = 0; k < a.words.size(); ++k) {
      const WordPattern& w = a.words[k];
      bool last = k + 1 == a.words.size();
      if (!w.literal() && !(last && w.trailing_star && !w.has_question && !w.prefix.empty())) return false;
    }
    return AtomLiteral(a, SIZE_MAX).size() <= options_.max_pattern_bytes;
  }

  // Returns a kWords atom with the words of `a`: {word}'s pattern is the
  // plain word's.
  static Node Folded(const Node& a) {
    Node n;
    n.words = a.words;
    return n;
  }

  static Node const* Unnegate(const Node& n) {
    // NOT NOT x holds exactly when x does.
    if (n.kind == NodeKind::kNot && n.children[0]->kind == NodeKind::kNot) return n.children[0]->children[0].get();
    return &n;
  }

  std::optional<Need> NeedOf(const Node& node) {
    const Node& n = *Unnegate(node);
    switch (n.kind) {
      case NodeKind::kWords:
      case NodeKind::kExact:
      case NodeKind::kHashtag:
      case NodeKind::kHandle: {
        std::optional<uint32_t> p = PatternOf(n);
        if (!p) return std::nullopt;
        return Need{{*p}, cost_[*p]};
      }
      case NodeKind::kNear:  // every operand occurs
      case NodeKind::kAnd: {
        std::optional<Need> best;
        for (const auto& c : n.children) {
          std::optional<Need> need = NeedOf(*c);
          if (need && (!best || need->cost < best->cost)) best = std::move(need);
        }
        return best;
      }
      case NodeKind::kOr: {
        Need all;
        for (const auto& c : n.children) {
          std::optional<Need> need = NeedOf(*c);
          if (!need) return std::nullopt;
          all.patterns.insert(all.patterns.end(), need->patterns.begin(), need->patterns.end());
        }
        std::sort(all.patterns.begin(), all.patterns.end());
        all.patterns.erase(std::unique(all.patterns.begin(), all.patterns.end()), all.patterns.end());
        for (uint32_t p : all.patterns) all.cost += cost_[p];
        return all;
      }
      case NodeKind::kTitle: return NeedOf(*n.children[0]);  // title words are scanned too
      case NodeKind::kNot:
      case NodeKind::kField:
      case NodeKind::kFollowers: return std::nullopt;
    }
    return std::nullopt;
  }

  // Returns the filter of `node`. Under title: (`in_title`) no part is
  // exact: a pattern hit may come from the text, so only a positive hit is
  // implied, never its negation.
  Filter FilterOf(const Node& node, bool in_title) {
    const Node& n = *Unnegate(node);
    Filter f;
    switch (n.kind) {
      case NodeKind::kWords:
      case NodeKind::kExact:
      case NodeKind::kHashtag:
      case NodeKind::kHandle:
        if (std::optional<uint32_t> p = PatternOf(n)) {
          f.kind = FilterOp::kPattern;
          f.pattern = *p;
          f.exact = !in_title && IsExactAtom(n);
          if (!in_title && IsUncasedWord(n) && IsExactAtom(Folded(n))) {
            f.kind = FilterOp::kUncased;
            f.node = &n;
            f.exact = true;
          }
        }
        return f;
      case NodeKind::kNot: {
        // NOT of an exact part is exact; of anything else, only true is implied.
        Filter c = FilterOf(*n.children[0], in_title);
        if (!c.exact) return f;
        f.kind = FilterOp::kNot;
        f.exact = true;
        f.children.push_back(std::move(c));
        return f;
      }
      case NodeKind::kNear:
      case NodeKind::kAnd:
        f.exact = n.kind == NodeKind::kAnd;
        for (const auto& c : n.children) {
          Filter cf = FilterOf(*c, in_title);
          f.exact = f.exact && cf.exact;
          if (cf.kind != FilterOp::kTrue) f.children.push_back(std::move(cf));
        }
        break;
      case NodeKind::kOr:
        f.exact = true;
        for (const auto& c : n.children) {
          Filter cf = FilterOf(*c, in_title);
          if (cf.kind == FilterOp::kTrue) return Filter{};
          f.exact = f.exact && cf.exact;
          f.children.push_back(std::move(cf));
        }
        break;
      case NodeKind::kTitle: return FilterOf(*n.children[0], /*in_title=*/true);
      case NodeKind::kField:
      case NodeKind::kFollowers:
        // Decided on the mention itself, as Matches() decides it; an
        // author's display name needs the view's folded words.
        if (n.kind == NodeKind::kField && n.field == Field::kAuthorName) return f;
        f.kind = FilterOp::kField;
        f.node = &n;
        f.exact = true;
        return f;
    }
    if (f.children.empty()) return Filter{};
    if (f.children.size() == 1) {
      bool exact = f.exact;
      Filter only = std::move(f.children[0]);
      only.exact = exact;
      return only;
    }
    f.kind = n.kind == NodeKind::kOr ? FilterOp::kOr : FilterOp::kAnd;
    return f;
  }

  // Appends to the exact watch's term lists the atoms MatchedTerms() would
  // report when present: not negated, in query order, first of equal texts.
  void CollectTerms(const Node& n, bool negated, CompiledWatchSet& set) const {
    if (n.IsTextAtom()) {
      if (negated) return;
      std::string text = NodeToString(n);
      auto begin = set.term_texts_.begin() + set.term_begin_.back();
      if (std::find(begin, set.term_texts_.end(), text) != set.term_texts_.end()) return;
      set.term_patterns_.push_back(*PatternOf(n));  // exact atoms have a pattern
      set.term_texts_.push_back(std::move(text));
      set.term_uncased_.push_back(IsUncasedWord(n) ? &n.words[0].text : nullptr);
      return;
    }
    if (n.kind == NodeKind::kNot) negated = !negated;
    for (const auto& c : n.children) CollectTerms(*c, negated, set);
  }

  // Returns true when the filter says no more than the trigger: true, one
  // pattern, or an OR of patterns (which is then the trigger's set).
  static bool AddsNothing(const Filter& f) {
    if (f.kind == FilterOp::kTrue || f.kind == FilterOp::kPattern) return true;
    return f.kind == FilterOp::kOr && std::all_of(f.children.begin(), f.children.end(),
                                                  [](const Filter& c) { return c.kind == FilterOp::kPattern; });
  }

  // Fills the set's table of cased words (see CompiledWatchSet::FindCased).
  void BuildCasedTable(CompiledWatchSet& set) const {
    std::vector<uint32_t> cased;
    for (uint32_t p = 0; p < literals_.size(); ++p) {
      if (literals_[p][0] == kCasedMark) cased.push_back(p);
    }
    if (cased.empty()) return;
    size_t size = 16;
    while (size < 2 * cased.size()) size *= 2;  // at most half full
    set.cased_hashes_.assign(size, 0);
    set.cased_patterns_.assign(size, 0);
    for (uint32_t p : cased) {
      const uint64_t h = CasedHash(std::string_view(literals_[p]).substr(1));
      size_t i = h & (size - 1);
      while (set.cased_hashes_[i] != 0) i = (i + 1) & (size - 1);
      set.cased_hashes_[i] = h;
      set.cased_patterns_[i] = p;
    }
  }

  static void Flatten(const Filter& f, std::vector<FilterOp>& out) {
    size_t at = out.size();
    out.push_back(FilterOp{.kind = f.kind, .pattern = f.pattern, .end = 0, .node = f.node});
    for (const Filter& c : f.children) Flatten(c, out);
    out[at].end = static_cast<uint32_t>(out.size());
  }

  // Compiles the patterns into set.db_. Returns, per pattern, whether it was
  // left out because Hyperscan rejected it (or the database as a whole).
  std::vector<bool> CompileDatabase(CompiledWatchSet& set) {
    std::vector<bool> failed(literals_.size(), false);
    std::vector<std::string> exprs;
    exprs.reserve(literals_.size());
    for (const std::string& lit : literals_) exprs.push_back(EscapeForHyperscan(lit));
    std::vector<uint32_t> active;  // cased words are looked up, not scanned for
    for (uint32_t i = 0; i < literals_.size(); ++i) {
      if (literals_[i][0] != kCasedMark) active.push_back(i);
    }
    for (int attempt = 0; !active.empty(); ++attempt) {
      std::vector<const char*> ptrs;
      std::vector<unsigned int> flags(active.size(), HS_FLAG_SINGLEMATCH);
      ptrs.reserve(active.size());
      for (uint32_t p : active) ptrs.push_back(exprs[p].c_str());
      hs_database_t* db = nullptr;
      hs_compile_error_t* raw_error = nullptr;
      hs_error_t rc =
          hs_compile_multi(ptrs.data(), flags.data(), active.data(), static_cast<unsigned int>(active.size()),
                           HS_MODE_BLOCK, nullptr, &db, &raw_error);
      HsCompileError error(raw_error);
      if (rc == HS_SUCCESS) {
        set.db_.reset(db);
        break;
      }
      std::string message = error ? error->message : "hs_compile_multi failed with code " + std::to_string(rc);
      int bad = error ? error->expression : -1;
      if (set.stats_.hyperscan_error.empty()) {
        set.stats_.hyperscan_error =
            bad >= 0 ? "pattern \"" + literals_[active[static_cast<size_t>(bad)]] + "\": " + message : message;
      }
      if (bad < 0 || static_cast<size_t>(bad) >= active.size() || attempt + 1 >= kMaxCompileAttempts) {
        for (uint32_t p : active) failed[p] = true;
        break;
      }
      failed[active[static_cast<size_t>(bad)]] = true;
      active.erase(active.begin() + bad);
    }
    set.patterns_ = literals_;
    return failed;
  }

  // Fills the trigger lists, the always-evaluated list and the filters.
  void Index(CompiledWatchSet& set, const std::vector<std::optional<Need>>& triggers,
             const std::vector<Filter>& filters) const {
    const size_t n = set.watches_.size();
    const size_t patterns = literals_.size();
    std::vector<uint32_t> count(patterns + 1, 0);
    for (size_t w = 0; w < n; ++w) {
      if (!triggers[w]) {
        set.always_.push_back(static_cast<uint32_t>(w));
        continue;
      }
      for (uint32_t p : triggers[w]->patterns) ++count[p + 1];
    }
    for (size_t p = 0; p < patterns; ++p) count[p + 1] += count[p];
    set.trigger_begin_ = count;
    set.trigger_watches_.resize(count[patterns]);
    for (size_t w = 0; w < n; ++w) {  // ascending w, so each list is sorted
      if (!triggers[w]) continue;
      for (uint32_t p : triggers[w]->patterns) set.trigger_watches_[count[p]++] = static_cast<uint32_t>(w);
    }
    set.filter_begin_.assign(1, 0);
    set.exact_.assign(n, 0);
    for (size_t w = 0; w < n; ++w) {
      set.exact_[w] = filters[w].exact ? 1 : 0;
      // A filter that says no more than the trigger holds whenever the watch
      // is proposed, so it is not stored (most exact watches: a word, a
      // phrase, an OR of them). A watch without a trigger keeps its filter.
      if (!(triggers[w] && AddsNothing(filters[w]))) Flatten(filters[w], set.filter_ops_);
      set.filter_begin_.push_back(static_cast<uint32_t>(set.filter_ops_.size()));
    }
  }

  const MatcherOptions& options_;
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<std::string> literals_;
  std::vector<uint32_t> uses_;            // per pattern: watches that use it
  std::vector<double> cost_;              // per pattern: the trigger cost estimate
  std::vector<bool> failed_;              // per pattern: left out of the database
  std::vector<uint32_t> watch_patterns_;  // Intern()'s output for one watch
};

// ---------------------------------------------------------------- CompiledWatchSet

Result<std::shared_ptr<const CompiledWatchSet>> CompiledWatchSet::Compile(std::vector<WatchSpec> watches,
                                                                          const MatcherOptions& options) {
  if (options.max_pattern_bytes < 1 || options.max_pattern_bytes > kMaxPatternBytesCeiling) {
    return Status::InvalidArgument("MatcherOptions.max_pattern_bytes must be in 1 .. " +
                                   std::to_string(kMaxPatternBytesCeiling) + ", got " +
                                   std::to_string(options.max_pattern_bytes));
  }
  if (watches.size() >= UINT32_MAX)
    return Status::InvalidArgument("too many watches: " + std::to_string(watches.size()));
  std::stable_sort(watches.begin(), watches.end(), [](const WatchSpec& a, const WatchSpec& b) { return a.id < b.id; });
  for (size_t i = 1; i < watches.size(); ++i) {
    if (watches[i].id == watches[i - 1].id) {
      return Status::InvalidArgument("watch id " + std::to_string(watches[i].id) + " is used twice (\"" +
                                     watches[i - 1].name + "\" and \"" + watches[i].name + "\")");
    }
  }
  return WatchSetBuilder(options).Build(std::move(watches));
}

CompiledWatchSet::~CompiledWatchSet() = default;

namespace {

// Writes the scan text of `m` at the start of `buf`, growing it if needed
// (never shrinking, so a reused buffer is not cleared for every mention),
// and returns its length. Sets *words_end to the end of the folded words
// (title and text); fills `cased` when it is not null.
size_t WriteScanText(const Mention& m, std::string& buf, size_t* words_end, std::vector<SigilWord>& sigils,
                     std::vector<CasedWord>* cased) {
  // Bounds: a word character's folded UTF-8 is at most 1.5 times its own
  // length and each other character gives at most one space; a listed name
  // takes at most 2 bytes more than its word and sigil.
  size_t room = 4 * (m.title.size() + m.text.size()) + 16;
  if (buf.size() < room) buf.resize(room);
  sigils.clear();
  if (cased != nullptr) cased->clear();
  char* const start = buf.data();
  char* o = start;
  *o++ = ' ';
  o = AppendFoldedWords(m.title, start, o, sigils, cased);
  // '\n' never occurs in a pattern, so none spans two sections.
  *o++ = '\n';
  *o++ = ' ';
  o = AppendFoldedWords(m.text, start, o, sigils, cased);
  *words_end = static_cast<size_t>(o - start);
  if (!sigils.empty()) {
    *o++ = '\n';
    *o++ = ' ';
    for (const SigilWord& w : sigils) {
      *o++ = w.sigil;
      o = std::copy(start + w.begin, start + w.end, o);
      *o++ = ' ';
    }
  }
  return static_cast<size_t>(o - start);
}

}  // namespace

void CompiledWatchSet::BuildScanText(const Mention& m, std::string* out) {
  std::vector<SigilWord> sigils;
  size_t words_end = 0;
  out->resize(WriteScanText(m, *out, &words_end, sigils, nullptr));
}

int64_t CompiledWatchSet::FindCased(std::string_view raw) const {
  const size_t mask = cased_hashes_.size() - 1;
  const uint64_t h = CasedHash(raw);
  for (size_t i = h & mask; cased_hashes_[i] != 0; i = (i + 1) & mask) {
    if (cased_hashes_[i] == h && std::string_view(patterns_[cased_patterns_[i]]).substr(1) == raw) {
      return cased_patterns_[i];
    }
  }
  return -1;
}

const WatchSpec* CompiledWatchSet::Find(int64_t id) const {
  auto it =
      std::lower_bound(watches_.begin(), watches_.end(), id, [](const WatchSpec& w, int64_t v) { return w.id < v; });
  return it != watches_.end() && it->id == id ? &*it : nullptr;
}

// ---------------------------------------------------------------- WatchSetHolder

WatchSetHolder::WatchSetHolder(std::shared_ptr<const CompiledWatchSet> initial) : current_(std::move(initial)) {}

std::shared_ptr<const CompiledWatchSet> WatchSetHolder::Get() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

void WatchSetHolder::Set(std::shared_ptr<const CompiledWatchSet> next) {
  std::shared_ptr<const CompiledWatchSet> old;
  {
    std::lock_guard<std::mutex> lock(mu_);
    old = std::exchange(current_, std::move(next));
    version_.fetch_add(1, std::memory_order_release);
  }
  // `old` is released here, outside the lock, when no matcher holds it.
}

std::shared_ptr<const CompiledWatchSet> WatchSetHolder::Snapshot(uint64_t* version) const {
  std::lock_guard<std::mutex> lock(mu_);
  *version = version_.load(std::memory_order_relaxed);
  return current_;
}

// ---------------------------------------------------------------- WatchMatcher

Result<WatchMatcher> WatchMatcher::Create(const WatchSetHolder& holder) {
  uint64_t version = 0;
  std::shared_ptr<const CompiledWatchSet> set = holder.Snapshot(&version);
  if (set == nullptr) return Status::InvalidArgument("WatchMatcher::Create: the holder has no watch set");
  WatchMatcher m(&holder, nullptr);
  EARSHOT_RETURN_IF_ERROR(m.Adopt(std::move(set)));
  m.version_ = version;
  return m;
}

Result<WatchMatcher> WatchMatcher::Create(std::shared_ptr<const CompiledWatchSet> set) {
  if (set == nullptr) return Status::InvalidArgument("WatchMatcher::Create: no watch set");
  WatchMatcher m(nullptr, nullptr);
  EARSHOT_RETURN_IF_ERROR(m.Adopt(std::move(set)));
  return m;
}

WatchMatcher::WatchMatcher(const WatchSetHolder* holder, std::shared_ptr<const CompiledWatchSet> set)
    : holder_(holder), set_(std::move(set)) {}
WatchMatcher::WatchMatcher(WatchMatcher&&) noexcept = default;
WatchMatcher& WatchMatcher::operator=(WatchMatcher&&) noexcept = default;
WatchMatcher::~WatchMatcher() = default;

Status WatchMatcher::Adopt(std::shared_ptr<const CompiledWatchSet> set) {
  set_ = std::move(set);
  pattern_epoch_.assign(set_->patterns_.size(), 0);
  watch_epoch_.assign(set_->size(), 0);
  epoch_ = 0;
  scratch_ok_ = false;
  if (!set_->db_) return Status::Ok();
  // Grows the scratch we have (or makes one) to fit the new database; on
  // failure Hyperscan frees it and leaves null.
  hs_scratch_t* raw = scratch_.release();
  hs_error_t rc = hs_alloc_scratch(set_->db_.get(), &raw);
  scratch_.reset(raw);
  if (rc != HS_SUCCESS) {
    return Status::ResourceExhausted("cannot allocate Hyperscan scratch space for " + std::to_string(set_->size()) +
                                     " watches (hs_alloc_scratch code " + std::to_string(rc) + ")");
  }
  scratch_ok_ = true;
  return Status::Ok();
}

void WatchMatcher::Refresh() {
  if (holder_ == nullptr || holder_->version() == version_) return;
  uint64_t version = 0;
  std::shared_ptr<const CompiledWatchSet> next = holder_->Snapshot(&version);
  version_ = version;
  if (next == set_) return;
  ++counters_.set_changes;
  // A failed scratch allocation leaves scratch_ok_ false: Match() then
  // evaluates every watch, which is slow but still right.
  (void)Adopt(std::move(next));
}

void WatchMatcher::NextEpoch() {
  if (++epoch_ == 0) {
    std::fill(pattern_epoch_.begin(), pattern_epoch_.end(), 0);
    std::fill(watch_epoch_.begin(), watch_epoch_.end(), 0);
    epoch_ = 1;
  }
}

int WatchMatcher::OnHsMatch(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
  auto* self = static_cast<WatchMatcher*>(ctx);
  // HS_FLAG_SINGLEMATCH reports each pattern at most once per scan.
  self->pattern_epoch_[id] = self->epoch_;
  self->hits_.push_back(id);
  return 0;
}

bool WatchMatcher::Scan(const Mention& m) {
  const CompiledWatchSet& set = *set_;
  size_t length = WriteScanText(m, scan_buf_, &words_end_, sigils_, set.track_cased_ ? &cased_ : nullptr);
  if (set.db_) {
    if (length > UINT_MAX || !scratch_ok_) return false;
    hs_error_t rc = hs_scan(set.db_.get(), scan_buf_.data(), static_cast<unsigned int>(length), 0, scratch_.get(),
                            &WatchMatcher::OnHsMatch, this);
    if (rc != HS_SUCCESS) return false;
  }
  if (!set.cased_hashes_.empty()) {
    for (const CasedWord& w : cased_) {
      const int64_t p = set.FindCased(w.raw);
      if (p < 0 || pattern_epoch_[p] == epoch_) continue;
      pattern_epoch_[p] = epoch_;
      hits_.push_back(static_cast<uint32_t>(p));
    }
  }
  return true;
}

bool WatchMatcher::UncasedOccurs(std::string_view word) const {
  // Occurrences of " word " among the folded words (consecutive ones share
  // a space), less the changed words that fold to it.
  const std::string_view words(scan_buf_.data(), words_end_);
  int64_t n = 0;
  for (size_t at = words.find(word); at != std::string_view::npos; at = words.find(word, at + 1)) {
    n += words[at - 1] == ' ' && at + word.size() < words.size() && words[at + word.size()] == ' ';
  }
  for (const CasedWord& w : cased_) {
    n -= words.substr(w.begin, w.end - w.begin) == word;
  }
  return n > 0;
}

bool WatchMatcher::EvalFilter(const CompiledWatchSet::FilterOp* ops, uint32_t i) const {
  const CompiledWatchSet::FilterOp& op = ops[i];
  switch (op.kind) {
    case CompiledWatchSet::FilterOp::kTrue: return true;
    case CompiledWatchSet::FilterOp::kPattern: return pattern_epoch_[op.pattern] == epoch_;
    case CompiledWatchSet::FilterOp::kAnd:
      for (uint32_t c = i + 1; c < op.end; c = ops[c].end) {
        if (!EvalFilter(ops, c)) return false;
      }
      return true;
    case CompiledWatchSet::FilterOp::kOr:
      for (uint32_t c = i + 1; c < op.end; c = ops[c].end) {
        if (EvalFilter(ops, c)) return true;
      }
      return false;
    case CompiledWatchSet::FilterOp::kNot: return !EvalFilter(ops, i + 1);
    case CompiledWatchSet::FilterOp::kField: return MentionFieldHolds(*op.node, *mention_);
    case CompiledWatchSet::FilterOp::kUncased:
      return pattern_epoch_[op.pattern] == epoch_ && UncasedOccurs(op.node->words[0].text);
  }
  return true;
}

bool WatchMatcher::FilterHolds(uint32_t w) const {
  uint32_t begin = set_->filter_begin_[w];
  if (begin == set_->filter_begin_[w + 1]) return true;
  // Offsets in a watch's ops are relative to the whole array.
  return EvalFilter(set_->filter_ops_.data(), begin);
}

void WatchMatcher::Evaluate(uint32_t w, const Mention& m, std::vector<WatchHit>* out) {
  ++counters_.evaluated;
  if (!view_ready_) {
    if (view_) {
      view_->Reset(m);
    } else {
      view_.emplace(m);
    }
    view_ready_ = true;
    ++counters_.views_built;
  }
  const WatchSpec& spec = set_->watches_[w];
  if (!Matches(spec.query, *view_)) return;
  WatchHit& hit = out->emplace_back();
  hit.watch_id = spec.id;
  MatchedTerms(spec.query, *view_, &hit.terms);
  ++counters_.hits;
}

void WatchMatcher::AppendExactHit(uint32_t w, std::vector<WatchHit>* out) {
  const CompiledWatchSet& set = *set_;
  WatchHit& hit = out->emplace_back();
  hit.watch_id = set.ids_[w];
  for (uint32_t t = set.term_begin_[w]; t < set.term_begin_[w + 1]; ++t) {
    if (pattern_epoch_[set.term_patterns_[t]] != epoch_) continue;
    if (set.term_uncased_[t] != nullptr && !UncasedOccurs(*set.term_uncased_[t])) continue;
    hit.terms.push_back(set.term_texts_[t]);
  }
  ++counters_.hits;
}

void WatchMatcher::Match(const Mention& m, std::vector<WatchHit>* out) {
  Refresh();
  ++counters_.mentions;
  mention_ = &m;
  view_ready_ = false;
  if (set_->db_ && !scratch_ok_) (void)Adopt(set_);  // retry a failed allocation
  const CompiledWatchSet& set = *set_;
  NextEpoch();
  hits_.clear();
  if ((set.db_ || set.track_cased_) && !Scan(m)) {
    ++counters_.full_fallbacks;
    counters_.candidates += static_cast<int64_t>(set.size());
    for (uint32_t w = 0; w < set.size(); ++w) Evaluate(w, m, out);
    return;
  }
  // Candidates whose filter fails are dropped before sorting; for exact
  // watches the filter is the decision.
  candidates_.clear();
  auto consider = [&](uint32_t w) {
    ++counters_.candidates;
    counters_.decided += set.exact_[w];
    if (FilterHolds(w)) candidates_.push_back(w);
  };
  for (uint32_t p : hits_) {
    for (uint32_t i = set.trigger_begin_[p]; i < set.trigger_begin_[p + 1]; ++i) {
      uint32_t w = set.trigger_watches_[i];
      if (watch_epoch_[w] == epoch_) continue;
      watch_epoch_[w] = epoch_;
      consider(w);
    }
  }
  // Always-evaluated watches are in no trigger list, so never seen twice.
  for (uint32_t w : set.always_) consider(w);
  std::sort(candidates_.begin(), candidates_.end());
  for (uint32_t w : candidates_) {
    if (set.exact_[w]) {
      AppendExactHit(w, out);
    } else {
      Evaluate(w, m, out);
    }
  }
}

}  // namespace earshot::match
