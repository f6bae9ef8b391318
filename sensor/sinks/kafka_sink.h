// KafkaTransport: a librdkafka producer. Each record is produced to `topic` with the alert id as
// key (none for other events); a batch counts as delivered only when librdkafka's delivery
// report has come back for every message of it without error, so the spool is acknowledged
// only for what the brokers hold. Defaults: acks=all, enable.idempotence=true,
// message.timeout.ms from timeout_s; kafka_properties are applied after them, as they are.
// Delivery reports are served by polling from a timer on the strand; nothing blocks the io
// thread (destruction purges what is still queued).
// Thread-safety: see transport.h (strand only).
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <librdkafka/rdkafka.h>

#include "sensor/sinks/transport.h"

namespace parallax::sinks {

class KafkaTransport : public Transport, public std::enable_shared_from_this<KafkaTransport> {
 public:
  KafkaTransport(Strand strand, const SinkConfig& config);
  ~KafkaTransport() override;
  // Creates the producer; errors name the property librdkafka refused.
  core::Status Init();
  void Deliver(const std::vector<Record>& batch, Done done) override;
  void Cancel() override;

 private:
  struct Batch {
    std::uintptr_t id = 0;
    std::size_t outstanding = 0;
    std::string error;
    Done done;
  };
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* msg, void* opaque);
  static void OnLog(const rd_kafka_t* rk, int level, const char* fac, const char* buf);
  void SchedulePoll();
  void Poll();

  Strand strand_;
  SinkConfig config_;
  rd_kafka_t* producer_ = nullptr;
  boost::asio::steady_timer poll_timer_;
  std::unique_ptr<Batch> batch_;
  std::uintptr_t next_batch_id_ = 1;
  bool polling_ = false;
};

}  // namespace parallax::sinks
