// Equality and the canonical text form of the query syntax tree.
#include <string>

#include "match/query.h"

namespace earshot::match {
namespace {

std::string_view FieldName(Field f) {
  switch (f) {
    case Field::kAuthor:
    case Field::kAuthorName: return "author";
    case Field::kSite: return "site";
    case Field::kUrl: return "url";
    case Field::kLinks: return "links";
    case Field::kLang: return "lang";
    case Field::kCountry: return "country";
    case Field::kChannel: return "channel";
  }
  return "lang";
}

std::string_view CompareText(Compare c) {
  switch (c) {
    case Compare::kLess: return "<";
    case Compare::kLessEqual: return "<=";
    case Compare::kEqual: return "=";
    case Compare::kGreaterEqual: return ">=";
    case Compare::kGreater: return ">";
  }
  return "=";
}

// A field value can be written bare when the lexer would read it back whole.
bool NeedsQuotes(std::string_view v) {
  if (v.empty()) return true;
  for (char c : v) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '(' || c == ')' ||
        c == '"' || c == '{' || c == '}') {
      return true;
    }
  }
  return false;
}

void AppendJoined(const std::vector<WordPattern>& words, std::string& out) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out += words[i].text;
  }
}

void AppendNode(const Node& n, std::string& out);

void AppendSigilName(char sigil, const Node& n, std::string& out) {
  out.push_back(sigil);
  out += n.lead;
  for (size_t i = 0; i < n.words.size(); ++i) {
    if (i > 0) out += n.seps[i - 1];
    out += n.words[i].text;
  }
  out += n.trail;
}

// Appends `n`, in parentheses when it is an OR or AND (used where a looser
// operator would otherwise capture its neighbours).
void AppendGrouped(const Node& n, bool group_and, std::string& out) {
  bool group = n.kind == NodeKind::kOr || (group_and && n.kind == NodeKind::kAnd);
  if (group) out.push_back('(');
  AppendNode(n, out);
  if (group) out.push_back(')');
}

void AppendNear(const Node& n, std::string& out) {
  if (n.children.size() > 2) {
    // Only "a b c"~N makes more than two operands, and each is one word.
    out.push_back('"');
    for (size_t i = 0; i < n.children.size(); ++i) {
      if (i > 0) out.push_back(' ');
      AppendJoined(n.children[i]->words, out);
    }
    out += "\"~" + std::to_string(n.distance);
    return;
  }
  AppendGrouped(*n.children[0], true, out);
  out += " NEAR/" + std::to_string(n.distance);
  if (n.ordered) out.push_back('f');
  out.push_back(' ');
  AppendGrouped(*n.children[1], true, out);
}

void AppendField(const Node& n, std::string& out) {
  out += FieldName(n.field);
  out.push_back(':');
  if (n.field == Field::kAuthorName || NeedsQuotes(n.value)) {
    out += '"' + n.value + '"';
  } else {
    out += n.value;
  }
}

void AppendNode(const Node& n, std::string& out) {
  switch (n.kind) {
    case NodeKind::kWords:
      if (n.words.size() == 1) {
        out += n.words[0].text;
      } else {
        out.push_back('"');
        AppendJoined(n.words, out);
        out.push_back('"');
      }
      return;
    case NodeKind::kExact:
      out.push_back('{');
      for (size_t i = 0; i < n.exact.size(); ++i) {
        if (i > 0) out.push_back(' ');
        out += n.exact[i];
      }
      out.push_back('}');
      return;
    case NodeKind::kHashtag: AppendSigilName('#', n, out); return;
    case NodeKind::kHandle: AppendSigilName('@', n, out); return;
    case NodeKind::kNear: AppendNear(n, out); return;
    case NodeKind::kAnd:
    case NodeKind::kOr: {
      const char* op = n.kind == NodeKind::kAnd ? " AND " : " OR ";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out += op;
        AppendGrouped(*n.children[i], false, out);
      }
      return;
    }
    case NodeKind::kNot:
      out += "NOT ";
      AppendGrouped(*n.children[0], true, out);
      return;
    case NodeKind::kTitle: {
      out += "title:";
      const Node& c = *n.children[0];
      if (c.IsTextAtom()) {
        AppendNode(c, out);
      } else {
        out.push_back('(');
        AppendNode(c, out);
        out.push_back(')');
      }
      return;
    }
    case NodeKind::kField: AppendField(n, out); return;
    case NodeKind::kFollowers:
      out += "followers:";
      out += CompareText(n.compare);
      out += std::to_string(n.number);
      return;
  }
}

}  // namespace

bool SameTree(const Node& a, const Node& b) {
  if (a.kind != b.kind || a.words != b.words || a.exact != b.exact || a.lead != b.lead || a.seps != b.seps ||
      a.trail != b.trail || a.distance != b.distance || a.ordered != b.ordered || a.field != b.field ||
      a.value != b.value || a.compare != b.compare || a.number != b.number ||
      a.children.size() != b.children.size()) {
    return false;
  }
  for (size_t i = 0; i < a.children.size(); ++i) {
    if (!SameTree(*a.children[i], *b.children[i])) return false;
  }
  return true;
}

std::string NodeToString(const Node& n) {
  std::string out;
  AppendNode(n, out);
  return out;
}

}  // namespace earshot::match
