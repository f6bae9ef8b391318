#include "geoip/geo_db.h"

#include <maxminddb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <system_error>
#include <vector>

namespace parallax::geoip {
namespace {

// libmaxminddb walks a NULL-terminated path of map keys / array indexes.
bool GetValue(MMDB_entry_s* entry, MMDB_entry_data_s* data, const char* a, const char* b = nullptr,
              const char* c = nullptr) {
  const char* const path[] = {a, b, c, nullptr};
  return MMDB_aget_value(entry, data, path) == MMDB_SUCCESS && data->has_data;
}

std::optional<std::string> AsString(const MMDB_entry_data_s& d) {
  if (d.type != MMDB_DATA_TYPE_UTF8_STRING) return std::nullopt;
  return std::string(d.utf8_string, d.data_size);
}

std::optional<double> AsDouble(const MMDB_entry_data_s& d) {
  if (d.type == MMDB_DATA_TYPE_DOUBLE) return d.double_value;
  if (d.type == MMDB_DATA_TYPE_FLOAT) return static_cast<double>(d.float_value);
  return std::nullopt;
}

std::optional<std::uint64_t> AsUnsigned(const MMDB_entry_data_s& d) {
  switch (d.type) {
    case MMDB_DATA_TYPE_UINT16:
      return d.uint16;
    case MMDB_DATA_TYPE_UINT32:
      return d.uint32;
    case MMDB_DATA_TYPE_UINT64:
      return d.uint64;
    case MMDB_DATA_TYPE_INT32:
      if (d.int32 >= 0) return static_cast<std::uint64_t>(d.int32);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

bool AsTrue(MMDB_entry_s* entry, const char* key) {
  MMDB_entry_data_s d;
  return GetValue(entry, &d, key) && d.type == MMDB_DATA_TYPE_BOOLEAN && d.boolean;
}

// Keys of a sample record, reduced to what decides kind and layout.
struct KeyEvidence {
  bool maxmind_location = false;  // "country"/"city"/"location" is a map
  bool flat_location = false;     // "country_code" is a string
  bool asn = false;
  bool anonymous = false;
};

KeyEvidence Inspect(MMDB_entry_s entry) {
  KeyEvidence e;
  MMDB_entry_data_s d;
  for (const char* key : {"country", "city", "location", "registered_country"}) {
    if (GetValue(&entry, &d, key) && d.type == MMDB_DATA_TYPE_MAP) e.maxmind_location = true;
  }
  if (GetValue(&entry, &d, "country_code") && d.type == MMDB_DATA_TYPE_UTF8_STRING)
    e.flat_location = true;
  if (GetValue(&entry, &d, "autonomous_system_number")) e.asn = true;
  for (const char* key : {"is_anonymous", "is_anonymous_vpn", "is_hosting_provider",
                          "is_public_proxy", "is_residential_proxy", "is_tor_exit_node"}) {
    if (GetValue(&entry, &d, key) && d.type == MMDB_DATA_TYPE_BOOLEAN) e.anonymous = true;
  }
  return e;
}

// Walks the search tree depth-first and collects the evidence of up to kMaxSamples data
// records. Bounded so a huge or corrupt tree cannot make Open slow or loop.
KeyEvidence SampleKeys(const MMDB_s* mmdb) {
  constexpr int kMaxSamples = 64;
  constexpr int kMaxNodes = 200000;
  KeyEvidence all;
  std::vector<std::uint32_t> stack = {0};
  int samples = 0;
  int visited = 0;
  while (!stack.empty() && samples < kMaxSamples && visited < kMaxNodes) {
    const std::uint32_t node_number = stack.back();
    stack.pop_back();
    ++visited;
    MMDB_search_node_s node;
    if (MMDB_read_node(mmdb, node_number, &node) != MMDB_SUCCESS) continue;
    // Right first onto the stack so the left (lower addresses) is explored first.
    const std::pair<std::uint8_t, std::uint64_t> records[] = {
        {node.right_record_type, node.right_record}, {node.left_record_type, node.left_record}};
    const MMDB_entry_s entries[] = {node.right_record_entry, node.left_record_entry};
    for (int i = 0; i < 2; ++i) {
      if (records[i].first == MMDB_RECORD_TYPE_SEARCH_NODE &&
          records[i].second < mmdb->metadata.node_count) {
        stack.push_back(static_cast<std::uint32_t>(records[i].second));
      } else if (records[i].first == MMDB_RECORD_TYPE_DATA) {
        const KeyEvidence e = Inspect(entries[i]);
        all.maxmind_location |= e.maxmind_location;
        all.flat_location |= e.flat_location;
        all.asn |= e.asn;
        all.anonymous |= e.anonymous;
        ++samples;
      }
    }
  }
  return all;
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

std::string_view DbKindName(DbKind kind) {
  switch (kind) {
    case DbKind::kLocation:
      return "location";
    case DbKind::kAsn:
      return "asn";
    case DbKind::kAnonymousIp:
      return "anonymous_ip";
  }
  return "unknown";
}

std::string_view DbLayoutName(DbLayout layout) {
  return layout == DbLayout::kMaxMind ? "maxmind" : "flat";
}

GeoDb::~GeoDb() {
  if (mmdb_) MMDB_close(mmdb_.get());
}

Status GeoDb::Open(const std::string& path, std::unique_ptr<GeoDb>* out) {
  // Check first so the common mistakes get a plain message rather than libmaxminddb's.
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Status::Error(path + ": database not found");
  if (!std::filesystem::is_regular_file(status))
    return Status::Error(path + ": not a regular file");

  std::unique_ptr<GeoDb> db(new GeoDb());
  db->path_ = path;
  auto mmdb = std::make_unique<MMDB_s>();
  errno = 0;
  const int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, mmdb.get());
  if (rc != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(rc);
    if (rc == MMDB_IO_ERROR || rc == MMDB_FILE_OPEN_ERROR) {
      if (errno != 0) why += std::string(": ") + std::strerror(errno);
    } else if (rc == MMDB_INVALID_METADATA_ERROR || rc == MMDB_UNKNOWN_DATABASE_FORMAT_ERROR ||
               rc == MMDB_INVALID_DATA_ERROR || rc == MMDB_CORRUPT_SEARCH_TREE_ERROR) {
      why = "not a MaxMind DB file, or truncated (" + why + ")";
    }
    return Status::Error(path + ": cannot open database: " + why);
  }
  db->mmdb_ = std::move(mmdb);  // from here the destructor closes it
  db->database_type_ = db->mmdb_->metadata.database_type ? db->mmdb_->metadata.database_type : "";
  db->ip_version_ = db->mmdb_->metadata.ip_version;
  db->build_epoch_ = db->mmdb_->metadata.build_epoch;
  if (Status s = db->Classify(); !s.ok()) return s;
  *out = std::move(db);
  return Status::Ok();
}

Status GeoDb::Classify() {
  const std::string& t = database_type_;
  std::string lower = t;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  std::optional<DbKind> by_type;
  if (Contains(lower, "anonymous-ip") || Contains(lower, "anonymous ip")) {
    by_type = DbKind::kAnonymousIp;
  } else if (Contains(lower, "asn") || Contains(lower, "isp")) {
    by_type = DbKind::kAsn;
  } else if (Contains(lower, "city") || Contains(lower, "country")) {
    by_type = DbKind::kLocation;
  }
  // GeoIP2-*, GeoLite2-* and DB-IP's own DBIP-* files all use MaxMind's nested layout.
  const bool maxmind_type =
      t.rfind("GeoIP2", 0) == 0 || t.rfind("GeoLite2", 0) == 0 || t.rfind("DBIP-", 0) == 0;

  const KeyEvidence keys = SampleKeys(mmdb_.get());
  std::optional<DbKind> by_keys;
  if (keys.anonymous) {
    by_keys = DbKind::kAnonymousIp;
  } else if (keys.maxmind_location || keys.flat_location) {
    by_keys = DbKind::kLocation;
  } else if (keys.asn) {
    by_keys = DbKind::kAsn;
  }

  // The keys are what lookups will read, so they win over the name when both are present.
  if (by_keys) {
    kind_ = *by_keys;
  } else if (by_type) {
    kind_ = *by_type;  // e.g. an empty database of a known type: lookups just find nothing
  } else {
    return Status::Error(path_ + ": wrong database type '" + t +
                         "': not a City, Country, ASN or Anonymous-IP database (no "
                         "country/city/location, country_code, autonomous_system_number or "
                         "is_anonymous keys)");
  }
  layout_ = (keys.flat_location && !keys.maxmind_location && !maxmind_type) ? DbLayout::kFlat
                                                                            : DbLayout::kMaxMind;
  return Status::Ok();
}

bool GeoDb::Lookup(const IpAddress& address, GeoRecord* record) const {
  // A v4-only tree cannot answer for IPv6; libmaxminddb would report an error, but this is the
  // normal case with separate v4 and v6 files.
  if (!address.is_v4 && ip_version_ == 4) return false;
  sockaddr_storage storage{};
  if (address.is_v4) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, address.bytes.data(), 4);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, address.bytes.data(), 16);
  }
  int error = MMDB_SUCCESS;
  MMDB_lookup_result_s result =
      MMDB_lookup_sockaddr(mmdb_.get(), reinterpret_cast<const sockaddr*>(&storage), &error);
  if (error != MMDB_SUCCESS) {
    lookup_errors_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (!result.found_entry) return false;
  MMDB_entry_s* entry = &result.entry;
  MMDB_entry_data_s d;

  switch (kind_) {
    case DbKind::kLocation: {
      GeoRecord r;
      if (layout_ == DbLayout::kMaxMind) {
        if (GetValue(entry, &d, "country", "iso_code") ||
            GetValue(entry, &d, "registered_country", "iso_code"))
          r.country = AsString(d).value_or("");
        if (GetValue(entry, &d, "city", "names", "en")) r.city = AsString(d).value_or("");
        MMDB_entry_data_s lat, lon;
        if (GetValue(entry, &lat, "location", "latitude") &&
            GetValue(entry, &lon, "location", "longitude") && AsDouble(lat) && AsDouble(lon)) {
          r.has_coordinates = true;
          r.latitude = *AsDouble(lat);
          r.longitude = *AsDouble(lon);
        }
        if (GetValue(entry, &d, "location", "accuracy_radius"))
          r.accuracy_radius_km = static_cast<std::uint16_t>(AsUnsigned(d).value_or(0));
        if (GetValue(entry, &d, "location", "time_zone")) r.time_zone = AsString(d).value_or("");
      } else {
        if (GetValue(entry, &d, "country_code")) r.country = AsString(d).value_or("");
        if (GetValue(entry, &d, "city")) r.city = AsString(d).value_or("");
        MMDB_entry_data_s lat, lon;
        if (GetValue(entry, &lat, "latitude") && GetValue(entry, &lon, "longitude") &&
            AsDouble(lat) && AsDouble(lon)) {
          r.has_coordinates = true;
          r.latitude = *AsDouble(lat);
          r.longitude = *AsDouble(lon);
        }
        if (GetValue(entry, &d, "accuracy_radius"))
          r.accuracy_radius_km = static_cast<std::uint16_t>(AsUnsigned(d).value_or(0));
        if (GetValue(entry, &d, "timezone") || GetValue(entry, &d, "time_zone"))
          r.time_zone = AsString(d).value_or("");
      }
      if (r.country.empty() && r.city.empty() && !r.has_coordinates) return false;
      record->has_location_data = true;
      record->country = std::move(r.country);
      record->city = std::move(r.city);
      record->has_coordinates = r.has_coordinates;
      record->latitude = r.latitude;
      record->longitude = r.longitude;
      record->accuracy_radius_km = r.accuracy_radius_km;
      record->time_zone = std::move(r.time_zone);
      return true;
    }
    case DbKind::kAsn: {
      if (!GetValue(entry, &d, "autonomous_system_number")) return false;
      const auto asn = AsUnsigned(d);
      if (!asn || *asn == 0 || *asn > 0xffffffffULL) return false;
      record->has_asn_data = true;
      record->asn = static_cast<std::uint32_t>(*asn);
      record->as_organisation.clear();
      if (GetValue(entry, &d, "autonomous_system_organization"))
        record->as_organisation = AsString(d).value_or("");
      return true;
    }
    case DbKind::kAnonymousIp: {
      AnonymousIpFlags f;
      f.is_anonymous = AsTrue(entry, "is_anonymous");
      f.is_anonymous_vpn = AsTrue(entry, "is_anonymous_vpn");
      f.is_hosting_provider = AsTrue(entry, "is_hosting_provider");
      f.is_public_proxy = AsTrue(entry, "is_public_proxy");
      f.is_residential_proxy = AsTrue(entry, "is_residential_proxy");
      f.is_tor_exit_node = AsTrue(entry, "is_tor_exit_node");
      record->has_anonymous_data = true;
      record->anonymous = f;
      return true;
    }
  }
  return false;
}

}  // namespace parallax::geoip
