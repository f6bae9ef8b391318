// Policy::Load: the YAML policy file (docs/policy.md, config/policy.yaml). Strict in the way the
// roster and daemon configuration loaders are: an unknown or repeated key, a wrong type, a bad
// CIDR/address/ASN or time, an unknown alert kind, a suppression without reason or who, an empty
// file are each a PolicyProblem with file, line and field. Every problem is collected (not only
// the first), in file order, and a policy with any problem is not used.
// yaml-cpp keeps the last of two equal keys without a word, so keys are read from the mapping's
// pairs here rather than through operator[].
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "sensor/policy/policy.h"
#include "sensor/roster/rfc3339.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::policy {
namespace {

// The eight alert kinds, as sensor/divergence/alert.cpp (AlertKindName) spells them. Policy sits
// below divergence and must not depend on it; tests/policy checks that the two lists agree.
constexpr std::array<std::string_view, 8> kAlertKinds = {
    "location_mismatch",  "anonymized_egress", "latency_inconsistent", "remote_controlled_device",
    "colocated_desktop",  "shared_egress",     "off_hours",            "impossible_travel"};

std::size_t LineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() || m.line < 0 ? 0 : static_cast<std::size_t>(m.line) + 1;
}

std::string KindList() {
  std::string s;
  for (auto k : kAlertKinds) s += (s.empty() ? "" : ", ") + std::string(k);
  return s;
}

// One mapping's entries by key, with the line of each key (an empty value has no mark of its own).
struct Entry {
  YAML::Node value;
  std::size_t line = 0;
};

class Reader {
 public:
  Reader(std::string file, std::vector<PolicyProblem>* problems)
      : file_(std::move(file)), problems_(problems) {}

  void Problem(std::size_t line, std::string field, std::string message) {
    problems_->push_back({file_, line, std::move(field), std::move(message)});
  }

  // The entries of a mapping; repeated and unknown keys are problems (the first value is kept).
  std::map<std::string, Entry> Entries(const YAML::Node& map, const std::string& field,
                                       std::initializer_list<std::string_view> known) {
    std::map<std::string, Entry> out;
    for (const auto& kv : map) {
      const std::size_t line = LineOf(kv.first);
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      const std::string name = field.empty() ? key : field + "." + key;
      if (!kv.first.IsScalar()) {
        Problem(line, field, "a key must be a single word");
        continue;
      }
      if (std::find(known.begin(), known.end(), key) == known.end()) {
        std::string expected;
        for (auto k : known) expected += (expected.empty() ? "" : ", ") + std::string(k);
        Problem(line, name, "unknown key (expected " + expected + "; docs/policy.md)");
        continue;
      }
      auto [it, inserted] = out.try_emplace(key, Entry{kv.second, line});
      if (!inserted) {
        Problem(line, name, "given twice (first on line " + std::to_string(it->second.line) + ")");
      }
    }
    return out;
  }

  // A single text value; nullopt (and a problem) when it is not one or is empty.
  std::optional<std::string> Text(const std::map<std::string, Entry>& e, const char* key,
                                  const std::string& field) {
    auto it = e.find(key);
    if (it == e.end()) return std::nullopt;
    const std::string name = field + "." + key;
    const YAML::Node& n = it->second.value;
    if (!n || n.IsNull()) {
      Problem(it->second.line, name, "no value (leave the key out instead)");
      return std::nullopt;
    }
    if (!n.IsScalar()) {
      Problem(Line(it->second), name, "expected a single value, not a list or mapping");
      return std::nullopt;
    }
    std::string s(roster::Trim(n.Scalar()));
    if (s.empty()) {
      Problem(Line(it->second), name, "empty (leave the key out instead)");
      return std::nullopt;
    }
    return s;
  }

  std::optional<std::string> Required(const std::map<std::string, Entry>& e, const char* key,
                                      const std::string& field, std::size_t item_line,
                                      const char* why) {
    if (!e.count(key)) {
      Problem(item_line, field + "." + key, std::string("missing: ") + why);
      return std::nullopt;
    }
    return Text(e, key, field);
  }

  // "10.0.0.0/8", "192.0.2.7", "2001:db8::/32" or "AS16509" (any case).
  std::optional<NetworkSelector> Selector(const std::string& text, std::size_t line,
                                          const std::string& field) {
    NetworkSelector sel;
    if (text.size() > 2 && (text[0] == 'A' || text[0] == 'a') && (text[1] == 'S' || text[1] == 's')) {
      const char* b = text.data() + 2;
      const char* e = text.data() + text.size();
      std::uint64_t asn = 0;
      auto [end, ec] = std::from_chars(b, e, asn);
      if (ec != std::errc() || end != e || asn == 0 || asn > 4294967295ULL) {
        Problem(line, field, "not an ASN ('" + text + "'; AS1 to AS4294967295)");
        return std::nullopt;
      }
      sel.asn = static_cast<std::uint32_t>(asn);
      return sel;
    }
    std::string error;
    auto cidr = roster::ParseCidr(text, &error);
    if (!cidr) {
      Problem(line, field, error + "; expected an address, a CIDR or an ASN such as AS64500");
      return std::nullopt;
    }
    sel.network = cidr->network;
    sel.prefix = cidr->prefix;
    return sel;
  }

  static std::size_t Line(const Entry& e) {
    const std::size_t own = LineOf(e.value);
    return own ? own : e.line;
  }

 private:
  std::string file_;
  std::vector<PolicyProblem>* problems_;
};

void ReadSanctioned(Reader& r, const YAML::Node& item, const std::string& field,
                    std::vector<SanctionedNetwork>* out) {
  const std::size_t line = LineOf(item);
  if (!item.IsMap()) {
    r.Problem(line, field, "expected a mapping (network, name, reason)");
    return;
  }
  const auto e = r.Entries(item, field, {"network", "name", "reason"});
  SanctionedNetwork n;
  n.line = line;
  bool ok = true;
  if (auto net = r.Required(e, "network", field, line, "the CIDR, address or ASN")) {
    if (auto sel = r.Selector(*net, Reader::Line(e.at("network")), field + ".network")) {
      n.selector = *sel;
    } else {
      ok = false;
    }
  } else {
    ok = false;
  }
  if (auto name = r.Required(e, "name", field, line, "what the network is (it is shown in evidence)")) {
    n.name = *name;
  } else {
    ok = false;
  }
  if (e.count("reason")) {
    if (auto reason = r.Text(e, "reason", field)) n.reason = *reason;
    else ok = false;
  }
  if (ok) out->push_back(std::move(n));
}

void ReadSuppression(Reader& r, const YAML::Node& item, const std::string& field,
                     std::set<std::string>* ids, std::vector<Suppression>* out) {
  const std::size_t line = LineOf(item);
  if (!item.IsMap()) {
    r.Problem(line, field, "expected a mapping (id, contractor, kind, networks, expires, reason, who)");
    return;
  }
  const auto e =
      r.Entries(item, field, {"id", "contractor", "kind", "networks", "expires", "reason", "who"});
  Suppression s;
  s.line = line;
  bool ok = true;
  auto optional = [&](const char* key, std::string* dst) {
    if (!e.count(key)) return;
    if (auto v = r.Text(e, key, field)) *dst = *v;
    else ok = false;
  };
  optional("id", &s.id);
  if (s.id.empty()) s.id = "line " + std::to_string(line);
  if (!ids->insert(s.id).second) {
    r.Problem(e.count("id") ? Reader::Line(e.at("id")) : line, field + ".id",
              "'" + s.id + "' is used by an earlier rule");
    ok = false;
  }
  optional("contractor", &s.contractor);
  optional("kind", &s.kind);
  if (!s.kind.empty() &&
      std::find(kAlertKinds.begin(), kAlertKinds.end(), s.kind) == kAlertKinds.end()) {
    r.Problem(Reader::Line(e.at("kind")), field + ".kind",
              "unknown alert kind '" + s.kind + "' (expected one of " + KindList() + ")");
    ok = false;
  }
  if (auto it = e.find("networks"); it != e.end()) {
    const YAML::Node& n = it->second.value;
    const std::string name = field + ".networks";
    std::vector<YAML::Node> items;
    if (!n || n.IsNull()) {
      r.Problem(it->second.line, name, "no value (leave the key out for any address)");
      ok = false;
    } else if (n.IsScalar()) {
      items.push_back(n);  // a single value is a list of one
    } else if (n.IsSequence()) {
      if (n.size() == 0) {
        r.Problem(Reader::Line(it->second), name, "empty list (leave the key out for any address)");
        ok = false;
      }
      for (const auto& i : n) items.push_back(i);
    } else {
      r.Problem(Reader::Line(it->second), name, "expected a list of CIDRs, addresses or ASNs");
      ok = false;
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string iname = n.IsSequence() ? name + "[" + std::to_string(i) + "]" : name;
      const std::size_t iline = LineOf(items[i]) ? LineOf(items[i]) : Reader::Line(it->second);
      if (!items[i].IsScalar()) {
        r.Problem(iline, iname, "expected a CIDR, an address or an ASN");
        ok = false;
        continue;
      }
      if (auto sel = r.Selector(std::string(roster::Trim(items[i].Scalar())), iline, iname)) {
        s.networks.push_back(*sel);
      } else {
        ok = false;
      }
    }
  }
  if (e.count("expires")) {
    if (auto text = r.Text(e, "expires", field)) {
      std::string error;
      if (auto t = roster::ParseRfc3339(*text, &error)) {
        s.expires = *t;
      } else {
        r.Problem(Reader::Line(e.at("expires")), field + ".expires",
                  "not an RFC 3339 time ('" + *text + "'): " + error);
        ok = false;
      }
    } else {
      ok = false;
    }
  }
  if (auto v = r.Required(e, "reason", field, line, "why the finding is accepted")) s.reason = *v;
  else ok = false;
  if (auto v = r.Required(e, "who", field, line, "the analyst or ticket that decided")) s.who = *v;
  else ok = false;
  if (ok && s.contractor.empty() && s.kind.empty() && s.networks.empty()) {
    r.Problem(line, field,
              "matches every finding: give at least one of contractor, kind or networks");
    ok = false;
  }
  if (ok) out->push_back(std::move(s));
}

}  // namespace

std::span<const std::string_view> AlertKindNames() { return kAlertKinds; }

core::Status Policy::Load(const std::string& path, Policy* out,
                          std::vector<PolicyProblem>* problems) {
  const std::size_t before = problems->size();
  auto fail = [&]() {
    std::stable_sort(problems->begin() + static_cast<std::ptrdiff_t>(before), problems->end(),
                     [](const PolicyProblem& a, const PolicyProblem& b) { return a.line < b.line; });
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
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems->push_back({path, 0, "", "cannot open: " + std::string(std::strerror(errno))});
    return fail();
  }
  std::ostringstream text;
  text << in.rdbuf();

  YAML::Node doc;
  try {
    doc = YAML::Load(text.str());
  } catch (const YAML::Exception& e) {
    const std::size_t line = e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line) + 1;
    problems->push_back(
        {path, line, "", "column " + std::to_string(e.mark.column + 1) + ": " + e.msg});
    return fail();
  }
  if (!doc || doc.IsNull()) {
    problems->push_back({path, 0, "", "the file is empty (docs/policy.md)"});
    return fail();
  }
  Reader r(path, problems);
  Policy p;
  p.path = path;
  if (!doc.IsMap()) {
    r.Problem(LineOf(doc), "", "expected a mapping with sanctioned_networks and suppressions");
    return fail();
  }
  const auto top = r.Entries(doc, "", {"sanctioned_networks", "suppressions"});
  auto list = [&](const char* key, auto read) {
    auto it = top.find(key);
    if (it == top.end()) return;
    const YAML::Node& n = it->second.value;
    if (!n || n.IsNull()) return;  // "suppressions:" with nothing under it: none
    if (!n.IsSequence()) {
      r.Problem(Reader::Line(it->second), key, "expected a list");
      return;
    }
    for (std::size_t i = 0; i < n.size(); ++i) {
      read(n[i], std::string(key) + "[" + std::to_string(i) + "]");
    }
  };
  list("sanctioned_networks", [&](const YAML::Node& item, const std::string& field) {
    ReadSanctioned(r, item, field, &p.sanctioned_);
  });
  std::set<std::string> ids;
  list("suppressions", [&](const YAML::Node& item, const std::string& field) {
    ReadSuppression(r, item, field, &ids, &p.suppressions_);
  });
  if (problems->size() == before && top.empty()) {
    r.Problem(LineOf(doc), "", "neither sanctioned_networks nor suppressions (docs/policy.md)");
  }
  if (problems->size() != before) return fail();
  *out = std::move(p);
  return core::Status::Ok();
}

}  // namespace parallax::policy
