// Unit tests of the simulator's building blocks: random numbers, alias
// tables, the hand-written formatting and escaping, ids, seasonality and
// option checks. Expected strings are written out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/time.h"
#include "sim/huge_pages.h"
#include "sim/out_buffer.h"
#include "sim/process.h"
#include "sim/random.h"
#include "sim/sim.h"
#include "sim/world.h"
#include "sim/writers.h"
#include "testutil.h"

namespace earshot::sim {
namespace {

using ::earshot::testing::TempDir;

TEST(RngTest, SameSeedAndStreamGiveTheSameSequence) {
  Rng a(42, 7), b(42, 7), c(42, 8), d(43, 7);
  int differ_stream = 0, differ_seed = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differ_stream += x != c.Next();
    differ_seed += x != d.Next();
  }
  EXPECT_EQ(differ_stream, 100);
  EXPECT_EQ(differ_seed, 100);
}

TEST(RngTest, BelowAndBetweenStayInRange) {
  Rng rng(1);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 7000; ++i) {
    const uint64_t v = rng.Below(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
    const int64_t w = rng.Between(-3, 3);
    ASSERT_GE(w, -3);
    ASSERT_LE(w, 3);
  }
  for (int count : seen) EXPECT_GT(count, 800);  // ~1000 each
}

TEST(RngTest, PoissonAndNormalHaveTheirMoments) {
  Rng rng(9);
  for (double mean : {0.3, 2.5, 25.0, 400.0}) {
    double sum = 0, sq = 0;
    const int n = 40000;
    for (int i = 0; i < n; ++i) {
      const double k = static_cast<double>(rng.Poisson(mean));
      sum += k;
      sq += k * k;
    }
    const double m = sum / n, var = sq / n - m * m;
    EXPECT_NEAR(m, mean, 4 * std::sqrt(mean / n) + 1e-3) << "mean " << mean;
    EXPECT_NEAR(var / mean, 1.0, 0.06) << "mean " << mean;
  }
  double sum = 0, sq = 0;
  for (int i = 0; i < 40000; ++i) {
    const double z = rng.Normal();
    sum += z;
    sq += z * z;
  }
  EXPECT_NEAR(sum / 40000, 0.0, 0.02);
  EXPECT_NEAR(sq / 40000, 1.0, 0.03);
  EXPECT_EQ(rng.Poisson(0), 0);
  EXPECT_EQ(rng.Poisson(-1), 0);
}

TEST(RngTest, ExpNegativeMatchesExp) {
  for (double x = 0; x < 60; x += 0.37) {
    EXPECT_NEAR(ExpNegative(x) / std::exp(-x), 1.0, 1e-5) << x;
    EXPECT_NEAR(Exp(x) / std::exp(x), 1.0, 1e-5) << x;
    EXPECT_NEAR(Exp(-x) / std::exp(-x), 1.0, 1e-5) << x;
  }
  EXPECT_EQ(ExpNegative(1e6), 0.0);
}

TEST(AliasTableTest, DrawsInProportionToWeights) {
  const std::vector<double> weights = {1, 0, 3, 6};
  AliasTable table(weights);
  ASSERT_EQ(table.size(), 4u);
  Rng rng(3);
  std::vector<int> seen(4, 0);
  const int n = 100000;
  for (int i = 0; i < n; ++i) ++seen[table.Sample(rng)];
  EXPECT_EQ(seen[1], 0);
  EXPECT_NEAR(seen[0] / double(n), 0.1, 0.006);
  EXPECT_NEAR(seen[2] / double(n), 0.3, 0.006);
  EXPECT_NEAR(seen[3] / double(n), 0.6, 0.006);
}

TEST(AliasTableTest, SampleBitsIsSampleSplitInTwo) {
  const std::vector<double> weights = {5, 1, 0, 2, 7};
  AliasTable table(weights);
  Rng a(9), b(9);
  for (int i = 0; i < 1000; ++i) {
    const uint64_t bits = b.Next();
    table.Prefetch(bits);
    ASSERT_EQ(table.Sample(a), table.SampleBits(bits));
  }
}

TEST(AliasTableTest, AllZeroWeightsGiveAnEmptyTable) {
  EXPECT_TRUE(AliasTable(std::vector<double>{0, 0}).empty());
  EXPECT_TRUE(AliasTable(std::vector<double>{}).empty());
}

std::string Uint(uint64_t v) {
  OutBuffer b;
  b.PutUint(v);
  return std::string(b.view());
}

TEST(OutBufferTest, FormatsIntegers) {
  EXPECT_EQ(Uint(0), "0");
  EXPECT_EQ(Uint(9), "9");
  EXPECT_EQ(Uint(10), "10");
  EXPECT_EQ(Uint(99), "99");
  EXPECT_EQ(Uint(100), "100");
  EXPECT_EQ(Uint(999), "999");
  EXPECT_EQ(Uint(1000), "1000");
  EXPECT_EQ(Uint(1024), "1024");
  EXPECT_EQ(Uint(9999999999ULL), "9999999999");
  EXPECT_EQ(Uint(10000000000ULL), "10000000000");
  EXPECT_EQ(Uint(2007965272991928320ULL), "2007965272991928320");
  EXPECT_EQ(Uint(18446744073709551615ULL), "18446744073709551615");
  for (uint64_t p = 1; p < 10000000000000000000ULL; p *= 10) {
    EXPECT_EQ(Uint(p), std::to_string(p));
    EXPECT_EQ(Uint(p - 1), std::to_string(p - 1));
  }
  OutBuffer b;
  b.PutInt(-42);
  b.Put(' ');
  b.PutInt(INT64_MIN);
  b.Put(' ');
  b.PutFixed(3.14159, 4);
  b.Put(' ');
  b.PutFixed(-0.5, 2);
  b.Put(' ');
  b.PutPadded(42, 5);
  EXPECT_EQ(b.view(), "-42 -9223372036854775808 3.1416 -0.50 00042");
}

TEST(OutBufferTest, EscapesJsonXmlHtmlAndCsv) {
  OutBuffer j;
  j.PutJsonEscaped("a\"b\\c\nd\te\x01 München 🚀");
  EXPECT_EQ(j.view(), "a\\\"b\\\\c\\nd\\te\\u0001 München 🚀");
  OutBuffer x;
  x.PutXmlEscaped("AT&T <b> \"q\" 'a'\x02");
  EXPECT_EQ(x.view(), "AT&amp;T &lt;b&gt; &quot;q&quot; &apos;a&apos;");
  OutBuffer h;
  h.PutHtmlEscaped("it's <a> & \"b\"");
  EXPECT_EQ(h.view(), "it&#x27;s &lt;a&gt; &amp; &quot;b&quot;");
  OutBuffer c;
  c.PutCsvField("plain");
  c.Put('|');
  c.PutCsvField("a,b");
  c.Put('|');
  c.PutCsvField("say \"hi\"");
  c.Put('|');
  c.PutCsvField("two\nlines");
  c.Put('|');
  c.PutCsvField(" padded");
  c.Put('|');
  c.PutCsvField("");
  EXPECT_EQ(c.view(), "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\" padded\"|");
}

TEST(OutBufferTest, CleanJsonPrefixFindsTheFirstByteToEscape) {
  // Against a byte-at-a-time reference, on strings long enough for the
  // 16-byte scan, with UTF-8 around (its bytes are negative as signed chars).
  const std::string specials = std::string("\"\\&<>\x01\x1f\n\t", 9);
  Rng rng(17);
  for (int round = 0; round < 3000; ++round) {
    std::string s;
    const int len = static_cast<int>(rng.Below(70));
    for (int i = 0; i < len; ++i) {
      const uint64_t kind = rng.Below(10);
      if (kind == 0) {
        s += specials[rng.Below(specials.size())];
      } else if (kind == 1) {
        s += "ü";
      } else {
        s += static_cast<char>('a' + rng.Below(26));
      }
    }
    for (bool html : {false, true}) {
      size_t expected = 0;
      while (expected < s.size()) {
        const unsigned char c = static_cast<unsigned char>(s[expected]);
        if (c < 0x20 || c == '"' || c == '\\' || (html && (c == '&' || c == '<' || c == '>'))) break;
        ++expected;
      }
      ASSERT_EQ(CleanJsonPrefix(s.data(), s.size(), html), expected) << s << " html=" << html;
    }
  }
}

TEST(OutBufferTest, FormatsDates) {
  OutBuffer b;
  b.PutRfc3339(0);
  b.Put(' ');
  b.PutRfc3339(1'767'571'200'000);  // the default start
  b.Put(' ');
  b.PutRfc3339(1'709'164'800'123);  // 2024-02-29, a leap day
  b.Put(' ');
  b.PutRfc3339Seconds(1'767'657'599'999);
  b.Put(' ');
  b.PutRfc822(1'767'571'200'000);
  b.Put(' ');
  b.PutRfc822(1'709'251'199'000);
  EXPECT_EQ(b.view(),
            "1970-01-01T00:00:00.000Z 2026-01-05T00:00:00.000Z 2024-02-29T00:00:00.123Z 2026-01-05T23:59:59Z "
            "Mon, 05 Jan 2026 00:00:00 +0000 Thu, 29 Feb 2024 23:59:59 +0000");
  // Agrees with the core formatter and parsers across the years, through
  // one buffer (its per-day and per-minute caches) and fresh ones.
  Rng rng(5);
  OutBuffer shared;
  int64_t ms_seq = 1'767'571'190'000;
  for (int i = 0; i < 3000; ++i) {
    ms_seq += rng.Between(0, 40'000);  // runs of the same minute, day changes
    shared.clear();
    shared.PutRfc3339(ms_seq);
    ASSERT_EQ(shared.view(), FormatRfc3339(ms_seq));
  }
  for (int i = 0; i < 2000; ++i) {
    const int64_t ms = rng.Between(0, 4'102'444'800'000);  // to 2100
    shared.clear();
    shared.PutRfc3339(ms);
    ASSERT_EQ(shared.view(), FormatRfc3339(ms));
    OutBuffer one;
    one.PutRfc3339(ms);
    ASSERT_EQ(one.view(), FormatRfc3339(ms));
    OutBuffer rss;
    rss.PutRfc822(ms);
    Result<int64_t> back = ParseRfc822(rss.view());
    ASSERT_TRUE(back.ok()) << rss.view();
    ASSERT_EQ(*back, ms / 1000 * 1000) << rss.view();
  }
}

TEST(OutBufferTest, GrowsPastItsInitialCapacity) {
  OutBuffer b(64);
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    b.PutUint(static_cast<uint64_t>(i));
    b.Put(',');
    expected += std::to_string(i) + ",";
  }
  EXPECT_EQ(b.view(), expected);
}

TEST(FileSinkTest, WritesAndReportsAnUnwritablePath) {
  TempDir dir;
  const std::string path = dir.str() + "/out.txt";
  Result<std::unique_ptr<FileSink>> sink = FileSink::Open(path);
  ASSERT_TRUE(sink.ok());
  {
    BufferedWriter w(**sink, 8);
    w.buf().Put("hello, ");
    w.MaybeFlush();
    w.buf().Put("world");
    w.Flush();
    EXPECT_OK(w.status());
    EXPECT_EQ(w.bytes_written(), 12);
  }
  EXPECT_OK((*sink)->Close());
  EXPECT_EQ(::earshot::testing::ReadFileOrDie(path), "hello, world");
  Result<std::unique_ptr<FileSink>> bad = FileSink::Open(dir.str() + "/missing/dir/out.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kIOError);
  EXPECT_NE(bad.status().message().find("missing/dir/out.txt"), std::string::npos);
}

TEST(FileSinkTest, AppendsInAppendMode) {
  TempDir dir;
  const std::string path = dir.str() + "/a.txt";
  for (FileMode mode : {FileMode::kTruncate, FileMode::kAppend, FileMode::kAppend}) {
    Result<std::unique_ptr<FileSink>> sink = FileSink::Open(path, mode);
    ASSERT_TRUE(sink.ok());
    EXPECT_OK((*sink)->Write(mode == FileMode::kTruncate ? "one" : "+more"));
    EXPECT_OK((*sink)->Close());
  }
  EXPECT_EQ(::earshot::testing::ReadFileOrDie(path), "one+more+more");
}

TEST(OutputsTest, BurstFilesAppendAcrossBurstsAndCountRecords) {
  TempDir dir;
  Outputs out(dir.str());
  BurstFile f;
  f.rel = "feeds/site.example.xml";
  f.buf.Put("<a>");
  out.Append(f);
  EXPECT_TRUE(f.buf.empty());
  f.buf.Put("<b/>");
  f.records = 2;
  out.Append(f);
  f.buf.Put("</a>");
  out.Close(f);
  EXPECT_OK(out.status());
  EXPECT_EQ(::earshot::testing::ReadFileOrDie(dir.str() + "/feeds/site.example.xml"), "<a><b/></a>");
  EXPECT_EQ(out.per_file().at("feeds/site.example.xml"), 2);
  EXPECT_EQ(out.bytes(), 11);
}

TEST(SalesforceIdTest, AddsTheCaseChecksum) {
  // Published examples of 15- to 18-character conversion.
  EXPECT_EQ(SalesforceId18("0015000000Gv7qJ"), "0015000000Gv7qJAAR");
  EXPECT_EQ(SalesforceId18("a0D30000001n7Pi"), "a0D30000001n7PiEAI");
  EXPECT_EQ(SalesforceId18("001A0000006Vm9r"), "001A0000006Vm9rIAC");
  const std::string id = SalesforceId("003", 12345);
  ASSERT_EQ(id.size(), 18u);
  EXPECT_EQ(id.substr(0, 3), "003");
  EXPECT_EQ(SalesforceId18(id.substr(0, 15)), id);
  EXPECT_NE(SalesforceId("003", 1), SalesforceId("003", 2));
}

TEST(Base36Test, EncodesRedditIds) {
  EXPECT_EQ(Base36(0), "0");
  EXPECT_EQ(Base36(35), "z");
  EXPECT_EQ(Base36(36), "10");
  EXPECT_EQ(Base36(1'000'000), "lfls");
}

TEST(SeasonalityTest, NightsAreQuieterThanWorkdays) {
  const int64_t monday = 1'767'571'200'000;  // 2026-01-05T00:00Z
  const int64_t hour = 3'600'000;
  // UTC+1 (Munich): 04:00 local is 03:00Z, 11:00 local is 10:00Z.
  EXPECT_LT(Seasonality(monday + 3 * hour, 60), 0.15);
  EXPECT_GT(Seasonality(monday + 10 * hour, 60), 1.0);
  // Saturday at 11:00 local is quieter than Monday at 11:00.
  EXPECT_LT(Seasonality(monday + 5 * 24 * hour + 10 * hour, 60), 0.6 * Seasonality(monday + 10 * hour, 60));
  // US West (UTC-8): 11:00 local is 19:00Z.
  EXPECT_GT(Seasonality(monday + 19 * hour, -480), Seasonality(monday + 11 * hour, -480) * 5);
}

TEST(ValidateOptionsTest, NamesTheBadField) {
  SimOptions o;
  o.out_dir = "/tmp/x";
  EXPECT_OK(ValidateOptions(o));
  struct Case {
    void (*mutate)(SimOptions&);
    const char* field;
  } cases[] = {
      {[](SimOptions& s) { s.mentions = 0; }, "mentions"},
      {[](SimOptions& s) { s.days = 0; }, "days"},
      {[](SimOptions& s) { s.days = 4000; }, "days"},
      {[](SimOptions& s) { s.start_ms = 0; }, "start_ms"},
      {[](SimOptions& s) { s.out_dir.clear(); }, "out_dir"},
      {[](SimOptions& s) { s.competitors = 9; }, "competitors"},
      {[](SimOptions& s) { s.products_per_company = 1; }, "products_per_company"},
      {[](SimOptions& s) { s.topics = 12; }, "topics"},
      {[](SimOptions& s) { s.people = 5; }, "people"},
      {[](SimOptions& s) { s.accounts = 3; }, "accounts"},
      {[](SimOptions& s) { s.languages = {"en", "xx"}; }, "languages"},
      {[](SimOptions& s) { s.languages = {"de"}; }, "languages"},
      {[](SimOptions& s) { s.yearly_growth = -2; }, "yearly_growth"},
  };
  for (const Case& c : cases) {
    SimOptions bad = o;
    c.mutate(bad);
    const Status s = ValidateOptions(bad);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << c.field;
    EXPECT_NE(s.message().find(c.field), std::string::npos) << s.message();
  }
  SimOptions stream = o;
  stream.out_dir.clear();
  EXPECT_OK(ValidateOptions(stream, /*needs_out_dir=*/false));
}

TEST(SimulateTest, RefusesANonEmptyDirectoryUnlessOverwriting) {
  TempDir dir;
  std::ofstream(dir.path() / "keep.txt") << "user data";
  SimOptions o;
  o.out_dir = dir.str();
  o.mentions = 300;
  o.days = 2;
  Result<SimSummary> r = Simulate(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  o.overwrite = true;
  ASSERT_TRUE(Simulate(o).ok());
  // Overwriting touches only the simulator's own directories.
  EXPECT_EQ(::earshot::testing::ReadFileOrDie((dir.path() / "keep.txt").string()), "user data");
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "truth" / "mentions.jsonl"));
}

TEST(WorldTest, BuildsADistinctVendorAndCompetitors) {
  SimOptions o;
  o.mentions = 5000;
  o.competitors = 5;
  const World w = BuildWorld(o);
  ASSERT_EQ(w.companies.size(), 6u);
  EXPECT_TRUE(w.companies[0].vendor);
  for (size_t i = 0; i < w.companies.size(); ++i) {
    EXPECT_EQ(w.companies[i].products.size(), 3u);
    for (size_t j = i + 1; j < w.companies.size(); ++j) EXPECT_NE(w.companies[i].name, w.companies[j].name);
    EXPECT_TRUE(w.companies[i].domain.ends_with(".example"));
  }
  EXPECT_EQ(w.watches.size(), 6u + 18u + 6u);
  for (const Watch& watch : w.watches) EXPECT_FALSE(watch.query.empty()) << watch.name;
  EXPECT_GE(w.people.size(), 1500u);
  EXPECT_EQ(w.hot.size(), w.people.size());
}

TEST(WorldTest, ReactionPoolsHoldOnlyPeopleOnThePlatform) {
  SimOptions o;
  o.mentions = 5000;
  const World w = BuildWorld(o);
  Rng rng(5);
  for (Platform pl : {Platform::kX, Platform::kMastodon, Platform::kHn, Platform::kReddit}) {
    const AliasTable& pool = w.by_lang_on[static_cast<int>(Lang::kEn)][static_cast<int>(pl)];
    ASSERT_FALSE(pool.empty());
    for (int i = 0; i < 500; ++i) {
      const PersonHot& p = w.hot[static_cast<size_t>(pool.Sample(rng))];
      ASSERT_TRUE(p.On(pl));
      ASSERT_EQ(p.lang, Lang::kEn);
    }
  }
  for (const AliasTable& pool : w.by_region_x) {
    for (int i = 0; !pool.empty() && i < 200; ++i) ASSERT_TRUE(w.hot[static_cast<size_t>(pool.Sample(rng))].On(Platform::kX));
  }
}

TEST(HugePageAllocatorTest, AlignsLargeAllocationsAndServesSmallOnes) {
  std::vector<uint64_t, HugePageAllocator<uint64_t>> large(kHugePageThreshold / sizeof(uint64_t) + 1, 7);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(large.data()) % kHugePageBytes, 0u);
  EXPECT_EQ(large.back(), 7u);
  std::vector<uint64_t, HugePageAllocator<uint64_t>> small(100, 3);
  small.resize(200, 4);
  EXPECT_EQ(small[99], 3u);
  EXPECT_EQ(small[199], 4u);
}

}  // namespace
}  // namespace earshot::sim
