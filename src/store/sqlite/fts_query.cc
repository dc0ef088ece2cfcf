#include "store/sqlite/fts_query.h"

#include <vector>

namespace earshot::store::sqlite {
namespace {

using match::IndexQuery;
using Kind = IndexQuery::Kind;

// Beyond this many expanded alternatives a NEAR over ORs is widened to AND.
constexpr size_t kMaxNearExpansion = 64;

std::string Quote(std::string_view word) {
  std::string out = "\"";
  for (char c : word) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

// The result of translating a sub-query: an FTS5 expression, "everything"
// (kAll) or "nothing".
struct Part {
  enum class Type { kExpr, kAll, kNone } type = Type::kExpr;
  std::string expr;
};

Part All() { return {Part::Type::kAll, ""}; }
Part None() { return {Part::Type::kNone, ""}; }
Part Expr(std::string e) { return {Part::Type::kExpr, std::move(e)}; }

std::string PhraseText(const IndexQuery& q) {
  switch (q.kind) {
    case Kind::kTerm: return Quote(q.words.empty() ? "" : q.words[0]);
    case Kind::kPrefix: return Quote(q.words.empty() ? "" : q.words[0]) + "*";
    case Kind::kPhrase: {
      std::string joined;
      for (const std::string& w : q.words) {
        if (!joined.empty()) joined.push_back(' ');
        joined += w;
      }
      return Quote(joined);
    }
    default: return "";
  }
}

bool IsPhraseLike(const IndexQuery& q) {
  return (q.kind == Kind::kTerm || q.kind == Kind::kPrefix || q.kind == Kind::kPhrase) && !q.words.empty();
}

// Expands one NEAR operand into its alternative phrases.
bool Alternatives(const IndexQuery& q, std::vector<std::string>& out) {
  if (IsPhraseLike(q)) {
    out.push_back(PhraseText(q));
    return true;
  }
  if (q.kind == Kind::kOr) {
    for (const IndexQuery& c : q.children) {
      if (!Alternatives(c, out)) return false;
    }
    return !out.empty();
  }
  return false;
}

std::string WithColumn(const IndexQuery& q, std::string expr) {
  if (q.column == IndexQuery::Column::kTitle) return "title : (" + expr + ")";
  return expr;
}

Part Translate(const IndexQuery& q, bool& lossless);

Part TranslateNear(const IndexQuery& q, bool& lossless) {
  std::vector<std::vector<std::string>> alts;
  size_t combos = 1;
  bool expandable = q.children.size() >= 2;
  for (const IndexQuery& c : q.children) {
    std::vector<std::string> a;
    if (!Alternatives(c, a)) {
      expandable = false;
      break;
    }
    combos *= a.size();
    if (combos > kMaxNearExpansion) expandable = false;
    alts.push_back(std::move(a));
  }
  if (!expandable) {
    // Widen to AND of the operands: still a superset.
    lossless = false;
    IndexQuery as_and = q;
    as_and.kind = Kind::kAnd;
    return Translate(as_and, lossless);
  }
  std::vector<size_t> idx(alts.size(), 0);
  std::string out;
  while (true) {
    std::string near = "NEAR(";
    for (size_t i = 0; i < alts.size(); ++i) {
      if (i) near.push_back(' ');
      near += alts[i][idx[i]];
    }
    near += ", " + std::to_string(q.distance) + ")";
    if (!out.empty()) out += " OR ";
    out += near;
    size_t k = 0;
    while (k < idx.size() && ++idx[k] == alts[k].size()) idx[k++] = 0;
    if (k == idx.size()) break;
  }
  return Expr(WithColumn(q, combos > 1 ? "(" + out + ")" : out));
}

Part Translate(const IndexQuery& q, bool& lossless) {
  switch (q.kind) {
    case Kind::kAll: return All();
    case Kind::kNone: return None();
    case Kind::kTerm:
    case Kind::kPrefix:
    case Kind::kPhrase:
      if (q.words.empty()) return All();
      return Expr(WithColumn(q, PhraseText(q)));
    case Kind::kNear: return TranslateNear(q, lossless);
    case Kind::kAnd: {
      std::string out;
      for (const IndexQuery& c : q.children) {
        Part p = Translate(c, lossless);
        if (p.type == Part::Type::kNone) return None();
        if (p.type == Part::Type::kAll) continue;
        if (!out.empty()) out += " AND ";
        out += p.expr;
      }
      if (out.empty()) return All();
      return Expr(WithColumn(q, "(" + out + ")"));
    }
    case Kind::kOr: {
      std::string out;
      for (const IndexQuery& c : q.children) {
        Part p = Translate(c, lossless);
        if (p.type == Part::Type::kAll) return All();
        if (p.type == Part::Type::kNone) continue;
        if (!out.empty()) out += " OR ";
        out += p.expr;
      }
      if (out.empty()) return None();
      return Expr(WithColumn(q, "(" + out + ")"));
    }
    case Kind::kAndNot: {
      if (q.children.size() != 2) return All();
      Part pos = Translate(q.children[0], lossless);
      bool neg_lossless = true;
      Part neg = Translate(q.children[1], neg_lossless);
      if (pos.type == Part::Type::kNone || neg.type == Part::Type::kAll) return None();
      if (neg.type == Part::Type::kNone) return pos;
      if (!neg_lossless) {
        // Subtracting a widened set could drop true matches: keep the positive side only.
        lossless = false;
        return pos;
      }
      if (pos.type == Part::Type::kAll) {
        // FTS5 has no unary NOT: leave the subtraction to the re-check.
        lossless = false;
        return All();
      }
      return Expr(WithColumn(q, "(" + pos.expr + " NOT " + neg.expr + ")"));
    }
  }
  return All();
}

}  // namespace

Fts5Query ToFts5(const match::IndexQuery& q) {
  Fts5Query out;
  Part p = Translate(q, out.lossless);
  out.none = p.type == Part::Type::kNone;
  if (p.type == Part::Type::kExpr) out.match = std::move(p.expr);
  return out;
}

}  // namespace earshot::store::sqlite
