#include "enrich/intent.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <unordered_map>

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

// One pattern element.
struct Element {
  enum class Kind : uint8_t { kWord, kPrefix, kSuffix, kAny, kGap, kNumber } kind = Kind::kWord;
  std::string text;
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

// Returns `s` with each code point case-folded (for substring patterns).
std::string FoldText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp = DecodeUtf8(s, pos);
    if (cp < 0x80) {
      out.push_back(AsciiToLower(static_cast<char>(cp)));
    } else {
      AppendUtf8(out, FoldCase(cp));
    }
  }
  return out;
}

CompiledCue Compile(const Cue& cue) {
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
    c.needle = FoldText(p);
    return c;
  }
  std::string fold_buf;
  for (std::string_view piece : Split(p, ' ')) {
    if (piece.empty()) continue;
    if (piece == "*") {
      c.elements.push_back({Element::Kind::kAny, ""});
    } else if (piece == "<n>") {
      c.elements.push_back({Element::Kind::kNumber, ""});
    } else if (piece == "...") {
      c.elements.push_back({Element::Kind::kGap, ""});
    } else if (piece.size() > 1 && piece.back() == '*') {
      c.elements.push_back({Element::Kind::kPrefix, FoldWords(piece.substr(0, piece.size() - 1))});
    } else if (piece.size() > 1 && piece.front() == '*') {
      c.elements.push_back({Element::Kind::kSuffix, FoldWords(piece.substr(1))});
    } else {
      // A piece may hold several words ("we're" -> "we", "re"), or none (an emoji).
      ForEachWord(piece, fold_buf, [&](std::string_view w, size_t, size_t) {
        c.elements.push_back({Element::Kind::kWord, std::string(w)});
      });
    }
  }
  return c;
}

// The cues of one language, indexed for matching.
struct CueSet {
  std::vector<CompiledCue> cues;
  std::unordered_map<std::string, std::vector<uint32_t>> by_first_word;
  std::vector<uint32_t> scan_each_word;  // first element is a prefix or suffix
  std::vector<uint32_t> substrings;
};

void AddCue(CueSet& set, const Cue& cue) {
  CompiledCue c = Compile(cue);
  auto idx = static_cast<uint32_t>(set.cues.size());
  if (c.substring) {
    set.substrings.push_back(idx);
  } else if (c.elements.empty()) {
    return;  // nothing a tokenizer could see
  } else if (c.elements[0].kind == Element::Kind::kWord) {
    set.by_first_word[c.elements[0].text].push_back(idx);
  } else {
    set.scan_each_word.push_back(idx);
  }
  set.cues.push_back(std::move(c));
}

constexpr std::string_view kCueLanguages[] = {"en", "de", "fr", "es", "ja"};

// The cue sets, one per language of kCueLanguages, each with the
// language-neutral cues; built on first use.
const std::array<CueSet, 5>& CueSets() {
  static const std::array<CueSet, 5> sets = [] {
    std::array<CueSet, 5> s;
    for (size_t i = 0; i < s.size(); ++i) {
      for (const Cue& cue : kCues) {
        if (cue.lang.empty() || cue.lang == kCueLanguages[i]) AddCue(s[i], cue);
      }
    }
    return s;
  }();
  return sets;
}

const CueSet& CueSetFor(std::string_view lang) {
  for (size_t i = 0; i < std::size(kCueLanguages); ++i) {
    if (lang == kCueLanguages[i]) return CueSets()[i];
  }
  return CueSets()[0];  // other languages: English, the lingua franca of tech posts
}

// A text cut into folded words, with the sentence of each word.
struct Words {
  std::vector<std::string> folded;
  std::vector<uint32_t> begin;     // byte offset in the cleaned text
  std::vector<uint16_t> sentence;  // sentence index of each word
  std::vector<bool> sentence_start;
  std::vector<bool> sentence_end;
};

bool IsSentenceEnd(char32_t cp) {
  return cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == U'。' || cp == U'！' || cp == U'？' || cp == ':' ||
         cp == ';' || cp == U'…';
}

// The sentences of a text: byte ranges and whether each asks with '?'.
struct Sentence {
  size_t begin = 0;
  size_t end = 0;
  bool has_question_mark = false;
};

std::vector<Sentence> SplitSentences(std::string_view text) {
  std::vector<Sentence> out;
  Sentence cur;
  size_t pos = 0;
  char32_t prev = 0;
  while (pos < text.size()) {
    const size_t at = pos;
    const char32_t cp = DecodeUtf8(text, pos);
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
  return out;
}

size_t SentenceOf(const std::vector<Sentence>& sentences, size_t offset) {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](size_t off, const Sentence& s) { return off < s.begin; });
  return it == sentences.begin() ? 0 : static_cast<size_t>(it - sentences.begin() - 1);
}

bool ElementMatches(const Element& e, std::string_view word) {
  switch (e.kind) {
    case Element::Kind::kWord:
      return word == e.text;
    case Element::Kind::kPrefix:
      return word.starts_with(e.text);
    case Element::Kind::kSuffix:
      return word.size() > e.text.size() + 1 && word.ends_with(e.text);
    case Element::Kind::kAny:
      return true;
    case Element::Kind::kGap:
      return true;
    case Element::Kind::kNumber:
      return std::all_of(word.begin(), word.end(), [](char ch) { return IsAsciiDigit(ch); });
  }
  return false;
}

// Returns true when elements[k..] of `c` match words from position i on.
bool MatchFrom(const CompiledCue& c, size_t k, const Words& w, size_t i) {
  if (k == c.elements.size()) return !c.sentence_end || (i > 0 && w.sentence_end[i - 1]);
  if (c.elements[k].kind == Element::Kind::kGap) {
    for (size_t skip = 0; skip <= 3 && i + skip <= w.folded.size(); ++skip) {
      if (MatchFrom(c, k + 1, w, i + skip)) return true;
    }
    return false;
  }
  if (i >= w.folded.size() || !ElementMatches(c.elements[k], w.folded[i])) return false;
  return MatchFrom(c, k + 1, w, i + 1);
}

// What one text matched: the cues (each counted once) and the sentence of each.
struct Hits {
  std::vector<std::pair<uint32_t, size_t>> cues;  // cue index, sentence
};

void MatchWords(const CueSet& set, const Words& w, Hits& hits) {
  auto try_cue = [&](uint32_t idx, size_t i) {
    const CompiledCue& c = set.cues[idx];
    if (c.sentence_start && !w.sentence_start[i]) return;
    if (MatchFrom(c, 0, w, i)) hits.cues.push_back({idx, w.sentence[i]});
  };
  for (size_t i = 0; i < w.folded.size(); ++i) {
    if (auto it = set.by_first_word.find(w.folded[i]); it != set.by_first_word.end()) {
      for (uint32_t idx : it->second) try_cue(idx, i);
    }
    for (uint32_t idx : set.scan_each_word) try_cue(idx, i);
  }
}

void MatchSubstrings(const CueSet& set, std::string_view folded_text, const std::vector<Sentence>& sentences,
                     Hits& hits) {
  for (uint32_t idx : set.substrings) {
    size_t at = folded_text.find(set.cues[idx].needle);
    if (at != std::string_view::npos) hits.cues.push_back({idx, SentenceOf(sentences, at)});
  }
}

Words CutWords(std::string_view text, const std::vector<Sentence>& sentences) {
  Words w;
  std::string fold_buf;
  size_t last_sentence = SIZE_MAX;
  ForEachWord(text, fold_buf, [&](std::string_view word, size_t begin, size_t) {
    size_t s = SentenceOf(sentences, begin);
    w.folded.emplace_back(word);
    w.begin.push_back(static_cast<uint32_t>(begin));
    w.sentence.push_back(static_cast<uint16_t>(std::min<size_t>(s, UINT16_MAX)));
    w.sentence_start.push_back(s != last_sentence);
    if (!w.sentence_end.empty()) w.sentence_end.back() = s != last_sentence;
    w.sentence_end.push_back(true);
    last_sentence = s;
  });
  return w;
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
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '?') continue;
    size_t j = i + 1;
    while (j < raw.size() && (IsAsciiSpace(raw[j]) || raw[j] == '"')) ++j;
    if (std::string_view(raw).substr(j).starts_with("http")) raw[i] = '.';
  }
}

// Returns, per sentence, whether its cues count: in a long text only the
// lead (title and first sentences) and the last sentences state what the
// author wants; an article's body quotes, explains and asks rhetorically.
std::vector<bool> SentencesInScope(const Words& w, size_t sentence_count) {
  constexpr size_t kShort = 12;  // a post this short is in scope whole
  constexpr size_t kLead = 4;
  constexpr size_t kTail = 3;
  std::vector<size_t> with_words;
  for (uint16_t s : w.sentence) {
    if (with_words.empty() || with_words.back() != s) with_words.push_back(s);
  }
  std::vector<bool> in(sentence_count, with_words.size() <= kShort);
  for (size_t k = 0; k < with_words.size(); ++k) {
    if (k < kLead || k + kTail >= with_words.size()) in[with_words[k]] = true;
  }
  return in;
}

// Returns true when the word starting at `begin` of `text` looks like a
// name or a model: a capital letter or a digit first ("Docker", "10gbe").
bool LooksLikeName(std::string_view text, size_t begin) {
  size_t pos = begin;
  char32_t cp = DecodeUtf8(text, pos);
  return (cp >= '0' && cp <= '9') || FoldCase(cp) != cp;
}

// Adds the cues of "X or Y?" between names: a choice being weighed.
void AddChoiceCues(const Words& w, std::string_view cleaned, const std::vector<bool>& asks, Evidence& evidence) {
  for (size_t i = 1; i + 1 < w.folded.size(); ++i) {
    const std::string& word = w.folded[i];
    if (word != "or" && word != "oder" && word != "ou" && word != "o") continue;
    if (!asks[w.sentence[i]] || w.sentence[i - 1] != w.sentence[i] || w.sentence[i + 1] != w.sentence[i]) continue;
    if (!LooksLikeName(cleaned, w.begin[i - 1]) || !LooksLikeName(cleaned, w.begin[i + 1])) continue;
    evidence.Add(kCmp, 0.6);
    evidence.Add(kRec, 0.5);
    return;
  }
}

// Adds the cues of the hashtags in `raw` (the text before cleaning).
void AddHashtagCues(std::string_view raw, Evidence& evidence) {
  size_t pos = raw.find('#');
  std::string fold_buf;
  while (pos != std::string_view::npos) {
    std::string_view rest = raw.substr(pos + 1);
    std::string tag;
    ForEachWord(rest.substr(0, 64), fold_buf, [&](std::string_view w, size_t begin, size_t) {
      if (begin == 0 && tag.empty()) tag = std::string(w);
    });
    for (const HashtagCue& h : kHashtagCues) {
      if (tag == h.tag) evidence.Add(h.label, h.weight);
    }
    pos = raw.find('#', pos + 1);
  }
}

// A text ready for matching: cleaned, cut into sentences and words.
struct Prepared {
  std::string raw;      // title, newline, text (valid UTF-8)
  std::string cleaned;  // links, handles, entities gone; hashtags keep their word
  std::vector<Sentence> sentences;
  Words words;
  std::vector<bool> in_scope;  // per sentence
};

Prepared Prepare(std::string_view title, std::string_view text) {
  Prepared p;
  p.raw.reserve(title.size() + text.size() + 1);
  p.raw.append(title).append("\n").append(text);
  if (!IsValidUtf8(p.raw)) p.raw = SanitizeUtf8(p.raw);
  DropHeadlineQuestionMarks(p.raw);
  p.cleaned = StripNonLinguistic(p.raw, Hashtags::kKeepWord);
  p.sentences = SplitSentences(p.cleaned);
  p.words = CutWords(p.cleaned, p.sentences);
  p.in_scope = SentencesInScope(p.words, p.sentences.size());
  return p;
}

// Returns, per sentence, whether it asks something: a '?' in scope that no
// bait or rhetorical cue claims (a "?" with no words asks nothing).
std::vector<bool> AskingSentences(const Prepared& p, const CueSet& set, const Hits& hits) {
  std::vector<bool> asks(p.sentences.size());
  for (size_t s : p.words.sentence) asks[s] = p.sentences[s].has_question_mark && p.in_scope[s];
  for (const auto& [idx, s] : hits.cues) {
    if (set.cues[idx].label == kNotQuestion) asks[s] = false;
  }
  return asks;
}

// Adds each matched cue once, where it counts.
void AddCueEvidence(const Prepared& p, const CueSet& set, const Hits& hits, const std::vector<bool>& asks,
                    Evidence& evidence) {
  const bool asks_anything = std::find(asks.begin(), asks.end(), true) != asks.end();
  std::vector<bool> seen(set.cues.size());
  for (const auto& [idx, s] : hits.cues) {
    const CompiledCue& c = set.cues[idx];
    if (c.label == kNotQuestion || seen[idx]) continue;
    if (!p.in_scope[s] && c.label != kSpam) continue;
    if (c.needs_question && !asks_anything) continue;
    // An opener does not count in a sentence whose '?' asks nothing.
    if (c.label == kQ && p.sentences[s].has_question_mark && !asks[s]) continue;
    seen[idx] = true;
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
  const Prepared p = Prepare(title, text);
  const CueSet& set = CueSetFor(lang);
  Hits hits;
  MatchWords(set, p.words, hits);
  if (!set.substrings.empty()) MatchSubstrings(set, FoldText(p.cleaned), p.sentences, hits);

  const std::vector<bool> asks = AskingSentences(p, set, hits);
  Evidence evidence;
  for (bool a : asks) {
    if (a) evidence.Add(kQ, 0.85);
  }
  AddCueEvidence(p, set, hits, asks, evidence);
  AddHashtagCues(p.raw, evidence);
  AddChoiceCues(p.words, p.cleaned, asks, evidence);

  std::array<double, kLabelCount> score = evidence.Scores();
  ApplyCrossRules(score);
  std::vector<IntentLabel> out;
  for (int l = 0; l < kLabelCount; ++l) {
    if (score[l] >= kIntentThreshold) out.push_back({std::string(kLabelNames[l]), score[l]});
  }
  return out;
}

}  // namespace earshot::enrich
