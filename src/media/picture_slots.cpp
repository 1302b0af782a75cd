#include "clipper/media/picture_slots.hpp"

#include <algorithm>
#include <iterator>

#include "picture_strategy.hpp"

namespace clipper::media {

void PictureSlots::place(int64_t pts, long segment, size_t packet) {
  if (m_last_given && pts <= *m_last_given) throw NotReferenceFirst("a picture arrived too late");
  const auto [slot, added] = m_slots.try_emplace(pts, Slot{.segment = segment, .packet = packet});
  if (!added) throw NotReferenceFirst("two pictures have the same timestamp");
}

bool PictureSlots::settle_reference(int64_t pts, std::vector<uint8_t> bgr,
                                    const std::function<double(const std::vector<uint8_t>& bgr)>& difference) {
  const auto slot = m_slots.find(pts);
  if (slot == m_slots.end()) return false;
  // A timestamp that jumps makes the decoder's output order differ from timestamp order: the
  // stretches between reference pictures no longer follow one another.
  if (m_previous_reference && pts <= *m_previous_reference) {
    throw NotReferenceFirst("a reference picture came out before the one shown ahead of it");
  }
  Slot& reference = slot->second;
  reference.reference = true;
  reference.bgr = std::move(bgr);
  reference.state = SlotState::decoded;
  const double measured = difference(reference.bgr);
  if (m_previous_reference) {
    reference.stretch = {.difference = measured,
                         .span = std::distance(m_slots.upper_bound(*m_previous_reference), slot) + 1};
  }
  m_previous_reference = pts;
  return true;
}

void PictureSlots::settle_gaps(bool ended) {
  std::optional<Stretch> before = m_given_stretch;
  bool before_changed = m_given_change;
  std::vector<Slot*> gap;
  for (auto place = m_slots.begin(); place != m_slots.end(); ++place) {
    Slot& slot = place->second;
    if (slot.state == SlotState::skipped && !slot.reference) gap.push_back(&slot);
    if (!slot.reference) continue;
    if (!slot.change) {
      const auto after =
          std::find_if(std::next(place), m_slots.end(), [](const auto& entry) { return entry.second.reference; });
      if (after == m_slots.end() && !ended) return;
      const std::optional<Stretch> next = after == m_slots.end() ? std::nullopt : std::optional(after->second.stretch);
      // With no decoded picture before it, there is nothing its pictures could repeat.
      slot.change = slot.stretch.span == 0 || m_may_change(slot.stretch, before, next);
    }
    if (!gap.empty()) {
      mark(gap, *slot.change || before_changed);
      gap.clear();
    }
    before = slot.stretch;
    before_changed = *slot.change;
  }
  if (ended && !gap.empty()) mark(gap, true);
}

void PictureSlots::mark(const std::vector<Slot*>& gap, bool changed) {
  for (Slot* slot : gap) slot->state = changed ? SlotState::wanted : SlotState::repeat;
}

void PictureSlots::pop_head(bool given) {
  const auto head = m_slots.begin();
  if (given) {
    if (head->second.reference) {
      m_given_stretch = head->second.stretch;
      m_given_change = head->second.change.value_or(true);
    }
    m_last_given = head->first;
  }
  m_slots.erase(head);
}

Slot* PictureSlots::find(int64_t pts) {
  const auto slot = m_slots.find(pts);
  return slot == m_slots.end() ? nullptr : &slot->second;
}

long PictureSlots::oldest_segment(long fallback) const {
  long oldest = fallback;
  for (const auto& [pts, slot] : m_slots) oldest = std::min(oldest, slot.segment);
  return oldest;
}

void PictureSlots::give_up(long segment, const std::function<void(int64_t pts)>& report) {
  for (auto& [pts, slot] : m_slots) {
    if (slot.segment != segment || slot.state != SlotState::wanted) continue;
    report(pts);
    slot.state = SlotState::repeat;
  }
}

}  // namespace clipper::media
