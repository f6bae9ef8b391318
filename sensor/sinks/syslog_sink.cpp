#include "sensor/sinks/syslog_sink.h"

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <chrono>

#include <boost/asio/write.hpp>

namespace parallax::sinks {
namespace {

// Larger messages would not fit a UDP datagram; RFC 5426 lets the sender truncate.
constexpr std::size_t kMaxDatagram = 65000;

}  // namespace

SyslogUdpTransport::SyslogUdpTransport(Strand strand, std::string host, std::string port,
                                       SyslogHeader header)
    : strand_(strand),
      host_(std::move(host)),
      port_(std::move(port)),
      header_(std::move(header)),
      resolver_(strand),
      socket_(strand) {}

void SyslogUdpTransport::Cancel() {
  resolver_.cancel();
  boost::system::error_code ignored;
  socket_.close(ignored);
  resolved_ = false;
}

void SyslogUdpTransport::Deliver(const std::vector<Record>& batch, Done done) {
  auto messages = std::make_shared<std::vector<std::string>>();
  const auto now = std::chrono::system_clock::now();
  for (const Record& r : batch) {
    messages->push_back(FormatSyslog(r, header_, now));
    if (messages->back().size() > kMaxDatagram) messages->back().resize(kMaxDatagram);
  }
  if (resolved_) return SendNext(std::move(messages), 0, std::move(done));
  resolver_.async_resolve(
      host_, port_,
      [self = shared_from_this(), messages, done = std::move(done)](
          boost::system::error_code ec,
          boost::asio::ip::udp::resolver::results_type results) mutable {
        if (ec || results.empty()) {
          return done(core::Status::Error(self->host_ + ":" + self->port_ +
                                          ": resolve: " + ec.message()));
        }
        self->endpoint_ = results.begin()->endpoint();
        boost::system::error_code open_ec;
        if (self->socket_.is_open()) self->socket_.close(open_ec);
        self->socket_.open(self->endpoint_.protocol(), open_ec);
        if (open_ec) return done(core::Status::Error("syslog udp socket: " + open_ec.message()));
        self->resolved_ = true;
        self->SendNext(std::move(messages), 0, std::move(done));
      });
}

void SyslogUdpTransport::SendNext(std::shared_ptr<std::vector<std::string>> messages,
                                  std::size_t i, Done done) {
  if (i == messages->size()) return done(core::Status::Ok());
  const std::string& m = (*messages)[i];
  socket_.async_send_to(
      boost::asio::buffer(m), endpoint_,
      [self = shared_from_this(), messages, i, done = std::move(done)](
          boost::system::error_code ec, std::size_t) mutable {
        if (ec) {
          self->resolved_ = false;  // resolve again next time (the address may have moved)
          return done(core::Status::Error(self->host_ + ":" + self->port_ +
                                          ": send: " + ec.message()));
        }
        self->SendNext(std::move(messages), i + 1, std::move(done));
      });
}

SyslogTcpTransport::SyslogTcpTransport(Strand strand, std::string host, std::string port,
                                       TlsConfig tls, double timeout_s, SyslogHeader header)
    : header_(std::move(header)),
      connection_(std::move(strand), std::move(host), std::move(port), std::move(tls),
                  timeout_s) {}

void SyslogTcpTransport::Deliver(const std::vector<Record>& batch, Done done) {
  auto data = std::make_shared<std::string>();
  const auto now = std::chrono::system_clock::now();
  for (const Record& r : batch) *data += OctetCountingFrame(FormatSyslog(r, header_, now));
  if (connection_.is_open() && !connection_.PeerClosed()) {
    return Write(std::move(data), std::move(done));
  }
  connection_.AsyncConnect([self = shared_from_this(), data,
                            done = std::move(done)](core::Status st) mutable {
    if (!st.ok()) return done(st);
    self->Write(std::move(data), std::move(done));
  });
}

void SyslogTcpTransport::Write(std::shared_ptr<std::string> data, Done done) {
  connection_.Arm();
  connection_.Visit([&](auto& stream) {
    boost::asio::async_write(
        stream, boost::asio::buffer(*data),
        [self = shared_from_this(), data, done = std::move(done)](boost::system::error_code ec,
                                                                  std::size_t) mutable {
          self->connection_.Disarm();
          if (ec) {
            const bool timed_out = self->connection_.timed_out();
            self->connection_.Close();
            return done(core::Status::Error(
                self->connection_.endpoint() + ": write: " +
                (timed_out ? std::string("timed out") : ec.message())));
          }
          done(core::Status::Ok());
        });
  });
}

}  // namespace parallax::sinks
