#pragma once
// The cores of one run, shared by analysers and encoders. An analysis holds one core; an encode is
// granted the cores nobody holds, and every core when no work waits behind it (the last clips of
// a batch), so that no core idles while work is left. Thread-safe.
#include <mutex>

namespace clipper::pipeline {

class CoreBudget {
 public:
  // fixed_threads > 0: every encode gets exactly that many (an explicit --threads-per-encoder).
  explicit CoreBudget(int cores, int fixed_threads = 0);

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

  Lease hold_for_analysis();
  Lease grant_for_encoding(bool work_waiting);
  int cores() const { return m_cores; }

 private:
  Lease take(int cores);
  void give_back(int cores);

  const int m_cores;
  const int m_fixed_threads;
  std::mutex m_mutex;
  int m_held = 0;
};

}  // namespace clipper::pipeline
