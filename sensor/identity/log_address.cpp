#include "sensor/identity/log_address.h"

#include <algorithm>
#include <cctype>

#include "sensor/roster/roster_fields.h"

namespace parallax::identity {

AddressText ParseLogAddress(std::string_view text, core::IpAddress* out) {
  text = roster::Trim(text);
  if (text.empty() || text == "N/A" || text == "-" || text == "(null)") return AddressText::kNone;
  auto a = core::IpAddress::Parse(text);
  if (!a) return AddressText::kInvalid;
  if (std::all_of(a->bytes(), a->bytes() + a->size(), [](std::uint8_t b) { return b == 0; })) {
    return AddressText::kNone;
  }
  *out = *a;
  return AddressText::kAddress;
}

AddressText ParseAddressWithPort(std::string_view text, core::IpAddress* out) {
  text = roster::Trim(text);
  if (!text.empty() && text.front() == '[') {  // "[AF_INET]1.2.3.4:5"
    const std::size_t close = text.find(']');
    if (close != std::string_view::npos && text.substr(1, 3) == "AF_")
      text.remove_prefix(close + 1);
  }
  // "udp4:1.2.3.4:5", "tcp6-server:[2001:db8::1]:5" (OpenVPN 2.5+).
  if (text.size() > 4 && (text.substr(0, 3) == "udp" || text.substr(0, 3) == "tcp")) {
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos && colon <= 12) text.remove_prefix(colon + 1);
  }
  if (ParseLogAddress(text, out) == AddressText::kAddress) return AddressText::kAddress;
  if (!text.empty() && text.front() == '[') {  // "[2001:db8::1]:1194"
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos) return AddressText::kInvalid;
    return ParseLogAddress(text.substr(1, close - 1), out);
  }
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return ParseLogAddress(text, out);
  const std::string_view port = text.substr(colon + 1);
  if (port.empty() || !std::all_of(port.begin(), port.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      })) {
    return AddressText::kInvalid;
  }
  return ParseLogAddress(text.substr(0, colon), out);
}

bool ReadLogAddress(std::string_view text, std::string_view field,
                    std::optional<core::IpAddress>* out, std::string* error) {
  core::IpAddress a;
  switch (ParseLogAddress(text, &a)) {
    case AddressText::kAddress:
      *out = a;
      return true;
    case AddressText::kNone:
      return true;
    case AddressText::kInvalid:
      break;
  }
  *error = std::string(field) + ": not an address ('" + std::string(text) + "')";
  return false;
}

}  // namespace parallax::identity
