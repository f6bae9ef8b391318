#include "sensor/sinks/kafka_sink.h"

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <chrono>

#include <boost/asio/bind_executor.hpp>

#include "sensor/logging/log.h"

namespace parallax::sinks {
namespace {

// How often delivery reports are collected while a batch is out: short enough not to add
// latency that matters for alerts, long enough not to spin.
constexpr auto kPollInterval = std::chrono::milliseconds(20);

}  // namespace

KafkaTransport::KafkaTransport(Strand strand, const SinkConfig& config)
    : strand_(strand), config_(config), poll_timer_(strand) {}

KafkaTransport::~KafkaTransport() {
  if (producer_) {
    rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_destroy(producer_);
  }
}

void KafkaTransport::OnLog(const rd_kafka_t* rk, int level, const char* fac, const char* buf) {
  if (level > 4) return;  // syslog levels: keep warnings and worse
  const char* name = rk ? rd_kafka_name(rk) : "";
  log::Warn("sink", "kafka", {{"client", name}, {"facility", fac}, {"detail", buf}});
}

core::Status KafkaTransport::Init() {
  char err[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::string timeout_ms =
      std::to_string(static_cast<long long>(std::max(config_.timeout_s, 1.0) * 1000));
  std::vector<std::pair<std::string, std::string>> props = {
      {"bootstrap.servers", config_.brokers},
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"message.timeout.ms", timeout_ms},
      {"client.id", "parallax-" + config_.name},
  };
  for (const auto& kv : config_.kafka_properties) props.emplace_back(kv);
  for (const auto& [k, v] : props) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return core::Status::Error("sink " + config_.name + ": kafka property " + k + ": " + err);
    }
  }
  rd_kafka_conf_set_dr_msg_cb(conf, &KafkaTransport::OnDelivery);
  rd_kafka_conf_set_log_cb(conf, &KafkaTransport::OnLog);
  rd_kafka_conf_set_opaque(conf, this);
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!producer_) {
    rd_kafka_conf_destroy(conf);
    return core::Status::Error("sink " + config_.name + ": kafka producer: " + err);
  }
  return core::Status::Ok();
}

void KafkaTransport::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* msg, void* opaque) {
  auto* self = static_cast<KafkaTransport*>(opaque);
  // Reports of a batch abandoned by Cancel() carry an old id.
  if (!self->batch_ || reinterpret_cast<std::uintptr_t>(msg->_private) != self->batch_->id) return;
  if (msg->err && self->batch_->error.empty()) {
    self->batch_->error = rd_kafka_err2str(msg->err);
  }
  --self->batch_->outstanding;
}

void KafkaTransport::Deliver(const std::vector<Record>& batch, Done done) {
  batch_ = std::make_unique<Batch>();
  batch_->id = next_batch_id_++;
  batch_->done = std::move(done);
  for (const Record& r : batch) {
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_, RD_KAFKA_V_TOPIC(config_.topic.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(r.id.empty() ? nullptr : r.id.data(), r.id.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(r.json.data()), r.json.size()),
        RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(batch_->id)), RD_KAFKA_V_END);
    if (err) {
      // Typically the local queue is full: what was produced completes, the rest is retried.
      batch_->error = std::string("produce: ") + rd_kafka_err2str(err);
      break;
    }
    ++batch_->outstanding;
  }
  Poll();
}

void KafkaTransport::Poll() {
  rd_kafka_poll(producer_, 0);
  if (!batch_) return;
  if (batch_->outstanding > 0) return SchedulePoll();
  std::unique_ptr<Batch> finished = std::move(batch_);
  finished->done(finished->error.empty()
                     ? core::Status::Ok()
                     : core::Status::Error("kafka " + config_.topic + ": " + finished->error));
}

void KafkaTransport::SchedulePoll() {
  if (polling_) return;
  polling_ = true;
  poll_timer_.expires_after(kPollInterval);
  poll_timer_.async_wait(boost::asio::bind_executor(
      strand_, [self = shared_from_this()](boost::system::error_code ec) {
        self->polling_ = false;
        if (!ec) self->Poll();
      }));
}

void KafkaTransport::Cancel() {
  poll_timer_.cancel();
  batch_.reset();
}

}  // namespace parallax::sinks
