#include "clipper/util/atomic_file.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
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

pid_t pid_of_a_finished_process() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

// Another clipper writing into the same folder keeps its temporary file; a killed one's goes.
TEST(AtomicFileTest, OnlyTheTemporariesOfFinishedProcessesAreRemoved) {
  testing::TempDir dir;
  AtomicFile live(dir / "clip.mp4");
  write(live.temp_path(), "being written");
  const std::string abandoned = ".clip.mp4." + std::to_string(pid_of_a_finished_process()) + "-0.part";
  write(dir / abandoned, "left by a killed run");
  write(dir / ".clip.mp4.notes", "not a temporary file");
  write(dir / ".other.mp4.1-0.part", "another clip's");

  remove_abandoned_temporaries(dir / "clip.mp4");

  const std::vector<std::string> names = dir.file_names();
  EXPECT_EQ(std::count(names.begin(), names.end(), abandoned), 0);
  EXPECT_EQ(std::count(names.begin(), names.end(), live.temp_path().filename().string()), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), ".clip.mp4.notes"), 1);
  EXPECT_EQ(std::count(names.begin(), names.end(), ".other.mp4.1-0.part"), 1);
}

// A run killed while it checked that it can write to a folder leaves its probe; the next check
// there removes it, and leaves nothing of its own.
TEST(AtomicFileTest, TheWriteCheckRemovesTheProbeOfAKilledRun) {
  testing::TempDir dir;
  const std::string abandoned = "..clipper-write-test." + std::to_string(pid_of_a_finished_process()) + "-0.part";
  write(dir / abandoned, "");

  require_writable_folder(dir.path());

  EXPECT_TRUE(dir.file_names().empty());
}

// On storage several machines share, a pid means nothing on another host: that host's temporary
// files stay, unless the caller knows their writer stopped (a job taken over from a worker).
TEST(AtomicFileTest, TemporariesOfAnotherHostStayUnlessAllAreRemoved) {
  testing::TempDir dir;
  const std::string finished = std::to_string(pid_of_a_finished_process());
  const std::string elsewhere = ".clip.mp4." + finished + "-0.another-host.example.part";
  write(dir / elsewhere, "being written on another machine");
  AtomicFile live(dir / "clip.mp4");
  write(live.temp_path(), "being written here");
  EXPECT_NE(live.temp_path().filename().string().find("." + std::to_string(::getpid()) + "-"), std::string::npos);

  remove_abandoned_temporaries(dir / "clip.mp4");
  EXPECT_EQ(dir.file_names().size(), 2u);

  remove_temporaries(dir / "clip.mp4");
  EXPECT_TRUE(dir.file_names().empty());
}

}  // namespace
}  // namespace clipper::util
