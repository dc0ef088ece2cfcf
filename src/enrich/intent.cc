#include "enrich/intent.h"

#include <algorithm>
#include <array>
#include <bit>
#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "core/hash.h"
#include "core/strings.h"
#include "core/utf8.h"
#include "core/word_tokenizer.h"
#include "enrich/language.h"

namespace earshot::enrich {
namespace {

// Labels as indexes; kNotQuestion is internal: it marks a sentence whose
// '?' asks nothing (engagement bait, a rhetorical or marketing question,
// a support agent asking for a DM).
enum Label : uint8_t { kQ, kRec, kCmp, kCompl, kPraise, kJob, kSpam, kLabelCount, kNotQuestion = kLabelCount };

constexpr std::string_view kLabelNames[kLabelCount] = {
    kIntentQuestion, kIntentRecommendationRequest, kIntentComparison, kIntentComplaint, kIntentPraise, kIntentJobPost,
    kIntentSpam};

// One cue. The pattern syntax, on case-folded words:
//   "any recommendations"  consecutive words
//   "*"                    any one word;  "..." zero to three words
//   "frustrat*" / "*er"    a word with that prefix / suffix
//   "<n>"                  a number ("90% off" is "<n> off")
//   leading "^"            the match starts a sentence
//   trailing "$"           the match ends a sentence ("thoughts$": "... Thoughts?")
//   leading "?"            counts only when the text asks a real question
//   any Han or kana        a substring of the folded text (Japanese has no spaces)
// A negative weight damps the label: its score is multiplied by 1 + weight.
struct Cue {
  std::string_view lang;  // "" for every language
  Label label;
  double weight;
  std::string_view pattern;
};

// clang-format off
constexpr Cue kCues[] = {
    // ---- Every language ------------------------------------------------------
    {"", kCmp, 0.85, "vs"}, {"", kCmp, 0.85, "versus"}, {"", kSpam, 0.6, "<n> off"}, {"", kSpam, 0.45, "* off today"},
    // ---- English --------------------------------------------------------------
    // Questions: openers that start a sentence; '?' sentences are scored in code.
    {"en", kQ, 0.35, "^how"}, {"en", kQ, 0.35, "^what"}, {"en", kQ, 0.35, "^why"}, {"en", kQ, 0.35, "^where"},
    {"en", kQ, 0.35, "^which"}, {"en", kQ, 0.3, "^who"}, {"en", kQ, 0.35, "^when"}, {"en", kQ, 0.35, "^does"},
    {"en", kQ, 0.35, "^do"}, {"en", kQ, 0.3, "^is"}, {"en", kQ, 0.3, "^are"}, {"en", kQ, 0.35, "^can"},
    {"en", kQ, 0.35, "^could"}, {"en", kQ, 0.35, "^should"}, {"en", kQ, 0.35, "^has"}, {"en", kQ, 0.35, "^have"},
    {"en", kQ, 0.4, "^anyone"}, {"en", kQ, 0.4, "^any idea"}, {"en", kQ, 0.4, "^anybody"},
    {"en", kQ, 0.55, "^does anyone know"}, {"en", kQ, 0.55, "^anyone know"}, {"en", kQ, 0.5, "quick question"},
    {"en", kQ, 0.5, "^is it possible"}, {"en", kQ, 0.5, "how do i"}, {"en", kQ, 0.5, "how do you"},
    {"en", kQ, 0.5, "how can i"}, {"en", kQ, 0.45, "any idea how"}, {"en", kQ, 0.45, "i wonder if"},
    {"en", kQ, 0.4, "^is there"}, {"en", kQ, 0.45, "anyone else"},
    // ...and '?' that asks nothing.
    {"en", kNotQuestion, 1, "thoughts$"}, {"en", kNotQuestion, 1, "anyone else$"},
    {"en", kNotQuestion, 1, "^seriously"}, {"en", kNotQuestion, 1, "^really$"},
    {"en", kNotQuestion, 1, "what do you think$"}, {"en", kNotQuestion, 1, "agree$"},
    {"en", kNotQuestion, 1, "^who knew"}, {"en", kNotQuestion, 1, "^guess what"}, {"en", kNotQuestion, 1, "^why not"},
    {"en", kNotQuestion, 1, "^right"}, {"en", kNotQuestion, 1, "eh$"}, {"en", kNotQuestion, 1, "aren t you$"},
    {"en", kNotQuestion, 1, "don t you$"}, {"en", kNotQuestion, 1, "isn t it$"}, {"en", kNotQuestion, 1, "right$"},
    {"en", kNotQuestion, 1, "asking for a friend"}, {"en", kNotQuestion, 1, "new normal or just"},
    {"en", kNotQuestion, 1, "^what could possibly go wrong"}, {"en", kNotQuestion, 1, "^how cool is that"},
    {"en", kNotQuestion, 1, "^how awesome is that"}, {"en", kNotQuestion, 1, "^isn t it"},
    {"en", kNotQuestion, 1, "^am i right"}, {"en", kNotQuestion, 1, "^see you there"},
    {"en", kNotQuestion, 1, "^heading to"}, {"en", kNotQuestion, 1, "^going to"}, {"en", kNotQuestion, 1, "^want to"},
    {"en", kNotQuestion, 1, "^ready to"}, {"en", kNotQuestion, 1, "^did you know"}, {"en", kNotQuestion, 1, "^missed"},
    {"en", kNotQuestion, 1, "send us a dm"}, {"en", kNotQuestion, 1, "send us * dm"}, {"en", kNotQuestion, 1, "dm us"},
    {"en", kNotQuestion, 1, "ticket number"}, {"en", kNotQuestion, 1, "^what s next"},
    {"en", kNotQuestion, 1, "^who s in"}, {"en", kNotQuestion, 1, "^why does this matter"},
    // Recommendation requests.
    {"en", kRec, 0.9, "any recommendations"}, {"en", kRec, 0.65, "?recommendations"},
    {"en", kRec, 0.65, "?recommendation"}, {"en", kRec, 0.75, "any advice"}, {"en", kRec, 0.5, "suggestions"},
    {"en", kRec, 0.55, "?which * better"}, {"en", kRec, 0.9, "can anyone recommend"},
    {"en", kRec, 0.85, "anyone recommend"}, {"en", kRec, 0.85, "would you recommend"},
    {"en", kRec, 0.85, "do you recommend"}, {"en", kRec, 0.8, "recommend a"}, {"en", kRec, 0.75, "?recommend"},
    {"en", kRec, 0.85, "any suggestions"}, {"en", kRec, 0.65, "?suggestions"},
    {"en", kRec, 0.8, "open to * suggestions"}, {"en", kRec, 0.8, "need advice"}, {"en", kRec, 0.6, "?advice"},
    {"en", kRec, 0.85, "?alternatives to"}, {"en", kRec, 0.75, "?alternative to"},
    {"en", kRec, 0.45, "alternatives to"}, {"en", kRec, 0.85, "looking for alternatives"},
    {"en", kRec, 0.85, "looking for an alternative"}, {"en", kRec, 0.8, "?alternatives"},
    {"en", kRec, 0.8, "?better options"}, {"en", kRec, 0.85, "anyone using"}, {"en", kRec, 0.8, "anyone use"},
    {"en", kRec, 0.8, "anybody using"}, {"en", kRec, 0.85, "anyone tried"}, {"en", kRec, 0.8, "has anyone used"},
    {"en", kRec, 0.8, "has anyone tried"}, {"en", kRec, 0.4, "?anyone running"},
    {"en", kRec, 0.85, "anyone have experience with"}, {"en", kRec, 0.6, "?experience with"},
    {"en", kRec, 0.9, "what do you use for"}, {"en", kRec, 0.85, "what do you guys use"},
    {"en", kRec, 0.85, "what are you using"}, {"en", kRec, 0.85, "what are you all using"},
    {"en", kRec, 0.8, "what should i use"}, {"en", kRec, 0.85, "should i use"}, {"en", kRec, 0.85, "should we use"},
    {"en", kRec, 0.8, "should i go with"}, {"en", kRec, 0.8, "should we go with"}, {"en", kRec, 0.7, "?worth it"},
    {"en", kRec, 0.7, "?any good"}, {"en", kRec, 0.7, "shortlist"}, {"en", kRec, 0.75, "shopping for"},
    {"en", kRec, 0.85, "in the market for"}, {"en", kRec, 0.8, "looking for a ... solution"},
    {"en", kRec, 0.8, "looking for a ... tool"}, {"en", kRec, 0.8, "looking for a ... platform"},
    {"en", kRec, 0.8, "looking for a ... vendor"}, {"en", kRec, 0.8, "looking for a ... product"},
    {"en", kRec, 0.8, "looking for a ... service"}, {"en", kRec, 0.8, "looking for a ... provider"},
    {"en", kRec, 0.8, "looking for a ... replacement"}, {"en", kRec, 0.8, "looking for a ... app"},
    {"en", kRec, 0.8, "looking for a good"}, {"en", kRec, 0.45, "looking for a"}, {"en", kRec, 0.45, "evaluating"},
    {"en", kRec, 0.6, "?best way to"}, {"en", kRec, 0.55, "?what s the best"},
    {"en", kRec, 0.6, "?what did you move to"}, {"en", kRec, 0.4, "?which one"}, {"en", kRec, 0.55, "?who should"},
    {"en", kRec, 0.55, "?would love to hear"}, {"en", kRec, 0.5, "?options"}, {"en", kRec, 0.6, "?what tools"},
    {"en", kRec, 0.6, "?which tool"}, {"en", kRec, 0.55, "?tips"},
    // Comparisons.
    {"en", kCmp, 0.8, "compared to"}, {"en", kCmp, 0.8, "compared with"}, {"en", kCmp, 0.75, "comparing"},
    {"en", kCmp, 0.6, "comparison"}, {"en", kCmp, 0.8, "better than"}, {"en", kCmp, 0.8, "worse than"},
    {"en", kCmp, 0.6, "*er than"}, {"en", kCmp, 0.6, "more * than"}, {"en", kCmp, 0.6, "less * than"},
    {"en", kCmp, -0.8, "other than"}, {"en", kCmp, -0.5, "more than"}, {"en", kCmp, -0.5, "less than"},
    {"en", kCmp, -0.5, "fewer than"}, {"en", kCmp, -0.5, "later than"}, {"en", kCmp, -0.5, "sooner than"},
    {"en", kCmp, 0.85, "switched from"}, {"en", kCmp, 0.7, "switched to"}, {"en", kCmp, 0.75, "switching from"},
    {"en", kCmp, 0.55, "switching to"}, {"en", kCmp, 0.55, "switching away from"}, {"en", kCmp, 0.7, "moved from"},
    {"en", kCmp, 0.7, "moving from"}, {"en", kCmp, 0.8, "migrated from"}, {"en", kCmp, 0.75, "migrated to ... from"},
    {"en", kCmp, 0.7, "migrating from"}, {"en", kCmp, 0.7, "left * for"}, {"en", kCmp, 0.7, "left * * for"},
    {"en", kCmp, 0.45, "instead of"}, {"en", kCmp, 0.75, "side by side"}, {"en", kCmp, 0.8, "head to head"},
    {"en", kCmp, 0.75, "benchmarked ... against"}, {"en", kCmp, 0.6, "tried ... after"},
    {"en", kCmp, 0.5, "?alternatives to"}, {"en", kCmp, 0.6, "which is better"}, {"en", kCmp, 0.5, "went with ... but"},
    {"en", kCmp, 0.5, "replaced ... with"}, {"en", kCmp, 0.55, "isn t much better"}, {"en", kCmp, 0.5, "hard to tell"},
    {"en", kCmp, 0.5, "wins on"}, {"en", kCmp, 0.55, "handles * much better"}, {"en", kCmp, 0.45, "the winner"},
    // Complaints.
    {"en", kCompl, 0.85, "not working"}, {"en", kCompl, 0.8, "doesn t work"}, {"en", kCompl, 0.8, "does not work"},
    {"en", kCompl, 0.8, "isn t working"}, {"en", kCompl, 0.85, "stopped working"}, {"en", kCompl, 0.6, "broken"},
    {"en", kCompl, 0.6, "broke"}, {"en", kCompl, 0.7, "is down"}, {"en", kCompl, 0.7, "went down"},
    {"en", kCompl, 0.85, "down again"}, {"en", kCompl, 0.55, "outage"}, {"en", kCompl, 0.8, "still waiting"},
    {"en", kCompl, 0.7, "no response"}, {"en", kCompl, 0.7, "no reply"}, {"en", kCompl, 0.9, "support is useless"},
    {"en", kCompl, 0.6, "useless"}, {"en", kCompl, 0.6, "terrible"}, {"en", kCompl, 0.6, "awful"},
    {"en", kCompl, 0.55, "worst"}, {"en", kCompl, 0.6, "horrible"}, {"en", kCompl, 0.45, "frustrat*"},
    {"en", kCompl, 0.5, "disappoint*"}, {"en", kCompl, 0.75, "not impressed"}, {"en", kCompl, 0.6, "not great"},
    {"en", kCompl, 0.6, "not good"}, {"en", kCompl, 0.45, "not happy"}, {"en", kCompl, 0.5, "come on"},
    {"en", kCompl, 0.4, "ugh"}, {"en", kCompl, 0.7, "please fix"}, {"en", kCompl, 0.55, "fix this"},
    {"en", kCompl, 0.4, "buggy"}, {"en", kCompl, 0.35, "bug"}, {"en", kCompl, 0.5, "crash*"},
    {"en", kCompl, 0.35, "errors"}, {"en", kCompl, 0.3, "error"}, {"en", kCompl, 0.4, "failed"},
    {"en", kCompl, 0.4, "failing"}, {"en", kCompl, 0.4, "timeouts"}, {"en", kCompl, 0.4, "timed out"},
    {"en", kCompl, 0.6, "rolling back"}, {"en", kCompl, 0.5, "roll back"}, {"en", kCompl, 0.5, "regret*"},
    {"en", kCompl, -0.9, "zero regrets"}, {"en", kCompl, -0.9, "no regrets"}, {"en", kCompl, 0.6, "painful"},
    {"en", kCompl, 0.65, "half baked"}, {"en", kCompl, 0.4, "outdated"}, {"en", kCompl, 0.6, "a joke"},
    {"en", kCompl, 0.5, "no thanks"}, {"en", kCompl, 0.5, "ticket open"}, {"en", kCompl, 0.6, "any eta"},
    {"en", kCompl, 0.7, "rip off"}, {"en", kCompl, 0.7, "ripoff"}, {"en", kCompl, 0.6, "overpriced"},
    {"en", kCompl, 0.6, "price hike"}, {"en", kCompl, 0.45, "refund"}, {"en", kCompl, 0.7, "suck*"},
    {"en", kCompl, 0.7, "sux"}, {"en", kCompl, 0.6, "why must you"}, {"en", kCompl, 0.45, "so difficult"},
    {"en", kCompl, 0.55, "still no"}, {"en", kCompl, 0.55, "failing to"}, {"en", kCompl, 0.85, "not been working"},
    {"en", kCompl, 0.5, "does not return"}, {"en", kCompl, 0.35, "i miss"}, {"en", kCompl, 0.55, "hate"},
    {"en", kCompl, 0.4, "annoying"}, {"en", kCompl, 0.5, "wtf"}, {"en", kCompl, 0.4, "silence"},
    {"en", kCompl, 0.55, "anyone else seeing"}, {"en", kCompl, 0.55, "anyone else having"},
    {"en", kCompl, 0.55, "anyone else getting"}, {"en", kCompl, 0.45, "lost * hours"},
    {"en", kCompl, 0.45, "lost an hour"}, {"en", kCompl, 0.45, "lost a day"}, {"en", kCompl, 0.5, "lost data"},
    {"en", kCompl, 0.5, "data loss"}, {"en", kCompl, 0.5, "ate our"}, {"en", kCompl, 0.45, "is a mess"},
    {"en", kCompl, 0.5, "unacceptable"}, {"en", kCompl, 0.55, "still broken"}, {"en", kCompl, 0.45, "still there"},
    {"en", kCompl, 0.55, "slow as"}, {"en", kCompl, 0.35, "so slow"}, {"en", kCompl, 0.5, "can t log in"},
    {"en", kCompl, 0.5, "cannot log in"}, {"en", kCompl, 0.55, "won t load"}, {"en", kCompl, 0.45, "keeps crashing"},
    {"en", kCompl, 0.4, "fed up"}, {"en", kCompl, 0.45, "same here"}, {"en", kCompl, 0.6, "not just us"},
    {"en", kCompl, 0.6, "not just me"}, {"en", kCompl, 0.6, "seeing it too"}, {"en", kCompl, 0.6, "seeing this too"},
    {"en", kCompl, 0.35, "can confirm"}, {"en", kCompl, 0.7, "is ... down"}, {"en", kCompl, 0.7, "been down"},
    {"en", kCompl, 0.6, "having issues"}, {"en", kCompl, 0.75, "nothing works"},
    {"en", kCompl, 0.55, "no status update"}, {"en", kCompl, 0.55, "moving off"},
    {"en", kCompl, 0.45, "moving away from"}, {"en", kCompl, 0.4, "exactly our experience"},
    {"en", kCompl, 0.5, "dropped connections"}, {"en", kCompl, 0.45, "<n> higher"},
    {"en", kCompl, 0.55, "price increase"}, {"en", kCompl, 0.3, "again"}, {"en", kCompl, 0.2, "still"},
    {"en", kCompl, -0.8, "not bad"},
    // Praise.
    {"en", kPraise, 0.6, "impressed"}, {"en", kPraise, -0.95, "not impressed"}, {"en", kPraise, 0.6, "impressive"},
    {"en", kPraise, 0.55, "love"}, {"en", kPraise, 0.55, "loving"}, {"en", kPraise, 0.55, "loves"},
    {"en", kPraise, 0.8, "kudos"}, {"en", kPraise, 0.7, "shoutout"}, {"en", kPraise, 0.7, "shout out"},
    {"en", kPraise, 0.4, "thanks"}, {"en", kPraise, 0.4, "thank you"}, {"en", kPraise, 0.8, "zero regrets"},
    {"en", kPraise, 0.8, "no regrets"}, {"en", kPraise, 0.8, "game changer"}, {"en", kPraise, 0.7, "just works"},
    {"en", kPraise, 0.8, "works great"}, {"en", kPraise, 0.8, "works like a charm"},
    {"en", kPraise, 0.85, "highly recommend"}, {"en", kPraise, 0.6, "worth a * look"}, {"en", kPraise, 0.6, "amazing"},
    {"en", kPraise, 0.6, "awesome"}, {"en", kPraise, 0.6, "excellent"}, {"en", kPraise, 0.6, "fantastic"},
    {"en", kPraise, 0.8, "great job"}, {"en", kPraise, 0.6, "well done"}, {"en", kPraise, 0.6, "saved our"},
    {"en", kPraise, 0.6, "saved my"}, {"en", kPraise, 0.5, "saved us"}, {"en", kPraise, 0.7, "big step up"},
    {"en", kPraise, 0.85, "paid for itself"}, {"en", kPraise, 0.9, "can t say enough good"},
    {"en", kPraise, 0.6, "smoothest"}, {"en", kPraise, 0.7, "rock solid"}, {"en", kPraise, 0.5, "wow"},
    {"en", kPraise, 0.6, "great for us"}, {"en", kPraise, 0.5, "been great"},
    {"en", kPraise, -0.8, "thanks for sharing"}, {"en", kPraise, -0.8, "great tip"},
    {"en", kPraise, -0.8, "great read"}, {"en", kPraise, -0.8, "great article"}, {"en", kPraise, 0.7, "nailed it"},
    {"en", kPraise, 0.7, "exactly what we"}, {"en", kPraise, 0.6, "happy with"}, {"en", kPraise, 0.6, "very happy"},
    {"en", kPraise, 0.6, "delighted"}, {"en", kPraise, 0.7, "gets it right"}, {"en", kPraise, 0.45, "the best"},
    {"en", kPraise, 0.45, "great"}, {"en", kPraise, 0.5, "brilliant"}, {"en", kPraise, 0.45, "quiet ever since"},
    {"en", kPraise, 0.5, "time saver"}, {"en", kPraise, 0.5, "in a good way"}, {"en", kPraise, 0.5, "love it"},
    {"en", kPraise, 0.45, "beautiful"}, {"en", kPraise, 0.45, "best support"}, {"en", kPraise, 0.45, "so much faster"},
    {"en", kPraise, 0.5, "100 this"}, {"en", kPraise, 0.4, "works for us"}, {"en", kPraise, 0.5, "big fan"},
    {"en", kPraise, 0.45, "well worth"}, {"en", kPraise, 0.45, "cool"}, {"en", kPraise, -0.6, "not great"},
    {"en", kPraise, -0.7, "thanks for nothing"}, {"en", kPraise, -0.5, "would love"},
    // Job posts.
    {"en", kJob, 0.95, "we re hiring"}, {"en", kJob, 0.95, "we are hiring"}, {"en", kJob, 0.95, "now hiring"},
    {"en", kJob, 0.85, "is hiring"}, {"en", kJob, 0.85, "are hiring"}, {"en", kJob, 0.9, "job opening"},
    {"en", kJob, 0.9, "job alert"}, {"en", kJob, 0.85, "job opportunity"}, {"en", kJob, 0.8, "open position"},
    {"en", kJob, 0.8, "open role"}, {"en", kJob, 0.85, "apply now"}, {"en", kJob, 0.85, "apply here"},
    {"en", kJob, 0.6, "how to apply"}, {"en", kJob, 0.85, "join our team"}, {"en", kJob, 0.45, "full time"},
    {"en", kJob, 0.45, "part time"}, {"en", kJob, 0.4, "salary"}, {"en", kJob, 0.5, "a plus"},
    {"en", kJob, 0.5, "with hands on"}, {"en", kJob, 0.4, "apply"}, {"en", kJob, 0.35, "careers"},
    {"en", kJob, 0.8, "looking for a ... engineer"}, {"en", kJob, 0.8, "looking for a ... developer"},
    {"en", kJob, 0.8, "looking for a ... administrator"}, {"en", kJob, 0.8, "looking for a ... architect"},
    {"en", kJob, 0.75, "looking for a ... manager"}, {"en", kJob, 0.75, "looking for a ... analyst"},
    {"en", kJob, 0.75, "looking for an ... engineer"}, {"en", kJob, 0.8, "looking for a ciso"},
    {"en", kJob, 0.75, "looking for a ... director"}, {"en", kJob, 0.75, "looking for a ... lead"},
    {"en", kJob, 0.7, "hiring a"}, {"en", kJob, 0.7, "hiring an"}, {"en", kJob, 0.7, "hiring for"},
    // Spam.
    {"en", kSpam, 0.7, "follow back"}, {"en", kSpam, 0.9, "teamfollowback"}, {"en", kSpam, 0.8, "gain followers"},
    {"en", kSpam, 0.85, "free followers"}, {"en", kSpam, 0.85, "buy followers"}, {"en", kSpam, 0.8, "followers fast"},
    {"en", kSpam, 0.6, "get * followers"}, {"en", kSpam, 0.7, "click here"}, {"en", kSpam, 0.8, "make money"},
    {"en", kSpam, 0.45, "earn"}, {"en", kSpam, 0.5, "from home"}, {"en", kSpam, 0.45, "crypto"},
    {"en", kSpam, 0.5, "giveaway"}, {"en", kSpam, 0.85, "^you won"}, {"en", kSpam, 0.85, "^you ve won"},
    {"en", kSpam, 0.75, "claim here"}, {"en", kSpam, 0.75, "claim now"}, {"en", kSpam, 0.7, "claim your"},
    {"en", kSpam, 0.6, "dm now"}, {"en", kSpam, 0.4, "cheap"}, {"en", kSpam, 0.7, "license keys"},
    {"en", kSpam, 0.55, "off today"}, {"en", kSpam, 0.6, "today only"}, {"en", kSpam, 0.6, "limited time"},
    {"en", kSpam, 0.5, "guaranteed"}, {"en", kSpam, 0.8, "don t want you to know"}, {"en", kSpam, 0.4, "secrets"},
    {"en", kSpam, 0.3, "deal"}, {"en", kSpam, 0.35, "free"}, {"en", kSpam, 0.8, "casino"}, {"en", kSpam, 0.9, "viagra"},
    {"en", kSpam, 0.6, "autopilot"},
    // ---- German ---------------------------------------------------------------
    {"de", kQ, 0.35, "^wie"}, {"de", kQ, 0.35, "^was"}, {"de", kQ, 0.35, "^warum"}, {"de", kQ, 0.35, "^wieso"},
    {"de", kQ, 0.35, "^weshalb"}, {"de", kQ, 0.35, "^wo"}, {"de", kQ, 0.35, "^welche*"}, {"de", kQ, 0.3, "^wer"},
    {"de", kQ, 0.35, "^wann"}, {"de", kQ, 0.3, "^ist"}, {"de", kQ, 0.3, "^sind"}, {"de", kQ, 0.35, "^kann"},
    {"de", kQ, 0.35, "^können"}, {"de", kQ, 0.35, "^hat"}, {"de", kQ, 0.35, "^habt"}, {"de", kQ, 0.35, "^gibt es"},
    {"de", kQ, 0.4, "^weiß jemand"}, {"de", kQ, 0.4, "^kennt jemand"}, {"de", kQ, 0.35, "^unterstützt"},
    {"de", kQ, 0.35, "^nutzt"}, {"de", kQ, 0.35, "^setzt"}, {"de", kQ, 0.5, "kurze frage"},
    {"de", kNotQuestion, 1, "meinungen$"}, {"de", kNotQuestion, 1, "^ernsthaft"},
    {"de", kNotQuestion, 1, "noch jemand$"}, {"de", kNotQuestion, 1, "^was meint ihr"},
    {"de", kNotQuestion, 1, "^was denkt ihr"}, {"de", kNotQuestion, 1, "^gedanken"},
    {"de", kNotQuestion, 1, "^wer hätte das gedacht"}, {"de", kNotQuestion, 1, "^oder"},
    {"de", kNotQuestion, 1, "per dm"}, {"de", kNotQuestion, 1, "ticketnummer"}, {"de", kNotQuestion, 1, "neue normal"},
    {"de", kNotQuestion, 1, "^auf dem weg zu"}, {"de", kNotQuestion, 1, "^schon gewusst"},
    {"de", kRec, 0.85, "kann jemand * empfehlen"}, {"de", kRec, 0.85, "könnt ihr * empfehlen"},
    {"de", kRec, 0.8, "empfehlungen"}, {"de", kRec, 0.7, "?empfehlung"}, {"de", kRec, 0.7, "?empfehlen"},
    {"de", kRec, 0.85, "?alternativen zu"}, {"de", kRec, 0.45, "alternativen zu"}, {"de", kRec, 0.75, "alternative zu"},
    {"de", kRec, 0.8, "?alternativen"}, {"de", kRec, 0.8, "nutzt jemand"}, {"de", kRec, 0.8, "setzt jemand"},
    {"de", kRec, 0.75, "verwendet jemand"}, {"de", kRec, 0.7, "?erfahrungen mit"},
    {"de", kRec, 0.7, "erfahrungen willkommen"}, {"de", kRec, 0.6, "?erfahrungen"}, {"de", kRec, 0.85, "was nutzt ihr"},
    {"de", kRec, 0.85, "was verwendet ihr"}, {"de", kRec, 0.85, "was setzt ihr"}, {"de", kRec, 0.7, "?lohnt sich"},
    {"de", kRec, 0.8, "suche* ... lösung"}, {"de", kRec, 0.8, "suche* ... tool"},
    {"de", kRec, 0.8, "suche* ... plattform"}, {"de", kRec, 0.8, "suche* ... anbieter"},
    {"de", kRec, 0.8, "suche* ... software"}, {"de", kRec, 0.75, "suche* ... alternative"}, {"de", kRec, 0.5, "?tipps"},
    {"de", kRec, 0.7, "?taugt"}, {"de", kRec, 0.6, "?shortlist"}, {"de", kRec, 0.6, "?evaluieren"},
    {"de", kRec, 0.7, "?welches tool"}, {"de", kRec, 0.6, "?oder * für"}, {"de", kRec, 0.6, "?was habt ihr"},
    {"de", kCmp, 0.8, "besser als"}, {"de", kCmp, 0.8, "schlechter als"}, {"de", kCmp, 0.6, "*er als"},
    {"de", kCmp, 0.8, "im vergleich zu"}, {"de", kCmp, 0.7, "verglichen mit"}, {"de", kCmp, 0.6, "vergleich"},
    {"de", kCmp, 0.6, "praxisvergleich"}, {"de", kCmp, 0.8, "gewechselt"}, {"de", kCmp, 0.7, "umgestiegen"},
    {"de", kCmp, 0.7, "migriert"}, {"de", kCmp, 0.6, "statt"}, {"de", kCmp, 0.6, "anstatt"},
    {"de", kCmp, 0.5, "gegenüber"}, {"de", kCmp, 0.6, "ausprobiert"}, {"de", kCmp, 0.6, "nach ... ausprobiert"},
    {"de", kCmp, 0.5, "?alternativen zu"}, {"de", kCmp, 0.6, "entschieden ... reicht"}, {"de", kCmp, 0.55, "punktet"},
    {"de", kCmp, -0.6, "mehr als"}, {"de", kCmp, -0.6, "weniger als"}, {"de", kCmp, 0.5, "kaum zu unterscheiden"},
    {"de", kCmp, 0.5, "nebeneinander"}, {"de", kCompl, 0.85, "funktioniert nicht"}, {"de", kCompl, 0.8, "geht nicht"},
    {"de", kCompl, 0.7, "kaputt"}, {"de", kCompl, 0.7, "ausfall"}, {"de", kCompl, 0.75, "schon wieder"},
    {"de", kCompl, 0.7, "nicht erreichbar"}, {"de", kCompl, 0.7, "keine antwort"},
    {"de", kCompl, 0.7, "warte immer noch"}, {"de", kCompl, 0.4, "ärgerlich"},
    {"de", kCompl, 0.35, "kann ich bestätigen"}, {"de", kCompl, 0.7, "nicht gut"}, {"de", kCompl, 0.65, "enttäusch*"},
    {"de", kCompl, 0.6, "katastroph*"}, {"de", kCompl, 0.6, "nervig"}, {"de", kCompl, 0.6, "schrecklich"},
    {"de", kCompl, 0.6, "unbrauchbar"}, {"de", kCompl, 0.5, "fehler"}, {"de", kCompl, 0.5, "fehlgeschlagen*"},
    {"de", kCompl, 0.55, "absturz"}, {"de", kCompl, 0.5, "stürzt"}, {"de", kCompl, 0.55, "langsam"},
    {"de", kCompl, 0.5, "ernsthaft"}, {"de", kCompl, 0.5, "frechheit"}, {"de", kCompl, 0.5, "witz"},
    {"de", kCompl, 0.45, "zurückgerollt"}, {"de", kCompl, 0.55, "rollen zurück"}, {"de", kCompl, 0.45, "hier genauso"},
    {"de", kCompl, 0.45, "bei uns auch"}, {"de", kCompl, -0.7, "läuft es auch"}, {"de", kCompl, 0.45, "trotzdem"},
    {"de", kCompl, 0.5, "schmerzhaft"}, {"de", kCompl, 0.5, "bereuen"}, {"de", kCompl, 0.5, "bereue"},
    {"de", kCompl, 0.45, "kein status"}, {"de", kCompl, 0.5, "teurer"}, {"de", kCompl, 0.45, "nein danke"},
    {"de", kCompl, 0.5, "verloren"}, {"de", kCompl, 0.45, "bitte behebt"}, {"de", kCompl, 0.4, "probleme"},
    {"de", kCompl, 0.4, "wieder"}, {"de", kCompl, 0.35, "immer noch"}, {"de", kCompl, 0.45, "timeouts"},
    {"de", kCompl, 0.4, "störung"}, {"de", kCompl, 0.45, "halbgar"}, {"de", kCompl, 0.45, "veraltet"},
    {"de", kCompl, 0.4, "wochenende gekostet"}, {"de", kPraise, 0.65, "beeindruckt"},
    {"de", kPraise, -0.95, "nicht beeindruckt"}, {"de", kPraise, 0.6, "beeindruckend"},
    {"de", kPraise, 0.7, "funktioniert einfach"}, {"de", kPraise, 0.7, "klare empfehlung"},
    {"de", kPraise, 0.5, "empfehlenswert"}, {"de", kPraise, 0.6, "super"}, {"de", kPraise, 0.55, "top"},
    {"de", kPraise, 0.6, "toll"}, {"de", kPraise, 0.6, "großartig"}, {"de", kPraise, 0.6, "hervorragend"},
    {"de", kPraise, 0.6, "genial"}, {"de", kPraise, 0.5, "danke"}, {"de", kPraise, -0.8, "danke fürs teilen"},
    {"de", kPraise, 0.5, "dank an"}, {"de", kPraise, 0.6, "keine probleme"}, {"de", kPraise, 0.5, "stabil"},
    {"de", kPraise, 0.6, "fortschritt"}, {"de", kPraise, 0.6, "deutlich schneller"}, {"de", kPraise, 0.5, "zufrieden"},
    {"de", kPraise, 0.55, "begeistert"}, {"de", kPraise, 0.5, "lieben"}, {"de", kPraise, 0.5, "liebe"},
    {"de", kPraise, 0.55, "gerettet"}, {"de", kPraise, 0.5, "hat sich bezahlt gemacht"},
    {"de", kPraise, 0.5, "reibungslos"}, {"de", kPraise, 0.5, "läuft"}, {"de", kPraise, 0.4, "gut"},
    {"de", kPraise, 0.5, "das beste"}, {"de", kPraise, -0.7, "nicht gut"}, {"de", kPraise, -0.5, "läuft nicht"},
    {"de", kPraise, -0.6, "kein status update super"}, {"de", kJob, 0.6, "wir suchen"},
    {"de", kJob, 0.9, "wir suchen eine n"}, {"de", kJob, 0.95, "stellenangebot"}, {"de", kJob, 0.9, "stellenanzeige"},
    {"de", kJob, 0.85, "jetzt bewerben"}, {"de", kJob, 0.7, "bewerben"}, {"de", kJob, 0.8, "m w d"},
    {"de", kJob, 0.8, "wir stellen ein"}, {"de", kJob, 0.7, "verstärkung"}, {"de", kJob, 0.5, "von vorteil"},
    {"de", kJob, 0.45, "vollzeit"}, {"de", kJob, 0.4, "teilzeit"}, {"de", kJob, 0.6, "offene stelle"},
    {"de", kSpam, 0.6, "kostenlos*"}, {"de", kSpam, 0.6, "nur heute"}, {"de", kSpam, 0.75, "verdiene"},
    {"de", kSpam, 0.5, "von zu hause"}, {"de", kSpam, 0.7, "hier klicken"}, {"de", kSpam, 0.8, "gewonnen"},
    {"de", kSpam, 0.6, "billig"}, {"de", kSpam, 0.6, "lizenzschlüssel"}, {"de", kSpam, 0.7, "follower"},
    {"de", kSpam, 0.5, "rabatt"}, {"de", kSpam, 0.5, "gratis"}, {"de", kSpam, 0.5, "am tag"},
    // ---- French ---------------------------------------------------------------
    {"fr", kQ, 0.35, "^comment"}, {"fr", kQ, 0.35, "^pourquoi"}, {"fr", kQ, 0.35, "^quel"}, {"fr", kQ, 0.35, "^quelle"},
    {"fr", kQ, 0.35, "^quels"}, {"fr", kQ, 0.35, "^quelles"}, {"fr", kQ, 0.35, "^où"}, {"fr", kQ, 0.35, "^quand"},
    {"fr", kQ, 0.3, "^qui"}, {"fr", kQ, 0.4, "^est ce que"}, {"fr", kQ, 0.4, "^est ce qu"},
    {"fr", kQ, 0.4, "^quelqu un"}, {"fr", kQ, 0.35, "^combien"}, {"fr", kQ, 0.35, "^qu est ce"},
    {"fr", kQ, 0.3, "^y a t il"}, {"fr", kQ, 0.35, "^vous"}, {"fr", kQ, 0.5, "petite question"},
    {"fr", kQ, 0.3, "^peut on"}, {"fr", kNotQuestion, 1, "des avis$"}, {"fr", kNotQuestion, 1, "^sérieusement"},
    {"fr", kNotQuestion, 1, "d autres$"}, {"fr", kNotQuestion, 1, "^qu en pensez vous"},
    {"fr", kNotQuestion, 1, "^vos avis"}, {"fr", kNotQuestion, 1, "^votre avis"}, {"fr", kNotQuestion, 1, "^d accord"},
    {"fr", kNotQuestion, 1, "en dm"}, {"fr", kNotQuestion, 1, "en mp"}, {"fr", kNotQuestion, 1, "numéro de ticket"},
    {"fr", kNotQuestion, 1, "nouvelle norme"}, {"fr", kNotQuestion, 1, "^qui l eût cru"},
    {"fr", kNotQuestion, 1, "^vous venez"}, {"fr", kNotQuestion, 1, "^saviez vous"},
    {"fr", kRec, 0.85, "des recommandations"}, {"fr", kRec, 0.8, "?recommandations"},
    {"fr", kRec, 0.85, "vous recommandez"}, {"fr", kRec, 0.85, "vous me recommandez"},
    {"fr", kRec, 0.8, "quelqu un utilise"}, {"fr", kRec, 0.8, "quelqu un a testé"},
    {"fr", kRec, 0.8, "quelqu un a essayé"}, {"fr", kRec, 0.75, "quelqu un * en production"},
    {"fr", kRec, 0.85, "?alternatives à"}, {"fr", kRec, 0.45, "alternatives à"}, {"fr", kRec, 0.75, "alternative à"},
    {"fr", kRec, 0.8, "?alternatives"}, {"fr", kRec, 0.8, "cherch* ... solution"},
    {"fr", kRec, 0.8, "cherch* ... outil"}, {"fr", kRec, 0.8, "cherch* ... plateforme"},
    {"fr", kRec, 0.8, "cherch* ... logiciel"}, {"fr", kRec, 0.8, "cherch* ... fournisseur"},
    {"fr", kRec, 0.75, "cherch* ... alternative"}, {"fr", kRec, 0.85, "vous utilisez quoi"},
    {"fr", kRec, 0.85, "qu utilisez vous"}, {"fr", kRec, 0.7, "?des retours"}, {"fr", kRec, 0.7, "retours bienvenus"},
    {"fr", kRec, 0.7, "?retours d expérience"}, {"fr", kRec, 0.7, "des conseils"}, {"fr", kRec, 0.65, "?conseils"},
    {"fr", kRec, 0.7, "?ça vaut le coup"}, {"fr", kRec, 0.7, "?vaut le coup"}, {"fr", kRec, 0.6, "?ou * pour"},
    {"fr", kRec, 0.7, "?suggestions"}, {"fr", kRec, 0.65, "?quelle solution"}, {"fr", kRec, 0.6, "?quel outil"},
    {"fr", kRec, 0.6, "?qui * liste"}, {"fr", kCmp, 0.8, "mieux que"}, {"fr", kCmp, 0.8, "meilleur que"},
    {"fr", kCmp, 0.75, "moins cher que"}, {"fr", kCmp, 0.75, "plus * que"}, {"fr", kCmp, 0.6, "moins * que"},
    {"fr", kCmp, 0.8, "comparé à"}, {"fr", kCmp, 0.8, "par rapport à"}, {"fr", kCmp, 0.8, "comparatif"},
    {"fr", kCmp, 0.7, "comparaison"}, {"fr", kCmp, 0.7, "passé de"}, {"fr", kCmp, 0.7, "passés de"},
    {"fr", kCmp, 0.75, "migré de"}, {"fr", kCmp, 0.45, "migré vers"}, {"fr", kCmp, 0.6, "au lieu de"},
    {"fr", kCmp, 0.6, "plutôt que"}, {"fr", kCmp, 0.45, "contre"}, {"fr", kCmp, 0.6, "après * * testé"},
    {"fr", kCmp, 0.6, "testé ... après"}, {"fr", kCmp, 0.55, "gagne sur"}, {"fr", kCmp, 0.45, "* mieux"},
    {"fr", kCmp, 0.5, "?alternatives à"}, {"fr", kCmp, 0.55, "choisi ... suffit"}, {"fr", kCmp, 0.55, "l emporte"},
    {"fr", kCmp, 0.5, "côte à côte"}, {"fr", kCmp, 0.5, "quitté * pour"}, {"fr", kCmp, 0.5, "convergent"},
    {"fr", kCmp, -0.5, "plus de"}, {"fr", kCompl, 0.85, "ne fonctionne pas"}, {"fr", kCompl, 0.85, "ne marche pas"},
    {"fr", kCompl, 0.8, "marche plus"}, {"fr", kCompl, 0.75, "en panne"}, {"fr", kCompl, 0.7, "panne"},
    {"fr", kCompl, 0.65, "encore une"}, {"fr", kCompl, 0.7, "cassé*"}, {"fr", kCompl, 0.7, "toujours pas"},
    {"fr", kCompl, 0.7, "aucune réponse"}, {"fr", kCompl, 0.7, "pas de réponse"}, {"fr", kCompl, 0.7, "inutilisable"},
    {"fr", kCompl, 0.65, "déçu*"}, {"fr", kCompl, 0.6, "décevant"}, {"fr", kCompl, 0.6, "nul"},
    {"fr", kCompl, 0.4, "agaçant"}, {"fr", kCompl, 0.45, "chez nous aussi"}, {"fr", kCompl, 0.35, "je confirme"},
    {"fr", kCompl, 0.55, "aucune communication"}, {"fr", kCompl, 0.6, "pénible"}, {"fr", kCompl, 0.6, "pas terrible"},
    {"fr", kCompl, 0.65, "pas top"}, {"fr", kCompl, 0.6, "inacceptable"}, {"fr", kCompl, 0.5, "erreur*"},
    {"fr", kCompl, 0.5, "échec*"}, {"fr", kCompl, 0.5, "lent*"}, {"fr", kCompl, 0.5, "bug*"},
    {"fr", kCompl, 0.5, "sérieusement"}, {"fr", kCompl, 0.3, "toujours"}, {"fr", kCompl, 0.5, "regrette"},
    {"fr", kCompl, 0.45, "pareil ici"}, {"fr", kCompl, 0.45, "pareil chez nous"}, {"fr", kCompl, 0.45, "même chose"},
    {"fr", kCompl, 0.5, "non merci"}, {"fr", kCompl, 0.5, "retour arrière"}, {"fr", kCompl, 0.45, "perdu"},
    {"fr", kCompl, 0.45, "de nouveau"}, {"fr", kCompl, 0.45, "plus cher"}, {"fr", kCompl, 0.45, "problème*"},
    {"fr", kCompl, 0.4, "obsolète"}, {"fr", kCompl, 0.4, "mal fini"}, {"fr", kCompl, 0.4, "pourri"},
    {"fr", kCompl, 0.6, "inaccessible"}, {"fr", kCompl, 0.4, "ticket ouvert"}, {"fr", kPraise, 0.65, "impressionné*"},
    {"fr", kPraise, -0.95, "pas impressionné"}, {"fr", kPraise, 0.6, "impressionnant"},
    {"fr", kPraise, 0.7, "fonctionne parfaitement"}, {"fr", kPraise, 0.6, "ça marche"},
    {"fr", kPraise, 0.6, "marche bien"}, {"fr", kPraise, 0.6, "génial"}, {"fr", kPraise, 0.6, "excellent*"},
    {"fr", kPraise, 0.6, "super"}, {"fr", kPraise, 0.6, "bravo"}, {"fr", kPraise, 0.5, "merci"},
    {"fr", kPraise, -0.8, "merci du partage"}, {"fr", kPraise, -0.8, "merci pour le partage"},
    {"fr", kPraise, 0.6, "je recommande"}, {"fr", kPraise, 0.6, "aucun regret"}, {"fr", kPraise, 0.6, "sans regret"},
    {"fr", kPraise, 0.55, "ravi*"}, {"fr", kPraise, 0.55, "top"}, {"fr", kPraise, 0.5, "adore"},
    {"fr", kPraise, 0.5, "j adore"}, {"fr", kPraise, 0.6, "vrai progrès"}, {"fr", kPraise, 0.5, "progrès"},
    {"fr", kPraise, 0.5, "bien plus rapide"}, {"fr", kPraise, 0.5, "sauvé"}, {"fr", kPraise, 0.5, "stable"},
    {"fr", kPraise, 0.5, "satisfait*"}, {"fr", kPraise, 0.45, "rentabilisé"}, {"fr", kPraise, 0.45, "parfait"},
    {"fr", kPraise, 0.4, "bien"}, {"fr", kPraise, 0.45, "content*"}, {"fr", kPraise, 0.45, "fluide"},
    {"fr", kPraise, -0.5, "pas bien"}, {"fr", kJob, 0.9, "nous recrutons"}, {"fr", kJob, 0.9, "on recrute"},
    {"fr", kJob, 0.85, "recrute"}, {"fr", kJob, 0.85, "postulez"}, {"fr", kJob, 0.9, "offre d emploi"},
    {"fr", kJob, 0.7, "cdi"}, {"fr", kJob, 0.6, "cdd"}, {"fr", kJob, 0.8, "poste à pourvoir"},
    {"fr", kJob, 0.7, "rejoignez"}, {"fr", kJob, 0.5, "un plus"}, {"fr", kJob, 0.5, "h f"},
    {"fr", kJob, 0.7, "recherchons"}, {"fr", kJob, 0.45, "temps plein"}, {"fr", kJob, 0.35, "télétravail"},
    {"fr", kSpam, 0.6, "gratuit*"}, {"fr", kSpam, 0.6, "aujourd hui seulement"}, {"fr", kSpam, 0.75, "gagnez"},
    {"fr", kSpam, 0.5, "depuis chez vous"}, {"fr", kSpam, 0.5, "de chez vous"}, {"fr", kSpam, 0.7, "cliquez ici"},
    {"fr", kSpam, 0.8, "vous avez gagné"}, {"fr", kSpam, 0.6, "pas cher*"}, {"fr", kSpam, 0.6, "clés de licence"},
    {"fr", kSpam, 0.7, "abonnés"}, {"fr", kSpam, 0.5, "promo"}, {"fr", kSpam, 0.5, "par jour"},
    // ---- Spanish --------------------------------------------------------------
    {"es", kQ, 0.35, "^cómo"}, {"es", kQ, 0.35, "^como"}, {"es", kQ, 0.35, "^qué"}, {"es", kQ, 0.35, "^por qué"},
    {"es", kQ, 0.35, "^cuál"}, {"es", kQ, 0.35, "^cuáles"}, {"es", kQ, 0.35, "^dónde"}, {"es", kQ, 0.35, "^cuándo"},
    {"es", kQ, 0.35, "^cuánto"}, {"es", kQ, 0.3, "^quién"}, {"es", kQ, 0.4, "^alguien"}, {"es", kQ, 0.35, "^hay"},
    {"es", kQ, 0.35, "^se puede"}, {"es", kQ, 0.35, "^puedo"}, {"es", kQ, 0.35, "^soporta"},
    {"es", kQ, 0.5, "pregunta rápida"}, {"es", kNotQuestion, 1, "opiniones$"}, {"es", kNotQuestion, 1, "^en serio"},
    {"es", kNotQuestion, 1, "alguien más$"}, {"es", kNotQuestion, 1, "^qué opinan"},
    {"es", kNotQuestion, 1, "^qué os parece"}, {"es", kNotQuestion, 1, "^qué piensan"},
    {"es", kNotQuestion, 1, "^y ustedes"}, {"es", kNotQuestion, 1, "por dm"}, {"es", kNotQuestion, 1, "por md"},
    {"es", kNotQuestion, 1, "número de ticket"}, {"es", kNotQuestion, 1, "nueva normalidad"},
    {"es", kNotQuestion, 1, "^quién lo diría"}, {"es", kNotQuestion, 1, "^vienes"},
    {"es", kNotQuestion, 1, "^sabías que"}, {"es", kNotQuestion, 1, "^sabias que"},
    {"es", kRec, 0.85, "recomendaciones"}, {"es", kRec, 0.85, "me recomiendan"}, {"es", kRec, 0.85, "recomiendan"},
    {"es", kRec, 0.7, "?recomiendas"}, {"es", kRec, 0.8, "alguien usa"}, {"es", kRec, 0.8, "alguien ha usado"},
    {"es", kRec, 0.8, "alguien ha probado"}, {"es", kRec, 0.75, "alguien * en producción"},
    {"es", kRec, 0.85, "?alternativas a"}, {"es", kRec, 0.45, "alternativas a"}, {"es", kRec, 0.75, "alternativa a"},
    {"es", kRec, 0.8, "?alternativas"}, {"es", kRec, 0.8, "busc* ... solución"},
    {"es", kRec, 0.8, "busc* ... herramienta"}, {"es", kRec, 0.8, "busc* ... plataforma"},
    {"es", kRec, 0.8, "busc* ... proveedor"}, {"es", kRec, 0.8, "busc* ... software"},
    {"es", kRec, 0.75, "busc* ... alternativa"}, {"es", kRec, 0.85, "qué usan para"},
    {"es", kRec, 0.85, "qué usáis para"}, {"es", kRec, 0.8, "alguna sugerencia"}, {"es", kRec, 0.65, "?sugerencias"},
    {"es", kRec, 0.7, "?vale la pena"}, {"es", kRec, 0.7, "?experiencias"},
    {"es", kRec, 0.7, "se agradecen experiencias"}, {"es", kRec, 0.65, "?consejos"}, {"es", kRec, 0.6, "?o * para"},
    {"es", kRec, 0.6, "?qué herramienta"}, {"es", kRec, 0.6, "?qué solución"}, {"es", kRec, 0.55, "?quién * lista"},
    {"es", kCmp, 0.8, "mejor que"}, {"es", kCmp, 0.8, "peor que"}, {"es", kCmp, 0.75, "más barato que"},
    {"es", kCmp, 0.7, "más * que"}, {"es", kCmp, 0.6, "menos * que"}, {"es", kCmp, 0.8, "comparado con"},
    {"es", kCmp, 0.8, "en comparación con"}, {"es", kCmp, 0.8, "comparativa"}, {"es", kCmp, 0.7, "comparación"},
    {"es", kCmp, 0.7, "cambiamos de"}, {"es", kCmp, 0.7, "pasamos de"}, {"es", kCmp, 0.75, "migramos de"},
    {"es", kCmp, 0.45, "migramos a"}, {"es", kCmp, 0.6, "en lugar de"}, {"es", kCmp, 0.6, "en vez de"},
    {"es", kCmp, 0.6, "frente a"}, {"es", kCmp, 0.6, "probé ... después de"}, {"es", kCmp, 0.45, "* mejor el"},
    {"es", kCmp, 0.45, "* mejor la"}, {"es", kCmp, 0.6, "después de * probé"}, {"es", kCmp, 0.5, "?alternativas a"},
    {"es", kCmp, 0.55, "elegimos ... basta"}, {"es", kCmp, 0.55, "gana en"}, {"es", kCmp, 0.5, "lado a lado"},
    {"es", kCmp, 0.5, "dejamos * por"}, {"es", kCmp, 0.5, "convergiendo"}, {"es", kCmp, -0.5, "más de"},
    {"es", kCompl, 0.85, "no funciona"}, {"es", kCompl, 0.8, "dejó de funcionar"}, {"es", kCompl, 0.75, "caído"},
    {"es", kCompl, 0.7, "caída"}, {"es", kCompl, 0.7, "otra vez"}, {"es", kCompl, 0.7, "de nuevo"},
    {"es", kCompl, 0.7, "roto"}, {"es", kCompl, 0.7, "rota"}, {"es", kCompl, 0.7, "sin respuesta"},
    {"es", kCompl, 0.7, "todavía esperando"}, {"es", kCompl, 0.7, "sigo esperando"}, {"es", kCompl, 0.65, "decepcion*"},
    {"es", kCompl, 0.6, "pésimo"}, {"es", kCompl, 0.6, "horrible"}, {"es", kCompl, 0.6, "terrible"},
    {"es", kCompl, 0.6, "inaceptable"}, {"es", kCompl, 0.6, "no es bueno"}, {"es", kCompl, 0.6, "no me convence"},
    {"es", kCompl, 0.5, "error*"}, {"es", kCompl, 0.5, "fallo*"}, {"es", kCompl, 0.5, "fallid*"},
    {"es", kCompl, 0.5, "lent*"}, {"es", kCompl, 0.5, "en serio"}, {"es", kCompl, 0.45, "todavía"},
    {"es", kCompl, 0.5, "arrepent*"}, {"es", kCompl, 0.45, "aquí igual"}, {"es", kCompl, 0.45, "a nosotros también"},
    {"es", kCompl, 0.35, "confirmo"}, {"es", kCompl, 0.7, "sin funcionar"}, {"es", kCompl, 0.4, "qué frustración"},
    {"es", kCompl, 0.45, "lo mismo"}, {"es", kCompl, 0.45, "igual aquí"}, {"es", kCompl, 0.5, "no gracias"},
    {"es", kCompl, 0.5, "revertimos"}, {"es", kCompl, 0.5, "volvemos a"}, {"es", kCompl, 0.45, "perdimos"},
    {"es", kCompl, 0.45, "más caro"}, {"es", kCompl, 0.45, "problema*"}, {"es", kCompl, 0.4, "desactualizad*"},
    {"es", kCompl, 0.4, "a medias"}, {"es", kCompl, 0.3, "vamos"}, {"es", kCompl, 0.45, "ticket abierto"},
    {"es", kCompl, 0.45, "sin estado"}, {"es", kPraise, 0.65, "impresionad*"},
    {"es", kPraise, -0.95, "no me impresiona"}, {"es", kPraise, 0.6, "impresionante"},
    {"es", kPraise, 0.7, "simplemente funciona"}, {"es", kPraise, 0.6, "funciona perfecto"},
    {"es", kPraise, 0.6, "genial"}, {"es", kPraise, 0.6, "excelente"}, {"es", kPraise, 0.6, "increíble"},
    {"es", kPraise, 0.55, "gracias"}, {"es", kPraise, -0.8, "gracias por compartir"},
    {"es", kPraise, 0.6, "ni un problema"}, {"es", kPraise, 0.6, "lo recomiendo"}, {"es", kPraise, 0.6, "recomendado"},
    {"es", kPraise, 0.6, "sin arrepentimientos"}, {"es", kPraise, 0.6, "cero arrepentimientos"},
    {"es", kPraise, 0.55, "encantad*"}, {"es", kPraise, 0.5, "me encanta"}, {"es", kPraise, 0.6, "gran avance"},
    {"es", kPraise, 0.5, "avance"}, {"es", kPraise, 0.5, "mucho más rápid*"}, {"es", kPraise, 0.5, "salvó"},
    {"es", kPraise, 0.5, "estable"}, {"es", kPraise, 0.5, "content*"}, {"es", kPraise, 0.45, "perfecto"},
    {"es", kPraise, 0.45, "se pagó solo"}, {"es", kPraise, 0.4, "bien"}, {"es", kPraise, 0.45, "de maravilla"},
    {"es", kPraise, 0.55, "sin problemas"}, {"es", kPraise, 0.5, "bravo"}, {"es", kPraise, -0.5, "no está bien"},
    {"es", kJob, 0.9, "estamos contratando"}, {"es", kJob, 0.85, "contratando"}, {"es", kJob, 0.9, "oferta de empleo"},
    {"es", kJob, 0.85, "vacante"}, {"es", kJob, 0.8, "postúlate"}, {"es", kJob, 0.8, "postula"},
    {"es", kJob, 0.7, "únete a"}, {"es", kJob, 0.45, "buscamos un"}, {"es", kJob, 0.45, "buscamos una"},
    {"es", kJob, 0.5, "se valora"}, {"es", kJob, 0.5, "es un plus"}, {"es", kJob, 0.5, "valorable"},
    {"es", kJob, 0.5, "jornada completa"}, {"es", kJob, 0.35, "remoto"}, {"es", kJob, 0.45, "empleo"},
    {"es", kSpam, 0.6, "gratis"}, {"es", kSpam, 0.6, "solo hoy"}, {"es", kSpam, 0.4, "gana"},
    {"es", kSpam, 0.5, "desde casa"}, {"es", kSpam, 0.7, "haz clic"}, {"es", kSpam, 0.8, "has ganado"},
    {"es", kSpam, 0.6, "barat*"}, {"es", kSpam, 0.6, "claves de licencia"}, {"es", kSpam, 0.7, "seguidores"},
    {"es", kSpam, 0.5, "oferta especial"}, {"es", kSpam, 0.5, "al día"},
    // ---- Japanese (substrings of the folded text) --------------------------------
    {"ja", kQ, 0.6, "ますか"}, {"ja", kQ, 0.6, "ですか"}, {"ja", kQ, 0.6, "でしょうか"}, {"ja", kQ, 0.5, "いますか"},
    {"ja", kQ, 0.5, "どうやって"}, {"ja", kQ, 0.45, "教えて"}, {"ja", kQ, 0.45, "なぜ"}, {"ja", kQ, 0.4, "どれ"},
    {"ja", kQ, 0.4, "どの"}, {"ja", kQ, 0.4, "いつ"}, {"ja", kQ, 0.35, "誰か"}, {"ja", kQ, 0.4, "質問"},
    {"ja", kNotQuestion, 1, "どう思いますか"}, {"ja", kNotQuestion, 1, "どう思う"}, {"ja", kNotQuestion, 1, "ご意見"},
    {"ja", kNotQuestion, 1, "dmで"}, {"ja", kNotQuestion, 1, "dmにて"}, {"ja", kNotQuestion, 1, "チケット番号"},
    {"ja", kNotQuestion, 1, "バズワード"}, {"ja", kNotQuestion, 1, "ですよね"}, {"ja", kNotQuestion, 1, "来場"},
    {"ja", kNotQuestion, 1, "お越し"}, {"ja", kRec, 0.85, "おすすめ"}, {"ja", kRec, 0.85, "オススメ"}, {"ja", kRec, 0.85, "お勧め"},
    {"ja", kRec, 0.8, "代替"}, {"ja", kRec, 0.8, "使っている方"}, {"ja", kRec, 0.8, "使ってる人"}, {"ja", kRec, 0.8, "使っている人"},
    {"ja", kRec, 0.7, "探しています"}, {"ja", kRec, 0.7, "探してる"}, {"ja", kRec, 0.7, "乗り換え先"}, {"ja", kRec, 0.7, "どっちがいい"},
    {"ja", kRec, 0.7, "どれがいい"}, {"ja", kRec, 0.6, "検討中"}, {"ja", kRec, 0.6, "経験者"}, {"ja", kRec, 0.6, "知見"},
    {"ja", kRec, 0.55, "アドバイス"}, {"ja", kRec, -0.8, "おすすめです"}, {"ja", kRec, -0.8, "おすすめします"}, {"ja", kCmp, 0.8, "比較"},
    {"ja", kCmp, 0.7, "と比べ"}, {"ja", kCmp, 0.7, "に比べ"}, {"ja", kCmp, 0.75, "乗り換え"}, {"ja", kCmp, 0.7, "移行した"},
    {"ja", kCmp, 0.6, "の方が"}, {"ja", kCmp, 0.7, "どっち"}, {"ja", kCmp, 0.45, "より"}, {"ja", kCmp, 0.6, "の後に"},
    {"ja", kCmp, 0.5, "代替"}, {"ja", kCmp, 0.5, "違う"}, {"ja", kCmp, 0.5, "代わりに"}, {"ja", kCmp, 0.5, "で十分"},
    {"ja", kCmp, 0.5, "区別"}, {"ja", kCmp, 0.5, "勝ち"}, {"ja", kCmp, -0.7, "よりも早く"}, {"ja", kCompl, 0.8, "動かない"},
    {"ja", kCompl, 0.75, "使えない"}, {"ja", kCompl, 0.75, "壊れ"}, {"ja", kCompl, 0.7, "障害"}, {"ja", kCompl, 0.7, "落ちて"},
    {"ja", kCompl, 0.35, "また"}, {"ja", kCompl, 0.7, "返事がない"}, {"ja", kCompl, 0.7, "返信がない"},
    {"ja", kCompl, 0.7, "まだ待って"}, {"ja", kCompl, 0.7, "困った"}, {"ja", kCompl, 0.65, "困って"}, {"ja", kCompl, 0.65, "残念"},
    {"ja", kCompl, 0.6, "ひどい"}, {"ja", kCompl, 0.6, "最悪"}, {"ja", kCompl, 0.6, "不具合"}, {"ja", kCompl, 0.55, "エラー"},
    {"ja", kCompl, 0.55, "遅い"}, {"ja", kCompl, 0.5, "タイムアウト"}, {"ja", kCompl, 0.55, "どうにかして"},
    {"ja", kCompl, 0.5, "うちも同じ"}, {"ja", kCompl, 0.35, "失敗"}, {"ja", kCompl, 0.5, "後悔"}, {"ja", kCompl, 0.5, "値上げ"},
    {"ja", kCompl, 0.4, "高い"}, {"ja", kCompl, 0.45, "急増"}, {"ja", kCompl, 0.45, "ロールバック"},
    {"ja", kCompl, 0.45, "つながらない"}, {"ja", kCompl, 0.45, "なのに"}, {"ja", kCompl, 0.45, "のに"},
    {"ja", kCompl, 0.45, "イライラ"}, {"ja", kCompl, 0.45, "わかりにくい"}, {"ja", kCompl, 0.45, "分かりにくい"},
    {"ja", kCompl, 0.4, "問題"}, {"ja", kCompl, -0.7, "問題なく"}, {"ja", kPraise, 0.7, "良い"}, {"ja", kPraise, 0.55, "いい"},
    {"ja", kPraise, 0.7, "素晴らしい"}, {"ja", kPraise, 0.7, "最高"}, {"ja", kPraise, 0.65, "感謝"},
    {"ja", kPraise, 0.6, "ありがとう"}, {"ja", kPraise, 0.6, "助かる"}, {"ja", kPraise, 0.6, "助かった"},
    {"ja", kPraise, 0.6, "救われ"}, {"ja", kPraise, 0.6, "便利"}, {"ja", kPraise, 0.6, "快適"}, {"ja", kPraise, 0.6, "進化"},
    {"ja", kPraise, 0.55, "速くなった"}, {"ja", kPraise, 0.6, "おすすめです"}, {"ja", kPraise, 0.6, "おすすめします"},
    {"ja", kPraise, 0.55, "ちゃんと動く"}, {"ja", kPraise, 0.5, "安定"}, {"ja", kPraise, 0.5, "満足"},
    {"ja", kPraise, 0.5, "後悔なし"}, {"ja", kPraise, 0.5, "後悔はない"}, {"ja", kPraise, 0.5, "問題なく"},
    {"ja", kPraise, 0.6, "トラブルなし"}, {"ja", kPraise, -0.8, "共有ありがとう"}, {"ja", kPraise, 0.5, "すごい"},
    {"ja", kPraise, 0.45, "元が取れ"}, {"ja", kPraise, 0.45, "スムーズ"}, {"ja", kPraise, 0.4, "好き"},
    {"ja", kPraise, -0.8, "良くない"}, {"ja", kPraise, -0.8, "よくない"}, {"ja", kPraise, -0.6, "いいのか"},
    {"ja", kPraise, -0.6, "いいですか"}, {"ja", kPraise, -0.6, "どっちがいい"}, {"ja", kPraise, -0.6, "どれがいい"},
    {"ja", kPraise, -0.5, "いいかな"}, {"ja", kJob, 0.4, "採用"}, {"ja", kJob, 0.9, "【採用】"}, {"ja", kJob, 0.9, "採用情報"},
    {"ja", kJob, 0.9, "採用中"}, {"ja", kJob, 0.9, "募集"}, {"ja", kJob, 0.9, "求人"}, {"ja", kJob, 0.7, "経験歓迎"},
    {"ja", kJob, 0.35, "歓迎"}, {"ja", kJob, 0.6, "応募"}, {"ja", kJob, 0.6, "正社員"}, {"ja", kJob, 0.5, "リモート可"},
    {"ja", kSpam, 0.7, "無料"}, {"ja", kSpam, 0.6, "今日だけ"}, {"ja", kSpam, 0.7, "稼げる"}, {"ja", kSpam, 0.7, "稼ぐ"},
    {"ja", kSpam, 0.5, "在宅"}, {"ja", kSpam, 0.7, "クリック"}, {"ja", kSpam, 0.8, "当選"}, {"ja", kSpam, 0.6, "格安"},
    {"ja", kSpam, 0.6, "ライセンスキー"}, {"ja", kSpam, 0.7, "フォロワー"}, {"ja", kSpam, 0.5, "激安"}, {"ja", kSpam, 0.5, "日給"},
    {"ja", kSpam, 0.5, "！！"},
};
// clang-format on

// Hashtags that are cues in any language, by folded tag.
struct HashtagCue {
  std::string_view tag;
  Label label;
  double weight;
};
constexpr HashtagCue kHashtagCues[] = {
    {"hiring", kJob, 0.9},
    {"nowhiring", kJob, 0.95},
    {"jobs", kJob, 0.8},
    {"job", kJob, 0.7},
    {"jobopening", kJob, 0.9},
    {"remotejobs", kJob, 0.9},
    {"techjobs", kJob, 0.9},
    {"career", kJob, 0.5},
    {"careers", kJob, 0.5},
    {"recrutement", kJob, 0.9},
    {"emploi", kJob, 0.8},
    {"empleo", kJob, 0.8},
    {"stellenangebot", kJob, 0.9},
    {"求人", kJob, 0.9},
    {"teamfollowback", kSpam, 0.9},
    {"followback", kSpam, 0.8},
    {"fail", kCompl, 0.75},
    {"epicfail", kCompl, 0.8},
    {"giveaway", kSpam, 0.5},
    {"1000aday", kSpam, 0.8},
    {"autopilot", kSpam, 0.5},
};

// ---- Compiled cues ---------------------------------------------------------
//
// Matching runs on integers: every word a pattern names is interned once
// (a WordId), each word of a text is looked up once, and the prefix,
// suffix and number elements of a language are tested once per word of a
// text into a bit mask, so that trying a cue compares ids and tests bits.

// A language's affix elements ("frustrat*", "*er", "<n>") and its cues that
// start with one (or with "*" or "...") each get a bit of a 64-bit mask.
// These bounds count every occurrence, so they hold for the distinct ones.
constexpr size_t kMaxMaskBits = 64;

constexpr std::string_view PatternBody(std::string_view p) {
  while (!p.empty() && (p[0] == '^' || p[0] == '?')) p.remove_prefix(1);
  if (!p.empty() && p.back() == '$') p.remove_suffix(1);
  return p;
}

constexpr bool IsAffixPiece(std::string_view piece) {
  return piece == "<n>" || (piece.size() > 1 && (piece.back() == '*' || piece.front() == '*'));
}

// Returns, for the cues `lang` sees, the number of affix pieces
// (`count_cues` false) or of cues with an affix, "*" or "..." piece (true).
constexpr size_t CountWildPieces(std::string_view lang, bool count_cues) {
  size_t n = 0;
  for (const Cue& cue : kCues) {
    if (!cue.lang.empty() && cue.lang != lang) continue;
    std::string_view p = PatternBody(cue.pattern);
    bool wild = false;
    while (!p.empty()) {
      const size_t space = p.find(' ');
      const std::string_view piece = p.substr(0, space);
      p = space == std::string_view::npos ? std::string_view() : p.substr(space + 1);
      if (!count_cues && IsAffixPiece(piece)) ++n;
      wild = wild || IsAffixPiece(piece) || piece == "*" || piece == "...";
    }
    if (count_cues && wild) ++n;
  }
  return n;
}

constexpr std::string_view kCueLanguages[] = {"en", "de", "fr", "es", "ja"};

constexpr bool FitsMasks() {
  for (std::string_view lang : kCueLanguages) {
    if (CountWildPieces(lang, false) > kMaxMaskBits || CountWildPieces(lang, true) > kMaxMaskBits) return false;
  }
  return true;
}
static_assert(FitsMasks(), "a language has more than 64 affixes or wildcard-led cues: widen the masks");

using WordId = uint32_t;
constexpr WordId kNoWord = 0;  // a text word that no pattern names

// The words of the patterns, of the hashtag cues and of the choice rule.
class Vocabulary {
 public:
  // Returns the id of `word`, adding it when new.
  WordId Intern(std::string_view word) {
    if (WordId id = Find(word); id != kNoWord) return id;
    words_.emplace_back(word);
    max_size_ = std::max(max_size_, word.size());
    if (words_.size() * 2 > cells_.size()) {
      Rehash(std::max<size_t>(64, cells_.size() * 2));
    } else {
      Place(static_cast<WordId>(words_.size()));
    }
    return static_cast<WordId>(words_.size());
  }
  // Returns the id of `word`, or kNoWord.
  WordId Find(std::string_view word) const {
    if (word.size() > max_size_ || cells_.empty()) return kNoWord;
    const uint64_t h = HashWord(word);
    const auto tag = static_cast<uint32_t>(h >> 32);
    const size_t mask = cells_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Cell& c = cells_[i];
      if (c.id == kNoWord) return kNoWord;
      if (c.tag == tag && words_[c.id - 1] == word) return c.id;
    }
  }
  // Returns one more than the largest id.
  size_t end_id() const { return words_.size() + 1; }

 private:
  struct Cell {
    WordId id = kNoWord;
    uint32_t tag = 0;  // the high half of the word's hash: most misses end here
  };
  // Eight bytes at a time, gathered without a call: words are short.
  static uint64_t HashWord(std::string_view word) {
    uint64_t h = word.size() * 0x9E3779B97F4A7C15ULL;
    for (size_t i = 0; i < word.size(); i += 8) {
      const size_t n = std::min<size_t>(8, word.size() - i);
      uint64_t chunk = 0;
      for (size_t k = 0; k < n; ++k) chunk |= uint64_t{static_cast<unsigned char>(word[i + k])} << (8 * k);
      h = Mix64(h ^ chunk);
    }
    return h;
  }
  void Place(WordId id) {
    const uint64_t h = HashWord(words_[id - 1]);
    const size_t mask = cells_.size() - 1;
    size_t i = h & mask;
    while (cells_[i].id != kNoWord) i = (i + 1) & mask;
    cells_[i] = {id, static_cast<uint32_t>(h >> 32)};
  }
  void Rehash(size_t cells) {
    cells_.assign(cells, Cell());
    for (size_t id = 1; id <= words_.size(); ++id) Place(static_cast<WordId>(id));
  }

  std::vector<std::string> words_;  // words_[id - 1]
  std::vector<Cell> cells_;         // open addressing, a power of two, at most half full
  size_t max_size_ = 0;
};

// One pattern element.
struct Element {
  enum class Kind : uint8_t { kWord, kPrefix, kSuffix, kAny, kGap, kNumber } kind = Kind::kWord;
  WordId word = kNoWord;  // kWord
  uint8_t affix = 0;      // kPrefix, kSuffix, kNumber: its bit in a word's affix mask
};

struct CompiledCue {
  Label label = kQ;
  double weight = 0;
  bool sentence_start = false;    // "^"
  bool sentence_end = false;      // "$"
  bool needs_question = false;    // "?"
  bool substring = false;         // Han or kana: match the folded text
  std::vector<Element> elements;  // word patterns
  std::string needle;             // substring patterns
};

bool HasUnspacedScript(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = DecodeUtf8(s, pos);
    if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xFF01 && cp <= 0xFF5E)) return true;
  }
  return false;
}

// Sets `out` to `s` with each code point case-folded (for substring patterns).
void FoldText(std::string_view s, std::string& out) {
  out.clear();
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    const auto byte = static_cast<unsigned char>(s[pos]);
    if (byte < 0x80) {
      out.push_back(AsciiToLower(static_cast<char>(byte)));
      ++pos;
    } else {
      AppendUtf8(out, FoldCase(DecodeUtf8(s, pos)));
    }
  }
}

// The affix elements of one language: each distinct one is a bit of the
// mask computed for every word of a text.
struct Affixes {
  struct Affix {
    Element::Kind kind;
    std::string text;
  };
  std::vector<Affix> list;
  // Indexes into `list`, by the byte a matching word must start (prefixes)
  // or end (suffixes) with; empty affixes match by length alone.
  std::array<std::vector<uint8_t>, 256> prefix_by_first;
  std::array<std::vector<uint8_t>, 256> suffix_by_last;
  std::vector<uint8_t> empty;
  int number = -1;  // the bit of "<n>", -1 when no cue has one

  uint8_t Add(Element::Kind kind, std::string text) {
    for (size_t a = 0; a < list.size(); ++a) {
      if (list[a].kind == kind && list[a].text == text) return static_cast<uint8_t>(a);
    }
    const auto a = static_cast<uint8_t>(list.size());
    if (kind == Element::Kind::kNumber) {
      number = a;
    } else if (text.empty()) {
      empty.push_back(a);
    } else if (kind == Element::Kind::kPrefix) {
      prefix_by_first[static_cast<unsigned char>(text.front())].push_back(a);
    } else {
      suffix_by_last[static_cast<unsigned char>(text.back())].push_back(a);
    }
    list.push_back({kind, std::move(text)});
    return a;
  }

  // Returns the bits of the affixes that folded word `w` (not empty) matches.
  uint64_t Of(std::string_view w) const {
    uint64_t mask = 0;
    for (uint8_t a : prefix_by_first[static_cast<unsigned char>(w.front())]) {
      if (w.starts_with(list[a].text)) mask |= uint64_t{1} << a;
    }
    for (uint8_t a : suffix_by_last[static_cast<unsigned char>(w.back())]) {
      if (w.size() > list[a].text.size() + 1 && w.ends_with(list[a].text)) mask |= uint64_t{1} << a;
    }
    for (uint8_t a : empty) {
      if (list[a].kind == Element::Kind::kPrefix || w.size() > 1) mask |= uint64_t{1} << a;
    }
    if (number >= 0 && std::all_of(w.begin(), w.end(), [](char ch) { return IsAsciiDigit(ch); })) {
      mask |= uint64_t{1} << number;
    }
    return mask;
  }
};

CompiledCue Compile(const Cue& cue, Vocabulary& vocab, Affixes& affixes) {
  CompiledCue c;
  c.label = cue.label;
  c.weight = cue.weight;
  std::string_view p = cue.pattern;
  while (!p.empty() && (p[0] == '^' || p[0] == '?')) {
    (p[0] == '^' ? c.sentence_start : c.needs_question) = true;
    p.remove_prefix(1);
  }
  if (!p.empty() && p.back() == '$') {
    c.sentence_end = true;
    p.remove_suffix(1);
  }
  if (HasUnspacedScript(p) || cue.lang == "ja") {
    c.substring = true;
    FoldText(p, c.needle);
    return c;
  }
  std::string fold_buf;
  for (std::string_view piece : Split(p, ' ')) {
    if (piece.empty()) continue;
    if (piece == "*") {
      c.elements.push_back({Element::Kind::kAny});
    } else if (piece == "<n>") {
      c.elements.push_back({Element::Kind::kNumber, kNoWord, affixes.Add(Element::Kind::kNumber, "")});
    } else if (piece == "...") {
      c.elements.push_back({Element::Kind::kGap});
    } else if (piece.size() > 1 && piece.back() == '*') {
      const std::string prefix = FoldWords(piece.substr(0, piece.size() - 1));
      c.elements.push_back({Element::Kind::kPrefix, kNoWord, affixes.Add(Element::Kind::kPrefix, prefix)});
    } else if (piece.size() > 1 && piece.front() == '*') {
      const std::string suffix = FoldWords(piece.substr(1));
      c.elements.push_back({Element::Kind::kSuffix, kNoWord, affixes.Add(Element::Kind::kSuffix, suffix)});
    } else {
      // A piece may hold several words ("we're" -> "we", "re"), or none (an emoji).
      ForEachWord(piece, fold_buf, [&](std::string_view w, size_t, size_t) {
        c.elements.push_back({Element::Kind::kWord, vocab.Intern(w)});
      });
    }
  }
  return c;
}

// The substring cues of a language by the first character of their needle.
class SubstringIndex {
 public:
  // Indexes needles[k] (folded, not empty) as k.
  void Build(const std::vector<const std::string*>& needles) {
    std::vector<std::pair<char32_t, uint32_t>> by_first;
    for (size_t k = 0; k < needles.size(); ++k) {
      size_t pos = 0;
      by_first.push_back({DecodeUtf8(*needles[k], pos), static_cast<uint32_t>(k)});
    }
    std::stable_sort(by_first.begin(), by_first.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [cp, k] : by_first) {
      if (firsts_.empty() || firsts_.back() != cp) {
        firsts_.push_back(cp);
        begin_.push_back(static_cast<uint32_t>(needles_.size()));
      }
      needles_.push_back(k);
      filter_.set(cp % filter_.size());
    }
    begin_.push_back(static_cast<uint32_t>(needles_.size()));
  }
  // Returns the needles that start with `cp`, in index order.
  std::span<const uint32_t> StartingWith(char32_t cp) const {
    if (!filter_.test(cp % filter_.size())) return {};
    auto it = std::lower_bound(firsts_.begin(), firsts_.end(), cp);
    if (it == firsts_.end() || *it != cp) return {};
    const auto f = static_cast<size_t>(it - firsts_.begin());
    return std::span<const uint32_t>(needles_).subspan(begin_[f], begin_[f + 1] - begin_[f]);
  }

 private:
  std::bitset<4096> filter_;      // first characters, folded onto 4096 bits: most characters start no needle
  std::vector<char32_t> firsts_;  // sorted, distinct
  std::vector<uint32_t> begin_;   // needles_[begin_[f] .. begin_[f + 1]) start with firsts_[f]
  std::vector<uint32_t> needles_;
};

// The cues of one language, indexed for matching.
struct CueSet {
  std::vector<CompiledCue> cues;
  Affixes affixes;
  // The cues whose first element is a word, by WordId: first_word_cues[
  // first_word_begin[id] .. first_word_begin[id + 1]), in cue order.
  std::vector<uint32_t> first_word_begin;
  std::vector<uint32_t> first_word_cues;
  // The other word cues, in cue order, tried at a word when the bit of
  // their position is in scan_always or in scan_by_affix[a] for an affix a
  // of the word.
  std::vector<uint32_t> scan_cues;
  uint64_t scan_always = 0;  // first element "*" or "..."
  std::array<uint64_t, kMaxMaskBits> scan_by_affix{};
  std::vector<uint32_t> substrings;  // cue indexes
  SubstringIndex substring_index;    // of substrings, by position in it
};

void AddCue(CueSet& set, const Cue& cue, Vocabulary& vocab) {
  CompiledCue c = Compile(cue, vocab, set.affixes);
  auto idx = static_cast<uint32_t>(set.cues.size());
  if (c.substring) {
    set.substrings.push_back(idx);
  } else if (c.elements.empty()) {
    return;  // nothing a tokenizer could see
  } else if (c.elements[0].kind != Element::Kind::kWord) {
    const uint64_t bit = uint64_t{1} << set.scan_cues.size();
    const Element& first = c.elements[0];
    if (first.kind == Element::Kind::kAny || first.kind == Element::Kind::kGap) {
      set.scan_always |= bit;
    } else {
      set.scan_by_affix[first.affix] |= bit;
    }
    set.scan_cues.push_back(idx);
  }
  set.cues.push_back(std::move(c));
}

// Indexes the word-led cues of `set` by first word, once every word has its id.
void IndexFirstWords(CueSet& set, size_t end_id) {
  set.first_word_begin.assign(end_id + 1, 0);
  auto first_word = [](const CompiledCue& c) {
    return !c.substring && !c.elements.empty() && c.elements[0].kind == Element::Kind::kWord ? c.elements[0].word
                                                                                              : kNoWord;
  };
  for (const CompiledCue& c : set.cues) {
    if (WordId w = first_word(c); w != kNoWord) ++set.first_word_begin[w + 1];
  }
  for (size_t id = 1; id <= end_id; ++id) set.first_word_begin[id] += set.first_word_begin[id - 1];
  set.first_word_cues.resize(set.first_word_begin[end_id]);
  std::vector<uint32_t> next(set.first_word_begin.begin(), set.first_word_begin.end() - 1);
  for (size_t idx = 0; idx < set.cues.size(); ++idx) {
    if (WordId w = first_word(set.cues[idx]); w != kNoWord) set.first_word_cues[next[w]++] = static_cast<uint32_t>(idx);
  }
}

// Everything matching needs, built on first use.
struct Tables {
  Vocabulary vocab;
  std::array<CueSet, std::size(kCueLanguages)> sets;  // per kCueLanguages, each with the language-neutral cues
  std::array<WordId, std::size(kHashtagCues)> hashtag_words{};
  std::array<WordId, 4> choice_words{};  // "or" in en, de, fr, es
};

const Tables& TheTables() {
  static const Tables tables = [] {
    Tables t;
    for (size_t i = 0; i < t.sets.size(); ++i) {
      for (const Cue& cue : kCues) {
        if (cue.lang.empty() || cue.lang == kCueLanguages[i]) AddCue(t.sets[i], cue, t.vocab);
      }
    }
    for (size_t h = 0; h < std::size(kHashtagCues); ++h) t.hashtag_words[h] = t.vocab.Intern(kHashtagCues[h].tag);
    const std::string_view choice[] = {"or", "oder", "ou", "o"};
    for (size_t k = 0; k < std::size(choice); ++k) t.choice_words[k] = t.vocab.Intern(choice[k]);
    for (CueSet& set : t.sets) {
      IndexFirstWords(set, t.vocab.end_id());
      std::vector<const std::string*> needles;
      for (uint32_t idx : set.substrings) needles.push_back(&set.cues[idx].needle);
      set.substring_index.Build(needles);
    }
    return t;
  }();
  return tables;
}

const CueSet& CueSetFor(const Tables& tables, std::string_view lang) {
  for (size_t i = 0; i < std::size(kCueLanguages); ++i) {
    if (lang == kCueLanguages[i]) return tables.sets[i];
  }
  return tables.sets[0];  // other languages: English, the lingua franca of tech posts
}

// ---- One text ----------------------------------------------------------------

// A text cut into words, with the sentence of each word.
struct Words {
  std::vector<WordId> id;
  std::vector<uint64_t> affixes;   // bits of CueSet::affixes
  std::vector<uint32_t> begin;     // byte offset in the cleaned text
  std::vector<uint16_t> sentence;  // sentence index of each word
  std::vector<uint8_t> sentence_start;
  std::vector<uint8_t> sentence_end;

  size_t size() const { return id.size(); }
  void Clear() {
    id.clear();
    affixes.clear();
    begin.clear();
    sentence.clear();
    sentence_start.clear();
    sentence_end.clear();
  }
};

bool IsSentenceEnd(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == U'。' || cp == U'！' || cp == U'？' || cp == ':' ||
         cp == ';' || cp == U'…';
}

// The bytes SplitSentences looks at: ASCII that ends a sentence, asks or
// exclaims, and every byte of a non-ASCII character. It skips the others.
constexpr std::array<bool, 256> kSentenceBytes = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'.', '!', '?', '\n', ':', ';'}) t[c] = true;
  for (size_t c = 0x80; c < t.size(); ++c) t[c] = true;
  return t;
}();

// The sentences of a text: byte ranges and whether each asks with '?'.
struct Sentence {
  size_t begin = 0;
  size_t end = 0;
  bool has_question_mark = false;
};

void SplitSentences(std::string_view text, std::vector<Sentence>& out) {
  out.clear();
  Sentence cur;
  size_t pos = 0;
  char32_t prev = 0;
  while (pos < text.size()) {
    if (!kSentenceBytes[static_cast<unsigned char>(text[pos])]) {
      // Ordinary ASCII: nothing below concerns it but as the previous character.
      while (pos < text.size() && !kSentenceBytes[static_cast<unsigned char>(text[pos])]) ++pos;
      prev = static_cast<unsigned char>(text[pos - 1]);
      continue;
    }
    const size_t at = pos;
    const auto byte = static_cast<unsigned char>(text[pos]);
    char32_t cp;
    if (byte < 0x80) {
      cp = byte;
      ++pos;
    } else {
      cp = DecodeUtf8(text, pos);
    }
    const char32_t before = prev;
    prev = cp;
    if (cp == U'¿' || cp == U'¡') {
      // Spanish opens a question or exclamation: a sentence starts here.
      if (at > cur.begin) {
        cur.end = at;
        out.push_back(cur);
      }
      // "¡¿...?!" exclaims rather than asks.
      cur = Sentence{at, 0, cp == U'¿' && before != U'¡'};
      continue;
    }
    // "?!" and "!?" exclaim rather than ask ("Down again?!").
    if ((cp == '!' || cp == U'！') && (before == '?' || before == U'？') && !out.empty()) {
      out.back().has_question_mark = false;
    }
    if ((cp == '?' || cp == U'？') && (before == '!' || before == U'！' || before == U'¡')) {
      if (!out.empty()) out.back().has_question_mark = false;
      continue;
    }
    // "??" and more: exasperation, not a question.
    if ((cp == '?' || cp == U'？') && (before == '?' || before == U'？')) {
      if (!out.empty()) out.back().has_question_mark = false;
      continue;
    }
    if (cp == '?' || cp == U'？') cur.has_question_mark = true;
    // '.' inside a token ("v2.0", "e.g.") does not end a sentence.
    const bool dot_in_token = cp == '.' && pos < text.size() && !IsAsciiSpace(text[pos]);
    if (IsSentenceEnd(cp) && !dot_in_token) {
      cur.end = pos;
      out.push_back(cur);
      cur = Sentence{pos};
    }
  }
  cur.end = text.size();
  out.push_back(cur);
}

size_t SentenceOf(const std::vector<Sentence>& sentences, size_t offset) {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](size_t off, const Sentence& s) { return off < s.begin; });
  return it == sentences.begin() ? 0 : static_cast<size_t>(it - sentences.begin() - 1);
}

// Cuts `text` into `w`: each word's id, affixes and sentence.
void CutWords(std::string_view text, const std::vector<Sentence>& sentences, const Vocabulary& vocab,
              const Affixes& affixes, std::string& fold_buf, Words& w) {
  w.Clear();
  size_t last_sentence = SIZE_MAX;
  size_t s = 0;  // words come in text order: the sentence only moves forward
  ForEachWord(text, fold_buf, [&](std::string_view word, size_t begin, size_t) {
    while (s + 1 < sentences.size() && sentences[s + 1].begin <= begin) ++s;
    w.id.push_back(vocab.Find(word));
    w.affixes.push_back(affixes.Of(word));
    w.begin.push_back(static_cast<uint32_t>(begin));
    w.sentence.push_back(static_cast<uint16_t>(std::min<size_t>(s, UINT16_MAX)));
    w.sentence_start.push_back(s != last_sentence);
    if (!w.sentence_end.empty()) w.sentence_end.back() = s != last_sentence;
    w.sentence_end.push_back(true);
    last_sentence = s;
  });
}

bool ElementMatches(const Element& e, const Words& w, size_t i) {
  switch (e.kind) {
    case Element::Kind::kWord:
      return w.id[i] == e.word;
    case Element::Kind::kPrefix:
    case Element::Kind::kSuffix:
    case Element::Kind::kNumber:
      return (w.affixes[i] >> e.affix) & 1;
    case Element::Kind::kAny:
    case Element::Kind::kGap:
      return true;
  }
  return false;
}

// Returns true when elements[k..] of `c` match words from position i on.
bool MatchFrom(const CompiledCue& c, size_t k, const Words& w, size_t i) {
  if (k == c.elements.size()) return !c.sentence_end || (i > 0 && w.sentence_end[i - 1]);
  if (c.elements[k].kind == Element::Kind::kGap) {
    for (size_t skip = 0; skip <= 3 && i + skip <= w.size(); ++skip) {
      if (MatchFrom(c, k + 1, w, i + skip)) return true;
    }
    return false;
  }
  if (i >= w.size() || !ElementMatches(c.elements[k], w, i)) return false;
  return MatchFrom(c, k + 1, w, i + 1);
}

// What one text matched, in text order: each cue where it matched, and the
// sentence there (a cue may match more than once).
struct Hit {
  uint32_t cue;
  size_t sentence;
};

void MatchWords(const CueSet& set, const Words& w, std::vector<Hit>& hits) {
  auto try_cue = [&](uint32_t idx, size_t i) {
    const CompiledCue& c = set.cues[idx];
    if (c.sentence_start && !w.sentence_start[i]) return;
    if (MatchFrom(c, 0, w, i)) hits.push_back({idx, w.sentence[i]});
  };
  for (size_t i = 0; i < w.size(); ++i) {
    if (const WordId id = w.id[i]; id != kNoWord) {
      for (uint32_t k = set.first_word_begin[id]; k < set.first_word_begin[id + 1]; ++k) {
        try_cue(set.first_word_cues[k], i);
      }
    }
    uint64_t scan = set.scan_always;
    for (uint64_t a = w.affixes[i]; a != 0; a &= a - 1) scan |= set.scan_by_affix[std::countr_zero(a)];
    for (; scan != 0; scan &= scan - 1) try_cue(set.scan_cues[std::countr_zero(scan)], i);
  }
}

// Adds a hit for each substring cue found in `folded_text`, in cue order,
// at its first occurrence. One pass over the text: at each character, only
// the needles that start with it are compared (valid UTF-8 matches only at
// character starts, so this finds what a search per needle would).
void MatchSubstrings(const CueSet& set, std::string_view folded_text, const std::vector<Sentence>& sentences,
                     std::vector<size_t>& first_at, std::vector<Hit>& hits) {
  const SubstringIndex& index = set.substring_index;
  first_at.assign(set.substrings.size(), std::string_view::npos);
  size_t left = set.substrings.size();
  size_t pos = 0;
  while (pos < folded_text.size() && left > 0) {
    const size_t at = pos;
    const char32_t cp = DecodeUtf8(folded_text, pos);
    for (uint32_t k : index.StartingWith(cp)) {
      if (first_at[k] != std::string_view::npos) continue;
      if (folded_text.substr(at).starts_with(set.cues[set.substrings[k]].needle)) {
        first_at[k] = at;
        --left;
      }
    }
  }
  for (size_t k = 0; k < set.substrings.size(); ++k) {
    if (first_at[k] != std::string_view::npos) hits.push_back({set.substrings[k], SentenceOf(sentences, first_at[k])});
  }
}

// The evidence of one label: noisy-OR of its cues, damped by the negative ones.
class Evidence {
 public:
  Evidence() {
    keep_.fill(1.0);
    damp_.fill(1.0);
  }
  // Adds a cue; a negative weight damps the label instead.
  void Add(Label label, double weight) {
    if (weight >= 0) {
      keep_[label] *= 1 - weight;  // the chance that no cue of the label fires
    } else {
      damp_[label] *= 1 + weight;
    }
  }
  std::array<double, kLabelCount> Scores() const {
    std::array<double, kLabelCount> score;
    for (int l = 0; l < kLabelCount; ++l) score[l] = (1 - keep_[l]) * damp_[l];
    return score;
  }

 private:
  std::array<double, kLabelCount> keep_;
  std::array<double, kLabelCount> damp_;
};

// Turns the '?' of a headline shared with its link ("Is X the future?
// https://...") into '.': the sharer asks nothing.
void DropHeadlineQuestionMarks(std::string& raw) {
  for (size_t i = raw.find('?'); i != std::string::npos; i = raw.find('?', i + 1)) {
    size_t j = i + 1;
    while (j < raw.size() && (IsAsciiSpace(raw[j]) || raw[j] == '"')) ++j;
    if (std::string_view(raw).substr(j).starts_with("http")) raw[i] = '.';
  }
}

// Sets, per sentence, whether its cues count: in a long text only the
// lead (title and first sentences) and the last sentences state what the
// author wants; an article's body quotes, explains and asks rhetorically.
void SentencesInScope(const Words& w, size_t sentence_count, std::vector<size_t>& with_words,
                      std::vector<uint8_t>& in) {
  constexpr size_t kShort = 12;  // a post this short is in scope whole
  constexpr size_t kLead = 4;
  constexpr size_t kTail = 3;
  with_words.clear();
  for (uint16_t s : w.sentence) {
    if (with_words.empty() || with_words.back() != s) with_words.push_back(s);
  }
  in.assign(sentence_count, with_words.size() <= kShort);
  for (size_t k = 0; k < with_words.size(); ++k) {
    if (k < kLead || k + kTail >= with_words.size()) in[with_words[k]] = true;
  }
}

// Returns true when the word starting at `begin` of `text` looks like a
// name or a model: a capital letter or a digit first ("Docker", "10gbe").
bool LooksLikeName(std::string_view text, size_t begin) {
  size_t pos = begin;
  char32_t cp = DecodeUtf8(text, pos);
  return (cp >= '0' && cp <= '9') || FoldCase(cp) != cp;
}

// Adds the cues of "X or Y?" between names: a choice being weighed.
void AddChoiceCues(const Tables& tables, const Words& w, std::string_view cleaned, const std::vector<uint8_t>& asks,
                   Evidence& evidence) {
  const auto& choice = tables.choice_words;
  for (size_t i = 1; i + 1 < w.size(); ++i) {
    if (std::find(choice.begin(), choice.end(), w.id[i]) == choice.end()) continue;
    if (!asks[w.sentence[i]] || w.sentence[i - 1] != w.sentence[i] || w.sentence[i + 1] != w.sentence[i]) continue;
    if (!LooksLikeName(cleaned, w.begin[i - 1]) || !LooksLikeName(cleaned, w.begin[i + 1])) continue;
    evidence.Add(kCmp, 0.6);
    evidence.Add(kRec, 0.5);
    return;
  }
}

bool IsAsciiAlnum(unsigned char c) { return c < 0x80 && (IsAsciiAlpha(static_cast<char>(c)) || IsAsciiDigit(c)); }

// Returns the id of the folded word that starts `rest` (kNoWord when it
// starts with no word, or with one no cue names). Looks at 64 bytes at most.
WordId TagAt(const Vocabulary& vocab, std::string_view rest, std::string& fold_buf) {
  rest = rest.substr(0, 64);
  if (rest.empty()) return kNoWord;
  const auto first = static_cast<unsigned char>(rest[0]);
  if (first < 0x80 && !IsAsciiAlnum(first)) return kNoWord;
  // Most tags are ASCII: fold them here; a run that reaches other
  // characters goes through the tokenizer.
  size_t end = 0;
  while (end < rest.size() && IsAsciiAlnum(static_cast<unsigned char>(rest[end]))) ++end;
  if (end == rest.size() || static_cast<unsigned char>(rest[end]) < 0x80) {
    fold_buf.clear();
    for (size_t k = 0; k < end; ++k) fold_buf.push_back(AsciiToLower(rest[k]));
    return vocab.Find(fold_buf);
  }
  WordId tag = kNoWord;
  bool first_word = true;
  ForEachWord(rest, fold_buf, [&](std::string_view w, size_t begin, size_t) {
    if (first_word && begin == 0) tag = vocab.Find(w);
    first_word = false;
  });
  return tag;
}

// Adds the cues of the hashtags in `raw` (the text before cleaning).
void AddHashtagCues(const Tables& tables, std::string_view raw, std::string& fold_buf, Evidence& evidence) {
  for (size_t pos = raw.find('#'); pos != std::string_view::npos; pos = raw.find('#', pos + 1)) {
    const WordId tag = TagAt(tables.vocab, raw.substr(pos + 1), fold_buf);
    if (tag == kNoWord) continue;
    for (size_t h = 0; h < std::size(kHashtagCues); ++h) {
      if (tag == tables.hashtag_words[h]) evidence.Add(kHashtagCues[h].label, kHashtagCues[h].weight);
    }
  }
}

// A text ready for matching, and the buffers of its matching: one per
// thread, reused, so that labelling a text allocates only while they grow.
struct Scratch {
  std::string raw;      // title, newline, text (valid UTF-8)
  std::string cleaned;  // links, handles, entities gone; hashtags keep their word
  std::vector<Sentence> sentences;
  Words words;
  std::vector<uint8_t> in_scope;  // per sentence
  std::vector<uint8_t> asks;      // per sentence
  std::vector<Hit> hits;
  std::vector<uint32_t> seen;  // per cue: the stamp of the last text that counted it
  uint32_t stamp = 0;
  std::vector<size_t> with_words;
  std::string fold_buf;
  std::string folded_text;
  std::vector<size_t> first_at;  // per substring cue
};

void Prepare(std::string_view title, std::string_view text, const Tables& tables, const CueSet& set, Scratch& p) {
  p.raw.assign(title).append("\n").append(text);
  if (!IsValidUtf8(p.raw)) p.raw = SanitizeUtf8(p.raw);
  DropHeadlineQuestionMarks(p.raw);
  p.cleaned.clear();
  AppendStripped(p.raw, Hashtags::kKeepWord, p.cleaned);
  SplitSentences(p.cleaned, p.sentences);
  CutWords(p.cleaned, p.sentences, tables.vocab, set.affixes, p.fold_buf, p.words);
  SentencesInScope(p.words, p.sentences.size(), p.with_words, p.in_scope);
}

// Sets, per sentence, whether it asks something: a '?' in scope that no
// bait or rhetorical cue claims (a "?" with no words asks nothing).
void AskingSentences(const CueSet& set, Scratch& p) {
  p.asks.assign(p.sentences.size(), 0);
  for (size_t s : p.words.sentence) p.asks[s] = p.sentences[s].has_question_mark && p.in_scope[s];
  for (const Hit& h : p.hits) {
    if (set.cues[h.cue].label == kNotQuestion) p.asks[h.sentence] = 0;
  }
}

// Adds each matched cue once, where it counts.
void AddCueEvidence(const CueSet& set, Scratch& p, Evidence& evidence) {
  const bool asks_anything = std::find(p.asks.begin(), p.asks.end(), 1) != p.asks.end();
  if (p.seen.size() < set.cues.size()) p.seen.resize(set.cues.size(), 0);
  if (++p.stamp == 0) {  // wrapped: forget every earlier text
    std::fill(p.seen.begin(), p.seen.end(), 0);
    p.stamp = 1;
  }
  for (const Hit& h : p.hits) {
    const CompiledCue& c = set.cues[h.cue];
    if (c.label == kNotQuestion || p.seen[h.cue] == p.stamp) continue;
    if (!p.in_scope[h.sentence] && c.label != kSpam) continue;
    if (c.needs_question && !asks_anything) continue;
    // An opener does not count in a sentence whose '?' asks nothing.
    if (c.label == kQ && p.sentences[h.sentence].has_question_mark && !p.asks[h.sentence]) continue;
    p.seen[h.cue] = p.stamp;
    evidence.Add(c.label, c.weight);
  }
}

// Labels constrain each other.
void ApplyCrossRules(std::array<double, kLabelCount>& score) {
  // A job ad "looking for a DevOps engineer" asks for people, not products.
  if (score[kJob] >= kIntentThreshold) score[kRec] *= 0.3;
  // Asking for recommendations is asking a question, with or without '?'.
  if (score[kRec] >= kIntentThreshold) score[kQ] = std::max(score[kQ], 0.6);
  // A mention has one stance: the weaker of praise and complaint gives way
  // ("Kein Status-Update. Super." is no praise).
  if (score[kCompl] >= kIntentThreshold && score[kCompl] > score[kPraise]) score[kPraise] *= 0.6;
  if (score[kPraise] >= kIntentThreshold && score[kPraise] > score[kCompl]) score[kCompl] *= 0.6;
  // Spam borrows the words of praise and offers; it is not praise.
  if (score[kSpam] >= kIntentThreshold) score[kPraise] *= 0.3;
}

}  // namespace

std::span<const std::string_view> IntentLabels() { return kLabelNames; }

std::vector<IntentLabel> DetectIntents(std::string_view title, std::string_view text, std::string_view lang) {
  const Tables& tables = TheTables();
  const CueSet& set = CueSetFor(tables, lang);
  thread_local Scratch p;
  Prepare(title, text, tables, set, p);
  p.hits.clear();
  MatchWords(set, p.words, p.hits);
  if (!set.substrings.empty()) {
    FoldText(p.cleaned, p.folded_text);
    MatchSubstrings(set, p.folded_text, p.sentences, p.first_at, p.hits);
  }

  AskingSentences(set, p);
  Evidence evidence;
  for (uint8_t a : p.asks) {
    if (a) evidence.Add(kQ, 0.85);
  }
  AddCueEvidence(set, p, evidence);
  AddHashtagCues(tables, p.raw, p.fold_buf, evidence);
  AddChoiceCues(tables, p.words, p.cleaned, p.asks, evidence);

  std::array<double, kLabelCount> score = evidence.Scores();
  ApplyCrossRules(score);
  std::vector<IntentLabel> out;
  for (int l = 0; l < kLabelCount; ++l) {
    if (score[l] >= kIntentThreshold) out.push_back({std::string(kLabelNames[l]), score[l]});
  }
  return out;
}

}  // namespace earshot::enrich
