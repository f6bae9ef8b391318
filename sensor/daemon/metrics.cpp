#include "sensor/daemon/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "sensor/core/anomaly.h"

namespace parallax::daemon {
namespace {

class Writer {
 public:
  // One HELP/TYPE header per family, then its samples.
  void Family(const char* name, const char* type, const char* help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(const char* name, double value,
              std::initializer_list<std::pair<const char*, std::string>> labels = {}) {
    out_ += name;
    if (labels.size()) {
      out_ += '{';
      bool first = true;
      for (const auto& [k, v] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += k;
        out_ += "=\"";
        for (char c : v) {  // label value escaping: backslash, quote, newline
          if (c == '\\' || c == '"') out_ += '\\';
          if (c == '\n') {
            out_ += "\\n";
            continue;
          }
          out_ += c;
        }
        out_ += '"';
      }
      out_ += '}';
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, " %.17g\n", value);
    out_ += buf;
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

void ReadProcessMemory(std::uint64_t* resident, std::uint64_t* virt) {
  *resident = *virt = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return;
  unsigned long long size = 0, rss = 0;
  if (std::fscanf(f, "%llu %llu", &size, &rss) == 2) {
    const auto page = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
    *resident = rss * page;
    *virt = size * page;
  }
  std::fclose(f);
}

core::SensorStats SumStats(const std::vector<WorkerSnapshot>& workers,
                           const std::vector<CaptureSnapshot>& captures) {
  core::SensorStats t;
  for (const auto& w : workers) {
    const auto& s = w.stats;
    if (s.packets) {
      t.first_ts = t.first_ts ? std::min(t.first_ts, s.first_ts) : s.first_ts;
      t.last_ts = std::max(t.last_ts, s.last_ts);
    }
    t.packets += s.packets;
    t.bytes += s.bytes;
    t.ip_packets += s.ip_packets;
    t.non_ip_packets += s.non_ip_packets;
    t.broken_packets += s.broken_packets;
    t.fragments += s.fragments;
    t.flows_created += s.flows_created;
    t.flows_ended += s.flows_ended;
    t.flows_evicted += s.flows_evicted;
    t.interim_records += s.interim_records;
    t.peak_live_flows += s.peak_live_flows;
    t.fingerprints += s.fingerprints;
    t.anomalies.Merge(s.anomalies);
  }
  for (const auto& c : captures) {
    t.inputs.push_back(c.interface);
    t.capture_received += c.stats.received;
    t.capture_dropped += c.stats.dropped;
    t.capture_if_dropped += c.stats.if_dropped;
  }
  return t;
}

std::string RenderPrometheus(const MetricsSnapshot& m) {
  Writer w;
  const core::SensorStats total = SumStats(m.workers, m.captures);

  w.Family("parallax_packets_total", "counter", "Packets handed to the workers.");
  for (std::size_t i = 0; i < m.workers.size(); ++i) {
    w.Sample("parallax_packets_total", static_cast<double>(m.workers[i].stats.packets),
             {{"worker", std::to_string(i)}});
  }
  w.Family("parallax_bytes_total", "counter", "Wire bytes of the packets handed to the workers.");
  w.Sample("parallax_bytes_total", static_cast<double>(total.bytes));
  w.Family("parallax_packets_broken_total", "counter",
           "Packets with truncated or inconsistent headers (see anomalies).");
  w.Sample("parallax_packets_broken_total", static_cast<double>(total.broken_packets));
  w.Family("parallax_anomalies_total", "counter", "Decoder and flow-table anomalies by name.");
  for (std::size_t a = 0; a < static_cast<std::size_t>(core::Anomaly::kCount); ++a) {
    const auto an = static_cast<core::Anomaly>(a);
    w.Sample("parallax_anomalies_total", static_cast<double>(total.anomalies.Get(an)),
             {{"anomaly", std::string(core::AnomalyName(an))}});
  }

  w.Family("parallax_capture_received_total", "counter", "Packets the kernel delivered (pcap_stats).");
  w.Family("parallax_capture_dropped_total", "counter",
           "Packets the kernel dropped for lack of buffer space (pcap_stats ps_drop).");
  w.Family("parallax_capture_if_dropped_total", "counter",
           "Packets the interface or driver dropped (pcap_stats ps_ifdrop).");
  for (const auto& c : m.captures) {
    w.Sample("parallax_capture_received_total", static_cast<double>(c.stats.received),
             {{"interface", c.interface}});
    w.Sample("parallax_capture_dropped_total", static_cast<double>(c.stats.dropped),
             {{"interface", c.interface}});
    w.Sample("parallax_capture_if_dropped_total", static_cast<double>(c.stats.if_dropped),
             {{"interface", c.interface}});
  }

  w.Family("parallax_worker_queue_packets", "gauge", "Packets waiting for each worker.");
  for (std::size_t i = 0; i < m.workers.size(); ++i) {
    w.Sample("parallax_worker_queue_packets", static_cast<double>(m.workers[i].queue_depth),
             {{"worker", std::to_string(i)}});
  }
  std::size_t live = 0;
  std::map<std::string, std::uint64_t> fp_by_kind;
  for (const auto& ws : m.workers) {
    live += ws.live_flows;
    for (const auto& [k, n] : ws.fingerprints_by_kind) fp_by_kind[k] += n;
  }
  w.Family("parallax_flows_live", "gauge", "Flows in the flow tables now.");
  w.Sample("parallax_flows_live", static_cast<double>(live));
  w.Family("parallax_flows_created_total", "counter", "Flows created.");
  w.Sample("parallax_flows_created_total", static_cast<double>(total.flows_created));
  w.Family("parallax_flows_ended_total", "counter", "Flows ended (idle, closed, evicted, shutdown).");
  w.Sample("parallax_flows_ended_total", static_cast<double>(total.flows_ended));
  w.Family("parallax_flows_evicted_total", "counter", "Flows evicted because a table was full.");
  w.Sample("parallax_flows_evicted_total", static_cast<double>(total.flows_evicted));
  w.Family("parallax_fingerprints_total", "counter", "Session fingerprints by kind.");
  for (const auto& [k, n] : fp_by_kind) {
    w.Sample("parallax_fingerprints_total", static_cast<double>(n), {{"kind", k}});
  }
  w.Family("parallax_alerts_total", "counter",
           "Alerts emitted (new or grown) by kind since start.");
  const DivergenceHub::Counters& d = m.divergence;
  for (const auto& [k, n] : d.alerts_by_kind) {
    w.Sample("parallax_alerts_total", static_cast<double>(n), {{"kind", k}});
  }
  w.Family("parallax_attributed_flows_total", "counter", "Flows tied to a roster contractor.");
  w.Sample("parallax_attributed_flows_total", static_cast<double>(d.attributed_flows));
  w.Family("parallax_late_flows_total", "counter",
           "Attributed flows that started in an already retired evidence window (ignored).");
  w.Sample("parallax_late_flows_total", static_cast<double>(d.late_flows));
  w.Family("parallax_evidence_windows", "gauge",
           "Evidence windows held (contractor x window), bounded by retention.");
  w.Sample("parallax_evidence_windows", static_cast<double>(d.evidence_windows));
  w.Family("parallax_evidence_windows_retired_total", "counter",
           "Evidence windows past retention, dropped from memory and the store.");
  w.Sample("parallax_evidence_windows_retired_total", static_cast<double>(d.retired_windows));
  w.Family("parallax_roster_contractors", "gauge", "Contractors in the loaded roster.");
  w.Sample("parallax_roster_contractors", static_cast<double>(d.contractors));
  w.Family("parallax_suppressed_findings_total", "counter",
           "Findings a suppression rule of the policy held back (evaluated, not alerted).");
  w.Sample("parallax_suppressed_findings_total", static_cast<double>(d.suppressed));
  w.Family("parallax_policy_rules", "gauge", "Rules in the loaded policy, by type.");
  w.Sample("parallax_policy_rules", static_cast<double>(d.policy_sanctioned),
           {{"type", "sanctioned"}});
  w.Sample("parallax_policy_rules", static_cast<double>(d.policy_suppressions),
           {{"type", "suppression"}});
  w.Family("parallax_alert_store_errors_total", "counter", "Failed alert-store (SQLite) writes.");
  w.Sample("parallax_alert_store_errors_total", static_cast<double>(d.store_errors));

  w.Family("parallax_sink_submitted_total", "counter", "Records handed to each sink.");
  w.Family("parallax_sink_delivered_total", "counter", "Records each sink delivered.");
  w.Family("parallax_sink_retries_total", "counter", "Failed delivery attempts, retried.");
  w.Family("parallax_sink_dropped_total", "counter",
           "Non-alert events dropped on a full sink queue (alerts are never dropped).");
  w.Family("parallax_sink_queue_depth", "gauge", "Records waiting in each sink's memory queue.");
  w.Family("parallax_sink_spool_records", "gauge", "Alerts spooled on disk, not yet delivered.");
  w.Family("parallax_sink_spool_bytes", "gauge", "Size of the undelivered spool.");
  w.Family("parallax_sink_up", "gauge", "1 when the sink's last delivery attempt succeeded.");
  for (const auto& [name, s] : m.sinks) {
    w.Sample("parallax_sink_submitted_total", static_cast<double>(s.submitted), {{"sink", name}});
    w.Sample("parallax_sink_delivered_total", static_cast<double>(s.delivered), {{"sink", name}});
    w.Sample("parallax_sink_retries_total", static_cast<double>(s.retries), {{"sink", name}});
    w.Sample("parallax_sink_dropped_total", static_cast<double>(s.dropped), {{"sink", name}});
    w.Sample("parallax_sink_queue_depth", static_cast<double>(s.queue_depth), {{"sink", name}});
    w.Sample("parallax_sink_spool_records", static_cast<double>(s.spool_records), {{"sink", name}});
    w.Sample("parallax_sink_spool_bytes", static_cast<double>(s.spool_bytes), {{"sink", name}});
    w.Sample("parallax_sink_up", s.up ? 1 : 0, {{"sink", name}});
  }

  w.Family("parallax_reloads_total", "counter", "Successful SIGHUP reloads.");
  w.Sample("parallax_reloads_total", static_cast<double>(m.reloads));
  w.Family("parallax_reload_failures_total", "counter",
           "SIGHUP reloads refused (the old configuration stayed).");
  w.Sample("parallax_reload_failures_total", static_cast<double>(m.reload_failures));
  w.Family("parallax_process_resident_memory_bytes", "gauge", "Resident memory.");
  w.Sample("parallax_process_resident_memory_bytes", static_cast<double>(m.resident_bytes));
  w.Family("parallax_process_virtual_memory_bytes", "gauge", "Virtual memory.");
  w.Sample("parallax_process_virtual_memory_bytes", static_cast<double>(m.virtual_bytes));
  w.Family("parallax_process_start_time_seconds", "gauge", "Start time, seconds since the epoch.");
  w.Sample("parallax_process_start_time_seconds", m.start_time_s);
  return w.Take();
}

}  // namespace parallax::daemon
