#include "sensor/roster/roster.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sensor/core/terminal_text.h"
#include "sensor/roster/roster_builder.h"
#include "sensor/roster/roster_loaders.h"

namespace parallax::roster {
namespace {

// The longest-prefix match among `cidrs`, as a prefix length; -1 when none contains `a`.
int BestMatch(const std::vector<Cidr>& cidrs, const core::IpAddress& a) {
  int best = -1;
  for (const Cidr& c : cidrs) {
    if (c.prefix > best && c.Contains(a)) best = c.prefix;
  }
  return best;
}

// Most specific match wins, so a contractor's /32 inside a colleague's /24 goes to them; rosters
// are small (hundreds), so a scan is cheaper to keep correct than an index.
const Contractor* ByAddress(const std::vector<Contractor>& contractors,
                            std::vector<Cidr> Contractor::*member, const core::IpAddress& a) {
  const Contractor* found = nullptr;
  int best = -1;
  for (const Contractor& c : contractors) {
    if (int m = BestMatch(c.*member, a); m > best) {
      best = m;
      found = &c;
    }
  }
  return found;
}

}  // namespace

bool Cidr::Contains(const core::IpAddress& a) const {
  if (a.family() != network.family()) return false;
  const std::size_t full = prefix / 8;
  if (std::memcmp(a.bytes(), network.bytes(), full) != 0) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a.bytes()[full] & mask) == (network.bytes()[full] & mask);
}

std::string Cidr::ToString() const {
  const bool single = prefix == network.size() * 8;
  return single ? network.ToString() : network.ToString() + "/" + std::to_string(prefix);
}

std::string RosterProblem::ToString() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line);
  s += ": ";
  if (!field.empty()) s += field + ": ";
  // Messages quote values from the file; these lines are read on terminals.
  return core::ForTerminal(s + message);
}

const Contractor* Roster::Find(const std::string& id) const {
  for (const Contractor& c : contractors_) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

const Contractor* Roster::ByDeviceAddress(const core::IpAddress& a) const {
  return ByAddress(contractors_, &Contractor::device_addresses, a);
}

const Contractor* Roster::ByEgressAddress(const core::IpAddress& a) const {
  return ByAddress(contractors_, &Contractor::egress_addresses, a);
}

const Contractor* Roster::ByMac(const std::array<std::uint8_t, 6>& mac) const {
  for (const Contractor& c : contractors_) {
    if (std::find(c.macs.begin(), c.macs.end(), mac) != c.macs.end()) return &c;
  }
  return nullptr;
}

core::Status Roster::Load(const std::string& path, Roster* out,
                          std::vector<RosterProblem>* problems) {
  const std::size_t before = problems->size();
  auto fail = [&]() {
    const std::size_t n = problems->size() - before;
    std::string m = (*problems)[before].ToString();
    if (n > 1) m += " (and " + std::to_string(n - 1) + " more problems)";
    return core::Status::Error(m);
  };
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    problems->push_back({path, 0, "", "is a directory"});
    return fail();
  }
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  decltype(&ReadCsvRoster) reader = nullptr;
  if (ext == ".csv") reader = &ReadCsvRoster;
  if (ext == ".json") reader = &ReadJsonRoster;
  if (ext == ".yaml" || ext == ".yml") reader = &ReadYamlRoster;
  if (!reader) {
    problems->push_back(
        {path, 0, "", "unknown roster format (expected .csv, .json, .yaml or .yml)"});
    return fail();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems->push_back({path, 0, "", "cannot open: " + std::string(std::strerror(errno))});
    return fail();
  }
  std::ostringstream text;
  text << in.rdbuf();

  std::vector<RosterRecord> records;
  reader(path, text.str(), &records, problems);
  RosterBuilder builder(path, problems);
  for (const RosterRecord& r : records) builder.Add(r);
  std::vector<Contractor> contractors = builder.Take();  // its checks may add problems
  // The readers and the builder find problems in different passes; in file order they read
  // like a compiler's messages.
  std::stable_sort(problems->begin() + static_cast<std::ptrdiff_t>(before), problems->end(),
                   [](const RosterProblem& a, const RosterProblem& b) { return a.line < b.line; });
  if (records.empty() && problems->size() == before) {
    problems->push_back({path, 0, "", "no contractors"});
  }
  if (problems->size() != before) return fail();
  Roster roster;
  for (Contractor& c : contractors) roster.Add(std::move(c));
  *out = std::move(roster);
  return core::Status::Ok();
}

}  // namespace parallax::roster
