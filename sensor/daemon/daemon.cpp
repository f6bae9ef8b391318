#include "sensor/daemon/daemon.h"

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <csignal>
#include <fstream>

#include "sensor/capture/pcap_source.h"
#include "sensor/daemon/divergence_hub.h"
#include "sensor/daemon/http_endpoint.h"
#include "sensor/daemon/metrics.h"
#include "sensor/daemon/privileges.h"
#include "sensor/daemon/shard.h"
#include "sensor/daemon/sink_set.h"
#include "sensor/daemon/worker.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/geo/geo_sources.h"
#include "sensor/logging/log.h"
#include "sensor/output/event_writer.h"
#include "sensor/output/stats_event.h"

namespace parallax::daemon {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

constexpr std::size_t kBatchPackets = 64;
constexpr core::TimeUs kBatchMaxAgeUs = 50'000;  // a quiet link still hands packets on quickly

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct Daemon::Impl {
  explicit Impl(DaemonConfig c) : config(std::move(c)) {}

  DaemonConfig config;
  asio::io_context io;
  std::thread io_thread;
  std::unique_ptr<asio::signal_set> signals;
  std::unique_ptr<HttpEndpoint> http;

  std::shared_ptr<geoip::GeoIntelHolder> geo;
  SinkSet sinks;
  std::unique_ptr<DivergenceHub> hub;
  std::vector<std::unique_ptr<Worker>> workers;

  struct Capture {
    std::unique_ptr<capture::PacketSource> source;
    std::thread thread;
    std::mutex mu;
    CaptureSnapshot snapshot;
    std::string failure;  // why it stopped, when it stopped on its own
  };
  std::vector<std::unique_ptr<Capture>> captures;
  std::atomic<bool> stopping{false};

  // Commands from the io thread (signals) to the main thread.
  enum class Command { kReload, kStop };
  std::mutex cmd_mu;
  std::condition_variable cmd_cv;
  std::deque<Command> commands;

  std::atomic<std::uint64_t> reloads{0}, reload_failures{0};
  double start_time = WallSeconds();

  core::Status Setup();
  core::Status OpenGeo(const GeoConfig& g, std::shared_ptr<const geoip::GeoIntel>* out);
  void CaptureLoop(Capture* c);
  void PostCommand(Command c);
  void MainLoop();
  void Reload();
  void Shutdown();
  void EmitStats();
  MetricsSnapshot Snapshot();
  Health CurrentHealth();
};

Daemon::Daemon(DaemonConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
Daemon::~Daemon() = default;

core::Status Daemon::Impl::OpenGeo(const GeoConfig& g,
                                   std::shared_ptr<const geoip::GeoIntel>* out) {
  std::vector<std::string> searched;
  if (auto s = OpenGeoSources(g.sources, out, &searched); !s.ok()) {
    return core::Status::Error(s.message());
  }
  if ((*out)->location_dbs().empty() && (*out)->asn_dbs().empty()) {
    std::string where;
    for (const auto& d : searched) where += (where.empty() ? "" : " ") + d;
    log::Warn("geoip", "no GeoIP databases found; network types come from special ranges and "
                       "curated lists only", {{"searched", where}});
  }
  return core::Status::Ok();
}

core::Status Daemon::Impl::Setup() {
  umask(0027);  // spool, store and logs are not world-readable
  log::Level level = log::Level::kInfo;
  log::ParseLevel(config.log_level, &level);
  log::SetLevel(level);
  log::SetBurst(config.log_burst_per_minute);

  // Who to become once the captures are open.
  const bool root = geteuid() == 0;
  Identity to;
  bool drop = false;
  if (root) {
    core::Status s = config.user.empty() || config.user == "root"
                         ? core::Status::Error("no unprivileged `user:` configured")
                         : ResolveIdentity(config.user, config.group, &to);
    if (s.ok()) {
      drop = true;
    } else if (!config.allow_root) {
      return core::Status::Error(config.path + ": " + s.message() +
                                 "; refusing to run on as root (set `allow_root: true` to "
                                 "override)");
    } else {
      log::Warn("daemon", "running on as root (allow_root: true)", {{"why", s.message()}});
    }
  }
  const std::string spool_dir = config.state_dir + "/spool";
  if (auto s = PrepareStateDirectory(config.state_dir, {"spool"}, drop ? &to : nullptr); !s.ok()) {
    return s;
  }

  // Captures need privileges: open them first.
  for (const auto& ifname : config.capture.interfaces) {
    capture::LiveOptions live;
    live.interface = ifname;
    live.snaplen = config.capture.snaplen;
    live.promiscuous = config.capture.promiscuous;
    live.buffer_mb = config.capture.buffer_mb;
    // Block mode (not immediate): the kernel hands over filled blocks or, on a quiet link, what
    // it has after 100 ms, so the read returns and partial batches move on.
    live.immediate = false;
    live.timeout_ms = 100;
    core::Status st;
    auto c = std::make_unique<Capture>();
    c->source = capture::OpenLive(live, config.capture.bpf, &st);
    if (!c->source) return st;
    c->snapshot.interface = ifname;
    captures.push_back(std::move(c));
  }
  if (drop) {
    if (auto s = DropPrivileges(to); !s.ok()) return s;
  }
  log::Info("daemon", "capture open", {{"interfaces", std::to_string(captures.size())},
                                       {"credentials", DescribeCredentials()}});

  // Everything below runs unprivileged: files it creates belong to the service user.
  if (!config.geoip.disabled) {
    std::shared_ptr<const geoip::GeoIntel> intel;
    if (auto s = OpenGeo(config.geoip, &intel); !s.ok()) return s;
    geo = std::make_shared<geoip::GeoIntelHolder>(intel);
  }
  for (const auto& sc : config.sinks) {
    std::unique_ptr<sinks::Sink> sink;
    if (auto s = sinks::CreateSink(sc, io, spool_dir, &sink); !s.ok()) {
      return core::Status::Error(config.path + ": sink '" + sc.name + "': " + s.message());
    }
    sinks.Add(std::move(sink));
  }
  PipelineOptions po = config.pipeline;
  po.geo = geo.get();
  if (!config.roster.empty()) {
    DivergenceInputs in;
    if (auto s = LoadDivergenceInputs(config.roster, config.identity_events, &in); !s.ok()) {
      return s;
    }
    if (!config.policy.empty()) {
      if (auto s = LoadPolicyFile(config.policy, &in.policy); !s.ok()) return s;
      for (const auto& w : PolicyContractorsNotInRoster(*in.policy, *in.roster)) {
        log::Warn("daemon", "policy rule for a contractor not in the roster", {{"rule", w}});
      }
    }
    divergence::DivergenceOptions dopt;
    if (!config.sensor_location.empty()) {
      if (auto s = ParseSensorLocation(config.sensor_location, config.path + ": sensor_location",
                                       &dopt);
          !s.ok()) {
        return s;
      }
    }
    dopt.window = static_cast<core::TimeUs>(config.window_hours * 3600) * core::kMicrosPerSecond;
    std::unique_ptr<divergence::AlertStore> store;
    if (auto s = divergence::AlertStore::Open(config.state_dir + "/alerts.sqlite", &store);
        !s.ok()) {
      return s;
    }
    hub = std::make_unique<DivergenceHub>(std::move(in), dopt, geo.get(), std::move(store), &sinks);
  } else {
    log::Warn("daemon", "no roster configured: fingerprints only, no divergence alerts");
  }
  for (unsigned i = 0; i < config.workers; ++i) {
    std::unique_ptr<Worker> w;
    if (auto s = Worker::Create(i, po, config.worker_queue_packets, &sinks, hub.get(), &w);
        !s.ok()) {
      return s;
    }
    workers.push_back(std::move(w));
  }

  // The io thread: signals, sinks, HTTP.
  signals = std::make_unique<asio::signal_set>(io, SIGHUP, SIGTERM, SIGINT);
  signals->async_wait([this](const boost::system::error_code& ec, int sig) {
    // Re-armed from here so the handler object outlives Setup().
    struct Rearm {
      Impl* self;
      void operator()(const boost::system::error_code& e, int s) const {
        if (e) return;
        self->PostCommand(s == SIGHUP ? Command::kReload : Command::kStop);
        self->signals->async_wait(*this);
      }
    };
    Rearm{this}(ec, sig);
  });
  if (!config.http.listen.empty()) {
    std::string token;
    if (!config.http.bearer_token_file.empty()) {
      std::ifstream f(config.http.bearer_token_file);
      if (!f || !std::getline(f, token) || token.empty()) {
        return core::Status::Error(config.http.bearer_token_file +
                                   ": cannot read the bearer token (first line)");
      }
    }
    HttpHandlers h{[this] { return RenderPrometheus(Snapshot()); },
                   [this] { return CurrentHealth(); }};
    if (auto s = HttpEndpoint::Start(io, config.http.listen, token, std::move(h), &http); !s.ok()) {
      return core::Status::Error(config.path + ": " + s.message());
    }
    log::Info("http", "serving /metrics and /healthz",
              {{"listen", config.http.listen}, {"port", std::to_string(http->port())},
               {"auth", token.empty() ? "none" : "bearer"}});
  }
  return core::Status::Ok();
}

void Daemon::Impl::PostCommand(Command c) {
  {
    std::lock_guard lock(cmd_mu);
    commands.push_back(c);
  }
  cmd_cv.notify_one();
}

void Daemon::Impl::CaptureLoop(Capture* c) {
  const std::size_t n = workers.size();
  Sharder sharder(n);
  std::vector<std::unique_ptr<PacketBatch>> pending(n);
  for (auto& b : pending) b = std::make_unique<PacketBatch>();
  auto hand_on = [&](std::size_t i) {
    while (!workers[i]->queue().Push(&pending[i], 100ms)) {
      // The worker is behind: wait (the kernel buffer takes the burst; pcap counts drops).
    }
  };
  auto publish = [&] {
    std::lock_guard lock(c->mu);
    c->snapshot.stats = c->source->stats();
  };
  std::uint64_t count = 0;
  core::PacketView pv;
  while (!stopping.load(std::memory_order_relaxed)) {
    const capture::NextResult r = c->source->Next(&pv);
    if (r == capture::NextResult::kPacket) {
      const std::size_t i = sharder.ShardOf(pv);
      PacketBatch& b = *pending[i];
      b.Add(pv);
      if (b.packets.size() >= kBatchPackets || pv.ts - b.packets.front().ts > kBatchMaxAgeUs) {
        hand_on(i);
      }
      if ((++count & 4095) == 0) publish();
      continue;
    }
    if (r == capture::NextResult::kTimeout) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!pending[i]->empty()) hand_on(i);
      }
      publish();
      continue;
    }
    if (r == capture::NextResult::kError) {
      std::lock_guard lock(c->mu);
      c->failure = c->source->error().message();
      log::Error("capture", "capture failed", {{"interface", c->snapshot.interface},
                                               {"error", c->failure}});
    }
    break;  // kEnd: BreakLoop() at shutdown
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!pending[i]->empty()) hand_on(i);
  }
  publish();
}

MetricsSnapshot Daemon::Impl::Snapshot() {
  MetricsSnapshot m;
  for (const auto& w : workers) m.workers.push_back(w->Snapshot());
  for (const auto& c : captures) {
    std::lock_guard lock(c->mu);
    m.captures.push_back(c->snapshot);
  }
  if (hub) {
    m.divergence = hub->counters();
  }
  for (const auto& s : sinks.sinks()) m.sinks.emplace_back(s->config().name, s->stats());
  m.reloads = reloads;
  m.reload_failures = reload_failures;
  m.start_time_s = start_time;
  ReadProcessMemory(&m.resident_bytes, &m.virtual_bytes);
  return m;
}

Health Daemon::Impl::CurrentHealth() {
  if (stopping) return {Health::kFailed, "stopping"};
  for (const auto& c : captures) {
    std::lock_guard lock(c->mu);
    if (!c->failure.empty()) {
      return {Health::kFailed,
              "capture on " + c->snapshot.interface + " failed: " + c->failure};
    }
  }
  std::string down;
  for (const auto& s : sinks.sinks()) {
    const sinks::SinkStats st = s->stats();
    if (st.up) continue;
    down += (down.empty() ? "" : "; ") + std::string("sink ") + s->config().name + " is down (" +
            std::to_string(st.spool_records) + " alert(s) spooled)" +
            (st.last_error.empty() ? "" : ": " + st.last_error);
  }
  if (!down.empty()) return {Health::kDegraded, down};
  return {};
}

void Daemon::Impl::EmitStats() {
  if (!sinks.Wants(output::EventType::kStats)) return;
  const MetricsSnapshot m = Snapshot();
  core::SensorStats s = SumStats(m.workers, m.captures);
  for (const auto& [k, n] : m.divergence.alerts_by_kind) s.alerts += n;
  s.attributed_flows = m.divergence.attributed_flows;
  if (!config.policy.empty()) s.suppressed = m.divergence.suppressed;
  const std::string line = output::EventLine(output::StatsEventJson(s));
  sinks.Emit(output::EventType::kStats, std::string(), line);
}

void Daemon::Impl::Reload() {
  log::Info("daemon", "reload requested (SIGHUP)", {{"config", config.path}});
  DaemonConfig next;
  if (auto s = LoadDaemonConfig(config.path, &next); !s.ok()) {
    ++reload_failures;
    log::Error("daemon", "reload refused: configuration invalid; keeping the old one",
               {{"error", s.message()}});
    return;
  }
  // Load everything first, then swap: a broken file changes nothing.
  DivergenceInputs in;
  if (!next.roster.empty()) {
    if (auto s = LoadDivergenceInputs(next.roster, next.identity_events, &in); !s.ok()) {
      ++reload_failures;
      log::Error("daemon", "reload refused: roster or identity events invalid; keeping the old ones",
                 {{"error", s.message()}});
      return;
    }
    if (!next.policy.empty()) {
      if (auto s = LoadPolicyFile(next.policy, &in.policy); !s.ok()) {
        ++reload_failures;
        log::Error("daemon",
                   "reload refused: policy invalid; keeping the old roster, identity events and "
                   "policy",
                   {{"error", s.message()}});
        return;
      }
      for (const auto& w : PolicyContractorsNotInRoster(*in.policy, *in.roster)) {
        log::Warn("daemon", "policy rule for a contractor not in the roster", {{"rule", w}});
      }
    }
  }
  std::shared_ptr<const geoip::GeoIntel> intel;
  if (geo && !next.geoip.disabled) {
    if (auto s = OpenGeo(next.geoip, &intel); !s.ok()) {
      ++reload_failures;
      log::Error("daemon", "reload refused: GeoIP data invalid; keeping the old data",
                 {{"error", s.message()}});
      return;
    }
  }
  if (hub && in.roster) hub->Reload(std::move(in));
  if (intel) geo->Swap(std::move(intel));
  log::Level level = log::Level::kInfo;
  if (log::ParseLevel(next.log_level, &level)) log::SetLevel(level);
  std::string restart;
  if (next.capture.interfaces != config.capture.interfaces || next.capture.bpf != config.capture.bpf)
    restart += " capture";
  if (next.workers != config.workers) restart += " workers";
  if (next.sinks.size() != config.sinks.size()) restart += " sinks";
  if (next.user != config.user || next.state_dir != config.state_dir) restart += " user/state_dir";
  if ((next.roster.empty()) != (config.roster.empty())) restart += " roster(on/off)";
  if (!restart.empty()) {
    log::Warn("daemon", "reload: some changes take effect only after a restart",
              {{"settings", restart.substr(1)}});
  }
  config.roster = next.roster;
  config.identity_events = next.identity_events;
  config.policy = next.policy;
  config.geoip = next.geoip;
  config.log_level = next.log_level;
  ++reloads;
  const DivergenceHub::Counters after = hub ? hub->counters() : DivergenceHub::Counters();
  log::Info("daemon", "reloaded",
            {{"contractors", std::to_string(after.contractors)},
             {"policy_rules",
              std::to_string(after.policy_sanctioned + after.policy_suppressions)}});
}

void Daemon::Impl::MainLoop() {
  const auto eval_every = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(config.evaluate_interval_s));
  const auto stats_every = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(config.stats_interval_s));
  auto next_eval = Clock::now() + eval_every;
  auto next_stats = Clock::now() + stats_every;
  for (;;) {
    auto wake = next_eval;
    if (config.stats_interval_s > 0) wake = std::min(wake, next_stats);
    std::unique_lock lock(cmd_mu);
    cmd_cv.wait_until(lock, wake, [&] { return !commands.empty(); });
    if (!commands.empty()) {
      const Command c = commands.front();
      commands.pop_front();
      lock.unlock();
      if (c == Command::kStop) return;
      Reload();
      continue;
    }
    lock.unlock();
    const auto now = Clock::now();
    if (now >= next_eval) {
      if (hub) hub->Evaluate();
      next_eval = now + eval_every;
    }
    if (config.stats_interval_s > 0 && now >= next_stats) {
      EmitStats();
      next_stats = now + stats_every;
    }
  }
}

void Daemon::Impl::Shutdown() {
  log::Info("daemon", "stopping: draining captures and workers");
  stopping = true;
  for (auto& c : captures) c->source->BreakLoop();
  for (auto& c : captures) {
    if (c->thread.joinable()) c->thread.join();
  }
  for (auto& w : workers) w->Stop();  // every flow ends: events and evidence reach the hub
  std::size_t raised = 0;
  if (hub) raised = hub->Evaluate();
  EmitStats();
  const bool delivered = sinks.Flush(10s);
  sinks.Stop();
  if (http) http->Stop();
  io.stop();
  if (io_thread.joinable()) io_thread.join();
  std::uint64_t spooled = 0;
  for (const auto& s : sinks.sinks()) spooled += s->stats().spool_records;
  log::Info("daemon", "stopped",
            {{"final_alerts", std::to_string(raised)},
             {"all_delivered", delivered ? "true" : "false"},
             {"alerts_left_in_spool", std::to_string(spooled)}});
}

int Daemon::Run() {
  Impl& d = *impl_;
  // Signals are blocked in every thread; the io thread's signal_set receives them.
  if (auto s = d.Setup(); !s.ok()) {
    log::Error("daemon", "cannot start", {{"error", s.message()}});
    std::fprintf(stderr, "parallax run: %s\n", s.message().c_str());
    // Nobody will run the io_context now: saying so lets the sinks made so far stop at once
    // instead of waiting (5 s each) for a cancellation that no thread would run.
    d.io.stop();
    return 1;
  }
  d.sinks.Start();
  auto guard = asio::make_work_guard(d.io);
  d.io_thread = std::thread([&d] { d.io.run(); });
  for (auto& w : d.workers) w->Start();
  for (auto& c : d.captures) {
    Impl::Capture* cp = c.get();
    c->thread = std::thread([&d, cp] { d.CaptureLoop(cp); });
  }
  log::Info("daemon", "running",
            {{"workers", std::to_string(d.workers.size())},
             {"sinks", std::to_string(d.sinks.sinks().size())},
             {"roster", d.config.roster.empty() ? "none" : d.config.roster}});
  d.MainLoop();
  guard.reset();
  d.Shutdown();
  return 0;
}

}  // namespace parallax::daemon
