#include "sensor/identity/identity_log.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/user_map.h"
#include "sensor/roster/json_positions.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::identity {
namespace {

std::string Plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// A line quoted in a message: bounded, since a log line can be kilobytes of JSON.
std::string Excerpt(const std::string& s) {
  constexpr std::size_t kMax = 120;
  return s.size() <= kMax ? s : s.substr(0, kMax) + "...";
}

// Whether a file whose first non-blank line is `first` is a whole JSON document rather than
// JSON lines: it opens an array, or an object that does not end on that line (pretty-printed).
// JSON lines start every line with a complete object.
bool IsJsonDocument(const std::string& first) {
  const std::string_view t = roster::Trim(first);
  if (t.empty()) return false;
  if (t.front() == '[') return true;
  return t.front() == '{' && !nlohmann::json::accept(t);
}

// The records of a JSON document: the array itself, or the array under "value" (Microsoft
// Graph) or "items" (Google's Reports API). Each goes to `consume` as one line would; a
// document that does not parse is one bad line at the parser's position, unless it may be JSON
// lines after all (false: the caller reads it line by line).
template <typename Consume>
bool ReadJsonDocument(const std::string& all, Consume& consume, IdentityLogReport* report) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(all);
  } catch (const nlohmann::json::exception& e) {
    // A first line cut short in a JSON-lines file looks like the start of a document.
    if (const std::size_t f = all.find_first_not_of(" \t\r\n");
        f != std::string::npos && all[f] == '{') {
      return false;
    }
    std::size_t at = 0;
    if (const auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e)) {
      at = pe->byte ? pe->byte - 1 : 0;
    }
    const auto pos = roster::PositionOf(all, at);
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    ++report->lines;
    ++report->bad_lines;
    report->first_bad_lines.push_back(
        {pos.line, "column " + std::to_string(pos.column) + ": not a JSON document: " + what});
    return true;
  }
  const nlohmann::json* records = &doc;
  if (doc.is_object()) {
    for (const char* key : {"value", "items"}) {
      if (auto it = doc.find(key); it != doc.end() && it->is_array()) records = &*it;
    }
  }
  if (!records->is_array()) {
    ++report->lines;
    ++report->bad_lines;
    report->first_bad_lines.push_back(
        {1,
         "a JSON document must be an array of records, or hold one under \"value\" or "
         "\"items\""});
    return true;
  }
  for (std::size_t i = 0; i < records->size(); ++i) {
    consume((*records)[i].dump(), 0, "element " + std::to_string(i + 1) + ": ");
  }
  return true;
}

}  // namespace

std::string IdentityLogReport::Summary() const {
  std::string s = format + ":" + path + ": " + Plural(events, "event", "events");
  if (ignored)
    s += ", " + Plural(ignored, "record", "records") + " ignored (no sign-in or session)";
  if (!unmapped_users.empty()) {
    s += ", " + Plural(unmapped_users.size(), "user", "users") + " not in the roster (";
    std::size_t shown = 0;
    for (const auto& [user, n] : unmapped_users) {
      if (shown == 5) {
        s += ", ...";
        break;
      }
      s += (shown++ ? ", " : "") + user;
    }
    s += ")";
  }
  if (bad_lines) {
    s += ", " + Plural(bad_lines, "line", "lines") + " not understood";
    if (!first_bad_lines.empty()) {
      const BadLine& b = first_bad_lines.front();
      s += std::string(" (") + (b.line ? "line " + std::to_string(b.line) + ": " : "") +
           first_bad_lines.front().message + (bad_lines > 1 ? "; ..." : "") + ")";
    }
  }
  return s;
}

std::vector<std::string> IdentityLogReport::BadLineMessages() const {
  std::vector<std::string> out;
  for (const auto& b : first_bad_lines) {
    out.push_back(path + ":" + (b.line ? std::to_string(b.line) + ": " : " ") + b.message);
  }
  if (bad_lines > first_bad_lines.size()) {
    out.push_back(path + ": and " + std::to_string(bad_lines - first_bad_lines.size()) +
                  " more lines not understood");
  }
  return out;
}

core::Status ParseIdentitySpec(const std::string& spec, std::string* format, std::string* path) {
  const std::size_t colon = spec.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == spec.size()) {
    return core::Status::Error("--identity: expected FORMAT:FILE (formats: " + AdapterNames() +
                               "), got '" + spec + "'");
  }
  *format = spec.substr(0, colon);
  *path = spec.substr(colon + 1);
  if (!FindAdapter(*format)) {
    return core::Status::Error("--identity: unknown format '" + *format +
                               "' (formats: " + AdapterNames() + ")");
  }
  return core::Status::Ok();
}

core::Status ReadIdentityLog(const std::string& format, const std::string& path,
                             const roster::Roster& roster, AdapterOptions options,
                             std::vector<roster::IdentityEvent>* out, IdentityLogReport* report) {
  *report = IdentityLogReport{};
  report->format = format;
  report->path = path;
  const AdapterInfo* info = FindAdapter(format);
  if (!info) {
    return core::Status::Error("unknown identity log format '" + format +
                               "' (formats: " + AdapterNames() + ")");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::Error(path + ": cannot open: " + std::strerror(errno));
  if (options.reference_time == 0) {
    std::error_code ec;
    const auto mtime = std::filesystem::last_write_time(path, ec);
    if (!ec) {
      const auto sys = std::chrono::file_clock::to_sys(mtime);
      options.reference_time =
          std::chrono::duration_cast<std::chrono::microseconds>(sys.time_since_epoch()).count();
    }
  }
  const UserMap users(roster);
  std::unique_ptr<IdentityAdapter> adapter = info->make(options);
  // One record through the adapter. `line` is the file's line (0 for an element of a JSON
  // document, which `where` then names).
  auto consume = [&](const std::string& text, std::size_t line, const std::string& where) {
    ++report->lines;
    LineResult r = adapter->Parse(text);
    switch (r.verdict) {
      case LineVerdict::kIgnored:
        ++report->ignored;
        break;
      case LineVerdict::kMalformed:
        ++report->bad_lines;
        if (report->first_bad_lines.size() < IdentityLogReport::kKeptBadLines) {
          report->first_bad_lines.push_back({line, where + r.error + " [" + Excerpt(text) + "]"});
        }
        break;
      case LineVerdict::kLogin: {
        const std::string* id = users.Find(r.login.user);
        if (!id) {
          ++report->unmapped_users[r.login.user];
          ++report->unmapped_records;
          break;
        }
        roster::IdentityEvent e;
        e.ts = r.login.ts;
        e.contractor = *id;
        e.public_ip = r.login.public_ip;
        e.internal_ip = r.login.internal_ip;
        e.source = format;
        e.line = line;
        out->push_back(std::move(e));
        ++report->events;
        break;
      }
    }
  };
  // A JSON document is read whole (an API response or portal download, bounded by what those
  // return); everything else is streamed line by line, as logs can be large.
  if (info->json_records) {
    std::string first;
    while (std::getline(in, first) && roster::Trim(first).empty()) {
    }
    if (first.substr(0, 3) == "\xEF\xBB\xBF") first.erase(0, 3);
    if (IsJsonDocument(first)) {
      in.clear();
      in.seekg(0);
      std::ostringstream whole;
      whole << in.rdbuf();
      std::string all = whole.str();
      if (all.substr(0, 3) == "\xEF\xBB\xBF") all.replace(0, 3, "   ");  // keep the columns
      if (ReadJsonDocument(all, consume, report)) return core::Status::Ok();
    }
    in.clear();
    in.seekg(0);
  }
  std::string text;
  std::size_t line_no = 0;
  while (std::getline(in, text)) {
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (line_no == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.erase(0, 3);
    if (roster::Trim(text).empty()) continue;
    consume(text, line_no, "");
  }
  if (in.bad()) {
    return core::Status::Error(path + ": read error at line " + std::to_string(line_no));
  }
  return core::Status::Ok();
}

}  // namespace parallax::identity
