// RosterBuilder: validates RosterRecords and turns them into Contractors, with the checks that
// span contractors (unique ids, one owner per device address and MAC). Every problem is
// collected, none stops the others, so one `roster check` run lists them all.
// Internal to parallax_roster. REQUIRES: external synchronization.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sensor/roster/roster.h"
#include "sensor/roster/roster_record.h"

namespace parallax::roster {

class RosterBuilder {
 public:
  RosterBuilder(std::string file, std::vector<RosterProblem>* problems)
      : file_(std::move(file)), problems_(problems) {}

  void Add(const RosterRecord& record);
  // The contractors, after the checks that need all of them (aliases against ids).
  std::vector<Contractor> Take();

 private:
  struct Owner {
    std::string id;
    std::size_t line = 0;
    std::string field;  // aliases only: where it was given, for the check in Take()
  };

  void Problem(std::size_t line, std::string field, std::string message);
  // The single text of a scalar field, trimmed; "" when absent.
  std::string Text(const RosterRecord& r, Field f) const;
  std::size_t LineOf(const RosterRecord& r, Field f) const;
  // Parses a list of CIDRs; false when any item was bad (already reported).
  bool ParseAddresses(const RosterRecord& r, Field f, const std::string& id,
                      std::map<std::string, Owner>* owners, std::vector<Cidr>* out);

  void ParseAliases(const RosterRecord& r, Contractor* c);

  std::string file_;
  std::vector<RosterProblem>* problems_;
  std::vector<Contractor> contractors_;
  std::map<std::string, std::size_t> ids_;  // id -> line of its first definition
  std::map<std::string, Owner> device_owners_;
  std::map<std::string, Owner> mac_owners_;
  std::map<std::string, Owner> alias_owners_;  // lower-case alias -> owner
};

}  // namespace parallax::roster
