#include <catch2/catch.hpp>

#include "sensor/core/decoder.h"
#include "tests/core/packet_builder.h"

using namespace parallax::core;
using namespace parallax::test;

namespace {

struct Decoded {
  DecodeStatus status;
  DecodedPacket p;
  AnomalyCounters a;
};

Decoded Run(const Bytes& frame, LinkType link = LinkType::kEthernet, std::uint32_t wirelen = 0) {
  Decoded d;
  PacketView pv;
  pv.ts = 1'000'000;
  pv.data = frame.data();
  pv.caplen = static_cast<std::uint32_t>(frame.size());
  pv.wirelen = wirelen ? wirelen : pv.caplen;
  pv.link = link;
  d.status = Decode(pv, d.p, d.a);
  return d;
}

const Bytes kSynOptions = {2, 4, 0x05, 0x64,  // MSS 1380 (WireGuard's 1420 MTU)
                           1, 3, 3, 7,        // NOP, WS 7
                           4, 2,              // SACK permitted
                           8, 10, 0, 0, 0, 1, 0, 0, 0, 0};  // timestamps

}  // namespace

TEST_CASE("Ethernet IPv4 TCP SYN: addresses, ports, flags and p0f options") {
  auto frame = Ether(0x0800, Ipv4("192.0.2.1", "198.51.100.7", 6, Tcp(50000, 443, kTcpSyn, kSynOptions)));
  auto d = Run(frame);
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.p.ip_version == 4);
  CHECK(d.p.src.ToString() == "192.0.2.1");
  CHECK(d.p.dst.ToString() == "198.51.100.7");
  CHECK(d.p.proto == kProtoTcp);
  CHECK(d.p.src_port == 50000);
  CHECK(d.p.dst_port == 443);
  CHECK(d.p.tcp_flags == kTcpSyn);
  CHECK(d.p.ttl == 64);
  CHECK(d.p.dont_fragment);
  CHECK(d.p.tcp_options.has_mss);
  CHECK(d.p.tcp_options.mss == 1380);
  CHECK(d.p.tcp_options.wscale == 7);
  CHECK(d.p.tcp_options.sack_permitted);
  CHECK(d.p.tcp_options.has_timestamp);
  CHECK(d.p.tcp_options.tsval == 1);
  REQUIRE(d.p.tcp_options.layout_len == 5);
  CHECK(d.p.tcp_options.layout[0] == 2);
  CHECK(d.p.tcp_options.layout[1] == 1);
  CHECK(d.p.tcp_options.layout[4] == 8);
  CHECK(d.p.payload_len == 0);
  CHECK(d.a.Total() == 0);
  CHECK(d.p.has_mac);
  CHECK(d.p.src_mac[0] == 0x66);
}

TEST_CASE("802.1Q and QinQ tags are decoded and kept for the flow key") {
  auto ip = Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(53, 5353, {1, 2, 3}));
  auto one = Run(Ether(0x0800, ip, {100}));
  REQUIRE(one.status == DecodeStatus::kOk);
  CHECK(one.p.vlan_count == 1);
  CHECK(one.p.vlan[0] == 100);
  auto two = Run(Ether(0x0800, ip, {200, 300}, 0x88A8));
  REQUIRE(two.status == DecodeStatus::kOk);
  CHECK(two.p.vlan_count == 2);
  CHECK(two.p.vlan[0] == 200);
  CHECK(two.p.vlan[1] == 300);
  CHECK(two.p.payload_len == 3);
  auto three = Run(Ether(0x0800, ip, {1, 2, 3}));
  REQUIRE(three.status == DecodeStatus::kOk);
  CHECK(three.a.Get(Anomaly::kTooManyVlanTags) == 1);
}

TEST_CASE("Linux cooked SLL, SLL2, raw IP, BSD null and loop link types") {
  auto ip4 = Ipv4("10.1.1.1", "10.1.1.2", 17, Udp(1000, 2000));
  auto ip6 = Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(1000, 2000));

  Bytes sll = {0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00};
  auto d1 = Run(Cat(sll, ip4), LinkType::kLinuxSll);
  REQUIRE(d1.status == DecodeStatus::kOk);
  CHECK(d1.p.src.ToString() == "10.1.1.1");

  Bytes sll2 = {0x86, 0xDD, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0};
  auto d2 = Run(Cat(sll2, ip6), LinkType::kLinuxSll2);
  REQUIRE(d2.status == DecodeStatus::kOk);
  CHECK(d2.p.ip_version == 6);
  CHECK(d2.p.dst.ToString() == "2001:db8::2");

  CHECK(Run(ip4, LinkType::kRaw).status == DecodeStatus::kOk);
  CHECK(Run(ip6, LinkType::kRaw).p.ip_version == 6);
  CHECK(Run(ip4, LinkType::kIpv4).status == DecodeStatus::kOk);
  CHECK(Run(ip6, LinkType::kIpv6).status == DecodeStatus::kOk);

  Bytes null_le = {2, 0, 0, 0};  // AF_INET, little-endian host
  CHECK(Run(Cat(null_le, ip4), LinkType::kNull).p.ip_version == 4);
  Bytes null_v6 = {30, 0, 0, 0};  // AF_INET6 on macOS
  CHECK(Run(Cat(null_v6, ip6), LinkType::kNull).p.ip_version == 6);
  Bytes loop_be = {0, 0, 0, 2};
  CHECK(Run(Cat(loop_be, ip4), LinkType::kLoop).p.ip_version == 4);
  Bytes null_other = {7, 0, 0, 0};
  CHECK(Run(Cat(null_other, ip4), LinkType::kNull).status == DecodeStatus::kNotIp);
}

TEST_CASE("PPPoE session and MPLS carry IP") {
  Bytes pppoe = {0x11, 0x00, 0x00, 0x01, 0x00, 0x20, 0x00, 0x21};
  auto d = Run(Ether(0x8864, Cat(pppoe, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2)))));
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.p.src.ToString() == "10.0.0.1");
  Bytes mpls = {0x00, 0x01, 0x01, 0x40};  // label 16, bottom of stack
  auto m = Run(Ether(0x8847, Cat(mpls, Ipv6("::1", "::2", 17, Udp(1, 2)))));
  REQUIRE(m.status == DecodeStatus::kOk);
  CHECK(m.p.ip_version == 6);
}

TEST_CASE("ARP and 802.3 frames are not IP and are counted, not errors") {
  auto arp = Run(Ether(0x0806, Bytes(28, 0)));
  CHECK(arp.status == DecodeStatus::kNotIp);
  CHECK(arp.a.Get(Anomaly::kNonIpFrame) == 1);
  auto llc = Run(Ether(0x0026, Bytes(38, 0)));
  CHECK(llc.status == DecodeStatus::kNotIp);
}

TEST_CASE("IPv4 options are skipped and Ethernet padding is trimmed") {
  Ip4Opts o;
  o.ihl_words = 7;
  auto ip = Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(10, 20, {9, 9}), o);
  Bytes padded = Cat(Ether(0x0800, ip), Bytes(20, 0));  // padding after the IP packet
  auto d = Run(padded);
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.p.has_ip_options);
  CHECK(d.p.src_port == 10);
  CHECK(d.p.payload_len == 2);
  CHECK(d.p.l3_len == ip.size());
  CHECK(d.a.Total() == 0);
}

TEST_CASE("IPv4 fragments: the first carries ports, the rest carry none") {
  Ip4Opts first;
  first.frag = 0x2000;  // MF, offset 0
  first.id = 77;
  auto f1 = Run(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(5000, 53, Bytes(32, 1)), first)));
  REQUIRE(f1.status == DecodeStatus::kOk);
  CHECK(f1.p.is_fragment);
  CHECK(f1.p.is_first_fragment);
  CHECK(f1.p.has_ports);
  CHECK(f1.p.frag_id == 77);
  Ip4Opts rest;
  rest.frag = 0x0005;  // offset 40 bytes, last fragment
  rest.id = 77;
  auto f2 = Run(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Bytes(24, 2), rest)));
  REQUIRE(f2.status == DecodeStatus::kOk);
  CHECK(f2.p.is_fragment);
  CHECK_FALSE(f2.p.is_first_fragment);
  CHECK_FALSE(f2.p.has_ports);
  CHECK(f2.p.frag_offset == 40);
  CHECK(f2.p.payload_len == 24);
}

TEST_CASE("IPv6 extension headers are walked to the transport header") {
  Bytes hop = {60, 0, 1, 4, 0, 0, 0, 0};   // hop-by-hop, next = destination options
  Bytes dst = {6, 0, 1, 4, 0, 0, 0, 0};    // destination options, next = TCP
  auto d = Run(Ether(0x86DD, Ipv6("2001:db8::a", "2001:db8::b", 0,
                                  Cat(Cat(hop, dst), Tcp(1234, 22, kTcpSyn | kTcpAck)))));
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.p.proto == kProtoTcp);
  CHECK(d.p.src_port == 1234);
  CHECK(d.p.tcp_flags == (kTcpSyn | kTcpAck));

  Bytes frag_first = {17, 0, 0x00, 0x01, 0, 0, 0, 9};   // offset 0, M=1, id 9, next = UDP
  auto f = Run(Ether(0x86DD, Ipv6("2001:db8::a", "2001:db8::b", 44, Cat(frag_first, Udp(7, 8, Bytes(16, 0))))));
  REQUIRE(f.status == DecodeStatus::kOk);
  CHECK(f.p.is_first_fragment);
  CHECK(f.p.frag_id == 9);
  CHECK(f.p.src_port == 7);
  Bytes frag_next = {17, 0, 0x00, 0x18, 0, 0, 0, 9};    // offset 24, last
  auto g = Run(Ether(0x86DD, Ipv6("2001:db8::a", "2001:db8::b", 44, Cat(frag_next, Bytes(10, 0)))));
  REQUIRE(g.status == DecodeStatus::kOk);
  CHECK_FALSE(g.p.is_first_fragment);
  CHECK(g.p.frag_offset == 24);
  CHECK_FALSE(g.p.has_ports);
}

TEST_CASE("ICMP echo request and reply map to the same port pair") {
  Bytes echo = {8, 0, 0, 0, 0, 1, 0, 1};
  Bytes reply = {0, 0, 0, 0, 0, 1, 0, 1};
  auto q = Run(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 1, echo)));
  auto r = Run(Ether(0x0800, Ipv4("10.0.0.2", "10.0.0.1", 1, reply)));
  REQUIRE(q.status == DecodeStatus::kOk);
  CHECK(q.p.src_port == 8);
  CHECK(q.p.dst_port == 0);
  CHECK(r.p.src_port == 0);
  CHECK(r.p.dst_port == 8);
}

TEST_CASE("Protocols without ports (GRE, ESP) decode as address-only flows") {
  auto d = Run(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 47, Bytes(12, 0))));
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK_FALSE(d.p.has_ports);
  CHECK(d.p.proto == 47);
  CHECK(d.p.payload_len == 12);
}

TEST_CASE("Malformed headers become named anomalies") {
  CHECK(Run(Bytes(10, 0)).a.Get(Anomaly::kTruncatedLinkHeader) == 1);

  Ip4Opts bad_ihl;
  bad_ihl.ihl_words = 4;
  auto b1 = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 17, Udp(1, 2), bad_ihl)));
  CHECK(b1.status == DecodeStatus::kBroken);
  CHECK(b1.a.Get(Anomaly::kBadIpv4HeaderLength) == 1);

  Ip4Opts short_total;
  short_total.total_len_override = 12;
  auto b2 = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 17, Udp(1, 2), short_total)));
  CHECK(b2.a.Get(Anomaly::kIpv4LengthMismatch) == 1);

  auto tcp = Tcp(1, 2, kTcpAck);
  tcp[12] = 0x30;  // data offset 3 words
  auto b3 = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 6, tcp)));
  CHECK(b3.a.Get(Anomaly::kBadTcpHeaderLength) == 1);

  auto udp = Udp(1, 2, {1, 2, 3});
  udp[5] = 4;  // UDP length 4 < 8
  auto b4 = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 17, udp)));
  CHECK(b4.status == DecodeStatus::kOk);  // recoverable: the IP length is used instead
  CHECK(b4.a.Get(Anomaly::kBadUdpLength) == 1);
  CHECK(b4.p.payload_len == 3);

  Bytes bad_opt = {2, 40, 0, 0};  // MSS option claiming 40 bytes in a 4-byte option area
  auto b5 = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 6, Tcp(1, 2, kTcpSyn, bad_opt))));
  CHECK(b5.status == DecodeStatus::kOk);
  CHECK(b5.a.Get(Anomaly::kBadTcpOption) == 1);
  CHECK_FALSE(b5.p.tcp_options.has_mss);

  Bytes many;
  for (int i = 0; i < 9; ++i) {
    Bytes h = {static_cast<std::uint8_t>(i == 8 ? 17 : 60), 0, 1, 4, 0, 0, 0, 0};
    many = Cat(many, h);
  }
  auto b6 = Run(Ether(0x86DD, Ipv6("::1", "::2", 60, Cat(many, Udp(1, 2)))));
  CHECK(b6.a.Get(Anomaly::kIpv6TooManyExtHeaders) == 1);

  Bytes trunc_ext = {17, 5, 0, 0, 0, 0, 0, 0};  // claims 48 bytes
  auto b7 = Run(Ether(0x86DD, Ipv6("::1", "::2", 60, trunc_ext)));
  CHECK(b7.a.Get(Anomaly::kIpv6ExtHeaderTruncated) == 1);

  auto v6 = Ipv6("::1", "::2", 17, Udp(1, 2));
  v6[0] = 0x40;
  CHECK(Run(v6, LinkType::kIpv6).a.Get(Anomaly::kBadIpv6Version) == 1);
  CHECK(Run(Bytes{1, 2, 3}, LinkType::kUnsupported).a.Get(Anomaly::kUnsupportedLinkType) == 1);
}

TEST_CASE("Snaplen-truncated frames are counted and still decoded") {
  auto frame = Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, kTcpAck, {}, Bytes(1000, 7))));
  Bytes cut(frame.begin(), frame.begin() + 96);
  auto d = Run(cut, LinkType::kEthernet, static_cast<std::uint32_t>(frame.size()));
  REQUIRE(d.status == DecodeStatus::kOk);
  CHECK(d.a.Get(Anomaly::kSnaplenTruncated) == 1);
  CHECK(d.a.Get(Anomaly::kIpv4LengthMismatch) == 0);
  CHECK(d.p.payload_len == 96 - 14 - 20 - 20);
  CHECK(d.p.payload_wire_len == 1000);
  CHECK(d.p.wirelen == frame.size());
}

TEST_CASE("Every prefix of valid frames decodes without reading past the capture") {
  // ASan (PARALLAX_SANITIZE=ON) turns any overread here into a failure.
  const Bytes frames[] = {
      Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 6, Tcp(1, 2, kTcpSyn, kSynOptions, Bytes(5, 1)))),
      Ether(0x86DD, Ipv6("::1", "::2", 0, Cat(Bytes{44, 0, 1, 4, 0, 0, 0, 0},
                                              Cat(Bytes{17, 0, 0, 1, 0, 0, 0, 3}, Udp(1, 2, {1}))))),
      Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 1, Bytes{8, 0, 0, 0, 0, 0, 0, 0}), {5, 6}),
  };
  for (const auto& f : frames) {
    for (std::size_t n = 0; n <= f.size(); ++n) {
      Bytes prefix(f.begin(), f.begin() + n);
      auto d = Run(prefix, LinkType::kEthernet, static_cast<std::uint32_t>(prefix.size()));
      if (n == f.size()) CHECK(d.status == DecodeStatus::kOk);
      if (d.status == DecodeStatus::kOk && d.p.payload) {
        CHECK(d.p.payload + d.p.payload_len <= prefix.data() + prefix.size());
      }
    }
  }
}

TEST_CASE("IP-in-IP, GRE, ERSPAN and VXLAN are stripped to the inner packet") {
  auto inner4 = Ipv4("10.9.0.1", "10.9.0.2", 6, Tcp(1111, 443, kTcpSyn));
  auto inner6 = Ipv6("2001:db8::1", "2001:db8::2", 17, Udp(5000, 53));

  auto ipip = Run(Ether(0x0800, Ipv4("198.51.100.1", "198.51.100.2", 4, inner4)));
  REQUIRE(ipip.status == DecodeStatus::kOk);
  CHECK(ipip.p.encap == Encap::kIpInIp);
  CHECK(ipip.p.encap_src.ToString() == "198.51.100.1");
  CHECK(ipip.p.src.ToString() == "10.9.0.1");
  CHECK(ipip.p.dst_port == 443);
  CHECK(ipip.p.l3 + ipip.p.l3_len <= ipip.p.payload + ipip.p.payload_len);

  auto six_in_four = Run(Ether(0x0800, Ipv4("198.51.100.1", "198.51.100.2", 41, inner6)));
  REQUIRE(six_in_four.status == DecodeStatus::kOk);
  CHECK(six_in_four.p.ip_version == 6);
  CHECK(six_in_four.p.src_port == 5000);

  Bytes gre_ip = {0x00, 0x00, 0x08, 0x00};
  auto gre = Run(Ether(0x0800, Ipv4("198.51.100.1", "198.51.100.2", 47, Cat(gre_ip, inner4))));
  REQUIRE(gre.status == DecodeStatus::kOk);
  CHECK(gre.p.encap == Encap::kGre);
  CHECK(gre.p.proto == kProtoTcp);

  Bytes gre_key = {0x20, 0x00, 0x86, 0xDD, 0, 0, 0, 7};  // key present
  CHECK(Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 47, Cat(gre_key, inner6)))).p.ip_version == 6);

  // ERSPAN type II: GRE with sequence number, 8-byte ERSPAN header, then a mirrored frame.
  Bytes erspan = {0x10, 0x00, 0x88, 0xBE, 0, 0, 0, 1, 0x10, 0x64, 0, 0, 0, 0, 0, 0};
  auto mirrored = Ether(0x0800, inner4, {42});
  auto e = Run(Ether(0x0800, Ipv4("192.0.2.10", "192.0.2.20", 47, Cat(erspan, mirrored))));
  REQUIRE(e.status == DecodeStatus::kOk);
  CHECK(e.p.encap == Encap::kErspan);
  CHECK(e.p.src.ToString() == "10.9.0.1");
  CHECK(e.p.vlan_count == 1);
  CHECK(e.p.vlan[0] == 42);

  Bytes vxlan = {0x08, 0, 0, 0, 0, 0, 0x64, 0};
  auto v = Run(Ether(0x0800, Ipv4("192.0.2.10", "192.0.2.20", 17, Udp(40000, 4789, Cat(vxlan, mirrored)))));
  REQUIRE(v.status == DecodeStatus::kOk);
  CHECK(v.p.encap == Encap::kVxlan);
  CHECK(v.p.dst_port == 443);

  // PPTP's enhanced GRE (version 1) carries PPP: it stays a GRE flow.
  Bytes pptp = {0x30, 0x01, 0x88, 0x0B, 0, 4, 0, 0, 0, 0, 0, 1};
  auto g = Run(Ether(0x0800, Ipv4("1.1.1.1", "2.2.2.2", 47, Cat(pptp, Bytes(4, 0)))));
  REQUIRE(g.status == DecodeStatus::kOk);
  CHECK(g.p.encap == Encap::kNone);
  CHECK(g.p.proto == kProtoGre);

  // Nesting beyond the depth limit keeps the outermost flow rather than recursing forever.
  Bytes nested = inner4;
  for (int i = 0; i < 6; ++i) nested = Ipv4("203.0.113.1", "203.0.113.2", 4, nested);
  auto n = Run(Ether(0x0800, nested));
  CHECK(n.status == DecodeStatus::kOk);
  CHECK(n.p.encap_depth == kMaxEncapDepth);
}
