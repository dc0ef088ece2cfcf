#include "sim/text.h"

#include <algorithm>
#include <cstring>

#include "core/hash.h"
#include "sim/lexicon.h"
#include "sim/out_buffer.h"
#include "sim/templates.h"

namespace earshot::sim {
namespace {

enum Slot : uint8_t {
  kLiteral = 0,
  kSlotP,
  kSlotC,
  kSlotAtC,
  kSlotAtS,
  kSlotX,
  kSlotXC,
  kSlotT,
  kSlotF,
  kSlotI,
  kSlotD,
  kSlotR,
  kSlotCity,
  kSlotV,
  kSlotN,
  kSlotNN,
  kSlotL,
  kSlotE,
  kSlotTitle,
  kSlotYear,
};

struct SlotName {
  std::string_view name;
  Slot slot;
};
constexpr SlotName kSlotNames[] = {
    {"P", kSlotP},   {"C", kSlotC},    {"@C", kSlotAtC}, {"@S", kSlotAtS},     {"X", kSlotX},
    {"XC", kSlotXC}, {"T", kSlotT},    {"F", kSlotF},    {"I", kSlotI},        {"D", kSlotD},
    {"R", kSlotR},   {"CITY", kSlotCity}, {"V", kSlotV}, {"N", kSlotN},        {"NN", kSlotNN},
    {"L", kSlotL},   {"E", kSlotE},    {"TITLE", kSlotTitle}, {"YEAR", kSlotYear},
};

bool IsAsciiLetterOrDigit(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Counts code points: bytes that are not UTF-8 continuation bytes (10xxxxxx),
// eight at a time.
uint32_t CountCodePoints(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint32_t continuation = 0;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // Bit 7 set and bit 6 clear in a byte marks a continuation byte.
    const uint64_t marks = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;  // 1 per continuation byte
    continuation += static_cast<uint32_t>((marks * 0x0101010101010101ULL) >> 56);
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) continuation += (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
  return static_cast<uint32_t>(s.size()) - continuation;
}

void AppendBase62(std::string& out, uint64_t n, int width) {
  static constexpr char kDigits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const size_t at = out.size();
  out.resize(at + static_cast<size_t>(width));
  for (int i = width - 1; i >= 0; --i) {
    out[at + static_cast<size_t>(i)] = kDigits[n % 62];
    n /= 62;
  }
}

// Appends a URL path segment for a feature ("the Terraform provider" -> "terraform-provider").
void AppendFeatureSlug(std::string& out, std::string_view f) {
  if (f.starts_with("the ")) f.remove_prefix(4);
  const size_t at = out.size();
  for (char c : f) {
    if (IsAsciiLetterOrDigit(c)) {
      out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    } else if (out.size() > at && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (out.size() > at && out.back() == '-') out.pop_back();
  if (out.size() == at) out += "overview";
}

}  // namespace

void Rendered::Clear() {
  text.clear();
  title.clear();
  lang = Lang::kEn;
  sentiment = Sentiment::kNeutral;
  intents = 0;
  topics = 0;
  title_topics = 0;
  subject = {};
  hashtags.clear();
  mentions.clear();
  urls.clear();
  arena.clear();
}

// Writes one rendering: fills slots, resolves the subject lazily, tracks
// code-point offsets for entities and the watches the text truly mentions.
class TextGenerator::Writer {
 public:
  Writer(const TextGenerator& gen, const ContentSpec& spec, const RenderContext& ctx, Rendered& out)
      : gen_(gen), w_(gen.w_), spec_(spec), ctx_(ctx), out_(out), rng_(spec.seed, 7), subject_(spec.subject) {}

  Rng& rng() { return rng_; }
  const Subject& subject() const { return subject_; }

  // Appends literal text to `dest`, dropping a space that would double one.
  void Append(std::string& dest, std::string_view s) {
    if (!s.empty() && s.front() == ' ' && (dest.empty() || dest.back() == ' ' || dest.back() == '\n')) {
      s.remove_prefix(1);
    }
    dest.append(s);
  }

  // Returns the code-point length of the text so far; counted lazily, each
  // byte once, because only entity offsets need it.
  uint32_t Cp() {
    if (counted_ < out_.text.size()) {
      cp_ += CountCodePoints(std::string_view(out_.text).substr(counted_));
      counted_ = out_.text.size();
    }
    return cp_;
  }

  // Appends a slot filler, capitalized when it starts a sentence.
  void AppendFill(std::string& dest, std::string_view s) {
    const bool start = dest.empty() || dest.ends_with(". ") || dest.ends_with("! ") || dest.ends_with("? ") ||
                       dest.ends_with("\n");
    if (start && !s.empty() && s[0] >= 'a' && s[0] <= 'z') {
      char first[1] = {static_cast<char>(s[0] - 32)};
      Append(dest, std::string_view(first, 1));
      s.remove_prefix(1);
    }
    Append(dest, s);
  }

  void Emit(std::string& dest, const Compiled& t) {
    for (const Piece& piece : t.pieces) {
      if (piece.slot == kLiteral) {
        Append(dest, piece.literal);
      } else {
        Fill(dest, static_cast<Slot>(piece.slot), t.sentiment);
      }
    }
    while (!dest.empty() && dest.back() == ' ') {
      if (&dest == &out_.text && counted_ == dest.size()) {
        --cp_;
        --counted_;
      }
      dest.pop_back();
    }
  }

  void AddTag(std::string_view tag, int watch) {
    Append(out_.text, " ");
    const uint32_t start = Cp();
    Append(out_.text, "#");
    Append(out_.text, tag);
    out_.hashtags.push_back({start, Cp(), tag});
    if (watch >= 0) out_.topics |= uint64_t{1} << watch;
  }

  void AddMention(std::string& dest, std::string_view handle, int person) {
    if (&dest != &out_.text) {
      dest += "@";
      dest += handle;
      return;
    }
    const uint32_t start = Cp();
    Append(dest, "@");
    Append(dest, handle);
    out_.mentions.push_back({start, Cp(), handle, person});
  }

  // Appends a link whose full URL has just been written to the arena from
  // `expanded_off` on; X shows it as a short link.
  void AddLink(std::string& dest, size_t expanded_off) {
    const std::string_view expanded = std::string_view(out_.arena).substr(expanded_off);
    if (&dest != &out_.text) {
      dest += expanded;
      return;
    }
    UrlEntity u{};
    u.expanded_off = static_cast<uint32_t>(expanded_off);
    u.expanded_len = static_cast<uint32_t>(expanded.size());
    if (!ctx_.short_links) {
      // A link shown in full names the company whose domain it is on.
      for (const Company& c : w_.companies) {
        if (expanded.find(c.domain) != std::string_view::npos) Mark(c.watch);
      }
    }
    if (ctx_.short_links) {
      const uint64_t h = Hash64(expanded, 0x5eed);
      u.shown_off = static_cast<uint32_t>(out_.arena.size());
      out_.arena += "https://t.example/";
      AppendBase62(out_.arena, h, 10);
    } else {
      u.shown_off = u.expanded_off;
    }
    u.shown_len = static_cast<uint32_t>(ctx_.short_links ? out_.arena.size() - u.shown_off : u.expanded_len);
    u.start = Cp();
    Append(dest, std::string_view(out_.arena).substr(u.shown_off, u.shown_len));
    u.end = Cp();
    out_.urls.push_back(u);
  }

  void AddLink(std::string& dest, std::string_view url) {
    const size_t at = out_.arena.size();
    out_.arena += url;
    AddLink(dest, at);
  }

  // Appends the product page URL of `product` to `out`.
  void PutProductUrl(std::string& out, int product) {
    const Product& p = w_.products[static_cast<size_t>(product)];
    out += "https://";
    out += w_.companies[static_cast<size_t>(p.company)].domain;
    out += "/products/";
    out += p.slug;
  }

  int SubjectProduct() {
    if (subject_.product < 0) {
      const int c = SubjectCompany();
      const auto& products = w_.companies[static_cast<size_t>(c)].products;
      double total = 0;
      for (int p : products) total += w_.products[static_cast<size_t>(p)].weight;
      double u = rng_.Uniform() * total;
      int chosen = products.front();
      for (int p : products) {
        u -= w_.products[static_cast<size_t>(p)].weight;
        if (u < 0) {
          chosen = p;
          break;
        }
      }
      subject_.product = static_cast<int16_t>(chosen);
    }
    return subject_.product;
  }

  int SubjectCompany() {
    if (subject_.company < 0) {
      subject_.company = static_cast<int16_t>(
          subject_.product >= 0 ? w_.products[static_cast<size_t>(subject_.product)].company
                                : static_cast<int>(w_.company_voice.Sample(rng_)));
    }
    return subject_.company;
  }

  int OtherProduct() {
    if (subject_.other_product < 0) {
      const int mine = SubjectCompany();
      int other = mine;
      for (int tries = 0; other == mine && tries < 16; ++tries) other = static_cast<int>(w_.company_voice.Sample(rng_));
      if (other == mine) other = (mine + 1) % static_cast<int>(w_.companies.size());
      // Prefer the rival's product in the same market topic.
      const auto& products = w_.companies[static_cast<size_t>(other)].products;
      int chosen = products[rng_.Below(products.size())];
      const int topic = SubjectTopic();
      for (int p : products) {
        if (w_.products[static_cast<size_t>(p)].topic == topic) chosen = p;
      }
      subject_.other_product = static_cast<int16_t>(chosen);
      subject_.other_company = static_cast<int16_t>(other);
    }
    return subject_.other_product;
  }

  int SubjectTopic() {
    if (subject_.topic < 0) {
      subject_.topic = static_cast<int16_t>(subject_.product >= 0
                                                ? w_.products[static_cast<size_t>(subject_.product)].topic
                                                : static_cast<int>(rng_.Below(w_.topics.size())));
    }
    return subject_.topic;
  }

  void Mark(int watch) {
    if (watch >= 0) out_.topics |= uint64_t{1} << watch;
  }
  void MarkProduct(int p) {
    Mark(w_.products[static_cast<size_t>(p)].watch);
    Mark(w_.companies[static_cast<size_t>(w_.products[static_cast<size_t>(p)].company)].watch);
  }

  std::string Version(int product) {
    // Announcements name the product's current release; others any recent one.
    const int major = 2 + product % 6;
    const int minor = (product * 7) % 10 + ((spec_.act == Act::kAnnounce) ? 0 : -static_cast<int>(rng_.Below(3)));
    std::string v = "v";
    v += std::to_string(major);
    v += '.';
    v += std::to_string(minor < 0 ? 0 : minor);
    return v;
  }

  // Writes the URL this post links to at the end of the arena.
  void WriteLink(std::string& a) {
    const Company& company = w_.companies[static_cast<size_t>(SubjectCompany())];
    switch (spec_.act) {
      case Act::kShare:
        if (!ctx_.share_url.empty()) {
          a += ctx_.share_url;
          return;
        }
        a += "https://blog.";
        a += company.domain;
        a += "/posts/";
        AppendBase62(a, rng_.Next(), 8);
        return;
      case Act::kAnnounce:
        PutProductUrl(a, SubjectProduct());
        a += "/whats-new";
        return;
      case Act::kJobPost:
        a += "https://careers.";
        a += company.domain;
        a += "/jobs/";
        a += std::to_string(rng_.Between(1000, 9999));
        return;
      case Act::kSpam: {
        static constexpr std::string_view kHosts[] = {"free-deals.example", "cheap-keys.example", "growfast.example"};
        a += "https://";
        a += kHosts[rng_.Below(3)];
        a += '/';
        AppendBase62(a, rng_.Next(), 6);
        return;
      }
      default: {
        const int p = SubjectProduct();
        const auto features = Features(Lang::kEn);
        a += "https://docs.";
        a += company.domain;
        a += '/';
        a += w_.products[static_cast<size_t>(p)].slug;
        a += '/';
        AppendFeatureSlug(a, features[rng_.Below(features.size())]);
      }
    }
  }

  void Fill(std::string& dest, Slot slot, Sentiment sentiment) {
    const Lang lang = out_.lang;
    switch (slot) {
      case kSlotP: {
        const int p = SubjectProduct();
        MarkProduct(p);
        Append(dest, w_.products[static_cast<size_t>(p)].name);
        break;
      }
      case kSlotC: {
        const int c = SubjectCompany();
        Mark(w_.companies[static_cast<size_t>(c)].watch);
        Append(dest, w_.companies[static_cast<size_t>(c)].name);
        break;
      }
      case kSlotAtC:
      case kSlotAtS: {
        const Company& c = w_.companies[static_cast<size_t>(SubjectCompany())];
        Mark(c.watch);
        const bool support = slot == kSlotAtS && !c.support_handle.empty();
        AddMention(dest, support ? c.support_handle : c.handle, support ? c.support : c.official);
        break;
      }
      case kSlotX: {
        const int p = OtherProduct();
        MarkProduct(p);
        Append(dest, w_.products[static_cast<size_t>(p)].name);
        break;
      }
      case kSlotXC: {
        OtherProduct();
        const Company& c = w_.companies[static_cast<size_t>(subject_.other_company)];
        Mark(c.watch);
        Append(dest, c.name);
        break;
      }
      case kSlotT: {
        const TopicInfo& t = w_.topics[static_cast<size_t>(SubjectTopic())];
        Mark(t.watch);
        AppendFill(dest, Topics()[static_cast<size_t>(t.lexicon)].terms[static_cast<int>(lang)]);
        break;
      }
      case kSlotF: AppendFill(dest, Pick(Features(lang))); break;
      case kSlotI: AppendFill(dest, Pick(Issues(lang))); break;
      case kSlotD: AppendFill(dest, Pick(Durations(lang))); break;
      case kSlotR: Append(dest, Pick(JobTitles(lang))); break;
      case kSlotCity: {
        const Region& r = Regions()[static_cast<size_t>(w_.regions[rng_.Below(w_.regions.size())])];
        Append(dest, r.cities[rng_.Below(r.cities.size())].written[0]);
        break;
      }
      case kSlotV: Append(dest, Version(SubjectProduct())); break;
      case kSlotN: Append(dest, std::to_string(rng_.Between(2, 9))); break;
      case kSlotNN: Append(dest, std::to_string(rng_.Between(2, 19) * 5)); break;
      case kSlotL: {
        const size_t at = out_.arena.size();
        WriteLink(out_.arena);
        AddLink(dest, at);
        break;
      }
      case kSlotE: Append(dest, Pick(Emoji(sentiment))); break;
      case kSlotTitle:
        if (!ctx_.share_title.empty()) {
          Append(dest, ctx_.share_title);
          out_.topics |= ctx_.share_topics;
        } else {
          // A shared piece from elsewhere: make up its headline.
          static constexpr Act kActs[] = {Act::kOpinion, Act::kCompare, Act::kAnnounce, Act::kPraise};
          const int li = gen_.title_pool_[static_cast<int>(lang)][static_cast<int>(Act::kOpinion)].empty()
                             ? 0
                             : static_cast<int>(lang);
          const auto* pool = &gen_.title_pool_[li][static_cast<int>(kActs[rng_.Below(4)])];
          if (pool->empty()) pool = &gen_.title_pool_[li][static_cast<int>(Act::kOpinion)];
          std::string title;
          Emit(title, gen_.titles_[static_cast<size_t>((*pool)[rng_.Below(pool->size())])]);
          Append(dest, title);
        }
        break;
      case kSlotYear: {
        int64_t y;
        unsigned m, d;
        CivilFromDays(ctx_.t_ms / 86'400'000, y, m, d);
        Append(dest, std::to_string(y));
        break;
      }
      case kLiteral: break;
    }
  }

  std::string_view Pick(std::span<const std::string_view> items) { return items[rng_.Below(items.size())]; }

 private:
  const TextGenerator& gen_;
  const World& w_;
  const ContentSpec& spec_;
  const RenderContext& ctx_;
  Rendered& out_;
  Rng rng_;
  Subject subject_;
  uint32_t cp_ = 0;       // code points in out_.text[0, counted_)
  size_t counted_ = 0;
};

TextGenerator::Compiled TextGenerator::Compile(std::string_view spec) {
  Compiled t{Sentiment::kNeutral, 0, false, {}};
  const size_t bar = spec.find('|');
  const std::string_view header = spec.substr(0, bar);
  std::string_view body = spec.substr(bar + 1);
  t.sentiment = header[0] == '+' ? Sentiment::kPositive : (header[0] == '-' ? Sentiment::kNegative : Sentiment::kNeutral);
  for (char c : header.substr(1)) {
    switch (c) {
      case 'q': t.intents |= kIntentQuestion; break;
      case 'r': t.intents |= kIntentRecommendation; break;
      case 'c': t.intents |= kIntentComparison; break;
      case 'k': t.intents |= kIntentComplaint; break;
      case 'p': t.intents |= kIntentPraise; break;
      case 'j': t.intents |= kIntentJobPost; break;
      case 's': t.intents |= kIntentSpam; break;
      default: break;
    }
  }
  while (!body.empty()) {
    const size_t open = body.find('{');
    if (open == std::string_view::npos) {
      t.pieces.push_back({kLiteral, body});
      break;
    }
    if (open > 0) t.pieces.push_back({kLiteral, body.substr(0, open)});
    const size_t close = body.find('}', open);
    const std::string_view name = body.substr(open + 1, close - open - 1);
    Slot slot = kLiteral;
    for (const SlotName& s : kSlotNames) {
      if (s.name == name) slot = s.slot;
    }
    if (slot == kLiteral) {
      t.pieces.push_back({kLiteral, body.substr(open, close - open + 1)});  // not a slot: keep the braces
    } else {
      t.pieces.push_back({slot, {}});
      if (slot == kSlotP) t.names_product = true;
    }
    body.remove_prefix(close + 1);
  }
  return t;
}

TextGenerator::TextGenerator(const World& world) : w_(world) {
  for (const PostTemplateDef& d : PostTemplates()) {
    post_pool_[static_cast<int>(d.lang)][static_cast<int>(d.act)].push_back(static_cast<int>(posts_.size()));
    posts_.push_back(Compile(d.spec));
  }
  for (const TitleTemplateDef& d : TitleTemplates()) {
    title_pool_[static_cast<int>(d.lang)][static_cast<int>(d.act)].push_back(static_cast<int>(titles_.size()));
    titles_.push_back(Compile(d.spec));
  }
  for (const BodyTemplateDef& d : BodyTemplates()) {
    Compiled c = Compile(d.spec);
    body_pool_[static_cast<int>(d.lang)][static_cast<int>(c.sentiment)].push_back(static_cast<int>(bodies_.size()));
    bodies_.push_back(std::move(c));
  }
  for (const TailTemplateDef& d : TailTemplates()) {
    Compiled c = Compile(d.spec);
    tail_pool_[static_cast<int>(d.lang)][static_cast<int>(c.sentiment)].push_back(static_cast<int>(tails_.size()));
    tails_.push_back(std::move(c));
  }
}


namespace {

// Picks from `pool` an entry that satisfies `ok`, trying random ones first.
template <typename Ok>
int PickFrom(const std::vector<int>& pool, Rng& rng, Ok ok) {
  for (int tries = 0; tries < 8; ++tries) {
    const int i = pool[rng.Below(pool.size())];
    if (ok(i)) return i;
  }
  const size_t start = rng.Below(pool.size());
  for (size_t k = 0; k < pool.size(); ++k) {
    const int i = pool[(start + k) % pool.size()];
    if (ok(i)) return i;
  }
  return pool[start];
}

}  // namespace

void TextGenerator::Render(const ContentSpec& spec, const RenderContext& ctx, Rendered& out) const {
  out.Clear();
  Writer wr(*this, spec, ctx, out);
  Rng& rng = wr.rng();
  // A language without templates for this act falls back to English.
  Lang lang = spec.lang;
  const int act = static_cast<int>(spec.act);
  if (post_pool_[static_cast<int>(lang)][act].empty()) lang = Lang::kEn;
  out.lang = lang;
  const int li = static_cast<int>(lang);

  if (!ctx.reply_to.empty() && ctx.style == TextStyle::kShort) {
    wr.AddMention(out.text, ctx.reply_to, ctx.reply_person);
    wr.Append(out.text, " ");
    // Addressing a brand's own account is talking about the brand.
    if (ctx.reply_person >= 0) {
      const PersonHot& p = w_.hot[static_cast<size_t>(ctx.reply_person)];  // a Person spans many cache lines
      if ((p.role == Role::kOfficial || p.role == Role::kSupport) && p.company >= 0) {
        wr.Mark(w_.companies[static_cast<size_t>(p.company)].watch);
      }
    }
  }

  const bool article = ctx.style == TextStyle::kLong;
  if (article) {
    const auto& titles = !title_pool_[li][act].empty() ? title_pool_[li][act]
                                                       : title_pool_[li][static_cast<int>(Act::kOpinion)];
    const Compiled& title = titles_[static_cast<size_t>(PickFrom(titles, rng, [&](int i) {
      return !spec.need_product || titles_[static_cast<size_t>(i)].names_product;
    }))];
    wr.Emit(out.title, title);
    out.title_topics = out.topics;
  }

  const auto& pool = post_pool_[li][act];
  const Compiled& main = posts_[static_cast<size_t>(PickFrom(pool, rng, [&](int i) {
    const Compiled& c = posts_[static_cast<size_t>(i)];
    if (spec.need_product && !c.names_product) return false;
    if ((spec.act == Act::kAgree || spec.act == Act::kQuote) && c.sentiment != spec.want) return false;
    return true;
  }))];
  wr.Emit(out.text, main);
  out.sentiment = main.sentiment;
  out.intents = main.intents;

  if (article) {
    int used[16];
    int n_used = 0;
    for (int k = 0; k < ctx.body_sentences; ++k) {
      const Sentiment want = rng.Chance(0.6) ? out.sentiment : Sentiment::kNeutral;
      const auto* body = &body_pool_[li][static_cast<int>(want)];
      if (body->empty()) body = &body_pool_[li][0];
      if (body->empty()) body = &body_pool_[0][static_cast<int>(want)];
      // An article does not repeat a sentence pattern.
      int pick = (*body)[rng.Below(body->size())];
      for (int tries = 0; tries < 6 && std::find(used, used + n_used, pick) != used + n_used; ++tries) {
        pick = (*body)[rng.Below(body->size())];
      }
      if (std::find(used, used + n_used, pick) != used + n_used) continue;
      if (n_used < 16) used[n_used++] = pick;
      wr.Append(out.text, (k % 3 == 1) ? "\n\n" : " ");
      wr.Emit(out.text, bodies_[static_cast<size_t>(pick)]);
    }
  } else {
    const bool tail = rng.Chance(ctx.style == TextStyle::kShort ? 0.4 : 0.2);
    const auto& tails = tail_pool_[li][static_cast<int>(out.sentiment)];
    if (tail && !tails.empty()) {
      const Compiled& t = tails_[static_cast<size_t>(tails[rng.Below(tails.size())])];
      wr.Append(out.text, " ");
      wr.Emit(out.text, t);
      out.intents |= t.intents;
    }
  }

  if (ctx.style == TextStyle::kShort) {
    if (rng.Chance(0.14)) {
      wr.Append(out.text, " ");
      wr.Append(out.text, wr.Pick(Emoji(out.sentiment)));
    }
    // A bare link to the product's page; the short link hides the name, so
    // it adds nothing to what the post is about.
    if (out.urls.empty() && rng.Chance(0.08)) {
      wr.Append(out.text, " ");
      const size_t at = out.arena.size();
      wr.PutProductUrl(out.arena, wr.SubjectProduct());
      wr.AddLink(out.text, at);
    }
    if (rng.Chance(ctx.hashtag_rate)) {
      const int n = 1 + rng.Chance(0.35) + rng.Chance(0.12);
      bool used_product = false, used_company = false, used_topic = false;
      for (int k = 0; k < n; ++k) {
        const double u = rng.Uniform();
        if (!used_product && (u < 0.45 || k == 0) && wr.subject().product >= 0) {
          const Product& p = w_.products[static_cast<size_t>(wr.subject().product)];
          wr.AddTag(p.compact, p.watch);
          wr.Mark(w_.companies[static_cast<size_t>(p.company)].watch);
          used_product = true;
        } else if (!used_company && u < 0.65 && wr.subject().company >= 0) {
          const Company& c = w_.companies[static_cast<size_t>(wr.subject().company)];
          wr.AddTag(c.name, c.watch);
          used_company = true;
        } else if (!used_topic && u < 0.85) {
          const TopicInfo& t = w_.topics[static_cast<size_t>(wr.SubjectTopic())];
          wr.AddTag(Topics()[static_cast<size_t>(t.lexicon)].hashtag, t.watch);
          used_topic = true;
        } else {
          wr.AddTag(wr.Pick(GenericHashtags()), -1);
        }
      }
    }
  }
  out.subject = wr.subject();
}

}  // namespace earshot::sim
