// ThreadPool: every task runs exactly once, exceptions reach the caller, the pool survives
// many back-to-back jobs (the layers' usage pattern), and a 1-thread pool runs inline.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "scratchnet/parallel.h"

namespace {

TEST(ThreadPool, EveryTaskRunsOnce) {
  for (int threads : {1, 2, 3, 4}) {
    sn::ThreadPool pool(threads);
    EXPECT_EQ(pool.size(), threads);
    for (int tasks : {0, 1, 2, 3, 7, 64, 1000}) {
      std::vector<std::atomic<int>> hits(tasks);
      pool.run(tasks, [&](int t) { hits[t].fetch_add(1); });
      for (int t = 0; t < tasks; ++t) EXPECT_EQ(hits[t].load(), 1) << "task " << t;
    }
  }
}

TEST(ThreadPool, ExceptionIsRethrownAfterAllTasks) {
  for (int threads : {1, 3}) {
    sn::ThreadPool pool(threads);
    std::atomic<int> ran{0};
    EXPECT_THROW(pool.run(50,
                          [&](int t) {
                            ran.fetch_add(1);
                            if (t == 17) throw std::runtime_error("task 17 failed");
                          }),
                 std::runtime_error);
    EXPECT_EQ(ran.load(), 50);
    // The pool is still usable afterwards and does not rethrow a stale error.
    std::atomic<int> again{0};
    pool.run(10, [&](int) { again.fetch_add(1); });
    EXPECT_EQ(again.load(), 10);
  }
}

TEST(ThreadPool, ExceptionMessageIsKept) {
  sn::ThreadPool pool(2);
  try {
    pool.run(4, [](int t) {
      if (t == 3) throw std::invalid_argument("bad task");
    });
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "bad task");
  }
}

TEST(ThreadPool, ManyShortJobsInARow) {
  sn::ThreadPool pool(3);
  long total = 0;
  std::vector<long> part(8);
  for (int job = 0; job < 20000; ++job) {
    const int tasks = 1 + job % 8;
    pool.run(tasks, [&](int t) { part[t] = job + t; });
    for (int t = 0; t < tasks; ++t) total += part[t] - job - t;
  }
  EXPECT_EQ(total, 0);
}

TEST(ThreadPool, WorksAfterIdleSleep) {
  // Long enough for the workers to stop spinning and block; they must wake for the next job.
  sn::ThreadPool pool(2);
  std::atomic<int> n{0};
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    pool.run(16, [&](int) { n.fetch_add(1); });
  }
  EXPECT_EQ(n.load(), 48);
}

TEST(ThreadPool, OneThreadRunsInlineInOrder) {
  sn::ThreadPool pool(1);
  const auto caller = std::this_thread::get_id();
  std::vector<int> order;
  pool.run(5, [&](int t) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(t);
  });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(ThreadPool, UsesMoreThanOneThread) {
  sn::ThreadPool pool(2);
  std::atomic<int> other{0};
  const auto caller = std::this_thread::get_id();
  // Tasks long enough that the caller cannot take them all before the worker wakes. Up to 2000
  // attempts (>= 16 s): on a busy machine the woken worker can wait many time slices for a core.
  for (int attempt = 0; attempt < 2000 && other.load() == 0; ++attempt) {
    pool.run(8, [&](int) {
      if (std::this_thread::get_id() != caller) other.fetch_add(1);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
  }
  EXPECT_GT(other.load(), 0);
}

TEST(ThreadPool, NestedRunExecutesInline) {
  // The contract says fn must not call run(); if it does anyway (a gemm inside a per-sample
  // task), the inner job runs inline on that thread instead of deadlocking.
  sn::ThreadPool pool(2);
  std::vector<std::atomic<int>> hits(8 * 5);
  pool.run(
      8, [&](int outer) { pool.run(5, [&](int inner) { hits[outer * 5 + inner].fetch_add(1); }); });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPool, HardwareThreadsIsPositive) { EXPECT_GE(sn::ThreadPool::hardware_threads(), 1); }

}  // namespace
