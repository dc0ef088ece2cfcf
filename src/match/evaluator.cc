// Evaluation of the query tree against a MentionView.
//
// A text atom is found through the field's by-word index when its first word
// is literal (binary search) or has a literal prefix (prefix range), and by a
// scan of the tokens otherwise. NEAR uses the SQLite FTS5 definition so that
// the index plan can hand it to FTS5 unchanged: operand spans s_i..e_i (token
// positions, e exclusive) match when max(s_i) - min(e_i) <= N. Checking it
// from each span as the latest-starting one turns it into range look-ups on
// the other operands' positions, with no allocation.
#include "match/evaluator.h"

#include <algorithm>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"

namespace earshot::match {
namespace {

enum class Scope { kTitleAndText, kTitle };

size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  return 4;
}

bool WordMatches(const WordPattern& p, std::string_view token) {
  if (p.literal()) return token == p.text;
  if (!token.starts_with(p.prefix)) return false;
  size_t i = p.prefix.size();
  size_t j = p.prefix.size();
  const std::string& pat = p.text;
  while (i < pat.size()) {
    char c = pat[i];
    if (c == '*') return true;  // '*' only ever ends a pattern
    if (j >= token.size()) return false;
    if (c == '?') {
      j += Utf8SequenceLength(static_cast<unsigned char>(token[j]));
    } else {
      if (token[j] != c) return false;
      ++j;
    }
    ++i;
  }
  return j == token.size();
}

bool SigilNameAt(const Node& a, const FieldTokens& f, size_t p) {
  std::string_view src = f.source();
  const char sigil = a.kind == NodeKind::kHashtag ? '#' : '@';
  size_t begin = f.token(p).begin;
  if (begin < a.lead.size() + 1) return false;
  size_t s = begin - a.lead.size() - 1;
  if (src[s] != sigil || src.substr(s + 1, a.lead.size()) != a.lead) return false;
  for (size_t k = 1; k < a.words.size(); ++k) {
    size_t gap_begin = f.token(p + k - 1).end;
    if (src.substr(gap_begin, f.token(p + k).begin - gap_begin) != a.seps[k - 1]) return false;
  }
  size_t end = f.token(p + a.words.size() - 1).end;
  if (src.substr(end, a.trail.size()) != a.trail) return false;
  return !ContinuesSigilName(src, end + a.trail.size(), a.kind == NodeKind::kHandle);
}

// Returns true when text atom `a` occurs in `f` starting at token `p`.
bool AtomAt(const Node& a, const FieldTokens& f, size_t p) {
  const size_t n = a.words.size();
  if (p + n > f.size()) return false;
  for (size_t k = 0; k < n; ++k) {
    if (!WordMatches(a.words[k], f.Folded(p + k))) return false;
  }
  switch (a.kind) {
    case NodeKind::kExact:
      for (size_t k = 0; k < n; ++k) {
        if (f.Raw(p + k) != a.exact[k]) return false;
      }
      return true;
    case NodeKind::kHashtag:
    case NodeKind::kHandle: return SigilNameAt(a, f, p);
    default: return true;
  }
}

// Calls fn(p) for each start position `p` of text atom `a` in `f` until fn
// returns true; returns whether it did.
template <typename Fn>
bool ForEachStart(const Node& a, const FieldTokens& f, Fn&& fn) {
  const WordPattern& first = a.words[0];
  if (first.literal() || !first.prefix.empty()) {
    auto positions = first.literal() ? f.Positions(first.text) : f.PrefixPositions(first.prefix);
    for (uint32_t p : positions) {
      if (AtomAt(a, f, p) && fn(p)) return true;
    }
    return false;
  }
  for (size_t p = 0; p < f.size(); ++p) {
    if (AtomAt(a, f, p) && fn(p)) return true;
  }
  return false;
}

// Returns true when text atom `a` starts somewhere in token positions [lo, hi] of `f`.
bool HasStartIn(const Node& a, const FieldTokens& f, int64_t lo, int64_t hi) {
  lo = std::max<int64_t>(lo, 0);
  hi = std::min<int64_t>(hi, static_cast<int64_t>(f.size()) - 1);
  if (lo > hi) return false;
  const WordPattern& first = a.words[0];
  if (first.literal()) {
    auto positions = f.Positions(first.text);
    for (auto it = std::lower_bound(positions.begin(), positions.end(), static_cast<uint32_t>(lo));
         it != positions.end() && *it <= hi; ++it) {
      if (AtomAt(a, f, *it)) return true;
    }
    return false;
  }
  if (!first.prefix.empty()) {
    auto positions = f.PrefixPositions(first.prefix);
    if (positions.size() < static_cast<size_t>(hi - lo + 1)) {
      for (uint32_t p : positions) {
        if (p >= lo && p <= hi && AtomAt(a, f, p)) return true;
      }
      return false;
    }
  }
  for (int64_t p = lo; p <= hi; ++p) {
    if (AtomAt(a, f, static_cast<size_t>(p))) return true;
  }
  return false;
}

// Calls fn(atom) for each alternative of NEAR operand `op` (itself, or the
// children of an OR) until fn returns true; returns whether it did.
template <typename Fn>
bool AnyAlternative(const Node& op, Fn&& fn) {
  if (op.kind != NodeKind::kOr) return fn(op);
  for (const auto& c : op.children) {
    if (fn(*c)) return true;
  }
  return false;
}

bool OrderedNearIn(const Node& n, const FieldTokens& f) {
  const Node& second = *n.children[1];
  return AnyAlternative(*n.children[0], [&](const Node& x) {
    return ForEachStart(x, f, [&](size_t s) {
      int64_t lo = static_cast<int64_t>(s + x.words.size());
      return AnyAlternative(second, [&](const Node& y) { return HasStartIn(y, f, lo, lo + n.distance); });
    });
  });
}

bool NearIn(const Node& n, const FieldTokens& f) {
  if (n.ordered) return OrderedNearIn(n, f);
  const auto& ops = n.children;
  for (size_t a = 0; a < ops.size(); ++a) {
    bool found = AnyAlternative(*ops[a], [&](const Node& x) {
      return ForEachStart(x, f, [&](size_t s) {
        // Operand `a` starts last at `s`; every other operand needs a span
        // starting at or before `s` and ending at or after s - distance.
        for (size_t i = 0; i < ops.size(); ++i) {
          if (i == a) continue;
          bool near = AnyAlternative(*ops[i], [&](const Node& y) {
            int64_t hi = static_cast<int64_t>(s);
            return HasStartIn(y, f, hi - n.distance - static_cast<int64_t>(y.words.size()), hi);
          });
          if (!near) return false;
        }
        return true;
      });
    });
    if (found) return true;
  }
  return false;
}

bool TextNodeIn(const Node& n, const FieldTokens& f) {
  if (n.kind == NodeKind::kNear) return NearIn(n, f);
  return ForEachStart(n, f, [](size_t) { return true; });
}

bool TextNodeMatches(const Node& n, const MentionView& v, Scope scope) {
  return TextNodeIn(n, v.title()) || (scope == Scope::kTitleAndText && TextNodeIn(n, v.text()));
}

bool ContainsIgnoreAsciiCase(std::string_view haystack, std::string_view lower_needle) {
  if (lower_needle.size() > haystack.size()) return false;
  for (size_t i = 0; i + lower_needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < lower_needle.size() && AsciiToLower(haystack[i + k]) == lower_needle[k]) ++k;
    if (k == lower_needle.size()) return true;
  }
  return false;
}

bool SiteMatches(std::string_view site, std::string_view value) {
  if (EqualsIgnoreAsciiCase(site, value)) return true;
  return site.size() > value.size() && site[site.size() - value.size() - 1] == '.' &&
         EqualsIgnoreAsciiCase(site.substr(site.size() - value.size()), value);
}

bool FieldMatches(const Node& n, const MentionView& v) {
  if (n.field == Field::kAuthorName) return v.author_name_words() == n.value || v.author_handle_words() == n.value;
  return MentionFieldHolds(n, v.mention());
}

bool FollowersMatch(const Node& n, int64_t followers) {
  if (followers < 0) return false;  // unknown never satisfies a comparison
  switch (n.compare) {
    case Compare::kLess: return followers < n.number;
    case Compare::kLessEqual: return followers <= n.number;
    case Compare::kEqual: return followers == n.number;
    case Compare::kGreaterEqual: return followers >= n.number;
    case Compare::kGreater: return followers > n.number;
  }
  return false;
}

bool Eval(const Node& n, const MentionView& v, Scope scope) {
  switch (n.kind) {
    case NodeKind::kWords:
    case NodeKind::kExact:
    case NodeKind::kHashtag:
    case NodeKind::kHandle:
    case NodeKind::kNear: return TextNodeMatches(n, v, scope);
    case NodeKind::kAnd:
      return std::all_of(n.children.begin(), n.children.end(), [&](const auto& c) { return Eval(*c, v, scope); });
    case NodeKind::kOr:
      return std::any_of(n.children.begin(), n.children.end(), [&](const auto& c) { return Eval(*c, v, scope); });
    case NodeKind::kNot: return !Eval(*n.children[0], v, scope);
    case NodeKind::kTitle: return Eval(*n.children[0], v, Scope::kTitle);
    case NodeKind::kField: return FieldMatches(n, v);
    case NodeKind::kFollowers: return MentionFieldHolds(n, v.mention());
  }
  return false;
}

void CollectMatched(const Node& n, const MentionView& v, Scope scope, bool negated, std::vector<std::string>& out) {
  if (n.IsTextAtom() || n.kind == NodeKind::kNear) {
    if (negated || !TextNodeMatches(n, v, scope)) return;
    std::string s = NodeToString(n);
    if (scope == Scope::kTitle) s = n.IsTextAtom() ? "title:" + s : "title:(" + s + ")";
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    return;
  }
  if (n.kind == NodeKind::kNot) negated = !negated;
  if (n.kind == NodeKind::kTitle) scope = Scope::kTitle;
  for (const auto& c : n.children) CollectMatched(*c, v, scope, negated, out);
}

}  // namespace

bool ContinuesSigilName(std::string_view s, size_t e, bool handle) {
  if (e >= s.size()) return false;
  size_t pos = e;
  char32_t cp = DecodeUtf8(s, pos);
  if (cp == '_' || (cp != kReplacementChar && IsWordChar(cp))) return true;
  if (!handle || (cp != '.' && cp != '-' && cp != '@') || pos >= s.size()) return false;
  char32_t next = DecodeUtf8(s, pos);
  return next == '_' || (next != kReplacementChar && IsWordChar(next));
}

bool MentionFieldHolds(const Node& n, const Mention& m) {
  if (n.kind == NodeKind::kFollowers) return FollowersMatch(n, m.author.followers);
  switch (n.field) {
    case Field::kAuthor: return EqualsIgnoreAsciiCase(m.author.handle, n.value);
    case Field::kAuthorName: return false;  // needs the view; see FieldMatches
    case Field::kSite: return SiteMatches(m.site, n.value);
    case Field::kUrl: return ContainsIgnoreAsciiCase(m.url, n.value);
    case Field::kLinks:
      return std::any_of(m.links.begin(), m.links.end(),
                         [&](const std::string& l) { return ContainsIgnoreAsciiCase(l, n.value); });
    case Field::kLang: return EqualsIgnoreAsciiCase(m.language, n.value);
    case Field::kCountry: return EqualsIgnoreAsciiCase(m.geo.country, n.value);
    case Field::kChannel: return ChannelName(m.channel) == n.value;
  }
  return false;
}

bool Matches(const Query& q, const MentionView& m) { return Eval(q.root(), m, Scope::kTitleAndText); }

void MatchedTerms(const Query& q, const MentionView& m, std::vector<std::string>* out) {
  out->clear();
  CollectMatched(q.root(), m, Scope::kTitleAndText, false, *out);
}

}  // namespace earshot::match
