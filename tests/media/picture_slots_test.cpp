#include "clipper/media/picture_slots.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace clipper::media {
namespace {

// Pictures 0..count-1 in one segment, their timestamps 10 apart; reference pictures at `references`
// with the given difference from the reference picture before them.
class PictureSlotsTest : public ::testing::Test {
 protected:
  void place(int count) {
    for (int i = 0; i < count; ++i) m_slots.place(i * 10, 0, static_cast<size_t>(i));
  }
  void reference(int picture, double difference) {
    ASSERT_TRUE(m_slots.settle_reference(picture * 10, {1, 2, 3}, [&](const auto&) { return difference; }));
  }
  std::string states() {
    std::string text;
    for (int i = 0; Slot* slot = m_slots.find(i * 10); ++i) {
      text += slot->reference ? 'R' : "sw-d"[static_cast<int>(slot->state)];
    }
    return text;
  }

  // A made-up rule: a stretch may change when its difference reaches 10.
  PictureSlots m_slots{[](const Stretch& stretch, const auto&, const auto&) { return stretch.difference >= 10.0; }};
};

// The stretch that ends at the first reference picture has nothing before it to compare with: it
// may change, so the pictures after it are decoded too.
TEST_F(PictureSlotsTest, AGapIsSettledOnlyOnceTheStretchAfterItIsKnown) {
  place(13);
  reference(0, 0.0);
  reference(4, 1.0);  // still
  m_slots.settle_gaps(false);
  EXPECT_EQ(states(), "RsssRssssssss") << "the stretch after 4 is not known yet";
  reference(8, 1.0);
  m_slots.settle_gaps(false);
  EXPECT_EQ(states(), "RwwwRsssRssss") << "after the first picture: wanted; 5-7 wait for the stretch after 8";
  reference(12, 1.0);
  m_slots.settle_gaps(true);
  EXPECT_EQ(states(), "RwwwR---R---R") << "still between 4 and 12: repeats";
}

TEST_F(PictureSlotsTest, AChangeAndTheStretchAfterItAreWanted) {
  place(17);
  reference(0, 0.0);
  reference(4, 1.0);
  reference(8, 1.0);
  reference(12, 50.0);  // a cut between 8 and 12
  reference(16, 1.0);
  m_slots.settle_gaps(true);
  EXPECT_EQ(states(), "RwwwR---RwwwRwwwR") << "the cut's stretch, and the one after it";
}

// The rule is asked of each stretch with the stretches on either side, once both are known, and
// never of the one before the first reference picture.
TEST_F(PictureSlotsTest, TheRuleSeesEachStretchWithItsNeighbours) {
  std::vector<std::string> asked;
  const auto text = [](const std::optional<Stretch>& stretch) {
    return stretch ? std::to_string(static_cast<int>(stretch->difference)) + "/" + std::to_string(stretch->span) : "-";
  };
  PictureSlots slots(
      [&](const Stretch& stretch, const std::optional<Stretch>& before, const std::optional<Stretch>& after) {
        asked.push_back(text(before) + " " + text(stretch) + " " + text(after));
        return false;
      });
  for (int i = 0; i < 9; ++i) slots.place(i * 10, 0, static_cast<size_t>(i));
  for (const auto& [picture, difference] : {std::pair{0, 0.0}, {2, 5.0}, {8, 7.0}}) {
    ASSERT_TRUE(slots.settle_reference(picture * 10, {1}, [&](const auto&) { return difference; }));
  }
  slots.settle_gaps(false);
  EXPECT_EQ(asked, (std::vector<std::string>{"0/0 5/2 7/6"})) << "the last waits for the stretch after it";
  slots.settle_gaps(true);
  EXPECT_EQ(asked, (std::vector<std::string>{"0/0 5/2 7/6", "5/2 7/6 -"}));
}

TEST_F(PictureSlotsTest, PlacesAreGivenOutInPresentationOrderAndNoneTwice) {
  place(3);
  EXPECT_THROW(m_slots.place(10, 0, 5), std::runtime_error) << "two pictures with one timestamp";
  reference(0, 0.0);
  EXPECT_EQ(m_slots.head_pts(), 0);
  m_slots.pop_head(true);
  EXPECT_TRUE(m_slots.given_any());
  EXPECT_THROW(m_slots.place(0, 0, 6), std::runtime_error) << "a picture arriving after its place was given out";
  reference(2, 1.0);
  EXPECT_THROW(m_slots.settle_reference(10, {}, [](const auto&) { return 0.0; }), std::runtime_error)
      << "a reference picture shown before the one that came out last";
  EXPECT_FALSE(m_slots.settle_reference(55, {}, [](const auto&) { return 0.0; })) << "no place for it";
  EXPECT_EQ(m_slots.oldest_segment(7), 0);
}

TEST_F(PictureSlotsTest, WantedPlacesAReplayCannotDecodeRepeatThePictureBefore) {
  place(5);
  reference(0, 0.0);
  reference(4, 50.0);
  m_slots.settle_gaps(true);
  ASSERT_EQ(states(), "RwwwR");
  std::vector<int64_t> reported;
  m_slots.give_up(0, [&](int64_t pts) { reported.push_back(pts); });
  EXPECT_EQ(reported, (std::vector<int64_t>{10, 20, 30}));
  EXPECT_EQ(states(), "R---R");
}

}  // namespace
}  // namespace clipper::media
