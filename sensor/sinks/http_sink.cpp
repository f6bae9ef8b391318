#include "sensor/sinks/http_sink.h"

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <cstdio>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace parallax::sinks {
namespace http = boost::beast::http;

core::Status ParseHttpUrl(const std::string& url, HttpUrl* out) {
  HttpUrl u;
  std::string rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    rest = url.substr(8);
  } else {
    return core::Status::Error("url " + url + ": must start with http:// or https://");
  }
  const std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  if (slash != std::string::npos) u.target = rest.substr(slash);
  if (authority.find('@') != std::string::npos) {
    return core::Status::Error("url " + url + ": credentials in the URL are not supported (use token)");
  }
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) return core::Status::Error("url " + url + ": unclosed [");
    u.host = authority.substr(1, close - 1);
    authority = authority.substr(close + 1);
    if (!authority.empty() && authority.front() != ':') {
      return core::Status::Error("url " + url + ": bad authority");
    }
    if (!authority.empty()) u.port = authority.substr(1);
  } else {
    const std::size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return core::Status::Error("url " + url + ": no host");
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  if (u.port.find_first_not_of("0123456789") != std::string::npos || u.port.size() > 5 ||
      std::stoul(u.port) == 0 || std::stoul(u.port) > 65535) {
    return core::Status::Error("url " + url + ": bad port");
  }
  *out = std::move(u);
  return core::Status::Ok();
}

std::string HttpContentType(const std::string& format) {
  if (format == "ndjson") return "application/x-ndjson";
  return "application/json";
}

std::string FormatHttpBody(const std::vector<Record>& batch, const std::string& format,
                           std::chrono::system_clock::time_point now) {
  std::string body;
  if (format == "ndjson") {
    for (const Record& r : batch) {
      body += r.json;
      body += '\n';
    }
  } else if (format == "json_array") {
    body = "[";
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (i) body += ',';
      body += batch[i].json;
    }
    body += ']';
  } else {  // hec
    const long long ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    char time[32];
    std::snprintf(time, sizeof time, "%lld.%03lld", ms / 1000, ms % 1000);
    for (const Record& r : batch) {
      body += "{\"time\":";
      body += time;
      body += ",\"sourcetype\":\"parallax:";
      body += output::EventTypeName(r.type);
      body += "\",\"source\":\"parallax\",\"event\":";
      body += r.json;
      body += '}';
    }
  }
  return body;
}

HttpTransport::HttpTransport(Strand strand, const SinkConfig& config, HttpUrl url)
    : url_(std::move(url)),
      format_(config.format),
      linger_s_(config.batch_linger_s),
      connection_(std::move(strand), url_.host, url_.port,
                  [&] {
                    TlsConfig tls = config.tls;
                    tls.enabled = url_.tls;
                    return tls;
                  }(),
                  config.timeout_s) {
  request_.method(http::verb::post);
  request_.target(url_.target);
  request_.version(11);
  const bool default_port = url_.port == (url_.tls ? "443" : "80");
  const std::string host =
      url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
  request_.set(http::field::host, default_port ? host : host + ":" + url_.port);
  request_.set(http::field::user_agent, "parallax");
  request_.set(http::field::content_type, HttpContentType(format_));
  if (!config.token.empty()) {
    request_.set(http::field::authorization,
                 (format_ == "hec" ? "Splunk " : "Bearer ") + config.token);
  }
  for (const auto& [name, value] : config.headers) request_.set(name, value);
  request_.keep_alive(true);
}

void HttpTransport::Deliver(const std::vector<Record>& batch, Done done) {
  request_.body() = FormatHttpBody(batch, format_, std::chrono::system_clock::now());
  request_.prepare_payload();
  if (connection_.is_open() && !connection_.PeerClosed()) return Send(true, std::move(done));
  connection_.AsyncConnect(
      [self = shared_from_this(), done = std::move(done)](core::Status st) mutable {
        if (!st.ok()) return done(st);
        self->Send(false, std::move(done));
      });
}

void HttpTransport::Failed(bool reused, const std::string& what, Done done) {
  const bool timed_out = connection_.timed_out();
  connection_.Disarm();
  connection_.Close();
  if (reused && !timed_out) {
    connection_.AsyncConnect(
        [self = shared_from_this(), done = std::move(done)](core::Status st) mutable {
          if (!st.ok()) return done(st);
          self->Send(false, std::move(done));
        });
    return;
  }
  done(core::Status::Error(connection_.endpoint() + ": " + what +
                           (timed_out ? ": timed out" : "")));
}

void HttpTransport::Send(bool reused, Done done) {
  buffer_.consume(buffer_.size());
  response_ = {};
  connection_.Arm();
  connection_.Visit([&](auto& stream) {
    http::async_write(
        stream, request_,
        [self = shared_from_this(), &stream, reused, done = std::move(done)](
            boost::system::error_code ec, std::size_t) mutable {
          if (ec) return self->Failed(reused, "send: " + ec.message(), std::move(done));
          http::async_read(
              stream, self->buffer_, self->response_,
              [self, reused, done = std::move(done)](boost::system::error_code ec2,
                                                     std::size_t) mutable {
                if (ec2) return self->Failed(reused, "response: " + ec2.message(), std::move(done));
                self->connection_.Disarm();
                if (!self->response_.keep_alive()) self->connection_.Close();
                const unsigned status = self->response_.result_int();
                if (status >= 200 && status < 300) return done(core::Status::Ok());
                std::string body = self->response_.body().substr(0, 200);
                done(core::Status::Error(self->connection_.endpoint() + ": HTTP " +
                                         std::to_string(status) + " " + body));
              });
        });
  });
}

}  // namespace parallax::sinks
