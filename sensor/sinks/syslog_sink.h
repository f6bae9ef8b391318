// Syslog transports: RFC 5424 messages (syslog_format.h) over UDP, one datagram per message
// (RFC 5426; best effort, a datagram lost on the way is not noticed), or over TCP with RFC 6587
// octet counting, optionally in TLS (RFC 5425). TCP reconnects on the next batch after a failure
// and checks an idle connection for a close by the server before reusing it. TCP gives no
// application-level acknowledgement, so a batch written just as the server dies can be lost;
// use the HTTP or Kafka sink where delivery must be confirmed.
// Thread-safety: see transport.h (strand only).
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <memory>
#include <string>

#include <boost/asio/ip/udp.hpp>

#include "sensor/sinks/stream_connection.h"
#include "sensor/sinks/syslog_format.h"
#include "sensor/sinks/transport.h"

namespace parallax::sinks {

class SyslogUdpTransport : public Transport,
                           public std::enable_shared_from_this<SyslogUdpTransport> {
 public:
  SyslogUdpTransport(Strand strand, std::string host, std::string port, SyslogHeader header);
  void Deliver(const std::vector<Record>& batch, Done done) override;
  void Cancel() override;

 private:
  void SendNext(std::shared_ptr<std::vector<std::string>> messages, std::size_t i, Done done);
  Strand strand_;
  std::string host_, port_;
  SyslogHeader header_;
  boost::asio::ip::udp::resolver resolver_;
  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint endpoint_;
  bool resolved_ = false;
};

class SyslogTcpTransport : public Transport,
                           public std::enable_shared_from_this<SyslogTcpTransport> {
 public:
  SyslogTcpTransport(Strand strand, std::string host, std::string port, TlsConfig tls,
                     double timeout_s, SyslogHeader header);
  core::Status Init() { return connection_.Init(); }
  void Deliver(const std::vector<Record>& batch, Done done) override;
  void Cancel() override { connection_.Close(); }

 private:
  void Write(std::shared_ptr<std::string> data, Done done);
  SyslogHeader header_;
  StreamConnection connection_;
};

}  // namespace parallax::sinks
