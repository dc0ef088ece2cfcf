// Query -> IndexPlan. Each node maps to an IndexQuery whose candidates are a
// superset of the node's matches, with a flag saying whether they are equal.
// Widening is always safe: kAll inside an AND drops out, inside an OR it
// swallows the OR, so the result stays a superset.
#include "match/index_plan.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace earshot::match {
namespace {

using Column = IndexQuery::Column;
using Kind = IndexQuery::Kind;

struct Planned {
  IndexQuery q;
  bool exact = false;
};

IndexQuery Leaf(Kind kind, Column col, std::vector<std::string> words) {
  IndexQuery q;
  q.kind = kind;
  q.column = col;
  q.words = std::move(words);
  return q;
}

IndexQuery All() { return IndexQuery{}; }

// Builds the AND of `parts`, dropping kAll; kNone wins.
IndexQuery AndOf(std::vector<IndexQuery> parts) {
  IndexQuery out;
  out.kind = Kind::kAnd;
  for (IndexQuery& p : parts) {
    if (p.kind == Kind::kNone) return p;
    if (p.kind == Kind::kAll) continue;
    if (p.kind == Kind::kAnd) {
      for (IndexQuery& c : p.children) out.children.push_back(std::move(c));
    } else {
      out.children.push_back(std::move(p));
    }
  }
  if (out.children.empty()) return All();
  if (out.children.size() == 1) return std::move(out.children[0]);
  return out;
}

// Builds the OR of `parts`; kAll wins, kNone drops out.
IndexQuery OrOf(std::vector<IndexQuery> parts) {
  IndexQuery out;
  out.kind = Kind::kOr;
  for (IndexQuery& p : parts) {
    if (p.kind == Kind::kAll) return All();
    if (p.kind == Kind::kNone) continue;
    if (p.kind == Kind::kOr) {
      for (IndexQuery& c : p.children) out.children.push_back(std::move(c));
    } else {
      out.children.push_back(std::move(p));
    }
  }
  if (out.children.empty()) {
    out.kind = Kind::kNone;
    return out;
  }
  if (out.children.size() == 1) return std::move(out.children[0]);
  return out;
}

// Plans the consecutive words of a text atom: runs of literal words become
// terms or phrases; a trailing-'*' word its prefix; a '?' word the prefix
// before the '?'. Exact only for one literal run or one plain prefix word.
Planned PlanWords(const std::vector<WordPattern>& words, Column col, bool exact_kind) {
  std::vector<IndexQuery> parts;
  std::vector<std::string> run;
  auto flush = [&] {
    if (run.empty()) return;
    Kind kind = run.size() == 1 ? Kind::kTerm : Kind::kPhrase;
    parts.push_back(Leaf(kind, col, std::move(run)));
    run.clear();
  };
  bool plain_prefix = false;
  for (const WordPattern& w : words) {
    if (w.literal()) {
      run.push_back(w.text);
      continue;
    }
    flush();
    plain_prefix = !w.has_question;
    parts.push_back(w.prefix.empty() ? All() : Leaf(Kind::kPrefix, col, {w.prefix}));
  }
  flush();
  bool exact = false;
  if (exact_kind && words.size() == 1) {
    exact = words[0].literal() || plain_prefix;
  } else if (exact_kind) {
    exact = parts.size() == 1 && parts[0].kind == Kind::kPhrase;
  }
  return {AndOf(std::move(parts)), exact};
}

Planned PlanNode(const Node& n, Column col);

bool IsNearOperandForm(const IndexQuery& q) {
  if (q.kind == Kind::kTerm || q.kind == Kind::kPrefix || q.kind == Kind::kPhrase) return true;
  if (q.kind != Kind::kOr) return false;
  for (const IndexQuery& c : q.children) {
    if (c.kind != Kind::kTerm && c.kind != Kind::kPrefix && c.kind != Kind::kPhrase) return false;
  }
  return true;
}

// Returns true when the index form of NEAR operand `n` spans the same tokens
// as `n` does: a phrase with a wildcard word loses words when widened, and a
// NEAR over the shorter span would miss matches.
bool SpanFaithful(const Node& n) {
  switch (n.kind) {
    case NodeKind::kWords:
    case NodeKind::kExact:
    case NodeKind::kHashtag:
    case NodeKind::kHandle:
      return n.words.size() == 1 ||
             std::all_of(n.words.begin(), n.words.end(), [](const WordPattern& w) { return w.literal(); });
    case NodeKind::kOr:
      return std::all_of(n.children.begin(), n.children.end(), [](const auto& c) { return SpanFaithful(*c); });
    default: return false;
  }
}

Planned PlanNear(const Node& n, Column col) {
  std::vector<IndexQuery> ops;
  bool exact = !n.ordered;
  bool near_ok = true;
  for (const auto& c : n.children) {
    Planned p = PlanNode(*c, col);
    exact = exact && p.exact;
    near_ok = near_ok && IsNearOperandForm(p.q) && SpanFaithful(*c);
    ops.push_back(std::move(p.q));
  }
  if (!near_ok) return {AndOf(std::move(ops)), false};
  IndexQuery q;
  q.kind = Kind::kNear;
  q.column = col;
  q.distance = n.distance;
  q.children = std::move(ops);
  return {std::move(q), exact};
}

// Plans the conjunction of `parts`: positives are ANDed; a NOT whose operand
// plans exactly is subtracted with kAndNot, any other NOT only widens.
Planned PlanConjunction(const std::vector<const Node*>& parts, Column col) {
  std::vector<IndexQuery> positives;
  std::vector<IndexQuery> negatives;
  bool exact = true;
  for (const Node* p : parts) {
    if (p->kind == NodeKind::kNot) {
      Planned neg = PlanNode(*p->children[0], col);
      if (neg.exact && neg.q.kind != Kind::kAll && neg.q.kind != Kind::kNone) {
        negatives.push_back(std::move(neg.q));
      } else {
        exact = exact && neg.exact && neg.q.kind == Kind::kNone;
      }
      continue;
    }
    Planned pos = PlanNode(*p, col);
    exact = exact && pos.exact;
    positives.push_back(std::move(pos.q));
  }
  if (positives.empty()) return {All(), false};  // FTS5 cannot answer a query that is only negative
  IndexQuery q = AndOf(std::move(positives));
  if (q.kind == Kind::kAll && !negatives.empty()) return {All(), false};
  for (IndexQuery& neg : negatives) {
    IndexQuery and_not;
    and_not.kind = Kind::kAndNot;
    and_not.children.push_back(std::move(q));
    and_not.children.push_back(std::move(neg));
    q = std::move(and_not);
  }
  return {std::move(q), exact};
}

Planned PlanNode(const Node& n, Column col) {
  switch (n.kind) {
    case NodeKind::kWords: return PlanWords(n.words, col, true);
    case NodeKind::kHashtag:
      // A one-word hashtag is its own index term (see HashtagTokenAt).
      if (n.words.size() == 1 && n.words[0].literal()) {
        IndexQuery q;
        q.kind = Kind::kTerm;
        q.column = col;
        q.words = {"#" + n.lead + n.words[0].text + n.trail};
        return {std::move(q), true};
      }
      return PlanWords(n.words, col, false);
    case NodeKind::kExact:
    case NodeKind::kHandle: return PlanWords(n.words, col, false);
    case NodeKind::kNear: return PlanNear(n, col);
    case NodeKind::kAnd: {
      std::vector<const Node*> parts;
      for (const auto& c : n.children) parts.push_back(c.get());
      return PlanConjunction(parts, col);
    }
    case NodeKind::kOr: {
      std::vector<IndexQuery> alts;
      bool exact = true;
      for (const auto& c : n.children) {
        Planned p = PlanNode(*c, col);
        exact = exact && p.exact;
        alts.push_back(std::move(p.q));
      }
      return {OrOf(std::move(alts)), exact};
    }
    case NodeKind::kNot: return PlanConjunction({&n}, col);
    case NodeKind::kTitle: return PlanNode(*n.children[0], Column::kTitle);
    case NodeKind::kField:
    case NodeKind::kFollowers: return {All(), false};
  }
  return {All(), false};
}

// Returns the filter that `n` is exactly, when it is one the store can apply.
std::optional<FieldFilter> AsFilter(const Node& n) {
  if (n.kind == NodeKind::kNot && n.children[0]->kind == NodeKind::kField) {
    const Node& f = *n.children[0];
    if (f.field != Field::kLang && f.field != Field::kChannel && f.field != Field::kCountry) return std::nullopt;
    std::optional<FieldFilter> out = AsFilter(f);
    if (out) out->negated = true;
    return out;
  }
  if (n.kind != NodeKind::kField) return std::nullopt;
  switch (n.field) {
    case Field::kLang: return FieldFilter{FieldFilter::Field::kLang, n.value};
    case Field::kChannel: return FieldFilter{FieldFilter::Field::kChannel, n.value};
    case Field::kCountry: return FieldFilter{FieldFilter::Field::kCountry, n.value};
    case Field::kAuthor: return FieldFilter{FieldFilter::Field::kAuthorHandle, n.value};
    default: return std::nullopt;
  }
}

void AppendDebug(const IndexQuery& q, std::string& out) {
  if (q.column == Column::kTitle) out += "title:";
  auto words = [&] {
    for (size_t i = 0; i < q.words.size(); ++i) out += (i > 0 ? " " : "") + q.words[i];
  };
  auto children = [&] {
    for (size_t i = 0; i < q.children.size(); ++i) {
      if (i > 0) out += ", ";
      AppendDebug(q.children[i], out);
    }
  };
  switch (q.kind) {
    case Kind::kAll: out += "ALL"; return;
    case Kind::kNone: out += "NONE"; return;
    case Kind::kTerm: out += "TERM("; words(); break;
    case Kind::kPrefix: out += "PREFIX("; words(); break;
    case Kind::kPhrase: out += "PHRASE("; words(); break;
    case Kind::kNear:
      out += "NEAR(";
      children();
      out += ", " + std::to_string(q.distance);
      break;
    case Kind::kAnd: out += "AND("; children(); break;
    case Kind::kOr: out += "OR("; children(); break;
    case Kind::kAndNot: out += "ANDNOT("; children(); break;
  }
  out.push_back(')');
}

}  // namespace

IndexPlan PlanForIndex(const Query& q) {
  const Node& root = q.root();
  std::vector<const Node*> conjuncts;
  if (root.kind == NodeKind::kAnd) {
    for (const auto& c : root.children) conjuncts.push_back(c.get());
  } else {
    conjuncts.push_back(&root);
  }
  IndexPlan plan;
  std::vector<const Node*> rest;
  for (const Node* c : conjuncts) {
    if (std::optional<FieldFilter> f = AsFilter(*c)) {
      plan.filters.push_back(std::move(*f));
    } else {
      rest.push_back(c);
    }
  }
  if (rest.empty()) {
    plan.exact = true;
    return plan;
  }
  Planned p = PlanConjunction(rest, Column::kAny);
  plan.text = std::move(p.q);
  plan.exact = p.exact;
  return plan;
}

std::string DebugString(const IndexQuery& q) {
  std::string out;
  AppendDebug(q, out);
  return out;
}

}  // namespace earshot::match
