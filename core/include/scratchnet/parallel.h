#pragma once
// A small fixed-size thread pool. The same code runs natively (std::thread) and under
// Emscripten pthreads. Work is split into numbered tasks; results must never depend on which
// thread ran a task, so that runs are bit-identical for a given thread count.
#include <functional>
#include <memory>

namespace sn {

class ThreadPool {
 public:
  // threads >= 1. With 1 thread every task runs inline on the caller (no threads are started).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const;

  // Calls fn(task) for every task in [0, tasks), spread over the pool's threads (the caller
  // works too), and returns when all are done. A run() called from inside a task runs inline.
  // An exception thrown by fn is rethrown here after all tasks finished.
  void run(int tasks, const std::function<void(int task)>& fn);

  // Number of hardware threads (>= 1).
  static int hardware_threads();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sn
