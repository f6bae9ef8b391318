// CreateSink: validates a SinkConfig, opens the sink's spool and builds the transport for its
// type on a strand of the daemon's io_context.
#include <unistd.h>

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <boost/asio/io_context.hpp>

#include "sensor/sinks/file_sink.h"
#include "sensor/sinks/http_sink.h"
#include "sensor/sinks/kafka_sink.h"
#include "sensor/sinks/queued_sink.h"
#include "sensor/sinks/sink.h"
#include "sensor/sinks/spool.h"
#include "sensor/sinks/syslog_sink.h"

namespace parallax::sinks {
namespace {

core::Status Invalid(const SinkConfig& c, const std::string& what) {
  return core::Status::Error("sink " + (c.name.empty() ? std::string("(unnamed)") : c.name) +
                             ": " + what);
}

core::Status ValidateConfig(const SinkConfig& c) {
  // The name is a folder name in the spool directory.
  if (c.name.empty() || c.name == "." || c.name == ".." ||
      c.name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
          std::string::npos) {
    return Invalid(c, "name must be non-empty letters, digits, '.', '_' or '-'");
  }
  for (const std::string& e : c.events) {
    bool known = false;
    for (unsigned i = 0; i < static_cast<unsigned>(output::EventType::kCount); ++i) {
      known |= output::EventTypeName(static_cast<output::EventType>(i)) == e;
    }
    if (!known) return Invalid(c, "unknown event type \"" + e + "\"");
  }
  if (c.queue_capacity == 0) return Invalid(c, "queue_capacity must be at least 1");
  if (c.batch_max == 0) return Invalid(c, "batch_max must be at least 1");
  if (!(c.retry_initial_s > 0) || !(c.retry_max_s >= c.retry_initial_s)) {
    return Invalid(c, "need 0 < retry_initial_s <= retry_max_s");
  }
  if (!(c.timeout_s > 0)) return Invalid(c, "timeout_s must be positive");
  if (!(c.batch_linger_s >= 0)) return Invalid(c, "batch_linger_s must not be negative");
  switch (c.type) {
    case SinkType::kFile:
      if (c.path.empty()) return Invalid(c, "file sink needs a path");
      break;
    case SinkType::kStdout:
      break;
    case SinkType::kSyslog: {
      int facility = 0;
      if (!ParseSyslogFacility(c.facility, &facility)) {
        return Invalid(c, "unknown syslog facility \"" + c.facility + "\"");
      }
      if (c.transport != "udp" && c.transport != "tcp") {
        return Invalid(c, "syslog transport must be udp or tcp, not \"" + c.transport + "\"");
      }
      if (c.tls.enabled && c.transport != "tcp") return Invalid(c, "syslog tls needs transport tcp");
      if (c.host.empty() || c.port == 0) return Invalid(c, "syslog sink needs host and port");
      break;
    }
    case SinkType::kHttp: {
      if (c.url.empty()) return Invalid(c, "http sink needs a url");
      HttpUrl u;
      if (core::Status st = ParseHttpUrl(c.url, &u); !st.ok()) return Invalid(c, st.message());
      if (c.format != "hec" && c.format != "ndjson" && c.format != "json_array") {
        return Invalid(c, "http format must be hec, ndjson or json_array, not \"" + c.format + "\"");
      }
      break;
    }
    case SinkType::kKafka:
      if (c.brokers.empty() && !c.kafka_properties.count("bootstrap.servers")) {
        return Invalid(c, "kafka sink needs brokers");
      }
      if (c.topic.empty()) return Invalid(c, "kafka sink needs a topic");
      break;
  }
  return core::Status::Ok();
}

core::Status MakeTransport(const SinkConfig& c, const Strand& strand,
                           std::shared_ptr<Transport>* out) {
  switch (c.type) {
    case SinkType::kFile: {
      auto t = std::make_shared<FileTransport>(c.path, c.rotate_bytes, c.rotate_keep);
      if (core::Status st = t->Open(); !st.ok()) return Invalid(c, st.message());
      *out = std::move(t);
      return core::Status::Ok();
    }
    case SinkType::kStdout:
      *out = std::make_shared<StdoutTransport>();
      return core::Status::Ok();
    case SinkType::kSyslog: {
      SyslogHeader h;
      ParseSyslogFacility(c.facility, &h.facility);
      h.app_name = c.app_name;
      h.hostname = c.hostname;
      if (h.hostname.empty()) {
        char buf[256] = {};
        if (::gethostname(buf, sizeof buf - 1) == 0) h.hostname = buf;
      }
      h.procid = std::to_string(::getpid());
      const std::string port = std::to_string(c.port);
      if (c.transport == "udp") {
        *out = std::make_shared<SyslogUdpTransport>(strand, c.host, port, h);
        return core::Status::Ok();
      }
      auto t = std::make_shared<SyslogTcpTransport>(strand, c.host, port, c.tls, c.timeout_s, h);
      if (core::Status st = t->Init(); !st.ok()) return Invalid(c, st.message());
      *out = std::move(t);
      return core::Status::Ok();
    }
    case SinkType::kHttp: {
      HttpUrl u;
      if (core::Status st = ParseHttpUrl(c.url, &u); !st.ok()) return Invalid(c, st.message());
      auto t = std::make_shared<HttpTransport>(strand, c, u);
      if (core::Status st = t->Init(); !st.ok()) return Invalid(c, st.message());
      *out = std::move(t);
      return core::Status::Ok();
    }
    case SinkType::kKafka: {
      auto t = std::make_shared<KafkaTransport>(strand, c);
      if (core::Status st = t->Init(); !st.ok()) return st;
      *out = std::move(t);
      return core::Status::Ok();
    }
  }
  return Invalid(c, "unknown sink type");
}

}  // namespace

core::Status ValidateSinkConfig(const SinkConfig& config) { return ValidateConfig(config); }

core::Status CreateSink(const SinkConfig& config, boost::asio::io_context& io,
                        const std::string& spool_dir, std::unique_ptr<Sink>* out) {
  if (core::Status st = ValidateConfig(config); !st.ok()) return st;
  if (spool_dir.empty()) return Invalid(config, "no spool directory");
  std::unique_ptr<Spool> spool;
  if (core::Status st = Spool::Open(spool_dir + "/" + config.name, SpoolOptions(), &spool);
      !st.ok()) {
    return Invalid(config, st.message());
  }
  Strand strand = boost::asio::make_strand(io);
  std::shared_ptr<Transport> transport;
  if (core::Status st = MakeTransport(config, strand, &transport); !st.ok()) return st;
  *out = std::make_unique<QueuedSink>(config, strand, std::move(spool), std::move(transport));
  return core::Status::Ok();
}

}  // namespace parallax::sinks
