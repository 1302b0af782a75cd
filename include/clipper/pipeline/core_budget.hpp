#pragma once
// The cores of one run, shared by analysers and encoders. A core is kept for each analyser that has
// a video to analyse, now or soon (reserved, so that an encode starting between two videos does not
// take it); an encode is granted the cores neither kept nor held by other encodes, and every core
// when no work waits behind it (the last clips of a batch), so that no core idles while work is
// left. Thread-safe.
#include <mutex>

namespace clipper::pipeline {

class CoreBudget {
 public:
  // fixed_threads > 0: every encode gets exactly that many (an explicit --threads-per-encoder).
  CoreBudget(int cores, int analysers, int fixed_threads = 0);

  // Cores taken until it is destroyed. Move-only.
  class Lease {
   public:
    Lease(CoreBudget& budget, int cores) : m_budget(&budget), m_cores(cores) {}
    Lease(Lease&& other) noexcept : m_budget(other.m_budget), m_cores(other.m_cores) { other.m_budget = nullptr; }
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    int cores() const { return m_cores; }

   private:
    CoreBudget* m_budget;
    int m_cores;
  };

  // videos_to_analyse: those being analysed or not started yet. starting_with_it: other clips that
  // start at the same moment (an encoder is free for each): a core is kept for each of them.
  Lease grant_for_encoding(bool work_waiting, long videos_to_analyse, int starting_with_it = 0);
  int cores() const { return m_cores; }

 private:
  Lease take(int cores);
  void give_back(int cores);

  const int m_cores;
  const int m_analysers;
  const int m_fixed_threads;
  std::mutex m_mutex;
  int m_held = 0;
};

}  // namespace clipper::pipeline
