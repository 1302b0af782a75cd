#include "clipper/util/input_confinement.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "clipper/util/error.hpp"
#include "temp_dir.hpp"

namespace clipper::util {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

std::string read_all(const FileDescriptor& file) {
  std::string text(64, '\0');
  const ssize_t got = ::pread(file.get(), text.data(), text.size(), 0);
  text.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return text;
}

template <typename F>
std::string error_of(F&& attempt) {
  try {
    attempt();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

class InputConfinementTest : public ::testing::Test {
 protected:
  InputConfinementTest() {
    write(m_dir / "in" / "a.mp4", "inside");
    write(m_dir / "out" / "a.mp4", "outside");
    write(m_dir / "in-sibling" / "a.mp4", "near");
  }

  fs::path in() const { return fs::canonical(m_dir / "in"); }
  std::string refusal(const fs::path& shown) const {
    return "'" + shown.string() + "' is not under the test's folders ('" + in().string() + "')";
  }

  testing::TempDir m_dir;
};

TEST_F(InputConfinementTest, OpensAFileUnderItsFolderAndRefusesOthers) {
  const InputConfinement confinement({in()}, "the test's folders");
  EXPECT_EQ(read_all(confinement.open(m_dir / "in" / "a.mp4")), "inside");
  EXPECT_EQ(error_of([&] { confinement.open(m_dir / "out" / "a.mp4"); }), refusal(m_dir / "out" / "a.mp4"));
  EXPECT_EQ(error_of([&] { confinement.open(m_dir / "in-sibling" / "a.mp4"); }),
            refusal(m_dir / "in-sibling" / "a.mp4"));
  const fs::path climbing = m_dir / "in" / ".." / "out" / "a.mp4";
  EXPECT_EQ(error_of([&] { confinement.open(climbing); }), refusal(climbing));
  const fs::path missing = m_dir / "in" / "missing.mp4";
  EXPECT_EQ(error_of([&] { confinement.open(missing); }),
            "cannot open input '" + missing.string() + "': No such file or directory");
}

TEST_F(InputConfinementTest, LinksAreFollowedToWhereTheyLead) {
  fs::create_symlink(m_dir / "in" / "a.mp4", m_dir / "in" / "to-inside.mp4");
  fs::create_symlink(m_dir / "out" / "a.mp4", m_dir / "in" / "to-outside.mp4");
  fs::create_directory_symlink(m_dir / "in", m_dir / "elsewhere");
  const InputConfinement confinement({in()}, "the test's folders");
  EXPECT_EQ(read_all(confinement.open(m_dir / "in" / "to-inside.mp4")), "inside");
  EXPECT_EQ(read_all(confinement.open(m_dir / "elsewhere" / "a.mp4")), "inside");
  EXPECT_EQ(error_of([&] { confinement.open(m_dir / "in" / "to-outside.mp4"); }),
            refusal(m_dir / "in" / "to-outside.mp4"));
}

// The race the confinement closes: the path is checked, then a folder on it is swapped for a link
// that leads out before the file is opened.
TEST_F(InputConfinementTest, APathThatGainsALinkAfterTheCheckIsNotOpened) {
  write(m_dir / "in" / "sub" / "a.mp4", "inside");
  const InputConfinement confinement({in()}, "the test's folders");
  const fs::path shown = m_dir / "in" / "sub" / "a.mp4";
  const fs::path resolved = confinement.resolve(shown);
  fs::rename(m_dir / "in" / "sub", m_dir / "in" / "sub-moved");
  fs::create_directory_symlink(m_dir / "out", m_dir / "in" / "sub");
  std::string unconfined;
  std::ifstream(resolved) >> unconfined;
  ASSERT_EQ(unconfined, "outside") << "a plain open of the checked path now reads the file outside";
  EXPECT_EQ(error_of([&] { confinement.open_resolved(resolved, shown); }),
            "cannot open input '" + shown.string() + "': a link appeared in its path as it was opened");
}

TEST_F(InputConfinementTest, AFifoInAFilesPlaceIsRefusedWithoutWaiting) {
  const fs::path fifo = m_dir / "in" / "a.fifo.mp4";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const InputConfinement confinement({in()}, "the test's folders");
  EXPECT_EQ(error_of([&] { confinement.open(fifo); }),
            "cannot open input '" + fifo.string() + "': it is not a regular file");
}

TEST_F(InputConfinementTest, ConfinesTheProcessWhileItLivesOneAtATime) {
  EXPECT_EQ(input_confinement(), nullptr);
  {
    const InputConfinement confinement({in()}, "the test's folders");
    EXPECT_EQ(input_confinement(), &confinement);
    EXPECT_EQ(error_of([&] { InputConfinement second({in()}, "more folders"); }), "inputs are already confined");
    EXPECT_EQ(input_confinement(), &confinement);
  }
  EXPECT_EQ(input_confinement(), nullptr);
}

}  // namespace
}  // namespace clipper::util
