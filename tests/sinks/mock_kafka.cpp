// parallax-mock-kafka: a throw-away Kafka cluster for tests, built on librdkafka's mock cluster
// (built from tests/sinks/, never installed). It starts the mock brokers, creates the topic,
// prints
//   bootstrap=<host:port,...>
// on stdout (flushed) when ready, then consumes the topic from the beginning and writes each
// message's value as one line to the output file (flushed per line) until SIGTERM or SIGINT.
//
// Usage: parallax-mock-kafka --topic TOPIC --out FILE [--brokers N] [--partitions N]
//   --topic       topic to create and consume (required)
//   --out         file the values are appended to, one per line (required)
//   --keys FILE   also append each message's key, one per line
//   --brokers     number of mock brokers (default 1)
//   --partitions  partitions of the topic (default 1)
// Exit status: 0 after a signal, 2 for bad usage, 1 when the cluster cannot be set up.
// The mock brokers listen on 127.0.0.1 (librdkafka's choice), so inside a network namespace
// bring up `lo` first.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int Usage() {
  std::fprintf(stderr,
               "usage: parallax-mock-kafka --topic TOPIC --out FILE [--keys FILE] [--brokers N]"
               " [--partitions N]\n");
  return 2;
}

bool Set(rd_kafka_conf_t* conf, const char* k, const char* v) {
  char err[256];
  if (rd_kafka_conf_set(conf, k, v, err, sizeof err) != RD_KAFKA_CONF_OK) {
    std::fprintf(stderr, "parallax-mock-kafka: %s: %s\n", k, err);
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string topic, out_path, keys_path;
  int brokers = 1, partitions = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (i + 1 >= argc) return Usage();
    const char* v = argv[++i];
    if (a == "--topic") topic = v;
    else if (a == "--out") out_path = v;
    else if (a == "--keys") keys_path = v;
    else if (a == "--brokers") brokers = std::atoi(v);
    else if (a == "--partitions") partitions = std::atoi(v);
    else return Usage();
  }
  if (topic.empty() || out_path.empty() || brokers < 1 || partitions < 1) return Usage();
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGINT, OnSignal);

  // The mock cluster lives inside a client handle; this producer is never used otherwise.
  char err[512];
  rd_kafka_conf_t* host_conf = rd_kafka_conf_new();
  // It has no bootstrap.servers of its own, which librdkafka would mention on every start.
  if (!Set(host_conf, "log_level", "3")) return 1;
  rd_kafka_t* host = rd_kafka_new(RD_KAFKA_PRODUCER, host_conf, err, sizeof err);
  if (!host) {
    std::fprintf(stderr, "parallax-mock-kafka: %s\n", err);
    return 1;
  }
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(host, brokers);
  if (!cluster) {
    std::fprintf(stderr, "parallax-mock-kafka: cannot create the mock cluster\n");
    return 1;
  }
  const std::string bootstrap = rd_kafka_mock_cluster_bootstraps(cluster);
  if (rd_kafka_mock_topic_create(cluster, topic.c_str(), partitions, 1) != 0) {
    std::fprintf(stderr, "parallax-mock-kafka: cannot create topic %s\n", topic.c_str());
    return 1;
  }

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  if (!Set(conf, "bootstrap.servers", bootstrap.c_str()) ||
      !Set(conf, "group.id", "parallax-mock-kafka") ||
      !Set(conf, "enable.auto.commit", "false") || !Set(conf, "auto.offset.reset", "earliest")) {
    return 1;
  }
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!consumer) {
    std::fprintf(stderr, "parallax-mock-kafka: %s\n", err);
    return 1;
  }
  // Assign the partitions directly: no group coordination needed.
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(partitions);
  for (int p = 0; p < partitions; ++p) {
    rd_kafka_topic_partition_list_add(parts, topic.c_str(), p)->offset = RD_KAFKA_OFFSET_BEGINNING;
  }
  if (rd_kafka_resp_err_t e = rd_kafka_assign(consumer, parts); e) {
    std::fprintf(stderr, "parallax-mock-kafka: assign: %s\n", rd_kafka_err2str(e));
    return 1;
  }
  rd_kafka_topic_partition_list_destroy(parts);

  std::FILE* out = std::fopen(out_path.c_str(), "a");
  std::FILE* keys = keys_path.empty() ? nullptr : std::fopen(keys_path.c_str(), "a");
  if (!out || (!keys_path.empty() && !keys)) {
    std::fprintf(stderr, "parallax-mock-kafka: %s: %s\n", out ? keys_path.c_str() : out_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  std::printf("bootstrap=%s\n", bootstrap.c_str());
  std::fflush(stdout);

  while (!g_stop) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer, 200);
    if (!m) continue;
    if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      std::fwrite(m->payload, 1, m->len, out);
      std::fputc('\n', out);
      std::fflush(out);
      if (keys) {
        std::fwrite(m->key, 1, m->key_len, keys);
        std::fputc('\n', keys);
        std::fflush(keys);
      }
    } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      std::fprintf(stderr, "parallax-mock-kafka: consume: %s\n", rd_kafka_message_errstr(m));
    }
    rd_kafka_message_destroy(m);
  }
  std::fclose(out);
  if (keys) std::fclose(keys);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  rd_kafka_mock_cluster_destroy(cluster);
  rd_kafka_destroy(host);
  return 0;
}
