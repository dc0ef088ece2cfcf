// Kills a writer process with SIGKILL in the middle of an ingest and checks
// that the store and its word index still agree and that every mention the
// writer saw committed is there.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <random>

#include "store/store.h"
#include "testutil.h"

namespace earshot::store {
namespace {

using earshot::testing::TempDir;

[[noreturn]] void WriterChild(const std::string& dir, int report_fd) {
  StoreOptions o;
  o.data_dir = dir;
  auto s = OpenStore(o);
  if (!s.ok()) _exit(3);
  for (int64_t batch = 0;; ++batch) {
    std::vector<Mention> ms;
    for (int i = 0; i < 500; ++i) {
      Mention m;
      m.source = "x";
      m.external_id = std::to_string(batch * 500 + i);
      m.id = "x:" + m.external_id;
      m.text = "crash test mention number " + m.external_id + " about hybrid cloud storage";
      m.created_at_ms = 1'600'000'000'000 + batch * 500 + i;
      ms.push_back(std::move(m));
    }
    if (!(*s)->WriteBatch(ms).ok()) _exit(4);
    int64_t committed = (batch + 1) * 500;
    if (write(report_fd, &committed, sizeof committed) != sizeof committed) _exit(5);
  }
}

TEST(CrashTest, KillDuringIngestLosesNoCommittedMentionAndKeepsIndexConsistent) {
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  for (int round = 0; round < 3; ++round) {
    TempDir dir;
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      WriterChild(dir.str(), fds[1]);
    }
    close(fds[1]);
    // Let it commit a random number of batches, then kill it mid-write.
    int64_t want = 1 + static_cast<int64_t>(rng() % 8);
    int64_t committed = 0;
    for (int64_t seen = 0; seen < want;) {
      ASSERT_EQ(read(fds[0], &committed, sizeof committed), static_cast<ssize_t>(sizeof committed));
      ++seen;
    }
    usleep(static_cast<useconds_t>(rng() % 20000));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    // Drain reports written after our last read: those batches committed too.
    int64_t later;
    while (read(fds[0], &later, sizeof later) == static_cast<ssize_t>(sizeof later)) committed = later;
    close(fds[0]);

    StoreOptions o;
    o.data_dir = dir.str();
    auto s = OpenStore(o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    EXPECT_OK((*s)->CheckConsistency());
    Result<StoreStats> st = (*s)->Stats();
    ASSERT_TRUE(st.ok());
    EXPECT_GE(st->mentions, committed);
    EXPECT_EQ(st->mentions % 500, 0) << "a batch was half committed";
    for (int64_t id : {int64_t{0}, committed / 2, committed - 1}) {
      EXPECT_TRUE((*s)->Get("x:" + std::to_string(id)).ok()) << "lost committed mention x:" << id;
    }
  }
}

}  // namespace
}  // namespace earshot::store
