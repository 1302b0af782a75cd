#include "clipper/pipeline/core_budget.hpp"

#include <algorithm>

namespace clipper::pipeline {

CoreBudget::CoreBudget(int cores, int fixed_threads) : m_cores(std::max(1, cores)), m_fixed_threads(fixed_threads) {}

CoreBudget::Lease::~Lease() {
  if (m_budget) m_budget->give_back(m_cores);
}

CoreBudget::Lease CoreBudget::hold_for_analysis() {
  std::lock_guard lock(m_mutex);
  return take(1);
}

CoreBudget::Lease CoreBudget::grant_for_encoding(bool work_waiting) {
  std::lock_guard lock(m_mutex);
  if (m_fixed_threads > 0) return take(m_fixed_threads);
  // With work waiting, the cores in use stay in use; without, those in use free up soon and
  // x264 cannot take more threads once it has started.
  return take(work_waiting ? std::max(1, m_cores - m_held) : m_cores);
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
