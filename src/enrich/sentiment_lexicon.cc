#include "enrich/sentiment_lexicon.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "enrich/sentiment_data.h"

namespace earshot::enrich {
namespace {

// Degree adverbs that raise intensity (vaderSentiment 3.3 list).
constexpr std::string_view kBoosters[] = {
    "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably", "decidedly",
    "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
    "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
    "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
    "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
    "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
    "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
    "utter", "utterly", "very"};

// Degree adverbs that lower intensity. The two-word ones ("kind of") only act
// through the idiom window, as in the reference.
constexpr std::string_view kDampeners[] = {
    "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little", "marginal",
    "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely", "slight", "slightly",
    "somewhat", "sorta", "sortof", "sort-of"};

// VADER's negation words; a token containing "n't" negates as well.
constexpr std::string_view kNegations[] = {
    "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "ain't", "aren't",
    "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent", "isnt",
    "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't",
    "mustn't", "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
    "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't", "shouldn't",
    "uh-uh", "wasn't", "weren't", "without", "wont", "wouldnt", "won't", "wouldn't", "rarely",
    "seldom", "despite"};

constexpr std::pair<std::string_view, RuleWord> kRuleWords[] = {
    {"kind", RuleWord::kKind},   {"of", RuleWord::kOf},         {"no", RuleWord::kNo},
    {"or", RuleWord::kOr},       {"nor", RuleWord::kNor},       {"never", RuleWord::kNever},
    {"so", RuleWord::kSo},       {"this", RuleWord::kThis},     {"without", RuleWord::kWithout},
    {"doubt", RuleWord::kDoubt}, {"least", RuleWord::kLeast},   {"at", RuleWord::kAt},
    {"very", RuleWord::kVery},   {"but", RuleWord::kBut},       {"like", RuleWord::kLike}};

// B2B mode: words after which "like" is the verb (I like, we really like,
// don't like) rather than the preposition or filler ("a tool like X",
// "looks like", "would like to").
constexpr std::string_view kLikeSubjects[] = {
    "i",       "we",        "you",    "they",   "he",      "she",     "u",        "ya",      "people",
    "ppl",     "everyone",  "everybody", "who", "really",  "also",    "still",    "totally", "definitely",
    "actually", "truly",    "do",     "does",   "did",     "dont",    "don't",    "didnt",   "didn't",
    "doesnt",  "doesn't",   "i'd",    "kinda",  "sorta",   "gonna",   "to",       "always",  "genuinely",
    "honestly", "absolutely", "seriously", "def", "rly",   "reaaally", "reallly", "realy",   "sooo",
    "soooo",   "so",        "just",   "too",    "personally", "fans", "users",    "customers", "folks"};

std::string_view TrimPythonSpace(std::string_view s) {
  // Python str.strip() on the ASCII subset that lexicon lines can hold.
  while (!s.empty() && (IsAsciiSpace(s.front()) || s.front() == '\x1c' || s.front() == '\x1d' ||
                        s.front() == '\x1e' || s.front() == '\x1f')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (IsAsciiSpace(s.back()) || s.back() == '\x1c' || s.back() == '\x1d' ||
                        s.back() == '\x1e' || s.back() == '\x1f')) {
    s.remove_suffix(1);
  }
  return s;
}

// Calls fn(line, line_number) for each line of `text` (LF or CRLF).
template <typename Fn>
Status ForEachLine(std::string_view text, Fn&& fn) {
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    EARSHOT_RETURN_IF_ERROR(fn(line, line_no));
  }
  return Status::Ok();
}

Status LineError(std::string_view name, size_t line_no, std::string_view what) {
  return Status::InvalidArgument(std::string(name) + ":" + std::to_string(line_no) + ": " + std::string(what));
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot open sentiment lexicon " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot read sentiment lexicon " + path);
  return ss.str();
}

// Tokens are short: a byte loop beats a call to memcmp.
inline bool SameBytes(const char* a, std::string_view b) {
  for (size_t i = 0; i < b.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::string LowerUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) AppendUtf8(out, FoldCase(DecodeUtf8(s, pos)));
  return out;
}

}  // namespace

std::string_view SentimentModeName(SentimentMode mode) {
  return mode == SentimentMode::kVader ? "vader" : "b2b";
}

Result<SentimentLexicon> SentimentLexicon::Parse(const LexiconTexts& texts) {
  SentimentLexicon lex;
  lex.mode_ = texts.mode;
  lex.Rehash(16384);
  EARSHOT_RETURN_IF_ERROR(lex.ParseVader(texts.vader, texts.vader_name));
  EARSHOT_RETURN_IF_ERROR(lex.ParseEmoji(texts.emoji, texts.emoji_name));
  lex.AddRuleWords();
  if (texts.mode == SentimentMode::kB2B) {
    lex.AddVaderPhrases();
    EARSHOT_RETURN_IF_ERROR(lex.ParseB2B(texts.b2b, texts.b2b_name));
  }
  lex.IndexPhrases();
  EARSHOT_RETURN_IF_ERROR(lex.Freeze());
  lex.valence_count_ = static_cast<size_t>(
      std::count_if(lex.infos_.begin(), lex.infos_.end(), [](const TokenInfo& t) { return t.Has(TokenInfo::kHasValence); }));
  return lex;
}

Result<SentimentLexicon> SentimentLexicon::LoadFiles(const std::string& vader_path, const std::string& emoji_path,
                                                     const std::string& b2b_path, SentimentMode mode) {
  EARSHOT_ASSIGN_OR_RETURN(std::string vader, ReadWholeFile(vader_path));
  std::string emoji;
  std::string b2b;
  if (!emoji_path.empty()) {
    EARSHOT_ASSIGN_OR_RETURN(emoji, ReadWholeFile(emoji_path));
  }
  if (!b2b_path.empty()) {
    EARSHOT_ASSIGN_OR_RETURN(b2b, ReadWholeFile(b2b_path));
  }
  return Parse({.vader = vader,
                .emoji = emoji,
                .b2b = b2b,
                .mode = mode,
                .vader_name = vader_path,
                .emoji_name = emoji_path,
                .b2b_name = b2b_path});
}

Result<SentimentLexicon> SentimentLexicon::Embedded(SentimentMode mode) {
  return Parse({.vader = EmbeddedVaderLexicon(),
                .emoji = EmbeddedEmojiLexicon(),
                .b2b = EmbeddedB2BLexicon(),
                .mode = mode,
                .vader_name = "embedded vader_lexicon.txt",
                .emoji_name = "embedded emoji_utf8_lexicon.txt",
                .b2b_name = "embedded b2b_lexicon.tsv"});
}

const TokenInfo* SentimentLexicon::Find(std::string_view key, uint64_t h) const {
  if (!MayContain(h)) return nullptr;
  const uint8_t tag = TagOf(h);
  for (size_t g = GroupOf(h);; g = (g + 1) & group_mask_) {
    for (uint32_t m = MatchByte(g, tag); m != 0; m &= m - 1) {
      const TokenEntry& e = entries_[kGroupSize * g + static_cast<size_t>(std::countr_zero(m))];
      if (e.key_length == key.size() && SameBytes(keys_.data() + key_offsets_[e.info], key)) return &infos_[e.info];
    }
    if (MatchByte(g, 0) != 0) return nullptr;
  }
}

std::string_view SentimentLexicon::EmojiDescription(char32_t cp) const {
  auto it = std::lower_bound(emoji_.begin(), emoji_.end(), cp,
                             [](const EmojiEntry& e, char32_t v) { return e.cp < v; });
  if (it == emoji_.end() || it->cp != cp) return {};
  return std::string_view(emoji_text_).substr(it->offset, it->length);
}

TokenInfo& SentimentLexicon::Upsert(std::string_view key) {
  if ((infos_.size() + 1) * 2 > slots_.size()) Rehash(slots_.size() * 2);
  const uint64_t h = TokenHash(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = SlotOf(h);; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.info == kEmpty) {
      s.hash = h;
      std::memcpy(&s.head, key.data(), std::min<size_t>(key.size(), 8));
      s.key_length = static_cast<uint32_t>(key.size());
      s.info = static_cast<uint32_t>(infos_.size());
      key_offsets_.push_back(static_cast<uint32_t>(keys_.size()));
      keys_.append(key);
      filter_[FilterWord(h)] |= FilterBits(h);
      infos_.emplace_back();
      return infos_.back();
    }
    if (s.hash == h && s.key_length == key.size() &&
        std::memcmp(keys_.data() + key_offsets_[s.info], key.data(), key.size()) == 0) {
      return infos_[s.info];
    }
  }
}

Status SentimentLexicon::Freeze() {
  // The frozen entries hold key lengths and info indices in 16 bits.
  constexpr size_t kMax16 = 0xFFFF;
  if (infos_.size() > kMax16) {
    return Status::InvalidArgument("sentiment lexicon: " + std::to_string(infos_.size()) +
                                   " tokens, more than the 65,535 supported");
  }
  for (const Slot& s : slots_) {
    if (s.info != kEmpty && s.key_length > kMax16) {
      return Status::InvalidArgument("sentiment lexicon: a token of " + std::to_string(s.key_length) +
                                     " bytes, longer than the 65,535 supported");
    }
  }
  // At most 7/8 full (a group probe stays short at that load), and at
  // least one group.
  size_t capacity = kGroupSize;
  while (capacity * 7 < infos_.size() * 8) capacity *= 2;
  ctrl_.assign(capacity, 0);
  entries_.assign(capacity, TokenEntry{});
  group_mask_ = capacity / kGroupSize - 1;
  for (const Slot& s : slots_) {
    if (s.info == kEmpty) continue;
    size_t g = GroupOf(s.hash);
    uint32_t empty;
    while ((empty = MatchByte(g, 0)) == 0) g = (g + 1) & group_mask_;
    const size_t slot = kGroupSize * g + static_cast<size_t>(std::countr_zero(empty));
    const TokenInfo& info = infos_[s.info];
    ctrl_[slot] = TagOf(s.hash);
    uint64_t second = 0;
    if (s.key_length > 8) {
      std::memcpy(&second, keys_.data() + key_offsets_[s.info] + 8, std::min<size_t>(s.key_length - 8, 8));
    }
    entries_[slot] = {.head = s.head,
                      .second = second,
                      .valence = info.valence,
                      .key_length = static_cast<uint16_t>(s.key_length),
                      .info = static_cast<uint16_t>(s.info),
                      .flags = info.flags,
                      .rule_word = info.rule_word,
                      .idiom_word = info.idiom_word};
  }
  slots_ = {};
  keys_.append(8, '\0');
  return Status::Ok();
}

bool SentimentLexicon::LongKeyTailEquals(const TokenEntry& e, const char* p, size_t length) const {
  // 8 bytes at a time: keys_ ends in 8 zero bytes, p is padded.
  const char* key = keys_.data() + key_offsets_[e.info];
  for (size_t i = 16; i < length; i += 8) {
    uint64_t a;
    uint64_t b;
    std::memcpy(&a, key + i, 8);
    std::memcpy(&b, p + i, 8);
    if (((a ^ b) & LowBytes(length - i)) != 0) return false;
  }
  return true;
}

void SentimentLexicon::Rehash(size_t capacity) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(capacity, Slot{});
  slot_mask_ = capacity - 1;
  const size_t mask = capacity - 1;
  for (const Slot& s : old) {
    if (s.info == kEmpty) continue;
    size_t i = SlotOf(s.hash);
    while (slots_[i].info != kEmpty) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

Status SentimentLexicon::ParseVader(std::string_view text, std::string_view name) {
  if (text.empty()) return Status::InvalidArgument(std::string(name) + ": the VADER lexicon is empty");
  return ForEachLine(text, [&](std::string_view raw, size_t line_no) -> Status {
    std::string_view line = TrimPythonSpace(raw);
    if (line.empty()) return Status::Ok();
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return LineError(name, line_no, "expected TOKEN<TAB>VALENCE");
    std::string_view value = line.substr(tab + 1);
    value = value.substr(0, value.find('\t'));
    std::optional<double> v = ParseDouble(value);
    if (!v || *v < -4.0 || *v > 4.0) {
      return LineError(name, line_no, "valence '" + std::string(value) + "' is not a number in -4..4");
    }
    // The reference keeps the last value of a duplicated token.
    TokenInfo& info = Upsert(line.substr(0, tab));
    info.valence = *v;
    info.flags |= TokenInfo::kHasValence;
    return Status::Ok();
  });
}

Status SentimentLexicon::ParseEmoji(std::string_view text, std::string_view name) {
  Status st = ForEachLine(text, [&](std::string_view raw, size_t line_no) -> Status {
    std::string_view line = TrimPythonSpace(raw);
    if (line.empty()) return Status::Ok();
    const size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return LineError(name, line_no, "expected EMOJI<TAB>DESCRIPTION");
    std::string_view emoji = line.substr(0, tab);
    std::string_view description = line.substr(tab + 1);
    description = description.substr(0, description.find('\t'));
    size_t pos = 0;
    if (emoji.empty()) return LineError(name, line_no, "empty emoji");
    const char32_t cp = DecodeUtf8(emoji, pos);
    // The reference replaces one code point at a time, so sequences (flags,
    // skin tones, ZWJ) can never match; they are skipped here.
    if (pos != emoji.size() || cp == kReplacementChar) return Status::Ok();
    emoji_.push_back({cp, static_cast<uint32_t>(emoji_text_.size()), static_cast<uint32_t>(description.size())});
    emoji_text_.append(description);
    return Status::Ok();
  });
  EARSHOT_RETURN_IF_ERROR(st);
  // Last entry wins for a duplicated emoji, as with a Python dict.
  std::stable_sort(emoji_.begin(), emoji_.end(), [](const EmojiEntry& a, const EmojiEntry& b) { return a.cp < b.cp; });
  std::vector<EmojiEntry> unique;
  for (const EmojiEntry& e : emoji_) {
    if (!unique.empty() && unique.back().cp == e.cp) {
      unique.back() = e;
    } else {
      unique.push_back(e);
    }
  }
  emoji_ = std::move(unique);
  if (!emoji_.empty()) min_emoji_ = emoji_.front().cp;
  return Status::Ok();
}

void SentimentLexicon::AddRuleWords() {
  for (std::string_view w : kBoosters) {
    TokenInfo& t = Upsert(w);
    t.flags |= TokenInfo::kBooster;
    t.booster = kBoosterIncrement;
  }
  for (std::string_view w : kDampeners) {
    TokenInfo& t = Upsert(w);
    t.flags |= TokenInfo::kBooster | TokenInfo::kDampener;
    t.booster = -kBoosterIncrement;
  }
  for (std::string_view w : kNegations) Upsert(w).flags |= TokenInfo::kNegation;
  for (std::string_view w : kIdiomWords) {
    TokenInfo& t = Upsert(w);
    t.flags |= TokenInfo::kIdiomWord;
    t.idiom_word = IdiomWordId(w);
  }
  for (const auto& [w, id] : kRuleWords) Upsert(w).rule_word = id;
  if (mode_ == SentimentMode::kB2B) {
    for (std::string_view w : kLikeSubjects) Upsert(w).flags |= TokenInfo::kLikeSubject;
  }
}

void SentimentLexicon::AddVaderPhrases() {
  // The VADER lexicon holds a few multi-word entries ("fed up", "screwed up",
  // "can't stand") that the reference never matches because it looks tokens
  // up one by one; B2B mode matches them as phrases.
  const size_t n = slots_.size();
  for (size_t i = 0; i < n; ++i) {
    const Slot& s = slots_[i];
    if (s.info == kEmpty) continue;
    std::string_view key(keys_.data() + key_offsets_[s.info], s.key_length);
    if (key.find(' ') == std::string_view::npos || !infos_[s.info].Has(TokenInfo::kHasValence)) continue;
    SentimentPhrase p;
    for (std::string_view w : Split(key, ' ')) {
      if (!w.empty()) p.words.emplace_back(w);
    }
    p.valence = infos_[s.info].valence;
    if (p.words.size() > 1) phrases_.push_back(std::move(p));
  }
}

Status SentimentLexicon::ParseB2B(std::string_view text, std::string_view name) {
  return ForEachLine(text, [&](std::string_view raw, size_t line_no) -> Status {
    std::string_view line = raw;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (TrimAscii(line).empty() || line.front() == '#') return Status::Ok();
    std::vector<std::string_view> fields = Split(line, '\t');
    if (fields.size() < 3) return LineError(name, line_no, "expected TERM<TAB>VALENCE<TAB>CATEGORY[<TAB>RATIONALE]");
    const std::string term = LowerUtf8(TrimAscii(fields[0]));
    if (term.empty()) return LineError(name, line_no, "empty term");
    std::optional<double> v = ParseDouble(TrimAscii(fields[1]));
    if (!v || *v < -4.0 || *v > 4.0) {
      return LineError(name, line_no, "valence '" + std::string(fields[1]) + "' is not a number in -4..4");
    }
    if (TrimAscii(fields[2]).empty()) return LineError(name, line_no, "empty category");
    if (term.find(' ') != std::string::npos) {
      SentimentPhrase p;
      for (std::string_view w : Split(term, ' ')) {
        if (!w.empty()) p.words.emplace_back(w);
      }
      p.valence = *v;
      phrases_.push_back(std::move(p));
      return Status::Ok();
    }
    TokenInfo& info = Upsert(term);
    if (*v == 0.0) {
      // A sense that carries no sentiment in vendor conversation: the token
      // stops being a sentiment word (and so no longer blocks modifiers).
      info.flags = static_cast<uint16_t>((info.flags & ~TokenInfo::kHasValence) | TokenInfo::kNonSentiment);
      info.valence = 0.0;
    } else {
      info.flags = static_cast<uint16_t>((info.flags | TokenInfo::kHasValence) & ~TokenInfo::kNonSentiment);
      info.valence = *v;
    }
    return Status::Ok();
  });
}

void SentimentLexicon::IndexPhrases() {
  // Longest phrase first among those that share a first word; a later
  // duplicate of the same words replaces the earlier one.
  std::stable_sort(phrases_.begin(), phrases_.end(), [](const SentimentPhrase& a, const SentimentPhrase& b) {
    if (a.words.front() != b.words.front()) return a.words.front() < b.words.front();
    if (a.words.size() != b.words.size()) return a.words.size() > b.words.size();
    return a.words < b.words;
  });
  std::vector<SentimentPhrase> unique;
  for (SentimentPhrase& p : phrases_) {
    if (!unique.empty() && unique.back().words == p.words) {
      unique.back() = std::move(p);
    } else {
      unique.push_back(std::move(p));
    }
  }
  phrases_ = std::move(unique);
  for (size_t i = 0; i < phrases_.size(); ++i) {
    TokenInfo& first = Upsert(phrases_[i].words.front());
    if (!first.Has(TokenInfo::kPhraseStart)) {
      first.flags |= TokenInfo::kPhraseStart;
      first.phrase_begin = static_cast<uint32_t>(i);
      first.phrase_count = 0;
    }
    ++first.phrase_count;
  }
}

}  // namespace earshot::enrich
