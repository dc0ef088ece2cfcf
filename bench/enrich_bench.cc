// Enrichment throughput on one core, stage by stage: language (CLD2
// detection next to taking the language the source states), SimHash
// fingerprints and the near-duplicate index, intent labels, and the clause
// analysis of target-level sentiment. Texts are
// real (the 5,113 Sanders tweets, the X v2 captures) and simulated (the
// market simulator's X stream, whose posts state their language).
//
//   build/rel/bench/enrich_bench [--mentions N] [benchmark flags]
//
// N (default 200,000) simulated posts are generated and parsed before any
// timing. Each benchmark reports items_per_second = mentions/s on one core.
// Before the timings, a check prints what the stages produced on the same
// texts (languages found, stories, labels), so a fast but broken stage shows.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "enrich/intent.h"
#include "enrich/language.h"
#include "enrich/near_duplicates.h"
#include "enrich/sentiment_target.h"
#include "enrich/simhash.h"
#include "ingest/input_reader.h"
#include "ingest/normalize.h"
#include "ingest/x_connector.h"
#include "sim/sim.h"

namespace earshot::enrich {
namespace {

// Parses X stream lines as the simulator writes them, keeping the Mentions.
class XStreamSink : public sim::ByteSink, public ingest::RecordSink {
 public:
  XStreamSink() : connector_(ingest::NewXConnector()) {}
  Status Write(std::string_view bytes) override {
    pending_.append(bytes);
    size_t start = 0;
    for (size_t nl; (nl = pending_.find('\n', start)) != std::string::npos; start = nl + 1) {
      ingest::ParseContext ctx;
      ctx.file = "sim";
      ctx.line = ++line_;
      ctx.first_index = line_;
      EARSHOT_RETURN_IF_ERROR(connector_->Parse(std::string_view(pending_).substr(start, nl - start), ctx, *this));
    }
    pending_.erase(0, start);
    return Status::Ok();
  }
  void OnMention(Mention m, const ingest::RecordRef&) override {
    ingest::NormalizeMention(m);
    mentions.push_back(std::move(m));
  }
  void OnReject(const ingest::RecordRef& ref, std::string reason, std::string_view) override {
    std::fprintf(stderr, "enrich_bench: rejected line %lld: %s\n", static_cast<long long>(ref.line), reason.c_str());
  }
  void OnSkip(const ingest::RecordRef&, std::string) override {}

  std::vector<Mention> mentions;

 private:
  std::unique_ptr<ingest::Connector> connector_;
  std::string pending_;
  int64_t line_ = 0;
};

class FileSink : public ingest::RecordSink {
 public:
  void OnMention(Mention m, const ingest::RecordRef&) override {
    ingest::NormalizeMention(m);
    mentions.push_back(std::move(m));
  }
  void OnReject(const ingest::RecordRef&, std::string, std::string_view) override {}
  void OnSkip(const ingest::RecordRef&, std::string) override {}
  std::vector<Mention> mentions;
};

struct Corpus {
  std::vector<Mention> simulated;  // X stream: every post states its language
  std::vector<Mention> real;       // Sanders (no language stated) + X captures
};

Corpus& TheCorpus() {
  static Corpus corpus;
  return corpus;
}

void Die(const Status& s) {
  std::fprintf(stderr, "enrich_bench: %s\n", s.ToString().c_str());
  std::exit(1);
}

void LoadCorpus(int64_t simulated) {
  Corpus& c = TheCorpus();
  sim::SimOptions so;
  so.mentions = simulated;
  so.days = 7;
  so.seed = 5;
  XStreamSink sink;
  Result<sim::SimSummary> r = sim::WriteXStream(so, sink);
  if (!r.ok()) Die(r.status());
  c.simulated = std::move(sink.mentions);
  for (const char* rel : {"tweets-sanders/full-corpus.csv", "x-v2/brexit.jsonl", "x-v2/kpop.jsonl"}) {
    FileSink file;
    Status st = ingest::ReadInput(std::string(EARSHOT_SHARED_DATA) + "/" + rel, {}, file);
    if (!st.ok()) Die(st);
    for (Mention& m : file.mentions) c.real.push_back(std::move(m));
  }
}

// Prints what each stage makes of the corpus: the check before the timings.
void PrintCheck() {
  const Corpus& c = TheCorpus();
  std::map<std::string, int> langs;
  int stated = 0;
  for (const Mention& m : c.simulated) {
    ++langs[DetectLanguage(m.title, m.text).code];
    if (!m.language.empty()) ++stated;
  }
  std::printf("simulated: %zu mentions, %d state a language; CLD2 finds:", c.simulated.size(), stated);
  for (const auto& [code, n] : langs) std::printf(" %s=%d", code.empty() ? "(none)" : code.c_str(), n);
  int agree = 0;
  for (const Mention& m : c.simulated) agree += DetectLanguage(m.title, m.text).code == m.language;
  std::printf("\n  CLD2 agrees with the stated language on %d (%.1f%%)\n", agree,
              100.0 * agree / static_cast<double>(c.simulated.size()));

  // No age limit here, so that the heap growth is the index holding every entry.
  NearDuplicateOptions options;
  options.max_age_ms = 0;
  struct mallinfo2 before = mallinfo2();
  Result<NearDuplicateIndex> index = NearDuplicateIndex::Create(options);
  if (!index.ok()) Die(index.status());
  int stories = 0;
  int by_text = 0;
  int by_reshare = 0;
  for (const Mention& m : c.simulated) {
    Result<StoryAssignment> a = index->Assign(m);
    if (!a.ok()) Die(a.status());
    stories += !a->duplicate_of_existing;
    by_text += a->link == StoryLink::kText;
    by_reshare += a->link == StoryLink::kReshare;
  }
  struct mallinfo2 after = mallinfo2();
  double bytes = static_cast<double>(after.uordblks) - static_cast<double>(before.uordblks);
  std::printf(
      "  near-duplicates (k=3, no age limit): %d new stories, %d joined by reshare, %d by text; "
      "%zu entries held, %.0f heap bytes per entry\n",
      stories, by_reshare, by_text, index->size(), bytes / static_cast<double>(index->size()));

  std::map<std::string, int> labels;
  for (const Mention& m : c.simulated) {
    for (const IntentLabel& l : DetectIntents(m.title, m.text, m.language)) ++labels[l.label];
  }
  std::printf("  intents:");
  for (const auto& [label, n] : labels) std::printf(" %s=%d", label.c_str(), n);
  std::printf("\nreal: %zu mentions (Sanders, X captures)\n\n", c.real.size());
}

const std::vector<Mention>& Texts(int which) { return which == 0 ? TheCorpus().simulated : TheCorpus().real; }

void BM_DetectLanguage(benchmark::State& state) {
  const std::vector<Mention>& ms = Texts(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    const Mention& m = ms[i++ % ms.size()];
    benchmark::DoNotOptimize(DetectLanguage(m.title, m.text));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "simulated, CLD2 on every post" : "real, CLD2 on every post");
}
BENCHMARK(BM_DetectLanguage)->Arg(0)->Arg(1);

void BM_ResolveLanguage(benchmark::State& state) {
  const std::vector<Mention>& ms = Texts(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    const Mention& m = ms[i++ % ms.size()];
    benchmark::DoNotOptimize(ResolveLanguage(m));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "simulated, stated language taken" : "real, Sanders detected, X taken");
}
BENCHMARK(BM_ResolveLanguage)->Arg(0)->Arg(1);

void BM_Fingerprint(benchmark::State& state) {
  const std::vector<Mention>& ms = Texts(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    const Mention& m = ms[i++ % ms.size()];
    benchmark::DoNotOptimize(FingerprintText(m.title, m.text));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "simulated" : "real");
}
BENCHMARK(BM_Fingerprint)->Arg(0)->Arg(1);

// Fingerprint plus index: each pass over the corpus starts a fresh index,
// so every mention is assigned once, as in ingest. Args: max_distance,
// window (max_fingerprints).
void BM_NearDuplicateAssign(benchmark::State& state) {
  const std::vector<Mention>& ms = TheCorpus().simulated;
  NearDuplicateOptions options;
  options.max_distance = static_cast<int>(state.range(0));
  options.max_fingerprints = static_cast<size_t>(state.range(1));
  std::unique_ptr<NearDuplicateIndex> index;
  size_t i = 0;
  for (auto _ : state) {
    if (i % ms.size() == 0) {
      state.PauseTiming();
      index = std::make_unique<NearDuplicateIndex>(*NearDuplicateIndex::Create(options));
      state.ResumeTiming();
    }
    benchmark::DoNotOptimize(index->Assign(ms[i++ % ms.size()]));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel("simulated, k=" + std::to_string(state.range(0)) + ", window " + std::to_string(state.range(1)));
}
BENCHMARK(BM_NearDuplicateAssign)->Args({3, 1'000'000})->Args({3, 20'000})->Args({4, 1'000'000})->Args({6, 1'000'000});

void BM_DetectIntents(benchmark::State& state) {
  const std::vector<Mention>& ms = Texts(static_cast<int>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    const Mention& m = ms[i++ % ms.size()];
    benchmark::DoNotOptimize(DetectIntents(m.title, m.text, m.language.empty() ? "en" : m.language));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "simulated, 5 languages" : "real");
}
BENCHMARK(BM_DetectIntents)->Arg(0)->Arg(1);

// The target of a post for BM_AnalyzeTarget: its first capitalised word after
// the start (a brand or product name in the simulated posts), else its first
// word. Returns [begin, end) in the text.
std::pair<size_t, size_t> SomeTarget(std::string_view text) {
  size_t b = 0;
  for (size_t i = 1; i < text.size(); ++i) {
    if (text[i] >= 'A' && text[i] <= 'Z' && text[i - 1] == ' ') {
      b = i;
      break;
    }
  }
  size_t e = text.find(' ', b);
  return {b, e == std::string_view::npos ? text.size() : e};
}

// Target-level sentiment's analysis: which clause speaks about the target
// and in what role (what live matching adds per watch match, before scoring
// that clause).
void BM_AnalyzeTarget(benchmark::State& state) {
  const std::vector<Mention>& ms = Texts(static_cast<int>(state.range(0)));
  std::vector<std::pair<size_t, size_t>> targets;
  targets.reserve(ms.size());
  for (const Mention& m : ms) targets.push_back(SomeTarget(m.text));
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % ms.size();
    benchmark::DoNotOptimize(AnalyzeTarget(ms[k].text, targets[k].first, targets[k].second));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 0 ? "simulated, first capitalised word" : "real, first capitalised word");
}
BENCHMARK(BM_AnalyzeTarget)->Arg(0)->Arg(1);

}  // namespace
}  // namespace earshot::enrich

int main(int argc, char** argv) {
  int64_t mentions = 200'000;
  std::vector<char*> rest = {argv[0]};
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--mentions") == 0 && i + 1 < argc) {
      mentions = std::atoll(argv[++i]);
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  earshot::enrich::LoadCorpus(mentions);
  earshot::enrich::PrintCheck();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
