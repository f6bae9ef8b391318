// StreamConnection: one client TCP connection, optionally TLS, made on a sink's strand: resolve,
// connect, handshake, with a deadline over the whole of it and over each later operation. TLS
// verifies the server certificate against ca_file (or the system's trust store) and its name
// against server_name (or the host) unless verify is off; SNI is sent for host names.
// Shared by the syslog (TCP, RFC 5425 TLS) and HTTP transports.
// Thread-safety: strand only (like transport.h). Completion handlers run on the strand. One
// operation at a time; the caller keeps the connection alive until its handler has run.
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <functional>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sensor/sinks/sink_config.h"
#include "sensor/sinks/transport.h"

namespace parallax::sinks {

class StreamConnection {
 public:
  using Handler = std::function<void(core::Status)>;
  using Socket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<Socket>;

  StreamConnection(Strand strand, std::string host, std::string port, TlsConfig tls,
                   double timeout_s);
  // Sets up TLS (loads ca_file); errors name the file.
  core::Status Init();

  bool is_open() const { return open_; }
  // Whether the peer has closed an idle plain-TCP connection (a peek finds end of stream).
  bool PeerClosed() const;
  void AsyncConnect(Handler handler);
  // Runs f(stream) with the plain socket or the TLS stream, for Asio/Beast composed operations.
  template <class F>
  void Visit(F&& f) {
    if (tls_stream_) {
      f(*tls_stream_);
    } else {
      f(*socket_);
    }
  }
  // Arms the deadline for the next operation; when it passes the connection is closed, which
  // makes the outstanding operation fail. Disarm() when it completes.
  void Arm();
  void Disarm();
  bool timed_out() const { return timed_out_; }
  void Close();
  const std::string& endpoint() const { return endpoint_; }

 private:
  // The TCP socket under either stream; null before the first connect.
  Socket* lowest() const { return tls_stream_ ? &tls_stream_->next_layer() : socket_.get(); }

  Strand strand_;
  std::string host_, port_, endpoint_;
  TlsConfig tls_;
  double timeout_s_;
  std::unique_ptr<boost::asio::ssl::context> ssl_ctx_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  std::unique_ptr<Socket> socket_;          // plain TCP
  std::unique_ptr<TlsStream> tls_stream_;  // or TLS (owning its socket)
  std::shared_ptr<int> generation_ = std::make_shared<int>(0);
  bool open_ = false;
  bool timed_out_ = false;
};

}  // namespace parallax::sinks
