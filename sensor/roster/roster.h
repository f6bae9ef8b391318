// Roster: the contractors Parallax watches, what each claims (place, time zone, working hours)
// and the selectors that tie traffic to them (device addresses/CIDRs, MAC addresses, known
// public egress addresses; none at all for a contractor known only from identity events).
// Loaded from CSV, JSON or YAML (docs/roster.md).
// Thread-safety: immutable once loaded; safe for concurrent reads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sensor/core/ip_address.h"
#include "sensor/core/status.h"

namespace parallax::roster {

struct Cidr {
  core::IpAddress network;
  std::uint8_t prefix = 0;  // 32/128 for a single address
  bool Contains(const core::IpAddress& a) const;
  std::string ToString() const;
};

struct ClaimedPlace {
  std::string city;
  std::string country;  // ISO 3166-1 alpha-2, upper case
  std::optional<double> latitude;
  std::optional<double> longitude;
};

struct WorkingHours {
  int start_minute = 9 * 60;   // local time, minutes after midnight
  int end_minute = 18 * 60;    // exclusive; may be < start for night shifts
  std::uint8_t days = 0x1F;    // bit 0 = Monday ... bit 6 = Sunday; default Mon-Fri
};

struct Contractor {
  std::string id;
  std::string name;
  ClaimedPlace claimed;
  std::string time_zone;  // IANA name ("America/New_York")
  WorkingHours hours;
  std::vector<Cidr> device_addresses;           // e.g. the corporate VPN's address for them
  std::vector<std::array<std::uint8_t, 6>> macs;
  std::vector<Cidr> egress_addresses;           // known public addresses (home line)
  // The names identity logs know the contractor by (e-mail, UPN, VPN user name), besides the
  // id; matched case-insensitively (docs/inputs.md, "User mapping"). Unique across contractors.
  std::vector<std::string> identity_aliases;
  std::size_t source_line = 0;                  // where it was defined, for messages

  // No device address, MAC or egress address: the contractor's traffic can be attributed only
  // through identity events (the usual case at a remote-access gateway, where addresses come
  // from the VPN/SSO log). Valid; `roster check` lists them as such.
  bool IdentityOnly() const {
    return device_addresses.empty() && macs.empty() && egress_addresses.empty();
  }
};

// One problem found while loading: the file, line (1-based; 0 when not applicable), field.
struct RosterProblem {
  std::string file;
  std::size_t line = 0;
  std::string field;
  std::string message;
  std::string ToString() const;  // "roster.csv:4: claimed_lat: not a number ('abc')"
};

class Roster {
 public:
  // Loads by extension (.csv, .json, .yaml/.yml). Every problem is collected; the status fails
  // when there is at least one (the roster is then not used).
  static core::Status Load(const std::string& path, Roster* out,
                           std::vector<RosterProblem>* problems);

  const std::vector<Contractor>& contractors() const { return contractors_; }
  const Contractor* Find(const std::string& id) const;
  // Lookups by selector; nullptr when no contractor claims the address/MAC.
  const Contractor* ByDeviceAddress(const core::IpAddress& a) const;
  const Contractor* ByMac(const std::array<std::uint8_t, 6>& mac) const;
  const Contractor* ByEgressAddress(const core::IpAddress& a) const;

  void Add(Contractor c) { contractors_.push_back(std::move(c)); }

 private:
  std::vector<Contractor> contractors_;
};

}  // namespace parallax::roster
