#include "clipper/plan/name_template.hpp"

#include <gtest/gtest.h>

#include "clipper/util/error.hpp"

namespace clipper::plan {
namespace {

const ClipNameFields kClip{.video = "holiday",
                           .index = 2,
                           .start_s = 62.5,
                           .end_s = 67.5,
                           .moment_s = 63.5,
                           .score = 41.237,
                           .topology = "pool"};

std::string rendered(std::string_view text, const ClipNameFields& fields = kClip) {
  return NameTemplate::parse(text, true).render(fields).string();
}

std::string refusal(std::string_view text, bool several_videos = true) {
  try {
    NameTemplate::parse(text, several_videos);
  } catch (const util::UsageError& error) {
    return error.what();
  }
  return "";
}

TEST(NameTemplateTest, TheDefaultGivesTheNamesClipperAlwaysGave) {
  EXPECT_EQ(rendered(NameTemplate::kDefault), "holiday/holiday-03-00h01m02.500s.mp4");
}

TEST(NameTemplateTest, EveryFieldIsFilledIn) {
  EXPECT_EQ(rendered("{video}_{start}-{end}_{score}"), "holiday_00h01m02.500s-00h01m07.500s_41.24.mp4");
  EXPECT_EQ(rendered("{topology}/{video}/{n:3} at {moment}"), "pool/holiday/003 at 00h01m03.500s.mp4");
  EXPECT_EQ(rendered("{video}-{n:1}", {.video = "v", .index = 11}), "v-12.mp4") << "a width is the least";
}

TEST(NameTemplateTest, TemplatesThatCouldGoWrongAreRefusedWithTheirReason) {
  EXPECT_EQ(refusal("{video}-{number}"),
            "no field {number} (fields: {video}, {n}, {start}, {end}, {moment}, {score}, {topology})");
  EXPECT_EQ(refusal("/tmp/{video}-{n}"), "a clip name must be a path inside the output folder");
  EXPECT_EQ(refusal("{video}/../{n}"), "'..' would leave the output folder");
  EXPECT_EQ(refusal("{video}//{n}"), "a folder name in it is empty");
  EXPECT_EQ(refusal("{video}/"), "it ends with a '/': the clip's own name is missing");
  EXPECT_EQ(refusal("{video}_{score}"),
            "two clips of one video would share a name: use {n}, {start}, {end} or {moment}");
  EXPECT_EQ(refusal("clip-{n}"), "clips of two videos could share a name: use {video}");
  EXPECT_EQ(refusal("clip-{n}", false), "") << "one video needs no {video}";
  EXPECT_EQ(refusal("{video}-{n"), "a '{' without its '}'");
  EXPECT_EQ(refusal("{video}-n}"), "a '}' without its '{'");
  EXPECT_EQ(refusal("{video}-{start:3}"), "{start:3}: only {n} takes a width, from 1 to 9");
  EXPECT_EQ(refusal(""), "a clip name must be a path inside the output folder");
}

}  // namespace
}  // namespace clipper::plan
