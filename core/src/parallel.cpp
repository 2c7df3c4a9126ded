// ThreadPool: persistent workers, created once (under Emscripten every thread start is a new
// Web Worker, far too slow to do per call). One job at a time: the caller publishes fn and a
// task count, opens a new generation, and then claims tasks itself like any worker, so a job
// never waits for a sleeping worker to wake up before it can start.
//
// Latency matters more than throughput here: lenet's GEMMs take tens of microseconds, so
// workers spin for a short while after each job before falling back to a condition variable.
//
// Generation protocol (gen_ is odd while a job is open, even when closed):
//   caller: write fn_/tasks_/next_/done_  -> gen_ = odd        (open)
//           claim tasks; wait done_ == tasks_ -> gen_ = even  (close); wait inside_ == 0
//   worker: sees odd gen g -> inside_++ -> re-check gen_ == g -> claim tasks -> inside_--
// The inside_++/gen_ load (worker) and gen_ store/inside_ load (caller) are seq_cst, so either
// the worker sees the job closed or the caller sees the worker inside and waits for it: a
// late worker can never run a task of the next job with the previous job's fn.
#include "scratchnet/parallel.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace sn {
namespace {

// Tells the core we are spinning (frees the sibling hyperthread, saves power).
inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#endif
}

// How long an idle worker keeps polling before it sleeps. Long enough to cover the gap between
// two layers' GEMMs, short enough not to burn a shared machine's cores between batches.
#if defined(__EMSCRIPTEN__)
// Shorter in wasm: there std::this_thread::yield() cannot give the core away (Emscripten's
// sched_yield only runs queued proxied calls), so the whole window is a busy spin that competes
// with the thread doing the serial work between jobs, and with whatever else runs on a shared
// machine. 50 us gives up a little two-thread speed on a quiet machine and loses far less when
// another process keeps a core busy (figures: web/scripts/bench/README.md).
constexpr auto kSpinTime = std::chrono::microseconds(50);
#else
constexpr auto kSpinTime = std::chrono::microseconds(200);
#endif
// For the first few microseconds it polls flat out (back-to-back jobs are that close), then it
// yields between polls: when the machine has fewer free cores than the pool has threads, the
// thread it is waiting for may need this very core.
constexpr auto kBusySpinTime = std::chrono::microseconds(5);

// Polls cond() for up to kSpinTime; returns whether it became true.
template <class Cond>
bool spin_until(Cond cond) {
  if (cond()) return true;
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (cond()) return true;
      cpu_relax();
    }
    const auto waited = std::chrono::steady_clock::now() - start;
    if (waited >= kSpinTime) return cond();
    if (waited >= kBusySpinTime) std::this_thread::yield();
  }
}

// The pool whose task this thread is running, if any: a run() from inside a task (a layer's
// per-sample loop calling gemm with the same pool, say) runs inline instead of corrupting the
// job in flight or waiting for itself.
thread_local const void* t_running_pool = nullptr;

}  // namespace

struct ThreadPool::Impl {
  int size = 1;
  std::vector<std::thread> workers;

  // The open job. Written by the caller only while the job is closed and no worker is inside.
  const std::function<void(int)>* fn = nullptr;
  int tasks = 0;
  std::atomic<int> next{0};  // next task index to claim
  std::atomic<int> done{0};  // tasks finished
  std::atomic<uint64_t> gen{0};
  std::atomic<int> inside{0};  // workers currently looking at the job

  std::mutex mu;
  std::condition_variable wake;      // workers sleep here between jobs
  std::condition_variable finished;  // the caller sleeps here waiting for done == tasks
  int sleepers = 0;                  // guarded by mu
  bool stop = false;                 // guarded by mu

  std::mutex error_mu;
  std::exception_ptr error;  // the first exception thrown by a task of the current job

  // Claims and runs tasks until none are left. Returns true if this call finished the last one.
  bool work() {
    bool finished_last = false;
    for (;;) {
      const int t = next.fetch_add(1, std::memory_order_relaxed);
      if (t >= tasks) break;
      try {
        t_running_pool = this;
        (*fn)(t);
        t_running_pool = nullptr;
      } catch (...) {
        t_running_pool = nullptr;
        std::lock_guard<std::mutex> lock(error_mu);
        if (!error) error = std::current_exception();
      }
      if (done.fetch_add(1, std::memory_order_acq_rel) + 1 == tasks) finished_last = true;
    }
    return finished_last;
  }

  void worker_loop() {
    uint64_t seen = 0;
    for (;;) {
      auto has_job = [&] {
        const uint64_t g = gen.load(std::memory_order_acquire);
        return (g & 1) != 0 && g != seen;
      };
      if (!spin_until(has_job)) {
        std::unique_lock<std::mutex> lock(mu);
        // gen only moves under mu when a job opens, so a job opened after this read notifies.
        const uint64_t before = gen.load(std::memory_order_acquire);
        if (!has_job()) {
          ++sleepers;
          wake.wait(lock, [&] { return stop || gen.load(std::memory_order_acquire) != before; });
          --sleepers;
        }
        if (stop) return;
        // Back to spinning rather than straight into the job: waking takes long enough that
        // the job which woke us may be finished, and the next one is then usually close.
        continue;
      }
      const uint64_t g = gen.load(std::memory_order_acquire);
      if ((g & 1) == 0 || g == seen) continue;  // closed again meanwhile; wait for the next
      seen = g;
      inside.fetch_add(1, std::memory_order_seq_cst);
      bool finished_last = false;
      if (gen.load(std::memory_order_seq_cst) == g) finished_last = work();
      inside.fetch_sub(1, std::memory_order_release);
      if (finished_last) {
        // Taking the lock orders this notify after the caller's predicate check, so the
        // wake-up cannot be lost.
        { std::lock_guard<std::mutex> lock(mu); }
        finished.notify_one();
      }
    }
  }
};

ThreadPool::ThreadPool(int threads) : impl_(std::make_unique<Impl>()) {
  impl_->size = threads < 1 ? 1 : threads;
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  impl_->size = 1;  // the single-threaded wasm build cannot start threads: run inline
#endif
  impl_->workers.reserve(impl_->size - 1);
  for (int i = 1; i < impl_->size; ++i) {
    impl_->workers.emplace_back([this] { impl_->worker_loop(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->wake.notify_all();
  for (auto& t : impl_->workers) t.join();
}

int ThreadPool::size() const { return impl_->size; }

int ThreadPool::hardware_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void ThreadPool::run(int tasks, const std::function<void(int task)>& fn) {
  if (tasks <= 0) return;
  Impl& p = *impl_;
  if (p.size == 1 || tasks == 1 || t_running_pool == &p) {
    // Inline: no hand-off is worth it. Same contract as the threaded path: every task runs,
    // the first exception is rethrown at the end.
    std::exception_ptr error;
    for (int t = 0; t < tasks; ++t) {
      try {
        fn(t);
      } catch (...) {
        if (!error) error = std::current_exception();
      }
    }
    if (error) std::rethrow_exception(error);
    return;
  }

  // Publish the job, then open it.
  p.fn = &fn;
  p.tasks = tasks;
  p.next.store(0, std::memory_order_relaxed);
  p.done.store(0, std::memory_order_relaxed);
  p.error = nullptr;
  bool anyone_asleep;
  {
    std::lock_guard<std::mutex> lock(p.mu);
    p.gen.fetch_add(1, std::memory_order_seq_cst);  // even -> odd: open
    anyone_asleep = p.sleepers > 0;
  }
  if (anyone_asleep) p.wake.notify_all();

  p.work();

  // Wait for tasks still running on workers.
  auto all_done = [&] { return p.done.load(std::memory_order_acquire) == tasks; };
  if (!spin_until(all_done)) {
    std::unique_lock<std::mutex> lock(p.mu);
    p.finished.wait(lock, all_done);
  }
  // Close the job and wait for workers that are still inside it (they only have to notice that
  // no task is left, so this is short).
  p.gen.fetch_add(1, std::memory_order_seq_cst);  // odd -> even: closed
  while (p.inside.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();

  p.fn = nullptr;
  if (p.error) {
    std::exception_ptr error = p.error;
    p.error = nullptr;
    std::rethrow_exception(error);
  }
}

}  // namespace sn
