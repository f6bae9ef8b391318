// The daemon's HTTP endpoint on loopback: the Bearer scheme in any case (RFC 7235), the token
// compared exactly, /healthz for ok, degraded (200) and failed (503); the listen address parsed.
#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>
#include <string>
#include <thread>

#include "sensor/daemon/http_endpoint.h"

using namespace parallax;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// One request, the whole response (the endpoint closes after each).
std::string Get(unsigned short port, const std::string& path, const std::string& auth) {
  asio::io_context io;
  tcp::socket s(io);
  s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n";
  if (!auth.empty()) req += "Authorization: " + auth + "\r\n";
  req += "\r\n";
  asio::write(s, asio::buffer(req));
  std::string out;
  boost::system::error_code ec;
  asio::read(s, asio::dynamic_buffer(out), ec);  // to EOF
  return out;
}

std::string StatusLine(const std::string& response) {
  return response.substr(0, response.find("\r\n"));
}

std::string Body(const std::string& response) {
  const auto p = response.find("\r\n\r\n");
  return p == std::string::npos ? "" : response.substr(p + 4);
}

struct Server {
  asio::io_context io;
  std::unique_ptr<daemon::HttpEndpoint> endpoint;
  daemon::Health health;
  std::thread thread;

  explicit Server(const std::string& token) {
    daemon::HttpHandlers h{[] { return std::string("# HELP x\n"); }, [this] { return health; }};
    REQUIRE(daemon::HttpEndpoint::Start(io, "127.0.0.1:0", token, std::move(h), &endpoint).ok());
    thread = std::thread([this] { io.run(); });
  }
  ~Server() {
    endpoint->Stop();
    io.stop();
    thread.join();
  }
};

}  // namespace

TEST_CASE("the Bearer scheme is case-insensitive; the token is not") {
  Server srv("s3cret");
  const auto port = srv.endpoint->port();
  for (const char* auth : {"Bearer s3cret", "bearer s3cret", "BEARER s3cret", "BeArEr   s3cret"}) {
    INFO(auth);
    CHECK(StatusLine(Get(port, "/metrics", auth)) == "HTTP/1.1 200 OK");
  }
  for (const char* auth : {"", "Bearer S3CRET", "Bearer s3cre", "Bearer s3cretX", "Basic s3cret",
                           "Bearers3cret", "Bearer", "s3cret"}) {
    INFO(auth);
    CHECK(StatusLine(Get(port, "/metrics", auth)) == "HTTP/1.1 401 Unauthorized");
  }
}

TEST_CASE("/healthz: ok, degraded while a sink is down (200, says which), failed (503)") {
  Server srv("");
  const auto port = srv.endpoint->port();
  auto r = Get(port, "/healthz", "");
  CHECK(StatusLine(r) == "HTTP/1.1 200 OK");
  CHECK(Body(r) == "ok\n");
  srv.health = {daemon::Health::kDegraded, "sink hec is down (3 alert(s) spooled)"};
  r = Get(port, "/healthz", "");
  CHECK(StatusLine(r) == "HTTP/1.1 200 OK");
  CHECK(Body(r) == "degraded: sink hec is down (3 alert(s) spooled)\n");
  srv.health = {daemon::Health::kFailed, "capture on eth1 failed: gone"};
  r = Get(port, "/healthz", "");
  CHECK(StatusLine(r) == "HTTP/1.1 503 Service Unavailable");
  CHECK(Body(r) == "capture on eth1 failed: gone\n");
}

TEST_CASE("listen addresses: IPv4, IPv6, port range, names refused") {
  tcp::endpoint ep;
  CHECK(daemon::ParseListenAddress("127.0.0.1:9109", &ep).ok());
  CHECK(ep.port() == 9109);
  CHECK(daemon::ParseListenAddress("[::1]:0", &ep).ok());
  CHECK(ep.address().is_v6());
  CHECK(daemon::ParseListenAddress("notahost:99999", &ep).message() ==
        "http.listen: bad port in 'notahost:99999'");
  CHECK(daemon::ParseListenAddress("notahost:9109", &ep).message().rfind(
            "http.listen: bad address 'notahost'", 0) == 0);
  CHECK_FALSE(daemon::ParseListenAddress("9109", &ep).ok());
}
