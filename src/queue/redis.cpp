#include "clipper/queue/redis.hpp"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <charconv>
#include <thread>

#include "clipper/util/cancellation.hpp"
#include "clipper/util/error.hpp"

namespace clipper::queue {
namespace {

bool valid_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
  });
}

util::UsageError bad_address(std::string_view text, std::string_view cause) {
  return util::UsageError(fmt::format("--queue '{}': {} (expected redis://[:PASSWORD@]HOST:PORT/NAME or "
                                      "unix:///PATH/redis.sock?name=NAME)",
                                      text, cause));
}

Address parse_tcp(std::string_view text, std::string_view rest) {
  Address address;
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    if (credentials.empty() || credentials.front() != ':') throw bad_address(text, "write the password as :PASSWORD@");
    address.password = credentials.substr(1);
    rest.remove_prefix(at + 1);
  }
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) throw bad_address(text, "no queue name after the address");
  const std::string_view host_port = rest.substr(0, slash);
  address.name = rest.substr(slash + 1);
  const size_t colon = host_port.rfind(':');
  address.host = host_port.substr(0, colon);
  if (colon != std::string_view::npos) {
    const std::string_view port = host_port.substr(colon + 1);
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
    if (error != std::errc() || end != port.data() + port.size() || address.port <= 0 || address.port > 65535) {
      throw bad_address(text, fmt::format("'{}' is not a port", port));
    }
  }
  if (address.host.empty()) throw bad_address(text, "no host");
  return address;
}

Address parse_unix(std::string_view text, std::string_view rest) {
  Address address;
  const size_t question = rest.find('?');
  address.socket = rest.substr(0, question);
  if (address.socket.empty() || address.socket.front() != '/') throw bad_address(text, "the socket path must be absolute");
  std::string_view query = question == std::string_view::npos ? std::string_view() : rest.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t equals = pair.find('=');
    const std::string_view key = pair.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    if (key == "name") {
      address.name = value;
    } else if (key == "password") {
      address.password = value;
    } else {
      throw bad_address(text, fmt::format("unknown parameter '{}'", key));
    }
  }
  return address;
}

}  // namespace

std::string Address::text() const {
  const std::string where = socket.empty() ? fmt::format("redis://{}:{}/{}", host, port, name)
                                           : fmt::format("unix://{}?name={}", socket, name);
  return where;
}

Address parse_address(std::string_view text) {
  Address address;
  if (text.starts_with("redis://")) {
    address = parse_tcp(text, text.substr(8));
  } else if (text.starts_with("unix://")) {
    address = parse_unix(text, text.substr(7));
  } else {
    throw bad_address(text, "unknown scheme");
  }
  if (!valid_name(address.name)) throw bad_address(text, "the queue name must be letters, digits, '.', '_' or '-'");
  return address;
}

bool ReplyView::is_nil() const { return m_reply->type == REDIS_REPLY_NIL; }
bool ReplyView::is_error() const { return m_reply->type == REDIS_REPLY_ERROR; }
bool ReplyView::is_array() const { return m_reply->type == REDIS_REPLY_ARRAY; }
bool ReplyView::is_integer() const { return m_reply->type == REDIS_REPLY_INTEGER; }
long long ReplyView::integer() const { return is_integer() ? m_reply->integer : 0; }

std::string ReplyView::text() const {
  switch (m_reply->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      return std::string(m_reply->str, m_reply->len);
    case REDIS_REPLY_INTEGER:
      return std::to_string(m_reply->integer);
    default:
      return {};
  }
}

std::string ReplyView::error_code() const {
  if (!is_error()) return {};
  const std::string message = text();
  return message.substr(0, message.find(' '));
}

size_t ReplyView::size() const { return is_array() ? m_reply->elements : 0; }

ReplyView ReplyView::operator[](size_t index) const {
  if (index >= size()) throw util::Error("redis: a reply is shorter than expected");
  return ReplyView(m_reply->element[index]);
}

Reply::Reply(redisReply* reply) : m_reply(reply) {}
void Reply::Free::operator()(redisReply* reply) const { freeReplyObject(reply); }
void Redis::FreeContext::operator()(redisContext* context) const { redisFree(context); }

Redis::Redis(Address address, std::chrono::milliseconds patience)
    : m_address(std::move(address)), m_patience(patience) {
  reconnect();
}

Redis::~Redis() = default;

Redis::ContextPtr Redis::open_once(std::string& error) const {
  const timeval timeout{.tv_sec = 5, .tv_usec = 0};
  ContextPtr context(m_address.socket.empty()
                         ? redisConnectWithTimeout(m_address.host.c_str(), m_address.port, timeout)
                         : redisConnectUnixWithTimeout(m_address.socket.c_str(), timeout));
  if (!context) {
    error = "out of memory";
    return nullptr;
  }
  if (context->err) {
    error = context->errstr;
    return nullptr;
  }
  if (!m_address.password.empty()) {
    Reply reply(static_cast<redisReply*>(redisCommand(context.get(), "AUTH %s", m_address.password.c_str())));
    if (!reply.view().is_nil() && reply.view().is_error()) {
      // A wrong password is not going to get better by waiting.
      throw util::Error(fmt::format("cannot reach redis at '{}': {}", m_address.text(), reply.view().text()));
    }
  }
  return context;
}

void Redis::reconnect() {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point give_up = Clock::now() + m_patience;
  std::chrono::milliseconds wait(100);
  for (;;) {
    std::string error;
    m_context = open_once(error);
    if (m_context) return;
    if (Clock::now() >= give_up) {
      throw util::Error(fmt::format("cannot reach redis at '{}': {}", m_address.text(), error));
    }
    for (auto slept = std::chrono::milliseconds(0); slept < wait; slept += std::chrono::milliseconds(50)) {
      util::throw_if_stop_requested();
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    wait = std::min(wait * 2, std::chrono::milliseconds(2000));
  }
}

Reply Redis::command(const std::vector<std::string>& arguments) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const std::string& argument : arguments) {
    argv.push_back(argument.data());
    lengths.push_back(argument.size());
  }
  for (;;) {
    if (!m_context) reconnect();
    auto* raw = static_cast<redisReply*>(
        redisCommandArgv(m_context.get(), static_cast<int>(argv.size()), argv.data(), lengths.data()));
    if (raw) return Reply(raw);
    m_context.reset();  // the connection is lost: reopen it and send the command again
  }
}

Reply Redis::checked(const std::vector<std::string>& arguments) {
  Reply reply = command(arguments);
  if (reply.view().is_error()) {
    throw util::Error(fmt::format("redis at '{}': {} ({})", m_address.text(), reply.view().text(), arguments.front()));
  }
  return reply;
}

}  // namespace clipper::queue
