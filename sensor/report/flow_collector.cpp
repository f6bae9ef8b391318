#include "sensor/report/flow_collector.h"

#include <algorithm>

#include "sensor/output/flow_event.h"

namespace parallax::report {
void FlowCollector::OnFlow(const record::FlowRecord& f,
                           const divergence::DivergenceEngine::Attribution& at) {
  if (!at.contractor) return;
  auto& rows = rows_[at.contractor->id];
  if (rows.size() >= max_rows_) {
    ++omitted_[at.contractor->id];
    return;
  }
  FlowRow r;
  r.flow_id = f.flow_id;
  r.community_id = f.community_id;
  r.src_ip = f.orig_addr.ToString();
  r.dest_ip = f.resp_addr.ToString();
  if (f.has_ports) {
    r.src_port = f.orig_port;
    r.dest_port = f.resp_port;
  }
  r.proto = output::ProtoName(f.proto);
  r.app = f.classification.protocol;
  for (const auto& d : f.dir) {
    r.bytes += d.bytes;
    r.packets += d.packets;
  }
  r.first_ts = f.first_ts;
  r.last_ts = f.last_ts;
  r.initiated = at.initiated();
  r.via = at.has_device ? "device" : "egress";
  if (at.has_egress) {
    r.egress_ip = at.egress.ToString();
    if (at.egress_rtt_us >= 0) r.rtt_ms = static_cast<double>(at.egress_rtt_us) / 1000.0;
  }
  const std::string mine_dev = at.has_device ? at.device.ToString() : std::string();
  const std::string mine_egr = r.egress_ip;
  auto mine = [&](const std::string& ip) {
    return !ip.empty() && (ip == mine_dev || ip == mine_egr);
  };
  // The lane: a remote-desktop session wins over a tunnel (what matters is who drives); a
  // generic tunnel heuristic yields to a named one, as in the analyzers.
  bool named = false;
  for (const auto& fp : f.fingerprints) {
    const bool remote = fp.kind == analyzers::Kind::kRemoteDesktop ||
                        fp.kind == analyzers::Kind::kColocatedDesktop ||
                        fp.kind == analyzers::Kind::kIpKvm;
    if (remote) {
      if (r.lane != Lane::kRemoteDesktop || r.product.empty()) r.product = fp.product;
      r.lane = Lane::kRemoteDesktop;
      if (fp.remote) {
        const std::string controlled = fp.remote->controlled.ToString();
        const std::string controller = fp.remote->controller.ToString();
        r.role_known = fp.remote->role_known;
        r.relayed = fp.remote->relayed;
        if (mine(controlled)) {
          r.role = "controlled";
          r.peer_ip = controller;
        } else if (mine(controller)) {
          r.role = "controller";
          r.peer_ip = controlled;
        } else {
          r.role = "unknown";
        }
      }
    } else if (r.lane != Lane::kRemoteDesktop &&
               (fp.kind == analyzers::Kind::kVpn || fp.kind == analyzers::Kind::kTunnelInner)) {
      if (r.product.empty() || (!fp.generic && !named)) r.product = fp.product;
      named = named || !fp.generic;
      r.lane = Lane::kVpn;
    }
  }
  if (r.lane == Lane::kOrdinary && f.classification.category == "VPN") r.lane = Lane::kVpn;
  rows.push_back(std::move(r));
}

}  // namespace parallax::report
