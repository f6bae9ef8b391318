#include "geoip/network_list.h"

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace parallax::geoip {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view StripComment(std::string_view line) {
  const auto hash = line.find('#');
  return hash == std::string_view::npos ? line : line.substr(0, hash);
}

// Splits on runs of whitespace.
std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t start = i;
    while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// "AS13335", "ASN13335", "as13335" or "13335"; 0 is not a valid ASN (RFC 7607).
std::optional<std::uint32_t> ParseAsn(std::string_view s) {
  if (s.size() >= 3 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's') &&
      (s[2] == 'N' || s[2] == 'n'))
    s.remove_prefix(3);
  else if (s.size() >= 2 && (s[0] == 'A' || s[0] == 'a') && (s[1] == 'S' || s[1] == 's'))
    s.remove_prefix(2);
  std::uint32_t asn = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), asn);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || asn == 0) return std::nullopt;
  return asn;
}

std::string Where(std::string_view name, int line) {
  return std::string(name) + ":" + std::to_string(line);
}

// The rest of `line` after the first `n` words, trimmed: provider names may contain spaces.
std::string_view AfterWords(std::string_view line, std::size_t n) {
  std::size_t i = 0;
  for (std::size_t w = 0; w < n; ++w) {
    while (i < line.size() && std::isspace(static_cast<unsigned char>(line[i]))) ++i;
    while (i < line.size() && !std::isspace(static_cast<unsigned char>(line[i]))) ++i;
  }
  return Trim(line.substr(std::min(i, line.size())));
}

}  // namespace

Status NetworkList::Load(const std::string& path, const ListOptions& options, NetworkList* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path + ": cannot open list: " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Error(path + ": read error");
  return Parse(text.str(), path, options, out);
}

Status NetworkList::Parse(std::string_view text, std::string_view name, const ListOptions& options,
                          NetworkList* out) {
  NetworkList list;
  list.name_ = std::string(name);
  std::optional<NetworkType> default_type = options.default_type;
  std::string default_provider = options.default_provider;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view raw =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (raw.find('\0') != std::string_view::npos)
      return Status::Error(Where(name, line_no) + ": binary data; not a text list");
    const std::string_view line = Trim(StripComment(raw));
    if (line.empty()) continue;
    const auto words = Words(line);
    const std::string_view first = words[0];
    auto bad = [&](const std::string& why) {
      return Status::Error(Where(name, line_no) + ": " + why + ": '" + std::string(line) + "'");
    };

    if (first == "ExitNode" || first == "Published" || first == "LastStatus") continue;
    if (first == "ExitAddress") {
      const auto address = words.size() >= 2 ? IpAddress::Parse(words[1]) : std::nullopt;
      if (!address) return bad("ExitAddress without a valid IP address");
      list.cidrs_.Insert(Cidr::Make(*address, address->bit_length()),
                         {NetworkType::kTorExit, "Tor", Where(name, line_no)});
      continue;
    }
    if (first == "@default") {
      const auto type = words.size() >= 2 ? ParseNetworkType(words[1]) : std::nullopt;
      if (!type)
        return bad(
            "@default needs a network type (hosting, vpn, tor_exit, proxy, mobile, residential, "
            "unknown)");
      default_type = type;
      default_provider = std::string(AfterWords(line, 2));
      continue;
    }
    if (line.find(',') != std::string_view::npos) {
      // Apple's egress-ip-ranges.csv: prefix,country,region,city,
      const auto cidr = Cidr::Parse(Trim(line.substr(0, line.find(','))));
      if (!cidr) return bad("CSV line whose first field is not an IP prefix");
      if (!default_type) return bad("no network type for this CSV line; add an '@default' line");
      list.cidrs_.Insert(*cidr, {*default_type, default_provider, Where(name, line_no)});
      continue;
    }

    NetworkLabel label;
    label.origin = Where(name, line_no);
    if (words.size() >= 2) {
      const auto type = ParseNetworkType(words[1]);
      if (!type) return bad(std::string("unknown network type '").append(words[1]).append("'"));
      label.type = *type;
      label.provider = std::string(AfterWords(line, 2));
    } else if (default_type) {
      label.type = *default_type;
      label.provider = default_provider;
    } else {
      return bad("no network type; add one after the address or an '@default' line");
    }
    if (const auto cidr = Cidr::Parse(first)) {
      list.cidrs_.Insert(*cidr, std::move(label));
    } else if (const auto asn = ParseAsn(first)) {
      list.asns_[*asn] = std::move(label);
    } else {
      return bad("not an IP address, CIDR or ASN");
    }
  }
  *out = std::move(list);
  return Status::Ok();
}

Status NetworkList::ParseCurated(std::string_view text, std::string_view name, NetworkList* out) {
  NetworkList list;
  list.name_ = std::string(name);
  int line_no = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view raw =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (Trim(raw).empty() || Trim(raw).front() == '#') continue;
    std::vector<std::string_view> cols;
    std::size_t start = 0;
    while (true) {
      const auto tab = raw.find('\t', start);
      cols.push_back(Trim(
          raw.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    auto bad = [&](const std::string& why) {
      return Status::Error(Where(name, line_no) + ": " + why);
    };
    if (cols.size() != 4)
      return bad("expected 4 tab-separated columns: target, type, provider, source");
    if (cols[3].empty()) return bad("every entry must name its public source");
    const auto type = ParseNetworkType(cols[1]);
    if (!type) return bad(std::string("unknown network type '").append(cols[1]).append("'"));
    // "unknown" is what no source deciding means; a curated row that decides nothing is a typo.
    if (*type == NetworkType::kUnknown)
      return bad("'unknown' is not a curated type: leave the network out instead");
    if (cols[2].empty()) return bad("empty provider column; write '-' for none");
    // Detail: the target first, so "decided by" reads "curated: AS7393 (file:line) source".
    NetworkLabel label{*type, cols[2] == "-" ? std::string() : std::string(cols[2]),
                       std::string(cols[0]) + " (" + Where(name, line_no) + ") " +
                           std::string(cols[3])};
    if (const auto cidr = Cidr::Parse(cols[0])) {
      list.cidrs_.Insert(*cidr, std::move(label));
    } else if (const auto asn = ParseAsn(cols[0])) {
      list.asns_[*asn] = std::move(label);
    } else {
      return bad(std::string("'").append(cols[0]).append("' is not a CIDR or ASN"));
    }
  }
  *out = std::move(list);
  return Status::Ok();
}

const NetworkLabel* NetworkList::Find(const IpAddress& address, std::uint32_t asn) const {
  if (const NetworkLabel* label = cidrs_.Find(address)) return label;
  if (asn != 0) {
    const auto it = asns_.find(asn);
    if (it != asns_.end()) return &it->second;
  }
  return nullptr;
}

}  // namespace parallax::geoip
