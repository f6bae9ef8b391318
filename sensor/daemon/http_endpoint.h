// HttpEndpoint: the daemon's observability endpoint (Boost.Beast on the daemon's io_context):
//   GET /metrics  Prometheus text format
//   GET /healthz  200 "ok" while capture and workers run; 200 "degraded: <why>" while a sink is
//                 down (alerts wait in its spool); 503 with the reason when a capture failed
// Listens on loopback by default; with a bearer token configured every request needs
// "Authorization: Bearer <token>" (the scheme in any case, RFC 7235; 401 otherwise). One request per connection, 10 s deadline.
// Thread-safety: runs on the io_context; the callbacks are called there.
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "sensor/core/status.h"

namespace parallax::daemon {

struct Health {
  enum State { kOk, kDegraded, kFailed } state = kOk;
  std::string why;  // what is degraded or failed
};

struct HttpHandlers {
  std::function<std::string()> metrics;
  std::function<Health()> health;
};

// "HOST:PORT" with HOST an IPv4 or IPv6 address ([...] allowed) and PORT 0..65535; errors are
// "http.listen: ...".
core::Status ParseListenAddress(const std::string& listen, boost::asio::ip::tcp::endpoint* out);

class HttpEndpoint {
 public:
  // listen: "HOST:PORT" ("127.0.0.1:9109", "[::1]:9109"; port 0 picks a free one).
  static core::Status Start(boost::asio::io_context& io, const std::string& listen,
                            std::string bearer_token, HttpHandlers handlers,
                            std::unique_ptr<HttpEndpoint>* out);
  ~HttpEndpoint();
  void Stop();
  unsigned short port() const { return port_; }

 private:
  struct State;
  HttpEndpoint() = default;
  std::shared_ptr<State> state_;
  unsigned short port_ = 0;
};

}  // namespace parallax::daemon
