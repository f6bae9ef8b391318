#include "sensor/daemon/http_endpoint.h"

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <string_view>

#include "sensor/logging/log.h"

namespace parallax::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// Compares the Authorization header with the expected one in time that depends on the lengths
// only, not on where they first differ (no timing oracle for the token, byte by byte).
bool SameSecret(std::string_view given, std::string_view expected) {
  unsigned char diff = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    diff |= static_cast<unsigned char>(expected[i]) ^
            static_cast<unsigned char>(i < given.size() ? given[i] : 0);
  }
  return diff == 0;
}

// The credentials of "Authorization: Bearer <token>": the scheme is case-insensitive (RFC 7235
// section 2.1: "bearer" and "BEARER" are the same scheme) and followed by one or more spaces; the
// token itself is compared exactly. Empty when the header is not a bearer one.
std::string_view BearerCredentials(std::string_view header) {
  constexpr std::string_view kScheme = "bearer";
  if (header.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return {};
  }
  std::size_t pos = kScheme.size();
  if (header[pos] != ' ') return {};
  while (pos < header.size() && header[pos] == ' ') ++pos;
  return header.substr(pos);
}

}  // namespace

struct HttpEndpoint::State : std::enable_shared_from_this<HttpEndpoint::State> {
  explicit State(asio::io_context& io) : acceptor(io) {}
  tcp::acceptor acceptor;
  std::string token;
  HttpHandlers handlers;
  bool stopped = false;

  void Accept() {
    acceptor.async_accept([self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
      if (self->stopped) return;
      if (!ec) Serve(self, std::move(socket));
      self->Accept();
    });
  }

  static void Serve(std::shared_ptr<State> self, tcp::socket socket) {
    struct Conn {
      beast::tcp_stream stream;
      beast::flat_buffer buffer;
      http::request<http::string_body> req;
      http::response<http::string_body> res;
      explicit Conn(tcp::socket s) : stream(std::move(s)) {}
    };
    auto c = std::make_shared<Conn>(std::move(socket));
    c->stream.expires_after(std::chrono::seconds(10));
    http::async_read(c->stream, c->buffer, c->req, [self, c](beast::error_code ec, std::size_t) {
      if (ec) return;
      self->Respond(c->req, &c->res);
      c->res.prepare_payload();
      http::async_write(c->stream, c->res, [c](beast::error_code, std::size_t) {
        beast::error_code ignored;
        c->stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
      });
    });
  }

  void Respond(const http::request<http::string_body>& req,
               http::response<http::string_body>* res) {
    res->version(req.version());
    res->keep_alive(false);
    res->set(http::field::server, "parallax");
    res->set(http::field::content_type, "text/plain; charset=utf-8");
    if (!token.empty()) {
      const auto auth = req[http::field::authorization];
      const std::string_view given = BearerCredentials(std::string_view(auth.data(), auth.size()));
      if (given.empty() || !SameSecret(given, token)) {
        res->result(http::status::unauthorized);
        res->set(http::field::www_authenticate, "Bearer");
        res->body() = "unauthorized\n";
        log::Warn("http", "request without a valid bearer token",
                  {{"target", std::string(req.target())}});
        return;
      }
    }
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
      res->result(http::status::method_not_allowed);
      res->body() = "GET only\n";
      return;
    }
    const std::string_view target(req.target().data(), req.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") {
      res->result(http::status::ok);
      res->set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res->body() = handlers.metrics();
    } else if (path == "/healthz") {
      const Health h = handlers.health();
      // Degraded (a sink down: alerts wait in its spool) still answers 200: nothing is lost, and
      // restarting the sensor would not bring the destination back.
      res->result(h.state == Health::kFailed ? http::status::service_unavailable
                                             : http::status::ok);
      res->body() = h.state == Health::kOk ? "ok\n"
                    : h.state == Health::kDegraded ? "degraded: " + h.why + "\n"
                                                  : h.why + "\n";
    } else {
      res->result(http::status::not_found);
      res->body() = "not found: /metrics and /healthz are served\n";
    }
    if (req.method() == http::verb::head) res->body().clear();
  }
};

core::Status ParseListenAddress(const std::string& listen, tcp::endpoint* out) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return core::Status::Error("http.listen: expected HOST:PORT, got '" + listen + "'");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  unsigned long port = 0;
  try {
    std::size_t used = 0;
    port = std::stoul(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1 || port > 65535) throw std::out_of_range("port");
  } catch (const std::exception&) {
    return core::Status::Error("http.listen: bad port in '" + listen + "'");
  }
  beast::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) {
    return core::Status::Error("http.listen: bad address '" + host + "' (an IP address, not a "
                               "name): " + ec.message());
  }
  *out = tcp::endpoint(addr, static_cast<unsigned short>(port));
  return core::Status::Ok();
}

core::Status HttpEndpoint::Start(asio::io_context& io, const std::string& listen,
                                 std::string bearer_token, HttpHandlers handlers,
                                 std::unique_ptr<HttpEndpoint>* out) {
  tcp::endpoint ep;
  if (auto s = ParseListenAddress(listen, &ep); !s.ok()) return s;
  beast::error_code ec;
  auto state = std::make_shared<State>(io);
  state->acceptor.open(ep.protocol(), ec);
  if (!ec) state->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) state->acceptor.bind(ep, ec);
  if (!ec) state->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return core::Status::Error("http.listen: cannot listen on " + listen + ": " + ec.message());
  state->token = std::move(bearer_token);
  state->handlers = std::move(handlers);
  std::unique_ptr<HttpEndpoint> e(new HttpEndpoint());
  e->port_ = state->acceptor.local_endpoint().port();
  e->state_ = state;
  asio::post(io, [state] { state->Accept(); });
  *out = std::move(e);
  return core::Status::Ok();
}

HttpEndpoint::~HttpEndpoint() { Stop(); }

void HttpEndpoint::Stop() {
  if (!state_) return;
  // Closed on the io thread, where the acceptor lives.
  asio::post(state_->acceptor.get_executor(), [s = state_] {
    s->stopped = true;
    beast::error_code ignored;
    s->acceptor.close(ignored);
  });
  state_.reset();
}

}  // namespace parallax::daemon
