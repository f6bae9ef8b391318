#include "sensor/cli/geo_command.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "geoip/default_paths.h"
#include "sensor/cli/geo_flags.h"
#include "geoip/geo_intel.h"
#include "geoip/utc_offset.h"

namespace parallax::cli {
namespace {

using namespace parallax::geoip;

struct GeoOptions {
  std::vector<std::string> addresses;
  bool json = false;
  GeoFlags geo;
};

std::string Fixed(double v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, v);
  return buf;
}

nlohmann::json ToJson(const GeoAnswer& a, const std::optional<UtcOffset>& offset) {
  const GeoRecord& r = a.record;
  nlohmann::json j;
  j["ip"] = a.address.ToString();
  nlohmann::json loc = nullptr;
  if (r.has_location_data) {
    loc = {
        {"country", r.country},
        {"city", r.city},
        {"accuracy_radius_km", r.accuracy_radius_km == 0 ? nlohmann::json(nullptr)
                                                         : nlohmann::json(r.accuracy_radius_km)},
        {"time_zone", r.time_zone.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.time_zone)},
        {"source", std::string(a.location_db)}};
    // Fixed precision keeps the output stable across libc float formatting.
    loc["latitude"] = r.has_coordinates ? nlohmann::json(std::stod(Fixed(r.latitude, 4))) : nullptr;
    loc["longitude"] =
        r.has_coordinates ? nlohmann::json(std::stod(Fixed(r.longitude, 4))) : nullptr;
  }
  j["location"] = loc;
  if (offset) {
    j["utc_offset"] = {{"minutes", offset->minutes},
                       {"text", FormatUtcOffset(offset->minutes)},
                       {"source", std::string(UtcOffsetSourceName(offset->source))}};
  } else {
    j["utc_offset"] = nullptr;
  }
  if (r.has_asn_data) {
    j["asn"] = {
        {"number", r.asn}, {"organisation", r.as_organisation}, {"source", std::string(a.asn_db)}};
  } else {
    j["asn"] = nullptr;
  }
  j["network"] = {
      {"type", std::string(NetworkTypeName(a.network_type))},
      {"provider", a.provider.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.provider)},
      {"decided_by", std::string(NetworkSourceName(a.network_source))},
      {"detail", a.network_detail}};
  if (r.has_anonymous_data) {
    const auto& f = r.anonymous;
    j["anonymous_ip"] = {{"is_anonymous", f.is_anonymous},
                         {"is_anonymous_vpn", f.is_anonymous_vpn},
                         {"is_hosting_provider", f.is_hosting_provider},
                         {"is_public_proxy", f.is_public_proxy},
                         {"is_residential_proxy", f.is_residential_proxy},
                         {"is_tor_exit_node", f.is_tor_exit_node},
                         {"source", std::string(a.anonymous_db)}};
  }
  return j;
}

void PrintText(const GeoAnswer& a, const std::optional<UtcOffset>& offset) {
  const GeoRecord& r = a.record;
  auto or_dash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
  std::cout << a.address.ToString() << "\n";
  if (r.has_location_data) {
    std::cout << "  country      " << or_dash(r.country) << "  [" << a.location_db << "]\n"
              << "  city         " << or_dash(r.city) << "\n"
              << "  coordinates  "
              << (r.has_coordinates ? Fixed(r.latitude, 4) + ", " + Fixed(r.longitude, 4) : "-")
              << "\n"
              << "  accuracy     "
              << (r.accuracy_radius_km ? std::to_string(r.accuracy_radius_km) + " km" : "-") << "\n"
              << "  time zone    " << or_dash(r.time_zone) << "\n";
  } else {
    std::cout << "  location     -\n";
  }
  std::cout << "  utc offset   "
            << (offset ? FormatUtcOffset(offset->minutes) + "  [" +
                             std::string(UtcOffsetSourceName(offset->source)) + "]"
                       : std::string("-"))
            << "\n";
  if (r.has_asn_data) {
    std::cout << "  asn          AS" << r.asn << " " << r.as_organisation << "  [" << a.asn_db
              << "]\n";
  } else {
    std::cout << "  asn          -\n";
  }
  std::cout << "  network      " << NetworkTypeName(a.network_type)
            << (a.provider.empty() ? "" : " (" + a.provider + ")") << "  ["
            << NetworkSourceName(a.network_source) << ": " << a.network_detail << "]\n";
}

int RunGeo(const GeoOptions& o) {
  std::shared_ptr<const GeoIntel> intel;
  std::vector<std::string> dirs;
  if (Status s = o.geo.Open(&intel, &dirs); !s.ok()) {
    std::cerr << "parallax geo: " << s.message() << "\n";
    return 1;
  }
  if (intel->location_dbs().empty() && intel->asn_dbs().empty()) {
    std::cerr << "parallax geo: no GeoIP databases found (looked in";
    for (const auto& d : dirs) std::cerr << " " << d;
    std::cerr << "); run scripts/fetch-data or pass --city-db/--asn-db. Network types only.\n";
  }
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  int rc = 0;
  for (const auto& text : o.addresses) {
    const auto address = IpAddress::Parse(text);
    if (!address) {
      std::cerr << "parallax geo: '" << text << "' is not an IP address\n";
      rc = 2;
      continue;
    }
    const GeoAnswer a = intel->Lookup(*address);
    const std::optional<double> lon =
        a.record.has_coordinates ? std::optional<double>(a.record.longitude) : std::nullopt;
    const auto offset = UtcOffsetFor(a.record.time_zone, lon, now);
    if (o.json) {
      std::cout << ToJson(a, offset).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
    } else {
      PrintText(a, offset);
    }
  }
  return rc;
}

}  // namespace

void AddGeoCommand(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<GeoOptions>();
  CLI::App* geo = app.add_subcommand(
      "geo", "Location, ASN and network type of IP addresses, with the source of each answer");
  geo->add_option("IP", opts->addresses, "IPv4 or IPv6 addresses")->required();
  geo->add_flag("--json", opts->json, "One JSON object per address");
  opts->geo.Register(geo, false);
  geo->callback([opts, &exit_code] { exit_code = RunGeo(*opts); });
}

}  // namespace parallax::cli
