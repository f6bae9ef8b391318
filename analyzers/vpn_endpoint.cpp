// vpn_endpoint: commercial VPN endpoints by network intelligence. A flow whose server sits in a
// network classified `vpn` (a named provider: Mullvad, NordVPN, iCloud Private Relay, an
// operator-listed Astrill exit...) or `tor_exit` is a VPN session with that provider, whatever its
// protocol. A flow that arrives *from* such a network (a controller reaching a laptop through its
// VPN) is reported the same way, naming the side.
//
// Astrill VPN is the provider the incident reports name (BACKGROUND.md), and it publishes no ASN
// and no exit list: its exits sit in ordinary hosting/colocation networks. So besides operator
// lists (provider "Astrill": named outright), a flow to a hosting network that TunnelMeter finds
// tunnel-like (long-lived, steady, high-entropy, balanced, not an application nDPI names) is
// reported as "Astrill (suspected)" with a lower confidence and the reasons; Astrill's documented
// StealthVPN and OpenWeb modes run over TLS on TCP 443, which raises it a little. TLS/DNS names
// under astrill.com (its client's API and website) show the client at work. No IP ranges are
// invented here: address knowledge comes only through ctx.intel.
#include <string>
#include <string_view>

#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"
#include "analyzers/tunnel_meter.h"

namespace parallax::analyzers {
namespace {

// Confidence of a `vpn`/`tor_exit` network classification, by the source that decided it.
constexpr double kOperatorListConfidence = 0.9;  // the operator saw this exit themselves
constexpr double kCuratedConfidence = 0.85;      // a documented provider ASN/prefix
constexpr double kAnonymousDbConfidence = 0.8;   // a commercial anonymous-IP database
constexpr double kAsnNameConfidence = 0.6;       // an AS organisation name rule: coarse
constexpr double kOtherSourceConfidence = 0.7;
// An address merely *in* a VPN network, seen as the client side, is weaker than a server there.
constexpr double kOriginatorSidePenalty = 0.1;
// Astrill by its own names (astrill.com over TLS SNI, HTTP Host or DNS): its client's API or a
// visit to its website. Control traffic or browsing, not the tunnel itself, and a website visit
// is no VPN use (the NordVPN/Surfshark website trap of sites.pcapng): a middling hint.
constexpr double kAstrillNameConfidence = 0.5;
// "Astrill (suspected)": the tunnel heuristic's confidence plus a little for the hosting network
// and for TLS/443 (StealthVPN/OpenWeb), capped well below a named provider.
constexpr double kHostingBonus = 0.05;
constexpr double kTls443Bonus = 0.05;
constexpr double kSuspectedMax = 0.6;
constexpr std::uint16_t kHttpsPort = 443;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Whether a host name is astrill.com or under it.
bool IsAstrillName(std::string_view name) {
  const std::string n = Lower(name);
  return n == "astrill.com" || EndsWith(n, ".astrill.com");
}

double SourceConfidence(const std::string& decided_by) {
  auto starts = [&](std::string_view p) { return decided_by.rfind(p, 0) == 0; };
  if (starts("operator_list")) return kOperatorListConfidence;
  if (starts("curated")) return kCuratedConfidence;
  if (starts("anonymous_ip_db")) return kAnonymousDbConfidence;
  if (starts("asn_org_name")) return kAsnNameConfidence;
  return kOtherSourceConfidence;
}

std::string NetworkText(const NetworkInfo& n) {
  std::string s = n.type;
  if (!n.provider.empty()) s += " " + n.provider;
  if (n.asn) s += " AS" + std::to_string(n.asn);
  if (!n.organisation.empty()) s += " " + n.organisation;
  if (!n.country.empty()) s += " (" + n.country + ")";
  return s;
}

std::string NdpiText(const core::Classification& c) {
  return (c.protocol.empty() ? std::string("Unknown") : c.protocol) +
         (c.confidence.empty() ? "" : " (" + c.confidence + (c.guessed ? ", guessed" : "") + ")");
}

class VpnEndpoint final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    meter_.OnPacket(flow, p, d);
    if (meter_.Rejected(flow)) meter_rejected_ = true;
  }
  // Network classification needs no packets; only the Astrill heuristic does, until rejected.
  bool Decided() const override { return meter_rejected_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    const std::string& sni = c.tls.sni.empty() ? c.hostname : c.tls.sni;
    if (!sni.empty() && IsAstrillName(sni)) {
      Fingerprint fp;
      fp.kind = Kind::kVpn;
      fp.product = "Astrill";
      fp.confidence = kAstrillNameConfidence;
      fp.decided_by = "parallax";
      fp.Add("hostname", sni + " (Astrill's own domain: its client's API, or a website visit)");
      fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
      fp.Add("ndpi_protocol", NdpiText(c));
      out.push_back(std::move(fp));
      return;
    }
    if (!ctx.intel) return;  // no network intelligence: nothing to say about networks

    const NetworkInfo server = ctx.intel->Lookup(flow.resp_addr);
    if (server.known && (server.type == "vpn" || server.type == "tor_exit")) {
      out.push_back(Named(flow, server, "responder", 0));
      return;
    }
    const NetworkInfo client = ctx.intel->Lookup(flow.orig_addr);
    if (client.known && (client.type == "vpn" || client.type == "tor_exit")) {
      out.push_back(Named(flow, client, "originator", kOriginatorSidePenalty));
      return;
    }
    if (server.known && server.IsHosting() && !meter_rejected_) {
      const TunnelAssessment a = meter_.Assess(flow);
      if (!a.tunnel_like) return;
      Fingerprint fp;
      fp.kind = Kind::kVpn;
      fp.product = "Astrill (suspected)";
      fp.decided_by = "parallax";
      double conf = a.confidence + kHostingBonus;
      fp.Add("reason", "tunnel-like flow into a hosting network, where Astrill's exits sit "
                       "(Astrill publishes no ASN or exit list)");
      fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
      fp.Add("server_network", NetworkText(server));
      fp.Add("network_source", server.decided_by);
      // TLS as nDPI saw it in the payload, not a guess from port 443.
      const bool tls = !c.tls.version.empty() ||
                       (!c.guessed && (c.master_protocol == "TLS" || c.app_protocol == "TLS"));
      if (flow.proto == core::kProtoTcp && flow.resp_port == kHttpsPort && tls) {
        conf += kTls443Bonus;
        fp.Add("astrill_mode", "TLS on TCP 443, as Astrill's StealthVPN/OpenWeb modes run");
      }
      fp.confidence = std::min(conf, kSuspectedMax);
      fp.Add("ndpi_protocol", NdpiText(c));
      a.AddEvidence(fp);
      out.push_back(std::move(fp));
    }
  }

 private:
  static Fingerprint Named(const core::Flow& flow, const NetworkInfo& n, const char* side,
                           double penalty) {
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    if (!n.provider.empty()) {
      fp.product = n.provider;
    } else {
      fp.product = n.type == "tor_exit" ? "Tor" : "VPN (unnamed provider)";
    }
    fp.confidence = SourceConfidence(n.decided_by) - penalty;
    fp.decided_by = "parallax";
    const bool responder = std::string_view(side) == "responder";
    const core::IpAddress& addr = responder ? flow.resp_addr : flow.orig_addr;
    const std::uint16_t port = responder ? flow.resp_port : flow.orig_port;
    fp.Add("vpn_side", side);
    fp.Add(responder ? "server" : "client", Endpoint(addr, port));
    fp.Add(responder ? "server_network" : "client_network", NetworkText(n));
    if (n.asn) fp.Add(responder ? "server_asn" : "client_asn", "AS" + std::to_string(n.asn));
    fp.Add("network_source", n.decided_by.empty() ? "unknown" : n.decided_by);
    fp.Add("ndpi_protocol", NdpiText(flow.classification));
    return fp;
  }

  TunnelMeter meter_;
  bool meter_rejected_ = false;
};

// Any flow with addresses: network intelligence applies to every protocol.

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::VpnEndpoint;
PARALLAX_REGISTER_ANALYZER(VpnEndpoint, "vpn_endpoint",
                           "Commercial VPN/Tor endpoints by network intelligence (provider "
                           "named); Astrill suspected from tunnels into hosting networks",
                           parallax::analyzers::WantsAny)
