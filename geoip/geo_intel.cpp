#include "geoip/geo_intel.h"

#include "geoip/asn_org_rules.h"
#include "geoip/curated_data.h"
#include "geoip/special_ranges.h"

namespace parallax::geoip {
namespace {

void Apply(const NetworkLabel& label, NetworkSource source, GeoAnswer* a) {
  a->network_type = label.type;
  a->network_source = source;
  a->provider = label.provider;
  a->network_detail = label.origin;
}

// Anonymous-IP flags in order of how much they say: a Tor exit is also "anonymous" and often
// "hosting", but Tor is the specific answer. is_anonymous alone (no specific flag) decides
// nothing, since MaxMind sets it together with one of the others.
std::optional<std::pair<NetworkType, const char*>> FromAnonymousFlags(const AnonymousIpFlags& f) {
  if (f.is_tor_exit_node) return std::make_pair(NetworkType::kTorExit, "is_tor_exit_node");
  if (f.is_anonymous_vpn) return std::make_pair(NetworkType::kVpn, "is_anonymous_vpn");
  if (f.is_residential_proxy) return std::make_pair(NetworkType::kProxy, "is_residential_proxy");
  if (f.is_public_proxy) return std::make_pair(NetworkType::kProxy, "is_public_proxy");
  if (f.is_hosting_provider) return std::make_pair(NetworkType::kHosting, "is_hosting_provider");
  return std::nullopt;
}

}  // namespace

Status GeoIntel::Open(const GeoIntelOptions& options, std::shared_ptr<const GeoIntel>* out) {
  std::shared_ptr<GeoIntel> intel(new GeoIntel());
  for (const auto& spec : options.databases) {
    std::unique_ptr<GeoDb> db;
    if (Status s = GeoDb::Open(spec.path, &db); !s.ok()) return s;
    if (spec.expected_kind && db->kind() != *spec.expected_kind) {
      return Status::Error(
          spec.path + ": wrong database type: it is a" + (db->kind() == DbKind::kAsn ? "n " : " ") +
          std::string(DbKindName(db->kind())) + " database (database_type '" + db->database_type() +
          "'), expected " + std::string(DbKindName(*spec.expected_kind)));
    }
    switch (db->kind()) {
      case DbKind::kLocation:
        intel->location_dbs_.push_back(std::move(db));
        break;
      case DbKind::kAsn:
        intel->asn_dbs_.push_back(std::move(db));
        break;
      case DbKind::kAnonymousIp:
        if (intel->anonymous_db_) {
          return Status::Error(spec.path + ": a second Anonymous-IP database (already have " +
                               intel->anonymous_db_->path() + ")");
        }
        intel->anonymous_db_ = std::move(db);
        break;
    }
  }
  if (options.use_curated) {
    NetworkList curated;
    if (Status s =
            NetworkList::ParseCurated(CuratedNetworkTypesTsv(), kCuratedNetworkTypesName, &curated);
        !s.ok())
      return s;
    intel->curated_ = std::move(curated);
  }
  for (const auto& spec : options.lists) {
    NetworkList list;
    if (Status s = NetworkList::Load(spec.path, spec.options, &list); !s.ok()) return s;
    intel->lists_.push_back(std::move(list));
  }
  *out = std::move(intel);
  return Status::Ok();
}

GeoAnswer GeoIntel::Lookup(const IpAddress& address) const {
  GeoAnswer a;
  a.address = address;
  // Special-purpose addresses are not on the public Internet: no public source can say
  // anything true about them, and databases sometimes carry stale registrations for them.
  if (const auto special = FindSpecialRange(address)) {
    a.network_type = special->type;
    a.network_source = NetworkSource::kSpecialRange;
    a.network_detail = std::string(special->cidr) + " " + std::string(special->reference);
    return a;
  }
  for (const auto& db : location_dbs_) {
    if (db->Lookup(address, &a.record)) {
      a.location_db = db->path();
      break;
    }
  }
  for (const auto& db : asn_dbs_) {
    if (db->Lookup(address, &a.record)) {
      a.asn_db = db->path();
      break;
    }
  }
  if (anonymous_db_ && anonymous_db_->Lookup(address, &a.record))
    a.anonymous_db = anonymous_db_->path();

  // Unknown stays unknown: residential is only what a source says.
  a.network_type = NetworkType::kUnknown;
  a.network_source = NetworkSource::kDefault;
  a.network_detail = "no source matched";
  if (const auto match = ClassifyAsnOrg(a.record.as_organisation)) {
    a.network_type = match->type;
    a.network_source = NetworkSource::kAsnOrgName;
    a.provider = match->type == NetworkType::kVpn ? a.record.as_organisation : std::string();
    a.network_detail = "AS" + std::to_string(a.record.asn) + " '" + a.record.as_organisation +
                       "' matches keyword '" + std::string(match->keyword) + "'";
  }
  if (curated_) {
    if (const NetworkLabel* label = curated_->Find(address, a.record.asn))
      Apply(*label, NetworkSource::kCurated, &a);
  }
  if (a.record.has_anonymous_data) {
    if (const auto flag = FromAnonymousFlags(a.record.anonymous)) {
      a.network_type = flag->first;
      a.network_source = NetworkSource::kAnonymousIpDb;
      a.provider = flag->first == NetworkType::kTorExit ? "Tor" : "";
      a.network_detail = std::string(anonymous_db_->path()) + ": " + flag->second;
    }
  }
  for (const auto& list : lists_) {
    if (const NetworkLabel* label = list.Find(address, a.record.asn))
      Apply(*label, NetworkSource::kOperatorList, &a);
  }
  return a;
}

}  // namespace parallax::geoip
