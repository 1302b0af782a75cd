#include "clipper/queue/job_queue.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "clipper/util/error.hpp"

namespace clipper::queue {
namespace {

constexpr const char* kGroup = "workers";

// The value of `field` among a stream entry's [field, value, ...].
std::string field_of(const ReplyView& fields, std::string_view field) {
  for (size_t i = 0; i + 1 < fields.size(); i += 2) {
    if (fields[i].text() == field) return fields[i + 1].text();
  }
  return {};
}

// Every entry of a stream, oldest first, read a page at a time.
template <typename Take>
void for_each_entry(Redis& redis, const std::string& stream, Take take, std::string from = "-") {
  for (;;) {
    const Reply reply = redis.checked({"XRANGE", stream, from, "+", "COUNT", "500"});
    const ReplyView entries = reply.view();
    for (size_t i = 0; i < entries.size(); ++i) take(entries[i][0].text(), entries[i][1]);
    if (entries.size() < 500) return;
    from = "(" + entries[entries.size() - 1][0].text();
  }
}

}  // namespace

JobQueue::JobQueue(const Address& address, std::string worker, std::chrono::milliseconds patience)
    : m_redis(address, patience), m_worker(std::move(worker)) {
  create_group();
}

std::string JobQueue::key(const char* part) const { return fmt::format("clipper:{}:{}", address().name, part); }

void JobQueue::create_group() {
  const Reply reply = m_redis.command({"XGROUP", "CREATE", key("jobs"), kGroup, "0", "MKSTREAM"});
  if (reply.view().is_error() && reply.view().error_code() != "BUSYGROUP") {
    throw util::Error(fmt::format("redis at '{}': {}", address().text(), reply.view().text()));
  }
}

bool JobQueue::submit(const std::string& video, const std::string& job, bool again) {
  std::lock_guard lock(m_mutex);
  const bool first_time = m_redis.checked({"SADD", key("submitted"), video}).view().integer() == 1;
  if (!first_time && !again) return false;
  m_redis.checked({"XADD", key("jobs"), "*", "job", job});
  return true;
}

std::string JobQueue::claim_name(const std::string& wanted, const std::string& video) {
  std::lock_guard lock(m_mutex);
  for (int n = 1;; ++n) {
    const std::string name = n == 1 ? wanted : fmt::format("{}-{}", wanted, n);
    if (m_redis.checked({"HSETNX", key("names"), name, video}).view().integer() == 1) return name;
    if (m_redis.checked({"HGET", key("names"), name}).view().text() == video) return name;
  }
}

std::optional<Delivery> JobQueue::first_entry(const ReplyView& entries) {
  if (entries.size() == 0) return std::nullopt;
  const ReplyView entry = entries[0];
  if (entry[1].is_nil()) return std::nullopt;  // deleted from the stream meanwhile
  return Delivery{.id = entry[0].text(), .job = field_of(entry[1], "job")};
}

std::optional<Delivery> JobQueue::read_new(std::chrono::milliseconds wait) {
  std::lock_guard lock(m_mutex);
  const std::vector<std::string> command = {
      "XREADGROUP", "GROUP", kGroup, m_worker, "COUNT", "1", "BLOCK", std::to_string(wait.count()),
      "STREAMS",    key("jobs"), ">"};
  Reply reply = m_redis.command(command);
  if (reply.view().error_code() == "NOGROUP") {
    create_group();  // a server that came back without its data
    reply = m_redis.checked(command);
  } else if (reply.view().is_error()) {
    throw util::Error(fmt::format("redis at '{}': {}", address().text(), reply.view().text()));
  }
  if (reply.view().is_nil()) return std::nullopt;
  return first_entry(reply.view()[0][1]);
}

long JobQueue::deliveries_of(const std::string& id) {
  const Reply reply = m_redis.checked({"XPENDING", key("jobs"), kGroup, id, id, "1"});
  return reply.view().size() == 0 ? 1 : reply.view()[0][3].integer();
}

std::optional<Delivery> JobQueue::take_abandoned(std::chrono::milliseconds idle) {
  std::lock_guard lock(m_mutex);
  const std::string min_idle = std::to_string(idle.count());
  const Reply stale = m_redis.checked({"XPENDING", key("jobs"), kGroup, "IDLE", min_idle, "-", "+", "1"});
  if (stale.view().size() == 0) return std::nullopt;
  const std::string id = stale.view()[0][0].text();
  const std::string previous = stale.view()[0][1].text();
  // Claimed only if still idle that long: another worker may have taken it meanwhile.
  const Reply claimed = m_redis.checked({"XCLAIM", key("jobs"), kGroup, m_worker, min_idle, id});
  std::optional<Delivery> delivery = first_entry(claimed.view());
  if (!delivery) {
    if (claimed.view().size() == 0) return std::nullopt;
    m_redis.checked({"XACK", key("jobs"), kGroup, id});  // its entry is gone from the stream
    return std::nullopt;
  }
  delivery->deliveries = deliveries_of(delivery->id);
  delivery->previous_worker = previous;
  return delivery;
}

void JobQueue::keep(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::lock_guard lock(m_mutex);
  // Only those still ours: one another worker took over must not be taken back.
  const Reply mine = m_redis.checked({"XPENDING", key("jobs"), kGroup, "-", "+", "1000", m_worker});
  std::vector<std::string> command = {"XCLAIM", key("jobs"), kGroup, m_worker, "0"};
  for (size_t i = 0; i < mine.view().size(); ++i) {
    const std::string id = mine.view()[i][0].text();
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) command.push_back(id);
  }
  if (command.size() == 5) return;
  command.emplace_back("JUSTID");
  m_redis.checked(command);
}

bool JobQueue::finish(const std::string& id, const std::string& outcome) {
  std::lock_guard lock(m_mutex);
  const Reply pending = m_redis.checked({"XPENDING", key("jobs"), kGroup, id, id, "1"});
  if (pending.view().size() == 0 || pending.view()[0][1].text() != m_worker) return false;
  m_redis.checked({"HSET", key("outcomes"), id, outcome});
  m_redis.checked({"XACK", key("jobs"), kGroup, id});
  return true;
}

void JobQueue::bury(const Delivery& delivery, const std::string& error) {
  std::lock_guard lock(m_mutex);
  m_redis.checked({"XADD", key("dead"), "*", "id", delivery.id, "job", delivery.job, "error", error});
  m_redis.checked({"HSET", key("outcomes"), delivery.id, "dead"});
  m_redis.checked({"XACK", key("jobs"), kGroup, delivery.id});
}

void JobQueue::publish(const std::string& record) {
  std::lock_guard lock(m_mutex);
  m_redis.checked({"XADD", key("records"), "*", "record", record});
}

QueueCounts JobQueue::counts() {
  QueueCounts counts = unfinished();
  std::lock_guard lock(m_mutex);
  counts.submitted = m_redis.checked({"XLEN", key("jobs")}).view().integer();
  const Reply outcomes = m_redis.checked({"HVALS", key("outcomes")});
  for (size_t i = 0; i < outcomes.view().size(); ++i) ++counts.outcomes[outcomes.view()[i].text()];
  return counts;
}

QueueCounts JobQueue::unfinished() {
  std::lock_guard lock(m_mutex);
  QueueCounts counts;
  counts.waiting = waiting();
  const Reply pending = m_redis.checked({"XPENDING", key("jobs"), kGroup, "-", "+", "10000"});
  for (size_t i = 0; i < pending.view().size(); ++i) {
    const ReplyView entry = pending.view()[i];
    counts.in_progress.push_back({.id = entry[0].text(),
                                  .worker = entry[1].text(),
                                  .idle_s = static_cast<double>(entry[2].integer()) / 1000.0,
                                  .deliveries = entry[3].integer()});
  }
  return counts;
}

long JobQueue::waiting() {
  const Reply groups = m_redis.checked({"XINFO", "GROUPS", key("jobs")});
  std::string last_delivered = "0-0";
  for (size_t g = 0; g < groups.view().size(); ++g) {
    const ReplyView group = groups.view()[g];
    if (field_of(group, "name") != kGroup) continue;
    for (size_t i = 0; i + 1 < group.size(); i += 2) {
      if (group[i].text() == "lag" && group[i + 1].is_integer()) return group[i + 1].integer();
      if (group[i].text() == "last-delivered-id") last_delivered = group[i + 1].text();
    }
  }
  // Redis could not tell the lag (it cannot when entries were deleted): count those after the last one delivered.
  long after = 0;
  for_each_entry(m_redis, key("jobs"), [&](const std::string&, const ReplyView&) { ++after; }, "(" + last_delivered);
  return after;
}

std::vector<std::string> JobQueue::records() {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> records;
  for_each_entry(m_redis, key("records"),
                 [&](const std::string&, const ReplyView& fields) { records.push_back(field_of(fields, "record")); });
  return records;
}

std::vector<DeadJob> JobQueue::dead() {
  std::lock_guard lock(m_mutex);
  std::vector<DeadJob> dead;
  for_each_entry(m_redis, key("dead"), [&](const std::string&, const ReplyView& fields) {
    dead.push_back({.id = field_of(fields, "id"), .job = field_of(fields, "job"), .error = field_of(fields, "error")});
  });
  return dead;
}

}  // namespace clipper::queue
