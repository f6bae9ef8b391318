// Addresses as identity logs write them: the unspecified address (0.0.0.0, ::) and the
// placeholders "N/A", "-" and "" mean "none" rather than an address; OpenVPN adds a port
// ("198.51.100.7:51234", "[AF_INET6]2001:db8::7:1194" style prefixes). Internal to
// parallax_identity. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sensor/core/ip_address.h"

namespace parallax::identity {

enum class AddressText { kAddress, kNone, kInvalid };

// kAddress fills *out; kNone for a placeholder or the unspecified address.
AddressText ParseLogAddress(std::string_view text, core::IpAddress* out);

// ParseLogAddress for one field of a record: an address fills *out, a placeholder leaves it;
// false for text that is neither, with *error "FIELD: not an address ('TEXT')".
bool ReadLogAddress(std::string_view text, std::string_view field,
                    std::optional<core::IpAddress>* out, std::string* error);

// An address with an optional port after the last ':' (IPv4) and an optional "[AF_INET]",
// "[AF_INET6]", "udp4:", "tcp4-server:"... prefix.
AddressText ParseAddressWithPort(std::string_view text, core::IpAddress* out);

}  // namespace parallax::identity
