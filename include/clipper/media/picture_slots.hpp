#pragma once
// The places of a video's pictures in presentation order, as reference-first decoding fills them:
// each packet holds a place by its timestamp, decoded reference pictures settle the stretches
// between them, and the places between two reference pictures are marked to be decoded (wanted)
// or to repeat the picture before them. Sampling pictures decoded in order (decode once) uses them
// too, its samples for reference pictures and place numbers for timestamps. No libav: timestamps
// and picture bytes only.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace clipper::media {

enum class SlotState { skipped, wanted, repeat, decoded };

// The pictures after one reference picture up to and including the next.
struct Stretch {
  double difference = 0.0;  // between its two reference pictures
  long span = 0;            // pictures; 0 before the first reference picture
};

struct Slot {
  long segment = 0;
  size_t packet = 0;  // its packet's position in the segment
  SlotState state = SlotState::skipped;
  bool reference = false;
  bool requested = false;      // its packet went to the replay decoder to be decoded
  Stretch stretch;             // of a reference picture: the stretch it ends
  std::optional<bool> change;  // ... whether the stretch rule says its stretch may change
  std::vector<uint8_t> bgr;
};

// Whether the pictures of a stretch must be decoded, given the stretches on either side (the
// analysis decides: see ChangeTest). Asked only of stretches with a reference picture before them;
// the others always are.
using StretchRule = std::function<bool(const Stretch& stretch, const std::optional<Stretch>& before,
                                       const std::optional<Stretch>& after)>;

class PictureSlots {
 public:
  explicit PictureSlots(StretchRule may_change) : m_may_change(std::move(may_change)) {}

  // A packet's place. Throws NotReferenceFirst for a timestamp already placed or given out.
  void place(int64_t pts, long segment, size_t packet);
  // A decoded reference picture; `difference` measures it against the reference picture before
  // (called only once its order is known to be right). False when it has no place (it came before
  // the first keyframe). Throws NotReferenceFirst when it comes out before one shown ahead of it.
  bool settle_reference(int64_t pts, std::vector<uint8_t> bgr,
                        const std::function<double(const std::vector<uint8_t>& bgr)>& difference);
  // Marks the skipped places between two reference pictures once the stretch after the second is
  // known (or `ended`); those after a change are wanted too: the pictures right after a cut, a
  // flash or a damaged picture tell the detector which one it was.
  void settle_gaps(bool ended);

  bool empty() const { return m_slots.empty(); }
  int64_t head_pts() const { return m_slots.begin()->first; }
  Slot& head() { return m_slots.begin()->second; }
  // The head given out (or dropped, `given` false: nothing decoded before it to repeat).
  void pop_head(bool given);
  bool given_any() const { return m_last_given.has_value(); }
  Slot* find(int64_t pts);
  // The oldest segment a place still needs; `fallback` when no place is left.
  long oldest_segment(long fallback) const;
  // Marks the wanted places of a segment to repeat the picture before them.
  void give_up(long segment, const std::function<void(int64_t pts)>& report);

 private:
  static void mark(const std::vector<Slot*>& gap, bool changed);

  StretchRule m_may_change;
  std::map<int64_t, Slot> m_slots;         // by timestamp: presentation order
  std::optional<Stretch> m_given_stretch;  // of the reference picture given out last
  bool m_given_change = false;             // ... and whether that stretch may change
  std::optional<int64_t> m_previous_reference;
  std::optional<int64_t> m_last_given;
};

}  // namespace clipper::media
