#pragma once
// clipper's jobs in Redis streams, for workers on many machines. Queue NAME is a few keys:
//   clipper:NAME:jobs       the stream of jobs (one per video), read by the consumer group "workers"
//   clipper:NAME:records    one entry per clip finished and per video finished, from every worker
//   clipper:NAME:dead       jobs given up on, with their last error
//   clipper:NAME:submitted  the videos submitted (a set), so a second submit adds nothing
//   clipper:NAME:names      each job's output name and the video it belongs to (a hash)
//   clipper:NAME:outcomes   each job's end: "ok", "failed" or "dead" (a hash, by job id)
// Delivery is at least once: a job whose worker stopped is taken again by another.
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clipper/queue/redis.hpp"

namespace clipper::queue {

struct Delivery {
  std::string id;   // the stream entry's
  std::string job;  // as submitted (JSON)
  long deliveries = 1;
  std::string previous_worker;  // of a job taken over: the worker that had it
};

struct PendingJob {
  std::string id;
  std::string worker;
  double idle_s = 0.0;  // since its worker last said it is working on it
  long deliveries = 0;
};

struct DeadJob {
  std::string id;
  std::string job;
  std::string error;
};

struct QueueCounts {
  long submitted = 0;
  long waiting = 0;  // not delivered to any worker yet
  std::vector<PendingJob> in_progress;
  std::map<std::string, long> outcomes;  // "ok", "failed", "dead" -> jobs
};

// Thread-safe: one connection, one command at a time.
class JobQueue {
 public:
  // `worker` names this process in the consumer group; empty for submit and status.
  JobQueue(const Address& address, std::string worker, std::chrono::milliseconds patience = std::chrono::seconds(30));

  const Address& address() const { return m_redis.address(); }

  // False, and nothing added, when `video` was submitted before, unless `again`.
  bool submit(const std::string& video, const std::string& job, bool again);
  // `wanted`, or wanted-2, -3 ...: a name no other video of the queue has (the same video keeps its own).
  std::string claim_name(const std::string& wanted, const std::string& video);

  // A job nobody has had yet, waiting up to `wait`.
  std::optional<Delivery> read_new(std::chrono::milliseconds wait);
  // A job whose worker has not said it is working on it for `idle`: that worker stopped.
  std::optional<Delivery> take_abandoned(std::chrono::milliseconds idle);
  // Tells the others this worker still works on these jobs (resets their idle time).
  void keep(const std::vector<std::string>& ids);

  // Records the job's end ("ok" or "failed") and acknowledges it; false, and nothing recorded, when
  // another worker took it over meanwhile (this one missed its heartbeats): its end is theirs.
  bool finish(const std::string& id, const std::string& outcome);
  void bury(const Delivery& delivery, const std::string& error);   // to the dead-letter stream
  void publish(const std::string& record);

  QueueCounts counts();
  // Only the jobs waiting and in progress: what a worker with --drain asks, without the outcomes of
  // every job ever done.
  QueueCounts unfinished();
  std::vector<std::string> records();
  std::vector<DeadJob> dead();

 private:
  std::string key(const char* part) const;
  void create_group();
  std::optional<Delivery> first_entry(const ReplyView& entries);
  long deliveries_of(const std::string& id);
  long waiting();  // with m_mutex held

  std::mutex m_mutex;
  Redis m_redis;
  std::string m_worker;
};

}  // namespace clipper::queue
