// Text generation: turns a compact content spec (what a post does, about
// what, in which language, and a seed) into the post's text, title and
// entities. Rendering is a pure function of the spec and the context, so a
// reshare can re-render its original instead of storing it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/model.h"
#include "sim/world.h"

namespace earshot::sim {

// What a post is about. -1 = not fixed yet (the renderer picks and reports).
struct Subject {
  int16_t company = -1;
  int16_t product = -1;
  int16_t other_company = -1;
  int16_t other_product = -1;
  int16_t topic = -1;
};

struct ContentSpec {
  uint64_t seed = 0;
  Act act = Act::kOpinion;
  Lang lang = Lang::kEn;
  // kAgree and kQuote pick a template of this sentiment when one exists.
  Sentiment want = Sentiment::kNeutral;
  // Pick a template that names the subject product (event posts).
  bool need_product = false;
  Subject subject;
};

enum class TextStyle : uint8_t {
  kShort,    // a microblog post: tail sentence, emoji, link and hashtags at random
  kComment,  // a forum comment or community reply: plain sentences
  kLong,     // an article, forum thread, review or video: title and paragraphs
};

struct RenderContext {
  TextStyle style = TextStyle::kShort;
  bool short_links = false;        // X: links appear as t.example short links
  double hashtag_rate = 0.4;       // chance of appended hashtags (kShort)
  std::string_view reply_to;       // handle to address first ("@jdoe "), or ""
  int reply_person = -1;           // the person behind reply_to
  std::string_view share_url;      // kShare: the article shared
  std::string_view share_title;
  uint64_t share_topics = 0;       // watches the shared article's title is about
  int body_sentences = 0;          // kLong: sentences after the first
  int64_t t_ms = 0;                // for {YEAR}
};

struct TagEntity {
  uint32_t start, end;  // code points, '#' included
  std::string_view tag;
};
struct MentionEntity {
  uint32_t start, end;  // code points, '@' included
  std::string_view handle;
  int person;           // -1 when the handle is not an X account
};
struct UrlEntity {
  uint32_t start, end;  // code points of the link as it appears in the text
  uint32_t shown_off, shown_len;        // in Rendered::arena: the link in the text
  uint32_t expanded_off, expanded_len;  // in Rendered::arena: the full URL
};

// The result of rendering; reused across calls (keeps its capacity).
struct Rendered {
  std::string text;
  std::string title;
  Lang lang = Lang::kEn;
  Sentiment sentiment = Sentiment::kNeutral;
  uint8_t intents = 0;
  uint64_t topics = 0;  // bit i = watch i is truly about this post
  uint64_t title_topics = 0;  // the watches the title alone names
  Subject subject;      // fully resolved
  std::vector<TagEntity> hashtags;
  std::vector<MentionEntity> mentions;
  std::vector<UrlEntity> urls;
  std::string arena;

  std::string_view Shown(const UrlEntity& u) const { return std::string_view(arena).substr(u.shown_off, u.shown_len); }
  std::string_view Expanded(const UrlEntity& u) const {
    return std::string_view(arena).substr(u.expanded_off, u.expanded_len);
  }
  void Clear();
};

// Compiles the templates once; Render() is const and thread-compatible.
class TextGenerator {
 public:
  // Keeps a reference to `world`, which must outlive the generator.
  explicit TextGenerator(const World& world);
  TextGenerator(const TextGenerator&) = delete;
  TextGenerator& operator=(const TextGenerator&) = delete;

  // Renders `spec` in `ctx` into `out` (cleared first).
  void Render(const ContentSpec& spec, const RenderContext& ctx, Rendered& out) const;

 private:
  struct Piece {
    uint8_t slot;  // 0 = literal
    std::string_view literal;
  };
  struct Compiled {
    Sentiment sentiment;
    uint8_t intents;
    bool names_product;
    std::vector<Piece> pieces;
  };
  class Writer;

  static Compiled Compile(std::string_view spec);

  const World& w_;
  std::vector<Compiled> posts_, titles_, bodies_, tails_;
  std::vector<int> post_pool_[kLangCount][kActCount];
  std::vector<int> title_pool_[kLangCount][kActCount];
  std::vector<int> body_pool_[kLangCount][3];
  std::vector<int> tail_pool_[kLangCount][3];
};

}  // namespace earshot::sim
