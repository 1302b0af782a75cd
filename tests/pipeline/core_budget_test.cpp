#include "clipper/pipeline/core_budget.hpp"

#include <gtest/gtest.h>

namespace clipper::pipeline {
namespace {

TEST(CoreBudgetTest, AnEncodeIsGrantedTheCoresNobodyHolds) {
  CoreBudget budget(4);
  const CoreBudget::Lease analysis = budget.hold_for_analysis();
  EXPECT_EQ(analysis.cores(), 1);
  const CoreBudget::Lease first = budget.grant_for_encoding(true);
  EXPECT_EQ(first.cores(), 3);
  const CoreBudget::Lease second = budget.grant_for_encoding(true);
  EXPECT_EQ(second.cores(), 1) << "every encode gets at least one thread";
}

TEST(CoreBudgetTest, TheLastWorkIsGrantedEveryCore) {
  CoreBudget budget(4);
  const CoreBudget::Lease analysis = budget.hold_for_analysis();
  const CoreBudget::Lease other = budget.grant_for_encoding(true);
  EXPECT_EQ(budget.grant_for_encoding(false).cores(), 4);
}

TEST(CoreBudgetTest, AFinishedLeaseGivesItsCoresBack) {
  CoreBudget budget(2);
  {
    const CoreBudget::Lease analysis = budget.hold_for_analysis();
    CoreBudget::Lease moved = budget.grant_for_encoding(true);
    const CoreBudget::Lease owner = std::move(moved);
    EXPECT_EQ(owner.cores(), 1);
  }
  EXPECT_EQ(budget.grant_for_encoding(true).cores(), 2);
}

TEST(CoreBudgetTest, FixedThreadsPerEncoderAreKept) {
  CoreBudget budget(8, 3);
  const CoreBudget::Lease first = budget.grant_for_encoding(true);
  const CoreBudget::Lease second = budget.grant_for_encoding(true);
  EXPECT_EQ(first.cores(), 3);
  EXPECT_EQ(second.cores(), 3);
  EXPECT_EQ(budget.grant_for_encoding(false).cores(), 3);
}

}  // namespace
}  // namespace clipper::pipeline
