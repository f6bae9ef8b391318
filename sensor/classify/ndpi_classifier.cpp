#include "sensor/classify/ndpi_classifier.h"

#include "sensor/classify/ndpi_guards.h"

#include <ndpi_api.h>

#include <algorithm>
#include <cstring>

// nDPI changes its API between releases. Debian 12 ships 4.2, which CI builds; the branches for
// later releases follow their published headers (4.4 added the input-info argument, 4.6 dropped
// give-up's enable_guess flag, 4.8 added the global context) but are not built here.
#if !defined(NDPI_MAJOR) || !defined(NDPI_MINOR)
#error "nDPI version macros missing"
#endif
#define PARALLAX_NDPI_AT_LEAST(maj, min) \
  (NDPI_MAJOR > (maj) || (NDPI_MAJOR == (maj) && NDPI_MINOR >= (min)))

namespace parallax::classify {
namespace {

// nDPI's per-flow state, attached to the flow until detection is done.
class NdpiFlowState : public core::FlowExtension {
 public:
  NdpiFlowState() {
    flow = static_cast<ndpi_flow_struct*>(ndpi_flow_malloc(SIZEOF_FLOW_STRUCT));
    if (flow) std::memset(flow, 0, SIZEOF_FLOW_STRUCT);
  }
  ~NdpiFlowState() override {
    if (flow) ndpi_free_flow(flow);
  }
  NdpiFlowState(const NdpiFlowState&) = delete;
  NdpiFlowState& operator=(const NdpiFlowState&) = delete;

  ndpi_flow_struct* flow = nullptr;
  ndpi_protocol proto = NDPI_PROTOCOL_NULL;
  bool detected = false;  // an app protocol is known; only extra dissection remains
};

bool IsTlsLike(std::uint16_t id) {
  return id == NDPI_PROTOCOL_TLS || id == NDPI_PROTOCOL_DTLS || id == NDPI_PROTOCOL_QUIC;
}

std::string SafeString(const char* s, std::size_t max) {
  if (!s) return {};
  return std::string(s, strnlen(s, max));
}

}  // namespace

struct NdpiClassifier::Module {
  ndpi_detection_module_struct* ndpi = nullptr;
  ~Module() {
    if (ndpi) ndpi_exit_detection_module(ndpi);
  }
};

NdpiClassifier::NdpiClassifier(const ClassifierOptions& options)
    : options_(options), module_(std::make_unique<Module>()) {}

NdpiClassifier::~NdpiClassifier() = default;

std::unique_ptr<NdpiClassifier> NdpiClassifier::Create(const ClassifierOptions& options,
                                                       std::string* error) {
  std::unique_ptr<NdpiClassifier> c(new NdpiClassifier(options));
#if PARALLAX_NDPI_AT_LEAST(4, 8)
  c->module_->ndpi = ndpi_init_detection_module(nullptr);
#else
  c->module_->ndpi = ndpi_init_detection_module(ndpi_no_prefs);
#endif
  if (!c->module_->ndpi) {
    *error = "nDPI: ndpi_init_detection_module failed (out of memory?)";
    return nullptr;
  }
#if !PARALLAX_NDPI_AT_LEAST(4, 10)
  NDPI_PROTOCOL_BITMASK all;
  NDPI_BITMASK_SET_ALL(all);
  ndpi_set_protocol_detection_bitmask2(c->module_->ndpi, &all);
#endif
  ndpi_finalize_initialization(c->module_->ndpi);
  return c;
}

std::string NdpiClassifier::Version() { return ndpi_revision(); }

std::size_t NdpiClassifier::FlowStateBytes() { return SIZEOF_FLOW_STRUCT; }

void NdpiClassifier::Process(core::Flow& f, const core::DecodedPacket& p) {
  if (f.classification.done || !p.l3 || p.l3_len == 0) return;
  if (p.is_fragment && !p.is_first_fragment) return;
#if !PARALLAX_NDPI_AT_LEAST(4, 4)
  if (p.proto == core::kProtoUdp && CarriesDtlsCertificate(p.payload, p.payload_len)) {
    ++withheld_packets_;
    return;
  }
#endif
  auto* st = static_cast<NdpiFlowState*>(f.classifier_state.get());
  if (!st) {
    auto fresh = std::make_unique<NdpiFlowState>();
    if (!fresh->flow) return;  // out of memory: the flow stays unclassified, nothing breaks
    st = fresh.get();
    f.classifier_state = std::move(fresh);
    ++live_states_;
  }
  ++f.classification.packets_inspected;
  const auto len = static_cast<unsigned short>(std::min<std::uint32_t>(p.l3_len, 0xFFFF));
  const std::uint64_t ts_ms = static_cast<std::uint64_t>(p.ts / core::kMicrosPerMilli);
#if PARALLAX_NDPI_AT_LEAST(4, 4)
  st->proto = ndpi_detection_process_packet(module_->ndpi, st->flow, p.l3, len, ts_ms, nullptr);
#else
  st->proto = ndpi_detection_process_packet(module_->ndpi, st->flow, p.l3, len, ts_ms);
#endif
  const std::uint32_t cap =
      f.proto == core::kProtoTcp ? options_.max_tcp_packets : options_.max_udp_packets;
  const std::uint64_t total = f.dir[0].packets + f.dir[1].packets;
  const bool enough = total > cap;
#if PARALLAX_NDPI_AT_LEAST(4, 10)
  const bool known = st->proto.proto.app_protocol != NDPI_PROTOCOL_UNKNOWN;
#else
  const bool known = st->proto.app_protocol != NDPI_PROTOCOL_UNKNOWN;
#endif
  if (!enough && !known) return;
  if (!enough && options_.extra_dissection && ndpi_extra_dissection_possible(module_->ndpi, st->flow)) {
    st->detected = true;  // wait for further metadata (certificate, server hello...)
    return;
  }
  Complete(f, !known);
}

void NdpiClassifier::Finish(core::Flow& f) {
  if (f.classification.done) return;
  if (!f.classifier_state) {
    // Never fed (e.g. only non-first fragments): nothing nDPI could say.
    f.classification.done = true;
    f.classification.protocol = "Unknown";
    f.classification.app_protocol = "Unknown";
    return;
  }
  auto* st = static_cast<NdpiFlowState*>(f.classifier_state.get());
  Complete(f, !st->detected);
}

void NdpiClassifier::Complete(core::Flow& f, bool give_up) {
  auto* st = static_cast<NdpiFlowState*>(f.classifier_state.get());
  ndpi_detection_module_struct* m = module_->ndpi;
  core::Classification& c = f.classification;
  if (give_up) {
    std::uint8_t guessed = 0;
#if PARALLAX_NDPI_AT_LEAST(4, 6)
    ndpi_protocol g = ndpi_detection_giveup(m, st->flow, &guessed);
#else
    ndpi_protocol g = ndpi_detection_giveup(m, st->flow, options_.guess_at_giveup ? 1 : 0, &guessed);
#endif
    st->proto = g;
    c.guessed = guessed != 0;
  }
#if PARALLAX_NDPI_AT_LEAST(4, 10)
  const ndpi_master_app_protocol ids = st->proto.proto;
#else
  const ndpi_protocol ids = st->proto;
#endif
  c.master_id = ids.master_protocol;
  c.app_id = ids.app_protocol;
  char buf[128];
  c.protocol = ndpi_protocol2name(m, st->proto, buf, sizeof buf);
  if (ids.master_protocol != NDPI_PROTOCOL_UNKNOWN && ids.master_protocol != ids.app_protocol) {
    c.master_protocol = SafeString(ndpi_get_proto_name(m, ids.master_protocol), 64);
  }
  c.app_protocol = SafeString(ndpi_get_proto_name(m, ids.app_protocol), 64);
  c.category = SafeString(ndpi_category_get_name(m, st->proto.category), 64);
  c.confidence = SafeString(ndpi_confidence_get_name(st->flow->confidence), 64);
  for (int r = 1; r < NDPI_MAX_RISK; ++r) {
    if (NDPI_ISSET_BIT(st->flow->risk, r)) {
      c.risks.emplace_back(SafeString(ndpi_risk2str(static_cast<ndpi_risk_enum>(r)), 128));
    }
  }
  c.hostname = SafeString(st->flow->host_server_name, sizeof st->flow->host_server_name);

  // nDPI keeps protocol metadata in a union: read a member only for the protocol that owns it.
  if (IsTlsLike(ids.master_protocol) || IsTlsLike(ids.app_protocol)) {
    const auto& t = st->flow->protos.tls_quic;
    if (t.ssl_version) {
      std::uint8_t unknown = 0;
      char vbuf[32];
      c.tls.version = SafeString(ndpi_ssl_version2str(vbuf, sizeof vbuf, t.ssl_version, &unknown),
                                 sizeof vbuf);
    }
    c.tls.sni = c.hostname;
    c.tls.alpn = SafeString(t.alpn, 256);
    c.tls.ja3_client = SafeString(t.ja3_client, sizeof t.ja3_client);
    c.tls.ja3_server = SafeString(t.ja3_server, sizeof t.ja3_server);
    c.tls.issuer_dn = SafeString(t.issuerDN, 512);
    c.tls.subject_dn = SafeString(t.subjectDN, 512);
  } else if (ids.master_protocol == NDPI_PROTOCOL_SSH || ids.app_protocol == NDPI_PROTOCOL_SSH) {
    const auto& s = st->flow->protos.ssh;
    c.ssh.client_banner = SafeString(s.client_signature, sizeof s.client_signature);
    c.ssh.server_banner = SafeString(s.server_signature, sizeof s.server_signature);
    c.ssh.hassh_client = SafeString(s.hassh_client, sizeof s.hassh_client);
    c.ssh.hassh_server = SafeString(s.hassh_server, sizeof s.hassh_server);
  }
  c.done = true;
  f.classifier_state.reset();  // free nDPI's state as soon as it has nothing more to say
  --live_states_;
}

}  // namespace parallax::classify
