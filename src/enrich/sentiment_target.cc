#include "enrich/sentiment_target.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/strings.h"
#include "core/word_tokenizer.h"
#include "enrich/sentiment.h"

namespace earshot::enrich {
namespace {

// The prior of a role when its clauses carry no sentiment of their own
// ("switched from X to Y"): well clear of the +-0.05 class thresholds, yet
// weaker than most explicit opinions.
constexpr double kRolePrior = 0.4;

enum class Mark { kWord, kGreater, kLess, kArrow };

// A word (folded) or a comparison/transition symbol, with its byte span in
// the whole text.
struct Tok {
  std::string_view w;
  size_t begin = 0;
  size_t end = 0;
  Mark mark = Mark::kWord;
  uint32_t cues = 0;  // Cue flags of a word
};

// What a word can be to the rules: one flag per word list below.
enum Cue : uint32_t {
  kDepart = 1u << 0,    // left X for Y
  kSwitch = 1u << 1,    // switched from X to Y
  kSwitchTo = 1u << 2,  // a switch with "to" alone ("upgraded to Y"); "going to" and "changed to" are not
  kReplace = 1u << 3,   // replaced X with Y
  kPrefer = 1u << 4,    // chose Y over X
  kContrast = 1u << 5,  // starts a clause
  kVersus = 1u << 6,    // vs, versus: start a clause too
  kFor = 1u << 7,
  kWithBy = 1u << 8,
  kFrom = 1u << 9,
  kToward = 1u << 10,  // to, onto, into, for
  kOver = 1u << 11,
  kThan = 1u << 12,
};

// Every cue word with its flags, looked up once per token: the rules test a
// token against several lists, many times per target.
struct CueTable {
  std::unordered_map<std::string_view, uint32_t> flags;
  size_t longest = 0;
};

const CueTable& Cues() {
  static const auto* table = [] {
    auto* t = new CueTable();
    auto add = [t](uint32_t cue, std::initializer_list<std::string_view> list) {
      for (std::string_view w : list) {
        t->flags[w] |= cue;
        t->longest = std::max(t->longest, w.size());
      }
    };
    add(kDepart, {"left", "leave", "leaves", "leaving", "ditched", "ditch", "ditching", "dumped", "dump", "dumping",
                  "dropped", "drop", "dropping", "abandoned", "abandon", "abandoning", "quit", "quitting", "traded",
                  "trade", "trading", "swapped", "swap", "swapping", "exchanged", "exchange", "cancelled",
                  "canceled"});
    add(kSwitch, {"switched", "switch", "switching", "switches", "moved", "move", "moving", "moves", "migrated",
                  "migrate", "migrating", "migrates", "migration", "converted", "convert", "converting", "jumped",
                  "jump", "jumping", "went", "go", "going", "transitioned", "transition", "transitioning", "changed",
                  "change", "changing", "upgraded", "upgrade", "upgrading", "ported", "port", "porting", "shifted",
                  "shift", "shifting"});
    add(kSwitchTo, {"switched", "switch", "switching", "switches", "moved", "moving", "migrated", "migrate",
                    "migrating", "migrates", "transitioned", "transitioning", "upgraded", "upgrading", "converted",
                    "converting"});
    add(kReplace, {"replaced", "replace", "replacing", "replaces"});
    add(kPrefer, {"chose", "choose", "chosen", "choosing", "picked", "pick", "picking", "prefer", "prefers",
                  "preferred", "preferring", "selected", "select", "selecting", "recommend", "recommends",
                  "recommended", "favor", "favour", "favored", "favoured"});
    add(kContrast, {"but", "however", "although", "though", "whereas", "while", "except", "yet", "nevertheless",
                    "nonetheless"});
    add(kVersus, {"vs", "versus"});
    add(kFor, {"for"});
    add(kWithBy, {"with", "by"});
    add(kFrom, {"from"});
    add(kToward, {"to", "onto", "into", "for"});
    add(kOver, {"over"});
    add(kThan, {"than"});
    return t;
  }();
  return *table;
}

uint32_t CueOf(std::string_view w) {
  const CueTable& cues = Cues();
  if (w.size() > cues.longest) return 0;  // longer than every cue word
  auto it = cues.flags.find(w);
  return it == cues.flags.end() ? 0 : it->second;
}

// Returns the byte range of the sentence around [tb, te).
std::pair<size_t, size_t> SentenceAround(std::string_view text, size_t tb, size_t te) {
  auto is_end_punct = [&](size_t i) {
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == ';' || c == '|') return true;
    if (c != '.' && c != '!' && c != '?') return false;
    return i + 1 >= text.size() || IsAsciiSpace(text[i + 1]);
  };
  size_t begin = tb;
  while (begin > 0 && !is_end_punct(begin - 1)) --begin;
  size_t end = te;
  while (end < text.size() && !is_end_punct(end)) ++end;
  return {begin, end};
}

// Appends the symbol marks of text[begin, end) to `out`.
void FindSymbols(std::string_view text, size_t begin, size_t end, std::vector<Tok>& out) {
  auto at = [&](size_t i) -> char { return i < end && i >= begin ? text[i] : ' '; };
  for (size_t i = begin; i < end; ++i) {
    const char c = text[i];
    // Every symbol starts with one of these; most characters are none.
    if (c != '-' && c != '=' && c != '>' && c != '<' && c != '&' && c != '\xE2') continue;
    if ((c == '-' || c == '=') && at(i + 1) == '>' && at(i - 1) != '<') {
      size_t b = i;
      while (b > begin && text[b - 1] == '-') --b;
      out.push_back({"->", b, i + 2, Mark::kArrow});
      ++i;
    } else if (text.compare(i, 3, "\xE2\x86\x92") == 0) {  // U+2192 RIGHTWARDS ARROW
      out.push_back({"->", i, i + 3, Mark::kArrow});
      i += 2;
    } else if (c == '>' && at(i - 1) != '>' && at(i + 1) != '>' && at(i + 1) != '=') {
      out.push_back({">", i, i + 1, Mark::kGreater});
    } else if (c == '<' && at(i + 1) != '3' && at(i + 1) != '-' && at(i + 1) != '=' && at(i + 1) != '<' &&
               at(i - 1) != '<') {
      out.push_back({"<", i, i + 1, Mark::kLess});
    } else if (text.compare(i, 4, "&gt;") == 0) {
      out.push_back({">", i, i + 4, Mark::kGreater});
      i += 3;
    } else if (text.compare(i, 4, "&lt;") == 0 && at(i + 4) != '3') {
      out.push_back({"<", i, i + 4, Mark::kLess});
      i += 3;
    }
  }
}

class TargetAnalysis {
 public:
  // `words` and `toks` are the caller's buffers, reused across calls
  // (the tokens of a long sentence are a large allocation each time).
  TargetAnalysis(std::string_view text, size_t tb, size_t te, WordTokens& words, std::vector<Tok>& toks)
      : text_(text), toks_(toks) {
    auto [sb, se] = SentenceAround(text, tb, te);
    sentence_end_ = se;
    TokenizeWords(text.substr(sb, se - sb), words);
    toks_.clear();
    for (const WordToken& w : words.tokens) {
      const std::string_view f = std::string_view(words.folded).substr(w.fold_begin, w.fold_end - w.fold_begin);
      toks_.push_back({f, sb + w.begin, sb + w.end, Mark::kWord, CueOf(f)});
    }
    FindSymbols(text, sb, se, toks_);
    std::stable_sort(toks_.begin(), toks_.end(), [](const Tok& a, const Tok& b) { return a.begin < b.begin; });
    sentence_begin_ = sb;
    // The target's first token: the first one that ends inside or after it.
    t_ = toks_.size();
    for (size_t i = 0; i < toks_.size(); ++i) {
      if (toks_[i].end > tb) {
        t_ = i;
        break;
      }
    }
  }

  TargetContext Run() const {
    if (t_ >= toks_.size()) return Context(TargetRole::kPlain, sentence_begin_, sentence_end_, 0, 0);
    const size_t cs = ClauseStart(t_);
    const size_t ce = ClauseEnd(t_);
    if (auto c = Switch(cs, ce)) return *c;
    if (auto c = Preference(cs, ce)) return *c;
    if (auto c = Comparison(cs, ce)) return *c;
    if (auto c = Symbol()) return *c;
    return Context(TargetRole::kPlain, Begin(cs), Begin(ce), 0, 0);
  }

 private:
  // Clause limits by token index: contrast words and vs/versus start a
  // clause; symbols separate clauses.
  bool IsCut(size_t i) const {
    const Tok& k = toks_[i];
    return k.mark != Mark::kWord || (k.cues & (kContrast | kVersus)) != 0;
  }
  size_t ClauseStart(size_t i) const {
    for (size_t j = i + 1; j-- > 0;) {
      if (IsCut(j)) return toks_[j].mark == Mark::kWord ? j : j + 1;
    }
    return 0;
  }
  size_t ClauseEnd(size_t i) const {
    for (size_t j = i + 1; j < toks_.size(); ++j) {
      if (IsCut(j)) return j;
    }
    return toks_.size();
  }
  size_t Begin(size_t i) const { return i < toks_.size() ? toks_[i].begin : sentence_end_; }
  // The clause start as a byte offset: the sentence start for the first clause.
  size_t ClauseBegin(size_t cs) const { return cs == 0 ? sentence_begin_ : Begin(cs); }
  // Returns the index of the first word with a cue of `cues` in [from, to), or `to`.
  size_t Find(size_t from, size_t to, uint32_t cues) const {
    for (size_t i = from; i < to; ++i) {
      if ((toks_[i].cues & cues) != 0) return i;
    }
    return to;
  }

  TargetContext Context(TargetRole role, size_t b, size_t e, size_t pb, size_t pe, bool symbolic = false) const {
    TargetContext c;
    c.role = role;
    c.clause_begin = b;
    c.clause_end = std::max(b, e);
    c.partner_begin = pb;
    c.partner_end = std::max(pb, pe);
    c.symbolic = symbolic;
    return c;
  }

  // "X" in [a, split) departs and "Y" in [split, ce) is chosen; returns the
  // target's side.
  TargetContext Sides(TargetRole first_role, TargetRole second_role, size_t cs, size_t split, size_t ce) const {
    const size_t b = ClauseBegin(cs);
    if (t_ < split) return Context(first_role, b, Begin(split), Begin(split), Begin(ce));
    return Context(second_role, Begin(split), Begin(ce), b, Begin(split));
  }

  std::optional<TargetContext> Switch(size_t cs, size_t ce) const {
    for (size_t v = cs; v < ce; ++v) {
      if (toks_[v].mark != Mark::kWord) continue;
      const uint32_t cues = toks_[v].cues;
      if (cues & kDepart) {
        const size_t f = Find(v + 2, ce, kFor);
        if (f < ce && t_ > v) return Sides(TargetRole::kDeparted, TargetRole::kChosen, cs, f, ce);
      }
      if (cues & kReplace) {
        // Passive: "X was replaced by Y".
        if (v + 1 < ce && toks_[v + 1].w == "by") return Sides(TargetRole::kDeparted, TargetRole::kChosen, cs, v + 1, ce);
        const size_t k = Find(v + 2, ce, kWithBy);
        if (k < ce && t_ > v) return Sides(TargetRole::kDeparted, TargetRole::kChosen, cs, k, ce);
      }
      if (!(cues & kSwitch)) continue;
      const size_t from = Find(v + 1, ce, kFrom);
      const size_t to = Find(v + 1, ce, kToward);
      if (from < ce && from + 1 < to && to < ce && t_ > from) {
        return Sides(TargetRole::kDeparted, TargetRole::kChosen, cs, to, ce);
      }
      if (to < ce && to + 1 < from && from < ce && t_ > to) {
        return Sides(TargetRole::kChosen, TargetRole::kDeparted, cs, from, ce);
      }
      if (from < ce && to == ce && t_ > from) {
        // "moving away from X": nothing is chosen.
        return Context(TargetRole::kDeparted, Begin(from), Begin(ce), 0, 0);
      }
      if (to < ce && from == ce && t_ > to && (cues & kSwitchTo)) {
        return Context(TargetRole::kChosen, ClauseBegin(cs), Begin(ce), 0, 0);
      }
    }
    return std::nullopt;
  }

  std::optional<TargetContext> Preference(size_t cs, size_t ce) const {
    for (size_t v = cs; v < ce; ++v) {
      if (!(toks_[v].cues & kPrefer)) continue;
      const size_t over = Find(v + 2, ce, kOver);
      if (over < ce && t_ > v) return Sides(TargetRole::kPreferred, TargetRole::kRejected, cs, over, ce);
    }
    for (size_t i = cs; i + 1 < ce; ++i) {
      const bool instead = toks_[i].w == "instead" && toks_[i + 1].w == "of";
      const bool rather = toks_[i].w == "rather" && toks_[i + 1].w == "than";
      if (!instead && !rather) continue;
      if (i == cs && instead) {
        // "Instead of X, Y": X runs to the first comma after it.
        size_t comma = ce;
        for (size_t j = i + 2; j < ce; ++j) {
          if (HasCommaBefore(j)) {
            comma = j;
            break;
          }
        }
        if (comma == ce) return std::nullopt;
        return Sides(TargetRole::kRejected, TargetRole::kPreferred, cs, comma, ce);
      }
      return Sides(TargetRole::kPreferred, TargetRole::kRejected, cs, i, ce);
    }
    return std::nullopt;
  }

  std::optional<TargetContext> Comparison(size_t cs, size_t ce) const {
    const size_t than = Find(cs + 1, ce, kThan);
    if (than >= ce) return std::nullopt;
    const size_t b = ClauseBegin(cs);
    if (t_ < than) return Context(TargetRole::kPlain, b, Begin(than), 0, 0);
    return Context(TargetRole::kComparedTo, Begin(than), Begin(ce), b, Begin(than));
  }

  // "X > Y", "X < Y", "X -> Y": the symbol nearest the target on each side.
  std::optional<TargetContext> Symbol() const {
    for (size_t j = t_; j-- > 0;) {
      if (toks_[j].mark != Mark::kWord) return SymbolSide(j, /*target_after=*/true);
      if (IsCut(j)) break;
    }
    for (size_t j = t_ + 1; j < toks_.size(); ++j) {
      if (toks_[j].mark != Mark::kWord) return SymbolSide(j, /*target_after=*/false);
      if (IsCut(j)) break;
    }
    return std::nullopt;
  }

  TargetContext SymbolSide(size_t sym, bool target_after) const {
    const size_t left_start = ClauseStart(sym == 0 ? 0 : sym - 1);
    const size_t right_end = ClauseEnd(sym);
    const size_t lb = ClauseBegin(left_start);
    const size_t mid = toks_[sym].begin;
    const size_t after = toks_[sym].end;
    TargetRole left_role = TargetRole::kPreferred;
    TargetRole right_role = TargetRole::kRejected;
    if (toks_[sym].mark == Mark::kLess) std::swap(left_role, right_role);
    if (toks_[sym].mark == Mark::kArrow) {
      left_role = TargetRole::kDeparted;
      right_role = TargetRole::kChosen;
    }
    if (target_after) return Context(right_role, after, Begin(right_end), lb, mid, true);
    return Context(left_role, lb, mid, after, Begin(right_end), true);
  }

  // Returns true if a comma separates token j-1 from token j.
  bool HasCommaBefore(size_t j) const {
    return text_.substr(toks_[j - 1].end, toks_[j].begin - toks_[j - 1].end).find(',') != std::string_view::npos;
  }

  std::string_view text_;
  std::vector<Tok>& toks_;
  size_t sentence_begin_ = 0;
  size_t sentence_end_ = 0;
  size_t t_ = 0;
};

}  // namespace

std::string_view TargetRoleName(TargetRole role) {
  switch (role) {
    case TargetRole::kPlain:
      return "plain";
    case TargetRole::kDeparted:
      return "departed";
    case TargetRole::kChosen:
      return "chosen";
    case TargetRole::kPreferred:
      return "preferred";
    case TargetRole::kRejected:
      return "rejected";
    case TargetRole::kComparedTo:
      return "compared_to";
  }
  return "plain";
}

TargetContext AnalyzeTarget(std::string_view text, size_t target_begin, size_t target_end) {
  target_begin = std::min(target_begin, text.size());
  target_end = std::clamp(target_end, target_begin, text.size());
  thread_local WordTokens words;
  thread_local std::vector<Tok> toks;
  return TargetAnalysis(text, target_begin, target_end, words, toks).Run();
}

double SentimentScorer::TargetSentiment(std::string_view text, size_t target_begin, size_t target_end) const {
  const TargetContext c = AnalyzeTarget(text, target_begin, target_end);
  const double own = Score(text.substr(c.clause_begin, c.clause_end - c.clause_begin)).compound;
  const double partner =
      c.partner_end > c.partner_begin ? Score(text.substr(c.partner_begin, c.partner_end - c.partner_begin)).compound
                                      : 0.0;
  const bool own_says = Classify(own) != SentimentClass::kNeutral;
  switch (c.role) {
    case TargetRole::kPlain:
      return own;
    case TargetRole::kDeparted:
    case TargetRole::kRejected:
      // Leaving or passing over is negative, at least as strongly as the
      // praise of the alternative, unless the target's clause says otherwise.
      if (Classify(own) == SentimentClass::kPositive) return own;
      return std::min(own, -std::max(kRolePrior, partner));
    case TargetRole::kChosen:
    case TargetRole::kPreferred:
      if (Classify(own) == SentimentClass::kNegative) return own;
      return std::max({own, kRolePrior, -partner});
    case TargetRole::kComparedTo:
      // "X is better than Y": Y gets the opposite of X's clause.
      return own_says ? own : -partner;
  }
  return own;
}

}  // namespace earshot::enrich
