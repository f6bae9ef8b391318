// HttpTransport: batched JSON POSTs over HTTP/1.1 (Boost.Beast), https with verified TLS.
// Bodies (FormatHttpBody):
//   hec        Splunk HTTP Event Collector: one {"time":<epoch s>,"sourcetype":"parallax:<type>",
//              "source":"parallax","event":<record>} object per record, concatenated; "time" is
//              the wall time of the POST (the record carries its own timestamp too);
//              "Authorization: Splunk <token>"
//   ndjson     one record per line (application/x-ndjson); "Authorization: Bearer <token>"
//   json_array [record,record,...] (application/json); "Authorization: Bearer <token>"
// A 2xx answer means the batch was delivered; any other status, a timeout or a connection error
// fails the batch (QueuedSink retries it with backoff). The connection is kept alive between
// batches; a request that fails on a reused connection is tried once more on a fresh one at
// once, since servers close idle connections whenever they like.
// Thread-safety: see transport.h (strand only).
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <chrono>
#include <memory>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "sensor/sinks/stream_connection.h"
#include "sensor/sinks/transport.h"

namespace parallax::sinks {

struct HttpUrl {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  std::string port;
  std::string target = "/";
};

// http://host[:port][/path] or https://...; [v6-address] allowed. Errors name the URL.
core::Status ParseHttpUrl(const std::string& url, HttpUrl* out);

std::string FormatHttpBody(const std::vector<Record>& batch, const std::string& format,
                           std::chrono::system_clock::time_point now);
std::string HttpContentType(const std::string& format);

class HttpTransport : public Transport, public std::enable_shared_from_this<HttpTransport> {
 public:
  HttpTransport(Strand strand, const SinkConfig& config, HttpUrl url);
  core::Status Init() { return connection_.Init(); }
  void Deliver(const std::vector<Record>& batch, Done done) override;
  void Cancel() override { connection_.Close(); }
  double linger_s() const override { return linger_s_; }

 private:
  void Send(bool reused, Done done);
  void Failed(bool reused, const std::string& what, Done done);

  HttpUrl url_;
  std::string format_;
  double linger_s_;
  StreamConnection connection_;
  boost::beast::http::request<boost::beast::http::string_body> request_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace parallax::sinks
