// One test per rule that separates honest work from laundering (docs/detections.md): each builds
// the evidence a detection sees (a window, its look-back) by hand and checks what it decides.
#include <catch2/catch.hpp>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {

constexpr core::TimeUs kDay = core::Seconds(24 * 3600);
constexpr core::TimeUs kT0 = core::Seconds(1'767'571'200);  // 2026-01-05T00:00:00Z, a Monday

// Chicago, the claimed home; the sensor beside the gateway in Dallas.
constexpr double kChicagoLat = 41.8781, kChicagoLon = -87.6298;
constexpr double kDallasLat = 32.7767, kDallasLon = -96.7970;

roster::Contractor Chicagoan() {
  roster::Contractor c;
  c.id = "c1";
  c.name = "Pat Doe";
  c.claimed = {"Chicago", "US", kChicagoLat, kChicagoLon};
  c.time_zone = "America/Chicago";
  return c;
}

GeoFact Place(const std::string& ip, const std::string& city, const std::string& country,
              double lat, double lon, const std::string& type, std::uint32_t asn = 7922,
              const std::string& provider = "") {
  GeoFact g;
  g.ip = ip;
  g.city = city;
  g.country = country;
  g.latitude = lat;
  g.longitude = lon;
  g.network_type = type;
  g.asn = asn;
  g.provider = provider;
  g.organisation = "Example Networks";
  return g;
}

DivergenceOptions AtDallas() {
  DivergenceOptions o;
  o.sensor_latitude = kDallasLat;
  o.sensor_longitude = kDallasLon;
  return o;
}

// The RTT a residential line in `km` from the sensor really has: good path plus a few ms.
double HonestRtt(double km) { return geoip::RttFloorMs(km, geoip::kGoodPathStretch) + 6; }

struct Case {
  roster::Contractor contractor = Chicagoan();
  DivergenceOptions options = AtDallas();
  std::vector<ContractorWindow> windows{1};
  std::map<std::string, std::set<std::string>> sharing;
  policy::Policy policy;
  bool with_policy = false;

  ContractorWindow& today() { return windows.back(); }
  std::optional<Alert> Run(std::optional<Alert> (*detect)(const DetectionContext&)) {
    std::vector<const ContractorWindow*> lookback;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      windows[i].window_start = kT0 + static_cast<core::TimeUs>(i) * kDay;
      windows[i].first_ts = windows[i].window_start + core::Seconds(15 * 3600);
      windows[i].last_ts = windows[i].window_start + core::Seconds(23 * 3600);
      if (windows[i].flows == 0) windows[i].flows = 300;
      lookback.push_back(&windows[i]);
    }
    DetectionContext ctx{contractor, windows.back(), options,
                         windows.back().window_start + kDay, lookback, sharing,
                         with_policy ? &policy : nullptr};
    return detect(ctx);
  }
};

EgressEvidence Egress(const GeoFact& g, std::vector<double> rtts) {
  EgressEvidence e;
  e.geo = g;
  e.how = "gateway flow";
  e.rtt_ms = std::move(rtts);
  e.flows = 10;
  e.community_ids = {"1:abc"};
  return e;
}

ColocatedEvidence Hosted(const std::string& product, const GeoFact& host, double duration_s) {
  ColocatedEvidence c;
  c.product = product;
  c.host_ip = host.ip;
  c.host = host;
  c.how = "colocated_desktop fingerprint";
  c.duration_s = duration_s;
  c.community_id = "1:hosted";
  return c;
}

const GeoFact kAws = Place("3.80.10.20", "Ashburn", "US", 39.0438, -77.4874, "hosting", 16509);
const GeoFact kAzure = Place("20.42.0.9", "Boydton", "US", 36.6676, -78.3875, "hosting", 8075);

double KmFromDallas(double lat, double lon) {
  return geoip::HaversineKm(kDallasLat, kDallasLon, lat, lon);
}

}  // namespace

TEST_CASE("colocated_desktop: a cloud engineer's SSH and RDP into cloud servers stay silent") {
  Case c;
  c.today().egress["73.1.2.3"] =
      Egress(Place("73.1.2.3", "Chicago", "US", kChicagoLat, kChicagoLon, "residential"),
             {HonestRtt(KmFromDallas(kChicagoLat, kChicagoLon))});
  c.today().colocated = {Hosted("SSH", kAws, 6 * 3600), Hosted("RDP", kAzure, 7 * 3600),
                         Hosted("SSH", kAzure, 600)};
  CHECK_FALSE(c.Run(DetectColocatedDesktop));
}

TEST_CASE("colocated_desktop: a hosted desktop alerts when something says they work from it") {
  SECTION("a consumer remote-control product into a VPS") {
    Case c;
    c.today().colocated = {Hosted("AnyDesk", kAws, 1800)};
    const auto a = c.Run(DetectColocatedDesktop);
    REQUIRE(a);
    CHECK(a->severity == 2);
    CHECK(a->explanation.find("consumer remote-control product") != std::string::npos);
    REQUIRE(a->subjects.size() == 1);
    CHECK(a->subjects[0].asn == 16509);
  }
  SECTION("a hosted-Mac rental network") {
    Case c;
    GeoFact mac = Place("208.52.1.1", "Las Vegas", "US", 36.17, -115.14, "hosting", 394220,
                        "hosted desktop: MacStadium");
    c.today().colocated = {Hosted("VNC", mac, 1800)};
    const auto a = c.Run(DetectColocatedDesktop);
    REQUIRE(a);
    CHECK(a->explanation.find("rental") != std::string::npos);
  }
  SECTION("reached through a VPN: high") {
    Case c;
    c.today().egress["104.194.216.5"] =
        Egress(Place("104.194.216.5", "Los Angeles", "US", 34.05, -118.24, "vpn", 0, "Astrill"),
               {});
    c.today().colocated = {Hosted("RDP", kAzure, 3600)};
    const auto a = c.Run(DetectColocatedDesktop);
    REQUIRE(a);
    CHECK(a->severity == 1);
  }
  SECTION("the hosted session carries the working day on an otherwise idle device") {
    Case c;
    c.today().colocated = {Hosted("RDP", kAzure, 7.5 * 3600)};
    c.today().flows = 40;  // 39 other connections in 7.5 h: a thin client
    const auto a = c.Run(DetectColocatedDesktop);
    REQUIRE(a);
    CHECK(a->explanation.find("working day") != std::string::npos);
    // The same session on a laptop in ordinary use (1,200 other connections) is administration.
    c.today().flows = 1200;
    CHECK_FALSE(c.Run(DetectColocatedDesktop));
  }
  SECTION("the device itself connects in from a hosting network while being driven") {
    Case c;
    c.today().egress[kAws.ip] = Egress(kAws, {});
    RemoteControlEvidence r;
    r.product = "RDP";
    r.device_ip = "10.8.0.31";
    r.controller_ip = "198.51.100.7";
    r.controller = Place("198.51.100.7", "Amsterdam", "NL", 52.37, 4.9, "vpn");
    c.today().remote = {r};
    const auto a = c.Run(DetectColocatedDesktop);
    REQUIRE(a);
    CHECK(a->severity == 1);
    CHECK(a->explanation.find("identity") != std::string::npos);
  }
}

TEST_CASE("colocated_desktop: the company's sanctioned cloud is not a rented desktop") {
  Case c;
  c.today().colocated = {Hosted("AnyDesk", kAws, 1800)};
  policy::NetworkSelector sel;
  sel.asn = 16509;
  c.policy.AddSanctioned({sel, "corporate AWS", "our VDI", 3});
  c.with_policy = true;
  CHECK_FALSE(c.Run(DetectColocatedDesktop));
}

TEST_CASE("location_mismatch: an ISP hub far away with an RTT that fits the claim is low") {
  // Northlake IL is close to Chicago; take a hub 300+ km away: Indianapolis for a Chicagoan.
  Case c;
  const double claim_km = KmFromDallas(kChicagoLat, kChicagoLon);
  const GeoFact hub = Place("73.9.9.9", "Indianapolis", "US", 39.7684, -86.1581, "residential");
  REQUIRE(geoip::HaversineKm(kChicagoLat, kChicagoLon, *hub.latitude, *hub.longitude) > 250);
  c.today().egress[hub.ip] = Egress(hub, {HonestRtt(claim_km) + 3, HonestRtt(claim_km),
                                          HonestRtt(claim_km) + 1});
  const auto a = c.Run(DetectLocationMismatch);
  REQUIRE(a);
  CHECK(a->severity == 3);
  CHECK(a->explanation.find("the RTT agrees with the claim") != std::string::npos);
  CHECK(a->evidence["rtt_check"]["verdict"] == "fits the claim");

  SECTION("the same line with no RTT measured stays medium and says so") {
    c.today().egress[hub.ip].rtt_ms.clear();
    const auto b = c.Run(DetectLocationMismatch);
    REQUIRE(b);
    CHECK(b->severity == 2);
    CHECK(b->explanation.find("no RTT check") != std::string::npos);
  }
  SECTION("a hosting network in the claimed country is not excused by the RTT") {
    c.today().egress[hub.ip].geo.network_type = "hosting";
    const auto b = c.Run(DetectLocationMismatch);
    REQUIRE(b);
    CHECK(b->severity == 2);
  }
  SECTION("RTT samples from earlier days count") {
    c.today().egress[hub.ip].rtt_ms = {HonestRtt(claim_km)};
    c.windows.insert(c.windows.begin(), ContractorWindow{});
    c.windows.front().egress[hub.ip] = Egress(hub, {HonestRtt(claim_km) + 2, HonestRtt(claim_km)});
    const auto b = c.Run(DetectLocationMismatch);
    REQUIRE(b);
    CHECK(b->severity == 3);
    CHECK(b->evidence["days_seen"] == 2);
  }
}

TEST_CASE("location_mismatch: an RTT that does not fit the claim keeps or raises the finding") {
  SECTION("too slow for the claim (an extra leg): medium stands") {
    Case c;
    const GeoFact hub = Place("73.9.9.9", "Indianapolis", "US", 39.7684, -86.1581, "residential");
    c.today().egress[hub.ip] = Egress(hub, {150, 152, 149});
    const auto a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 2);
    CHECK(a->explanation.find("does not fit the claim either") != std::string::npos);
  }
  SECTION("impossible for the claim, fitting the geolocation: high") {
    Case c;  // claims Chicago (1,290 km from Dallas), geolocated in Austin, 2-3 ms from Dallas
    const GeoFact austin = Place("24.1.1.1", "Austin", "US", 30.2672, -97.7431, "residential");
    c.today().egress[austin.ip] = Egress(austin, {3.1, 3.4, 3.0});
    const auto a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 1);
    CHECK(a->explanation.find("agrees with the database, not with the claim") != std::string::npos);
  }
  SECTION("another country the RTT rules out: the database is wrong, medium") {
    Case c;
    const GeoFact seoul = Place("175.1.1.1", "Seoul", "KR", 37.57, 126.98, "residential");
    const double claim_km = KmFromDallas(kChicagoLat, kChicagoLon);
    c.today().egress[seoul.ip] = Egress(seoul, {HonestRtt(claim_km), HonestRtt(claim_km) + 1,
                                                HonestRtt(claim_km) + 2});
    const auto a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 2);
    CHECK(a->explanation.find("database is wrong") != std::string::npos);
    // An RTT that fits Seoul and not the claim: high.
    c.today().egress[seoul.ip].rtt_ms = {190, 191, 195};
    const auto b = c.Run(DetectLocationMismatch);
    REQUIRE(b);
    CHECK(b->severity == 1);
  }
}

TEST_CASE("location_mismatch: a few days away from a home line in the look-back are a trip") {
  Case c;
  const double home_km = KmFromDallas(kChicagoLat, kChicagoLon);
  const GeoFact home = Place("73.1.2.3", "Chicago", "US", kChicagoLat, kChicagoLon, "residential");
  // Austin, 300 km from the Dallas sensor: the RTT rules the claimed Chicago out.
  const GeoFact hotel = Place("64.4.4.4", "Austin", "US", 30.2672, -97.7431, "unknown");
  const double hotel_rtt = HonestRtt(KmFromDallas(*hotel.latitude, *hotel.longitude));
  c.windows.resize(3);
  c.windows[0].egress[home.ip] = Egress(home, {HonestRtt(home_km)});
  c.windows[1].egress[home.ip] = Egress(home, {HonestRtt(home_km)});
  c.windows[2].egress[hotel.ip] = Egress(hotel, {hotel_rtt, hotel_rtt + 1, hotel_rtt + 2});
  auto a = c.Run(DetectLocationMismatch);
  REQUIRE(a);
  CHECK(a->severity == 3);
  CHECK(a->explanation.find("a trip") != std::string::npos);
  // Without the trip rule the physics decides: the RTT rules Chicago out and fits Austin, high.
  SECTION("with no home line in the look-back it is what the physics says") {
    c.windows[0].egress.clear();
    c.windows[1].egress.clear();
    a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 1);
  }
  SECTION("away more days than a trip") {
    c.windows.resize(6);
    for (std::size_t i = 2; i < 6; ++i) {
      c.windows[i].egress[hotel.ip] = Egress(hotel, {hotel_rtt, hotel_rtt + 1, hotel_rtt + 2});
    }
    a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 1);
  }
  SECTION("a hosting network is no hotel") {
    c.windows[2].egress[hotel.ip].geo.network_type = "hosting";
    a = c.Run(DetectLocationMismatch);
    REQUIRE(a);
    CHECK(a->severity == 1);
    CHECK(a->explanation.find("a trip") == std::string::npos);
  }
}

TEST_CASE("latency_inconsistent: judged against the claim, over the look-back") {
  SECTION("a relay seen twice a day for four days") {
    Case c;
    const GeoFact home = Place("73.5.5.5", "Chicago", "US", kChicagoLat, kChicagoLon, "residential");
    c.windows.resize(4);
    for (auto& w : c.windows) w.egress[home.ip] = Egress(home, {151.0, 149.5});
    const auto a = c.Run(DetectLatencyInconsistent);
    REQUIRE(a);
    CHECK(a->evidence["rtt_samples"] == 8);
    CHECK(a->evidence["rtt_windows"] == 4);
    CHECK(a->explanation.find("over 4 days") != std::string::npos);
    // One day alone (2 handshakes) is not enough to judge.
    c.windows.resize(1);
    CHECK_FALSE(c.Run(DetectLatencyInconsistent));
  }
  SECTION("an RTT that fits the claim but not the database accuses nobody") {
    Case c;  // claims Chicago; the database says Austin; the RTT fits Chicago, not Austin
    const GeoFact wrong = Place("73.6.6.6", "Austin", "US", 30.2672, -97.7431, "residential");
    const double claim_km = KmFromDallas(kChicagoLat, kChicagoLon);
    c.today().egress[wrong.ip] = Egress(wrong, {HonestRtt(claim_km), HonestRtt(claim_km) + 1,
                                                HonestRtt(claim_km) + 4});
    CHECK_FALSE(c.Run(DetectLatencyInconsistent));
  }
  SECTION("a mobile carrier's radio delay is allowed for") {
    Case c;
    const GeoFact lte = Place("172.56.1.1", "Chicago", "US", kChicagoLat, kChicagoLon, "mobile");
    const double claim_km = KmFromDallas(kChicagoLat, kChicagoLon);
    const double rtt = geoip::RttFloorMs(claim_km, geoip::kPoorPathStretch) + 55;
    c.today().egress[lte.ip] = Egress(lte, {rtt, rtt + 4, rtt + 9});
    CHECK_FALSE(c.Run(DetectLatencyInconsistent));
    c.today().egress[lte.ip].geo.network_type = "residential";
    CHECK(c.Run(DetectLatencyInconsistent));
  }
}

TEST_CASE("anonymized_egress and shared_egress: sanctioned networks are the company's own") {
  Case c;
  const GeoFact concentrator = Place("52.1.1.1", "Ashburn", "US", 39.04, -77.49, "hosting", 14618);
  c.today().egress[concentrator.ip] = Egress(concentrator, {});
  c.sharing[concentrator.ip] = {"c1", "c2", "c3"};
  CHECK(c.Run(DetectAnonymizedEgress));
  CHECK(c.Run(DetectSharedEgress));
  policy::NetworkSelector sel;
  sel.network = core::IpAddress::Parse("52.1.0.0");
  sel.prefix = 16;
  c.policy.AddSanctioned({sel, "corporate VPN concentrators", "ours", 1});
  c.with_policy = true;
  CHECK_FALSE(c.Run(DetectAnonymizedEgress));
  CHECK_FALSE(c.Run(DetectSharedEgress));
}

}  // namespace parallax::divergence

// impossible_travel: two egresses no journey connects. Times are hours after the window start.
namespace parallax::divergence {
namespace {

EgressEvidence Seen(const GeoFact& g, double from_h, double to_h, std::vector<double> rtts = {}) {
  EgressEvidence e = Egress(g, std::move(rtts));
  e.how = "identity event (okta)";
  e.first_ts = kT0 + static_cast<core::TimeUs>(from_h * 3.6e9);
  e.last_ts = kT0 + static_cast<core::TimeUs>(to_h * 3.6e9);
  return e;
}

const GeoFact kChicagoHome =
    Place("73.1.2.3", "Chicago", "US", kChicagoLat, kChicagoLon, "residential");
const GeoFact kLondon = Place("81.2.69.160", "London", "GB", 51.5074, -0.1278, "residential", 5089);
const GeoFact kLagos = Place("105.112.1.9", "Lagos", "NG", 6.5244, 3.3792, "residential", 36873);
const GeoFact kManila =
    Place("112.198.1.2", "Manila", "PH", 14.5995, 120.9842, "residential", 9299);

}  // namespace

TEST_CASE("impossible_travel: an honest flight and two fixes of one city stay silent") {
  Case c;
  // Chicago until 10:00, London from 20:00: 6,350 km in 10 h, an airliner's pace.
  c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 1, 10);
  c.today().egress["81.2.69.160"] = Seen(kLondon, 20, 23);
  CHECK_FALSE(c.Run(DetectImpossibleTravel));
  // Home broadband and the phone's hotspot in one city, at once.
  Case same;
  same.today().egress["73.1.2.3"] = Seen(kChicagoHome, 1, 10);
  same.today().egress["172.56.1.1"] =
      Seen(Place("172.56.1.1", "Evanston", "US", 42.0451, -87.6877, "mobile", 21928), 5, 6);
  CHECK_FALSE(same.Run(DetectImpossibleTravel));
  // A VPN exit far away at the same time: anonymized_egress's case, not travel.
  Case vpn;
  vpn.today().egress["73.1.2.3"] = Seen(kChicagoHome, 1, 10);
  vpn.today().egress["104.194.216.21"] =
      Seen(Place("104.194.216.21", "Tokyo", "JP", 35.68, 139.69, "vpn", 64602, "Astrill"), 2, 3);
  CHECK_FALSE(vpn.Run(DetectImpossibleTravel));
}

TEST_CASE("impossible_travel: too fast to travel is medium, concurrent countries high") {
  SECTION("Chicago until 15:00, Lagos from 16:00") {
    Case c;
    c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 15);
    c.today().egress["105.112.1.9"] = Seen(kLagos, 16, 17);
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->kind == AlertKind::kImpossibleTravel);
    CHECK(a->severity == 2);
    CHECK_FALSE(a->evidence["concurrent"].get<bool>());
    CHECK(a->evidence["other_country"].get<bool>());
    const double km = geoip::HaversineKm(kChicagoLat, kChicagoLon, 6.5244, 3.3792);
    CHECK(a->evidence["distance_km"].get<long>() == std::lround(km));
    CHECK(a->evidence["needed_kmh"].get<long>() == std::lround(km - 100));  // 1 h, radii 2 x 50
    CHECK(a->observed["ip"] == "105.112.1.9");
    CHECK(a->explanation.find("went from 73.1.2.3 (Chicago, US) to 105.112.1.9 (Lagos, NG)") !=
          std::string::npos);
  }
  SECTION("Chicago and Manila at the same time") {
    Case c;
    c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 17);
    c.today().egress["112.198.1.2"] = Seen(kManila, 12, 13);
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->severity == 1);
    CHECK(a->evidence["concurrent"].get<bool>());
    CHECK(a->explanation.find("and, at the same time,") != std::string::npos);
  }
  SECTION("across the window boundary: yesterday evening in Chicago, just after in Manila") {
    Case c;
    c.windows.resize(2);
    c.windows[0].egress["73.1.2.3"] = Seen(kChicagoHome, 20, 23.5);
    auto late = Seen(kManila, 24.5, 25);  // the next window
    c.today().egress["112.198.1.2"] = late;
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->evidence["gap_h"].get<double>() == Approx(1.0));
    // Judged once: yesterday's window alone, without today's egress, finds nothing.
    Case yesterday;
    yesterday.today().egress["73.1.2.3"] = Seen(kChicagoHome, 20, 23.5);
    CHECK_FALSE(yesterday.Run(DetectImpossibleTravel));
  }
}

TEST_CASE("impossible_travel: a mobile carrier and the RTT weigh in") {
  SECTION("a mobile carrier on one side lowers it a step") {
    Case c;
    c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 17);
    c.today().egress["112.198.1.2"] =
        Seen(Place("112.198.1.2", "Manila", "PH", 14.5995, 120.9842, "mobile", 4775), 12, 13);
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->severity == 2);
    CHECK(a->explanation.find("mobile carrier") != std::string::npos);
  }
  SECTION("an RTT that rules out one geolocation: the database's error, low") {
    Case c;
    const double chicago_rtt = HonestRtt(KmFromDallas(kChicagoLat, kChicagoLon));
    c.today().egress["73.1.2.3"] =
        Seen(kChicagoHome, 9, 15, {chicago_rtt, chicago_rtt + 1, chicago_rtt + 2});
    // "Lagos" answering from Dallas in 8 ms: it is not in Lagos.
    c.today().egress["105.112.1.9"] = Seen(kLagos, 16, 17, {8, 9, 10});
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->severity == 3);
    CHECK(a->evidence.contains("rtt_check"));
  }
  SECTION("RTTs that fit both places corroborate them, a step higher") {
    Case c;
    const double chicago_rtt = HonestRtt(KmFromDallas(kChicagoLat, kChicagoLon));
    const double lagos_rtt = HonestRtt(KmFromDallas(6.5244, 3.3792));
    c.today().egress["73.1.2.3"] =
        Seen(kChicagoHome, 9, 15, {chicago_rtt, chicago_rtt + 1, chicago_rtt + 2});
    c.today().egress["105.112.1.9"] =
        Seen(kLagos, 16, 17, {lagos_rtt, lagos_rtt + 1, lagos_rtt + 3});
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->severity == 1);
    CHECK(a->explanation.find("fits its geolocation") != std::string::npos);
  }
  SECTION("one provider's addresses in one country: a renumbered line, low") {
    // Comcast (AS 7922) in Chicago until 10:00, then from 10:20 an address DB-IP places at
    // Comcast's Denver hub: 1,480 km in 20 minutes, but the same provider's line.
    Case c;
    c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 10);
    c.today().egress["67.176.1.1"] =
        Seen(Place("67.176.1.1", "Denver", "US", 39.7392, -104.9903, "residential", 7922),
             10.33, 12);
    auto a = c.Run(DetectImpossibleTravel);
    REQUIRE(a);
    CHECK(a->severity == 3);
    CHECK(a->evidence["one_provider"].get<bool>());
    CHECK(a->explanation.find("one provider's (AS 7922)") != std::string::npos);
    // Another provider in Denver at that pace stays medium.
    Case other;
    other.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 10);
    other.today().egress["98.32.1.1"] =
        Seen(Place("98.32.1.1", "Denver", "US", 39.7392, -104.9903, "residential", 209), 10.33,
             12);
    auto b = other.Run(DetectImpossibleTravel);
    REQUIRE(b);
    CHECK(b->severity == 2);
    CHECK_FALSE(b->evidence["one_provider"].get<bool>());
  }
  SECTION("the speed is a setting: at 5,000 km/h the Lagos hop in 2 h is possible") {
    Case c;
    c.options.travel_speed_kmh = 5000;
    c.today().egress["73.1.2.3"] = Seen(kChicagoHome, 9, 15);
    c.today().egress["105.112.1.9"] = Seen(kLagos, 17, 18);
    CHECK_FALSE(c.Run(DetectImpossibleTravel));
  }
}

}  // namespace parallax::divergence
