#include "sensor/identity/user_map.h"

#include <cctype>

#include "sensor/roster/roster_fields.h"

namespace parallax::identity {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

UserMap::UserMap(const roster::Roster& roster) {
  // Ids first: the roster refuses an alias that is another contractor's id, so emplace never
  // has to choose.
  for (const auto& c : roster.contractors()) by_name_.emplace(Lower(c.id), c.id);
  for (const auto& c : roster.contractors()) {
    for (const auto& a : c.identity_aliases) by_name_.emplace(Lower(a), c.id);
  }
}

const std::string* UserMap::Find(std::string_view user) const {
  user = roster::Trim(user);
  if (auto it = by_name_.find(Lower(user)); it != by_name_.end()) return &it->second;
  if (const std::size_t slash = user.rfind('\\'); slash != std::string_view::npos) {
    if (auto it = by_name_.find(Lower(user.substr(slash + 1))); it != by_name_.end()) {
      return &it->second;
    }
  }
  return nullptr;
}

}  // namespace parallax::identity
