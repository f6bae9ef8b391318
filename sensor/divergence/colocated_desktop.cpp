// colocated_desktop: the contractor works *from* a desktop hosted in a datacenter (the "colocated
// remote Mac desktop accessed via VPN"): the person is wherever the driver of that desktop is,
// and the desktop's address is what the company sees. Administering a server in a datacenter is
// not that: cloud engineers SSH into instances and RDP into jump boxes all day. So a hosted
// session alone says nothing; the finding needs
//   1. a graphical desktop session (not SSH or Telnet, which are terminals) to a machine in a
//      hosting network that is not one of the company's sanctioned networks, and
//   2. at least one corroboration that the person works from it:
//      - identity: the hosted machine is where the contractor's identity or egress appears (the
//        device connects in from a hosting network while being driven; the gateway log or the
//        wire shows that address as theirs);
//      - product: a consumer remote-control product (AnyDesk, TeamViewer, Chrome Remote Desktop,
//        RustDesk, Splashtop, Parsec, ScreenConnect, Radmin, NoMachine), not an administrator's
//        protocol (RDP, VNC, Citrix);
//      - rental: the network is a hosted-desktop/Mac rental provider (geoip's curated table names
//        them "hosted desktop: ...");
//      - anonymizer: the contractor's own egress is a VPN, proxy, Tor exit or hosting network;
//      - working day: the session lasts colocated_workday_s (4 h) or more while the device opens
//        fewer than colocated_idle_flows_per_hour other connections per hour of it (the device is
//        a thin client and the hosted desktop does the work).
// Severity: through an anonymizer high (1), else medium (2).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {

bool Terminal(const std::string& product) { return product == "SSH" || product == "Telnet"; }

bool ConsumerProduct(const std::string& p) {
  for (const char* name : {"AnyDesk", "TeamViewer", "Chrome Remote Desktop", "RustDesk",
                           "Splashtop", "Parsec", "ScreenConnect", "Radmin", "NoMachine"}) {
    if (p == name) return true;
  }
  return false;
}

bool RentalNetwork(const GeoFact& g) { return g.provider.rfind("hosted desktop", 0) == 0; }

bool Anonymizer(const std::string& t) { return t == "vpn" || t == "tor_exit" || t == "proxy"; }

struct Candidate {
  ColocatedEvidence hosted;
  double duration_s = 0;
  std::vector<std::string> corroboration;
  bool via_anonymizer = false;
};

}  // namespace

std::optional<Alert> DetectColocatedDesktop(const DetectionContext& ctx) {
  const ContractorWindow& w = ctx.window;
  std::vector<Candidate> candidates;
  // The device itself is hosted: its egress is a hosting network and it is being driven.
  for (const auto& [ip, e] : w.egress) {
    if (e.geo.network_type != "hosting" || ctx.Sanctioned(e.geo)) continue;
    for (const auto& r : w.remote) {
      if (Terminal(r.product) || ctx.Sanctioned(r.controller)) continue;
      Candidate c;
      c.hosted.product = r.product;
      c.hosted.host_ip = ip;
      c.hosted.host = e.geo;
      c.hosted.how = "the device connects in from a hosting network and is driven with " +
                     r.product + " from " + r.controller_ip;
      c.hosted.ts = r.ts;
      c.hosted.community_id = r.community_id;
      c.duration_s = r.duration_s;
      c.corroboration.push_back("identity: " + ip + " is the contractor's own egress (" + e.how +
                                ")");
      if (Anonymizer(r.controller.network_type)) {
        c.via_anonymizer = true;
        c.corroboration.push_back("anonymizer: the desktop is driven from " + r.controller_ip +
                                  " (" + r.controller.network_type + ")");
      }
      candidates.push_back(std::move(c));
      break;
    }
    if (!candidates.empty()) break;
  }
  // A colocated_desktop fingerprint: a session whose driven end is in a hosting network.
  for (const auto& h : w.colocated) {
    if (Terminal(h.product) || ctx.Sanctioned(h.host)) continue;
    Candidate c;
    c.hosted = h;
    c.duration_s = h.duration_s;
    if (auto it = w.egress.find(h.host_ip); it != w.egress.end()) {
      c.corroboration.push_back("identity: " + h.host_ip + " is also the contractor's egress (" +
                                it->second.how + ")");
    }
    if (ConsumerProduct(h.product)) {
      c.corroboration.push_back("product: " + h.product +
                                " is a consumer remote-control product, not an administrator's "
                                "protocol");
    }
    if (RentalNetwork(h.host)) {
      c.corroboration.push_back("rental: AS" + std::to_string(h.host.asn) + " is a " +
                                h.host.provider);
    }
    if (c.duration_s >= ctx.options.colocated_workday_s) {
      const double hours = c.duration_s / 3600.0;
      const double others = static_cast<double>(w.flows > 1 ? w.flows - 1 : 0);
      if (others / hours < ctx.options.colocated_idle_flows_per_hour) {
        char buf[200];
        std::snprintf(buf, sizeof buf,
                      "working day: a %.1f h session while the device opened %.0f other "
                      "connections (%.1f per hour; an ordinary laptop opens hundreds)",
                      hours, others, others / hours);
        c.corroboration.push_back(buf);
      }
    }
    candidates.push_back(std::move(c));
  }
  // Reached through an anonymizer: the contractor's own egress (not the hosted machine).
  std::string anonymizer;
  for (const auto& [ip, e] : w.egress) {
    const std::string& t = e.geo.network_type;
    if (ctx.Sanctioned(e.geo)) continue;
    if (Anonymizer(t) || t == "hosting") anonymizer = ip + " (" + t + ")";
  }
  const Candidate* hit = nullptr;
  for (auto& c : candidates) {
    if (!anonymizer.empty() && c.hosted.host_ip != anonymizer.substr(0, anonymizer.find(' '))) {
      c.via_anonymizer = true;
      c.corroboration.push_back("anonymizer: the contractor reaches the company through " +
                                anonymizer);
    }
    if (c.corroboration.empty()) continue;  // a hosted session alone: administration, silent
    if (!hit || (c.via_anonymizer && !hit->via_anonymizer) ||
        c.corroboration.size() > hit->corroboration.size()) {
      hit = &c;
    }
  }
  if (!hit) return std::nullopt;
  const ColocatedEvidence& h = hit->hosted;
  Alert a = NewAlert(AlertKind::kColocatedDesktop, ctx);
  a.severity = hit->via_anonymizer ? 1 : 2;
  a.score = hit->via_anonymizer ? 85 : 70;
  std::string why;
  for (const auto& s : hit->corroboration) why += (why.empty() ? "" : "; ") + s;
  a.explanation = ctx.contractor.name + " works on " + h.host_ip + ", a " + h.product +
                  " desktop in a datacenter (AS" + std::to_string(h.host.asn) + " " +
                  h.host.organisation + ")" + (hit->via_anonymizer ? ", reached through a VPN" : "") +
                  ". A hosted session alone would be administration; this one is corroborated: " +
                  why + ".";
  a.observed = GeoJson(h.host);
  a.evidence["host_ip"] = h.host_ip;
  a.evidence["product"] = h.product;
  a.evidence["how"] = h.how;
  a.evidence["via_vpn"] = hit->via_anonymizer;
  a.evidence["corroboration"] = hit->corroboration;
  a.evidence["session_duration_s"] = std::round(hit->duration_s * 10) / 10;
  a.evidence["hosted_sessions"] = w.colocated.size();
  a.evidence["flows"] = {h.community_id};
  a.subjects = {SubjectOf(h.host)};
  a.mitre = {{"T1219", "Remote Access Software"}, {"T1133", "External Remote Services"}};
  a.community_id = h.community_id;
  return a;
}

}  // namespace parallax::divergence
