#include "clipper/pipeline/core_budget.hpp"

#include <algorithm>

namespace clipper::pipeline {

CoreBudget::CoreBudget(int cores, int analysers, int fixed_threads)
    : m_cores(std::max(1, cores)), m_analysers(std::max(0, analysers)), m_fixed_threads(fixed_threads) {}

CoreBudget::Lease::~Lease() {
  if (m_budget) m_budget->give_back(m_cores);
}

CoreBudget::Lease CoreBudget::grant_for_encoding(bool work_waiting, long videos_to_analyse, int starting_with_it) {
  std::lock_guard lock(m_mutex);
  if (m_fixed_threads > 0) return take(m_fixed_threads);
  // With work waiting, the cores in use stay in use; without, those in use free up soon and
  // x264 cannot take more threads once it has started.
  if (!work_waiting) return take(m_cores);
  const int kept_for_analysis = static_cast<int>(std::min<long>(m_analysers, std::max(0L, videos_to_analyse)));
  return take(std::max(1, m_cores - kept_for_analysis - std::max(0, starting_with_it) - m_held));
}

CoreBudget::Lease CoreBudget::take(int cores) {
  m_held += cores;
  return {*this, cores};
}

void CoreBudget::give_back(int cores) {
  std::lock_guard lock(m_mutex);
  m_held -= cores;
}

}  // namespace clipper::pipeline
