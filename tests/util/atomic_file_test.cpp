#include "clipper/util/atomic_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "temp_dir.hpp"

namespace clipper::util {
namespace {

void write(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

TEST(AtomicFileTest, TemporaryNameIsBesideTheFinalOne) {
  testing::TempDir dir;
  AtomicFile file(dir / "clip.mp4");
  EXPECT_EQ(file.temp_path().parent_path(), dir.path());
  EXPECT_NE(file.temp_path(), file.final_path());
}

TEST(AtomicFileTest, CommitRenamesIntoPlace) {
  testing::TempDir dir;
  {
    AtomicFile file(dir / "clip.mp4");
    write(file.temp_path(), "done");
    file.commit();
  }
  EXPECT_EQ(dir.file_names(), std::vector<std::string>{"clip.mp4"});
}

TEST(AtomicFileTest, UncommittedFileIsRemoved) {
  testing::TempDir dir;
  {
    AtomicFile file(dir / "clip.mp4");
    write(file.temp_path(), "half");
  }
  EXPECT_TRUE(dir.file_names().empty());
}

TEST(AtomicFileTest, MovedFromOwnerDoesNotRemove) {
  testing::TempDir dir;
  AtomicFile first(dir / "a.mp4");
  write(first.temp_path(), "a");
  {
    AtomicFile second = std::move(first);
    second.commit();
  }
  EXPECT_EQ(dir.file_names(), std::vector<std::string>{"a.mp4"});
}

TEST(AtomicFileTest, MoveAssignDiscardsTheOverwritten) {
  testing::TempDir dir;
  AtomicFile a(dir / "a.mp4");
  AtomicFile b(dir / "b.mp4");
  write(a.temp_path(), "a");
  write(b.temp_path(), "b");
  a = std::move(b);
  a.commit();
  EXPECT_EQ(dir.file_names(), std::vector<std::string>{"b.mp4"});
}

}  // namespace
}  // namespace clipper::util
