// clipper submit / worker / status against a Redis server of the test's own.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "clipper/queue/redis.hpp"
#include "clipper/util/error.hpp"
#include "media_probe.hpp"
#include "process.hpp"
#include "redis_server.hpp"
#include "synthetic_video.hpp"
#include "temp_dir.hpp"

namespace clipper::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Finished {
  int code = -1;
  std::string log;
};

// The reasons given to the dead jobs of a queue's stream, in their order.
std::vector<std::string> dead_errors(queue::Redis& redis, const std::string& stream) {
  const queue::Reply dead = redis.checked({"XRANGE", stream, "-", "+"});
  std::vector<std::string> errors;
  for (size_t i = 0; i < dead.view().size(); ++i) {
    const queue::ReplyView fields = dead.view()[i][1];
    std::string error;
    for (size_t f = 0; f + 1 < fields.size(); f += 2) {
      if (fields[f].text() == "error") error = fields[f + 1].text();
    }
    errors.push_back(error);
  }
  return errors;
}

class QueueCliTest : public ::testing::Test {
 protected:
  std::unique_ptr<testing::Process> start(const std::vector<std::string>& arguments, const std::string& log) {
    std::vector<std::string> argv = {CLIPPER_BINARY};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return std::make_unique<testing::Process>(argv, m_dir / log);
  }

  Finished run(const std::vector<std::string>& arguments) {
    const std::string log = "run-" + std::to_string(m_runs++) + ".log";
    const int code = start(arguments, log)->wait();
    return {code, testing::read_text(m_dir / log)};
  }

  // --claim-after 3: a worker's heartbeat (every 0.75 s) is never that late on a loaded machine,
  // so a job is taken over only from a worker that stopped.
  std::unique_ptr<testing::Process> worker(const std::string& id, const std::string& claim_after = "3") {
    return start({"worker", "--queue", m_queue, "-o", out().string(), "--id", id, "--claim-after", claim_after,
                  "--drain", "--analyzers", "1", "--encoders", "1"},
                 id + ".log");
  }

  // Videos with one scene change at 3 s: each gives one clip, [2, 6] s, 40 pictures.
  std::vector<fs::path> make_videos(int count) {
    std::vector<fs::path> videos;
    for (int i = 0; i < count; ++i) {
      videos.push_back(m_dir / "in" / ("video-" + std::to_string(i) + ".mp4"));
      fs::create_directories(videos.back().parent_path());
      testing::make_scene_video(videos.back(), {3.0, 3.0}, "-c:v libx264 -preset ultrafast -c:a aac", "1280x720");
    }
    return videos;
  }

  fs::path out() const { return m_dir / "out"; }

  std::vector<fs::path> files_under(const fs::path& folder, const std::string& ending) const {
    std::vector<fs::path> files;
    if (!fs::exists(folder)) return files;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
      if (entry.is_regular_file() && entry.path().filename().string().ends_with(ending)) files.push_back(entry.path());
    }
    return files;
  }

  // Waits for a temporary clip written by one of these processes: it is in the middle of an encode
  // (not in the probe of a folder it writes to, which is a temporary file too).
  testing::Process* wait_for_an_encode(const std::vector<testing::Process*>& workers) {
    const auto give_up = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < give_up) {
      for (const fs::path& part : files_under(out(), ".part")) {
        for (testing::Process* worker : workers) {
          if (part.filename().string().find(".mp4." + std::to_string(worker->pid()) + "-") != std::string::npos) {
            return worker;
          }
        }
      }
      std::this_thread::sleep_for(5ms);
    }
    return nullptr;
  }

  void expect_one_valid_clip_per_video(size_t videos) {
    const std::vector<fs::path> clips = files_under(out(), ".mp4");
    EXPECT_EQ(clips.size(), videos);
    std::set<fs::path> folders;
    for (const fs::path& clip : clips) {
      folders.insert(clip.parent_path());
      const auto probed = testing::probe_file(clip);
      EXPECT_EQ(probed.video.height, 720) << clip;
      EXPECT_EQ(probed.video.frame_times_s.size(), 40u) << clip;
    }
    EXPECT_EQ(folders.size(), videos) << "a video's clip was written twice, or under two names";
    for (const fs::path& left : files_under(out(), ".part")) ADD_FAILURE() << "a temporary file was left: " << left;
  }

  void submit_videos(int count, const std::string& preset) {
    make_videos(count);
    const Finished submitted = run({"submit", (m_dir / "in").string(), "--queue", m_queue, "--preset", preset});
    ASSERT_EQ(submitted.code, 0) << submitted.log;
  }

  std::vector<std::unique_ptr<testing::Process>> start_workers(int count) {
    std::vector<std::unique_ptr<testing::Process>> workers;
    for (int w = 1; w <= count; ++w) workers.push_back(worker("w" + std::to_string(w)));
    return workers;
  }

  // SIGKILL for the first worker seen writing a clip; nullptr when none started one.
  testing::Process* kill_one_in_an_encode(const std::vector<std::unique_ptr<testing::Process>>& workers) {
    std::vector<testing::Process*> running;
    for (const auto& worker : workers) running.push_back(worker.get());
    testing::Process* encoding = wait_for_an_encode(running);
    if (encoding) encoding->signal(SIGKILL);
    return encoding;
  }

  void expect_the_others_finish_everything(const std::vector<std::unique_ptr<testing::Process>>& workers,
                                           const testing::Process* killed, size_t videos) {
    for (const auto& worker : workers) {
      if (worker.get() == killed) continue;
      EXPECT_EQ(worker->wait(), 0);
    }
    expect_one_valid_clip_per_video(videos);
    const std::string text = status();
    const std::string done = fmt::format("{0} submitted, 0 waiting, 0 in progress, {0} done, 0 failed, 0 dead", videos);
    EXPECT_NE(text.find(done), std::string::npos) << text;
  }

  std::string status() {
    const Finished finished = run({"status", "--queue", m_queue});
    EXPECT_EQ(finished.code, 0) << finished.log;
    return finished.log;
  }

  testing::TempDir m_dir;
  std::string m_queue;
  int m_runs = 0;
};

TEST_F(QueueCliTest, ASecondSubmitOfTheSameVideosQueuesNothingUnlessAgain) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("twice");
  make_videos(2);
  Finished first = run({"submit", (m_dir / "in").string(), "--queue", m_queue});
  ASSERT_EQ(first.code, 0) << first.log;
  EXPECT_NE(first.log.find("queued 2 of 2 videos"), std::string::npos) << first.log;
  Finished second = run({"submit", (m_dir / "in").string(), "--queue", m_queue});
  EXPECT_NE(second.log.find("queued 0 of 2 videos"), std::string::npos) << second.log;
  Finished again = run({"submit", (m_dir / "in" / "video-0.mp4").string(), "--queue", m_queue, "--again"});
  EXPECT_NE(again.log.find("queued 1 of 1 videos"), std::string::npos) << again.log;
  EXPECT_NE(status().find("3 submitted, 3 waiting, 0 in progress, 0 done"), std::string::npos) << status();
  // An entry deleted from the stream (by hand) leaves Redis unable to tell the lag: counted instead.
  queue::Redis redis({.socket = server.socket().string(), .name = "twice"});
  const std::string added = redis.checked({"XADD", "clipper:twice:jobs", "*", "job", "{}"}).view().text();
  redis.checked({"XDEL", "clipper:twice:jobs", added});
  EXPECT_NE(status().find("3 submitted, 3 waiting, 0 in progress, 0 done"), std::string::npos) << status();

  Finished bad = run({"submit", (m_dir / "in").string(), "--queue", m_queue, "--name", "../{video}-{n}"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_NE(bad.log.find("'..' would leave the output folder"), std::string::npos) << bad.log;
}

// A job names deinterlace only where the fields are to be kept, so that workers older than the
// option take the other jobs; a worker of today takes both.
TEST_F(QueueCliTest, AJobSaysDeinterlaceOnlyWhereItKeepsTheFields) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("fields");
  const std::vector<fs::path> videos = make_videos(2);
  ASSERT_EQ(run({"submit", videos[0].string(), "--queue", m_queue, "--preset", "ultrafast"}).code, 0);
  ASSERT_EQ(run({"submit", videos[1].string(), "--queue", m_queue, "--preset", "ultrafast", "--no-deinterlace"}).code,
            0);
  queue::Redis redis({.socket = server.socket().string(), .name = "fields"});
  const queue::Reply jobs = redis.checked({"XRANGE", "clipper:fields:jobs", "-", "+"});
  ASSERT_EQ(jobs.view().size(), 2u);
  std::vector<nlohmann::json> options;
  for (size_t i = 0; i < 2; ++i) options.push_back(nlohmann::json::parse(jobs.view()[i][1][1].text())["options"]);
  EXPECT_FALSE(options[0].contains("deinterlace")) << options[0].dump();
  EXPECT_EQ(options[1]["deinterlace"], false) << options[1].dump();

  auto w1 = worker("w1");
  EXPECT_EQ(w1->wait(), 0) << testing::read_text(m_dir / "w1.log");
  expect_one_valid_clip_per_video(2);
}

TEST_F(QueueCliTest, AWorkerKilledInTheMiddleOfAnEncodeLeavesItsJobToTheOthers) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("kill");
  submit_videos(6, "slow");
  const auto workers = start_workers(3);
  const testing::Process* killed = kill_one_in_an_encode(workers);
  ASSERT_NE(killed, nullptr) << "no worker started an encode";
  expect_the_others_finish_everything(workers, killed, 6);

  const fs::path merged = m_dir / "fleet.json";
  ASSERT_EQ(run({"status", "--queue", m_queue, "--report", merged.string()}).code, 0);
  const auto report = nlohmann::json::parse(testing::read_text(merged));
  ASSERT_EQ(report["clips"].size(), 6u);
  for (const auto& clip : report["clips"]) {
    EXPECT_EQ(clip["status"], "ok") << clip.dump();
    EXPECT_TRUE(clip["worker"] == "w1" || clip["worker"] == "w2" || clip["worker"] == "w3") << clip.dump();
    EXPECT_LE(clip["t"]["detected"].get<double>(), clip["t"]["encode_end"].get<double>());
  }
  EXPECT_EQ(report["summary"]["clips_ok"], 6);
  EXPECT_GT(report["summary"]["throughput_per_min"].get<double>(), 0.0);
  const fs::path timeline = m_dir / "fleet.svg";
  ASSERT_EQ(run({"status", "--queue", m_queue, "--svg", timeline.string()}).code, 0);
  EXPECT_NE(testing::read_text(timeline).find("<svg"), std::string::npos);
}

// As above, and the server is stopped and started again in the middle (its stream persisted).
TEST_F(QueueCliTest, WorkersGoOnAcrossARestartOfTheServer) {
  testing::RedisServer server(m_dir / "redis", true);
  m_queue = server.queue("restart");
  submit_videos(6, "slow");
  const auto workers = start_workers(3);
  const testing::Process* killed = kill_one_in_an_encode(workers);
  ASSERT_NE(killed, nullptr) << "no worker started an encode";
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  while (files_under(out(), ".mp4").empty() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(10ms);
  }
  server.stop();
  std::this_thread::sleep_for(1s);
  server.start();
  expect_the_others_finish_everything(workers, killed, 6);
}

TEST_F(QueueCliTest, BadJobsGoToTheDeadJobsWithTheirErrorAndNothingIsWritten) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("bad");
  const std::string good = make_videos(1).front().string();
  const std::vector<std::pair<nlohmann::json, std::string>> jobs = {
      {{{"video", "/shared/nowhere/x.mp4"}, {"name", "x"}},
       "cannot open input '/shared/nowhere/x.mp4': No such file or directory"},
      {{{"video", good}, {"name", "y"}, {"options", {{"pre", -1}}}}, "option 'pre' is -1: it must be 0 or more"},
      {{{"video", good}, {"name", "z"}, {"options", {{"delete", true}}}}, "unknown option 'delete'"},
      {{{"video", good}, {"name", "../z"}}, "'name' \"../z\" must be a plain file name"},
      {{{"video", good}, {"name", "w"}, {"options", {{"name", "{video}/../../{video}-{n}"}}}},
       "option 'name' '{video}/../../{video}-{n}': '..' would leave the output folder"},
      {{{"video", good}, {"name", "v"}, {"options", {{"crf", "23; rm -rf /"}}}},
       "option 'crf' must be a whole number, not \"23; rm -rf /\""},
  };
  queue::Redis redis({.socket = server.socket().string(), .name = "bad"});
  for (const auto& [job, error] : jobs) redis.checked({"XADD", "clipper:bad:jobs", "*", "job", job.dump()});
  redis.checked({"XADD", "clipper:bad:jobs", "*", "job", "not json"});

  auto w1 = worker("w1");
  EXPECT_EQ(w1->wait(), 0) << testing::read_text(m_dir / "w1.log");
  EXPECT_TRUE(!fs::exists(out()) || fs::is_empty(out())) << "a bad job wrote something";
  const std::vector<std::string> errors = dead_errors(redis, "clipper:bad:dead");
  ASSERT_EQ(errors.size(), jobs.size() + 1);
  for (size_t i = 0; i < jobs.size(); ++i) EXPECT_EQ(errors[i], jobs[i].second);
  const std::string text = status();
  EXPECT_NE(text.find("0 done, 0 failed, 7 dead"), std::string::npos) << text;
  EXPECT_NE(text.find("option 'pre' is -1: it must be 0 or more"), std::string::npos) << text;
}

// A worker given --inputs-under takes only the videos there: not another file, nor a link from
// inside that leads out.
TEST_F(QueueCliTest, AWorkerWithInputsUnderTakesOnlyTheVideosThere) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("under");
  const fs::path inside = make_videos(1).front();
  const fs::path outside = m_dir / "elsewhere" / "private.mp4";
  fs::create_directories(outside.parent_path());
  fs::copy_file(inside, outside);
  fs::create_symlink(outside, m_dir / "in" / "link.mp4");
  fs::create_directories(m_dir / "in-sibling");  // shares a prefix with "in", is not under it
  fs::copy_file(inside, m_dir / "in-sibling" / "near.mp4");
  queue::Redis redis({.socket = server.socket().string(), .name = "under"});
  const std::vector<std::pair<fs::path, std::string>> jobs = {
      {inside, "inside"}, {outside, "outside"}, {m_dir / "in" / "link.mp4", "link"},
      {m_dir / "in-sibling" / "near.mp4", "near"}};
  for (const auto& [video, name] : jobs) {
    const nlohmann::json job = {{"video", video.string()}, {"name", name}};
    redis.checked({"XADD", "clipper:under:jobs", "*", "job", job.dump()});
  }

  const Finished refused = run({"worker", "--queue", m_queue, "-o", out().string(), "--inputs-under",
                                (m_dir / "nowhere").string(), "--drain"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.log.find("--inputs-under '" + (m_dir / "nowhere").string() + "': No such file or directory"),
            std::string::npos)
      << refused.log;

  const Finished done = run({"worker", "--queue", m_queue, "-o", out().string(), "--inputs-under",
                             (m_dir / "in").string(), "--drain", "--analyzers", "1", "--encoders", "1"});
  EXPECT_EQ(done.code, 0) << done.log;
  expect_one_valid_clip_per_video(1);
  EXPECT_TRUE(fs::exists(out() / "inside")) << "the video inside was not encoded";
  const std::vector<std::string> errors = dead_errors(redis, "clipper:under:dead");
  ASSERT_EQ(errors.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const std::string expected = fmt::format("'{}' is not under this worker's --inputs-under ('{}')",
                                             jobs[i + 1].first.string(), fs::canonical(m_dir / "in").string());
    EXPECT_EQ(errors[i], expected);
  }
}

TEST_F(QueueCliTest, SigtermStopsAWorkerCleanlyAndLeavesItsJobPendingForAnother) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("term");
  make_videos(1);
  ASSERT_EQ(run({"submit", (m_dir / "in").string(), "--queue", m_queue, "--preset", "slower"}).code, 0);
  auto w1 = worker("w1", "1");
  ASSERT_EQ(wait_for_an_encode({w1.get()}), w1.get());
  w1->signal(SIGTERM);
  EXPECT_EQ(w1->wait(), 143) << testing::read_text(m_dir / "w1.log");
  EXPECT_TRUE(files_under(out(), ".part").empty()) << "the stopped encode left its temporary file";
  EXPECT_TRUE(files_under(out(), ".mp4").empty());
  EXPECT_NE(status().find("1 in progress, 0 done"), std::string::npos) << status();

  auto w2 = worker("w2", "1");
  EXPECT_EQ(w2->wait(), 0) << testing::read_text(m_dir / "w2.log");
  expect_one_valid_clip_per_video(1);
  EXPECT_NE(status().find("1 submitted, 0 waiting, 0 in progress, 1 done"), std::string::npos) << status();
}

// Encodes last longer than --claim-after: a live worker's heartbeats keep its jobs, so no job is
// taken over and done twice at once.
TEST_F(QueueCliTest, ALiveWorkerKeepsAJobLongerThanClaimAfter) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("long");
  make_videos(2);
  ASSERT_EQ(run({"submit", (m_dir / "in").string(), "--queue", m_queue, "--preset", "veryslow"}).code, 0);
  auto w1 = worker("w1", "0.8");
  auto w2 = worker("w2", "0.8");
  EXPECT_EQ(w1->wait(), 0);
  EXPECT_EQ(w2->wait(), 0);
  expect_one_valid_clip_per_video(2);
  queue::Redis redis({.socket = server.socket().string(), .name = "long"});
  const queue::Reply records = redis.checked({"XRANGE", "clipper:long:records", "-", "+"});
  std::map<std::string, int> starts;
  double longest_encode_s = 0.0;
  for (size_t i = 0; i < records.view().size(); ++i) {
    const auto record = nlohmann::json::parse(records.view()[i][1][1].text());
    if (record["type"] == "start") ++starts[record["job"].get<std::string>()];
    if (record["type"] == "clip") {
      longest_encode_s = std::max(longest_encode_s, record["t"]["encode_end"].get<double>() -
                                                        record["t"]["encode_start"].get<double>());
    }
  }
  EXPECT_GT(longest_encode_s, 0.8) << "the encodes must outlast --claim-after for this test to mean anything";
  ASSERT_EQ(starts.size(), 2u);
  for (const auto& [job, count] : starts) EXPECT_EQ(count, 1) << "job " << job << " was started twice";
}

// A worker frozen longer than --claim-after (SIGSTOP) loses its job to another; when it wakes, what
// it finishes of that job neither overwrites the other's end nor leaves a file behind.
TEST_F(QueueCliTest, AWorkerThatMissedItsHeartbeatsLeavesTheJobToTheOneThatTookIt) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("frozen");
  submit_videos(1, "slower");
  auto w1 = worker("w1", "1");
  ASSERT_EQ(wait_for_an_encode({w1.get()}), w1.get());
  w1->signal(SIGSTOP);
  auto w2 = worker("w2", "1");
  EXPECT_EQ(w2->wait(), 0) << testing::read_text(m_dir / "w2.log");
  w1->signal(SIGCONT);
  EXPECT_EQ(w1->wait(), 0) << testing::read_text(m_dir / "w1.log");
  EXPECT_NE(testing::read_text(m_dir / "w1.log").find("was taken over by another worker"), std::string::npos);
  expect_one_valid_clip_per_video(1);
  EXPECT_NE(status().find("1 submitted, 0 waiting, 0 in progress, 1 done, 0 failed, 0 dead"), std::string::npos)
      << status();
}

TEST_F(QueueCliTest, AJobDeliveredMoreThanMaxDeliveriesIsDeadWithItsLastWorker) {
  testing::RedisServer server(m_dir / "redis", false);
  m_queue = server.queue("again");
  make_videos(1);
  ASSERT_EQ(run({"submit", (m_dir / "in").string(), "--queue", m_queue, "--preset", "slower"}).code, 0);
  auto w1 = worker("w1", "0.5");
  ASSERT_EQ(wait_for_an_encode({w1.get()}), w1.get());
  w1->signal(SIGKILL);
  w1->wait();
  const Finished w2 = run({"worker", "--queue", m_queue, "-o", out().string(), "--id", "w2", "--claim-after", "0.5",
                           "--max-deliveries", "1", "--drain"});
  EXPECT_EQ(w2.code, 0) << w2.log;
  const std::string text = status();
  EXPECT_NE(text.find("0 done, 0 failed, 1 dead"), std::string::npos) << text;
  EXPECT_NE(text.find("delivered 1 times: every worker that took it stopped before it was done, the last one 'w1'"),
            std::string::npos)
      << text;
  EXPECT_TRUE(files_under(out(), ".mp4").empty());
}

TEST_F(QueueCliTest, AServerWithAPasswordNeedsIt) {
  testing::RedisServer server(m_dir / "redis", false, "s3cret");
  make_videos(1);
  const std::string socket = server.socket().string();
  const Finished without = run({"submit", (m_dir / "in").string(), "--queue", "unix://" + socket + "?name=q"});
  EXPECT_EQ(without.code, 1);
  EXPECT_NE(without.log.find("NOAUTH"), std::string::npos) << without.log;
  const Finished wrong =
      run({"submit", (m_dir / "in").string(), "--queue", "unix://" + socket + "?name=q&password=guess"});
  EXPECT_EQ(wrong.code, 1);
  EXPECT_NE(wrong.log.find("cannot reach redis at 'unix://" + socket + "?name=q': WRONGPASS"), std::string::npos)
      << wrong.log;
  EXPECT_EQ(wrong.log.find("guess"), std::string::npos) << "a message showed the password";
  const Finished right =
      run({"submit", (m_dir / "in").string(), "--queue", "unix://" + socket + "?name=q&password=s3cret"});
  EXPECT_EQ(right.code, 0) << right.log;
  EXPECT_NE(right.log.find("queued 1 of 1 videos"), std::string::npos) << right.log;
}

TEST(QueueAddressTest, AddressesAreReadOrRefusedWithTheReason) {
  const queue::Address tcp = queue::parse_address("redis://:s3cret@cache.local:6380/clips");
  EXPECT_EQ(tcp.host, "cache.local");
  EXPECT_EQ(tcp.port, 6380);
  EXPECT_EQ(tcp.password, "s3cret");
  EXPECT_EQ(tcp.name, "clips");
  EXPECT_EQ(tcp.text().find("s3cret"), std::string::npos) << "messages must not show the password";
  const queue::Address local = queue::parse_address("unix:///run/redis.sock?name=q1&password=p");
  EXPECT_EQ(local.socket, "/run/redis.sock");
  EXPECT_EQ(local.name, "q1");
  EXPECT_EQ(local.password, "p");
  for (const char* wrong : {"redis://host:6379", "http://host/q", "redis://host:99999/q", "unix://relative?name=q",
                            "redis://host/bad name"}) {
    EXPECT_THROW(queue::parse_address(wrong), util::UsageError) << wrong;
  }
}

}  // namespace
}  // namespace clipper::cli
