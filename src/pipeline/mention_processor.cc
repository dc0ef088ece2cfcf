#include "pipeline/mention_processor.h"

#include "core/word_tokenizer.h"
#include "enrich/intent.h"
#include "enrich/language.h"
#include "geo/resolver.h"
#include "ingest/normalize.h"

namespace earshot::pipeline {
namespace {

// Returns the byte span, within the text `tokens` were cut from, of the
// first word of a matched term (a canonical atom such as "cloud*",
// "\"hybrid cloud\"", "#aws", "title:x"), or nullopt when it is not there.
std::optional<std::pair<size_t, size_t>> TermSpan(const WordTokens& tokens, std::string_view term) {
  if (size_t colon = term.find(':'); colon != std::string_view::npos) term.remove_prefix(colon + 1);
  std::string folded = FoldWords(term);
  if (folded.empty()) return std::nullopt;
  std::string first = folded.substr(0, folded.find(' '));
  bool prefix = term.find('*') != std::string_view::npos || term.find('?') != std::string_view::npos;
  for (const WordToken& t : tokens.tokens) {
    std::string_view w = tokens.Folded(t);
    if (w == first || (prefix && w.starts_with(first))) return std::make_pair<size_t, size_t>(t.begin, t.end);
  }
  return std::nullopt;
}

std::optional<double> SentimentAt(const enrich::SentimentScorer& scorer, const Mention& m, const WordTokens& tokens,
                                  const std::vector<std::string>& terms) {
  for (const std::string& term : terms) {
    if (std::optional<std::pair<size_t, size_t>> span = TermSpan(tokens, term)) {
      return scorer.TargetSentiment(m.text, span->first, span->second);
    }
  }
  return m.sentiment;
}

}  // namespace

std::optional<double> WatchSentiment(const enrich::SentimentScorer& scorer, const Mention& m,
                                     const std::vector<std::string>& terms) {
  WordTokens tokens;
  TokenizeWords(m.text, tokens);
  return SentimentAt(scorer, m, tokens, terms);
}

Result<std::shared_ptr<const match::CompiledWatchSet>> CompileWatches(
    const std::vector<std::tuple<int64_t, std::string, std::string>>& watches, std::vector<std::string>* skipped) {
  std::vector<match::WatchSpec> specs;
  for (const auto& [id, name, text] : watches) {
    Result<match::Query> q = match::ParseQuery(text);
    if (!q.ok()) {
      if (skipped) skipped->push_back(name + ": " + q.status().message());
      continue;
    }
    specs.push_back({id, name, std::move(*q)});
  }
  return match::CompiledWatchSet::Compile(std::move(specs));
}

Result<std::unique_ptr<MentionProcessor>> MentionProcessor::Create(const match::WatchSetHolder& holder,
                                                                   const ProcessorOptions& options) {
  EARSHOT_ASSIGN_OR_RETURN(enrich::SentimentScorer scorer, enrich::SentimentScorer::Create());
  EARSHOT_ASSIGN_OR_RETURN(match::WatchMatcher matcher, match::WatchMatcher::Create(holder));
  EARSHOT_ASSIGN_OR_RETURN(enrich::NearDuplicateIndex stories, enrich::NearDuplicateIndex::Create({}));
  return std::unique_ptr<MentionProcessor>(
      new MentionProcessor(options, std::move(scorer), std::move(matcher), std::move(stories)));
}

void RefreshWatchSet(store::Store& store, match::WatchSetHolder& holder, int64_t* version) {
  Result<int64_t> now = store.WatchSetVersion();
  if (!now.ok() || *now == *version) return;
  Result<std::vector<store::Watch>> list = store.ListWatches();
  if (!list.ok()) return;
  std::vector<std::tuple<int64_t, std::string, std::string>> specs;
  for (const store::Watch& w : *list) specs.emplace_back(w.id, w.name, w.query);
  Result<std::shared_ptr<const match::CompiledWatchSet>> set = CompileWatches(specs, nullptr);
  if (!set.ok()) return;
  holder.Set(std::move(*set));
  *version = *now;
}

void EnrichMention(const enrich::SentimentScorer& scorer, const ProcessorOptions& options, Mention& m) {
  ingest::NormalizeMention(m);
  if (!options.enrich) return;
  // Before matching, so that country: in a watch sees resolved places.
  geo::ResolveMentionGeo(m);
  if (m.language.empty() && options.detect_language) {
    enrich::LanguageGuess g = enrich::DetectLanguage(m.title, m.text);
    if (!g.code.empty()) {
      m.language = g.code;
      m.language_detected = true;
    }
  }
  std::string_view body = m.text.empty() ? std::string_view(m.title) : std::string_view(m.text);
  m.sentiment = scorer.Score(body).compound;
  m.intents.clear();
  for (const enrich::IntentLabel& l : enrich::DetectIntents(m.title, m.text, m.language)) {
    m.intents.push_back({l.label, l.confidence});
  }
}

void MentionProcessor::Process(Mention& m) {
  EnrichMention(scorer_, options_, m);
  AssignStory(m);
  Match(m);
}

void MentionProcessor::EnrichAndMatch(Mention& m) {
  EnrichMention(scorer_, options_, m);
  Match(m);
}

void MentionProcessor::AssignStory(Mention& m) {
  if (!options_.enrich) return;
  Result<enrich::StoryAssignment> story = stories_.Assign(m);
  if (story.ok()) m.story_id = story->story_id;
}

void MentionProcessor::Match(Mention& m) {
  hits_.clear();
  matcher_.Match(m, &hits_);
  m.watches.clear();
  // Cut the text into words once for every watch's target sentiment.
  if (!hits_.empty() && options_.enrich) TokenizeWords(m.text, tokens_);
  for (match::WatchHit& h : hits_) {
    WatchMatch wm;
    wm.watch_id = h.watch_id;
    if (options_.enrich) wm.sentiment = SentimentAt(scorer_, m, tokens_, h.terms);
    wm.terms = std::move(h.terms);
    m.watches.push_back(std::move(wm));
  }
}

}  // namespace earshot::pipeline
