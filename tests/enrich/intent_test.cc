// Questions and buying intent: hand-written cases per language, the
// simulator's ground truth (precision and recall per label), and real posts
// labelled by hand in intent_real_cases.tsv.
#include "enrich/intent.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/strings.h"
#include "enrich/language.h"
#include "ingest/input_reader.h"
#include "ingest/normalize.h"
#include "ingest/record_collector.h"
#include "sim/sim.h"
#include "testutil.h"

namespace earshot::enrich {
namespace {

using earshot::testing::SharedData;
using earshot::testing::TempDir;
using ingest::testing::RecordCollector;

std::set<std::string> Labels(std::string_view title, std::string_view text, std::string_view lang) {
  std::set<std::string> out;
  for (const IntentLabel& l : DetectIntents(title, text, lang)) out.insert(l.label);
  return out;
}

bool Has(std::string_view text, std::string_view lang, std::string_view label) {
  return Labels("", text, lang).count(std::string(label)) > 0;
}

// ---- Hand-written cases --------------------------------------------------------

struct Case {
  const char* lang;
  const char* text;
  std::set<std::string> labels;
};

void ExpectCases(const std::vector<Case>& cases) {
  for (const Case& c : cases) EXPECT_EQ(Labels("", c.text, c.lang), c.labels) << "[" << c.lang << "] " << c.text;
}

TEST(DetectIntentsTest, English) {
  ExpectCases({
      {"en", "How do I rotate the API keys without downtime?", {"question"}},
      {"en", "anyone know how to get the old dashboard back", {"question"}},  // asks without '?'
      {"en", "How we cut our cloud bill in half", {}},  // a headline: an opener alone is not enough
      {"en", "Any recommendations for a backup tool that handles 200 VMs?", {"question", "recommendation_request"}},
      {"en",
       "We're looking for alternatives to our current SIEM, renewal is in March.",
       {"question", "recommendation_request"}},
      {"en",
       "Should I use Postgres or MySQL for a small analytics app?",
       {"question", "recommendation_request", "comparison"}},
      {"en", "Switched from Jenkins to GitHub Actions and our builds are twice as fast.", {"comparison"}},
      {"en", "Honestly the new UI is way better than the old one.", {"comparison"}},
      {"en", "The login page is down again and support is useless. Still waiting for a reply.", {"complaint"}},
      {"en", "Kudos to the team, the migration tool just works.", {"praise"}},
      {"en", "We're hiring a senior SRE in Berlin, apply here", {"job_post"}},
      {"en", "Gain followers fast, 100% free, click here #teamfollowback", {"spam"}},
      {"en", "Shipping the quarterly report today.", {}},
  });
}

TEST(DetectIntentsTest, German) {
  ExpectCases({
      {"de", "Wie kann ich die Replikation zwischen zwei Rechenzentren einrichten?", {"question"}},
      {"de", "Kann jemand eine gute Backup-Lösung für 50 Server empfehlen?", {"question", "recommendation_request"}},
      {"de", "Seit dem Update funktioniert nichts mehr, der Login geht nicht. Ärgerlich!", {"complaint"}},
      {"de", "Wir sind von Jenkins auf GitLab umgestiegen, deutlich besser als vorher.", {"comparison"}},
      {"de", "Wirklich beeindruckt vom neuen Dashboard, klare Empfehlung.", {"praise"}},
      {"de", "Wir suchen eine:n DevOps Engineer (m/w/d) in München, jetzt bewerben!", {"job_post"}},
  });
}

TEST(DetectIntentsTest, French) {
  ExpectCases({
      {"fr", "Comment configurer la réplication entre deux sites ?", {"question"}},
      {"fr", "Vous utilisez quoi pour la supervision ? Des recommandations ?", {"question", "recommendation_request"}},
      {"fr",
       "Encore une panne ce matin, le service ne fonctionne pas. Toujours pas de réponse du support.",
       {"complaint"}},
      {"fr", "Nous avons migré de Oracle vers Postgres, c'est bien moins cher que prévu.", {"comparison"}},
      {"fr", "Nous recrutons un ingénieur cloud en CDI, postulez ici", {"job_post"}},
  });
}

TEST(DetectIntentsTest, Spanish) {
  ExpectCases({
      {"es", "¿Cómo migro las copias de seguridad a la nube sin cortar el servicio?", {"question"}},
      {"es", "¿Alguien usa esta herramienta en producción? ¿Vale la pena?", {"question", "recommendation_request"}},
      {"es", "Otra vez caído el portal y sin respuesta del soporte. Inaceptable.", {"complaint"}},
      {"es", "La nueva versión es mucho mejor que la anterior.", {"comparison"}},
      {"es", "Estamos contratando: ingeniero de datos, remoto. Postúlate aquí", {"job_post"}},
  });
}

TEST(DetectIntentsTest, Japanese) {
  ExpectCases({
      {"ja", "バックアップの設定はどうやって変更できますか？", {"question"}},
      {"ja", "監視ツールでおすすめはありますか？", {"question", "recommendation_request"}},
      {"ja", "アップデート後にログインできない。また障害。困った。", {"complaint"}},
      {"ja", "【採用】インフラエンジニア募集中、リモート可", {"job_post"}},
      {"ja", "新しいダッシュボード、本当に素晴らしい。", {"praise"}},
  });
}

TEST(DetectIntentsTest, RhetoricalAndBaitQuestionsAskNothing) {
  for (const char* text :
       {"Who knew? #cloud", "Down again?! Our whole pipeline is stuck.", "Great news for all of us. Thoughts?",
        "Is AI the new normal or just the new buzzword? Asking for a friend.",
        "Heading to the storage summit? Come see us at booth 12.",
        "Hi! Could you send us a DM with your ticket number?", "Seriously??? Why is this so slow",
        "Is serverless the future? https://example.com/article"}) {
    EXPECT_FALSE(Has(text, "en", kIntentQuestion)) << text;
  }
  EXPECT_FALSE(Has("¡¿Otra caída más?!", "es", kIntentQuestion));
  EXPECT_FALSE(Has("Le cloud est partout. Des avis ?", "fr", kIntentQuestion));
  EXPECT_FALSE(Has("Backup ist überall. Meinungen?", "de", kIntentQuestion));
  EXPECT_FALSE(Has("最近どこでもAIOpsの話ばかり。どう思いますか？", "ja", kIntentQuestion));
  // A real question next to bait still counts.
  EXPECT_TRUE(Has("Does it support SSO yet? Thoughts?", "en", kIntentQuestion));
}

TEST(DetectIntentsTest, ReportsLabelsInOrderWithConfidence) {
  std::vector<IntentLabel> labels =
      DetectIntents("", "Should I use Postgres or MySQL for a small analytics app?", "en");
  ASSERT_EQ(labels.size(), 3u);
  EXPECT_EQ(labels[0].label, kIntentQuestion);
  EXPECT_EQ(labels[1].label, kIntentRecommendationRequest);
  EXPECT_EQ(labels[2].label, kIntentComparison);
  for (const IntentLabel& l : labels) {
    EXPECT_GE(l.confidence, kIntentThreshold);
    EXPECT_LE(l.confidence, 1.0);
  }
  ASSERT_EQ(IntentLabels().size(), 7u);
  EXPECT_EQ(IntentLabels()[6], kIntentSpam);
}

TEST(DetectIntentsTest, ReadsTheTitle) {
  EXPECT_EQ(Labels("Recommendations for a NAS?", "Budget is about 500 euros.", "en"),
            (std::set<std::string>{"question", "recommendation_request"}));
}

TEST(DetectIntentsTest, UnknownLanguagesGetTheEnglishCues) {
  EXPECT_TRUE(Has("Any recommendations for a backup tool?", "", kIntentRecommendationRequest));
  EXPECT_TRUE(Has("Any recommendations for a backup tool?", "nl", kIntentRecommendationRequest));
}

TEST(DetectIntentsTest, SurvivesOddInput) {
  EXPECT_TRUE(DetectIntents("", "", "en").empty());
  EXPECT_TRUE(DetectIntents("", "???", "en").empty());
  EXPECT_TRUE(DetectIntents("", "\xff\xfe \xc3", "en").empty());
  EXPECT_EQ(Labels("", "\xff\xfe still broken \xc3", "en"), (std::set<std::string>{"complaint"}));
  std::string long_text;
  for (int i = 0; i < 5000; ++i) long_text += "Is it down again? ";
  EXPECT_FALSE(DetectIntents("", long_text, "en").empty());
}

// Labelling reuses per-thread buffers: a text must get the same labels and
// confidences whatever was labelled before it.
TEST(DetectIntentsTest, EachTextIsLabelledAfresh) {
  const std::string text = "Any recommendations for a backup tool? Switched from Veeam, support is useless.";
  const std::vector<IntentLabel> first = DetectIntents("", text, "en");
  ASSERT_FALSE(first.empty());
  std::string long_text;
  for (int i = 0; i < 300; ++i) long_text += "Is it down again? Kudos to the team. ";
  (void)DetectIntents("Title?", long_text, "en");
  (void)DetectIntents("", "激安！フォロワー募集中、どなたかおすすめ教えてください？", "ja");
  (void)DetectIntents("", "¿Alguien me recomienda una herramienta? #empleo", "es");
  const std::vector<IntentLabel> again = DetectIntents("", text, "en");
  ASSERT_EQ(again.size(), first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(again[i].label, first[i].label);
    EXPECT_EQ(again[i].confidence, first[i].confidence);
  }
}

// Japanese cues are substrings: found anywhere, each counted once, in the
// same way whichever comes first in the text.
TEST(DetectIntentsTest, FindsJapaneseCuesAnywhere) {
  const std::vector<IntentLabel> a = DetectIntents("", "フォロワー増やします、激安です。激安！", "ja");
  const std::vector<IntentLabel> b = DetectIntents("", "激安です、フォロワー増やします。", "ja");
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].label, b[i].label);
    EXPECT_EQ(a[i].confidence, b[i].confidence);
  }
  EXPECT_TRUE(Has("激安です、フォロワー増やします。", "ja", kIntentSpam));
  EXPECT_FALSE(Has("今日は良い天気です。", "ja", kIntentSpam));
}

// A hashtag cue is the tag's whole first word, in any case and any script.
TEST(DetectIntentsTest, ReadsHashtagCuesWhole) {
  EXPECT_TRUE(Has("Platform team grows. #Hiring!", "en", kIntentJobPost));
  EXPECT_TRUE(Has("Platform team grows #HIRING", "en", kIntentJobPost));
  EXPECT_TRUE(Has("エンジニア #求人", "ja", kIntentJobPost));
  EXPECT_FALSE(Has("Platform team grows #hiringé", "en", kIntentJobPost));    // another word
  EXPECT_FALSE(Has("Platform team grows #hiringnow", "en", kIntentJobPost));  // another word
  EXPECT_FALSE(Has("Platform team grows # hiring", "en", kIntentJobPost));    // no tag
}

// ---- Scoring -----------------------------------------------------------------------

struct Counts {
  int tp = 0;
  int fp = 0;
  int fn = 0;
  double Precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
  double Recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
};

class Scorer {
 public:
  void Add(const std::set<std::string>& truth, const std::set<std::string>& got) {
    for (std::string_view label : IntentLabels()) {
      std::string l(label);
      bool t = truth.count(l) > 0;
      bool g = got.count(l) > 0;
      Counts& c = counts_[l];
      if (t && g) ++c.tp;
      if (!t && g) ++c.fp;
      if (t && !g) ++c.fn;
    }
  }
  const Counts& operator[](std::string_view label) { return counts_[std::string(label)]; }
  // Prints the table (the figures docs/ENRICHMENT.md quotes).
  void Print(const char* title) {
    std::printf("%s\n%-24s %9s %9s %6s %6s %6s\n", title, "label", "precision", "recall", "tp", "fp", "fn");
    for (std::string_view label : IntentLabels()) {
      const Counts& c = counts_[std::string(label)];
      std::printf("%-24s %9.3f %9.3f %6d %6d %6d\n", std::string(label).c_str(), c.Precision(), c.Recall(), c.tp, c.fp,
                  c.fn);
    }
  }

 private:
  std::map<std::string, Counts> counts_;
};

std::set<std::string> Split(std::string_view labels) {
  std::set<std::string> out;
  for (std::string_view l : earshot::Split(labels, ',')) {
    l = TrimAscii(l);
    if (!l.empty() && l != "-") out.insert(std::string(l));
  }
  return out;
}

// Reads every mention file the simulator wrote under `dir`, keyed by id.
std::map<std::string, Mention> ReadSimulatedMentions(const std::string& dir) {
  std::map<std::string, Mention> out;
  for (const char* sub : {"x", "mastodon", "feeds", "hn", "reddit", "csv"}) {
    Result<std::vector<std::string>> files = ingest::ExpandPaths({dir + "/" + sub});
    if (!files.ok()) continue;  // a format the run did not produce
    for (const std::string& f : *files) {
      RecordCollector sink;
      Status st = ingest::ReadInput(f, {}, sink);
      EXPECT_TRUE(st.ok()) << f << ": " << st.ToString();
      EXPECT_TRUE(sink.rejects.empty()) << f << ": " << sink.rejects.front().reason;
      for (RecordCollector::Reported& r : sink.mentions) {
        ingest::NormalizeMention(r.mention);
        std::string id = r.mention.id;
        out.emplace(std::move(id), std::move(r.mention));
      }
    }
  }
  return out;
}

// The simulator's posts come from templates in five languages: far easier
// than real posts (see IntentRealTest below), but every label has
// hundreds of examples and the truth is exact. Measured at this seed and
// size: precision 0.80 (praise) to 1.00 (spam), recall 0.95 to 1.00.
// Praise precision is the lowest because the simulator appends tails such as
// "Impressed." or "Highly recommend." to announcements and shares it does not
// label praise.
TEST(IntentSimulatedTest, MeetsPrecisionAndRecallFloorsOnTheGroundTruth) {
  TempDir dir;
  sim::SimOptions options;
  options.seed = 11;
  options.mentions = 10'000;
  options.days = 3;
  options.out_dir = dir.str() + "/world";
  Result<sim::SimSummary> summary = sim::Simulate(options);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();

  std::map<std::string, Mention> mentions = ReadSimulatedMentions(options.out_dir);
  ASSERT_EQ(mentions.size(), 10'000u);
  std::ifstream truth(options.out_dir + "/truth/mentions.jsonl");
  ASSERT_TRUE(truth.good());
  Scorer scorer;
  std::string line;
  int scored = 0;
  while (std::getline(truth, line)) {
    nlohmann::json j = nlohmann::json::parse(line);
    auto it = mentions.find(j.at("id").get<std::string>());
    ASSERT_NE(it, mentions.end()) << j.at("id");
    std::set<std::string> expected;
    for (const auto& l : j.at("intent")) expected.insert(l.get<std::string>());
    const Mention& m = it->second;
    scorer.Add(expected, Labels(m.title, m.text, ResolveLanguage(m).code));
    ++scored;
  }
  ASSERT_EQ(scored, 10'000);
  scorer.Print("simulator ground truth, seed 11, 10,000 mentions");
  for (std::string_view label : IntentLabels()) {
    const Counts& c = scorer[label];
    EXPECT_GT(c.tp + c.fn, 100) << label;  // every label occurs
    EXPECT_GE(c.Precision(), label == kIntentPraise ? 0.75 : 0.8) << label;
    EXPECT_GE(c.Recall(), 0.8) << label;
  }
}

// Real posts labelled by hand (intent_real_cases.tsv): tweets, Reddit and
// Hacker News posts, homelab forum threads, marketing blog articles. The
// floors sit a little under what was measured (question 0.75/0.90,
// complaint 0.76/0.65, recommendation request 0.67/0.55, comparison
// 0.57/0.36, praise 0.45/0.38): rules catch the explicit cues and miss
// sarcasm, context and implicit comparisons.
TEST(IntentRealTest, MeetsFloorsOnHandLabelledRealPosts) {
  std::ifstream in(std::string(EARSHOT_SOURCE_DIR) + "/tests/enrich/intent_real_cases.tsv");
  ASSERT_TRUE(in.good());
  std::map<std::string, std::map<std::string, Mention>> files;
  Scorer scorer;
  std::string line;
  int line_no = 0;
  int cases = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string_view> f = earshot::Split(line, '\t');
    ASSERT_EQ(f.size(), 4u) << "intent_real_cases.tsv:" << line_no;
    std::string file(f[0]);
    if (!files.count(file)) {
      RecordCollector sink;
      ASSERT_OK(ingest::ReadInput(SharedData(file), {}, sink));
      for (RecordCollector::Reported& r : sink.mentions) {
        ingest::NormalizeMention(r.mention);
        std::string id = r.mention.id;
        files[file].emplace(std::move(id), std::move(r.mention));
      }
    }
    auto it = files[file].find(std::string(f[1]));
    ASSERT_NE(it, files[file].end()) << "intent_real_cases.tsv:" << line_no << ": no " << f[1] << " in " << file;
    const Mention& m = it->second;
    scorer.Add(Split(f[2]), Labels(m.title, m.text, ResolveLanguage(m).code));
    ++cases;
  }
  EXPECT_EQ(cases, 164);
  scorer.Print("hand-labelled real posts, 164 cases");
  EXPECT_GE(scorer[kIntentQuestion].Precision(), 0.7);
  EXPECT_GE(scorer[kIntentQuestion].Recall(), 0.85);
  EXPECT_GE(scorer[kIntentComplaint].Precision(), 0.7);
  EXPECT_GE(scorer[kIntentComplaint].Recall(), 0.6);
  EXPECT_GE(scorer[kIntentRecommendationRequest].Precision(), 0.6);
  EXPECT_GE(scorer[kIntentRecommendationRequest].Recall(), 0.5);
  EXPECT_GE(scorer[kIntentComparison].Precision(), 0.5);
  EXPECT_GE(scorer[kIntentComparison].Recall(), 0.3);
  EXPECT_GE(scorer[kIntentPraise].Precision(), 0.4);
  EXPECT_GE(scorer[kIntentPraise].Recall(), 0.35);
  EXPECT_EQ(scorer[kIntentJobPost].tp, 1);  // the Hacker News job ad
  EXPECT_EQ(scorer[kIntentJobPost].fp, 0);  // not the blog article about hiring
}

}  // namespace
}  // namespace earshot::enrich
