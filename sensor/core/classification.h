// Classification: what the application-layer classifier (nDPI, in sensor/classify) concluded about
// a flow, as plain values so that the core, analyzers and output never see nDPI types.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace parallax::core {

struct TlsInfo {
  std::string version;      // "TLSv1.2"
  std::string sni;          // client's server_name
  std::string alpn;         // advertised ALPNs, comma-separated as nDPI reports them
  std::string ja3_client;   // JA3 (MD5 hex) where the nDPI version still computes it
  std::string ja3_server;
  std::string issuer_dn;
  std::string subject_dn;
  bool empty() const { return version.empty() && sni.empty() && ja3_client.empty(); }
};

struct SshInfo {
  std::string client_banner;
  std::string server_banner;
  std::string hassh_client;
  std::string hassh_server;
  bool empty() const { return client_banner.empty() && server_banner.empty(); }
};

struct Classification {
  bool done = false;             // the classifier stopped inspecting this flow
  bool guessed = false;          // decided by port/address guess at give-up, not by DPI
  std::uint16_t master_id = 0;   // nDPI protocol ids (0 = unknown)
  std::uint16_t app_id = 0;
  std::string protocol;          // "TLS.AnyDesk": master.app, or the single name; "Unknown"
  std::string master_protocol;   // "TLS" (empty when there is no master)
  std::string app_protocol;      // "AnyDesk"
  std::string category;          // "RemoteAccess"
  std::string confidence;        // nDPI's confidence label ("DPI", "Match by port"...)
  std::vector<std::string> risks;
  std::string hostname;          // HTTP Host, DNS query or TLS SNI as nDPI exposes it
  TlsInfo tls;
  SshInfo ssh;
  std::uint32_t packets_inspected = 0;
};

}  // namespace parallax::core
