#include "clipper/pipeline/core_budget.hpp"

#include <gtest/gtest.h>

namespace clipper::pipeline {
namespace {

TEST(CoreBudgetTest, AnEncodeIsGrantedTheCoresNeitherKeptForAnalysisNorHeld) {
  CoreBudget budget(4, 1);
  const CoreBudget::Lease first = budget.grant_for_encoding(true, 3);
  EXPECT_EQ(first.cores(), 3) << "one core is kept for the analyser";
  const CoreBudget::Lease second = budget.grant_for_encoding(true, 3);
  EXPECT_EQ(second.cores(), 1) << "every encode gets at least one thread";
}

TEST(CoreBudgetTest, OnlyAnalysersWithAVideoToAnalyseKeepACore) {
  CoreBudget budget(8, 3);
  EXPECT_EQ(budget.grant_for_encoding(true, 5).cores(), 5);
  EXPECT_EQ(budget.grant_for_encoding(true, 1).cores(), 7);
  EXPECT_EQ(budget.grant_for_encoding(true, 0).cores(), 8) << "clips wait, every video is analysed";
}

TEST(CoreBudgetTest, TheLastWorkIsGrantedEveryCore) {
  CoreBudget budget(4, 1);
  const CoreBudget::Lease other = budget.grant_for_encoding(true, 1);
  EXPECT_EQ(budget.grant_for_encoding(false, 1).cores(), 4);
}

TEST(CoreBudgetTest, AFinishedLeaseGivesItsCoresBack) {
  CoreBudget budget(3, 1);
  {
    CoreBudget::Lease moved = budget.grant_for_encoding(true, 1);
    const CoreBudget::Lease owner = std::move(moved);
    EXPECT_EQ(owner.cores(), 2);
    EXPECT_EQ(budget.grant_for_encoding(true, 1).cores(), 1);
  }
  EXPECT_EQ(budget.grant_for_encoding(true, 1).cores(), 2);
}

TEST(CoreBudgetTest, FixedThreadsPerEncoderAreKept) {
  CoreBudget budget(8, 1, 3);
  const CoreBudget::Lease first = budget.grant_for_encoding(true, 1);
  const CoreBudget::Lease second = budget.grant_for_encoding(true, 1);
  EXPECT_EQ(first.cores(), 3);
  EXPECT_EQ(second.cores(), 3);
  EXPECT_EQ(budget.grant_for_encoding(false, 0).cores(), 3);
}

// Two encoders freed up together: the clip that starts first is not the last one, so it leaves a
// core for the clip starting with it.
TEST(CoreBudgetTest, AClipStartingWithAnotherLeavesItACore) {
  CoreBudget budget(4, 1);
  const CoreBudget::Lease first = budget.grant_for_encoding(true, 0, 1);
  EXPECT_EQ(first.cores(), 3);
  EXPECT_EQ(budget.grant_for_encoding(false, 0).cores(), 4) << "the last clip: every core";
}

}  // namespace
}  // namespace clipper::pipeline
