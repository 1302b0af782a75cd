#pragma once
// A connection to a Redis server (hiredis): one owner for the context and one for each reply.
// Commands that fail on the connection reconnect with back-off and are sent again, so a server
// restarted in the middle of a run loses nothing that it had persisted.
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;
struct redisReply;

namespace clipper::queue {

// redis://[:PASSWORD@]HOST[:PORT]/NAME or unix:///PATH/redis.sock?name=NAME[&password=PASSWORD].
struct Address {
  std::string host;    // empty for a unix socket
  int port = 6379;
  std::string socket;  // a unix socket's path
  std::string password;
  std::string name;  // the queue's

  std::string text() const;  // for messages: never shows the password
};

// Throws util::UsageError naming what is wrong with the text.
Address parse_address(std::string_view text);

// A part of a reply; valid while the Reply that holds it lives.
class ReplyView {
 public:
  explicit ReplyView(const redisReply* reply) : m_reply(reply) {}
  bool is_nil() const;
  bool is_error() const;
  bool is_array() const;
  bool is_integer() const;
  long long integer() const;  // 0 unless is_integer()
  std::string text() const;   // a string, status or error; "" otherwise
  // An error reply's code, its first word by the protocol ("NOGROUP", "BUSYGROUP"); "" otherwise.
  std::string error_code() const;
  size_t size() const;        // the elements of an array
  ReplyView operator[](size_t index) const;

 private:
  const redisReply* m_reply;
};

class Reply {
 public:
  explicit Reply(redisReply* reply);
  ReplyView view() const { return ReplyView(m_reply.get()); }

 private:
  struct Free {
    void operator()(redisReply* reply) const;
  };
  std::unique_ptr<redisReply, Free> m_reply;
};

class Redis {
 public:
  // Connects and authenticates; throws util::Error "cannot reach redis at 'ADDRESS': CAUSE" when
  // that fails `patience` long.
  explicit Redis(Address address, std::chrono::milliseconds patience = std::chrono::seconds(30));
  ~Redis();
  Redis(const Redis&) = delete;
  Redis& operator=(const Redis&) = delete;

  // The reply, also an error reply. A lost connection is reopened (waits doubling from 0.1 s to
  // 2 s) and the command sent again, for `patience`; then util::Error. A stop request ends the
  // waiting with util::Interrupted.
  Reply command(const std::vector<std::string>& arguments);
  // As command(), and an error reply throws util::Error "redis at 'ADDRESS': ERROR".
  Reply checked(const std::vector<std::string>& arguments);

  const Address& address() const { return m_address; }

 private:
  struct FreeContext {
    void operator()(redisContext* context) const;
  };
  using ContextPtr = std::unique_ptr<redisContext, FreeContext>;

  ContextPtr open_once(std::string& error) const;
  void reconnect();

  Address m_address;
  std::chrono::milliseconds m_patience;
  ContextPtr m_context;
};

}  // namespace clipper::queue
