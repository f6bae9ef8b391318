// UserMap: the roster contractor an identity log's user name stands for (docs/inputs.md, "User
// mapping"). The name matches, case-insensitively, a contractor's id or one of its
// identity_aliases; failing that, a Windows "DOMAIN\user" name is tried as "user". Nothing else
// is guessed (an e-mail's local part is not an id: jdoe@other.example is not jdoe), so a user
// maps only where the roster says so.
// Thread-safety: immutable once built; safe for concurrent reads. Holds no reference to the
// roster.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "sensor/roster/roster.h"

namespace parallax::identity {

class UserMap {
 public:
  explicit UserMap(const roster::Roster& roster);
  // The roster id, or nullptr.
  const std::string* Find(std::string_view user) const;

 private:
  std::map<std::string, std::string, std::less<>> by_name_;  // lower-case name -> id
};

}  // namespace parallax::identity
