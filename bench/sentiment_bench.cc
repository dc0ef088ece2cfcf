// Sentiment figures, measured side by side in one run: accuracy of both modes
// (Pearson r on VADER's four ground-truth files, 3-class macro-F1 on the
// Sanders tech-brand tweets) and throughput of Earshot's scorer against NLTK's
// VADER port (bench/nltk_vader_peer.py, run as a subprocess on the same
// texts). Single-threaded on both sides, on the same CPU.
//
//   build/release/bench/sentiment_bench [--texts N] [--data DIR] [--no-peer]
//       [--only vader|b2b] [--kernel avx512|avx512bw|avx2|baseline] [--cpu N]
//       [--min-seconds S]
//
// DIR defaults to ../shared/data next to the source tree; N (default
// 300000) is reached by repeating the 28,816 texts of the five files.
// --kernel picks the scorer's instruction-set kernel (default: the best the
// processor has); --cpu the CPU (default: the one the process starts on).
// Earshot scores the N texts in passes for S CPU-seconds per mode (default
// 4), half of them before the peer runs and half after, so that its rate,
// like the peer's over its one long pass, is an average over seconds on
// both sides of the peer's: one pass takes a tenth of a second, and this
// VM's neighbours can cost a third for a minute or two.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sched.h>
#include <unistd.h>

#include "enrich/sentiment.h"
#include "enrich/sentiment_eval.h"

namespace earshot::enrich {
namespace {

constexpr const char* kGroundTruthFiles[] = {"tweets_GroundTruth.txt", "amazonReviewSnippets_GroundTruth.txt",
                                             "movieReviewSnippets_GroundTruth.txt",
                                             "nytEditorialSnippets_GroundTruth.txt"};

struct Options {
  std::string data_dir = EARSHOT_SHARED_DATA;
  size_t texts = 300000;
  bool peer = true;
  std::string kernel;  // scoring kernel; empty: the processor's best
  std::string only;  // time one mode ("vader" or "b2b"); empty: both
  int cpu = -1;      // CPU to run on; -1: the one the process starts on
  double min_seconds = 4.0;  // CPU time of Earshot's passes per mode
};

struct PipeClose {
  void operator()(FILE* f) const { pclose(f); }
};
using Pipe = std::unique_ptr<FILE, PipeClose>;

void Die(const Status& s) {
  std::cerr << "sentiment_bench: " << s.ToString() << "\n";
  std::exit(1);
}

template <typename T>
T OrDie(Result<T> r) {
  if (!r.ok()) Die(r.status());
  return std::move(r).value();
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--texts" && i + 1 < argc) {
      o.texts = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--data" && i + 1 < argc) {
      o.data_dir = argv[++i];
    } else if (a == "--no-peer") {
      o.peer = false;
    } else if (a == "--cpu" && i + 1 < argc) {
      o.cpu = std::atoi(argv[++i]);
    } else if (a == "--only" && i + 1 < argc) {
      o.only = argv[++i];
    } else if (a == "--kernel" && i + 1 < argc) {
      o.kernel = argv[++i];
    } else if (a == "--min-seconds" && i + 1 < argc) {
      o.min_seconds = std::strtod(argv[++i], nullptr);
    } else {
      std::cerr << "usage: sentiment_bench [--texts N] [--data DIR] [--no-peer] [--only vader|b2b] "
                   "[--kernel avx512|avx512bw|avx2|baseline] [--cpu N] [--min-seconds S]\n";
      std::exit(2);
    }
  }
  return o;
}

// Pins the process to `cpu` (-1: the CPU it runs on now); returns it.
int PinToCpu(int cpu) {
  if (cpu < 0) cpu = sched_getcpu();
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0) {
    std::cerr << "sentiment_bench: cannot pin to CPU " << cpu << "\n";
    std::exit(1);
  }
  return cpu;
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double ThreadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Texts scored and the CPU time (the figure compared, robust on a shared
// machine) and wall time they took, over `passes` passes.
struct Timing {
  double texts = 0.0;
  double cpu = 0.0;
  double wall = 0.0;
  int passes = 0;

  double CpuRate() const { return cpu > 0.0 ? texts / cpu : 0.0; }
  double WallRate() const { return wall > 0.0 ? texts / wall : 0.0; }
};

// Scores every text in passes until `min_seconds` of CPU time have passed
// (at least one pass) and adds them to `timing`; fills `compounds`, which
// every pass overwrites.
void TimeScorer(const SentimentScorer& scorer, const std::vector<std::string>& texts, double min_seconds,
                std::vector<double>& compounds, Timing& timing) {
  compounds.assign(texts.size(), 0.0);
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = ThreadCpuSeconds();
  double cpu = 0.0;
  do {
    for (size_t i = 0; i < texts.size(); ++i) compounds[i] = scorer.Score(texts[i]).compound;
    ++timing.passes;
    timing.texts += static_cast<double>(texts.size());
    cpu = ThreadCpuSeconds() - cpu_start;
  } while (cpu < min_seconds);
  timing.cpu += cpu;
  timing.wall += SecondsSince(start);
}

void PrintAccuracy(const SentimentScorer& vader, const SentimentScorer& b2b,
                   const std::vector<std::vector<RatedText>>& ground_truth, const std::vector<LabeledTweet>& sanders) {
  std::printf("%-40s %10s %10s\n", "accuracy", "vader", "b2b");
  for (size_t i = 0; i < ground_truth.size(); ++i) {
    std::printf("Pearson r  %-29s %10.4f %10.4f\n", kGroundTruthFiles[i], EvaluateGroundTruth(vader, ground_truth[i]),
                EvaluateGroundTruth(b2b, ground_truth[i]));
  }
  const std::pair<const char*, SandersSplit> splits[] = {{"all", SandersSplit::kAll},
                                                         {"odd records (calibration)", SandersSplit::kOddRecords},
                                                         {"even records (held out)", SandersSplit::kEvenRecords}};
  for (const auto& [name, split] : splits) {
    std::printf("Sanders macro-F1 %-23s %10.4f %10.4f\n", name, EvaluateSanders(vader, sanders, split).MacroF1(),
                EvaluateSanders(b2b, sanders, split).MacroF1());
  }
  for (const auto& [name, scorer] : {std::pair{"vader", &vader}, std::pair{"b2b", &b2b}}) {
    const Confusion c = EvaluateSanders(*scorer, sanders, SandersSplit::kAll);
    std::printf("Sanders F1 neg/neu/pos %-17s %.4f %.4f %.4f  accuracy %.4f\n", name,
                c.F1(SentimentClass::kNegative), c.F1(SentimentClass::kNeutral), c.F1(SentimentClass::kPositive),
                c.Accuracy());
  }
}

// Texts per second of CPU time and of wall time.
struct Rate {
  double cpu = 0.0;
  double wall = 0.0;
};

// Runs the NLTK peer on `path`; returns its rates (0 if it failed) and
// reads its compound scores into `scores`.
Rate RunPeer(const std::string& path, const std::string& scores_path, std::vector<double>& scores) {
  const std::string cmd = std::string("/usr/bin/python3 ") + EARSHOT_SOURCE_DIR + "/bench/nltk_vader_peer.py --lexicon " +
                          EARSHOT_SOURCE_DIR + "/data/sentiment/vader_lexicon.txt --scores " + scores_path + " " + path;
  Pipe pipe(popen(cmd.c_str(), "r"));
  if (!pipe) return {};
  char line[512];
  Rate rate;
  while (std::fgets(line, sizeof line, pipe.get()) != nullptr) {
    std::fputs(line, stdout);
    if (const char* p = std::strstr(line, "cpu_texts_per_sec=")) rate.cpu = std::strtod(p + 18, nullptr);
    if (const char* p = std::strstr(line, " texts_per_sec=")) rate.wall = std::strtod(p + 15, nullptr);
  }
  std::ifstream in(scores_path);
  scores.clear();
  for (double v; in >> v;) scores.push_back(v);
  return rate;
}

int Main(int argc, char** argv) {
  const Options opt = ParseArgs(argc, argv);
  // Both sides run on one CPU: on a virtual machine the CPUs can differ in
  // speed by a third (a busy neighbour on the other's core), and the peer, a
  // child process, inherits the affinity.
  const int cpu = PinToCpu(opt.cpu);
  if (!opt.kernel.empty() && !SetSentimentKernel(opt.kernel)) {
    std::cerr << "sentiment_bench: this processor or build has no kernel " << opt.kernel << "\n";
    return 1;
  }
  std::vector<std::vector<RatedText>> ground_truth;
  std::vector<std::string> base;
  for (const char* name : kGroundTruthFiles) {
    const std::string path = opt.data_dir + "/sentiment/" + name;
    ground_truth.push_back(OrDie(ParseGroundTruth(OrDie(ReadTextFile(path)), path)));
    for (const RatedText& r : ground_truth.back()) base.push_back(r.text);
  }
  const std::string sanders_path = opt.data_dir + "/tweets-sanders/full-corpus.csv";
  const std::vector<LabeledTweet> sanders = OrDie(ParseSandersCsv(OrDie(ReadTextFile(sanders_path)), sanders_path));
  for (const LabeledTweet& t : sanders) {
    std::string one_line = t.text;
    for (char& c : one_line) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    base.push_back(std::move(one_line));
  }

  const SentimentScorer vader = OrDie(SentimentScorer::Create(SentimentMode::kVader));
  const SentimentScorer b2b = OrDie(SentimentScorer::Create(SentimentMode::kB2B));
  PrintAccuracy(vader, b2b, ground_truth, sanders);

  std::vector<std::string> texts;
  texts.reserve(opt.texts);
  size_t bytes = 0;
  for (size_t i = 0; i < opt.texts; ++i) {
    texts.push_back(base[i % base.size()]);
    bytes += texts.back().size();
  }
  std::printf("\nthroughput: %zu texts (%zu distinct, %.1f bytes on average), one thread on CPU %d (the peer too), %s kernel\n",
              texts.size(), base.size(), static_cast<double>(bytes) / static_cast<double>(texts.size()), cpu,
              std::string(SentimentKernel()).c_str());
  std::vector<double> ours_vader;
  std::vector<double> ours_b2b;
  Timing vader_timing;
  Timing b2b_timing;
  // Half the time before the peer's run, half after (all of it without one).
  const auto time_both = [&](double seconds) {
    if (opt.only != "b2b") TimeScorer(vader, texts, seconds, ours_vader, vader_timing);
    if (opt.only != "vader") TimeScorer(b2b, texts, seconds, ours_b2b, b2b_timing);
  };
  const auto print_both = [&](const char* when) {
    if (opt.only != "b2b") {
      std::printf("earshot vader cpu_texts_per_sec=%.0f texts_per_sec=%.0f passes=%d%s\n", vader_timing.CpuRate(),
                  vader_timing.WallRate(), vader_timing.passes, when);
    }
    if (opt.only != "vader") {
      std::printf("earshot b2b   cpu_texts_per_sec=%.0f texts_per_sec=%.0f passes=%d%s\n", b2b_timing.CpuRate(),
                  b2b_timing.WallRate(), b2b_timing.passes, when);
    }
  };
  time_both(opt.peer ? opt.min_seconds / 2 : opt.min_seconds);
  if (!opt.peer) {
    print_both("");
    return 0;
  }
  print_both(" (before the peer)");

  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string texts_path = (dir / ("earshot-sentiment-bench-" + std::to_string(getpid()) + ".txt")).string();
  const std::string scores_path = texts_path + ".scores";
  {
    std::ofstream out(texts_path, std::ios::binary);
    for (const std::string& t : texts) out << t << '\n';
  }
  std::vector<double> peer_scores;
  const Rate peer_rate = RunPeer(texts_path, scores_path, peer_scores);
  std::filesystem::remove(texts_path);
  std::filesystem::remove(scores_path);
  if (peer_rate.cpu <= 0.0 || peer_scores.size() != texts.size()) {
    std::printf("peer failed (is python3-nltk installed?)\n");
    return 1;
  }
  time_both(opt.min_seconds / 2);
  print_both(" (before and after the peer)");
  const Rate vader_rate{vader_timing.CpuRate(), vader_timing.WallRate()};
  const Rate b2b_rate{b2b_timing.CpuRate(), b2b_timing.WallRate()};
  // Check the result before trusting the time: the share of texts where
  // our VADER mode and NLTK's port agree (NLTK differs from the reference
  // on some texts; docs/SENTIMENT.md).
  if (!ours_vader.empty()) {
    size_t same = 0;
    for (size_t i = 0; i < texts.size(); ++i) same += std::fabs(ours_vader[i] - peer_scores[i]) <= 1e-3;
    std::printf("agreement vader vs nltk (|diff| <= 1e-3): %.2f%%\n",
                100.0 * static_cast<double>(same) / static_cast<double>(texts.size()));
    std::printf("ratio earshot vader / nltk: %.0fx cpu, %.0fx wall\n", vader_rate.cpu / peer_rate.cpu,
                vader_rate.wall / peer_rate.wall);
  }
  if (!ours_b2b.empty()) {
    std::printf("ratio earshot b2b / nltk:   %.0fx cpu, %.0fx wall\n", b2b_rate.cpu / peer_rate.cpu,
                b2b_rate.wall / peer_rate.wall);
  }
  return 0;
}

}  // namespace
}  // namespace earshot::enrich

int main(int argc, char** argv) { return earshot::enrich::Main(argc, argv); }
