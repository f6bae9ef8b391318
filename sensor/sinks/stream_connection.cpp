#include "sensor/sinks/stream_connection.h"

#include <sys/socket.h>

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>

namespace parallax::sinks {
namespace {

std::string Describe(const std::string& what, const boost::system::error_code& ec) {
  return what + ": " + ec.message();
}

}  // namespace

StreamConnection::StreamConnection(Strand strand, std::string host, std::string port,
                                   TlsConfig tls, double timeout_s)
    : strand_(std::move(strand)),
      host_(std::move(host)),
      port_(std::move(port)),
      endpoint_(host_ + ":" + port_),
      tls_(std::move(tls)),
      timeout_s_(timeout_s > 0 ? timeout_s : 10.0),
      resolver_(strand_),
      deadline_(strand_) {}

core::Status StreamConnection::Init() {
  if (!tls_.enabled) return core::Status::Ok();
  namespace ssl = boost::asio::ssl;
  boost::system::error_code ec;
  try {
    ssl_ctx_ = std::make_unique<ssl::context>(ssl::context::tls_client);
  } catch (const boost::system::system_error& e) {
    return core::Status::Error(std::string("TLS context: ") + e.what());
  }
  ssl_ctx_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                            ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                            ssl::context::no_tlsv1_1,
                        ec);
  if (tls_.verify) {
    if (!tls_.ca_file.empty()) {
      ssl_ctx_->load_verify_file(tls_.ca_file, ec);
      if (ec) return core::Status::Error(Describe(tls_.ca_file, ec));
    } else {
      ssl_ctx_->set_default_verify_paths(ec);
      if (ec) return core::Status::Error(Describe("TLS default trust store", ec));
    }
    ssl_ctx_->set_verify_mode(ssl::verify_peer, ec);
  } else {
    ssl_ctx_->set_verify_mode(ssl::verify_none, ec);
  }
  if (ec) return core::Status::Error(Describe("TLS verify mode", ec));
  return core::Status::Ok();
}

bool StreamConnection::PeerClosed() const {
  if (!is_open() || tls_stream_) return false;
  char c;
  const ssize_t n = ::recv(lowest()->native_handle(), &c, 1, MSG_PEEK | MSG_DONTWAIT);
  return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

void StreamConnection::Arm() {
  timed_out_ = false;
  const int gen = ++*generation_;
  deadline_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(timeout_s_)));
  // The connection outlives its operations (the owner guarantees it), and so this handler,
  // which the generation check keeps from closing a later operation's socket.
  deadline_.async_wait([this, gen, alive = std::weak_ptr<int>(generation_)](
                           boost::system::error_code ec) {
    if (ec || alive.expired() || *generation_ != gen) return;
    timed_out_ = true;
    Close();
  });
}

void StreamConnection::Disarm() {
  ++*generation_;
  deadline_.cancel();
}

void StreamConnection::Close() {
  resolver_.cancel();
  if (Socket* s = lowest()) {
    boost::system::error_code ignored;
    s->shutdown(Socket::shutdown_both, ignored);
    s->close(ignored);
  }
  open_ = false;
}

void StreamConnection::AsyncConnect(Handler handler) {
  namespace asio = boost::asio;
  using asio::ip::tcp;
  Close();
  // Nothing is outstanding on the old streams (one operation at a time), so they can go.
  tls_stream_.reset();
  socket_.reset();
  if (tls_.enabled) {
    tls_stream_ = std::make_unique<TlsStream>(strand_, *ssl_ctx_);
  } else {
    socket_ = std::make_unique<Socket>(strand_);
  }
  Arm();
  resolver_.async_resolve(
      host_, port_,
      [this, handler = std::move(handler)](boost::system::error_code ec,
                                           tcp::resolver::results_type results) mutable {
        if (ec) {
          Disarm();
          return handler(core::Status::Error(
              Describe(endpoint_ + ": resolve", timed_out_ ? asio::error::timed_out : ec)));
        }
        asio::async_connect(
            *lowest(), results,
            [this, handler = std::move(handler)](boost::system::error_code ec2,
                                                 const tcp::endpoint&) mutable {
              if (ec2) {
                Disarm();
                Close();
                return handler(core::Status::Error(Describe(
                    endpoint_ + ": connect", timed_out_ ? asio::error::timed_out : ec2)));
              }
              boost::system::error_code ignored;
              lowest()->set_option(tcp::no_delay(true), ignored);
              if (!tls_stream_) {
                Disarm();
                open_ = true;
                return handler(core::Status::Ok());
              }
              const std::string name = tls_.server_name.empty() ? host_ : tls_.server_name;
              boost::system::error_code not_ip;
              asio::ip::make_address(name, not_ip);
              if (not_ip) {
                // SNI is for names only (RFC 6066).
                SSL_set_tlsext_host_name(tls_stream_->native_handle(), name.c_str());
              }
              if (tls_.verify) {
                tls_stream_->set_verify_callback(asio::ssl::host_name_verification(name));
              }
              tls_stream_->async_handshake(
                  asio::ssl::stream_base::client,
                  [this, handler = std::move(handler)](boost::system::error_code ec3) mutable {
                    Disarm();
                    if (ec3) {
                      Close();
                      return handler(core::Status::Error(Describe(
                          endpoint_ + ": TLS handshake",
                          timed_out_ ? asio::error::timed_out : ec3)));
                    }
                    open_ = true;
                    handler(core::Status::Ok());
                  });
            });
      });
}

}  // namespace parallax::sinks
